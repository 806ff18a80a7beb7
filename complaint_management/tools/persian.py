"""Persian text as people type it: Arabic yeh and kaf (ي ى ك) next to the
Persian letters (ی ک), Arabic-Indic and Persian digits next to Latin ones,
depending on the keyboard. Names are kept in the Persian letters and digits,
phone numbers in Latin digits: folded where they are stored, in the rows
stored before (once, when the module is installed or updated), and in what a
user searches, so that a search compares one form with one form and keeps the
indexes. The character tables are persiantools'."""

from persiantools import characters, digits

from odoo.tools import SQL, split_every

# The operators whose value is a text to compare with the stored one.
TEXT_OPERATORS = frozenset(
    {"=", "!=", "like", "ilike", "not like", "not ilike", "=like", "=ilike", "in", "not in"}
)


def fold_name(text):
    """A name in one form: Persian yeh and kaf, Persian digits."""
    if not text or not isinstance(text, str):
        return text
    return digits.ar_to_fa(characters.ar_to_fa(text))


def fold_phone(text):
    """A phone number with Latin digits, whatever the keyboard it was typed on."""
    if not text or not isinstance(text, str):
        return text
    return digits.fa_to_en(digits.ar_to_fa(text))


def _folded_characters(fold):
    """The characters ``fold`` changes, alone or after a letter (a kasra it
    drops, say): a text holding none of them is folded already."""
    letters = [""] + [chr(code) for code in range(0x0621, 0x064B)]
    candidates = [chr(code) for code in range(0x0600, 0x0700)] + list("0123456789")
    return "".join(
        char
        for char in candidates
        if any(fold(letter + char) != fold(letter) + char for letter in letters)
    )


class Folding:
    """One way of folding text: in a search's value, and in stored rows."""

    def __init__(self, fold):
        self.fold = fold
        self.characters = _folded_characters(fold)

    def search_value(self, operator, value):
        """``value`` of a search on a folded field, folded as the stored texts
        are: an Arabic yeh finds the Persian one. Unchanged (the model's own
        SQL) when there is nothing to fold, as in a Latin search."""
        if operator not in TEXT_OPERATORS:
            return value
        if isinstance(value, str):
            return self.fold(value)
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            folded = [self.fold(v) for v in value]
            return folded if folded != list(value) else value
        return value

    def fold_stored(self, model, fname):
        """Fold ``fname`` in the rows of ``model`` stored unfolded (before
        folding existed, or written in SQL). Reads only the rows holding a
        character that folds; idempotent. Returns how many rows changed."""
        cr = model.env.cr
        model.flush_model([fname])
        table, column = SQL.identifier(model._table), SQL.identifier(fname)
        cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE %s ~ %s",
                column,
                table,
                column,
                f"[{self.characters}]",
            )
        )
        rows = cr.fetchall()
        changed = [(row_id, self.fold(text)) for row_id, text in rows if self.fold(text) != text]
        for batch in split_every(1000, changed):
            cr.execute(
                SQL(
                    "UPDATE %s AS t SET %s = v.text FROM (VALUES %s) AS v(id, text) "
                    "WHERE t.id = v.id",
                    table,
                    column,
                    SQL(", ").join(SQL("(%s, %s)", row_id, text) for row_id, text in batch),
                )
            )
        model.invalidate_model([fname])
        return len(changed)


NAME_FOLDING = Folding(fold_name)
PHONE_FOLDING = Folding(fold_phone)
