from odoo import fields, models

SCORES = [
    ("1", "Very dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very satisfied"),
]


# Where a new round starts (an unsatisfied survey, a manager's reopening).
REOPEN_CHOICES = [
    ("investigation", "Back to investigation"),
    ("response_proposed", "Back to the response"),
]


class ComplaintSurvey(models.Model):
    """The final phone survey of one round."""

    _name = "complaint.survey"
    _inherit = ["complaint.procedure.guard"]
    _description = "Complaint Final Survey"
    _order = "complaint_id, id"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    round = fields.Integer(readonly=True)
    result_score = fields.Selection(SCORES, string="Satisfaction with the Result", required=True)
    process_score = fields.Selection(SCORES, string="Satisfaction with the Process", required=True)
    fully_satisfied = fields.Boolean()
    comment = fields.Text()
    reopen_step = fields.Selection(
        [("investigation", "Investigation"), ("response_proposed", "Response")],
        string="Reopened at",
    )
    channel = fields.Selection(
        [("phone", "Phone call"), ("portal", "Customer's link")],
        string="Answered by way of",
        default="phone",
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Surveyed by", default=lambda self: self.env.user, readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)
