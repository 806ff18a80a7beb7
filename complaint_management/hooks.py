from odoo.tools import SQL


def uninstall_hook(env):
    """The SQL functions of the Jalali groupings (``models/jalali_read_group.py``)
    go with the addon."""
    env.cr.execute(
        SQL(
            "DROP FUNCTION IF EXISTS complaint_jalali_trunc(text, date), "
            "complaint_jalali_month_starts()"
        )
    )
