from odoo import api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    complaint_resolution_ids = fields.One2many(
        "complaint.resolution", "repair_id", string="Complaint Responses"
    )
    complaint_ids = fields.Many2many("complaint.complaint", compute="_compute_complaint_ids")

    @api.depends("complaint_resolution_ids.complaint_id")
    def _compute_complaint_ids(self):
        for repair in self:
            repair.complaint_ids = repair.complaint_resolution_ids.complaint_id

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self.complaint_resolution_ids.sudo()._sync_documents()
        return result

    def action_view_complaints(self):
        self.ensure_one()
        return self.complaint_ids._action_view_list()
