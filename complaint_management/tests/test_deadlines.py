from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestDeadlines(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo complaints' deadlines are not these tests' business.
        cls.env.cr.execute("UPDATE complaint_complaint SET step_deadline = NULL")
        cls.env["complaint.complaint"].invalidate_model(["step_deadline"])

    def test_deadline_skips_the_weekend_and_holidays(self):
        # Wednesday 17 March 2027, 16:30 in Tehran (13:00 UTC). Acknowledgement
        # within 4 working hours: one hour on Wednesday; Thursday and Friday
        # are off, Saturday 20 March is 29 Esfand and Nowruz runs to Wednesday
        # 24; Thursday and Friday off again: due Saturday 27 March, 11:00.
        self.Complaint._load_iran_holidays([2027])  # loaded at installation until 2026
        with freeze_time("2027-03-17 13:00:00"):
            complaint = self._new(partner_id=self.customer_phone_only.id)
        self.assertEqual(complaint.step, "received")
        self.assertEqual(complaint.step_deadline, datetime(2027, 3, 27, 7, 30))
        log = complaint.step_log_ids
        self.assertEqual((log.step, log.deadline_step), ("received", "acknowledgement"))

    def test_most_specific_rule_wins(self):
        category = self.env["complaint.category"].create({"name": "Safety"})
        Rule = self.env["complaint.deadline.rule"]
        Rule.create({"step": "acknowledgement", "category_id": category.id, "hours": 2})
        Rule.create({"step": "acknowledgement", "severity": "3", "hours": 3})
        Rule.create(
            {"step": "acknowledgement", "category_id": category.id, "severity": "3", "hours": 1}
        )
        # Sunday 29 November 2026 09:00 in Tehran (05:30 UTC).
        with freeze_time("2026-11-29 05:30:00"):
            general = self._new()
            by_category = self._new(category_id=category.id)
            by_severity = self._new(severity="3")
            both = self._new(category_id=category.id, severity="3")
        self.assertEqual(general.step_deadline, datetime(2026, 11, 29, 9, 30))  # 13:00
        self.assertEqual(by_category.step_deadline, datetime(2026, 11, 29, 7, 30))  # 11:00
        self.assertEqual(by_severity.step_deadline, datetime(2026, 11, 29, 8, 30))  # 12:00
        self.assertEqual(both.step_deadline, datetime(2026, 11, 29, 6, 30))  # 10:00

    def test_clock_stops_while_waiting_on_the_customer(self):
        # Saturday 28 November 2026, 08:00 in Tehran = 04:30 UTC.
        start = datetime(2026, 11, 28, 4, 30)
        with freeze_time(start):
            complaint = self._new()
        with freeze_time(start + timedelta(hours=1)):
            self._advance(complaint, "acknowledged")
        self.assertEqual(complaint.ack_hours, 1.0)
        with freeze_time(start + timedelta(hours=3)):
            self._advance(complaint, "awaiting_approval")
        self.assertEqual(complaint.response_hours, 3.0)
        # The customer answers two working days later (19 working hours).
        with freeze_time(datetime(2026, 11, 30, 7, 30)):
            self._answer_approval(complaint, True)
        with freeze_time(datetime(2026, 11, 30, 8, 30)):  # carried out in one hour
            self._carry_out(complaint)
        with freeze_time(datetime(2026, 11, 30, 9, 30)):  # surveyed an hour later
            self._survey(complaint, True)
        self.assertEqual(complaint.step, "closed")
        self.assertEqual(complaint.close_hours, 4.0, "3 h to the proposal, 1 h to carry it out")
        self.assertEqual(complaint.customer_wait_hours, 19.0 + 1.0)
        logs = complaint.step_log_ids
        self.assertTrue(all(log.date_end for log in logs))
        self.assertEqual(
            logs.filtered(lambda log: log.step == "awaiting_approval").waits_on_customer, True
        )

    def _escalations(self, complaint):
        return complaint.activity_ids.filtered(
            lambda a: a.summary == "Late complaint: act or reassign"
        )

    def test_escalation_once_per_deadline(self):
        with freeze_time("2026-11-28 04:30:00"):  # Saturday 08:00 in Tehran
            complaint = self._new()
        Complaint = self.env["complaint.complaint"]
        with freeze_time("2026-11-28 08:00:00"):  # 11:30: not late yet (due 12:00)
            self.assertFalse(complaint.step_late)
            self.assertEqual(Complaint._cron_escalate_late(), 0)
        with freeze_time("2026-11-28 09:00:00"):  # 12:30: 30 minutes late
            complaint.invalidate_recordset(["step_late"])
            self.assertTrue(complaint.step_late)
            self.assertEqual(Complaint._cron_escalate_late(), 1)
            self.assertEqual(Complaint._cron_escalate_late(), 0, "once per deadline")
        self.assertEqual(self._escalations(complaint).user_id, self.user_manager)
        note = complaint.message_ids.filtered(lambda m: "Late:" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Received", note.body)
        notified = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.user_manager.partner_id.ids),
                ("subject", "=", "1 late complaints"),
            ]
        )
        self.assertTrue(notified, "the manager is told")
        # The next step has its own deadline, escalated once in its turn.
        with freeze_time("2026-11-28 09:30:00"):
            self._advance(complaint, "acknowledged")
            self.assertEqual(Complaint._cron_escalate_late(), 0)
        with freeze_time("2026-12-01 09:30:00"):
            self.assertEqual(Complaint._cron_escalate_late(), 1)
        notes = complaint.message_ids.filtered(lambda m: "Late:" in (m.body or ""))
        self.assertEqual(len(notes), 2)
        self.assertEqual(len(self._escalations(complaint)), 1, "the first ended with its step")

    def _late_complaints(self, count):
        with freeze_time("2026-11-28 04:30:00"):
            return self.Complaint.with_context(tracking_disable=True).create(
                [
                    {"subject": f"Late {n}", "partner_id": self.customer_phone_only.id}
                    for n in range(count)
                ]
            )

    def test_escalation_cron_does_constant_work(self):
        """No query per complaint: 1,000 late complaints cost what 10 cost, plus
        the ORM's INSERT statements, which it cuts in 100 rows (messages, to-dos
        and what hangs on them): at most 3 more per 100 complaints."""
        Complaint = self.env["complaint.complaint"]
        counts = {}
        for size in (10, 1000):
            complaints = self._late_complaints(size)
            with freeze_time("2026-12-05 09:00:00"):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                self.assertEqual(Complaint._cron_escalate_late(), size)
                counts[size] = self.env.cr.sql_log_count - before
            self.assertEqual(len(self._escalations(complaints)), size)
        inserts_of_100 = 3 * (1000 // 100)
        self.assertLessEqual(counts[1000], counts[10] + inserts_of_100, counts)
        self._late_complaints(10)
        self.env.invalidate_all()
        # 62 measured once the intake's notes went in one batch (2026-11).
        with freeze_time("2026-12-05 09:00:00"), self.assertQueryCount(64):
            Complaint._cron_escalate_late()

    def test_overdue_and_late_filters(self):
        """The list's "Overdue" (the agreed date) and "Late Step" filters."""
        with freeze_time("2026-11-28 04:30:00"):
            due = self._new(date_deadline="2026-11-27")
            not_yet = self._new(date_deadline="2026-11-30")
        with freeze_time("2026-11-28 09:00:00"):  # both steps due at 12:00 Tehran: late
            Complaint = self.Complaint
            self.assertTrue(due.is_overdue)
            self.assertFalse(not_yet.is_overdue)
            ids = (due | not_yet).ids
            overdue = Complaint.search([("id", "in", ids), ("is_overdue", "=", True)])
            self.assertEqual(overdue, due)
            late = Complaint.search([("id", "in", ids), ("step_late", "=", True)])
            self.assertEqual(late, due | not_yet)
            on_time = Complaint.search([("id", "in", ids), ("step_late", "!=", True)])
            self.assertFalse(on_time)
            with self.assertRaisesRegex(UserError, "Unsupported search on Late"):
                Complaint.search([("step_late", ">", 1)])
