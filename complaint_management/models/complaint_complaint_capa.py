from odoo import api, fields, models
from odoo.tools import html2plaintext

from .complaint_complaint import EMPLOYEES
from .complaint_stage import STEP_ORDER

# Where the internal response stands, as the complaint shows it.
CAPA_STATES = [
    ("none", "No corrective action"),
    ("open", "In progress"),
    ("done", "Actions closed"),
    ("verified", "Effectiveness verified"),
]
# The steps that need the internal response when the company's policy asks for
# it: the later steps are only reached through them.
CAPA_GATED_STEPS = ("response_proposed", "awaiting_approval")


class ComplaintComplaint(models.Model):
    """The internal response: nonconformities and corrective actions (OCA
    management system)."""

    _inherit = "complaint.complaint"

    # response
    action_ids = fields.Many2many(
        "mgmtsystem.action",
        "complaint_mgmtsystem_action_rel",
        "complaint_id",
        "action_id",
        string="Corrective Actions",
        copy=False,
        groups=EMPLOYEES,
    )
    action_count = fields.Integer(compute="_compute_action_count", groups=EMPLOYEES)
    nonconformity_id = fields.Many2one(
        "mgmtsystem.nonconformity", copy=False, tracking=True, groups=EMPLOYEES
    )
    # the company's policy and where the internal response stands
    capa_required = fields.Boolean(
        string="Corrective Action Required",
        compute="_compute_capa_required",
        help="By the company's policy (the complaint's severity, or a root cause that is a "
        "product or process nonconformity), a nonconformity with a corrective action must "
        "be recorded before the response is proposed to the customer.",
        groups=EMPLOYEES,
    )
    capa_state = fields.Selection(
        CAPA_STATES,
        string="Internal Response",
        compute="_compute_capa_summary",
        help="Where the corrective actions of the complaint and of its nonconformity stand. "
        "Effectiveness verified: the nonconformity is closed after its effectiveness "
        "evaluation.",
        groups=EMPLOYEES,
    )
    capa_date_closed = fields.Datetime(
        string="Corrective Actions Closed on",
        compute="_compute_capa_summary",
        groups=EMPLOYEES,
    )
    capa_effectiveness = fields.Text(
        string="Effectiveness Evaluation",
        compute="_compute_capa_summary",
        help="Conclusions of the nonconformity's effectiveness evaluation.",
        groups=EMPLOYEES,
    )

    def _compute_action_count(self):
        for complaint in self:
            complaint.action_count = len(complaint.action_ids)

    @api.depends(
        "severity",
        "root_cause_id.is_nonconformity",
        "company_id.complaint_capa_min_severity",
        "company_id.complaint_capa_on_nonconformity",
    )
    def _compute_capa_required(self):
        for complaint in self:
            complaint.capa_required = bool(complaint._capa_requirement())

    @api.depends(
        "action_ids.stage_id",
        "action_ids.type_action",
        "action_ids.date_closed",
        "nonconformity_id.state",
        "nonconformity_id.evaluation_comments",
        "nonconformity_id.action_ids.stage_id",
    )
    def _compute_capa_summary(self):
        for complaint in self:
            nonconformity = complaint.sudo().nonconformity_id
            actions = complaint._capa_actions()
            closed = actions.filtered("stage_id.is_ending")
            if not actions:
                state = "none"
            elif closed != actions:
                state = "open"
            elif nonconformity.state == "done":
                state = "verified"
            else:
                state = "done"
            complaint.capa_state = state
            complaint.capa_date_closed = (
                max(closed.mapped("date_closed"), default=False)
                if state in ("done", "verified")
                else False
            )
            complaint.capa_effectiveness = nonconformity.evaluation_comments or False

    def _capa_requirement(self):
        """Why the company's policy wants a nonconformity with a corrective
        action for the complaint: "root_cause", "severity" or False."""
        self.ensure_one()
        company = self.company_id or self.env.company
        if company.complaint_capa_on_nonconformity and self.root_cause_id.is_nonconformity:
            return "root_cause"
        threshold = company.complaint_capa_min_severity
        if threshold and self.severity and int(self.severity) >= int(threshold):
            return "severity"
        return False

    def _capa_actions(self):
        """The corrective actions that answer for the complaint: its own and
        those of its nonconformity (one systemic fix may cover the complaints
        sharing it). Containment (immediate actions) and cancelled actions do
        not count. Read with rights: the procedure's rule and its summary hold
        whoever looks."""
        self.ensure_one()
        complaint = self.sudo()
        cancelled = self.env.ref("mgmtsystem_action.stage_cancel", raise_if_not_found=False)
        actions = complaint.action_ids | complaint.nonconformity_id.action_ids
        return actions.filtered(
            lambda a: a.type_action != "immediate" and (not cancelled or a.stage_id != cancelled)
        )

    def _step_gate_error(self, step):
        error = super()._step_gate_error(step)
        if error or step not in CAPA_GATED_STEPS:
            return error
        if self.step and STEP_ORDER[self.step] > STEP_ORDER[step]:
            # Back to the response after the customer's rejection or a reopening
            # survey: the customer's answer never waits on internal paperwork;
            # the next proposal is checked.
            return False
        requirement = self._capa_requirement()
        if not requirement:
            return False
        nonconformity = self.sudo().nonconformity_id
        if nonconformity and nonconformity.state != "cancel" and self._capa_actions():
            return False
        if requirement == "root_cause":
            return self.env._(
                "its root cause (%s) is a product or process nonconformity: record the "
                "nonconformity and a corrective action (internal response) before the "
                "response is proposed.",
                self.root_cause_id.name,
            )
        return self.env._(
            "its severity (%s) requires a nonconformity with a corrective action (internal "
            "response) before the response is proposed.",
            dict(self._fields["severity"]._description_selection(self.env))[self.severity],
        )

    def action_create_nonconformity(self):
        """Record the nonconformity behind the complaint. Complaints with the same
        root cause about the same product share one open nonconformity, so that one
        systemic fix (CAPA) covers them all."""
        self._check_group("complaint_management.group_complaint_cft")
        for complaint in self.filtered(lambda c: not c.nonconformity_id):
            nonconformity = complaint._find_shared_nonconformity()
            if nonconformity:
                complaint.nonconformity_id = nonconformity
                if complaint.action_ids:
                    nonconformity.action_ids = [
                        fields.Command.link(action.id) for action in complaint.action_ids
                    ]
                body = self.env._(
                    "Linked to nonconformity %s, open for the same root cause and product.",
                    nonconformity.ref,
                )
            else:
                complaint.nonconformity_id = self.env["mgmtsystem.nonconformity"].create(
                    complaint._prepare_nonconformity_vals()
                )
                body = self.env._("Nonconformity %s recorded.", complaint.nonconformity_id.ref)
            complaint.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def _find_shared_nonconformity(self):
        self.ensure_one()
        if not (self.root_cause_id and self.product_id):
            return self.env["mgmtsystem.nonconformity"]
        return self.search(
            [
                ("id", "!=", self.id),
                ("root_cause_id", "=", self.root_cause_id.id),
                ("product_id", "=", self.product_id.id),
                ("nonconformity_id.state", "not in", ("done", "cancel")),
                ("company_id", "=", self.company_id.id),
            ],
            limit=1,
        ).nonconformity_id

    def _prepare_nonconformity_vals(self):
        self.ensure_one()
        origin = self.env.ref("mgmtsystem_nonconformity.nc_origin_external_client")
        manager = self.company_id.complaint_manager_id or self.env.user
        return {
            "name": self.env._("%(code)s: %(subject)s", code=self.name, subject=self.subject),
            "partner_id": self.partner_id.id,
            "responsible_user_id": (self.team_id.head_id or self.env.user).id,
            "manager_user_id": manager.id,
            "user_id": self.env.user.id,
            "origin_ids": [fields.Command.set(origin.ids)],
            "description": "\n".join(
                filter(
                    None,
                    [
                        self.env._("Product: %s", self.product_id.display_name)
                        if self.product_id
                        else "",
                        self.env._("Root cause: %s", self.root_cause_id.name)
                        if self.root_cause_id
                        else "",
                        html2plaintext(self.description or "") or self.subject,
                    ],
                )
            ),
            "analysis": html2plaintext(self.root_cause_analysis or "") or False,
            "action_ids": [fields.Command.set(self.action_ids.ids)],
            "complaint_ids": [fields.Command.set(self.ids)],
            "company_id": self.company_id.id,
        }

    def action_new_corrective_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Corrective Action"),
            "res_model": "mgmtsystem.action",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_name": self.env._("Corrective action for %s", self.name),
                "default_type_action": "correction",
                "default_complaint_ids": [fields.Command.set(self.ids)],
                "default_reference": self.name,
            },
        }

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mgmtsystem_action.open_mgmtsystem_action_list"
        )
        action["domain"] = [("id", "in", self.action_ids.ids)]
        action["context"] = {
            "default_complaint_ids": [fields.Command.set(self.ids)],
            "default_type_action": "correction",
            "default_reference": self.name,
        }
        return action
