from datetime import date, datetime, timedelta

import jdatetime

from odoo.tests import tagged

from .common import ComplaintCommon

GROUP = "date_received:month"


@tagged("post_install", "-at_install")
class TestJalaliGroups(ComplaintCommon):
    """A Persian user (Tehran time) grouping by month, season or year gets one
    group per Jalali period, named in Persian, holding exactly that period's
    records; an English user gets Odoo's Gregorian groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        # Tehran is UTC+03:30: 20:30 UTC is midnight there.
        received = {
            "last minute of 30 Aban 1405": datetime(2026, 11, 21, 20, 29),
            "first minute of 1 Azar 1405": datetime(2026, 11, 21, 20, 31),
            "last minute of 30 Azar 1405": datetime(2026, 12, 21, 20, 29),
            "first minute of 1 Dey 1405": datetime(2026, 12, 21, 20, 31),
        }
        cls.received = cls.Complaint.create([{"subject": subject} for subject in received])
        for complaint, value in zip(cls.received, received.values(), strict=True):
            complaint.date_received = value
        # A date (no time zone) on both sides of two Nowruz: 1403 is a leap
        # year (30 Esfand), 1404 is not (29 Esfand).
        deadlines = {
            "30 Esfand 1403": date(2025, 3, 20),
            "1 Farvardin 1404": date(2025, 3, 21),
            "29 Esfand 1404": date(2026, 3, 20),
            "1 Farvardin 1405": date(2026, 3, 21),
        }
        cls.deadlines = cls.Complaint.create(
            [{"subject": subject, "date_deadline": day} for subject, day in deadlines.items()]
        )
        cls.domain_received = [("id", "in", cls.received.ids)]
        cls.domain_deadlines = [("id", "in", cls.deadlines.ids)]

    def _as(self, lang):
        return self.Complaint.with_user(self.user_officer).with_context(lang=lang, tz="Asia/Tehran")

    def _groups(self, groups, groupby):
        """(label, count, range) of each group, and each group's domain checked."""
        result = []
        for group in groups:
            count = group.get("__count", group.get(f"{groupby.split(':')[0]}_count"))
            found = self.Complaint.search(group["__domain"])
            self.assertEqual(len(found), count, f"the domain of {group[groupby]} finds its records")
            result.append((group[groupby], count, group["__range"][groupby]))
        return result

    def _subjects(self, group):
        return sorted(self.Complaint.search(group["__domain"]).mapped("subject"))

    def test_month_of_a_datetime_in_tehran(self):
        complaints = self._as("fa_IR")
        groups = complaints.web_read_group(self.domain_received, ["__count"], [GROUP], limit=80)
        self.assertEqual(groups["length"], 3)
        self.assertEqual(
            self._groups(groups["groups"], GROUP),
            [
                ("آبان ۱۴۰۵", 1, {"from": "2026-10-22 20:30:00", "to": "2026-11-21 20:30:00"}),
                ("آذر ۱۴۰۵", 2, {"from": "2026-11-21 20:30:00", "to": "2026-12-21 20:30:00"}),
                ("دی ۱۴۰۵", 1, {"from": "2026-12-21 20:30:00", "to": "2027-01-20 20:30:00"}),
            ],
        )
        self.assertEqual(
            self._subjects(groups["groups"][1]),
            ["first minute of 1 Azar 1405", "last minute of 30 Azar 1405"],
        )
        # Newest first when the list asks so; months without a granularity too.
        groups = complaints.read_group(
            self.domain_received, ["__count"], ["date_received"], orderby="date_received desc"
        )
        self.assertEqual(
            [group["date_received"] for group in groups], ["دی ۱۴۰۵", "آذر ۱۴۰۵", "آبان ۱۴۰۵"]
        )

    def test_english_user_keeps_gregorian_months(self):
        groups = self._as("en_US").web_read_group(self.domain_received, ["__count"], [GROUP])
        self.assertEqual(
            self._groups(groups["groups"], GROUP),
            [
                ("November 2026", 2, {"from": "2026-10-31 20:30:00", "to": "2026-11-30 20:30:00"}),
                ("December 2026", 2, {"from": "2026-11-30 20:30:00", "to": "2026-12-31 20:30:00"}),
            ],
        )
        # One query either way: the Jalali periods cost no query of their own.
        for lang in ("en_US", "fa_IR"):
            complaints = self._as(lang)
            complaints.read_group(self.domain_received, ["__count"], [GROUP])
            with self.assertQueryCount(1):
                complaints.read_group(self.domain_received, ["__count"], [GROUP])

    def test_nowruz_and_a_leap_esfand_on_a_date(self):
        complaints = self._as("fa_IR")
        month = complaints.read_group(self.domain_deadlines, [], ["date_deadline:month"])
        self.assertEqual(
            self._groups(month, "date_deadline:month"),
            [
                ("اسفند ۱۴۰۳", 1, {"from": "2025-02-19", "to": "2025-03-21"}),
                ("فروردین ۱۴۰۴", 1, {"from": "2025-03-21", "to": "2025-04-21"}),
                ("اسفند ۱۴۰۴", 1, {"from": "2026-02-20", "to": "2026-03-21"}),
                ("فروردین ۱۴۰۵", 1, {"from": "2026-03-21", "to": "2026-04-21"}),
            ],
        )
        self.assertEqual(self._subjects(month[0]), ["30 Esfand 1403"])
        self.assertEqual(self._subjects(month[2]), ["29 Esfand 1404"])
        # Seasons: winter is Dey to Esfand; years run from Nowruz.
        quarter = complaints.read_group(self.domain_deadlines, [], ["date_deadline:quarter"])
        self.assertEqual(
            self._groups(quarter, "date_deadline:quarter"),
            [
                ("زمستان ۱۴۰۳", 1, {"from": "2024-12-21", "to": "2025-03-21"}),
                ("بهار ۱۴۰۴", 1, {"from": "2025-03-21", "to": "2025-06-22"}),
                ("زمستان ۱۴۰۴", 1, {"from": "2025-12-22", "to": "2026-03-21"}),
                ("بهار ۱۴۰۵", 1, {"from": "2026-03-21", "to": "2026-06-22"}),
            ],
        )
        year = complaints.read_group(self.domain_deadlines, [], ["date_deadline:year"])
        self.assertEqual(
            self._groups(year, "date_deadline:year"),
            [
                ("۱۴۰۳", 1, {"from": "2024-03-20", "to": "2025-03-21"}),
                ("۱۴۰۴", 2, {"from": "2025-03-21", "to": "2026-03-21"}),
                ("۱۴۰۵", 1, {"from": "2026-03-21", "to": "2027-03-21"}),
            ],
        )
        # In English: Gregorian March holds both sides of Nowruz.
        month = self._as("en_US").read_group(self.domain_deadlines, [], ["date_deadline:month"])
        self.assertEqual(
            [(group["date_deadline:month"], group["date_deadline_count"]) for group in month],
            [("March 2025", 2), ("March 2026", 2)],
        )

    def test_pivot_and_graph(self):
        """The pivot reads year and month at once; the graph fills the empty
        months between two groups."""
        complaints = self._as("fa_IR")
        (self.received[1] | self.received[2]).unlink()
        rows = complaints.read_group(
            self.domain_received, ["__count"], ["date_received:year", GROUP], lazy=False
        )
        self.assertEqual(
            [(row["date_received:year"], row[GROUP], row["__count"]) for row in rows],
            [("۱۴۰۵", "آبان ۱۴۰۵", 1), ("۱۴۰۵", "دی ۱۴۰۵", 1)],
        )
        self.assertEqual(self._subjects(rows[1]), ["first minute of 1 Dey 1405"])
        graph = complaints.with_context(fill_temporal=True).web_read_group(
            self.domain_received, ["__count"], [GROUP], lazy=False
        )
        self.assertEqual(
            self._groups(graph["groups"], GROUP),
            [
                ("آبان ۱۴۰۵", 1, {"from": "2026-10-22 20:30:00", "to": "2026-11-21 20:30:00"}),
                ("آذر ۱۴۰۵", 0, {"from": "2026-11-21 20:30:00", "to": "2026-12-21 20:30:00"}),
                ("دی ۱۴۰۵", 1, {"from": "2026-12-21 20:30:00", "to": "2027-01-20 20:30:00"}),
            ],
        )

    def test_days_weeks_and_progress_bars(self):
        """Hours, days and weeks are the same in both calendars (weeks from
        Saturday in Persian): named in Jalali. The kanban's progress bars find their
        column by that name."""
        complaints = self._as("fa_IR")
        days = complaints.read_group(self.domain_received, ["__count"], ["date_received:day"])
        self.assertEqual(
            [group["date_received:day"] for group in days],
            ["۳۰ آبان ۱۴۰۵", "۱ آذر ۱۴۰۵", "۳۰ آذر ۱۴۰۵", "۱ دی ۱۴۰۵"],
        )
        hours = complaints.read_group(self.domain_received, ["__count"], ["date_received:hour"])
        self.assertEqual(hours[0]["date_received:hour"], "۳۰ آبان ۱۴۰۵، ۲۳:۰۰")
        weeks = complaints.read_group(self.domain_received, ["__count"], ["date_received:week"])
        self.assertEqual(
            self._groups(weeks, "date_received:week"),
            [
                (
                    "۳۰ آبان – ۶ آذر ۱۴۰۵",
                    2,
                    {"from": "2026-11-20 20:30:00", "to": "2026-11-27 20:30:00"},
                ),
                (
                    "۲۸ آذر – ۴ دی ۱۴۰۵",
                    2,
                    {"from": "2026-12-18 20:30:00", "to": "2026-12-25 20:30:00"},
                ),
            ],
        )
        self.received[0].priority = "1"
        for groupby in (GROUP, "date_received:week"):
            bars = complaints.read_progress_bar(
                self.domain_received,
                groupby,
                {"field": "priority", "colors": {"0": "muted", "1": "danger"}},
            )
            columns = complaints.web_read_group(self.domain_received, ["__count"], [groupby])
            self.assertEqual(
                sorted(bars), sorted(group[groupby] for group in columns["groups"]), groupby
            )
        self.assertEqual(bars["۳۰ آبان – ۶ آذر ۱۴۰۵"], {"0": 1, "1": 1})

    def test_server_code_keeps_gregorian_periods(self):
        """Code that computes with ``_read_group`` (dashboards, replenishment)
        gets Gregorian months, whatever the user's language."""
        rows = self._as("fa_IR")._read_group(self.domain_received, [GROUP], ["__count"])
        self.assertEqual(rows, [(datetime(2026, 11, 1), 2), (datetime(2026, 12, 1), 2)])

    def test_periods_of_every_day_1300_to_1500(self):
        """The SQL function agrees with jdatetime on every day of its 201
        years, and leaves the days around them to Gregorian periods."""
        first, stop = date(1921, 3, 21), date(2122, 3, 21)  # 1 Farvardin 1300 and 1501
        self.env.cr.execute(
            """
            SELECT day::date,
                   complaint_jalali_trunc('month', day::date),
                   complaint_jalali_trunc('quarter', day::date),
                   complaint_jalali_trunc('year', day::date)
              FROM generate_series(%s::date - 1, %s::date, interval '1 day') AS day
            """,
            [first, stop],
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(rows[0], (first - timedelta(days=1), None, None, None))
        self.assertEqual(rows[-1], (stop, None, None, None))
        wrong = []
        for day, month, quarter, year in rows[1:-1]:
            jalali = jdatetime.date.fromgregorian(date=day)
            expected = (
                jdatetime.date(jalali.year, jalali.month, 1).togregorian(),
                jdatetime.date(jalali.year, jalali.month - (jalali.month - 1) % 3, 1).togregorian(),
                jdatetime.date(jalali.year, 1, 1).togregorian(),
            )
            if (month, quarter, year) != expected:
                wrong.append(day)
        self.assertEqual(wrong, [])
        self.assertEqual(len(rows), (stop - first).days + 2)
        # Before 1300: Gregorian, so no record falls out of its group.
        old = self.Complaint.create({"subject": "Old", "date_deadline": date(1900, 5, 5)})
        groups = self._as("fa_IR").read_group([("id", "=", old.id)], [], ["date_deadline:month"])
        self.assertEqual(
            groups[0]["__range"],
            {"date_deadline:month": {"from": "1900-05-01", "to": "1900-06-01"}},
        )
        self.assertEqual(self.Complaint.search(groups[0]["__domain"]), old)
