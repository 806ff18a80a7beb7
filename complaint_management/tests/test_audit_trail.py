from datetime import datetime, time, timedelta

from lxml import html as lxml_html

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCommon

REPORT = "complaint_management.report_complaint"


@tagged("post_install", "-at_install")
class TestAuditTrail(ComplaintCommon):
    """The step passages say who moved the complaint, and why: on screen and
    in the printed complaint file."""

    def _carry_out_as_officer(self, complaint):
        """The approved repairs carried out by the officer (not the superuser
        of the test), so that the move to the survey is the officer's too."""
        lines = complaint._current_approval().resolution_ids.filtered(
            lambda line: line.state == "approved"
        )
        for line in lines:
            line.with_user(self.user_officer).action_create_document()
            repair = line.repair_id.with_user(self.user_officer)
            repair.action_validate()
            repair.action_repair_start()
            repair.action_repair_end()

    def _close_as_officer(self, reason):
        complaint = self._new(partner_id=self.customer_phone_only.id)
        self._advance(complaint, "in_execution")
        self._carry_out_as_officer(complaint)
        self.assertEqual(complaint.step, "survey")
        # The final survey call closes it, with the reason the transition gives.
        self.env["complaint.survey.wizard"].with_user(self.user_officer).with_context(
            complaint_step_reason=reason
        ).create(
            {
                "complaint_id": complaint.id,
                "result_score": "5",
                "process_score": "5",
                "fully_satisfied": True,
                "comment": "ok",
            }
        ).action_confirm()
        self.assertEqual(complaint.step, "closed")
        return complaint

    def _on_time_in_db(self, logs):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, on_time FROM complaint_step_log WHERE id IN %s", [tuple(logs.ids)]
        )
        return dict(self.env.cr.fetchall())

    def test_officer_drives_a_complaint_to_closed(self):
        reason = "Customer confirmed by phone that the drum is quiet"
        complaint = self._close_as_officer(reason)
        logs = complaint.step_log_ids.sorted("id")
        self.assertEqual(
            logs.mapped("step"),
            [
                "received",
                "acknowledged",
                "assessed",
                "investigation",
                "response_proposed",
                "awaiting_approval",
                "in_execution",
                "survey",
                "closed",
            ],
        )
        # Every act is the officer's, named in "Done by".
        self.assertEqual(logs.mapped("actor"), ["staff"] * len(logs))
        self.assertEqual(logs.user_id, self.user_officer)
        self.assertTrue(all(log.user_id == self.user_officer for log in logs))
        # The note comes from the context of the move that made the passage only.
        closed = logs[-1]
        self.assertEqual(closed.note, reason)
        self.assertFalse(any(logs[:-1].mapped("note")))
        # The closing move: over at once, not timed, "on time" left empty.
        self.assertEqual(closed.round, 1)
        self.assertFalse(closed.deadline_step)
        self.assertEqual(closed.date_start, closed.date_end)
        self.assertEqual(closed.working_hours, 0.0)
        self.assertIsNone(self._on_time_in_db(closed)[closed.id])
        self.assertTrue(all(log.deadline_step for log in logs[:-1]))
        # The KPIs of the closing are unchanged: close_hours counts the timed steps.
        self.assertEqual(
            complaint.close_hours,
            round(
                sum(logs.filtered(lambda log: not log.waits_on_customer).mapped("working_hours")),
                2,
            ),
        )

    def test_rejection_leaves_a_row_with_its_reason(self):
        complaint = self._new()
        complaint.with_user(self.user_officer).action_acknowledge_phone()
        self.env["complaint.assess.wizard"].with_user(self.user_officer).with_context(
            complaint_step_reason="A question about the price, not a complaint"
        ).create(
            {
                "complaint_id": complaint.id,
                "decision": "reject",
                "reject_reason": "A question about the price",
            }
        ).action_confirm()
        self.assertEqual(complaint.step, "rejected")
        last = complaint.step_log_ids.sorted("id")[-1]
        self.assertEqual(
            (last.step, last.user_id, last.actor, last.note, last.deadline_step),
            (
                "rejected",
                self.user_officer,
                "staff",
                "A question about the price, not a complaint",
                False,
            ),
        )

    def test_customer_acts_are_the_customers(self):
        complaint = self._new(partner_id=self.customer.id)
        self._advance(complaint, "awaiting_approval")
        # An employee who opens the customer's link acts as the customer, as
        # the portal runs the decision (sudo, after the token check).
        complaint.with_user(self.user_employee).sudo()._apply_customer_decision(
            False, reason="A repair is not enough", channel="portal"
        )
        self.assertEqual(complaint.step, "response_proposed")
        rejected = complaint.step_log_ids.sorted("id")[-1]
        self.assertEqual(rejected.step, "response_proposed")
        self.assertEqual(rejected.actor, "customer")
        self.assertFalse(rejected.user_id)
        # The officer proposes again; the customer accepts on the public link.
        self.env["complaint.resolution"].with_user(self.user_officer).create(
            {
                "complaint_id": complaint.id,
                "resolution_type": "repair",
                "description": "Replace the drum",
            }
        )
        self._record_capa(complaint)
        complaint.with_user(self.user_officer).action_propose_response()
        proposed = complaint.step_log_ids.sorted("id")[-1]
        self.assertEqual((proposed.actor, proposed.user_id), ("staff", self.user_officer))
        public = self.env.ref("base.public_user")
        complaint.with_user(public).sudo()._apply_customer_decision(True, channel="portal")
        self.assertEqual(complaint.step, "in_execution")
        accepted = complaint.step_log_ids.sorted("id")[-1]
        self.assertEqual((accepted.step, accepted.actor), ("in_execution", "customer"))
        self.assertFalse(accepted.user_id)
        # The printed file names the customer as the one who did it.
        rows = self._report_rows(complaint)
        self.assertEqual(rows[-1]["done_by"], "Customer")

    def test_the_actor_cannot_be_forged_over_rpc(self):
        """A context sent by a client does not make an employee's act the
        customer's, not even where the server then acts as sudo."""
        complaint = self._new()
        complaint.with_user(self.user_officer).with_context(
            complaint_step_actor="customer"
        ).action_acknowledge_phone()
        forged = complaint.with_user(self.user_officer).with_context(
            complaint_step_actor="customer"
        )
        self.assertEqual(forged.sudo()._step_actor()[1], "staff")
        last = complaint.step_log_ids.sorted("id")[-1]
        self.assertEqual(
            (last.step, last.actor, last.user_id),
            ("acknowledged", "staff", self.user_officer),
        )

    def test_system_jobs(self):
        """The intake job (the superuser) acknowledges by email: the system's act."""
        complaint = self.Complaint.with_context(complaint_defer_intake=True).create(
            {
                "subject": "Knocking drum",
                "partner_id": self.customer.id,
                "email": self.customer.email,
            }
        )
        self.assertTrue(complaint.email)
        self.Complaint._cron_intake_followup()
        self.assertEqual(complaint.step, "acknowledged")
        last = complaint.step_log_ids.sorted("id")[-1]
        self.assertEqual((last.step, last.actor), ("acknowledged", "system"))

    def test_audit_fields_only_from_the_procedure(self):
        complaint = self._new()
        log = complaint.step_log_ids
        as_manager = log.with_user(self.user_manager)
        for vals in ({"note": "Edited afterwards"}, {"date_start": "2026-01-01 08:00:00"}):
            with self.assertRaises(UserError):
                as_manager.write(vals)
        with self.assertRaises(AccessError):
            as_manager.unlink()
        with self.assertRaises(UserError):
            log.sudo().write({"working_hours": 0.5})
        self.assertFalse(log.note)
        self.assertTrue(log.exists())

    def _report_rows(self, complaint):
        """The rows of the printed file's step table: step, done by, note."""
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, complaint.ids)[0]
        tree = lxml_html.fromstring(html)
        rows = tree.xpath("//table[contains(@class, 'o_report_step_log')]/tbody/tr")
        return [
            {
                "step": " ".join(row.xpath("./td[1]")[0].text_content().split()),
                "done_by": " ".join(
                    row.xpath("./td[contains(@class, 'o_report_step_user')]")[0]
                    .text_content()
                    .split()
                ),
                "note": " ".join(
                    row.xpath("./td[contains(@class, 'o_report_step_note')]")[0]
                    .text_content()
                    .split()
                ),
            }
            for row in rows
        ]

    def test_complaint_file_shows_who_and_why(self):
        reason = "Customer confirmed by phone that the drum is quiet"
        complaint = self._close_as_officer(reason)
        rows = self._report_rows(complaint)
        self.assertEqual(len(rows), len(complaint.step_log_ids))
        self.assertEqual({row["done_by"] for row in rows}, {"Officer Omidi"})
        self.assertEqual(rows[-1]["step"], "Closed")
        self.assertEqual(rows[-1]["note"], reason)
        header = self.env["ir.actions.report"]._render_qweb_html(REPORT, complaint.ids)[0]
        self.assertIn(b"Done by", header)

    def test_management_review_counts_timed_steps_only(self):
        # The review reads its period in the reader's time zone; the day below is UTC's.
        self.env.user.tz = "UTC"
        complaint = self._close_as_officer("Closed")
        day = complaint.date_received.date()
        wizard = self.env["complaint.period.report"].create({"date_from": day, "date_to": day})
        values = self.env["report.complaint_management.report_complaint_period"]._get_report_values(
            wizard.ids
        )
        labels = [row[0] for row in values["timeliness"]]
        self.assertTrue(labels)
        self.assertNotIn("-", labels, "the closing moves are no step of the timeliness table")
        counted = sum(row[3] for row in values["timeliness"])
        start = datetime.combine(day, time.min)
        timed = self.env["complaint.step.log"].search_count(
            [
                ("complaint_id.date_received", ">=", start),
                ("complaint_id.date_received", "<", start + timedelta(days=1)),
                ("date_end", "!=", False),
                ("deadline_step", "!=", False),
            ]
        )
        self.assertEqual(counted, timed)
