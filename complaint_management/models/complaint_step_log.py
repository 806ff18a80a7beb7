from odoo import api, fields, models

from .complaint_deadline_rule import DEADLINE_STEPS, WAITING_STEPS
from .complaint_stage import STEPS


class ComplaintStepLog(models.Model):
    """One passage of a complaint through a step: when it started and ended,
    its deadline, the working hours it took. The measure of "how fast"."""

    _name = "complaint.step.log"
    _description = "Complaint Step Passage"
    _order = "complaint_id, id"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    channel_id = fields.Many2one(related="complaint_id.channel_id", store=True)
    category_id = fields.Many2one(related="complaint_id.category_id", store=True)
    team_id = fields.Many2one(related="complaint_id.team_id", store=True)
    step = fields.Selection(STEPS, required=True)
    deadline_step = fields.Selection(DEADLINE_STEPS, string="Timed Step")
    waits_on_customer = fields.Boolean(
        compute="_compute_waits_on_customer",
        store=True,
        help="The company's clock stops while the complaint waits on the customer.",
    )
    round = fields.Integer()
    date_start = fields.Datetime(required=True)
    date_end = fields.Datetime(index=True)
    deadline = fields.Datetime()
    working_hours = fields.Float(aggregator="avg", help="Working hours the step took.")
    on_time = fields.Integer(
        string="On Time (%)",
        aggregator="avg",
        help="100 when the step ended by its deadline, 0 when late; empty while open.",
    )

    @api.depends("deadline_step")
    def _compute_waits_on_customer(self):
        for log in self:
            log.waits_on_customer = log.deadline_step in WAITING_STEPS
