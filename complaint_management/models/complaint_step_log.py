from odoo import api, fields, models
from odoo.tools import SQL

from .complaint_deadline_rule import DEADLINE_STEPS, WAITING_STEPS
from .complaint_stage import STEPS

# Who made a move of the procedure: an employee (named in "Done by"), the
# customer on the portal or a public page, or the system's own jobs.
ACTORS = [
    ("staff", "Staff"),
    ("customer", "Customer"),
    ("system", "System"),
]


class ComplaintStepLog(models.Model):
    """One passage of a complaint through a step: when it started and ended,
    its deadline, the working hours it took. The measure of "how fast".

    It is also the procedure's audit trail: who made the move that started the
    passage, and why. A closing move (closed, rejected) leaves a passage of its
    own, started and ended at once and without a timed step, so that the
    timeliness figures, which count the timed steps, do not change."""

    _name = "complaint.step.log"
    _inherit = ["complaint.procedure.guard"]
    _description = "Complaint Step Passage"
    _order = "complaint_id, id"

    # The audit trail is written by the step clock only, never by a form, an
    # import or RPC: every field of it (None), whoever asks.
    _procedure_fields = None

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
    user_id = fields.Many2one(
        "res.users",
        string="Done by",
        readonly=True,
        help="The user who moved the complaint to this step; empty when the customer did.",
    )
    actor = fields.Selection(
        ACTORS,
        readonly=True,
        help="Who moved the complaint to this step: an employee, the customer "
        "(portal, public pages) or the system (scheduled jobs).",
    )
    note = fields.Text(
        string="Reason / Note",
        readonly=True,
        help="Why the complaint moved to this step, e.g. the reason for a rejection.",
    )

    @api.depends("deadline_step")
    def _compute_waits_on_customer(self):
        for log in self:
            log.waits_on_customer = log.deadline_step in WAITING_STEPS

    def _read_group_orderby(self, order, groupby_terms, query):
        """Groups of steps in the procedure's order, not alphabetically: Step
        Timeliness (pivot, graph) and the management review list them as they
        happen."""
        terms = dict(groupby_terms)
        for fname in ("deadline_step", "step"):
            if fname in terms:
                keys = [key for key, _label in self._fields[fname].selection]
                terms[fname] = SQL("array_position(%s::varchar[], %s)", keys, terms[fname])
        return super()._read_group_orderby(order, terms, query)
