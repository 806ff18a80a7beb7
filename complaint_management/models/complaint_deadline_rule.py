from odoo import api, fields, models, tools

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
    severity = fields.Selection(selection="_selection_severity")
    hours = fields.Float(
        string="Working Hours", required=True, help="In the working hours of the channel."
    )
    company_id = fields.Many2one("res.company")

    _sql_constraints = [
        ("hours_positive", "CHECK (hours > 0)", "A deadline needs a positive number of hours."),
    ]

    @api.model
    def _selection_severity(self):
        """The complaint's severities, labelled in the reader's language. A
        selection given by a method has no labels of its own for Odoo to
        translate: the complaint field's translated ones are used."""
        return self.env["complaint.complaint"]._fields["severity"]._description_selection(self.env)

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    @tools.ormcache()
    def _rules(self):
        """All rules as plain tuples, cached: read at every step of every complaint."""
        return tuple(
            (r.step, r.company_id.id, r.category_id.id, r.severity, r.hours)
            for r in self.sudo().search([])
        )

    @api.model
    def _hours_for(self, complaints):
        """{complaint id: working hours its current step may take}; no query
        once the rules are cached."""
        rules = self._rules()
        result = {}
        for complaint in complaints:
            step = DEADLINE_STEP_OF.get(complaint.step)
            best, best_rank = 0.0, -1
            for r_step, r_company, r_category, r_severity, hours in rules:
                if r_step != step or (r_company and r_company != complaint.company_id.id):
                    continue
                if r_category and r_category != complaint.category_id.id:
                    continue
                if r_severity and r_severity != complaint.severity:
                    continue
                rank = 2 * bool(r_category) + bool(r_severity)
                if rank > best_rank:
                    best, best_rank = hours, rank
            result[complaint.id] = best
        return result
