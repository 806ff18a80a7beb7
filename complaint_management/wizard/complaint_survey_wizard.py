from odoo import fields, models

from ..models.complaint_survey import REOPEN_CHOICES, SCORES


class ComplaintSurveyWizard(models.TransientModel):
    _name = "complaint.survey.wizard"
    _description = "Final Survey by Phone"

    complaint_id = fields.Many2one("complaint.complaint", required=True, ondelete="cascade")
    result_score = fields.Selection(SCORES, string="Satisfaction with the Result", required=True)
    process_score = fields.Selection(SCORES, string="Satisfaction with the Process", required=True)
    fully_satisfied = fields.Boolean(string="Is the customer fully satisfied?")
    comment = fields.Text()
    reopen_step = fields.Selection(
        REOPEN_CHOICES,
        default="investigation",
        string="Continue with",
    )

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._record_survey(
            self.result_score,
            self.process_score,
            self.fully_satisfied,
            comment=self.comment,
            reopen_step=self.reopen_step,
        )
        return {"type": "ir.actions.act_window_close"}
