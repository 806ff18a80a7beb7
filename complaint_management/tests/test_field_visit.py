from datetime import date, datetime, timedelta

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestFieldVisit(ComplaintCommon):
    """The CFT plans a visit to the customer on Odoo's calendar and records
    what it found on the complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"street": "خیابان آزادی، پلاک ۱۲", "city": "Tehran", "zip": "1345"})

    def setUp(self):
        super().setUp()
        self.complaint = self._advance(self._new(partner_id=self.customer.id), "investigation")

    def _plan(self, user, start=datetime(2027, 6, 7, 6, 30)):
        """What ``user`` gets from Plan Field Visit, saved with a start."""
        action = self.complaint.with_user(user).action_plan_field_visit()
        self.assertEqual((action["res_model"], action["target"]), ("calendar.event", "new"))
        form = Form(self.env["calendar.event"].with_user(user).with_context(**action["context"]))
        self.assertEqual(form.stop - form.start, timedelta(hours=2), "a visit's length")
        form.start = start
        return form.save()

    def test_cft_head_plans_a_visit_on_the_calendar(self):
        event = self._plan(self.user_cft_head)
        self.assertIn(self.complaint.name, event.name)
        self.assertEqual(
            event.partner_ids,
            self.customer | self.user_cft_head.partner_id | self.user_cft.partner_id,
        )
        self.assertEqual(event.user_id, self.user_cft_head, "organised by who plans it")
        self.assertEqual(
            (event.res_model, event.res_id), ("complaint.complaint", self.complaint.id)
        )
        self.assertEqual(event.duration, 2.0)
        self.assertEqual(event.stop, datetime(2027, 6, 7, 8, 30))
        self.assertIn("خیابان آزادی", event.location)
        self.assertIn("Tehran", event.location)
        # The step's field-visit to-do, on the visit's day, for the CFT head;
        # not calendar's generic "Meeting".
        visit_type = self.env.ref("complaint_management.mail_activity_type_field_visit")
        activity = self.complaint.activity_ids.filtered(lambda a: a.calendar_event_id == event)
        self.assertEqual(activity.activity_type_id, visit_type)
        self.assertEqual(activity.user_id, self.user_cft_head)
        self.assertEqual(activity.date_deadline, date(2027, 6, 7))
        self.assertEqual(len(self.complaint.activity_ids), 2, "the root-cause to-do and the visit")
        # The complaint counts and opens its visits.
        self.assertEqual(self.complaint.with_user(self.user_cft).visit_count, 1)
        action = self.complaint.with_user(self.user_cft).action_view_field_visits()
        self.assertEqual(
            self.env["calendar.event"].with_user(self.user_cft).search(action["domain"]), event
        )
        # A member plans the second one; an officer a third one, with the team.
        second = self._plan(self.user_cft, datetime(2027, 6, 9, 6, 30))
        self.assertEqual(second.user_id, self.user_cft)
        self.assertEqual(second.activity_ids.user_id, self.user_cft)
        third = self._plan(self.user_officer, datetime(2027, 6, 10, 6, 30))
        self.assertEqual(
            third.partner_ids,
            event.partner_ids | self.user_officer.partner_id,
        )
        self.complaint.invalidate_recordset(["visit_count"])
        self.assertEqual(self.complaint.visit_count, 3)
        # The investigation's to-dos end with it; the visits stay on the calendar.
        self._advance(self.complaint, "awaiting_approval")
        self.assertFalse(self.complaint.activity_ids)
        self.assertEqual((event | second | third).exists(), event | second | third)

    def test_visit_findings_written_by_the_cft(self):
        findings = "<p>Installed without the anti-vibration feet.</p>"
        self.complaint.with_user(self.user_cft).visit_findings = findings
        self.assertEqual(self.complaint.visit_findings, findings)
        self.complaint.with_user(self.user_officer).visit_findings = "<p>Checked.</p>"
        # Another team's CFT does not even read the complaint.
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.user_cft_other).visit_findings = "<p>Not theirs</p>"
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.user_cft_other).action_plan_field_visit()
        self.assertEqual(self.complaint.visit_findings, "<p>Checked.</p>")
        # The employee who reported a complaint reads it, but neither records
        # findings nor plans a visit.
        reported = self._advance(self._new(user=self.user_employee), "investigation")
        as_reporter = reported.with_user(self.user_employee)
        self.assertTrue(as_reporter.has_access("read"))
        with self.assertRaisesRegex(AccessError, "Only the CFT of complaint"):
            as_reporter.action_plan_field_visit()
        with self.assertRaises(AccessError):
            as_reporter.visit_findings = "<p>Not theirs</p>"
        self.assertFalse(reported.visit_findings)

    def test_form_shows_findings_and_visits(self):
        views = self.Complaint.with_user(self.user_cft).get_views([(False, "form")])
        form = etree.fromstring(views["views"]["form"]["arch"])
        page = form.find(".//page[@name='investigation']")
        names = [field.get("name") for field in page.iter("field")]
        self.assertIn("visit_findings", names)
        self.assertLess(names.index("root_cause_id"), names.index("visit_findings"))
        self.assertLess(names.index("visit_findings"), names.index("root_cause_analysis"))
        button = form.find(".//div[@name='button_box']/button[@name='action_view_field_visits']")
        self.assertIsNotNone(button)
        self.assertIsNotNone(form.find(".//header/button[@name='action_plan_field_visit']"))
