import logging
import uuid
from collections import defaultdict
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import (
    SQL,
    clean_context,
    email_normalize,
    format_date,
    html2plaintext,
    plaintext2html,
)
from odoo.tools.mail import parse_contact_from_email
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.sql import create_index, escape_psql

from .complaint_deadline_rule import DEADLINE_STEP_OF
from .complaint_stage import CLOSED_STEPS, CUSTOMER_STEP_OF, CUSTOMER_STEPS, STEP_ORDER, STEPS
from .jalali import format_for_reader, format_jalali, format_jalali_utc, is_persian

_logger = logging.getLogger(__name__)

SEVERITIES = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Critical"),
]
# What only employees read: the company's own work on the complaint. Customers
# read the rest of their complaints (the portal shows them what is theirs).
EMPLOYEES = "base.group_user"
ACK_METHODS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("phone", "Phone call"),
    ("in_person", "In person"),
]


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _description = "Customer Complaint"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "subject", "partner_id.name", "phone", "email"]
    _primary_email = "email"
    _mail_post_access = "read"

    # ------------------------------------------------------------------ fields
    # The key of the links sent to the customer: read by the procedure (with
    # rights) to send them, never by the staff, who must not act as the customer.
    access_token = fields.Char(groups="base.group_system")
    name = fields.Char(
        string="Tracking Code",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default="/",
        tracking=True,
    )
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    color = fields.Integer(groups=EMPLOYEES)
    # In the default order, which customers' searches use too.
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    severity = fields.Selection(SEVERITIES, default="1", tracking=True, groups=EMPLOYEES)

    # customer
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, index=True, check_company=True
    )
    partner_name = fields.Char(string="Customer Name")
    phone = fields.Char(string="Contact Phone")
    email = fields.Char(string="Contact Email")

    # intake
    channel_id = fields.Many2one(
        "complaint.channel", tracking=True, default=lambda self: self._default_channel()
    )
    channel_type = fields.Selection(related="channel_id.channel_type", store=True)
    category_id = fields.Many2one("complaint.category", tracking=True, groups=EMPLOYEES)
    reported_by_id = fields.Many2one(
        "res.users",
        string="Reported by",
        default=lambda self: self.env.user,
        readonly=True,
        index=True,
        help="The employee who met the complaint and registered it.",
        groups=EMPLOYEES,
    )
    date_received = fields.Datetime(
        string="Received on", default=fields.Datetime.now, readonly=True, copy=False
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
        default=lambda self: self._default_user(),
        help="Process owner: the Customer Relations & After-Sales officer in charge.",
        groups=EMPLOYEES,
    )

    # documents behind the complaint
    product_id = fields.Many2one("product.product", tracking=True, check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        domain="[('product_id', '=?', product_id)]",
        check_company=True,
    )
    sale_order_id = fields.Many2one("sale.order", string="Sales Order", check_company=True)
    invoice_id = fields.Many2one(
        "account.move",
        domain=[("move_type", "in", ("out_invoice", "out_refund"))],
        check_company=True,
    )
    picking_id = fields.Many2one("stock.picking", string="Delivery", check_company=True)

    # pipeline
    stage_id = fields.Many2one(
        "complaint.stage",
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self.env["complaint.stage"]._stage_for_step("received"),
    )
    step = fields.Selection(related="stage_id.step", store=True, index=True)
    is_closed = fields.Boolean(compute="_compute_is_closed", store=True, index=True)
    date_closed = fields.Datetime(string="Closed on", readonly=True, copy=False)
    date_deadline = fields.Date(string="Deadline", tracking=True, groups=EMPLOYEES)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", groups=EMPLOYEES
    )
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
        ACK_METHODS, string="Acknowledged by way of", readonly=True, groups=EMPLOYEES
    )
    ack_email = fields.Char(
        string="Acknowledged by Email to",
        readonly=True,
        copy=False,
        groups="base.group_system",
        index="btree_not_null",
        help="The address the acknowledgement email of a complaint the customer filed "
        "went to; the limit per address counts these.",
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
        "res.users", string="Assessed by", readonly=True, groups=EMPLOYEES
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
    repair_count = fields.Integer(compute="_compute_document_counts", groups=EMPLOYEES)
    refund_count = fields.Integer(compute="_compute_document_counts", groups=EMPLOYEES)
    replacement_count = fields.Integer(compute="_compute_document_counts", groups=EMPLOYEES)
    gift_count = fields.Integer(compute="_compute_document_counts", groups=EMPLOYEES)
    date_approved = fields.Datetime(string="Approved on", readonly=True, copy=False)
    date_executed = fields.Datetime(string="Executed on", readonly=True, copy=False)
    satisfaction_result = fields.Integer(
        compute="_compute_last_survey", store=True, aggregator="avg", groups=EMPLOYEES
    )
    satisfaction_process = fields.Integer(
        compute="_compute_last_survey", store=True, aggregator="avg", groups=EMPLOYEES
    )

    # customer side
    customer_step = fields.Selection(
        CUSTOMER_STEPS,
        string="Status for the Customer",
        compute="_compute_customer_step",
        help="The step as the customer reads it on the portal and the tracking page.",
    )
    customer_reference = fields.Char(
        help="Order, invoice or product reference the customer gave on the public form.",
    )

    # deadlines and KPIs (working hours of the channel's calendar)
    step_log_ids = fields.One2many(
        "complaint.step.log", "complaint_id", string="Step Passages", groups=EMPLOYEES
    )
    step_deadline = fields.Datetime(
        readonly=True,
        copy=False,
        index=True,
        help="When the current step is due, in the working hours of the channel.",
        groups=EMPLOYEES,
    )
    step_late = fields.Boolean(
        string="Late", compute="_compute_step_late", search="_search_step_late", groups=EMPLOYEES
    )
    escalated_deadline = fields.Datetime(
        readonly=True,
        copy=False,
        help="The step deadline that has been escalated already.",
        groups=EMPLOYEES,
    )
    intake_pending = fields.Boolean(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Filed by the customer (public form, website API or email): the "
        "acknowledgement and the staff's notification are still to be done by the "
        "intake job, within a minute.",
    )
    ack_hours = fields.Float(
        string="Hours to Acknowledge", readonly=True, copy=False, aggregator="avg", groups=EMPLOYEES
    )
    response_hours = fields.Float(
        string="Hours to Response", readonly=True, copy=False, aggregator="avg", groups=EMPLOYEES
    )
    close_hours = fields.Float(
        string="Hours to Close",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours of the company, without the time spent waiting on the customer.",
        groups=EMPLOYEES,
    )
    customer_wait_hours = fields.Float(
        string="Hours Waiting on the Customer",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups=EMPLOYEES,
    )
    # Computed together, with rights: the customer reads the first one.
    date_received_jalali = fields.Char(
        string="Received on (Jalali)", compute="_compute_jalali_dates", compute_sudo=True
    )
    step_deadline_jalali = fields.Char(
        string="Step Deadline (Jalali)",
        compute="_compute_jalali_dates",
        compute_sudo=True,
        groups=EMPLOYEES,
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

    # duplicates / merge
    duplicate_ids = fields.Many2many(
        "complaint.complaint", compute="_compute_duplicate_ids", groups=EMPLOYEES
    )
    duplicate_count = fields.Integer(compute="_compute_duplicate_ids", groups=EMPLOYEES)
    merged_into_id = fields.Many2one(
        "complaint.complaint", readonly=True, copy=False, groups=EMPLOYEES
    )

    _sql_constraints = [
        ("name_company_uniq", "unique (name)", "The tracking code must be unique."),
    ]

    def init(self):  # pylint: disable=missing-return
        super().init()
        # The lists' default order: the first page is read from this index
        # instead of sorting every complaint (see tests/bench).
        create_index(
            self.env.cr,
            "complaint_complaint_list_order_index",
            self._table,
            ["priority DESC", "id DESC"],
        )
        # The kanban's count per stage, read from an index instead of the table
        # (index-only scan): over all complaints, and over the open ones as the
        # menu opens it, whose condition is the one the ORM writes for the
        # "Open" filter, so that PostgreSQL matches it (see tests/bench).
        create_index(
            self.env.cr,
            "complaint_complaint_kanban_index",
            self._table,
            ["company_id", "stage_id"],
            where="active",
        )
        create_index(
            self.env.cr,
            "complaint_complaint_open_kanban_index",
            self._table,
            ["company_id", "stage_id"],
            where="active AND (is_closed IS NULL OR is_closed = FALSE)",
        )
        # The intake job finds its few pending complaints among all of them.
        create_index(
            self.env.cr,
            "complaint_complaint_intake_pending_index",
            self._table,
            ["id"],
            where="intake_pending",
        )

    # ---------------------------------------------------------------- defaults
    @api.model
    def _default_channel(self):
        return self.env["complaint.channel"]._get_by_type("phone")

    @api.model
    def _default_user(self):
        return self.env.company.complaint_manager_id

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([("active", "=", True)], order=stages._order)

    # ---------------------------------------------------------------- computes
    @api.depends("step")
    def _compute_is_closed(self):
        for complaint in self:
            complaint.is_closed = complaint.step in CLOSED_STEPS

    def _past_due(self, field, now):
        """The open complaints of ``self`` whose ``field`` is before ``now``."""
        return self.filtered(lambda c: c[field] and not c.is_closed and c[field] < now)

    def _search_past_due(self, flag, field, now, operator, value):
        """Domain of the boolean ``flag``: open, and ``field`` before ``now``."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on %s.", self._fields[flag].string))
        domain = [(field, "<", now), ("is_closed", "=", False)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("date_deadline", "is_closed")
    def _compute_is_overdue(self):
        overdue = self._past_due("date_deadline", fields.Date.context_today(self))
        for complaint in self:
            complaint.is_overdue = complaint in overdue

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        return self._search_past_due("is_overdue", "date_deadline", today, operator, value)

    @api.depends("step")
    def _compute_customer_step(self):
        for complaint in self:
            complaint.customer_step = CUSTOMER_STEP_OF.get(complaint.step, "submitted")

    def _compute_step_late(self):
        late = self._past_due("step_deadline", fields.Datetime.now())
        for complaint in self:
            complaint.step_late = complaint in late

    def _search_step_late(self, operator, value):
        now = fields.Datetime.now()
        return self._search_past_due("step_late", "step_deadline", now, operator, value)

    @api.depends("date_received", "step_deadline")
    @api.depends_context("tz")
    def _compute_jalali_dates(self):
        """Jalali display of the dates next to Odoo's own widgets, for Persian users."""
        tz = self.env.context.get("tz") or self.env.user.tz or "Asia/Tehran"
        for complaint in self:
            complaint.date_received_jalali = format_jalali_utc(complaint.date_received, tz)
            complaint.step_deadline_jalali = format_jalali_utc(complaint.step_deadline, tz)

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

    def _compute_action_count(self):
        for complaint in self:
            complaint.action_count = len(complaint.action_ids)

    @api.depends(
        "resolution_ids.repair_id",
        "resolution_ids.refund_move_id",
        "resolution_ids.replacement_order_id",
        "resolution_ids.gift_card_id",
    )
    def _compute_document_counts(self):
        for complaint in self:
            lines = complaint.resolution_ids
            complaint.repair_count = len(lines.repair_id)
            complaint.refund_count = len(lines.refund_move_id)
            complaint.replacement_count = len(lines.replacement_order_id)
            complaint.gift_count = len(lines.gift_card_id)

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

    @api.depends("partner_id", "product_id", "sale_order_id", "is_closed")
    def _compute_duplicate_ids(self):
        """Open complaints of the same customer about the same product or order."""
        candidates = self.filtered(
            lambda c: c.partner_id and (c.product_id or c.sale_order_id) and not c.is_closed
        )
        found = self.browse()
        if candidates:
            found = self.search(
                [
                    ("partner_id", "in", candidates.partner_id.ids),
                    ("is_closed", "=", False),
                    "|",
                    ("product_id", "in", candidates.product_id.ids),
                    ("sale_order_id", "in", candidates.sale_order_id.ids),
                ]
            )
        for complaint in self:
            dups = self.browse()
            if complaint in candidates:
                dups = found.filtered(
                    lambda other, c=complaint: (
                        other != c
                        and other.partner_id == c.partner_id
                        and (
                            (c.product_id and other.product_id == c.product_id)
                            or (c.sale_order_id and other.sale_order_id == c.sale_order_id)
                        )
                    )
                )
            complaint.duplicate_ids = dups
            complaint.duplicate_count = len(dups)

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    # -------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            # The tracking code always comes from the sequence, whatever is given
            # (the mail gateway, for one, proposes the email's subject).
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            vals["name"] = sequence.with_company(company).next_by_code("complaint.complaint")
            if vals.get("phone"):
                vals["phone"] = self._normalize_phone(vals["phone"])
        self._match_partners(vals_list)
        for vals in vals_list:
            if vals.get("stage_id"):
                # A complaint is born received; every later step goes through its gate.
                stage = self.env["complaint.stage"].browse(vals["stage_id"])
                if stage.step != "received":
                    raise ValidationError(
                        self.env._(
                            "A new complaint starts at the step “Received”, not “%s”.", stage.name
                        )
                    )
        deferred = self.env.context.get("complaint_defer_intake")
        if deferred:
            for vals in vals_list:
                vals["intake_pending"] = True
        complaints = super().create(vals_list)
        complaints._start_step_clock(new=True)
        if deferred:
            # The customer who filed on a public page gets the tracking code on
            # screen at once; the emails and notifications follow from the job.
            self.env.ref("complaint_management.ir_cron_complaint_intake").sudo()._trigger()
        else:
            # The creation context carries the form's default_* values (partner,
            # product...), which must not leak into the messages and activities.
            complaints.with_context(clean_context(self.env.context))._intake_followup()
        return complaints

    def _intake_followup(self):
        """What follows the registration of new complaints: the customer is
        acknowledged, then the manager and owner are notified."""
        self._acknowledge_at_intake()
        self._notify_intake()

    def _acknowledge_at_intake(self):
        self._acknowledge_by_email()

    @api.model
    def _cron_intake_followup(self, batch_size=100):
        """Acknowledge and notify the complaints customers filed (public form,
        website API, email), in batches. A complaint whose follow-up fails is
        tried alone, gets a note saying so, and does not hold back the others;
        a conflict with another transaction leaves the batch for the next run.

        :return: the number of complaints done"""
        pending = self.with_context(active_test=False).search(
            [("intake_pending", "=", True)], order="id", limit=batch_size
        )
        if not pending:
            return 0
        # The notes are for the staff: in their manager's language, not the cron's.
        manager = pending.company_id.complaint_manager_id[:1]
        pending = pending.with_context(
            lang=manager.lang or self.env.lang, complaint_customer_filed=True
        )
        try:
            with self.env.cr.savepoint():
                pending._intake_followup()
        except psycopg2.OperationalError:
            raise  # a serialization or lock conflict: the whole run is retried
        except Exception:  # noqa: BLE001 - each complaint is then tried alone
            for complaint in pending:
                complaint._intake_followup_alone()
        pending.write({"intake_pending": False})
        remaining = self.with_context(active_test=False).search_count(
            [("intake_pending", "=", True)]
        )
        self.env["ir.cron"]._notify_progress(done=len(pending), remaining=remaining)
        return len(pending)

    def _intake_followup_alone(self):
        """The follow-up of one complaint, its two halves apart: a broken
        acknowledgement (a mail template broken by an edit, say) still lets
        the staff hear of the complaint, and a note says what failed."""
        self.ensure_one()
        failed = []
        for part, label in (
            (self._acknowledge_at_intake, self.env._("the acknowledgement to the customer")),
            (self._notify_intake, self.env._("the notification of the staff")),
        ):
            try:
                with self.env.cr.savepoint():
                    part()
            except psycopg2.OperationalError:
                raise
            except Exception as error:
                _logger.exception("Intake follow-up of complaint %s failed", self.name)
                failed.append(f"{label} ({error})")
        if failed:
            try:
                with self.env.cr.savepoint():
                    self._message_log_batch(
                        {
                            self.id: self.env._(
                                "Automatic intake step failed: %s. "
                                "Acknowledge the customer by phone if needed.",
                                "; ".join(failed),
                            )
                        }
                    )
            except psycopg2.OperationalError:
                raise
            except Exception:
                _logger.exception("Noting the failure on complaint %s failed", self.name)

    def write(self, vals):
        if vals.get("phone"):
            vals["phone"] = self._normalize_phone(vals["phone"])
        if "partner_id" in vals:
            # The links sent to the former customer (an anonymous filer's own
            # contact, say) must not follow the complaint to another customer.
            changed = self.sudo().filtered(
                lambda c: c.access_token and c.partner_id.id != (vals["partner_id"] or False)
            )
            for complaint in changed:
                super(ComplaintComplaint, complaint).write({"access_token": str(uuid.uuid4())})
        if "stage_id" not in vals:
            return super().write(vals)
        vals = dict(vals)
        stage = self.env["complaint.stage"].browse(vals.pop("stage_id"))
        # Values written together with the stage (e.g. the acknowledgement date set
        # by a button) count for the gate; the stage moves only once it is passed.
        if vals:
            super().write(vals)
        moving = self.filtered(lambda c: c.stage_id != stage)
        moving._check_step_gate(stage.step)
        stage_vals = {"stage_id": stage.id}
        if stage.step in CLOSED_STEPS:
            stage_vals["date_closed"] = fields.Datetime.now()
        else:
            stage_vals["date_closed"] = False
        result = super(ComplaintComplaint, moving).write(stage_vals)
        moving._start_step_clock()
        if stage.mail_template_id:
            for complaint in moving.filtered("partner_id"):
                complaint.message_post_with_source(
                    stage.mail_template_id, subtype_xmlid="mail.mt_comment"
                )
        return result

    # ------------------------------------------------------------ step gates
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

    # --------------------------------------------------------- intake helpers
    @api.model
    def _normalize_phone(self, number):
        """E.164 form of a phone number. Numbers without a country code are
        Iranian (021 7490 5000, 0912 345 6789)."""
        number = (number or "").strip()
        if not number:
            return number
        country = self.env.ref("base.ir")
        try:
            return self._phone_format(
                number=number, country=country, force_format="E164", raise_exception=True
            )
        except UserError as error:
            raise ValidationError(
                self.env._(
                    "The phone number %(number)s is not valid: %(error)s",
                    number=number,
                    error=error,
                )
            ) from error

    @api.model
    def _match_partners(self, vals_list):
        """Find or create the customer of complaints reported without one."""
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("partner_id") or not (vals.get("phone") or vals.get("email")):
                continue
            partner = Partner
            if vals.get("email"):
                partner = Partner._find_by_email_or_phone(email=vals["email"])
            if not partner and vals.get("phone"):
                partner = Partner._find_by_email_or_phone(phone=vals["phone"])
            if not partner:
                # Any employee may report for an unknown customer; creating the
                # customer record is part of registering the complaint.
                partner = Partner.sudo().create(
                    {
                        "name": vals.get("partner_name") or vals.get("email") or vals["phone"],
                        "email": vals.get("email"),
                        "phone": vals.get("phone"),
                        "company_id": False,
                    }
                )
            vals["partner_id"] = partner.id

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.phone = self.partner_id.mobile or self.partner_id.phone or self.phone
            self.email = self.partner_id.email or self.email
            self.partner_name = self.partner_id.name

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        if self.sale_order_id and not self.partner_id:
            self.partner_id = self.sale_order_id.partner_id

    def _notify_intake(self):
        """Tell the complaints manager and the owner at once: a note on each
        complaint's chatter, one message listing the new complaints (a burst of
        web complaints is one ping, not a hundred) and a to-do activity each."""
        by_users = defaultdict(lambda: self.browse())
        for complaint in self:
            users = complaint.company_id.complaint_manager_id | complaint.user_id
            by_users[users.filtered("active")] |= complaint
        for users, complaints in by_users.items():
            if not users:
                continue
            # The reporter may be any employee without write access on complaints;
            # following and scheduling the manager's activity is the system's job.
            # The message below is the notification: the activities stay quiet.
            complaints_sudo = complaints.sudo().with_context(mail_activity_quick_update=True)
            complaints_sudo.message_subscribe(partner_ids=users.partner_id.ids)
            texts = {
                complaint.id: self.env._(
                    "New complaint %(code)s reported by %(user)s through %(channel)s.",
                    code=complaint.name,
                    user=complaint.reported_by_id.name or complaint.partner_id.name or "-",
                    channel=complaint.channel_id.name or "-",
                )
                for complaint in complaints_sudo
            }
            complaints_sudo._message_log_batch(
                texts, author_id=self.env.user.partner_id.id, partner_ids=users.partner_id.ids
            )
            complaints_sudo[:1].message_notify(
                partner_ids=users.partner_id.ids,
                subject=(
                    texts[complaints.id]
                    if len(complaints) == 1
                    else self.env._("%s new complaints", len(complaints))
                ),
                # Each one a link to the complaint.
                body=Markup("<br/>").join(
                    complaint._get_html_link(title=texts[complaint.id])
                    for complaint in complaints_sudo
                ),
                model_description=self._description,
            )
            acknowledged = complaints_sudo.filtered("date_acknowledged")
            for todo, summary in (
                (
                    complaints_sudo - acknowledged,
                    self.env._("Acknowledge and assess this complaint"),
                ),
                (acknowledged, self.env._("Assess this complaint")),
            ):
                for user in users if todo else ():
                    todo.activity_schedule(
                        "mail.mail_activity_data_todo", user_id=user.id, summary=summary
                    )

    def _acknowledge_by_email(self):
        template = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement", raise_if_not_found=False
        )
        to_ack = self.filtered(lambda c: c.email and c.partner_id and not c.date_acknowledged)
        if template and to_ack and self.env.context.get("complaint_customer_filed"):
            to_ack = to_ack._within_ack_email_limits()
        if not template or not to_ack:
            return
        # One composer per company renders them all (message_post_with_source
        # makes one each), signed by the company as a single one would be.
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        for company in to_ack.company_id:
            complaints = to_ack.filtered(lambda c, company=company: c.company_id == company)
            composer = (
                self.env["mail.compose.message"]
                .sudo()
                .with_context(
                    default_composition_mode="comment",
                    default_model=self._name,
                    default_res_ids=complaints.ids,
                    default_template_id=template.id,
                    mail_notrack=True,
                    # The message's record name, shown in the email, is the
                    # tracking code: nothing the sender typed (the subject).
                    complaint_code_only=True,
                )
                .create(
                    {
                        "message_type": "notification",
                        "subtype_id": comment,
                        "author_id": company.partner_id.id,
                        # Queued, and the mail queue woken below: never sent
                        # inside the request or the job.
                        "force_send": False,
                    }
                )
            )
            composer._action_send_mail()
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        # The note says it; a stage change notified to the followers would not
        # add to it (hence no tracking, above too).
        to_ack.sudo().with_context(mail_notrack=True)._record_acknowledgement("email")

    def _within_ack_email_limits(self):
        """The complaints whose acknowledgement email may go. Anyone can file a
        complaint with any address: without a limit, a script would have the
        company send its emails to addresses of its choosing. The limit, System
        Parameter ``complaint_management.ack_email_per_address_day`` (3; 0: none),
        counts the acknowledgements to an address in the last 24 hours."""
        per_address = self._public_param("ack_email_per_address_day", 3)
        addresses = {
            complaint.id: complaint.partner_id.email_normalized or email_normalize(complaint.email)
            for complaint in self
        }
        Complaint = self.sudo().with_context(active_test=False)
        today = dict(
            Complaint._read_group(
                [
                    ("ack_email", "in", [a for a in set(addresses.values()) if a]),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(days=1)),
                ],
                ["ack_email"],
                ["__count"],
            )
        )
        allowed, refused = self.browse(), {}
        for complaint in self:
            address = addresses[complaint.id]
            if per_address and address and today.get(address, 0) >= per_address:
                refused[complaint.id] = self.env._(
                    "No acknowledgement email: %(address)s has had %(count)s today, the limit.",
                    address=address,
                    count=per_address,
                )
                continue
            if address:
                today[address] = today.get(address, 0) + 1
                # Not tracked: the acknowledgement's stage change is not either.
                complaint.sudo().with_context(mail_notrack=True).ack_email = address
            allowed |= complaint
        if refused:
            self.browse(refused).sudo()._message_log_batch(refused)
        return allowed

    def _record_acknowledgement(self, method):
        vals = {
            "date_acknowledged": fields.Datetime.now(),
            "ack_user_id": self.env.user.id,
            "ack_method": method,
        }
        received = self.filtered(lambda c: c.step == "received")
        (self - received).write(vals)
        if received:
            stage = self.env["complaint.stage"]._stage_for_step("acknowledged")
            received.write(dict(vals, stage_id=stage.id) if stage else vals)
        text = self.env._(
            "Receipt acknowledged to the customer by %(method)s (%(user)s).",
            method=dict(ACK_METHODS)[method],
            user=self.env.user.name,
        )
        self._message_log_batch(dict.fromkeys(self.ids, text))
        self.activity_feedback(
            ["mail.mail_activity_data_todo"], feedback=self.env._("Acknowledged")
        )

    # ---------------------------------------------------------------- security
    def _check_group(self, xmlid):
        if not self.env.user.has_group(xmlid):
            group = self.env.ref(xmlid)
            raise AccessError(
                self.env._(
                    "Only members of “%(group)s” may do this on complaint %(code)s.",
                    group=group.full_name,
                    code=", ".join(self.mapped("name")),
                )
            )

    # ----------------------------------------------------------------- actions
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

    def _open_wizard(self, model, title, context=None):
        """A dialog acting on this complaint (assessment, approval, survey...)."""
        if context is None:
            self.ensure_one()
            context = {"default_complaint_id": self.id}
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

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
            self.write(vals)
            self._move_to_step("assessed")
            return
        if not (reason or "").strip():
            raise UserError(
                self.env._("Give the reason why this is not a complaint; the customer is told.")
            )
        vals["reject_reason"] = reason
        self.write(vals)
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
        self.write({"date_investigation": fields.Datetime.now()})
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
                complaint.date_approved = fields.Datetime.now()
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
        self.write({"date_executed": fields.Datetime.now()})
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

    def _action_view_list(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complaints"),
            "res_model": "complaint.complaint",
            "view_mode": "list,form",
            "domain": [("id", "in", self.ids)],
        }

    def action_view_repairs(self):
        self.ensure_one()
        return self._action_view_documents("repair.order", self.resolution_ids.repair_id)

    def action_view_refunds(self):
        self.ensure_one()
        return self._action_view_documents("account.move", self.resolution_ids.refund_move_id)

    def action_view_replacements(self):
        self.ensure_one()
        return self._action_view_documents("sale.order", self.resolution_ids.replacement_order_id)

    def action_view_gift_cards(self):
        self.ensure_one()
        return self._action_view_documents("loyalty.card", self.resolution_ids.gift_card_id)

    def _action_view_documents(self, model, records):
        return {
            "type": "ir.actions.act_window",
            "name": self.env[model]._description,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", records.ids)],
        }

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
            complaint.round += 1
            complaint._move_to_step(reopen_step)
            complaint.message_post(
                body=self.env._(
                    "The customer is not fully satisfied: round %(round)s starts at %(step)s.",
                    round=complaint.round,
                    step=dict(STEPS)[reopen_step],
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_open_merge_wizard(self):
        complaints = self | self.duplicate_ids if len(self) == 1 else self
        return self._open_wizard(
            "complaint.merge.wizard",
            self.env._("Merge Complaints"),
            {
                "default_complaint_ids": [fields.Command.set(complaints.ids)],
                "default_target_id": complaints.sorted("id")[:1].id,
            },
        )

    def action_view_duplicates(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Possible Duplicates"),
            "res_model": "complaint.complaint",
            "view_mode": "list,form",
            "domain": [("id", "in", (self | self.duplicate_ids).ids)],
        }

    def _merge_into(self, target):
        """Merge these complaints into ``target``: messages, attachments, followers,
        activities and response lines move over; the merged complaints are archived
        and keep their tracking code, which now points to the target."""
        self._check_group("complaint_management.group_complaint_officer")
        sources = self - target
        if not sources:
            raise UserError(self.env._("Choose at least one other complaint to merge."))
        if target.is_closed:
            raise UserError(
                self.env._("Complaint %s is closed; merge into an open one.", target.name)
            )
        customer = target.partner_id.commercial_partner_id
        strangers = sources.filtered(
            lambda c: c.partner_id and c.partner_id.commercial_partner_id != customer
        )
        if strangers:
            # The target's customer would see the others' messages and files.
            raise UserError(
                self.env._(
                    "Only complaints of the same customer can be merged: %(codes)s "
                    "not of %(customer)s.",
                    codes=", ".join(strangers.mapped("name")),
                    customer=customer.display_name or "-",
                )
            )
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        target.message_subscribe(partner_ids=sources.message_partner_ids.ids)
        sources.resolution_ids._procedure_write({"complaint_id": target.id})
        if sources.action_ids:
            target.action_ids = [fields.Command.link(a.id) for a in sources.action_ids]
        body = Markup("<br/>").join(
            self.env._("%(code)s: %(subject)s", code=s.name, subject=s.subject) for s in sources
        )
        target.message_post(
            body=Markup("%s<br/>%s") % (self.env._("Merged into this complaint:"), body),
            subtype_xmlid="mail.mt_note",
        )
        for source in sources:
            source.message_post(
                body=self.env._("Merged into %s.", target.name), subtype_xmlid="mail.mt_note"
            )
        sources.write({"merged_into_id": target.id, "active": False})
        return target

    # ------------------------------------------------------- deadlines, KPIs
    def _clock_calendar(self):
        """The working hours the complaint's clock runs in: its channel's (the
        website registers around the clock, but is answered in these hours)."""
        self.ensure_one()
        return self.channel_id.resource_calendar_id or self.env.ref(
            "complaint_management.resource_calendar_complaints"
        )

    def _start_step_clock(self, new=False):
        """Close the running step passages, open the new ones with their
        deadline, and record the KPIs the move completes.

        :param bool new: the complaints were just created (nothing to close)"""
        if not self:
            return
        now = fields.Datetime.now()
        Log = self.env["complaint.step.log"].sudo()
        running = (
            Log if new else Log.search([("complaint_id", "in", self.ids), ("date_end", "=", False)])
        )
        # Passages opened together close together: one count and one write per kind.
        closing = defaultdict(lambda: Log)
        for log in running:
            key = (
                log.complaint_id._clock_calendar(),
                log.date_start,
                100 if not log.deadline or now <= log.deadline else 0,
            )
            closing[key] |= log
        for (calendar, start, on_time), logs in closing.items():
            hours = calendar.get_work_hours_count(start, now)
            logs.write({"date_end": now, "working_hours": hours, "on_time": on_time})
        hours_by_complaint = self.env["complaint.deadline.rule"].sudo()._hours_for(self)
        totals = defaultdict(float)
        ended = (
            []
            if new
            else Log._read_group(
                [("complaint_id", "in", self.ids), ("date_end", "!=", False)],
                ["complaint_id", "waits_on_customer"],
                ["working_hours:sum"],
            )
        )
        for complaint, waits, hours in ended:
            totals[complaint.id, waits] += hours
        log_vals = []
        deadlines = {}  # (calendar, hours) -> deadline: one computation per kind
        writes = defaultdict(list)  # same values -> complaints: one write per kind
        for complaint in self:
            company_hours = round(totals[complaint.id, False], 2)
            vals = {"step_deadline": False}
            if complaint.step == "acknowledged" and not complaint.ack_hours:
                vals["ack_hours"] = company_hours
            elif complaint.step == "awaiting_approval" and not complaint.response_hours:
                vals["response_hours"] = company_hours
            elif complaint.is_closed:
                vals["close_hours"] = company_hours
                vals["customer_wait_hours"] = round(totals[complaint.id, True], 2)
            if not complaint.is_closed:
                hours = hours_by_complaint[complaint.id]
                if hours:
                    calendar = complaint._clock_calendar()
                    if (calendar, hours) not in deadlines:
                        deadlines[calendar, hours] = calendar.plan_hours(
                            hours, now, compute_leaves=True
                        )
                    vals["step_deadline"] = deadlines[calendar, hours]
                log_vals.append(
                    {
                        "complaint_id": complaint.id,
                        "step": complaint.step,
                        "deadline_step": DEADLINE_STEP_OF.get(complaint.step),
                        "round": complaint.round,
                        "date_start": now,
                        "deadline": vals["step_deadline"],
                    }
                )
            writes[tuple(sorted(vals.items()))].append(complaint.id)
        # The clock is the system's bookkeeping, whoever moved the complaint.
        for items, ids in writes.items():
            super(ComplaintComplaint, self.browse(ids).sudo()).write(dict(items))
        Log.create(log_vals)

    @api.model
    def _cron_escalate_late(self, batch_size=1000):
        """Escalate the complaints whose step is past its deadline, once per
        deadline: a to-do for the manager, a note in the chatter, one message
        to the manager listing them. Constant work per batch."""
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM complaint_complaint
                 WHERE step_deadline < %(now)s
                   AND is_closed IS NOT TRUE
                   AND active
                   AND (escalated_deadline IS NULL OR escalated_deadline <> step_deadline)
                 ORDER BY step_deadline
                 LIMIT %(limit)s
                """,
                now=fields.Datetime.now(),
                limit=batch_size,
            )
        )
        late = self.browse(row[0] for row in self.env.cr.fetchall())
        if late:
            late._escalate()
        return len(late)

    def _escalate(self):
        step_labels = dict(self._fields["step"]._description_selection(self.env))
        todo = self.env.ref("mail.mail_activity_data_todo")
        note = self.env.ref("mail.mt_note")
        model_id = self.env["ir.model"]._get_id(self._name)
        root = self.env.ref("base.partner_root")
        by_manager = defaultdict(lambda: self.browse())
        activity_vals, message_vals = [], []
        # What mail.message would look up one message at a time, for all at once.
        email_from = root.email_formatted
        reply_to = self.sudo()._notify_get_reply_to(default=email_from)
        for complaint in self:
            manager = complaint.company_id.complaint_manager_id or complaint.user_id
            by_manager[manager] |= complaint
            text = self.env._(
                "Late: the step “%(step)s” was due on %(deadline)s; escalated to %(manager)s.",
                step=step_labels.get(complaint.step, complaint.step),
                deadline=format_for_reader(
                    self.env, complaint.step_deadline, complaint._customer_tz(), "short"
                ),
                manager=manager.name or "-",
            )
            message_vals.append(
                {
                    "model": self._name,
                    "res_id": complaint.id,
                    "message_type": "notification",
                    "subtype_id": note.id,
                    "author_id": root.id,
                    "email_from": email_from,
                    "reply_to": reply_to[complaint.id],
                    "record_name": complaint.display_name,
                    "body": text,
                }
            )
            if manager:
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": complaint.id,
                        "activity_type_id": todo.id,
                        "user_id": manager.id,
                        "summary": self.env._("Late complaint: act or reassign"),
                        "date_deadline": fields.Date.context_today(self),
                    }
                )
        self.env["mail.message"].sudo().create(message_vals)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            activity_vals
        )
        for manager, complaints in by_manager.items():
            if not manager:
                continue
            complaints[:1].sudo().message_notify(
                partner_ids=manager.partner_id.ids,
                subject=self.env._("%s late complaints", len(complaints)),
                body=Markup("<br/>").join(complaints.mapped("display_name")),
                model_description=self._description,
            )
        self.env.cr.execute(
            SQL(
                "UPDATE complaint_complaint SET escalated_deadline = step_deadline WHERE id IN %s",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["escalated_deadline"])

    # ---------------------------------------------------------------- reports
    def _report_tz(self):
        return self.env.user.tz or "Asia/Tehran"

    def _report_datetime(self, value):
        """A date and time in a printed report: Jalali in Persian."""
        return format_for_reader(self.env, value, self._report_tz(), "short") if value else ""

    @api.model
    def _report_date(self, value):
        if not value:
            return ""
        if is_persian(self.env.lang):
            return format_jalali(value)
        return format_date(self.env, value)

    # ----------------------------------------------------------- customer side
    # What the public pages, the portal and the customer's emails show and do.
    # Callers outside the backend (controllers) reach these as sudo, only after
    # checking the customer's right to the complaint (token, record rule, or the
    # tracking code with the contact it was filed with).

    PUBLIC_LIMITS = {
        "partner_name": 100,
        "phone": 32,
        "email": 254,
        "customer_reference": 64,
        "subject": 120,
        "description": 5000,
    }
    PUBLIC_MIMETYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")
    # What a customer's text does not keep: the C0 control characters but tab
    # and line breaks (PostgreSQL refuses NUL, the others show as nothing), and
    # lone surrogates (JSON can carry "\ud800", UTF-8 cannot store it). File
    # names keep no tab or line break either.
    PUBLIC_TEXT_DROP = dict.fromkeys(
        [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000)]
    )
    PUBLIC_NAME_DROP = {**PUBLIC_TEXT_DROP, 0x09: None, 0x0A: None, 0x0D: None}

    @api.model
    def _clean_public_text(self, text):
        """``text`` from a public page without the characters it may not keep."""
        return text.translate(self.PUBLIC_TEXT_DROP)

    @api.model
    def _public_file_name(self, name):
        """The name of a file sent from a public page, without its folders (some
        browsers send the whole path, with ``/`` or ``\\``) or control
        characters, in at most 128 characters; ``attachment`` if nothing is left."""
        name = (name if isinstance(name, str) else "").translate(self.PUBLIC_NAME_DROP)
        name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if len(name) > 128:
            stem, dot, extension = name.rpartition(".")
            if not dot or len(extension) > 10:
                stem, dot, extension = name, "", ""
            name = stem[: 128 - len(dot + extension)] + dot + extension
        return name if name.strip(". ") else "attachment"

    @api.model
    def _public_param(self, key, default):
        """A limit of the public pages (System Parameters ``complaint_management.*``)."""
        value = self.env["ir.config_parameter"].sudo().get_param(f"complaint_management.{key}")
        try:
            return int(value) if value else default
        except ValueError:
            _logger.warning("System parameter complaint_management.%s is not a number", key)
            return default

    @api.model
    def _prepare_public_values(self, data):
        """Check what a customer sent from the public form or the JSON endpoint.

        :param dict data: ``name``, ``phone``, ``email``, ``reference``, ``subject``,
            ``description``, ``consent``
        :return: (values for :meth:`_create_from_public`, {field: error message})
        """
        raw = {
            "partner_name": data.get("name"),
            "phone": data.get("phone"),
            "email": data.get("email"),
            "customer_reference": data.get("reference"),
            "subject": data.get("subject"),
            "description": data.get("description"),
        }
        values, errors = {}, {}
        for field, value in raw.items():
            if value is not None and not isinstance(value, str):
                errors[field] = self.env._("This must be text.")
                continue
            value = self._clean_public_text(value or "").strip()
            if len(value) > self.PUBLIC_LIMITS[field]:
                errors[field] = self.env._(
                    "At most %(count)s characters, please.", count=self.PUBLIC_LIMITS[field]
                )
            values[field] = value
        if not errors.get("partner_name") and not values.get("partner_name"):
            errors["partner_name"] = self.env._("Please tell us your name.")
        if not errors.get("description") and len(values.get("description") or "") < 10:
            errors["description"] = self.env._(
                "Please describe the problem (at least 10 characters)."
            )
        if not errors.get("phone"):
            if not values.get("phone"):
                errors["phone"] = self.env._("Please give a phone number we can call you back on.")
            else:
                try:
                    values["phone"] = self._normalize_phone(values["phone"])
                except ValidationError:
                    errors["phone"] = self.env._(
                        "This phone number is not valid. "
                        "Example: 0912 345 6789 or +98 21 7490 5000."
                    )
        if not errors.get("email") and values.get("email"):
            normalized = email_normalize(values["email"])
            if not normalized:
                errors["email"] = self.env._("This email address is not valid.")
            values["email"] = normalized or values["email"]
        # True from JSON (not 1, which equals True), a checkbox value from the form.
        consent = data.get("consent")
        if consent is not True and consent not in ("1", "on", "true", "yes"):
            errors["consent"] = self.env._(
                "Please agree that we use these details to handle your complaint."
            )
        if not values.get("subject") and values.get("description"):
            first_line = values["description"].splitlines()[0]
            values["subject"] = first_line[:80] + ("…" if len(first_line) > 80 else "")
        return values, errors

    @api.model
    def _check_public_files(self, files):
        """Error message for the files of a public submission, or ``False``.

        :param list files: (filename, content bytes) pairs
        """
        max_files = self._public_param("public_max_files", 5)
        max_mb = self._public_param("public_max_file_mb", 5)
        if len(files) > max_files:
            return self.env._("At most %s files, please.", max_files)
        for filename, content in files:
            if len(content) > max_mb * 1024 * 1024:
                return self.env._(
                    "%(file)s is larger than %(size)s MB.", file=filename, size=max_mb
                )
            if guess_mimetype(content, default="") not in self.PUBLIC_MIMETYPES:
                return self.env._("%s is not a photo (JPEG, PNG, WebP) or a PDF.", filename)
        return False

    @api.model
    def _create_from_public(self, values, files=(), channel_type="website"):
        """A complaint filed by the customer without an account: from the public
        form or from the company's own website through the JSON endpoint.

        ``values`` come from :meth:`_prepare_public_values` and ``files`` were
        checked by :meth:`_check_public_files`."""
        channel = self.env["complaint.channel"]._get_by_type(channel_type)
        vals = {
            "subject": values["subject"],
            # The customer's text is text: escaped, never taken as HTML.
            "description": plaintext2html(values["description"]),
            "partner_name": values["partner_name"],
            "phone": values["phone"],
            "email": values.get("email") or False,
            "customer_reference": values.get("customer_reference") or False,
            "channel_id": channel.id,
            "company_id": (channel.company_id or self.env.company).id,
            "reported_by_id": False,
        }
        # A customer new to us gets the language they wrote in, for our answers.
        # Nothing typed on a public page proves who the sender is: the complaint
        # gets a contact of its own, and what the details match is only shown to
        # the staff, who link the customer and the documents once they checked.
        Partner = self.env["res.partner"]
        known = Partner._find_by_email_or_phone(email=vals["email"]) if vals["email"] else Partner
        known = known or Partner._find_by_email_or_phone(phone=vals["phone"])
        vals["partner_id"] = Partner.create(
            {
                "name": vals["partner_name"],
                "phone": vals["phone"],
                "email": vals["email"],
                "lang": self.env.lang or False,
                "company_id": False,
            }
        ).id
        hints = []
        if known:
            hints.append(
                self.env._(
                    "The phone or email given matches the existing customer %s.",
                    known.display_name,
                )
            )
        if vals["customer_reference"]:
            found = self._match_public_reference(vals["customer_reference"])
            vals.update(found.pop("values"))
            hints += found["hints"]
        # No "created" log: the intake job's note says who filed it and how.
        complaint = (
            self.with_context(complaint_defer_intake=True, mail_create_nolog=True)
            .create(vals)
            .with_env(self.env)
        )
        if hints:
            complaint.message_post(
                body=Markup("<br/>").join(
                    [self.env._("To check before linking the customer or documents:"), *hints]
                ),
                subtype_xmlid="mail.mt_note",
            )
        if files:
            attachments = self.env["ir.attachment"].create(
                [
                    {
                        "name": self._public_file_name(name),
                        "raw": content,
                        # What the file is, whatever its name says.
                        "mimetype": guess_mimetype(content),
                        "res_model": self._name,
                        "res_id": complaint.id,
                    }
                    for name, content in files
                ]
            )
            complaint.message_post(
                body=self.env._("Files sent with the complaint."),
                attachment_ids=attachments.ids,
                author_id=complaint.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return complaint

    @api.model
    def _match_public_reference(self, reference):
        """What the customer's reference points to. A product (by internal
        reference or barcode) is linked; an order or invoice, which would tie the
        complaint to somebody's documents, is only pointed out to the staff.

        :return: {"values": complaint values, "hints": [notes for the staff]}
        """
        result = {"values": {}, "hints": []}
        # The same reference whatever the case, but "%" or "_" are no wildcards:
        # "%" would point at somebody's order.
        pattern = escape_psql(reference)
        order = self.env["sale.order"].search([("name", "=ilike", pattern)], limit=1)
        invoice = self.env["account.move"].search(
            [
                ("name", "=ilike", pattern),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ],
            limit=1,
        )
        for document in (order, invoice):
            if document:
                result["hints"].append(
                    self.env._(
                        "The reference %(reference)s matches %(document)s of %(customer)s.",
                        reference=reference,
                        document=document.display_name,
                        customer=document.partner_id.display_name,
                    )
                )
        product = self.env["product.product"].search(
            ["|", ("default_code", "=ilike", pattern), ("barcode", "=", reference)], limit=1
        )
        if product:
            result["values"]["product_id"] = product.id
        return result

    @api.model
    def _find_for_tracking(self, code, contact):
        """The complaint with this tracking code, if ``contact`` is the phone or
        the email it was filed with; otherwise nothing, whichever half was wrong."""
        code = (code or "").strip().upper()
        contact = (contact or "").strip()
        if not code or not contact:
            return self.browse()
        complaint = self.with_context(active_test=False).search([("name", "=", code)], limit=1)
        if not complaint:
            return self.browse()
        if "@" in contact:
            given = email_normalize(contact)
            known = {email_normalize(e) for e in (complaint.email, complaint.partner_id.email) if e}
        else:
            try:
                given = self._normalize_phone(contact)
            except ValidationError:
                return self.browse()
            partner = complaint.partner_id
            known = {complaint.phone}
            for number in (partner.phone, partner.mobile):
                if number:
                    try:
                        known.add(self._normalize_phone(number))
                    except ValidationError:
                        continue
        if not given or given not in known:
            return self.browse()
        # A merged complaint is followed where it went.
        return complaint.merged_into_id or complaint

    @api.model
    def _page_html_attributes(self):
        """Language and direction of a customer page's ``<html>`` element: right
        to left in Persian, for the browser, screen readers and searches."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return {"lang": (lang.code or "en_US").replace("_", "-"), "dir": lang.direction or "ltr"}

    def _customer_tz(self):
        """The customer's time zone, or the company's answering hours' one."""
        self.ensure_one()
        return (
            self.partner_id.tz
            or self.company_id.partner_id.tz
            or self.channel_id.resource_calendar_id.tz
            or "Asia/Tehran"
        )

    def _customer_datetime(self, value):
        """A date and time as the customer reads it: their time zone and language;
        in Persian, the Jalali calendar with Persian digits."""
        self.ensure_one()
        return format_for_reader(self.env, value, self._customer_tz())

    def _customer_waiting_for(self):
        """What the company waits for from the customer, in plain words."""
        self.ensure_one()
        if self.customer_step == "decision":
            return self.env._("Your decision on the response we propose.")
        if self.customer_step == "opinion":
            return self.env._("Your opinion of the result and of how we handled your complaint.")
        if self.is_closed:
            return False
        return self.env._("Nothing from you for now: we will contact you.")

    def _customer_history(self):
        """The customer's steps so far, with their dates: [(label, formatted date)]."""
        self.ensure_one()
        labels = dict(self._fields["customer_step"]._description_selection(self.env))
        approval = self._current_approval()
        rows = [
            ("submitted", self.date_received),
            ("acknowledged", self.date_acknowledged),
            ("investigating", self.date_investigation or self.date_assessed),
            ("decision", approval.date_proposed),
            ("execution", self.date_approved),
            ("opinion", self.date_executed),
            ("closed", self.date_closed),
        ]
        return [(labels[step], self._customer_datetime(date)) for step, date in rows if date]

    def _portal_token_expired(self):
        """Links sent to the customer stop working some time after closing
        (System Parameter ``complaint_management.portal_link_days``, 90 days)."""
        self.ensure_one()
        days = self._public_param("portal_link_days", 90)
        return bool(
            self.is_closed
            and self.date_closed
            and self.date_closed < fields.Datetime.now() - timedelta(days=days)
        )

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """Odoo's own token routes (the chatter's messages, posting, attachments)
        honour the links' expiry as the complaint's pages do."""
        thread = super()._get_thread_with_access(thread_id, mode, **kwargs)
        if (
            thread
            and not self.browse(thread_id).sudo(False).has_access(mode)
            and thread.sudo()._portal_token_expired()
        ):
            return self.browse()
        return thread

    def _sign_token(self, pid):
        # Signed with the links' token, which only the procedure reads.
        return super(ComplaintComplaint, self.sudo())._sign_token(pid)

    def _mail_customer(self, template_xmlid):
        """Email one of the customer's messages (approval request, survey link)."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for complaint in self.filtered(lambda c: c.partner_id.email):
            complaint.sudo().message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    # -------------------------------------------------------------- report from
    @api.model
    def _prepare_report_values(self, record):
        """Values of a new complaint reported from a contact, sales order,
        invoice or delivery."""
        values = {"default_channel_id": self.env["complaint.channel"]._get_by_type("internal").id}
        if record._name == "res.partner":
            values["default_partner_id"] = record.id
        elif record._name == "sale.order":
            values.update(
                default_partner_id=record.partner_id.id,
                default_sale_order_id=record.id,
                default_invoice_id=record.invoice_ids.filtered(
                    lambda m: m.move_type == "out_invoice"
                )[:1].id,
                default_picking_id=record.picking_ids[:1].id,
                default_product_id=record.order_line.product_id[:1].id,
            )
        elif record._name == "account.move":
            values.update(
                default_partner_id=record.partner_id.id,
                default_invoice_id=record.id,
                default_sale_order_id=record.line_ids.sale_line_ids.order_id[:1].id,
                default_product_id=record.invoice_line_ids.product_id[:1].id,
            )
        elif record._name == "stock.picking":
            values.update(
                default_partner_id=record.partner_id.id,
                default_picking_id=record.id,
                default_sale_order_id=record.sale_id.id,
                default_product_id=record.move_ids.product_id[:1].id,
                default_lot_id=record.move_line_ids.lot_id[:1].id,
            )
        if record._name != "res.partner":
            values["default_company_id"] = record.company_id.id
        return {key: value for key, value in values.items() if value}

    @api.model
    def action_report_from(self, model, res_id):
        # The model checked first: self.env["no.such.model"] is a KeyError.
        allowed = ("res.partner", "sale.order", "account.move", "stock.picking")
        record = model in allowed and self.env[model].browse(res_id).exists()
        if not record:
            raise UserError(
                self.env._(
                    "Complaints can be reported from a contact, a sales order, an "
                    "invoice or a delivery."
                )
            )
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report a Complaint"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("complaint_management.complaint_complaint_view_form_report").id,
                    "form",
                )
            ],
            "target": "new",
            "context": self._prepare_report_values(record),
        }

    # ----------------------------------------------------------------- mail
    @api.model
    def message_new(self, msg, custom_values=None):
        """A complaint from an email to the complaints alias."""
        values = dict(custom_values or {})
        email_from = msg.get("email_from") or ""
        normalized = email_normalize(email_from) if email_from else False
        partner = self.env["res.partner"].browse(msg.get("author_id"))
        if not partner and normalized:
            partner = self.env["res.partner"]._find_by_email_or_phone(email=normalized)
        latest = self._email_intake_over_limit(normalized)
        if latest:
            # The gateway posts the email on the complaint returned.
            msg["author_id"] = partner.id
            return latest.with_env(self.env)
        if not partner and normalized:
            name = parse_contact_from_email(email_from)[0] or normalized
            partner = self.env["res.partner"].create({"name": name, "email": normalized})
        values.setdefault("subject", msg.get("subject") or self.env._("Complaint by email"))
        values.setdefault("description", msg.get("body"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("partner_name", partner.name)
        values.setdefault("email", normalized or email_from)
        if not values.get("channel_id"):
            values["channel_id"] = self.env["complaint.channel"]._get_by_type("email").id
        msg["author_id"] = partner.id
        # As from the public pages, the intake job acknowledges and notifies,
        # once the email itself is on the thread. Odoo's own message_new sets
        # the email field to the sender as written ("Name <address>"): it gets
        # the address, which the limit per address counts.
        complaint = super(
            ComplaintComplaint, self.with_context(complaint_defer_intake=True)
        ).message_new(dict(msg, email_from=values["email"]), custom_values=values)
        complaint = complaint.with_env(self.env)
        if partner:
            complaint.message_subscribe(partner_ids=partner.ids)
        return complaint

    @api.model
    def _email_intake_over_limit(self, address):
        """The sender's latest complaint, once ``address`` has filed as many
        complaints by email in the last 24 hours as System Parameter
        ``complaint_management.email_intake_per_address_day`` allows (5; 0: no
        limit): a script does not open complaints (each one acknowledged) at
        will. The further email goes on that complaint, which says why;
        nothing is lost. An empty recordset under the limit."""
        limit = self._public_param("email_intake_per_address_day", 5)
        if not limit or not address:
            return self.browse()
        recent = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("email", "=", address),
                    ("channel_type", "=", "email"),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(days=1)),
                ],
                order="id desc",
                limit=limit,
            )
        )
        if len(recent) < limit:
            return self.browse()
        latest = recent.filtered("active")[:1] or recent[:1]
        latest._message_log_batch(
            {
                latest.id: self.env._(
                    "%(address)s has filed %(count)s complaints by email in the last 24 "
                    "hours, the limit: their new email is added to this complaint instead "
                    "of opening another one.",
                    address=address,
                    count=limit,
                )
            }
        )
        return latest

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for complaint in self:
            if complaint.partner_id:
                complaint._message_add_suggested_recipient(
                    recipients, partner=complaint.partner_id, reason=self.env._("Customer")
                )
        return recipients

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("complaint_management.mt_complaint_stage")
        return super()._track_subtype(init_values)

    @api.depends("name", "subject")
    @api.depends_context("complaint_code_only")
    def _compute_display_name(self):
        code_only = self.env.context.get("complaint_code_only")
        for complaint in self:
            complaint.display_name = (
                f"{complaint.name} - {complaint.subject}"
                if complaint.subject and not code_only
                else complaint.name
            )
