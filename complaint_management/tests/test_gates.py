from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestGates(ComplaintCommon):
    """Every step's gate holds, whatever transition asks for the move: the
    gates are the last check of the procedure's own moves (a stage written by
    hand is a request for a transition: see test_procedure_moves)."""

    def _write_stage(self, complaint, step):
        complaint.with_user(self.user_officer)._move_to_step(step)

    def test_new_complaint_cannot_start_later(self):
        with self.assertRaisesRegex(ValidationError, "starts at the step"):
            self._new(stage_id=self.stage["investigation"].id)

    def test_no_assessment_before_acknowledgement(self):
        complaint = self._new()
        for step in ("acknowledged", "assessed", "investigation", "closed", "rejected"):
            with self.assertRaisesRegex(ValidationError, "has not been told"):
                self._write_stage(complaint, step)
        wizard = self.env["complaint.assess.wizard"].with_user(self.user_officer)
        with self.assertRaisesRegex(UserError, "Acknowledge"):
            wizard.create({"complaint_id": complaint.id, "immediate_action": "x"}).action_confirm()
        self.assertEqual(complaint.step, "received")
        self.assertFalse(complaint.assessment)

    def test_no_investigation_before_assessment_and_containment(self):
        complaint = self._new()
        complaint.with_user(self.user_officer).action_acknowledge_phone()
        with self.assertRaisesRegex(ValidationError, "not been assessed"):
            self._write_stage(complaint, "investigation")
        # Accepted only with containment and a CFT (test_ui); either taken back
        # afterwards, the investigation's gate still holds.
        self._advance(complaint, "assessed")
        officer = complaint.with_user(self.user_officer)
        officer.immediate_action = False
        with self.assertRaisesRegex(ValidationError, "immediate action"):
            self._write_stage(complaint, "investigation")
        with self.assertRaisesRegex(UserError, "immediate action"):
            officer.action_start_investigation()
        officer.write({"immediate_action": "Hold lot L-42", "team_id": False})
        with self.assertRaisesRegex(UserError, "no cross-functional team"):
            officer.action_start_investigation()
        self.assertEqual(complaint.step, "assessed")

    def test_no_execution_before_approval(self):
        complaint = self._advance(self._new(), "investigation")
        for step in ("in_execution", "survey", "closed"):
            with self.assertRaises(ValidationError):
                self._write_stage(complaint, step)
        self._advance(complaint, "awaiting_approval")
        for step in ("in_execution", "survey", "closed"):
            with self.assertRaisesRegex(ValidationError, "not approved"):
                self._write_stage(complaint, step)
        self._answer_approval(complaint, False, reason="too slow")
        with self.assertRaisesRegex(ValidationError, "not approved"):
            self._write_stage(complaint, "in_execution")
        self.assertEqual(complaint.step, "response_proposed")

    def test_no_closing_before_satisfied_survey(self):
        complaint = self._advance(self._new(), "in_execution")
        with self.assertRaisesRegex(ValidationError, "fully satisfied"):
            self._write_stage(complaint, "closed")
        self._advance(complaint, "survey")
        with self.assertRaisesRegex(ValidationError, "fully satisfied"):
            self._write_stage(complaint, "closed")
        self._survey(complaint, False)
        self.assertEqual(complaint.step, "investigation")
        with self.assertRaisesRegex(ValidationError, "fully satisfied|not approved"):
            self._write_stage(complaint, "closed")

    def test_awaiting_approval_needs_a_proposal(self):
        complaint = self._advance(self._new(), "investigation")
        complaint.root_cause_id = self.root_cause
        self._record_capa(complaint)
        self._write_stage(complaint, "response_proposed")
        with self.assertRaisesRegex(ValidationError, "no response has been proposed"):
            self._write_stage(complaint, "awaiting_approval")
        with self.assertRaisesRegex(UserError, "at least one external response"):
            complaint.with_user(self.user_officer).action_propose_response()

    def test_root_cause_before_response(self):
        complaint = self._advance(self._new(), "investigation")
        with self.assertRaisesRegex(ValidationError, "root cause"):
            self._write_stage(complaint, "response_proposed")

    def test_gate_message_names_the_complaint(self):
        complaint = self._new()
        with self.assertRaises(ValidationError) as caught:
            self._write_stage(complaint, "closed")
        self.assertIn(complaint.name, str(caught.exception))


@tagged("post_install", "-at_install")
class TestProcedureFieldsGuarded(ComplaintCommon):
    """The fields that carry the procedure's state are written by its
    transitions only: not by a CFT member, an officer or an administrator
    writing them directly (RPC, import, a form)."""

    def test_cft_member_cannot_write_around_the_procedure(self):
        complaint = self._new(team_id=self.team.id)
        mine = complaint.with_user(self.user_cft)
        for vals in (
            {"step": "closed"},
            {"is_closed": True},
            {"date_closed": "2026-01-01 10:00:00"},
            {"date_acknowledged": "2026-01-01 10:00:00", "ack_method": "phone"},
            {"assessment": "accepted", "date_assessed": "2026-01-01 10:00:00"},
            {"satisfaction_result": 5},
            {"round": 3},
            {"step_deadline": False},
        ):
            with self.assertRaisesRegex(UserError, "only through the procedure"):
                mine.write(vals)
        # Together with a stage: refused before any gate is asked.
        with self.assertRaisesRegex(UserError, "only through the procedure"):
            mine.write(
                {
                    "date_acknowledged": "2026-01-01 10:00:00",
                    "assessment": "accepted",
                    "stage_id": self.stage["investigation"].id,
                }
            )
        self.assertEqual(
            (
                complaint.step,
                complaint.is_closed,
                complaint.date_acknowledged,
                complaint.assessment,
            ),
            ("received", False, False, False),
        )
        # Not even with rights, nor when creating.
        with self.assertRaisesRegex(UserError, "only through the procedure"):
            complaint.sudo().write({"is_closed": True})
        with self.assertRaisesRegex(UserError, "only through the procedure"):
            self._new(date_acknowledged="2026-01-01 10:00:00")

    def test_the_transitions_still_write_them(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "closed")
        self.assertTrue(complaint.date_acknowledged)
        self.assertEqual(complaint.assessment, "accepted")
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed)
        self.assertEqual(complaint.satisfaction_result, 5)
