from datetime import timedelta

import phonenumbers

from odoo import api, fields, models
from odoo.tools import clean_context

from odoo.addons.complaint_management.models.complaint_complaint import COMPLAINT_PROCEDURE_FIELDS

from .sms_providers import iran_number

TEMPLATE = "complaint_management_sms.sms_template_complaint_"


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"
    _procedure_fields = COMPLAINT_PROCEDURE_FIELDS | {"ack_sms_number", "ack_sms_user_id"}

    sms_number = fields.Char(
        string="SMS Number",
        compute="_compute_sms_number",
        help="The customer's mobile number the procedure's SMS go to.",
        groups="base.group_user",
    )
    ack_sms_number = fields.Char(
        string="Acknowledged by SMS to",
        readonly=True,
        copy=False,
        groups="base.group_system",
        index="btree_not_null",
        help="The number the acknowledgement SMS of a complaint the customer filed "
        "went to; the limits per number count these.",
    )
    ack_sms_user_id = fields.Many2one(
        "res.users",
        string="Acknowledged by SMS for",
        readonly=True,
        copy=False,
        groups="base.group_system",
        index="btree_not_null",
        help="The employee whose registration of the complaint sent the acknowledgement "
        "SMS; the limit per user counts these.",
    )
    # They carry the links' token: for the SMS the procedure sends, not for the staff.
    portal_short_url = fields.Char(compute="_compute_portal_short_url", groups="base.group_system")
    portal_survey_short_url = fields.Char(
        compute="_compute_portal_short_url", groups="base.group_system"
    )

    @api.depends("phone", "partner_id.mobile", "partner_id.phone")
    def _compute_sms_number(self):
        for complaint in self:
            complaint.sms_number = False
            for number in (
                complaint.phone,
                complaint.partner_id.mobile,
                complaint.partner_id.phone,
            ):
                national = iran_number(number)
                if national:
                    parsed = phonenumbers.parse(national, "IR")
                    complaint.sms_number = phonenumbers.format_number(
                        parsed, phonenumbers.PhoneNumberFormat.E164
                    )
                    break

    def _compute_portal_short_url(self):
        """Short links for SMS (a Persian SMS part holds 70 characters)."""
        base = self.get_base_url() if self else ""
        for complaint in self:
            if not complaint.id:
                complaint.portal_short_url = complaint.portal_survey_short_url = False
                continue
            token = complaint.sudo()._portal_ensure_token()
            complaint.portal_short_url = f"{base}/c/{complaint.id}/{token}"
            complaint.portal_survey_short_url = f"{base}/c/{complaint.id}/{token}/s"

    def _phone_get_number_fields(self):
        return ["sms_number", "phone"]

    # -------------------------------------------------------------- sending
    def _sms_recipients(self):
        """The complaints whose customer the procedure reaches by SMS: a mobile
        number, and an SMS gateway configured for the complaint's company."""
        Gateway = self.env["complaint.sms.gateway"]
        has_gateway = {company: bool(Gateway._for_company(company)) for company in self.company_id}
        return self.filtered(
            lambda c: c.partner_id and c.sms_number and has_gateway.get(c.company_id)
        )

    def _sms_notify(self, template_xmlid):
        """Queue one of the procedure's SMS for the customers with a mobile
        number, in their language. Sent by the SMS queue, never in the request.
        Returns the complaints whose customer gets it."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        recipients = self._sms_recipients()
        if not template or not recipients:
            return self.browse()
        for complaint in recipients.sudo().with_context(clean_context(self.env.context)):
            complaint._message_sms_with_template(
                template=template,
                partner_ids=complaint.partner_id.ids,
                sms_pid_to_number={complaint.partner_id.id: complaint.sms_number},
                put_in_queue=True,
            )
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
        return recipients

    def _acknowledge_at_intake(self):  # pylint: disable=missing-return
        # Those the staff acknowledged by phone before the job ran get no SMS;
        # those acknowledged by email just now get one too.
        unacknowledged = self.filtered(lambda c: not c.date_acknowledged)
        super()._acknowledge_at_intake()
        recipients = unacknowledged._sms_recipients()
        if self.env.context.get("complaint_customer_filed"):
            recipients = recipients._within_ack_sms_limits()
        else:
            recipients = recipients._within_ack_sms_user_limit()
        recipients._sms_notify(TEMPLATE + "ack")
        by_sms = recipients.filtered(lambda c: not c.date_acknowledged)
        if by_sms:
            # As by email: the note says it, the stage change is not tracked.
            by_sms.sudo().with_context(mail_notrack=True)._record_acknowledgement("sms")

    def _within_ack_sms_limits(self):
        """The complaints whose acknowledgement SMS may go. Anyone can file a
        complaint with any number: without limits, a script (or a page that
        makes its visitors post to the form) would have the company pay for
        SMS to numbers of its choosing. Limits, System Parameters (0: none):
        ``complaint_management_sms.ack_per_number_day`` (3) and
        ``complaint_management_sms.ack_per_hour`` (100, all numbers)."""
        params = self.env["ir.config_parameter"].sudo()
        per_number = int(params.get_param("complaint_management_sms.ack_per_number_day", 3))
        per_hour = int(params.get_param("complaint_management_sms.ack_per_hour", 100))
        now = fields.Datetime.now()
        Complaint = self.sudo().with_context(active_test=False)
        today = dict(
            Complaint._read_group(
                [
                    ("ack_sms_number", "in", self.mapped("sms_number")),
                    ("create_date", ">=", now - timedelta(days=1)),
                ],
                ["ack_sms_number"],
                ["__count"],
            )
        )
        this_hour = Complaint.search_count(
            [("ack_sms_number", "!=", False), ("create_date", ">=", now - timedelta(hours=1))]
        )
        allowed, refused = self.browse(), {}
        for complaint in self:
            number = complaint.sms_number
            if per_number and today.get(number, 0) >= per_number:
                refused[complaint.id] = self.env._(
                    "No acknowledgement SMS: %(number)s has had %(count)s today, the limit.",
                    number=number,
                    count=per_number,
                )
            elif per_hour and this_hour >= per_hour:
                refused[complaint.id] = self.env._(
                    "No acknowledgement SMS: %s were sent in the last hour, the limit.",
                    per_hour,
                )
            else:
                today[number] = today.get(number, 0) + 1
                this_hour += 1
                allowed |= complaint
                # Not tracked: the acknowledgement's stage change is not either.
                complaint.sudo().with_context(mail_notrack=True)._procedure_write(
                    {"ack_sms_number": number}
                )
        if refused:
            self.browse(refused).sudo()._message_log_batch(refused)
        return allowed

    def _within_ack_sms_user_limit(self):
        """The complaints the staff register whose acknowledgement SMS may go:
        no one account spends the company's SMS credit. The limit, System
        Parameter ``complaint_management_sms.ack_per_user_day`` (50; 0: none),
        counts the acknowledgement SMS of the complaints the user registered in
        the last 24 hours."""
        if not self:
            return self
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("complaint_management_sms.ack_per_user_day", 50)
        )
        user = self.env.user
        today = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("ack_sms_user_id", "=", user.id),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(days=1)),
                ]
            )
        )
        room = max(limit - today, 0) if limit else len(self)
        allowed, refused = self[:room], self[room:]
        if allowed:
            allowed.sudo().with_context(mail_notrack=True)._procedure_write(
                {"ack_sms_user_id": user.id}
            )
        if refused:
            text = self.env._(
                "No acknowledgement SMS: %(count)s were sent today for the complaints "
                "%(user)s registered, the limit. Acknowledge the customer by email or "
                "by phone.",
                count=limit,
                user=user.name,
            )
            refused.sudo()._message_log_batch(dict.fromkeys(refused.ids, text))
        return allowed

    def _assess(self, accepted, *args, **kwargs):
        result = super()._assess(accepted, *args, **kwargs)
        if not accepted:
            self._sms_notify(TEMPLATE + "rejected")
        return result

    def action_propose_response(self):
        result = super().action_propose_response()
        self._sms_notify(TEMPLATE + "approval")
        return result

    def _finish_execution(self, note):
        result = super()._finish_execution(note)
        self._sms_notify(TEMPLATE + "executed")
        return result

    def _send_customer_notice(self, notice):
        # The customer's decision recorded, reopened, closed, cancelled: by SMS
        # too (templates sms_template_complaint_<notice>).
        emailed = super()._send_customer_notice(notice)
        return emailed | self._sms_notify(TEMPLATE + notice)

    def _sms_cancel_reason(self, limit=60):
        """The cancellation's reason, cut to ``limit`` characters: with it the
        Persian SMS stays within two parts (134 characters)."""
        self.ensure_one()
        reason = " ".join(self._cancel_reason().split())
        return reason if len(reason) <= limit else reason[: limit - 1].rstrip() + "…"

    def action_sms_survey_link(self):
        """Send the survey link again by SMS (a button at the survey step)."""
        self._check_group("complaint_management.group_complaint_officer")
        self.filtered(lambda c: c.step == "survey")._sms_notify(TEMPLATE + "survey")
        return True
