from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .complaint_complaint import EMPLOYEES
from .complaint_stage import STEP_ORDER, STEPS

ACK_METHODS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("phone", "Phone call"),
    ("in_person", "In person"),
]


class ComplaintComplaint(models.Model):
    """The procedure's steps: the gates, the transitions from acknowledgement to
    the final survey, and the fields they fill."""

    _inherit = "complaint.complaint"

    round = fields.Integer(
        default=1,
        readonly=True,
        copy=False,
        help="How many times the cycle has run: a survey that is not fully satisfied "
        "starts a new round.",
        groups=EMPLOYEES,
    )
    # acknowledgement
    date_acknowledged = fields.Datetime(string="Acknowledged on", readonly=True, copy=False)
    ack_user_id = fields.Many2one(
        "res.users", string="Acknowledged by", readonly=True, copy=False, groups=EMPLOYEES
    )
    ack_method = fields.Selection(
        ACK_METHODS, string="Acknowledged by way of", readonly=True, copy=False, groups=EMPLOYEES
    )
    # assessment
    assessment = fields.Selection(
        [("accepted", "Accepted as a complaint"), ("rejected", "Not a complaint")],
        readonly=True,
        copy=False,
        tracking=True,
        groups=EMPLOYEES,
    )
    reject_reason = fields.Text(
        string="Reason for Rejection", readonly=True, copy=False, groups=EMPLOYEES
    )
    date_assessed = fields.Datetime(
        string="Assessed on", readonly=True, copy=False, groups=EMPLOYEES
    )
    assessed_user_id = fields.Many2one(
        "res.users", string="Assessed by", readonly=True, copy=False, groups=EMPLOYEES
    )
    immediate_action = fields.Text(
        tracking=True,
        help="Containment before the root-cause work starts, e.g. stop shipping the lot.",
        groups=EMPLOYEES,
    )
    # investigation
    team_id = fields.Many2one(
        "complaint.team", string="CFT", tracking=True, index=True, groups=EMPLOYEES
    )
    team_head_id = fields.Many2one(related="team_id.head_id", string="CFT Head", groups=EMPLOYEES)
    root_cause_id = fields.Many2one("complaint.root.cause", tracking=True, groups=EMPLOYEES)
    root_cause_analysis = fields.Html(groups=EMPLOYEES)
    date_investigation = fields.Datetime(string="Investigation started", readonly=True, copy=False)
    resolution_ids = fields.One2many(
        "complaint.resolution", "complaint_id", string="External Response", groups=EMPLOYEES
    )
    approval_ids = fields.One2many(
        "complaint.approval", "complaint_id", string="Approval Rounds", groups=EMPLOYEES
    )
    survey_ids = fields.One2many(
        "complaint.survey", "complaint_id", string="Surveys", groups=EMPLOYEES
    )
    proposal_count = fields.Integer(compute="_compute_proposal_count", groups=EMPLOYEES)
    date_approved = fields.Datetime(string="Approved on", readonly=True, copy=False)
    date_executed = fields.Datetime(string="Executed on", readonly=True, copy=False)
    satisfaction_result = fields.Integer(
        compute="_compute_last_survey", store=True, aggregator="avg", groups=EMPLOYEES
    )
    satisfaction_process = fields.Integer(
        compute="_compute_last_survey", store=True, aggregator="avg", groups=EMPLOYEES
    )
    rejection_count = fields.Integer(
        string="Rejected Proposals",
        compute="_compute_rejection_count",
        store=True,
        groups=EMPLOYEES,
    )
    is_reopened = fields.Boolean(
        string="Reopened", compute="_compute_is_reopened", store=True, groups=EMPLOYEES
    )

    @api.depends("approval_ids.state")
    def _compute_rejection_count(self):
        for complaint in self:
            complaint.rejection_count = len(
                complaint.approval_ids.filtered(lambda a: a.state == "rejected")
            )

    @api.depends("round")
    def _compute_is_reopened(self):
        for complaint in self:
            complaint.is_reopened = complaint.round > 1

    @api.depends("approval_ids")
    def _compute_proposal_count(self):
        for complaint in self:
            complaint.proposal_count = len(complaint.approval_ids)

    @api.depends("survey_ids.result_score", "survey_ids.process_score")
    def _compute_last_survey(self):
        for complaint in self:
            last = complaint.survey_ids.sorted("id")[-1:]
            complaint.satisfaction_result = int(last.result_score or 0)
            complaint.satisfaction_process = int(last.process_score or 0)

    def _check_step_gate(self, step):
        """The procedure's rules, enforced on the server whatever moves the stage
        (a button, a kanban drag-and-drop or a direct RPC write)."""
        for complaint in self:
            error = complaint._step_gate_error(step)
            if error:
                raise ValidationError(
                    self.env._(
                        "Complaint %(code)s cannot move to this stage: %(reason)s",
                        code=complaint.name,
                        reason=error,
                    )
                )

    def _step_gate_error(self, step):
        self.ensure_one()
        order = STEP_ORDER[step]
        if step == "received":
            return False
        if not self.date_acknowledged:
            return self.env._("the customer has not been told that the complaint was received.")
        if step == "rejected":
            if self.assessment != "rejected" or not self.reject_reason:
                return self.env._("it has not been assessed as “not a complaint” with a reason.")
            return False
        if order >= STEP_ORDER["assessed"] and self.assessment != "accepted":
            return self.env._("it has not been assessed and accepted as a complaint.")
        if order >= STEP_ORDER["investigation"]:
            if not self.immediate_action:
                return self.env._("no immediate action (containment) has been recorded.")
            if not self.team_id:
                return self.env._("no cross-functional team (CFT) is assigned.")
        if order >= STEP_ORDER["response_proposed"] and not self.root_cause_id:
            return self.env._("the root cause has not been identified.")
        approval = self._current_approval()
        if step == "awaiting_approval" and (not approval or approval.state != "pending"):
            return self.env._("no response has been proposed to the customer.")
        if order >= STEP_ORDER["in_execution"] and (not approval or approval.state != "accepted"):
            return self.env._("the customer has not approved the proposed response.")
        if step == "closed":
            survey = self._current_survey()
            if not survey or not survey.fully_satisfied:
                return self.env._("the final survey has not found the customer fully satisfied.")
        return False

    def _current_approval(self):
        """The latest proposal of the current round."""
        self.ensure_one()
        return self.approval_ids.filtered(lambda a: a.round == self.round).sorted("id")[-1:]

    def _current_survey(self):
        self.ensure_one()
        return self.survey_ids.filtered(lambda s: s.round == self.round).sorted("id")[-1:]

    def _move_to_step(self, step):
        stage = self.env["complaint.stage"]._stage_for_step(step)
        if not stage:
            raise UserError(
                self.env._("No stage is configured for the step “%s”.", dict(STEPS)[step])
            )
        self.write({"stage_id": stage.id})

    def _record_acknowledgement(self, method):
        vals = {
            "date_acknowledged": fields.Datetime.now(),
            "ack_user_id": self.env.user.id,
            "ack_method": method,
        }
        received = self.filtered(lambda c: c.step == "received")
        (self - received)._procedure_write(vals)
        if received:
            stage = self.env["complaint.stage"]._stage_for_step("acknowledged")
            received._procedure_write(dict(vals, stage_id=stage.id) if stage else vals)
        text = self.env._(
            "Receipt acknowledged to the customer by %(method)s (%(user)s).",
            method=dict(ACK_METHODS)[method],
            user=self.env.user.name,
        )
        self._message_log_batch(dict.fromkeys(self.ids, text))
        self.activity_feedback(
            ["mail.mail_activity_data_todo"], feedback=self.env._("Acknowledged")
        )

    def action_acknowledge_phone(self):
        return self._action_acknowledge("phone")

    def action_acknowledge_in_person(self):
        return self._action_acknowledge("in_person")

    def _action_acknowledge(self, method):
        self._check_group("complaint_management.group_complaint_officer")
        done = self.filtered("date_acknowledged")
        if done:
            raise UserError(
                self.env._(
                    "Complaint %s has already been acknowledged.", ", ".join(done.mapped("name"))
                )
            )
        self._record_acknowledgement(method)
        return True

    def action_open_assess_wizard(self):
        return self._open_wizard("complaint.assess.wizard", self.env._("Assess Complaint"))

    def _assess(self, accepted, reason=False, immediate_action=False):
        """Outcome of the initial assessment."""
        self._check_group("complaint_management.group_complaint_officer")
        for complaint in self:
            if not complaint.date_acknowledged:
                raise UserError(
                    self.env._(
                        "Acknowledge complaint %s to the customer before assessing it.",
                        complaint.name,
                    )
                )
            if complaint.step != "acknowledged":
                raise UserError(
                    self.env._("Complaint %s has already been assessed.", complaint.name)
                )
        vals = {
            "date_assessed": fields.Datetime.now(),
            "assessed_user_id": self.env.user.id,
            "assessment": "accepted" if accepted else "rejected",
        }
        if accepted:
            if immediate_action:
                vals["immediate_action"] = immediate_action
            self._procedure_write(vals)
            self._move_to_step("assessed")
            return
        if not (reason or "").strip():
            raise UserError(
                self.env._("Give the reason why this is not a complaint; the customer is told.")
            )
        vals["reject_reason"] = reason
        self._procedure_write(vals)
        self._move_to_step("rejected")
        template = self.env.ref("complaint_management.mail_template_complaint_rejected")
        for complaint in self:
            if complaint.email and complaint.partner_id:
                complaint.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
            else:
                complaint.message_post(
                    body=self.env._("Not a complaint: %s. Tell the customer by phone.", reason),
                    subtype_xmlid="mail.mt_note",
                )

    def action_start_investigation(self):
        self._check_group("complaint_management.group_complaint_officer")
        for complaint in self:
            error = complaint._step_gate_error("investigation")
            if error:
                raise UserError(error)
        self._procedure_write({"date_investigation": fields.Datetime.now()})
        self._move_to_step("investigation")
        for complaint in self:
            if complaint.team_id.head_id:
                complaint.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=complaint.team_id.head_id.id,
                    summary=self.env._(
                        "Find the root cause of %s (plan field visit / customer contact)",
                        complaint.name,
                    ),
                )
        return True

    def action_plan_field_visit(self):
        """Meeting with the customer planned by the CFT head, on the calendar."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan a Field Visit"),
            "res_model": "mail.activity",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model_id": self.env["ir.model"]._get_id(self._name),
                "default_res_id": self.id,
                "default_activity_type_id": self.env.ref(
                    "complaint_management.mail_activity_type_field_visit"
                ).id,
                "default_user_id": (self.team_id.head_id or self.env.user).id,
            },
        }

    def action_propose_response(self):
        """Put the draft external response lines to the customer for approval."""
        self._check_group("complaint_management.group_complaint_officer")
        for complaint in self:
            if complaint.step not in ("investigation", "response_proposed"):
                raise UserError(
                    self.env._("Complaint %s is not at the response step.", complaint.name)
                )
            if complaint._step_gate_error("response_proposed"):
                raise UserError(complaint._step_gate_error("response_proposed"))
            lines = complaint.resolution_ids.filtered(lambda r: r.state == "draft")
            if not lines:
                raise UserError(
                    self.env._(
                        "Add at least one external response (repair, replacement, compensation, "
                        "refund, apology and gift) to propose to the customer."
                    )
                )
            if complaint.step == "investigation":
                complaint._move_to_step("response_proposed")
            approval = self.env["complaint.approval"]._procedure_create(
                [{"complaint_id": complaint.id, "round": complaint.round}]
            )
            lines._procedure_write({"approval_id": approval.id, "state": "proposed"})
            complaint._move_to_step("awaiting_approval")
        self._mail_customer("complaint_management.mail_template_complaint_approval_request")
        return True

    def action_open_approval_wizard(self):
        return self._open_wizard("complaint.approval.wizard", self.env._("Customer's Answer"))

    def _record_approval(self, accepted, reason=False, channel="phone"):
        """The customer's answer taken by the staff (phone call, visit)."""
        self._check_group("complaint_management.group_complaint_officer")
        self._apply_customer_decision(accepted, reason=reason, channel=channel)

    def _apply_customer_decision(self, accepted, reason=False, channel="phone"):
        """The one path of a customer's decision, whoever records it: the staff
        from a call, or the customer on the portal (sudo, after the token check)."""
        by_customer = channel == "portal"
        for complaint in self:
            approval = complaint._current_approval()
            if complaint.step != "awaiting_approval" or approval.state != "pending":
                raise UserError(
                    self.env._(
                        "Complaint %s has no response waiting for the customer's answer.",
                        complaint.name,
                    )
                )
            if not accepted and not (reason or "").strip():
                raise UserError(self.env._("Write down why the customer rejected the response."))
            approval._procedure_write(
                {
                    "state": "accepted" if accepted else "rejected",
                    "reason": reason,
                    "channel": channel,
                    "user_id": False if by_customer else self.env.user.id,
                    "date": fields.Datetime.now(),
                }
            )
            approval.resolution_ids._procedure_write(
                {"state": "approved" if accepted else "rejected"}
            )
            if accepted:
                complaint._procedure_write({"date_approved": fields.Datetime.now()})
                complaint._move_to_step("in_execution")
            else:
                complaint._move_to_step("response_proposed")
            body = self.env._(
                "Customer %(answer)s proposal %(number)s: %(reason)s",
                answer=self.env._("approved") if accepted else self.env._("rejected"),
                number=approval.sequence_number,
                reason=reason or "-",
            )
            owner = complaint.user_id or complaint.company_id.complaint_manager_id
            complaint.message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                author_id=complaint.partner_id.id if by_customer else None,
                partner_ids=owner.partner_id.ids if by_customer else [],
            )
            if not accepted and owner:
                complaint.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=owner.id,
                    summary=self.env._("The customer rejected the proposed response"),
                    note=reason,
                )

    def _finish_execution_if_done(self):
        for complaint in self.filtered(lambda c: c.step == "in_execution"):
            lines = complaint._current_approval().resolution_ids
            if lines and all(line.state == "done" for line in lines):
                complaint._finish_execution(
                    self.env._("Every approved response has been carried out.")
                )

    def _finish_execution(self, note):
        self._procedure_write({"date_executed": fields.Datetime.now()})
        self._move_to_step("survey")
        for complaint in self:
            complaint.message_post(
                body=self.env._("%s The final survey call is due.", note),
                subtype_xmlid="mail.mt_note",
            )
            complaint.activity_schedule(
                "mail.mail_activity_data_call",
                user_id=(complaint.user_id or self.env.user).id,
                summary=self.env._("Final survey call for %s", complaint.name),
            )
        self._mail_customer("complaint_management.mail_template_complaint_survey_request")

    def action_open_survey_wizard(self):
        return self._open_wizard("complaint.survey.wizard", self.env._("Final Survey"))

    def _record_survey(
        self,
        result_score,
        process_score,
        fully_satisfied,
        comment=False,
        reopen_step="investigation",
    ):
        """The final survey call, recorded by the staff."""
        self._check_group("complaint_management.group_complaint_officer")
        self._apply_survey(
            result_score, process_score, fully_satisfied, comment=comment, reopen_step=reopen_step
        )

    def _apply_survey(
        self,
        result_score,
        process_score,
        fully_satisfied,
        comment=False,
        reopen_step="investigation",
        channel="phone",
    ):
        """The one path of a survey answer, by phone or from the customer's link:
        fully satisfied closes, anything else starts a new round."""
        by_customer = channel == "portal"
        for complaint in self:
            if complaint.step != "survey":
                raise UserError(
                    self.env._("Complaint %s is not at the final survey.", complaint.name)
                )
            if not fully_satisfied and reopen_step not in ("investigation", "response_proposed"):
                raise UserError(self.env._("Reopen at the investigation or at the response."))
            self.env["complaint.survey"]._procedure_create(
                {
                    "complaint_id": complaint.id,
                    "round": complaint.round,
                    "result_score": result_score,
                    "process_score": process_score,
                    "fully_satisfied": fully_satisfied,
                    "comment": comment,
                    "reopen_step": False if fully_satisfied else reopen_step,
                    "channel": channel,
                    "user_id": False if by_customer else self.env.user.id,
                }
            )
            complaint.activity_feedback(["mail.mail_activity_data_call"])
            if by_customer:
                owner = complaint.user_id or complaint.company_id.complaint_manager_id
                complaint.message_post(
                    body=self.env._(
                        "The customer answered the final survey: result %(result)s/5, "
                        "process %(process)s/5, fully satisfied: %(satisfied)s. %(comment)s",
                        result=result_score,
                        process=process_score,
                        satisfied=self.env._("yes") if fully_satisfied else self.env._("no"),
                        comment=comment or "",
                    ),
                    subtype_xmlid="mail.mt_note",
                    author_id=complaint.partner_id.id,
                    partner_ids=owner.partner_id.ids,
                )
            if fully_satisfied:
                complaint._move_to_step("closed")
                continue
            complaint._procedure_write({"round": complaint.round + 1})
            complaint._move_to_step(reopen_step)
            complaint.message_post(
                body=self.env._(
                    "The customer is not fully satisfied: round %(round)s starts at %(step)s.",
                    round=complaint.round,
                    step=dict(STEPS)[reopen_step],
                ),
                subtype_xmlid="mail.mt_note",
            )
