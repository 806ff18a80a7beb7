from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import email_normalize

from ..tools.persian import NAME_FOLDING, PHONE_FOLDING, fold_phone

# Stored and searched in one form whatever the keyboard (Arabic or Persian yeh
# and kaf, Eastern or Latin digits): see tools/persian.py. The names computed
# from the name (complete, commercial) follow it.
FOLDED_FIELDS = {
    "name": NAME_FOLDING,
    "complete_name": NAME_FOLDING,
    "commercial_company_name": NAME_FOLDING,
    "phone": PHONE_FOLDING,
    "mobile": PHONE_FOLDING,
}
TYPED_FIELDS = ("name", "phone", "mobile")


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_ids = fields.One2many("complaint.complaint", "partner_id", string="Complaints")
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="complaint_management.group_complaint_reporter"
    )

    def _compute_complaint_count(self):
        partners = self.with_context(active_test=False).search([("id", "child_of", self.ids)])
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("partner_id", "in", partners.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.complaint_count = sum(
                count
                for other, count in counts.items()
                if other == partner or other.commercial_partner_id == partner
            )

    def _condition_to_sql(self, alias, fname, operator, value, query):
        # A name typed with Arabic yeh or kaf finds the contact stored with the
        # Persian letters; a phone typed with Persian digits the one stored
        # with Latin digits. A search with nothing to fold is Odoo's own.
        folding = FOLDED_FIELDS.get(fname)
        if folding:
            value = folding.search_value(operator, value)
        return super()._condition_to_sql(alias, fname, operator, value, query)

    @api.model
    def _fold_vals(self, vals):
        for fname in TYPED_FIELDS:
            if isinstance(vals.get(fname), str):
                vals[fname] = FOLDED_FIELDS[fname].fold(vals[fname])
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._fold_vals(dict(vals)) for vals in vals_list])

    def write(self, vals):
        return super().write(self._fold_vals(dict(vals)))

    @api.model
    def _fold_stored_persian(self):
        """Fold the contacts stored before folding existed: run when the
        module is installed or updated (data/persian_text_data.xml); a second
        run finds nothing to do. Rows are written in SQL, like the migration
        it is: no write date, no tracking, no recomputation needed (the
        computed names are folded alongside)."""
        return sum(
            folding.fold_stored(self, fname)
            for fname, folding in FOLDED_FIELDS.items()
            if fname in self._fields and self._fields[fname].store
        )

    @api.model
    def _find_by_email_or_phone(self, email=False, phone=False):
        """The customer a complaint comes from, by normalised email, else by phone."""
        return self._find_customers([(email, phone)])[0]

    @api.model
    def _find_customers(self, contacts):
        """The customers of several complaints at once, in a query for the
        emails and one for the phones, whatever their number.

        :param contacts: ``(email, phone)`` pairs, either may be empty; a
            phone in its E.164 form (as complaints store it)
        :return: a list of partners (empty where none matches), in the order
            of ``contacts``: the first by the contacts' order with the
            normalised email, else with the phone"""
        found = [self.browse()] * len(contacts)
        emails = {}
        for index, (email, _phone) in enumerate(contacts):
            normalized = email and email_normalize(email)
            if normalized:
                emails[index] = normalized
        if emails:
            by_email = {}
            for partner in self.search([("email_normalized", "in", list(set(emails.values())))]):
                by_email.setdefault(partner.email_normalized, partner)
            for index, normalized in emails.items():
                found[index] = by_email.get(normalized, self.browse())
        # Stored numbers are free text ("0912 123 4567", "+98 912...") in Latin
        # digits (folded): narrow on the last digits in SQL, then compare the
        # normalised forms.
        phones, patterns = {}, []
        for index, (_email, phone) in enumerate(contacts):
            if found[index] or not phone:
                continue
            phone = fold_phone(phone)
            tail = "".join(ch for ch in phone if ch.isdigit())[-7:]
            if len(tail) == 7:
                phones[index] = phone
                patterns.append("%" + "%".join(tail))
        if not phones:
            return found
        candidates = self.search(
            expression.OR(
                ["|", ("phone", "=like", pattern), ("mobile", "=like", pattern)]
                for pattern in dict.fromkeys(patterns)
            ),
            limit=50 * len(phones),
        )
        # (partner, its numbers normalised), in the search's order
        numbers = [(partner, partner._normalized_numbers()) for partner in candidates]
        for index, phone in phones.items():
            found[index] = next(
                (partner for partner, normalized in numbers if phone in normalized), self.browse()
            )
        return found

    def _normalized_numbers(self):
        """The E.164 forms of the contacts' phones and mobiles, those that are
        valid numbers."""
        numbers = set()
        for number in filter(None, self.mapped("mobile") + self.mapped("phone")):
            try:
                numbers.add(self._normalize_phone(number))
            except ValidationError:
                continue
        return numbers

    @api.model
    def _phone_country(self):
        """The current company's country, read narrowly: a public filing
        normalises its phone with it. The company's own country field is
        computed from its whole address, and reading it read the company's and
        its contact's whole rows: about 3 ms of each filing, 0.6 ms this way."""
        company = self.env.company.sudo()
        company.fetch(["partner_id"])
        company.partner_id.fetch(["country_id"])
        country = company.partner_id.country_id
        country.fetch(["code", "phone_code"])
        return country

    @api.model
    def _normalize_phone(self, number):
        """E.164 form of a phone number. Numbers without a country code are of
        the company's country, or where it has none of the country of the
        System Parameter ``complaint_management.phone_country`` (Iran in the
        shipped data: 021 7490 5000, 0912 345 6789)."""
        number = fold_phone(number or "").strip()
        if not number:
            return number
        country = self._phone_country()
        if not country:
            code = (
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("complaint_management.phone_country")
            )
            country = code and self.env["res.country"].search([("code", "=", code)], limit=1)
        try:
            return self._phone_format(
                number=number,
                country=country or self.env["res.country"],
                force_format="E164",
                raise_exception=True,
            )
        except UserError as error:
            raise ValidationError(
                self.env._(
                    "The phone number %(number)s is not valid: %(error)s",
                    number=number,
                    error=error,
                )
            ) from error

    def _complaint_report_defaults(self):
        """Values of a complaint reported from this contact (see
        complaint.link.mixin)."""
        self.ensure_one()
        return {"default_partner_id": self.id}

    def action_view_complaints(self):
        return self.env["complaint.complaint"]._action_open_complaints(
            [("partner_id", "child_of", self.ensure_one().commercial_partner_id.id)],
            {"default_partner_id": self.id},
        )
