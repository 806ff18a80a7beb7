from collections import defaultdict
from datetime import date, datetime, time, timedelta

import holidays
import pytz
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import SQL

from ..tools.jalali import format_for_reader
from .complaint_complaint import EMPLOYEES
from .complaint_deadline_rule import DEADLINE_STEP_OF

# Context keys of a move: who made it (when the code acting for the customer
# or a job says so) and why (a reason the transition was given).
ACTOR_KEY = "complaint_step_actor"
# The mark of the customer's own acts (portal, token link): an object, which no
# client can put in a context over RPC, as the procedure's own mark.
_CUSTOMER = object()
REASON_KEY = "complaint_step_reason"


class ComplaintComplaint(models.Model):
    """The step clock: passages through the steps, working-hour deadlines, KPIs
    and the escalation of late steps."""

    _inherit = "complaint.complaint"

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

    def _compute_step_late(self):
        late = self._past_due("step_deadline", fields.Datetime.now())
        for complaint in self:
            complaint.step_late = complaint in late

    def _search_step_late(self, operator, value):
        now = fields.Datetime.now()
        return self._search_past_due("step_late", "step_deadline", now, operator, value)

    def _clock_calendar(self):
        """The working hours the complaint's clock runs in: its channel's (the
        website registers around the clock, but is answered in these hours)."""
        self.ensure_one()
        return self.channel_id.resource_calendar_id or self.env.ref(
            "complaint_management.resource_calendar_complaints"
        )

    def _apply_customer_decision(self, accepted, reason=False, channel="phone"):
        # On the portal the customer acts (as sudo, after the token check).
        complaints = self.with_context(**{ACTOR_KEY: _CUSTOMER}) if channel == "portal" else self
        return super(ComplaintComplaint, complaints)._apply_customer_decision(
            accepted, reason=reason, channel=channel
        )

    def _apply_survey(self, result_score, process_score, fully_satisfied, **kwargs):
        complaints = self
        if kwargs.get("channel") == "portal":
            complaints = self.with_context(**{ACTOR_KEY: _CUSTOMER})
        return super(ComplaintComplaint, complaints)._apply_survey(
            result_score, process_score, fully_satisfied, **kwargs
        )

    def _step_actor(self):
        """Who makes the move now, for the audit trail: ``(user, actor)``.

        The customer's acts are marked by the procedure's customer paths with
        an object no client can send, so no one can pass their own act off as
        the customer's, even where the server then acts as sudo. The superuser
        (OdooBot, the scheduled jobs) is the system; the public user and portal
        users are the customer; anyone else is an employee, named, even when the
        code acts for them as sudo."""
        user = self.env.user
        if self.env.context.get(ACTOR_KEY) is _CUSTOMER:
            actor = "customer"
        else:
            if user.id == SUPERUSER_ID:
                actor = "system"
            elif user.share:  # the public user, portal users
                actor = "customer"
            else:
                actor = "staff"
        return (user if actor != "customer" else user.browse()), actor

    def _start_step_clock(self, new=False):
        """Close the running step passages, open the new ones with their
        deadline, and record the KPIs the move completes. Each passage notes
        who made the move and why (the audit trail); a closing move leaves a
        passage too, over at once.

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
            logs._procedure_write({"date_end": now, "working_hours": hours, "on_time": on_time})
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
        user, actor = self._step_actor()
        audit = {
            "user_id": user.id,
            "actor": actor,
            "note": self.env.context.get(REASON_KEY) or False,
        }
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
            log = {
                **audit,
                "complaint_id": complaint.id,
                "step": complaint.step,
                "round": complaint.round,
                "date_start": now,
            }
            if not complaint.is_closed:
                hours = hours_by_complaint[complaint.id]
                if hours:
                    calendar = complaint._clock_calendar()
                    if (calendar, hours) not in deadlines:
                        deadlines[calendar, hours] = calendar.plan_hours(
                            hours, now, compute_leaves=True
                        )
                    vals["step_deadline"] = deadlines[calendar, hours]
                log["deadline_step"] = DEADLINE_STEP_OF.get(complaint.step)
                log["deadline"] = vals["step_deadline"]
            else:
                # The closing move, in the audit trail only: over at once and
                # not timed, it counts in no timeliness figure (on time empty).
                log.update(deadline_step=False, date_end=now, working_hours=0.0)
            log_vals.append(log)
            writes[tuple(sorted(vals.items()))].append(complaint.id)
        # The clock is the system's bookkeeping, whoever moved the complaint.
        for items, ids in writes.items():
            super(ComplaintComplaint, self.browse(ids).sudo()._procedure_env()).write(dict(items))
        Log._procedure_create(log_vals)

    @api.model
    def _cron_load_iran_holidays(self):
        """The yearly job (and the module's installation): Iran's public
        holidays of this year and the next on the complaints calendar."""
        year = fields.Date.context_today(self).year
        return self._load_iran_holidays([year, year + 1])

    @api.model
    def _load_iran_holidays(self, years):
        """Iran's public holidays of ``years`` (Gregorian), solar and lunar, as
        whole-day leaves of the complaints calendar in its time zone: the step
        clock does not run on them. The list is the ``holidays`` package's,
        named in Persian; the lunar dates are its estimates (marked so in
        their names) until the moon is sighted.

        A year is loaded once: the holidays the complaints managers then move
        or delete stay as they left them. A day that a leave of the calendar
        already covers (entered by hand) gets no second one.

        :return: the leaves created"""
        calendar = self.env.ref("complaint_management.resource_calendar_complaints")
        tz = pytz.timezone(calendar.tz or self._company_tz(calendar.company_id))
        Leave = self.env["resource.calendar.leaves"].sudo()
        Data = self.env["ir.model.data"].sudo()
        created = Leave

        def utc(day):
            """Midnight at the start of ``day`` in the calendar's time zone, in UTC."""
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        for year in sorted(set(years)):
            prefix = f"iran_holiday_{year}_"
            loaded = Data.search_count(
                [
                    ("module", "=", "complaint_management"),
                    ("model", "=", Leave._name),
                    ("name", "=like", f"{prefix}%"),
                ],
                limit=1,
            )
            if loaded:
                continue
            days = holidays.country_holidays("IR", years=year, language="fa_IR")
            existing = Leave.search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("resource_id", "=", False),
                    ("date_from", "<", utc(date(year + 1, 1, 1))),
                    ("date_to", ">", utc(date(year, 1, 1))),
                ]
            )
            vals_list, names = [], []
            for day, name in sorted(days.items()):
                date_from = utc(day)
                date_to = utc(day + timedelta(days=1)) - timedelta(seconds=1)
                if any(
                    leave.date_from <= date_from and leave.date_to >= date_to for leave in existing
                ):
                    continue
                vals_list.append(
                    {
                        "name": name,
                        "calendar_id": calendar.id,
                        "date_from": date_from,
                        "date_to": date_to,
                    }
                )
                names.append(f"{prefix}{day:%m%d}")
            leaves = Leave.create(vals_list)
            if not calendar.company_id:
                # A shared calendar's holidays are every company's, not the
                # company of whoever loaded them (Odoo's default).
                leaves.write({"company_id": False})
            # Their ids mark the year as loaded (noupdate: an update of the
            # module keeps them; uninstalling it removes them).
            Data.create(
                [
                    {
                        "module": "complaint_management",
                        "name": name,
                        "model": Leave._name,
                        "res_id": leave.id,
                        "noupdate": True,
                    }
                    for name, leave in zip(names, leaves, strict=True)
                ]
            )
            created |= leaves
        return created

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
        todo = self.env.ref("complaint_management.mail_activity_type_late")
        note = self.env.ref("mail.mt_note")
        model_id = self.env["ir.model"]._get_id(self._name)
        root = self.env.ref("base.partner_root")
        by_manager = defaultdict(lambda: self.browse())
        activity_vals, message_vals = [], []
        # What mail.message would look up one message at a time, for all at once.
        email_from = root.email_formatted
        reply_to = self.sudo()._notify_get_reply_to(default=email_from)
        # Written for the manager who reads it: in their language and time zone,
        # the date in the Jalali calendar for Persian. Names and codes, often in
        # Latin letters, are isolated (<bdi>) so that a right-to-left text does
        # not scramble them.
        readers = {}  # lang -> (env, step labels)

        def reader(manager, company):
            lang = manager.lang or company.partner_id.lang or self.env.lang or "en_US"
            if lang not in readers:
                env = self.env(context=dict(self.env.context, lang=lang))
                readers[lang] = (env, dict(self._fields["step"]._description_selection(env)))
            return readers[lang]

        def isolated(text):
            return Markup("<bdi>%s</bdi>") % text

        for complaint in self:
            manager = complaint.company_id.complaint_manager_id or complaint.user_id
            by_manager[manager] |= complaint
            env, step_labels = reader(manager, complaint.company_id)
            values = {
                "code": isolated(complaint.name),
                "step": step_labels.get(complaint.step, complaint.step),
                "deadline": format_for_reader(
                    env,
                    complaint.step_deadline,
                    manager.tz or complaint._company_tz(complaint.company_id),
                    "short",
                ),
                "manager": isolated(manager.name or "-"),
            }
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
                    "body": Markup(
                        env._(
                            "Late: the step “%(step)s” was due on %(deadline)s; "
                            "escalated to %(manager)s."
                        )
                    )
                    % values,
                }
            )
            if manager:
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": complaint.id,
                        "activity_type_id": todo.id,
                        "user_id": manager.id,
                        "summary": env._("Late complaint: act or reassign"),
                        "note": Markup(
                            env._(
                                "Complaint %(code)s: the step “%(step)s” was due on "
                                "%(deadline)s. Act on it or reassign the complaint."
                            )
                        )
                        % values,
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
            env = reader(manager, complaints.company_id[:1])[0]
            complaints[:1].sudo().with_context(lang=env.lang).message_notify(
                partner_ids=manager.partner_id.ids,
                subject=env._("%s late complaints", len(complaints)),
                body=Markup("<br/>").join(
                    isolated(complaint.name)
                    + (Markup(" - ") + isolated(complaint.subject) if complaint.subject else "")
                    for complaint in complaints
                ),
                model_description=self._description,
            )
        self.env.cr.execute(
            SQL(
                "UPDATE complaint_complaint SET escalated_deadline = step_deadline WHERE id IN %s",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["escalated_deadline"])
