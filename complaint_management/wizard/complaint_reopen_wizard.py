from odoo import fields, models

from ..models.complaint_survey import REOPEN_CHOICES


class ComplaintReopenWizard(models.TransientModel):
    """A manager's reopening or cancelling of a complaint, with its reason."""

    _name = "complaint.reopen.wizard"
    _description = "Reopen or Cancel a Complaint"

    complaint_id = fields.Many2one("complaint.complaint", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("reopen", "Reopen"), ("cancel", "Cancel")], required=True, default="reopen"
    )
    complaint_step = fields.Selection(related="complaint_id.step")
    reason = fields.Text(required=True)
    reopen_step = fields.Selection(
        REOPEN_CHOICES,
        default="investigation",
        string="Continue with",
    )

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "cancel":
            self.complaint_id._cancel(self.reason)
        else:
            self.complaint_id._reopen(self.reason, reopen_step=self.reopen_step)
        return {"type": "ir.actions.act_window_close"}
