import re
from collections import defaultdict
from datetime import timedelta

import pytz
from babel.dates import get_day_names

from odoo import api, fields, models, tools
from odoo.tools import email_normalize
from odoo.tools.i18n import format_list
from odoo.tools.misc import babel_locale_parse

from ..tools.jalali import is_persian, persian_digits

CHANNEL_TYPES = [
    ("phone", "Phone"),
    ("website", "Website"),
    ("in_person", "In person"),
    ("email", "Email"),
    ("sms", "SMS"),
    ("portal", "Customer portal"),
    ("internal", "Reported by an employee"),
]


class ComplaintChannel(models.Model):
    """A way complaints come in, with the hours it is answered.

    The email channel carries the mail alias (``complaints@``): every email sent to
    it becomes a complaint of this channel, in this channel's company.

    The channels with a contact are those customers are directed to (the
    procedure's table of channels): the complaint form, the tracking page, the
    acknowledgement email and SMS and the printed channels card show them.
    """

    _name = "complaint.channel"
    _description = "Complaint Channel"
    _inherit = ["mail.alias.mixin.optional"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    channel_type = fields.Selection(CHANNEL_TYPES, required=True, default="phone")
    contact = fields.Char(
        help="Phone number, address or page customers use on this channel. Channels with a "
        "contact are shown to customers, with their answering hours: on the complaint form, "
        "the tracking page, the acknowledgement email and SMS, and the channels card."
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Answering Hours",
        default=lambda self: self.env.ref(
            "complaint_management.resource_calendar_complaints", raise_if_not_found=False
        ),
        help="When complaints on this channel are answered. Registration may be open "
        "around the clock (website), answers come within these hours.",
    )
    always_open = fields.Boolean(
        string="Registration 24/7", help="Customers can register complaints at any time."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    # ---------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _customer_channel_ids
        return super().create(vals_list)

    def write(self, vals):
        if {"contact", "active", "company_id", "sequence"} & set(vals):
            self.env.registry.clear_cache()  # _customer_channel_ids
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _customer_channel_ids
        return super().unlink()

    @api.model
    def _get_by_type(self, channel_type):
        return self.search([("channel_type", "=", channel_type)], limit=1)

    # ---------------------------------------------- what customers are shown
    @api.model
    def _customer_channels(self, company=None, lang=None):
        """The channels customers are directed to: those with a contact, of
        ``company`` (the current one by default) or of every company, in order.
        Read by every acknowledgement of a batch: their ids are cached.

        :param str lang: the language to read them in when it is installed
            (the Persian half of a bilingual email), else the current one
        """
        company = company or self.env.company
        channels = self.browse(self._customer_channel_ids(company.id))
        if lang and self.env["res.lang"]._get_data(code=lang):
            channels = channels.with_context(lang=lang)
        return channels

    @api.model
    @tools.ormcache("company_id")
    def _customer_channel_ids(self, company_id):
        return tuple(
            self.sudo()
            .search([("contact", "!=", False), ("company_id", "in", [False, company_id])])
            .ids
        )

    @api.model
    def _customer_phone(self, company=None):
        """The number of the company's phone channel, or ``False``."""
        channels = self._customer_channels(company)
        return channels.filtered(lambda c: c.channel_type == "phone")[:1].contact or False

    @api.model
    def _sms_call_us(self, company=None):
        """The phone line for an SMS: "Call us: 021-74905", or nothing. Only the
        number: the other channels and their hours do not fit in the two parts
        of a Persian SMS (134 characters) with the rest of the message."""
        phone = self._customer_phone(company)
        return self.env._("Call us: %s", phone) if phone else ""

    def _customer_contact_url(self):
        """The link of the channel's contact: ``tel:`` for a phone number,
        ``mailto:`` for an email address, the page itself for a web address;
        ``False`` for anything else (a postal address)."""
        self.ensure_one()
        contact = (self.contact or "").strip()
        if re.match(r"https?://\S+$", contact):
            return contact
        if "@" in contact and email_normalize(contact):
            return f"mailto:{email_normalize(contact)}"
        if self.channel_type in ("phone", "sms") or re.fullmatch(r"\+?[\d\s().-]{5,}", contact):
            digits = re.sub(r"[^\d+]", "", contact)
            return f"tel:{digits}" if digits else False
        return False

    def _customer_hours(self):
        """When the channel is answered, in the reader's language: "Saturday to
        Wednesday, 08:00 to 17:30"; a channel open around the clock for
        registration says so first. Empty without answering hours."""
        self.ensure_one()
        hours = self._calendar_text(self.resource_calendar_id)
        if self.always_open:
            if hours:
                return self.env._("Registration every day, around the clock; answers %s", hours)
            return self.env._("Every day, around the clock")
        return hours

    @api.model
    def _calendar_text(self, calendar):
        """The working days and hours of ``calendar`` in words, days with the
        same hours together: "Saturday to Wednesday, 08:00 to 17:30"."""
        if not calendar:
            return ""
        lang = self.env.lang or "en_US"
        periods = tuple(
            sorted(
                (int(attendance.dayofweek), attendance.hour_from, attendance.hour_to)
                for attendance in calendar.attendance_ids
                if not attendance.display_type and attendance.day_period != "lunch"
            )
        )
        # The acknowledgement of each complaint of a batch lists the channels:
        # the same hours are put in words once in a transaction per language.
        memo = self.env.cr.cache.setdefault("complaint.channel._calendar_text", {})
        if (lang, periods) not in memo:
            memo[lang, periods] = self._periods_text(periods, lang)
        return memo[lang, periods]

    @api.model
    def _periods_text(self, spans, lang):
        """:meth:`_calendar_text` of the ``(day, hour_from, hour_to)`` spans."""
        by_day = defaultdict(list)
        for day, hour_from, hour_to in spans:
            by_day[day].append((hour_from, hour_to))
        # Each day's periods, joined where one ends as the next starts.
        days_by_hours = defaultdict(set)
        for day, periods in by_day.items():
            merged = []
            for start, stop in sorted(periods):
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
                else:
                    merged.append((start, stop))
            days_by_hours[tuple(merged)].add(day)
        # Weeks start on the reader's first day (Saturday in Persian).
        week_start = int(self.env["res.lang"]._get_data(code=lang).week_start or 7) - 1
        names = get_day_names("wide", locale=babel_locale_parse(lang))
        texts = []
        for periods, days in sorted(
            days_by_hours.items(),
            key=lambda item: min((day - week_start) % 7 for day in item[1]),
        ):
            texts.append(
                self.env._(
                    "%(days)s, %(hours)s",
                    days=self._days_text(days, week_start, names),
                    hours=self._hours_text(periods, lang),
                )
            )
        return format_list(self.env, texts)

    @api.model
    def _days_text(self, days, week_start, names):
        """ "Saturday to Wednesday" for a run of days, runs that go round the end
        of the week included, "Every day" for all seven."""
        if len(days) == 7:
            return self.env._("Every day")
        runs = []
        for first in sorted(days, key=lambda day: (day - week_start) % 7):
            if (first - 1) % 7 in days:
                continue  # inside a run started earlier
            last = first
            while (last + 1) % 7 in days:
                last = (last + 1) % 7
            runs.append(
                names[first]
                if first == last
                else self.env._("%(start)s to %(end)s", start=names[first], end=names[last])
            )
        return format_list(self.env, runs)

    @api.model
    def _hours_text(self, periods, lang):
        """ "08:00 to 17:30" (Persian digits in Persian), "around the clock"."""
        if periods == ((0.0, 24.0),):
            return self.env._("around the clock")

        def clock(hours):
            minutes = round(hours * 60)
            text = f"{minutes // 60:02d}:{minutes % 60:02d}"
            return persian_digits(text) if is_persian(lang) else text

        return format_list(
            self.env,
            [
                self.env._("%(start)s to %(end)s", start=clock(start), end=clock(stop))
                for start, stop in periods
            ],
        )

    def _next_answering_time(self, now=None):
        """When this channel is next answered: ``False`` while it is answered now,
        otherwise the start of its next working period (a UTC-aware datetime)."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return False
        now = (now or fields.Datetime.now()).replace(tzinfo=pytz.utc)
        intervals = calendar._work_intervals_batch(now, now + timedelta(days=15))[False]
        for start, stop, _attendance in intervals:
            if stop > now:
                return False if start <= now else start.astimezone(pytz.utc)
        return False

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("complaint.complaint").id
        if self.id:
            values["alias_defaults"] = repr(
                {"channel_id": self.id, "company_id": (self.company_id or self.env.company).id}
            )
        return values
