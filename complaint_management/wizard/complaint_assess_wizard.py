from odoo import api, fields, models

from ..models.complaint_complaint import SEVERITIES


class ComplaintAssessWizard(models.TransientModel):
    _name = "complaint.assess.wizard"
    _description = "Initial Assessment of a Complaint"

    complaint_id = fields.Many2one("complaint.complaint", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id")
    decision = fields.Selection(
        [("accept", "It is a complaint"), ("reject", "It is not a complaint")],
        required=True,
        default="accept",
    )
    category_id = fields.Many2one(
        "complaint.category", compute="_compute_category_id", store=True, readonly=False
    )
    severity = fields.Selection(SEVERITIES, compute="_compute_severity", store=True, readonly=False)
    immediate_action = fields.Text(
        compute="_compute_immediate_action",
        store=True,
        readonly=False,
        help="Containment before the root-cause work, e.g. stop shipping the lot. "
        "Needed to accept the complaint.",
    )
    team_id = fields.Many2one(
        "complaint.team",
        string="CFT",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="The cross-functional team that investigates the complaint: its head, members "
        "and quality people follow it and are told. Needed to accept the complaint.",
    )
    reject_reason = fields.Text(string="Reason", help="Sent to the customer.")

    # Filled from what the complaint already knows: the officer confirms or
    # corrects it. One method a field: a value given at creation protects only
    # its own field, the others still come from the complaint.
    @api.depends("complaint_id")
    def _compute_category_id(self):
        for wizard in self:
            wizard.category_id = wizard.complaint_id.category_id

    @api.depends("complaint_id")
    def _compute_severity(self):
        for wizard in self:
            wizard.severity = wizard.complaint_id.severity

    @api.depends("complaint_id")
    def _compute_immediate_action(self):
        for wizard in self:
            wizard.immediate_action = wizard.complaint_id.immediate_action

    @api.depends("complaint_id")
    def _compute_team_id(self):
        for wizard in self:
            wizard.team_id = wizard.complaint_id.team_id

    def action_confirm(self):
        self.ensure_one()
        complaint = self.complaint_id
        accepted = self.decision == "accept"
        values = {}
        if accepted:
            # Only what the officer changed: the complaint's own write (its role
            # checks, the CFT told of a new team) runs for a real change only.
            for fname in ("category_id", "severity", "team_id"):
                if self[fname] != complaint[fname]:
                    value = self[fname]
                    values[fname] = value.id if isinstance(value, models.BaseModel) else value
        complaint._assess(
            accepted,
            reason=self.reject_reason,
            immediate_action=self.immediate_action if accepted else False,
            values=values,
        )
        return {"type": "ir.actions.act_window_close"}
