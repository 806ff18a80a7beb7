from odoo import api, fields, models


class ComplaintApprovalWizard(models.TransientModel):
    _name = "complaint.approval.wizard"
    _description = "Customer's Answer to a Proposed Response"

    complaint_id = fields.Many2one("complaint.complaint", required=True, ondelete="cascade")
    summary = fields.Text(compute="_compute_summary")
    decision = fields.Selection(
        [("accept", "The customer accepts"), ("reject", "The customer rejects")],
        required=True,
        default="accept",
    )
    channel = fields.Selection(
        [("phone", "Phone call"), ("in_person", "In person")], default="phone", required=True
    )
    reason = fields.Text(string="Customer's Reason")

    @api.depends("complaint_id")
    def _compute_summary(self):
        for wizard in self:
            wizard.summary = wizard.complaint_id._current_approval().summary

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._record_approval(
            self.decision == "accept", reason=self.reason, channel=self.channel
        )
        return {"type": "ir.actions.act_window_close"}
