from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestLifecycle(ComplaintCommon):
    def test_intake_to_closed(self):
        complaint = self._new()
        self.assertEqual(complaint.step, "received")
        self.assertRegex(complaint.name, r"^CMP-\d{4}-\d{5}$")
        self.assertEqual(complaint.user_id, self.user_manager, "the manager owns new complaints")

        complaint.with_user(self.user_officer).action_acknowledge_phone()
        self.assertEqual(complaint.step, "acknowledged")
        self.assertEqual(complaint.ack_method, "phone")
        self.assertEqual(complaint.ack_user_id, self.user_officer)
        self.assertTrue(complaint.date_acknowledged)

        self._advance(complaint, "assessed")
        self.assertEqual(complaint.assessment, "accepted")
        self.assertEqual(complaint.immediate_action, "Stop shipping lot L-42")
        self.assertEqual(complaint.assessed_user_id, self.user_officer)

        self._advance(complaint, "investigation")
        head_activity = complaint.activity_ids.filtered(lambda a: a.user_id == self.user_cft_head)
        self.assertTrue(head_activity, "the CFT head gets the root-cause work as an activity")

        self._advance(complaint, "awaiting_approval")
        approval = complaint.approval_ids
        self.assertEqual(len(approval), 1)
        self.assertEqual(approval.state, "pending")
        self.assertEqual(complaint.resolution_ids.state, "proposed")

        self._advance(complaint, "in_execution")
        self.assertEqual(approval.state, "accepted")
        self.assertEqual(approval.user_id, self.user_officer)
        self.assertTrue(complaint.date_approved)

        self._advance(complaint, "survey")
        self.assertEqual(complaint.resolution_ids.state, "done")
        self._advance(complaint, "closed")
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed)
        self.assertEqual(complaint.satisfaction_result, 5)
        self.assertEqual(complaint.round, 1)
        # Every step is dated and attributed (the chatter tracking of each stage
        # change, written at commit, is checked end to end in tests/).
        for field in (
            "date_acknowledged",
            "date_assessed",
            "date_investigation",
            "date_approved",
            "date_executed",
            "date_closed",
        ):
            self.assertTrue(complaint[field], field)
        self.assertEqual(complaint.survey_ids.user_id, self.user_officer)

    def test_reopen_two_rounds(self):
        complaint = self._advance(self._new(), "survey")
        self._survey(complaint, False, reopen_step="investigation")
        self.assertEqual(complaint.step, "investigation")
        self.assertEqual(complaint.round, 2)
        self.assertFalse(complaint.is_closed)

        # Round 2: the approval of round 1 does not count any more.
        self.assertTrue(complaint._step_gate_error("in_execution"))
        self.env["complaint.resolution"].create(
            {"complaint_id": complaint.id, "resolution_type": "repair"}
        )
        self._record_capa(complaint)
        complaint.with_user(self.user_officer).action_propose_response()
        self._answer_approval(complaint, True)
        self._carry_out(complaint)
        self._survey(complaint, False, reopen_step="response_proposed")
        self.assertEqual(complaint.step, "response_proposed")
        self.assertEqual(complaint.round, 3)

        self.env["complaint.resolution"].create(
            {"complaint_id": complaint.id, "resolution_type": "repair"}
        )
        complaint.with_user(self.user_officer).action_propose_response()
        self._answer_approval(complaint, True)
        self._carry_out(complaint)
        self._survey(complaint, True)
        self.assertEqual(complaint.step, "closed")
        self.assertEqual(len(complaint.survey_ids), 3)
        self.assertEqual(complaint.survey_ids.mapped("round"), [1, 2, 3])
        self.assertEqual(
            complaint.survey_ids.mapped("reopen_step"),
            ["investigation", "response_proposed", False],
        )

    def test_approval_rejected_then_second_proposal(self):
        complaint = self._advance(self._new(), "awaiting_approval")
        with self.assertRaisesRegex(Exception, "why the customer rejected"):
            self._answer_approval(complaint, False)
        self._answer_approval(complaint, False, reason="I want a new mixer, not a repair")
        self.assertEqual(complaint.step, "response_proposed")
        first = complaint.approval_ids
        self.assertEqual(first.state, "rejected")
        self.assertEqual(first.reason, "I want a new mixer, not a repair")
        self.assertEqual(complaint.resolution_ids.state, "rejected")

        self.env["complaint.resolution"].create(
            {"complaint_id": complaint.id, "resolution_type": "replacement"}
        )
        complaint.with_user(self.user_officer).action_propose_response()
        self.assertEqual(complaint.step, "awaiting_approval")
        self.assertEqual(len(complaint.approval_ids), 2)
        second = complaint.approval_ids - first
        self.assertEqual(second.resolution_ids.resolution_type, "replacement")
        self.assertEqual(second.sequence_number, 2)
        self._answer_approval(complaint, True)
        self.assertEqual(complaint.step, "in_execution")
        self.assertEqual(first.state, "rejected", "the first round's history is kept")

    def test_rejected_as_not_a_complaint(self):
        complaint = self._new(partner_id=self.customer.id, email=self.customer.email)
        self.assertEqual(complaint.step, "acknowledged", "acknowledged by email at once")
        wizard = self.env["complaint.assess.wizard"].with_user(self.user_officer)
        with self.assertRaisesRegex(Exception, "reason"):
            wizard.create({"complaint_id": complaint.id, "decision": "reject"}).action_confirm()
        wizard.create(
            {
                "complaint_id": complaint.id,
                "decision": "reject",
                "reject_reason": "This is a question about prices.",
            }
        ).action_confirm()
        self.assertEqual(complaint.step, "rejected")
        self.assertTrue(complaint.is_closed)
        told = complaint.message_ids.filtered(lambda m: self.customer in m.partner_ids).filtered(
            lambda m: "This is a question about prices." in m.body
        )
        self.assertTrue(told, "the customer is sent the reason")

    def test_corrective_action_and_nonconformity(self):
        complaint = self._advance(self._new(), "investigation")
        complaint.root_cause_id = self.root_cause
        action = self.env["mgmtsystem.action"].create(
            {
                "name": "Change drum supplier",
                "type_action": "correction",
                "complaint_ids": [(6, 0, complaint.ids)],
            }
        )
        self.assertEqual(complaint.action_ids, action)
        self.assertEqual(complaint.action_count, 1)
        complaint.with_user(self.user_cft_head).action_create_nonconformity()
        nc = complaint.nonconformity_id
        self.assertTrue(nc)
        self.assertEqual(nc.partner_id, complaint.partner_id)
        self.assertEqual(nc.complaint_ids, complaint)
        self.assertEqual(nc.action_ids, action)
        self.assertIn(complaint.name, nc.name)

    def test_no_merge_across_customers(self):
        """The target's customer would see the other customer's messages."""
        mine = self._new(partner_id=self.customer.id)
        theirs = self._new(partner_id=self.customer_phone_only.id)
        with self.assertRaisesRegex(UserError, "same customer"):
            (mine | theirs).with_user(self.user_officer)._merge_into(mine)
        self.assertFalse(theirs.merged_into_id)

    def test_duplicates_and_merge(self):
        first = self._new()
        first.message_post(body="Customer sent a video of the noise")
        self.env["ir.attachment"].create(
            {
                "name": "noise.txt",
                "raw": b"knock knock",
                "res_model": "complaint.complaint",
                "res_id": first.id,
            }
        )
        second = self._new(subject="Mixer still knocking")
        unrelated = self._new(product_id=False, subject="Rude driver")
        self.assertEqual(second.duplicate_ids, first)
        self.assertEqual(first.duplicate_ids, second)
        self.assertFalse(unrelated.duplicate_ids)

        wizard = (
            self.env["complaint.merge.wizard"]
            .with_user(self.user_officer)
            .create({"complaint_ids": [(6, 0, (first | second).ids)], "target_id": second.id})
        )
        wizard.action_merge()
        self.assertFalse(first.active)
        self.assertEqual(first.merged_into_id, second)
        self.assertIn(
            "Customer sent a video of the noise", "".join(second.message_ids.mapped("body"))
        )
        self.assertIn(first.name, "".join(second.message_ids.mapped("body")))
        self.assertEqual(
            self.env["ir.attachment"]
            .search([("res_model", "=", "complaint.complaint"), ("res_id", "=", second.id)])
            .mapped("name"),
            ["noise.txt"],
        )
        found = self.Complaint.search([("name", "=", first.name), ("active", "in", [True, False])])
        self.assertEqual(found.merged_into_id, second, "the old tracking code leads to the merge")

    def test_same_root_cause_shares_one_nonconformity(self):
        first = self._advance(self._new(), "investigation")
        second = self._advance(self._new(subject="Knocking again"), "investigation")
        other = self._advance(self._new(subject="Paint flaking"), "investigation")
        (first | second).root_cause_id = self.root_cause
        other.root_cause_id = self.env.ref("complaint_management.complaint_root_cause_method")
        (first | second | other).with_user(self.user_cft_head).action_create_nonconformity()
        self.assertEqual(first.nonconformity_id, second.nonconformity_id)
        self.assertNotEqual(other.nonconformity_id, first.nonconformity_id)
        nonconformity = first.nonconformity_id
        self.assertEqual(nonconformity.complaint_count, 2)
        self.assertIn(self.product.display_name, nonconformity.description)
        self.assertIn(self.root_cause.name, nonconformity.description)
        self.assertEqual(
            self.Complaint.search(nonconformity.action_view_complaints()["domain"]),
            first | second,
        )

    def test_stage_template_emails_the_customer_once(self):
        template = self.env["mail.template"].create(
            {
                "name": "Complaint assessed",
                "model_id": self.env["ir.model"]._get_id("complaint.complaint"),
                "subject": "Assessed: {{ object.name }}",
                "body_html": "<p>Your complaint is being looked into.</p>",
                "partner_to": "{{ object.partner_id.id }}",
            }
        )
        self.stage["assessed"].mail_template_id = template
        complaint = self._new(partner_id=self.customer.id)
        complaint.message_subscribe(partner_ids=self.customer.ids)
        # Created in an earlier transaction: Odoo tracks no change of a record
        # in the transaction that creates it.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self._advance(complaint, "assessed")
        # The stage written again, as the kanban or an import may do.
        complaint.with_user(self.user_officer).write({"stage_id": self.stage["assessed"].id})
        self.env.flush_all()
        self.env.cr.precommit.run()
        messages = complaint.message_ids.filtered(
            lambda m: m.subject == f"Assessed: {complaint.name}"
        )
        self.assertEqual(len(messages), 1)
        emails = messages.notification_ids.filtered(
            lambda n: n.res_partner_id == self.customer and n.notification_type == "email"
        )
        self.assertEqual(len(emails), 1, "exactly one email to the customer")

    def test_stage_template_not_sent_again_at_intake(self):
        # The acknowledgement set on the "Acknowledged" stage too: a complaint
        # acknowledged by email at intake gets it once.
        self.stage["acknowledged"].mail_template_id = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement"
        )
        complaint = self._new(partner_id=self.customer.id, email=self.customer.email)
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(complaint.ack_method, "email")
        emails = complaint.message_ids.notification_ids.filtered(
            lambda n: n.res_partner_id == self.customer and n.notification_type == "email"
        )
        self.assertEqual(len(emails), 1, "exactly one email to the customer")
