from odoo import api, fields, models


class MgmtsystemNonconformity(models.Model):
    _inherit = "mgmtsystem.nonconformity"

    complaint_ids = fields.One2many("complaint.complaint", "nonconformity_id", string="Complaints")
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        for nonconformity in self:
            nonconformity.complaint_count = len(nonconformity.complaint_ids)

    def action_view_complaints(self):
        return self.ensure_one().complaint_ids._action_view_list()
