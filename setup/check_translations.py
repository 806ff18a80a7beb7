"""Fail when a translatable term of an addon has no Persian translation, or
when the addon's committed .pot is not the one Odoo exports.

Usage: check_translations.py EXPORTED_POT ADDON_DIR
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po


def terms(path):
    with open(path, "rb") as po_file:
        catalog = read_po(po_file)
    return {message.id: message.string for message in catalog if message.id}


def main(exported, addon_dir):
    addon = Path(addon_dir)
    name = addon.name
    wanted = terms(exported)
    problems = []
    committed = terms(addon / "i18n" / f"{name}.pot")
    if set(committed) != set(wanted):
        added, gone = set(wanted) - set(committed), set(committed) - set(wanted)
        problems.append(
            f"{name}.pot is out of date ({len(added)} new, {len(gone)} gone terms): "
            f"re-export it with odoo-bin --i18n-export"
        )
    persian = terms(addon / "i18n" / "fa.po")
    missing = [term for term in wanted if not persian.get(term)]
    for term in missing[:20]:
        problems.append(f"no Persian for: {term[:100]!r}")
    if len(missing) > 20:
        problems.append(f"... and {len(missing) - 20} more terms without Persian")
    for problem in problems:
        print(f"{name}: {problem}")
    print(f"{name}: {len(wanted)} terms, {len(wanted) - len(missing)} in Persian")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
