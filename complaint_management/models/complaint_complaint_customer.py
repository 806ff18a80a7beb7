from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize

from ..tools.jalali import format_for_reader
from .complaint_stage import CUSTOMER_STEP_OF, CUSTOMER_STEPS


class ComplaintComplaint(models.Model):
    """What the customer sees: their step, history, dates in their time zone,
    what the company waits for, the tracking lookup, and the links sent to them."""

    _inherit = "complaint.complaint"

    # customer side
    customer_step = fields.Selection(
        CUSTOMER_STEPS,
        string="Status for the Customer",
        compute="_compute_customer_step",
        help="The step as the customer reads it on the portal and the tracking page.",
    )

    @api.depends("step")
    def _compute_customer_step(self):
        for complaint in self:
            complaint.customer_step = CUSTOMER_STEP_OF.get(complaint.step, "submitted")

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
            or self._company_tz(self.company_id)
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
            known = {complaint.phone, *complaint.partner_id._normalized_numbers()}
        if not given or given not in known:
            return self.browse()
        # A merged complaint is followed where it went.
        return complaint.merged_into_id or complaint

    def _portal_token_expired(self):
        """Links sent to the customer stop working some time after closing
        (System Parameter ``complaint_management.portal_link_days``, 90 days)."""
        self.ensure_one()
        days = self.env["complaint.public.intake"]._limit("portal_link_days")
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
