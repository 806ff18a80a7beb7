from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, clean_context, format_datetime

from ..tools.jalali import format_jalali_utc, is_persian
from .complaint_complaint import EMPLOYEES
from .complaint_stage import CLOSED_STEPS, STEP_ORDER, STEPS

OFFICER = "complaint_management.group_complaint_officer"
MANAGER = "complaint_management.group_complaint_manager"

ACK_METHODS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("phone", "Phone call"),
    ("in_person", "In person"),
]
# The steps that wait for the customer's move (the company's clock stops).
CUSTOMER_TURN_STEPS = ("awaiting_approval", "survey")
# The moves a user may ask for by writing the stage (kanban drag and drop, an
# import, RPC): (from, to) -> the transition that makes it. Every other move is
# refused with the action to use (see _move_refusal).
STAGE_MOVES = {
    ("assessed", "investigation"): "action_start_investigation",
    ("investigation", "response_proposed"): "action_prepare_response",
    ("investigation", "awaiting_approval"): "action_propose_response",
    ("response_proposed", "awaiting_approval"): "action_propose_response",
    ("in_execution", "survey"): "action_end_execution",
}
# The to-dos of each step (activity types, by xmlid): marked done once the
# complaint has left the step. "Late" to-dos end with the step they were late in.
STEP_ACTIVITY_TYPES = {
    "received": ("mail_activity_type_assess",),
    "acknowledged": ("mail_activity_type_assess",),
    "investigation": ("mail_activity_type_root_cause", "mail_activity_type_field_visit"),
    "response_proposed": ("mail_activity_type_rejection",),
    "survey": ("mail_activity_type_survey_call",),
}
PROCEDURE_ACTIVITY_TYPES = (
    "mail_activity_type_assess",
    "mail_activity_type_root_cause",
    "mail_activity_type_field_visit",
    "mail_activity_type_rejection",
    "mail_activity_type_survey_call",
    "mail_activity_type_late",
)


class ComplaintComplaint(models.Model):
    """The procedure's steps: the gates, the transitions from acknowledgement to
    the final survey, and the fields they fill."""

    _inherit = "complaint.complaint"

    round = fields.Integer(
        default=1,
        readonly=True,
        copy=False,
        # Rounds per complaint: a sum of them means nothing.
        aggregator="avg",
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
    next_actor = fields.Selection(
        [("company", "Our turn"), ("customer", "Waiting for the customer")],
        string="Who Acts Next",
        compute="_compute_next_actor",
        search="_search_next_actor",
        help="Whose move the current step waits for: the company's, or the customer's "
        "(their decision on a proposal, their survey answer).",
        groups=EMPLOYEES,
    )

    @api.depends("approval_ids.state")
    def _compute_rejection_count(self):
        for complaint in self:
            complaint.rejection_count = len(
                complaint.approval_ids.filtered(lambda a: a.state == "rejected")
            )

    @api.depends("step")
    def _compute_next_actor(self):
        for complaint in self:
            if complaint.is_closed:
                complaint.next_actor = False
            elif complaint.step in CUSTOMER_TURN_STEPS and not complaint._survey_waits_for_call():
                complaint.next_actor = "customer"
            else:
                complaint.next_actor = "company"

    def _search_next_actor(self, operator, value):
        """Waiting for the customer: their decision or their survey answer, but
        not a portal "fully satisfied" the officer must still confirm by phone
        (that one is the company's turn, as on the card)."""
        if operator not in ("=", "!=") or value not in ("customer", "company"):
            return NotImplemented
        surveys = self.env["complaint.survey"].sudo()
        answers = surveys.search(
            [
                ("complaint_id.step", "=", "survey"),
                ("complaint_id.company_id.complaint_survey_phone_confirm", "=", True),
                ("channel", "=", "portal"),
                ("fully_satisfied", "=", True),
            ]
        )
        awaiting_call = answers.filtered(lambda s: s.round == s.complaint_id.round).complaint_id
        customer = ["&", ("step", "in", CUSTOMER_TURN_STEPS), ("id", "not in", awaiting_call.ids)]
        if (operator == "=") == (value == "customer"):
            return customer
        return ["&", ("is_closed", "=", False), "!", *customer]

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
        """The scores of the last survey (1 to 5); 0 while there is none: the
        ORM stores an empty integer as 0, which the queries read as empty
        (see _field_to_sql), so that an average counts surveyed complaints only."""
        for complaint in self:
            last = complaint.survey_ids.sorted("id")[-1:]
            complaint.satisfaction_result = int(last.result_score) if last else False
            complaint.satisfaction_process = int(last.process_score) if last else False

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        sql = super()._field_to_sql(alias, fname, query, flush)
        if fname in ("satisfaction_result", "satisfaction_process"):
            # No survey (0) is no score: averages, filters and groups skip it.
            return SQL("NULLIF(%s, 0)", sql)
        return sql

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
        if step in ("received", "cancelled"):
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
            if survey.channel == "portal" and self.company_id.complaint_survey_phone_confirm:
                return self.env._("the customer's answer has not been confirmed by phone.")
        if order >= STEP_ORDER["survey"] and step != "rejected" and self._open_response_lines():
            return self.env._("not every approved response has been carried out.")
        return False

    def _open_response_lines(self):
        """The approved response lines of the current proposal not yet done."""
        self.ensure_one()
        return self._current_approval().resolution_ids.filtered(lambda r: r.state != "done")

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
        self._procedure_write({"stage_id": stage.id})

    def _request_step(self, stage):
        """A stage written by hand (kanban drag and drop, an import, RPC): run
        the transition that makes the move, or refuse it with the action to use."""
        for complaint in self:
            if complaint.stage_id == stage:
                continue
            if complaint.step == stage.step:
                # Another stage of the same step: the company's own layout.
                complaint._check_group(OFFICER)
                complaint._procedure_write({"stage_id": stage.id})
                continue
            method = STAGE_MOVES.get((complaint.step, stage.step))
            if not method:
                raise UserError(
                    self.env._(
                        "Complaint %(code)s cannot be moved to “%(stage)s”: %(reason)s",
                        code=complaint.name,
                        stage=stage.name,
                        reason=complaint._move_refusal(stage.step),
                    )
                )
            getattr(complaint, method)()
            if complaint.step == stage.step and complaint.stage_id != stage:
                complaint._procedure_write({"stage_id": stage.id})

    def _move_refusal(self, step):
        """Why a complaint does not move to ``step`` by hand, and what to do."""
        self.ensure_one()
        if self.is_closed:
            return self.env._("it is closed; a manager reopens it (“Reopen”) to work on it again.")
        if step == "cancelled":
            return self.env._("a manager cancels a complaint, with a reason (“Cancel”).")
        if STEP_ORDER[step] < STEP_ORDER[self.step] or step == "rejected":
            if step == "rejected":
                return self.env._(
                    "only the assessment (“Assess”) finds that it is not a complaint."
                )
            return self.env._(
                "the procedure goes back only through its loops: a customer's rejection "
                "returns to the response, an unsatisfied survey starts a new round, a "
                "manager reopens or cancels."
            )
        hint = {
            "received": self.env._(
                "first tell the customer that it was received (“Acknowledged by Phone”, "
                "“Acknowledged in Person”, or the acknowledgement email)."
            ),
            "acknowledged": self.env._("assess it first (“Assess”)."),
            "awaiting_approval": self.env._("record the customer's answer (“Customer's Answer”)."),
            "survey": self.env._("record the final survey (“Final Survey”)."),
        }.get(self.step)
        return hint or self.env._(
            "the procedure moves one step at a time; use the buttons of the current step."
        )

    def action_prepare_response(self):
        """The root cause is found: the complaint waits for its response."""
        self._check_group(OFFICER)
        for complaint in self:
            if complaint.step != "investigation":
                raise UserError(
                    self.env._("Complaint %s is not under investigation.", complaint.name)
                )
            error = complaint._step_gate_error("response_proposed")
            if error:
                raise UserError(error)
        self._move_to_step("response_proposed")
        return True

    def action_end_execution(self):
        """Execution ends when every approved response is carried out: through
        its documents, which end it themselves; this only checks and says why not."""
        self._check_group(OFFICER)
        self._finish_execution_if_done()
        for complaint in self.filtered(lambda c: c.step == "in_execution"):
            raise UserError(
                self.env._(
                    "Complaint %(code)s stays in execution until every approved response is "
                    "carried out through its document. Still to do: %(lines)s",
                    code=complaint.name,
                    lines=", ".join(complaint._open_response_lines().mapped("display_name")) or "-",
                )
            )
        return True

    def action_open_reopen_wizard(self):
        return self._open_wizard(
            "complaint.reopen.wizard",
            self.env._("Reopen Complaint"),
            {"default_complaint_id": self.id, "default_mode": "reopen"},
        )

    def action_open_cancel_wizard(self):
        return self._open_wizard(
            "complaint.reopen.wizard",
            self.env._("Cancel Complaint"),
            {"default_complaint_id": self.id, "default_mode": "cancel"},
        )

    def _reopen(self, reason, reopen_step="investigation"):
        """A manager reopens a closed complaint, with a reason: a closed one
        starts a new round, one found "not a complaint" is assessed again, a
        cancelled one goes back to the step it was cancelled at."""
        self._check_group(MANAGER)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for reopening the complaint."))
        if reopen_step not in ("investigation", "response_proposed"):
            raise UserError(self.env._("Reopen at the investigation or at the response."))
        for complaint in self:
            if not complaint.is_closed:
                raise UserError(self.env._("Complaint %s is not closed.", complaint.name))
            vals = {"round": complaint.round + 1}
            if complaint.step == "closed":
                step = reopen_step
            elif complaint.step == "rejected":
                step = "acknowledged"
                vals.update(
                    assessment=False,
                    reject_reason=False,
                    date_assessed=False,
                    assessed_user_id=False,
                )
            else:
                vals = {}
                step = complaint._step_before_closing()
            complaint = complaint.with_context(complaint_step_reason=reason)
            if vals:
                complaint._procedure_write(vals)
            complaint._move_to_step(step)
            complaint.message_post(
                body=self.env._(
                    "Reopened by %(user)s: %(reason)s. Round %(round)s, at %(step)s.",
                    user=self.env.user.name,
                    reason=reason,
                    round=complaint.round,
                    step=dict(STEPS)[step],
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._notify_customer("reopened")
        return True

    def _step_before_closing(self):
        self.ensure_one()
        last = self.env["complaint.step.log"].search(
            [("complaint_id", "=", self.id), ("step", "not in", CLOSED_STEPS)],
            order="id desc",
            limit=1,
        )
        return last.step or ("acknowledged" if self.date_acknowledged else "received")

    def _cancel(self, reason):
        """A manager cancels an open complaint (a duplicate the merge cannot
        take, a customer who withdraws), with a reason."""
        self._check_group(MANAGER)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for cancelling the complaint."))
        closed = self.filtered("is_closed")
        if closed:
            raise UserError(
                self.env._("Complaint %s is already closed.", ", ".join(closed.mapped("name")))
            )
        self.with_context(complaint_step_reason=reason)._move_to_step("cancelled")
        for complaint in self:
            complaint.message_post(
                body=self.env._(
                    "Cancelled by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        # ISO 10002: the complainant hears of the decision and of its reason.
        self._notify_customer("cancelled")
        return True

    def _cancel_reason(self):
        """Why the complaint was last cancelled, as the manager gave it (the
        audit trail's passage to “Cancelled”): the cancellation notice says it."""
        self.ensure_one()
        passages = self.sudo().step_log_ids.filtered(lambda log: log.step == "cancelled")
        return passages.sorted("id")[-1:].note or ""

    def _notice_datetime(self, value, lang):
        """A date and time in one language's part of a customer notice, in the
        customer's time zone: Jalali with Persian digits in Persian, whether or
        not that language is installed (an email may carry both parts)."""
        self.ensure_one()
        if not value:
            return ""
        tz = self._customer_tz()
        if is_persian(lang):
            return format_jalali_utc(value, tz)
        return format_datetime(self.env, value, tz=tz, dt_format="medium", lang_code=lang)

    def _notify_customer(self, notice):
        """Tell the customers of these complaints of a turn of their complaint,
        in their language: ``notice`` is ``accepted`` or ``declined`` (their
        decision recorded), ``reopened``, ``closed`` or ``cancelled``. A message
        to the customer in the chatter (the portal shows it too), which emails
        them; the SMS addon adds an SMS. A customer with neither an email
        address nor a mobile number gets nothing: a note tells the staff to call."""
        complaints = self.with_context(clean_context(self.env.context))
        unreached = complaints - complaints._send_customer_notice(notice)
        if unreached:
            template = self.env.ref(
                f"complaint_management.mail_template_complaint_{notice}",
                raise_if_not_found=False,
            )
            text = self.env._(
                "The customer was not told of this (“%s”): no email address or mobile number "
                "to write to. Tell them by phone.",
                template.sudo().name or notice,
            )
            unreached.sudo()._message_log_batch(dict.fromkeys(unreached.ids, text))

    def _send_customer_notice(self, notice):
        """Email the notice to the customers who have an email address, as a
        message in the chatter; return the complaints whose customer it reached.
        The SMS addon adds the SMS it sends."""
        template = self.env.ref(
            f"complaint_management.mail_template_complaint_{notice}", raise_if_not_found=False
        )
        emailed = self.filtered(lambda c: c.partner_id.email) if template else self.browse()
        for complaint in emailed.sudo():
            complaint.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return emailed

    def _close_passed_activities(self):
        """Mark done the procedure's to-dos of the steps these complaints have
        left: a step passed leaves no to-do of its own behind."""
        types = {
            xmlid: self.env.ref(f"complaint_management.{xmlid}", raise_if_not_found=False)
            for xmlid in PROCEDURE_ACTIVITY_TYPES
        }
        ours = self.env["mail.activity.type"].union(*filter(None, types.values()))
        # The procedure closes its own to-dos, whoever they are assigned to.
        activities = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id in ours)
        passed = activities.filtered(
            lambda a: (
                a.activity_type_id.id
                not in [
                    types[xmlid].id
                    for xmlid in STEP_ACTIVITY_TYPES.get(self.browse(a.res_id).step, ())
                    if types[xmlid]
                ]
            )
        )
        if passed:
            passed.action_feedback(feedback=self.env._("Step passed."))

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
            method=dict(self._fields["ack_method"]._description_selection(self.env))[method],
            user=self.env.user.name,
        )
        self._message_log_batch(dict.fromkeys(self.ids, text))

    def action_acknowledge_phone(self):
        return self._action_acknowledge("phone")

    def action_acknowledge_in_person(self):
        return self._action_acknowledge("in_person")

    def _action_acknowledge(self, method):
        self._check_group(OFFICER)
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

    def _assess(self, accepted, reason=False, immediate_action=False, values=None):
        """Outcome of the initial assessment. ``values``: what the assessment
        also sets on the complaint (category, severity, CFT), written by the
        complaint's own write (its role checks; a new CFT is told). Accepted,
        a complaint needs its containment and its CFT, given here or already
        recorded: the investigation starts from them."""
        self._check_group(OFFICER)
        values = dict(values or {})
        if accepted and (immediate_action or "").strip():
            values["immediate_action"] = immediate_action
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
            if not accepted:
                continue
            containment = values.get("immediate_action", complaint.immediate_action)
            team = values.get("team_id", complaint.team_id)
            missing = []
            if not (containment or "").strip():
                missing.append(
                    self.env._(
                        "Record the immediate action (containment) of complaint %s before "
                        "accepting it.",
                        complaint.name,
                    )
                )
            if not team:
                missing.append(
                    self.env._(
                        "Choose the cross-functional team (CFT) that investigates complaint %s "
                        "before accepting it.",
                        complaint.name,
                    )
                )
            if missing:
                raise UserError("\n".join(missing))
        if not accepted and not (reason or "").strip():
            raise UserError(
                self.env._("Give the reason why this is not a complaint; the customer is told.")
            )
        if values:
            self.write(values)
        vals = {
            "date_assessed": fields.Datetime.now(),
            "assessed_user_id": self.env.user.id,
            "assessment": "accepted" if accepted else "rejected",
        }
        if accepted:
            self._procedure_write(vals)
            self._move_to_step("assessed")
            return
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
        self._check_group(OFFICER)
        for complaint in self:
            error = complaint._step_gate_error("investigation")
            if error:
                raise UserError(error)
        self._procedure_write({"date_investigation": fields.Datetime.now()})
        self._move_to_step("investigation")
        for complaint in self:
            if complaint.team_id.head_id:
                complaint.activity_schedule(
                    "complaint_management.mail_activity_type_root_cause",
                    user_id=complaint.team_id.head_id.id,
                    summary=self.env._(
                        "Find the root cause of %s (plan field visit / customer contact)",
                        complaint.name,
                    ),
                )
        return True

    def action_propose_response(self):
        """Put the draft external response lines to the customer for approval."""
        self._check_group(OFFICER)
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
        self._check_group(OFFICER)
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
                    "complaint_management.mail_activity_type_rejection",
                    user_id=owner.id,
                    summary=self.env._("The customer rejected the proposed response"),
                    note=reason,
                )
        # Confirmed in writing, also after the portal's own thank-you page.
        self._notify_customer("accepted" if accepted else "declined")

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
                "complaint_management.mail_activity_type_survey_call",
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
        self._check_group(OFFICER)
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
        fully satisfied (both scores at the company's threshold or above) closes,
        anything else starts a new round. With the company's phone confirmation,
        a customer's own "fully satisfied" waits for the officer's call."""
        by_customer = channel == "portal"
        closed = reopened = self.browse()
        for complaint in self:
            if complaint.step != "survey":
                raise UserError(
                    self.env._("Complaint %s is not at the final survey.", complaint.name)
                )
            if by_customer and complaint._survey_waits_for_call():
                raise UserError(
                    self.env._("Your answer is recorded; we will call you to confirm it.")
                )
            threshold = complaint.company_id.complaint_satisfaction_threshold or 4
            low = min(int(result_score), int(process_score)) < threshold
            if fully_satisfied and low:
                if not by_customer:
                    raise UserError(
                        self.env._(
                            "“Fully satisfied” needs both scores at %(threshold)s of 5 or "
                            "more; the customer gave %(result)s and %(process)s. Correct the "
                            "scores, or leave it unticked to start a new round.",
                            threshold=threshold,
                            result=result_score,
                            process=process_score,
                        )
                    )
                # The customer's scores say otherwise: the complaint is worked on again.
                fully_satisfied = False
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
            confirm = complaint.company_id.complaint_survey_phone_confirm
            if fully_satisfied and by_customer and confirm:
                complaint.activity_schedule(
                    "complaint_management.mail_activity_type_survey_call",
                    user_id=(complaint.user_id or complaint.company_id.complaint_manager_id).id
                    or self.env.ref("base.user_admin").id,
                    summary=self.env._("Confirm the customer's answer by phone"),
                )
                continue
            if fully_satisfied:
                complaint._move_to_step("closed")
                closed |= complaint
                continue
            reopened |= complaint
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
        closed._notify_customer("closed")
        reopened._notify_customer("reopened")

    def _survey_waits_for_call(self):
        """The customer answered "fully satisfied" on the portal and the
        company confirms surveys by phone: the officer's call is due."""
        self.ensure_one()
        survey = self._current_survey()
        return bool(
            self.step == "survey"
            and survey.channel == "portal"
            and survey.fully_satisfied
            and self.company_id.complaint_survey_phone_confirm
        )

    def write(self, vals):
        teams = {complaint: complaint.team_id for complaint in self} if "team_id" in vals else {}
        result = super().write(vals)
        for complaint, team in teams.items():
            if complaint.team_id and complaint.team_id != team:
                complaint._tell_team()
        return result

    def _tell_team(self):
        """The CFT hears of a complaint its officer gives it: followers, told."""
        self.ensure_one()
        users = self.team_id.head_id | self.team_id.member_ids | self.team_id.quality_user_ids
        partners = users.partner_id
        self.message_subscribe(partner_ids=partners.ids)
        self.message_post(
            body=self.env._(
                "Complaint %(code)s is given to the team %(team)s (head: %(head)s).",
                code=self.name,
                team=self.team_id.name,
                head=self.team_id.head_id.name,
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=partners.ids,
        )
