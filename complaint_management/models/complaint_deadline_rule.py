from odoo import api, fields, models

# The procedure's steps that have a deadline, and the internal steps they time.
DEADLINE_STEPS = [
    ("acknowledgement", "Acknowledgement"),
    ("assessment", "Assessment"),
    ("investigation", "Investigation"),
    ("response", "Response"),
    ("approval", "Customer approval"),
    ("execution", "Execution"),
    ("survey", "Final survey"),
]
DEADLINE_STEP_OF = {
    "received": "acknowledgement",
    "acknowledged": "assessment",
    "assessed": "investigation",
    "investigation": "investigation",
    "response_proposed": "response",
    "awaiting_approval": "approval",
    "in_execution": "execution",
    "survey": "survey",
}
# While the complaint waits on the customer, the company's clock stops.
WAITING_STEPS = ("approval", "survey")


class ComplaintDeadlineRule(models.Model):
    """Working hours a step may take, for a category and/or a severity. The
    most specific rule wins: category and severity, then category, then
    severity, then the rule with neither."""

    _name = "complaint.deadline.rule"
    _description = "Complaint Step Deadline"
    _order = "step, category_id, severity"

    step = fields.Selection(DEADLINE_STEPS, required=True)
    category_id = fields.Many2one("complaint.category", ondelete="cascade")
    severity = fields.Selection(
        selection=lambda self: self.env["complaint.complaint"]._fields["severity"].selection
    )
    hours = fields.Float(
        string="Working Hours", required=True, help="In the working hours of the channel."
    )
    company_id = fields.Many2one("res.company")

    _sql_constraints = [
        ("hours_positive", "CHECK (hours > 0)", "A deadline needs a positive number of hours."),
    ]

    @api.model
    def _hours_for(self, complaints):
        """{complaint id: working hours its current step may take}, with one
        search for the whole batch."""
        steps = {c.id: DEADLINE_STEP_OF.get(c.step) for c in complaints}
        rules = self.search([("step", "in", [s for s in steps.values() if s])])
        result = {}
        for complaint in complaints:
            step = steps[complaint.id]
            best, best_rank = None, -1
            for rule in rules:
                if rule.step != step or (
                    rule.company_id and rule.company_id != complaint.company_id
                ):
                    continue
                if rule.category_id and rule.category_id != complaint.category_id:
                    continue
                if rule.severity and rule.severity != complaint.severity:
                    continue
                rank = 2 * bool(rule.category_id) + bool(rule.severity)
                if rank > best_rank:
                    best, best_rank = rule, rank
            result[complaint.id] = best.hours if best else 0.0
        return result
