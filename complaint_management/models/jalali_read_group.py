"""Groups by date in the Jalali calendar for Persian users, in every app.

Odoo groups a date by month, quarter or year with PostgreSQL's ``date_trunc``:
Gregorian periods. For a user whose language is Persian, the web client's
groupings (``read_group`` and ``web_read_group``: lists, kanban, pivot, graph,
the kanban's progress bars) group by Jalali months, seasons (quarters) and
years instead, in the user's time zone for datetimes as Odoo does, label every
date group in the Jalali calendar with Persian digits ("آذر ۱۴۰۵", "۳۰ اسفند
۱۴۰۳"), and give each group the range and domain of exactly its days.

The calendar is jdatetime's (as ``tools/jalali.py``): the Gregorian first days
of the Jalali months 1300-1500 AP (1921-2122) are computed with it and stored
at installation in two immutable SQL functions: ``complaint_jalali_trunc``
finds a day's period by a binary search in that list (``width_bucket``) and is
inlined by PostgreSQL in the grouping query, no query of its own, no query per
group. Days outside those years fall back to Gregorian periods. Hours, days
and weeks (from Saturday, the language's first day) are the same days in both
calendars: only their labels change. The labels are made here, not in the
browser, so that the kanban's progress bars (keyed by label) find their
columns.

Server code calling ``_read_group`` directly (dashboards, replenishment...)
keeps Gregorian periods whatever the user's language: it computes with them.
Other users see exactly what Odoo does, at the cost of a language check.
"""

import bisect
from datetime import date, datetime, time, timedelta

import babel.dates
import jdatetime
import pytz

from odoo import api, models
from odoo.fields import Date, Datetime
from odoo.models import (
    READ_GROUP_DISPLAY_FORMAT,
    READ_GROUP_TIME_GRANULARITY,
    parse_read_group_spec,
)
from odoo.osv import expression
from odoo.tools import DEFAULT_SERVER_DATE_FORMAT, DEFAULT_SERVER_DATETIME_FORMAT, SQL, get_lang

from ..tools.jalali import is_persian, persian_digits

# The context key of a grouping in the Jalali calendar (set by read_group and
# web_read_group for Persian users).
JALALI_GROUPS = "read_group_jalali"
# Months per Jalali period.
JALALI_PERIODS = {"month": 1, "quarter": 3, "year": 12}
# The Gregorian first day of every Jalali month of 1300-1500 AP, then 1 Farvardin 1501.
MONTH_STARTS = tuple(
    jdatetime.date(year, month, 1).togregorian()
    for year in range(1300, 1501)
    for month in range(1, 13)
) + (jdatetime.date(1501, 1, 1).togregorian(),)
MONTH_NAMES = jdatetime.date.j_months_fa
SEASONS = ("بهار", "تابستان", "پاییز", "زمستان")


def jalali_period_start(day, granularity):
    """The first day of the Jalali month, season or year of ``day`` (a
    date), or None outside 1300-1500 AP."""
    index = bisect.bisect_right(MONTH_STARTS, day) - 1
    if index < 0 or index >= len(MONTH_STARTS) - 1:
        return None
    return MONTH_STARTS[index - index % JALALI_PERIODS[granularity]]


def jalali_period_stop(start, granularity):
    """The first day of the period after the one starting on ``start``."""
    return MONTH_STARTS[MONTH_STARTS.index(start) + JALALI_PERIODS[granularity]]


def _day_label(jalali, with_year=True):
    label = f"{jalali.day} {MONTH_NAMES[jalali.month - 1]}"
    return persian_digits(f"{label} {jalali.year}" if with_year else label)


def jalali_group_label(value, granularity):
    """The label of the date group starting on ``value`` (a date, or a local
    datetime): "آذر ۱۴۰۵", "پاییز ۱۴۰۵", "۱۴۰۵", "۳۰ اسفند ۱۴۰۳", a week
    "۱ آذر – ۷ آذر ۱۴۰۵", an hour "۳۰ اسفند ۱۴۰۳، ۱۴:۰۰"."""
    day = value.date() if isinstance(value, datetime) else value
    jalali = jdatetime.date.fromgregorian(date=day)
    year = persian_digits(jalali.year)
    if granularity == "year":
        return year
    if granularity == "quarter":
        return f"{SEASONS[(jalali.month - 1) // 3]} {year}"
    if granularity == "month":
        return f"{MONTH_NAMES[jalali.month - 1]} {year}"
    if granularity == "week":
        last = jdatetime.date.fromgregorian(date=day + timedelta(days=6))
        return f"{_day_label(jalali, jalali.year != last.year)} – {_day_label(last)}"
    if granularity == "hour":
        return f"{_day_label(jalali)}، {persian_digits(f'{value.hour:02d}:00')}"
    return _day_label(jalali)


class Base(models.AbstractModel):
    _inherit = "base"

    def init(self):
        res = super().init()
        if self._name == "base":  # once, not for every model
            self._jalali_create_sql_function()
        return res

    @api.model
    def _jalali_create_sql_function(self):
        """``complaint_jalali_trunc(granularity, day)``: the first day of the
        Jalali month, quarter or year of ``day`` (NULL outside 1300-1500 AP).

        ``width_bucket`` finds the month in the sorted list of month starts
        (12 sentinels first, so that a day before 1300 AP lands on a sentinel
        for every granularity); a quarter or a year is the month whose index is
        rounded down to a multiple of 3 or 12. The day is used once in the
        body, so that PostgreSQL inlines the function whatever the expression
        given (a datetime converted to the user's time zone). The list is an
        immutable PL/pgSQL function's: PostgreSQL reads it once per connection
        and folds it into each query's plan as a constant."""
        sentinel = date.min
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION complaint_jalali_month_starts()
                RETURNS date[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
                AS $$ BEGIN RETURN %s::date[]; END $$
                """,
                [sentinel] * 12 + list(MONTH_STARTS),
            )
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION complaint_jalali_trunc(granularity text, day date)
                RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
                RETURN NULLIF(NULLIF(
                    (complaint_jalali_month_starts())[
                        (width_bucket(day, complaint_jalali_month_starts()) - 1)
                        / (CASE granularity WHEN 'year' THEN 12 WHEN 'quarter' THEN 3 ELSE 1 END)
                        * (CASE granularity WHEN 'year' THEN 12 WHEN 'quarter' THEN 3 ELSE 1 END)
                        + 1
                    ],
                    %s::date), %s::date)
                """,
                sentinel,
                MONTH_STARTS[-1],
            )
        )

    # ------------------------------------------------------------------
    # When
    # ------------------------------------------------------------------

    @api.model
    def _jalali_groups_env(self, groupby):
        """``self`` grouping in the Jalali calendar if the user reads Persian
        and groups by a date."""
        if JALALI_GROUPS in self.env.context or not is_persian(self.env.context.get("lang")):
            return self
        for spec in [groupby] if isinstance(groupby, str) else groupby or ():
            field = self._fields.get(spec.split(":")[0])
            if field is not None and field.type in ("date", "datetime"):
                return self.with_context(**{JALALI_GROUPS: True})
        return self

    @api.model
    def _jalali_groupby(self, spec):
        """(field, granularity) of a group by a date that is labelled in the
        Jalali calendar, else None."""
        if not self.env.context.get(JALALI_GROUPS):
            return None
        fname, property_name, granularity = parse_read_group_spec(spec)
        field = self._fields.get(fname)
        if property_name or field is None or field.type not in ("date", "datetime"):
            return None
        granularity = granularity or "month"
        if granularity not in READ_GROUP_TIME_GRANULARITY:
            return None  # the numbers (month_number...): Odoo's
        return field, granularity

    # ------------------------------------------------------------------
    # read_group
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        return super(Base, self._jalali_groups_env(groupby)).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy
        )

    @api.model
    @api.readonly
    def web_read_group(
        self, domain, fields, groupby, limit=None, offset=0, orderby=False, lazy=True
    ):
        # Here too: the number of groups past a page is counted with the same periods.
        return super(Base, self._jalali_groups_env(groupby)).web_read_group(
            domain, fields, groupby, limit=limit, offset=offset, orderby=orderby, lazy=lazy
        )

    def _read_group_groupby(self, groupby_spec, query):
        jalali = self._jalali_groupby(groupby_spec)
        if not jalali or jalali[1] not in JALALI_PERIODS:
            return super()._read_group_groupby(groupby_spec, query)
        field, granularity = jalali
        # Odoo's day of the value (in the user's time zone for a datetime),
        # then its Jalali period; Gregorian outside the function's years.
        day = super()._read_group_groupby(f"{field.name}:day", query)
        if field.type == "datetime":
            day = SQL("(%s)::date", day)
        sql = SQL(
            "COALESCE(complaint_jalali_trunc(%s, %s), date_trunc(%s, (%s)::timestamp)::date)",
            granularity,
            day,
            granularity,
            day,
        )
        return SQL("(%s)::timestamp", sql) if field.type == "datetime" else sql

    @api.model
    def _read_group_fill_temporal(
        self, data, groupby, annoted_aggregates, fill_from=False, fill_to=False, min_groups=False
    ):
        """As Odoo's (the graph view's empty periods), in Jalali periods."""
        jalali = self._jalali_groupby(groupby[0])
        if not jalali or jalali[1] not in JALALI_PERIODS:
            return super()._read_group_fill_temporal(
                data, groupby, annoted_aggregates, fill_from, fill_to, min_groups
            )
        field, granularity = jalali
        first_group = groupby[0]
        is_datetime = field.type == "datetime"

        def period_of(value):
            """The group value (a date, or a local datetime) of a fill bound."""
            if is_datetime:
                value = Datetime.to_datetime(value)
                start = jalali_period_start(value.date(), granularity)
                return start and datetime.combine(start, time.min)
            return jalali_period_start(Date.to_date(value), granularity)

        def following(value):
            day = value.date() if is_datetime else value
            stop = jalali_period_stop(day, granularity)
            return datetime.combine(stop, time.min) if is_datetime else stop

        existing = [row[first_group] for row in data if row[first_group]]
        fill_from = period_of(fill_from) if fill_from else (existing[0] if existing else None)
        fill_to = period_of(fill_to) if fill_to else (existing[-1] if existing else None)
        fill_from = fill_from or fill_to
        fill_to = fill_to or fill_from
        if not fill_from or fill_to < fill_from:
            return data
        if not all(
            jalali_period_start(bound.date() if is_datetime else bound, granularity)
            == (bound.date() if is_datetime else bound)
            for bound in (fill_from, fill_to)
        ):
            return data  # outside 1300-1500 AP
        required = [fill_from]
        while required[-1] < fill_to or len(required) < (min_groups or 0):
            required.append(following(required[-1]))

        empty_item = {
            name: self._read_group_empty_value(spec) for name, spec in annoted_aggregates.items()
        }
        for group in groupby[1:]:
            empty_item[group] = self._read_group_empty_value(group)
        grouped_data = {}
        for row in data:
            grouped_data.setdefault(row[first_group], []).append(row)
        result = []
        for value in sorted(set(existing) | set(required)):
            result.extend(grouped_data.get(value) or [dict(empty_item, **{first_group: value})])
        result.extend(grouped_data.get(False, []))
        return result

    @api.model
    def _read_group_format_result(self, rows_dict, lazy_groupby):
        jalali = {spec: self._jalali_groupby(spec) for spec in lazy_groupby}
        jalali = {spec: value for spec, value in jalali.items() if value}
        if not jalali:
            return super()._read_group_format_result(rows_dict, lazy_groupby)
        raw_values = {spec: [row[spec] for row in rows_dict] for spec in jalali}
        # Hours, days and weeks: Odoo's ranges and domains, Jalali labels.
        super()._read_group_format_result(
            rows_dict,
            [
                spec
                for spec in lazy_groupby
                if spec not in jalali or jalali[spec][1] not in JALALI_PERIODS
            ],
        )
        for spec, (field, granularity) in jalali.items():
            if granularity in JALALI_PERIODS:
                self._jalali_format_periods(rows_dict, spec, field, granularity)
                continue
            for row, value in zip(rows_dict, raw_values[spec], strict=True):
                if value:
                    row[spec] = jalali_group_label(value, granularity)

    @api.model
    def _jalali_format_periods(self, rows_dict, spec, field, granularity):
        """Label, range and domain of the groups by Jalali month, season or
        year (as Odoo's ``_read_group_format_result`` for its periods)."""
        tz = None
        if field.type == "datetime" and self.env.context.get("tz") in pytz.all_timezones_set:
            tz = pytz.timezone(self.env.context["tz"])
        server_format = (
            DEFAULT_SERVER_DATETIME_FORMAT
            if field.type == "datetime"
            else DEFAULT_SERVER_DATE_FORMAT
        )
        for row in rows_dict:
            value = row[spec]
            if not value:
                row.setdefault("__range", {})[spec] = False
                row["__domain"] = expression.AND([row["__domain"], [(field.name, "=", value)]])
                continue
            day = value.date() if isinstance(value, datetime) else value
            if jalali_period_start(day, granularity) == day:
                stop = jalali_period_stop(day, granularity)
                range_end = datetime.combine(stop, time.min) if field.type == "datetime" else stop
                label = jalali_group_label(value, granularity)
            else:
                # Outside 1300-1500 AP: Odoo's Gregorian period.
                range_end = value + READ_GROUP_TIME_GRANULARITY[granularity]
                label = babel.dates.format_date(
                    day,
                    format=READ_GROUP_DISPLAY_FORMAT[granularity],
                    locale=get_lang(self.env).code,
                )
            range_start = value
            if tz:
                range_start = tz.localize(range_start).astimezone(pytz.utc)
                range_end = tz.localize(range_end).astimezone(pytz.utc)
            range_start = range_start.strftime(server_format)
            range_end = range_end.strftime(server_format)
            row[spec] = label
            row.setdefault("__range", {})[spec] = {"from": range_start, "to": range_end}
            row["__domain"] = expression.AND(
                [
                    row["__domain"],
                    ["&", (field.name, ">=", range_start), (field.name, "<", range_end)],
                ]
            )
