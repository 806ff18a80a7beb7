from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestProcedureMoves(ComplaintCommon):
    """Only the moves the procedure allows: forward one step through its
    transition, back only through its loops, closed until a manager reopens.
    Each test is one way around the procedure that used to work."""

    def _drag(self, complaint, step, user=None):
        """A card dropped on the kanban column of ``step`` (a stage write)."""
        complaint.with_user(user or self.user_officer).write({"stage_id": self.stage[step].id})

    def _our_activities(self, complaint):
        return complaint.activity_ids.filtered(
            lambda a: a.activity_type_id.get_external_id()[a.activity_type_id.id].startswith(
                "complaint_management."
            )
        )

    def test_cft_member_cannot_acknowledge_assess_and_investigate(self):
        complaint = self._new(partner_id=self.customer.id)
        complaint.with_user(self.user_officer).team_id = self.team
        member = complaint.with_user(self.user_cft)
        with self.assertRaisesRegex(UserError, "only through the procedure"):
            member.write(
                {
                    "date_acknowledged": "2026-01-01 10:00:00",
                    "assessment": "accepted",
                    "stage_id": self.stage["investigation"].id,
                }
            )
        with self.assertRaisesRegex(UserError, "tell the customer that it was received"):
            self._drag(complaint, "investigation", self.user_cft)
        with self.assertRaises(AccessError):
            member.action_acknowledge_phone()
        self.assertEqual((complaint.step, complaint.date_acknowledged), ("received", False))

    def test_no_skipping_and_no_going_back_by_hand(self):
        complaint = self._advance(self._new(), "assessed")
        for step, reason in (
            ("response_proposed", "one step at a time"),
            ("closed", "one step at a time"),
            ("received", "goes back only through its loops"),
            ("rejected", "only the assessment"),
            ("cancelled", "a manager cancels"),
        ):
            with self.assertRaisesRegex(UserError, reason):
                self._drag(complaint, step)
        self.assertEqual(complaint.step, "assessed")

    def test_drag_and_drop_runs_the_transition(self):
        complaint = self._advance(self._new(), "assessed")
        complaint.with_user(self.user_officer).team_id = self.team
        with self.assertRaises(AccessError):
            self._drag(complaint, "investigation", self.user_cft_head)
        self._drag(complaint, "investigation")
        self.assertEqual(complaint.step, "investigation")
        self.assertTrue(complaint.date_investigation)
        self.assertIn(
            self.user_cft_head,
            complaint.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("complaint_management.mail_activity_type_root_cause")
                )
            ).user_id,
            "the CFT head is given the root-cause to-do, as with the button",
        )
        complaint.with_user(self.user_cft).root_cause_id = self.root_cause
        self._record_capa(complaint)
        self.env["complaint.resolution"].with_user(self.user_officer).create(
            {"complaint_id": complaint.id, "resolution_type": "repair", "description": "Bearing"}
        )
        self._drag(complaint, "awaiting_approval")
        self.assertEqual(complaint.step, "awaiting_approval")
        self.assertEqual(complaint._current_approval().state, "pending")
        with self.assertRaisesRegex(UserError, "Customer's Answer"):
            self._drag(complaint, "in_execution")

    def test_execution_ends_only_when_every_line_is_done(self):
        complaint = self._advance(self._new(), "in_execution")
        officer = complaint.with_user(self.user_officer)
        with self.assertRaisesRegex(UserError, "Still to do: Product repair"):
            self._drag(complaint, "survey")
        with self.assertRaisesRegex(UserError, "Still to do"):
            officer.action_end_execution()
        # Not even the procedure's own move passes the gate.
        with self.assertRaisesRegex(ValidationError, "not every approved response"):
            complaint._move_to_step("survey")
        with self.assertRaisesRegex(UserError, "one step at a time"):
            self._drag(complaint, "closed")
        self.assertEqual(complaint.step, "in_execution")
        self._carry_out(complaint)
        self.assertEqual(complaint.step, "survey")

    def test_a_closed_complaint_changes_only_by_reopening(self):
        complaint = self._advance(self._new(), "closed")
        for step in ("received", "investigation", "survey"):
            with self.assertRaisesRegex(UserError, "closed"):
                self._drag(complaint, step, self.user_manager)
        with self.assertRaisesRegex(UserError, "only a manager may correct it"):
            complaint.with_user(self.user_officer).subject = "Something else"
        complaint.with_user(self.user_manager).subject = "Drum knocks at high speed"
        self.assertEqual(complaint.subject, "Drum knocks at high speed")
        self.assertEqual(complaint.step, "closed")

        wizard = self.env["complaint.reopen.wizard"]
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_officer).create(
                {"complaint_id": complaint.id, "reason": "Customer called back"}
            )
        with self.assertRaisesRegex(UserError, "reason"):
            complaint.with_user(self.user_manager)._reopen(" ")
        wizard.with_user(self.user_manager).create(
            {
                "complaint_id": complaint.id,
                "reason": "The drum knocks again",
                "reopen_step": "response_proposed",
            }
        ).action_confirm()
        self.assertEqual((complaint.step, complaint.round), ("response_proposed", 2))
        self.assertFalse(complaint.is_closed)
        self.assertFalse(complaint.date_closed)
        reopened = complaint.message_ids.filtered(lambda m: "Reopened by" in (m.body or ""))
        self.assertIn("The drum knocks again", reopened[:1].body)

    def test_manager_cancels_with_a_reason_and_reopens(self):
        complaint = self._advance(self._new(), "investigation")
        with self.assertRaises(AccessError):
            complaint.with_user(self.user_officer)._cancel("Duplicate")
        with self.assertRaisesRegex(UserError, "reason"):
            complaint.with_user(self.user_manager)._cancel("")
        self.env["complaint.reopen.wizard"].with_user(self.user_manager).create(
            {"complaint_id": complaint.id, "mode": "cancel", "reason": "Customer withdrew it"}
        ).action_confirm()
        self.assertEqual(complaint.step, "cancelled")
        self.assertTrue(complaint.is_closed)
        self.assertFalse(self._our_activities(complaint), "a closed complaint leaves no to-do")
        complaint.with_user(self.user_manager)._reopen("Customer came back")
        self.assertEqual((complaint.step, complaint.round), ("investigation", 1))

    def test_reopening_a_rejection_assesses_again(self):
        complaint = self._new()
        complaint.with_user(self.user_officer).action_acknowledge_phone()
        complaint.with_user(self.user_officer)._assess(False, reason="A question, not a complaint")
        self.assertEqual(complaint.step, "rejected")
        complaint.with_user(self.user_manager)._reopen("The customer sent photos of the damage")
        self.assertEqual((complaint.step, complaint.assessment), ("acknowledged", False))

    def test_fully_satisfied_needs_the_scores(self):
        complaint = self._advance(self._new(), "survey")
        wizard = self.env["complaint.survey.wizard"].with_user(self.user_officer)
        values = {
            "complaint_id": complaint.id,
            "result_score": "2",
            "process_score": "5",
            "fully_satisfied": True,
        }
        with self.assertRaisesRegex(UserError, "needs both scores at 4 of 5"):
            wizard.create(values).action_confirm()
        self.assertEqual(complaint.step, "survey")
        self.company.complaint_satisfaction_threshold = 2
        wizard.create(values).action_confirm()
        self.assertEqual(complaint.step, "closed")

    def test_a_customers_low_scores_reopen_whatever_the_box(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "survey")
        complaint.sudo()._apply_survey("2", "2", True, channel="portal")
        self.assertEqual((complaint.step, complaint.round), ("investigation", 2))
        self.assertFalse(complaint.survey_ids.fully_satisfied)

    def test_a_portal_answer_waits_for_the_call(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "survey")
        complaint.sudo()._apply_survey("5", "5", True, channel="portal")
        self.assertEqual(complaint.step, "survey", "closed only once the call confirms it")
        self.assertTrue(complaint._survey_waits_for_call())
        call = self.env.ref("complaint_management.mail_activity_type_survey_call")
        self.assertEqual(
            complaint.activity_ids.filtered(lambda a: a.activity_type_id == call).mapped("summary")[
                -1:
            ],
            ["Confirm the customer's answer by phone"],
        )
        # The officer's move, not the customer's: out of "Waiting for the Customer".
        self.assertEqual(complaint.next_actor, "company")
        Complaint = self.env["complaint.complaint"]
        self.assertNotIn(complaint, Complaint.search([("next_actor", "=", "customer")]))
        self.assertIn(complaint, Complaint.search([("next_actor", "=", "company")]))
        self.company.complaint_survey_phone_confirm = False
        self.assertIn(complaint, Complaint.search([("next_actor", "=", "customer")]))
        self.company.complaint_survey_phone_confirm = True
        with self.assertRaisesRegex(UserError, "confirmed by phone"):
            complaint._move_to_step("closed")
        with self.assertRaisesRegex(UserError, "call you"):
            complaint.sudo()._apply_survey("5", "5", True, channel="portal")
        self._survey(complaint, True)
        self.assertEqual(complaint.step, "closed")
        self.assertFalse(complaint.activity_ids)

    def test_without_phone_confirmation_the_portal_answer_closes(self):
        self.company.complaint_survey_phone_confirm = False
        complaint = self._advance(self._new(partner_id=self.customer.id), "survey")
        complaint.sudo()._apply_survey("5", "4", True, channel="portal")
        self.assertEqual(complaint.step, "closed")

    def test_intake_to_closed_leaves_no_open_activity(self):
        complaint = self._new(partner_id=self.customer.id)
        assess = self.env.ref("complaint_management.mail_activity_type_assess")
        self.assertEqual(complaint.activity_ids.activity_type_id, assess)
        self._advance(complaint, "investigation")
        self.assertNotIn(assess, complaint.activity_ids.activity_type_id)
        complaint.with_user(self.user_cft_head).activity_schedule(
            "complaint_management.mail_activity_type_field_visit", user_id=self.user_cft_head.id
        )
        complaint.sudo()._escalate()  # late: the manager is given a to-do too
        self.assertEqual(len(complaint.activity_ids), 3)
        self._advance(complaint, "awaiting_approval")
        self.assertFalse(complaint.activity_ids, "the investigation's to-dos end with it")
        self._answer_approval(complaint, False, reason="Too slow")
        self.assertEqual(
            complaint.activity_ids.activity_type_id,
            self.env.ref("complaint_management.mail_activity_type_rejection"),
        )
        self._record_capa(complaint)
        self.env["complaint.resolution"].with_user(self.user_officer).create(
            {"complaint_id": complaint.id, "resolution_type": "repair", "description": "Faster"}
        )
        complaint.with_user(self.user_officer).action_propose_response()
        self.assertFalse(complaint.activity_ids)
        self._advance(complaint, "closed")
        self.assertFalse(complaint.activity_ids)
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: m.mail_activity_type_id),
            "the procedure's to-dos are marked done, not deleted",
        )

    def test_the_team_is_told_and_finds_it_in_my_complaints(self):
        # Assessed with another team, then given to this one.
        complaint = self._advance(self._new(team_id=self.other_team.id), "assessed")
        complaint.with_user(self.user_officer).team_id = self.team
        self.assertLessEqual(
            (self.user_cft_head | self.user_cft).partner_id, complaint.message_partner_ids
        )
        told = complaint.message_ids[0]
        self.assertIn("Mixer CFT", told.body)
        self.assertEqual(told.partner_ids, (self.user_cft_head | self.user_cft).partner_id)
        # "My Complaints" of the search view: mine as owner, or my teams'.
        arch = etree.fromstring(
            self.Complaint.get_views([(False, "search")])["views"]["search"]["arch"]
        )
        domain = arch.xpath("//filter[@name='filter_my']")[0].get("domain")
        for user in (self.user_cft, self.user_cft_head):
            mine = self.Complaint.with_user(user).search(safe_eval(domain, {"uid": user.id}))
            self.assertIn(complaint, mine)
        other = self.Complaint.search(safe_eval(domain, {"uid": self.user_cft_other.id}))
        self.assertNotIn(complaint, other)

    def test_the_cft_records_only_what_it_finds(self):
        complaint = self._advance(self._new(), "investigation")
        member = complaint.with_user(self.user_cft)
        member.write(
            {"immediate_action": "Quarantine lot L-42", "root_cause_id": self.root_cause.id}
        )
        self.assertEqual(complaint.root_cause_id, self.root_cause)
        for vals in (
            {"team_id": self.other_team.id},
            {"user_id": self.user_cft.id},
            {"severity": "0"},
        ):
            with self.assertRaisesRegex(AccessError, "Only the complaints officers"):
                member.write(vals)
        with self.assertRaisesRegex(AccessError, "Only the complaints officers give"):
            self._new(user=self.user_cft, team_id=self.team.id)
        self.assertEqual((complaint.team_id, complaint.severity), (self.team, "1"))
