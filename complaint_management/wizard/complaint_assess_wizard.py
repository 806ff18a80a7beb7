from odoo import fields, models

from ..models.complaint_complaint import SEVERITIES


class ComplaintAssessWizard(models.TransientModel):
    _name = "complaint.assess.wizard"
    _description = "Initial Assessment of a Complaint"

    complaint_id = fields.Many2one("complaint.complaint", required=True, ondelete="cascade")
    decision = fields.Selection(
        [("accept", "It is a complaint"), ("reject", "It is not a complaint")],
        required=True,
        default="accept",
    )
    category_id = fields.Many2one("complaint.category")
    severity = fields.Selection(SEVERITIES)
    immediate_action = fields.Text(
        help="Containment before the root-cause work, e.g. stop shipping the lot."
    )
    reject_reason = fields.Text(string="Reason", help="Sent to the customer.")

    def action_confirm(self):
        self.ensure_one()
        complaint = self.complaint_id
        extra = {}
        if self.category_id:
            extra["category_id"] = self.category_id.id
        if self.severity:
            extra["severity"] = self.severity
        if extra:
            complaint.write(extra)
        complaint._assess(
            self.decision == "accept",
            reason=self.reject_reason,
            immediate_action=self.immediate_action,
        )
        return {"type": "ir.actions.act_window_close"}
