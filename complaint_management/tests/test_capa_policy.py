from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestCapaPolicy(ComplaintCommon):
    """The internal response (a nonconformity with a corrective action) is
    required before the external response is proposed, by the company's policy;
    the complaint shows where the corrective actions and their effectiveness
    evaluation stand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"complaint_capa_min_severity": "2", "complaint_capa_on_nonconformity": True}
        )
        cls.cause_man = cls.env.ref("complaint_management.complaint_root_cause_man")
        cls.cause_material = cls.env.ref("complaint_management.complaint_root_cause_material")
        cls.stage_close = cls.env.ref("mgmtsystem_action.stage_close")
        cls.stage_cancel = cls.env.ref("mgmtsystem_action.stage_cancel")

    # -- helpers -------------------------------------------------------------
    def _investigated(self, severity, root_cause):
        """A complaint under investigation, with its root cause and a draft
        external response ready to be proposed."""
        complaint = self._advance(self._new(severity=severity), "investigation")
        complaint.with_user(self.user_officer).root_cause_id = root_cause
        self.env["complaint.resolution"].with_user(self.user_officer).create(
            {
                "complaint_id": complaint.id,
                "resolution_type": "repair",
                "description": "Replace the drum bearing",
            }
        )
        return complaint

    def _propose(self, complaint):
        complaint.with_user(self.user_officer).action_propose_response()

    def _record_nonconformity(self, complaint):
        complaint.with_user(self.user_cft_head).action_create_nonconformity()
        self.assertTrue(complaint.nonconformity_id)

    def _new_action(self, complaint, **vals):
        values = {
            "name": "Change the drum bearing supplier",
            "type_action": "correction",
            "complaint_ids": [Command.link(complaint.id)],
        }
        values.update(vals)
        return self.env["mgmtsystem.action"].with_user(self.user_cft_head).create(values)

    # -- the policy ----------------------------------------------------------
    def test_high_severity_needs_nonconformity_and_corrective_action(self):
        complaint = self._investigated("2", self.cause_man)
        self.assertTrue(complaint.capa_required)
        self.assertEqual(complaint.capa_state, "none")
        with self.assertRaisesRegex(UserError, r"its severity \(High\) requires a nonconformity"):
            self._propose(complaint)
        self._record_nonconformity(complaint)
        with self.assertRaisesRegex(UserError, "requires a nonconformity with a corrective"):
            self._propose(complaint)
        # Containment is not a corrective action.
        self._new_action(complaint, name="Quarantine lot L-42", type_action="immediate")
        with self.assertRaisesRegex(UserError, "requires a nonconformity with a corrective"):
            self._propose(complaint)
        self._new_action(complaint)
        self.assertEqual(complaint.capa_state, "open")
        self._propose(complaint)
        self.assertEqual(complaint.step, "awaiting_approval")

    def test_corrective_action_without_nonconformity_is_not_enough(self):
        complaint = self._investigated("3", self.cause_man)
        self._new_action(complaint)
        with self.assertRaisesRegex(UserError, r"its severity \(Critical\) requires"):
            self._propose(complaint)
        self._record_nonconformity(complaint)
        self._propose(complaint)
        self.assertEqual(complaint.step, "awaiting_approval")

    def test_low_severity_without_nonconformity_cause_needs_nothing(self):
        complaint = self._investigated("0", self.cause_man)
        self.assertFalse(complaint.capa_required)
        self._propose(complaint)
        self.assertEqual(complaint.step, "awaiting_approval")
        self.assertFalse(complaint.nonconformity_id)
        self.assertEqual(complaint.capa_state, "none")

    def test_nonconformity_root_cause_whatever_the_severity(self):
        self.assertTrue(self.cause_material.is_nonconformity)
        complaint = self._investigated("0", self.cause_material)
        self.assertTrue(complaint.capa_required)
        with self.assertRaisesRegex(UserError, "product or process nonconformity"):
            self._propose(complaint)
        # The rule is the company's: turned off, the complaint may go on.
        self.company.complaint_capa_on_nonconformity = False
        self.assertFalse(complaint.capa_required)
        self._propose(complaint)
        self.assertEqual(complaint.step, "awaiting_approval")

    def test_nonconformity_root_cause_with_capa_can_be_proposed(self):
        complaint = self._investigated("0", self.cause_material)
        self._new_action(complaint)
        self._record_nonconformity(complaint)
        self._propose(complaint)
        self.assertEqual(complaint.step, "awaiting_approval")

    def test_empty_threshold_turns_the_severity_rule_off(self):
        self.company.complaint_capa_min_severity = False
        complaint = self._investigated("3", self.cause_man)
        self.assertFalse(complaint.capa_required)
        self._propose(complaint)
        self.assertEqual(complaint.step, "awaiting_approval")

    def test_threshold_follows_the_setting(self):
        self.company.complaint_capa_min_severity = "3"
        high = self._investigated("2", self.cause_man)
        critical = self._investigated("3", self.cause_man)
        self.assertFalse(high.capa_required)
        self.assertTrue(critical.capa_required)
        self._propose(high)
        with self.assertRaisesRegex(UserError, r"its severity \(Critical\) requires"):
            self._propose(critical)

    def test_gate_holds_when_the_stage_is_written(self):
        complaint = self._investigated("2", self.cause_man)
        # Refused whichever way the stage is written (ValidationError is a UserError).
        with self.assertRaisesRegex(UserError, "requires a nonconformity"):
            complaint.with_user(self.user_officer).write(
                {"stage_id": self.stage["response_proposed"].id}
            )
        self.assertEqual(complaint.step, "investigation")

    def test_customer_rejection_is_never_held_up(self):
        """Back to the response after the customer's rejection, whatever became
        of the corrective action; the next proposal is checked again."""
        complaint = self._investigated("2", self.cause_man)
        self._record_nonconformity(complaint)
        action = self._new_action(complaint)
        self._propose(complaint)
        action.stage_id = self.stage_cancel
        self.assertEqual(complaint.capa_state, "none")
        self._answer_approval(complaint, False, reason="A repair is not enough")
        self.assertEqual(complaint.step, "response_proposed")
        self.env["complaint.resolution"].with_user(self.user_officer).create(
            {
                "complaint_id": complaint.id,
                "resolution_type": "replacement",
                "description": "Replace the mixer",
            }
        )
        with self.assertRaisesRegex(UserError, "requires a nonconformity"):
            self._propose(complaint)
        self._new_action(complaint, name="Incoming inspection of bearings")
        self._propose(complaint)
        self.assertEqual(complaint.step, "awaiting_approval")

    def test_shared_nonconformity_actions_count(self):
        """One systemic fix covers the complaints sharing a nonconformity."""
        first = self._investigated("2", self.cause_man)
        second = self._investigated("2", self.cause_man)
        self._new_action(first)
        self._record_nonconformity(first)
        self._record_nonconformity(second)
        self.assertEqual(first.nonconformity_id, second.nonconformity_id)
        self.assertFalse(second.action_ids)
        self.assertEqual(second.capa_state, "open")
        self._propose(second)
        self.assertEqual(second.step, "awaiting_approval")

    # -- the effectiveness summary -------------------------------------------
    def test_effectiveness_summary(self):
        complaint = self._investigated("2", self.cause_man)
        self.assertEqual(complaint.capa_state, "none")
        action = self._new_action(complaint)
        self._record_nonconformity(complaint)
        nonconformity = complaint.nonconformity_id
        self.assertEqual(nonconformity.action_ids, action)
        self.assertEqual(complaint.capa_state, "open")
        self.assertFalse(complaint.capa_date_closed)
        action.with_user(self.user_cft_head).case_open()
        self.assertEqual(complaint.capa_state, "open")
        action.with_user(self.user_cft_head).stage_id = self.stage_close
        self.assertTrue(action.date_closed)
        self.assertEqual(complaint.capa_state, "done")
        self.assertEqual(complaint.capa_date_closed, action.date_closed)
        self.assertFalse(complaint.capa_effectiveness)
        # The nonconformity closes on its effectiveness evaluation.
        nonconformity.with_user(self.user_cft_head).write(
            {
                "evaluation_comments": "No knocking drum reported in three months.",
                "stage_id": self.env.ref("mgmtsystem_nonconformity.stage_done").id,
            }
        )
        self.assertEqual(nonconformity.state, "done")
        self.assertEqual(complaint.capa_state, "verified")
        self.assertEqual(complaint.capa_effectiveness, "No knocking drum reported in three months.")
        # A new corrective action reopens the internal response.
        self._new_action(complaint, name="Train the assembly line")
        self.assertEqual(complaint.capa_state, "open")
        self.assertFalse(complaint.capa_date_closed)
