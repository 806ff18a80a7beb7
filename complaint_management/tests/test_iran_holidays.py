import importlib.util
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
from freezegun import freeze_time

from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestIranHolidays(ComplaintCommon):
    """The complaints calendar's holidays come from the ``holidays`` package:
    solar and lunar, named in Persian, a year at a time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("UPDATE complaint_complaint SET step_deadline = NULL")
        cls.calendar = cls.env.ref("complaint_management.resource_calendar_complaints")
        # Shared by every company, as shipped (the demo company adopts it as its
        # default working hours, which makes it that company's).
        cls.calendar.company_id = False
        cls.Leave = cls.env["resource.calendar.leaves"]
        # Whatever the installation loaded (it depends on the day it ran),
        # these tests load 2027 and 2028 themselves.
        for year in (2027, 2028):
            cls._year_leaves(year).unlink()
        cls.loaded = cls.Complaint._load_iran_holidays([2027])

    @classmethod
    def _year_leaves(cls, year):
        return cls.Leave.search(
            [
                ("calendar_id", "=", cls.calendar.id),
                ("resource_id", "=", False),
                ("date_from", ">=", datetime(year - 1, 12, 31)),
                ("date_to", "<=", datetime(year, 12, 31, 23, 59, 59)),
            ]
        )

    def _on(self, day):
        """The calendar's leaves covering ``day`` entirely, in Tehran (00:00
        there is 20:30 UTC the day before)."""
        start = datetime(day.year, day.month, day.day) - timedelta(hours=3, minutes=30)
        return self.Leave.search(
            [
                ("calendar_id", "=", self.calendar.id),
                ("resource_id", "=", False),
                ("date_from", "<=", start),
                ("date_to", ">=", start + timedelta(days=1, seconds=-1)),
            ]
        )

    def test_the_years_holidays_in_persian(self):
        expected = holidays.country_holidays("IR", years=2027, language="fa_IR")
        self.assertEqual(len(self.loaded), len(expected))
        self.assertGreaterEqual(len(self.loaded), 25, "solar and lunar holidays")
        # 15 Khordad 1406 (Saturday 5 June 2027), a working day of the week.
        khordad = self._on(date(2027, 6, 5))
        self.assertEqual(len(khordad), 1)
        self.assertIn("15 خرداد", khordad.name)
        # Tasua and Ashura 1449 (lunar), estimated until the moon is sighted.
        ashura = self._on(date(2027, 6, 16))
        self.assertIn("عاشورا", ashura.name)
        self.assertIn("تخمینی", ashura.name)
        # Nowruz: 1 to 4 Farvardin 1406.
        self.assertEqual(len(self._on(date(2027, 3, 21)) | self._on(date(2027, 3, 24))), 2)
        # Whole days in Tehran, as a manager enters them, of every company.
        self.assertFalse(khordad.company_id)
        self.assertEqual(khordad.date_from, datetime(2027, 6, 4, 20, 30))
        self.assertEqual(khordad.date_to, datetime(2027, 6, 5, 20, 29, 59))
        # The complaints managers find them in Configuration > Holidays.
        self.assertIn(
            khordad, self.Leave.with_user(self.user_manager).search([("name", "like", "خرداد")])
        )
        self.assertFalse(
            self.env.ref("complaint_management.holiday_1406_nowruz", raise_if_not_found=False),
            "no hand-typed list",
        )

    def test_deadline_skips_15_khordad(self):
        # Wednesday 2 June 2027, 16:30 in Tehran: acknowledgement within 4
        # working hours. One hour on Wednesday; Thursday and Friday off;
        # Saturday 5 June is 15 Khordad: due Sunday 6 June, 11:00 (07:30 UTC).
        with freeze_time("2027-06-02 13:00:00"):
            complaint = self._new()
        self.assertEqual(complaint.step_deadline, datetime(2027, 6, 6, 7, 30))

    def test_deadline_skips_a_lunar_holiday(self):
        # Monday 14 June 2027, 16:30 in Tehran. One hour on Monday; Tuesday 15
        # and Wednesday 16 June are Tasua and Ashura; Thursday and Friday off:
        # due Saturday 19 June, 11:00 (07:30 UTC).
        self.assertEqual(
            {day for day, _name in holidays.IR(years=2027, language="en_US").items()}
            & {date(2027, 6, 15), date(2027, 6, 16)},
            {date(2027, 6, 15), date(2027, 6, 16)},
        )
        with freeze_time("2027-06-14 13:00:00"):
            complaint = self._new()
        self.assertEqual(complaint.step_deadline, datetime(2027, 6, 19, 7, 30))

    def test_loaded_once_and_the_managers_changes_kept(self):
        count = len(self._year_leaves(2027))
        self.assertFalse(self.Complaint._load_iran_holidays([2027]), "a year is loaded once")
        self.assertEqual(len(self._year_leaves(2027)), count, "no duplicates")
        # The moon was sighted a day later: the manager moves Ashura, and
        # deletes a holiday the company works on; loading again keeps both.
        ashura = self._on(date(2027, 6, 16))
        ashura.with_user(self.user_manager).write(
            {"date_from": datetime(2027, 6, 16, 20, 30), "date_to": datetime(2027, 6, 17, 20, 29)}
        )
        self._on(date(2027, 4, 2)).with_user(self.user_manager).unlink()
        self.Complaint._load_iran_holidays([2027])
        self.assertFalse(self._on(date(2027, 6, 16)))
        self.assertFalse(self._on(date(2027, 4, 2)))
        self.assertEqual(len(self._year_leaves(2027)), count - 1)

    def test_a_day_entered_by_hand_gets_no_second_leave(self):
        self.Leave.with_user(self.user_manager).create(
            {
                "name": "Nowruz (entered by hand)",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2028, 3, 19, 20, 30),
                "date_to": datetime(2028, 3, 20, 20, 29, 59),
            }
        )
        created = self.Complaint._load_iran_holidays([2028])
        self.assertTrue(created)
        self.assertEqual(len(self._on(date(2028, 3, 20))), 1)
        self.assertEqual(len(created), len(holidays.IR(years=2028)) - 1)

    def test_the_yearly_job_adds_the_next_year(self):
        cron = self.env.ref("complaint_management.ir_cron_complaint_iran_holidays")
        self.assertEqual((cron.interval_number, cron.interval_type), (12, "months"))
        self.assertFalse(self._year_leaves(2028))
        with freeze_time("2027-12-01 06:00:00"):
            cron.method_direct_trigger()
        self.assertTrue(self._on(date(2028, 3, 20)), "Nowruz 1407")
        count = len(self._year_leaves(2028))
        with freeze_time("2027-12-02 06:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(len(self._year_leaves(2028)), count)

    def test_migration_removes_the_hand_typed_holidays(self):
        leave = self.Leave.create(
            {
                "name": "نوروز (1-4 Farvardin 1406)",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2027, 3, 20, 20, 30),
                "date_to": datetime(2027, 3, 24, 20, 29, 59),
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "complaint_management",
                "name": "holiday_1406_nowruz",
                "model": leave._name,
                "res_id": leave.id,
                "noupdate": True,
            }
        )
        path = Path(__file__).parent.parent / "migrations" / "18.0.1.3.0" / "pre-migrate.py"
        spec = importlib.util.spec_from_file_location("cm_pre_migrate_18_0_1_3_0", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.1.2.0")
        self.assertFalse(leave.exists())
        self.assertTrue(self._on(date(2027, 3, 21)), "the package's Nowruz stays")
