from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_manager_id = fields.Many2one(
        "res.users",
        string="Customer Relations & After-Sales Manager",
        domain=[("share", "=", False)],
        help="Told at once of every new complaint and owner of new complaints by default.",
    )
