from odoo import SUPERUSER_ID, api

HAND_TYPED_HOLIDAYS = (
    "complaint_management.holiday_1405_bahman_22",
    "complaint_management.holiday_1405_esfand_29",
    "complaint_management.holiday_1406_nowruz",
)


def migrate(cr, version):
    """Iran's holidays now come from the ``holidays`` package (see
    complaint.complaint._load_iran_holidays), loaded when the module's data is,
    after this script. The three typed by hand were ``noupdate`` data that an
    update would keep: removed first, so that the days they covered are loaded
    from the package (Nowruz as four one-day holidays, named in Persian)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in HAND_TYPED_HOLIDAYS:
        leave = env.ref(xmlid, raise_if_not_found=False)
        if leave:
            leave.unlink()
