from odoo import api, fields, models


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "complaint.document.mixin"]
    _complaint_lines_field = "complaint_resolution_ids"

    complaint_resolution_ids = fields.One2many(
        "complaint.resolution",
        "repair_id",
        string="Complaint Responses",
        groups="complaint_management.group_complaint_cft",
    )
    complaint_ids = fields.Many2many(
        "complaint.complaint",
        string="Complaints",
        compute="_compute_complaint_ids",
        groups="complaint_management.group_complaint_reporter",
    )

    @api.depends("complaint_resolution_ids.complaint_id")
    @api.depends_context("uid")
    def _compute_complaint_ids(self):
        # The responses these repairs carry out are read with rights; of their
        # complaints, the user sees those their own rights show them.
        lines = self.sudo().complaint_resolution_ids
        visible = self.env["complaint.complaint"].search([("id", "in", lines.complaint_id.ids)])
        for repair in self:
            repair.complaint_ids = (
                repair.sudo().complaint_resolution_ids.complaint_id.with_env(self.env) & visible
            )

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            # A repair user need not have rights on complaints: the responses of
            # the repairs being written are followed with rights.
            self.sudo().complaint_resolution_ids._sync_documents()
        return result

    def action_view_complaints(self):
        return self.ensure_one().complaint_ids._action_view_list()
