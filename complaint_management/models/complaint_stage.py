from odoo import api, fields, models

# The fixed steps of the company procedure, in order. Every configurable stage is
# mapped to exactly one of them; the server-side gates work on steps, so renaming,
# splitting or reordering stages never weakens the procedure.
STEPS = [
    ("received", "Received"),
    ("acknowledged", "Acknowledged"),
    ("assessed", "Assessed"),
    ("investigation", "Investigation"),
    ("response_proposed", "Response proposed"),
    ("awaiting_approval", "Awaiting customer approval"),
    ("in_execution", "In execution"),
    ("survey", "Final survey"),
    ("closed", "Closed"),
    ("rejected", "Rejected (not a complaint)"),
    ("cancelled", "Cancelled"),
]
STEP_ORDER = {step: index for index, (step, _label) in enumerate(STEPS)}
CLOSED_STEPS = ("closed", "rejected", "cancelled")

# The same procedure as the customer sees it, in plain words (portal, tracking
# page, emails): the internal steps collapse into what the customer can act on.
CUSTOMER_STEPS = [
    ("submitted", "Submitted"),
    ("acknowledged", "Acknowledged"),
    ("investigating", "Being investigated"),
    ("decision", "Waiting for your decision"),
    ("execution", "Being carried out"),
    ("opinion", "Your opinion"),
    ("closed", "Closed"),
]
CUSTOMER_STEP_OF = {
    "received": "submitted",
    "acknowledged": "acknowledged",
    "assessed": "acknowledged",
    "investigation": "investigating",
    "response_proposed": "investigating",
    "awaiting_approval": "decision",
    "in_execution": "execution",
    "survey": "opinion",
    "closed": "closed",
    "rejected": "closed",
    "cancelled": "closed",
}


class ComplaintStage(models.Model):
    _name = "complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    step = fields.Selection(
        STEPS,
        required=True,
        default="received",
        help="Step of the complaint procedure this stage stands for. The procedure's "
        "rules (no assessment before acknowledgement, no execution before the "
        "customer's approval, no closing before a satisfied survey) follow the step.",
    )
    fold = fields.Boolean(string="Folded in Kanban")
    description = fields.Text(translate=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "complaint.complaint")],
        help="Email sent to the customer when a complaint reaches this stage.",
    )
    active = fields.Boolean(default=True)
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("stage_id", "in", self.ids)], ["stage_id"], ["__count"]
            )
        )
        for stage in self:
            stage.complaint_count = counts.get(stage, 0)

    @api.model
    def _stage_for_step(self, step):
        """The first active stage of a step."""
        return self.search([("step", "=", step)], limit=1)
