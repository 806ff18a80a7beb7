import os
import re
from datetime import date, datetime
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .common import ComplaintCommon

HOOT_SUITE = "@complaint_management/jalali"
HOOT_TEST_COUNT = 13


def _hoot_hash(name):
    """The id HOOT gives a suite or a test (as Odoo's web/tests/test_js.py)."""
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


@tagged("post_install", "-at_install")
class TestJalaliWebClient(ComplaintCommon, HttpCase):
    """The backend in the Jalali calendar for Persian users, in Chromium.

    The calendar arithmetic, the formats, the picker, list cells and search
    filters are tested as Odoo's JavaScript unit tests (HOOT,
    ``static/tests/jalali/jalali.test.js``); the tours go through a real
    complaint form and real groups by month (made by the server,
    ``test_jalali_groups``), with the browser in Tehran's time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.user_officer.tz = "Asia/Tehran"
        # Received at midnight in Tehran on Nowruz 1404 (20:30 UTC the day
        # before, still 30 Esfand 1403 in UTC); deadline 11 Esfand 1403.
        cls.complaint = cls.Complaint.create(
            {"subject": "Jalali deadline", "date_deadline": date(2025, 3, 1)}
        )
        cls.complaint.date_received = datetime(2025, 3, 20, 20, 30)

    def _tour_in_tehran(self, tour):
        url = f"/odoo/action-complaint_management.complaint_complaint_action/{self.complaint.id}"
        # Chromium takes its time zone from TZ: the browser is in Tehran.
        with patch.dict(os.environ, {"TZ": "Asia/Tehran"}):
            self.start_tour(url, tour, login=self.user_officer.login)

    def test_persian_user_picks_a_jalali_deadline(self):
        self.user_officer.lang = "fa_IR"
        self._tour_in_tehran("complaint_jalali_deadline")
        # 30 Esfand 1403 (1403 is leap) is 20 March 2025.
        self.assertEqual(self.complaint.date_deadline, date(2025, 3, 20))
        self.assertEqual(self.complaint.date_received, datetime(2025, 3, 20, 20, 30))

    def test_english_user_keeps_gregorian_dates(self):
        self.user_officer.lang = "en_US"
        self._tour_in_tehran("complaint_gregorian_deadline")
        self.assertEqual(self.complaint.date_deadline, date(2025, 3, 20))

    def test_persian_user_groups_by_jalali_month(self):
        """List, kanban and pivot grouped by the month received: Jalali
        months from midnight to midnight in Tehran, each with its complaints
        (in Gregorian months the four would be two and two)."""
        self.user_officer.lang = "fa_IR"
        received = {
            "30 Aban 23:59": datetime(2026, 11, 21, 20, 29),
            "1 Azar 00:01": datetime(2026, 11, 21, 20, 31),
            "30 Azar 23:59": datetime(2026, 12, 21, 20, 29),
            "1 Dey 00:01": datetime(2026, 12, 21, 20, 31),
        }
        complaints = self.Complaint.create(
            [{"subject": f"Jalali group: {when}"} for when in received]
        )
        for complaint, value in zip(complaints, received.values(), strict=True):
            complaint.date_received = value
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Complaints by month",
                "res_model": "complaint.complaint",
                "view_mode": "list,kanban,pivot",
                "domain": "[('subject', 'like', 'Jalali group')]",
                "context": "{'group_by': 'date_received:month'}",
            }
        )
        with patch.dict(os.environ, {"TZ": "Asia/Tehran"}):
            self.start_tour(
                f"/odoo/action-{action.id}",
                "complaint_jalali_group_by_month",
                login=self.user_officer.login,
            )

    def test_jalali_unit_tests(self):
        """The HOOT suite of the Jalali calendar (conversions at Nowruz, 29/30
        Esfand, Tehran's midnights; formats; picker; views; filters)."""
        suite = _hoot_hash(HOOT_SUITE)
        with self.assertLogs(self._logger.name, level="INFO") as logs:
            try:
                self.browser_js(
                    f"/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
                    f"&suite={suite}&test={suite}",
                    "",
                    "",
                    login="admin",
                    timeout=900,
                    success_signal="[HOOT] test suite succeeded",
                    error_checker=lambda message: "[HOOT]" not in message,
                )
            except AssertionError as error:
                # The browser's log says which test failed and why.
                raise AssertionError("\n".join([str(error), *logs.output])) from None
        # A filter matching nothing "succeeds" too: the suite's tests ran.
        passed = re.findall(r"passed (\d+) tests", "\n".join(logs.output))
        self.assertEqual(passed and int(passed[-1]), HOOT_TEST_COUNT, logs.output[-3:])
