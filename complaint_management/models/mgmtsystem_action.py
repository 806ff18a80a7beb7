from odoo import fields, models


class MgmtsystemAction(models.Model):
    _inherit = "mgmtsystem.action"

    complaint_ids = fields.Many2many(
        "complaint.complaint",
        "complaint_mgmtsystem_action_rel",
        "action_id",
        "complaint_id",
        string="Complaints",
    )

    def action_view_complaints(self):
        return self.ensure_one().complaint_ids._action_view_list()
