import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import clean_context, format_date
from odoo.tools.sql import create_index

from ..tools.jalali import format_for_reader, format_jalali, is_persian
from ..tools.persian import NAME_FOLDING, PHONE_FOLDING, fold_name
from .complaint_stage import CLOSED_STEPS

SEVERITIES = [
    ("0", "Low"),
    ("1", "Medium"),
    ("2", "High"),
    ("3", "Critical"),
]
# What only employees read: the company's own work on the complaint. Customers
# read the rest of their complaints (the portal shows them what is theirs).
EMPLOYEES = "base.group_user"
# Searched in one form whatever the keyboard (see tools/persian.py).
COMPLAINT_FOLDED_FIELDS = {"partner_name": NAME_FOLDING, "phone": PHONE_FOLDING}
# What carries the procedure's state: written only by its transitions (see
# complaint.procedure.guard), never by a form, an import or a call over RPC.
COMPLAINT_PROCEDURE_FIELDS = frozenset(
    {
        "step",
        "is_closed",
        "date_closed",
        "round",
        "date_acknowledged",
        "ack_user_id",
        "ack_method",
        "assessment",
        "reject_reason",
        "date_assessed",
        "assessed_user_id",
        "date_investigation",
        "date_approved",
        "date_executed",
        "satisfaction_result",
        "satisfaction_process",
        "rejection_count",
        "is_reopened",
        "channel_type",
        "intake_pending",
        "ack_email",
        "step_deadline",
        "escalated_deadline",
        "ack_hours",
        "response_hours",
        "close_hours",
        "customer_wait_hours",
        "merged_into_id",
    }
)


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _description = "Customer Complaint"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin", "complaint.procedure.guard"]
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "subject", "partner_id.name", "partner_name", "phone", "email"]
    _primary_email = "email"
    _mail_post_access = "read"

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

    @api.model
    def _default_channel(self):
        return self.env["complaint.channel"]._get_by_type("phone")

    @api.model
    def _default_user(self):
        # Only the manager of the company's row: every complaint filed reads it.
        company = self.env.company
        company.fetch(["complaint_manager_id"])
        return company.complaint_manager_id

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([("active", "=", True)], order=stages._order)

    @api.depends("step")
    def _compute_is_closed(self):
        for complaint in self:
            complaint.is_closed = complaint.step in CLOSED_STEPS

    def _condition_to_sql(self, alias, fname, operator, value, query):
        # The customer's name and phone as the contact's (res.partner): typed
        # with Arabic or Persian yeh and kaf, Persian or Latin digits.
        folding = COMPLAINT_FOLDED_FIELDS.get(fname)
        if folding:
            value = folding.search_value(operator, value)
        return super()._condition_to_sql(alias, fname, operator, value, query)

    @api.model
    def _fold_stored_persian(self):
        """The customer names of complaints stored before folding existed, in
        one form (see res.partner): run when the module is installed or updated."""
        return NAME_FOLDING.fold_stored(self, "partner_name")

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

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    _procedure_fields = COMPLAINT_PROCEDURE_FIELDS

    def _procedure_action_hint(self):
        return self.env._("the buttons of the complaint's current step")

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_procedure_write():
            for vals in vals_list:
                self._check_procedure_vals(vals, create=True)
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
        complaints = (
            super(ComplaintComplaint, self._procedure_env()).create(vals_list).with_env(self.env)
        )
        complaints._start_step_clock(new=True)
        if deferred:
            # The customer who filed on a public page gets the tracking code on
            # screen at once; the contact, emails and notifications follow from
            # the job.
            self._trigger_intake_job()
        else:
            # The creation context carries the form's default_* values (partner,
            # product...), which must not leak into the messages and activities.
            complaints.with_context(clean_context(self.env.context))._intake_followup()
        return complaints

    def write(self, vals):
        if vals.get("phone"):
            vals["phone"] = self._normalize_phone(vals["phone"])
        if vals.get("partner_name"):
            vals["partner_name"] = fold_name(vals["partner_name"])
        if "partner_id" in vals:
            # The links sent to the former customer (an anonymous filer's own
            # contact, say) must not follow the complaint to another customer.
            # The intake job giving a complaint filed on a public page its
            # filer's own contact keeps the link shown to the filer on screen.
            first_contact = self._is_procedure_write()
            changed = self.sudo().filtered(
                lambda c: (
                    c.access_token
                    and c.partner_id.id != (vals["partner_id"] or False)
                    and (c.partner_id or not first_contact)
                )
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
        if not self._is_procedure_write():
            # A stage written by hand (kanban drag and drop, the statusbar, an
            # import or RPC) asks for the transition to its step: see
            # complaint_complaint_procedure.
            self._request_step(stage)
            return True
        moving = self.filtered(lambda c: c.stage_id != stage)
        moving._check_step_gate(stage.step)
        stage_vals = {"stage_id": stage.id}
        if stage.step in CLOSED_STEPS:
            stage_vals["date_closed"] = fields.Datetime.now()
        else:
            stage_vals["date_closed"] = False
        result = super(ComplaintComplaint, moving._procedure_env()).write(stage_vals)
        moving._start_step_clock()
        moving._close_passed_activities()
        return result

    def _track_template(self, changes):
        """The email of the stage a complaint reaches, sent to its customer by
        the tracking: once, however many times the stage is written."""
        res = super()._track_template(changes)
        complaint = self[0]
        template = complaint.stage_id.mail_template_id
        if (
            "stage_id" in changes
            and template
            and complaint.partner_id
            and not self.env.context.get("complaint_new")
        ):
            res["stage_id"] = (template, {"subtype_xmlid": "mail.mt_comment"})
        return res

    def _track_post_template_finalize(self):
        # A new complaint's stage is no move: its customer hears from the intake.
        return super(
            ComplaintComplaint, self.with_context(complaint_new=True)
        )._track_post_template_finalize()

    @api.model
    def _normalize_phone(self, number):
        """E.164 form of a phone number (see res.partner)."""
        return self.env["res.partner"]._normalize_phone(number)

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

    @api.model
    def _action_open_complaints(self, domain, context=None):
        """The complaints menu's action, on the complaints of ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_management.complaint_complaint_action"
        )
        action["domain"] = domain
        action["context"] = context or {}
        return action

    def _action_view_list(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complaints"),
            "res_model": "complaint.complaint",
            "view_mode": "list,form",
            "domain": [("id", "in", self.ids)],
        }

    @api.model
    def _company_tz(self, company=None):
        """The company's time zone: its working hours', else its address's."""
        company = company or self.env.company
        return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"

    def _report_tz(self):
        return self.env.user.tz or self._company_tz(self.company_id[:1])

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

    # What the public pages, the portal and the customer's emails show and do.
    # Callers outside the backend (controllers) reach these as sudo, only after
    # checking the customer's right to the complaint (token, record rule, or the
    # tracking code with the contact it was filed with).

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
