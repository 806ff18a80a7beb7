from datetime import date, datetime, time, timedelta

import jdatetime
import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date, formatLang

from ..tools.jalali import is_persian, persian_digits


class ComplaintPeriodReportWizard(models.TransientModel):
    _name = "complaint.period.report"
    _description = "Complaint Management Review Report"

    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=90)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period ends before it starts."))

    def action_print(self):
        return self.env.ref("complaint_management.action_report_complaint_period").report_action(
            self
        )


class ComplaintPeriodReport(models.AbstractModel):
    """ISO 10002 clause 9 (management review): volumes, trends, top root
    causes, timeliness, satisfaction and open corrective actions of a period.

    The period is the reader's days (their time zone, else the company's). Its
    figures are those of every complaint received in it, the open ones too:
    each average is over the complaints that have reached its measure (the
    acknowledged ones for the hours to acknowledge, the surveyed ones for
    satisfaction), and says how many those are."""

    _name = "report.complaint_management.report_complaint_period"
    _description = "Complaint Management Review"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizard = self.env["complaint.period.report"].browse(docids)[:1]
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        tz = pytz.timezone(
            self.env.context.get("tz") or self.env.user.tz or Complaint._company_tz()
        )

        def utc(day):
            """Midnight at the start of ``day`` for the reader, in UTC."""
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        start, stop = utc(wizard.date_from), utc(wizard.date_to + timedelta(days=1))
        domain = [("date_received", ">=", start), ("date_received", "<", stop)]

        def counts(groupby, limit=None):
            rows = Complaint._read_group(domain, [groupby], ["__count"], order="__count desc")
            rows = rows[:limit] if limit else rows
            return [(group.display_name if group else "-", count) for group, count in rows]

        total, satisfaction_result, satisfaction_process, surveyed = Complaint._read_group(
            domain,
            [],
            [
                "__count",
                # No survey is no score (see _field_to_sql): averaged over the surveyed.
                "satisfaction_result:avg",
                "satisfaction_process:avg",
                "satisfaction_result:count",
            ],
        )[0]

        def average(hours, reached):
            """Average working ``hours`` over the complaints that have ``reached``
            the measure: a measure of no working hours (acknowledged on a Friday)
            is stored empty, and counts as 0 here, not as unmeasured."""
            count, total_hours = Complaint._read_group(
                [*domain, reached], [], ["__count", f"{hours}:sum"]
            )[0]
            return (total_hours or 0.0) / count if count else 0.0, count

        ack_hours, acknowledged = average("ack_hours", ("date_acknowledged", "!=", False))
        response_hours, responded = average("response_hours", ("approval_ids", "!=", False))
        # Hours to close: of the complaints closed with a satisfied customer (not
        # those rejected as no complaint, nor the cancelled ones).
        close_hours, closed = average("close_hours", ("step", "=", "closed"))
        still_open = Complaint.search_count([*domain, ("is_closed", "=", False)])
        reopened = Complaint.search_count([*domain, ("is_reopened", "=", True)])
        logs = self.env["complaint.step.log"]._read_group(
            [
                ("complaint_id.date_received", ">=", start),
                ("complaint_id.date_received", "<", stop),
                ("date_end", "!=", False),
                # The timed steps: not the closing moves of the audit trail.
                ("deadline_step", "!=", False),
            ],
            ["deadline_step"],
            ["on_time:avg", "working_hours:avg", "__count"],
        )
        step_labels = dict(
            self.env["complaint.step.log"]._fields["deadline_step"]._description_selection(self.env)
        )
        actions = Complaint.search(domain).action_ids
        today = fields.Date.context_today(self)
        open_actions = actions.filtered(lambda a: not a.date_closed)
        return {
            "doc_ids": docids,
            "doc_model": "complaint.period.report",
            "docs": wizard,
            "total": total,
            "still_open": still_open,
            "closed": closed,
            "reopened": reopened,
            "ack_hours": ack_hours,
            "acknowledged": acknowledged,
            "response_hours": response_hours,
            "responded": responded,
            "close_hours": close_hours,
            "satisfaction_result": satisfaction_result or 0.0,
            "satisfaction_process": satisfaction_process or 0.0,
            "surveyed": surveyed,
            "by_channel": counts("channel_id"),
            "by_category": counts("category_id"),
            "top_root_causes": counts("root_cause_id", limit=5),
            "by_month": self._by_month(Complaint.with_context(tz=tz.zone), domain, wizard),
            "timeliness": [
                (step_labels.get(step, step or "-"), on_time or 0.0, hours or 0.0, count)
                for step, on_time, hours, count in logs
            ],
            "open_actions": open_actions,
            "overdue_actions": open_actions.filtered(
                lambda a: a.date_deadline and a.date_deadline < today
            ),
            "period": (
                Complaint._report_date(wizard.date_from),
                Complaint._report_date(wizard.date_to),
            ),
            "number": self._format_number,
            "date": Complaint._report_date,
        }

    @api.model
    def _by_month(self, complaints, domain, wizard):
        """Complaints received in each month of the period, the empty months
        too, in the reader's calendar: Jalali months in Persian ("آذر ۱۴۰۵"),
        Gregorian ones otherwise ("November 2026"). ``complaints`` carries the
        reader's time zone, by which the days are counted."""
        persian = is_persian(self.env.lang)

        def month(day):
            if persian:
                jalali = jdatetime.date.fromgregorian(date=day)
                return jalali.year, jalali.month
            return day.year, day.month

        received = dict.fromkeys(self._months(wizard.date_from, wizard.date_to, persian), 0)
        for day, count in complaints._read_group(domain, ["date_received:day"], ["__count"]):
            day = day.date() if isinstance(day, datetime) else day
            received[month(day)] = received.get(month(day), 0) + count
        return [(self._month_label(key, persian), count) for key, count in received.items()]

    @api.model
    def _months(self, first, last, persian):
        """(year, month) of each month from the one of the date ``first`` to the
        one of ``last``, in the Jalali calendar or the Gregorian one."""
        if persian:
            first = jdatetime.date.fromgregorian(date=first)
            last = jdatetime.date.fromgregorian(date=last)
        year, number = first.year, first.month
        months = []
        while (year, number) <= (last.year, last.month):
            months.append((year, number))
            year, number = (year + 1, 1) if number == 12 else (year, number + 1)
        return months

    @api.model
    def _month_label(self, key, persian):
        year, number = key
        if persian:
            name = jdatetime.date(year, number, 1, locale="fa_IR").strftime("%B")
            return persian_digits(f"{name} {year}")
        return format_date(self.env, date(year, number, 1), date_format="MMMM y")

    @api.model
    def _format_number(self, value, digits=0):
        """A count or an average as the reader writes numbers (Persian digits
        in Persian, as the report's dates)."""
        text = formatLang(self.env, value or 0, digits=digits)
        return persian_digits(text) if is_persian(self.env.lang) else text
