"""The role matrix of the README, cell by cell: each act of the procedure,
called over JSON-RPC (the portal's decision over HTTP) as each role, is done
or refused with its reason, and a refused act leaves the complaint as it was.

Every complaint is prepared by the officer through the procedure's buttons.
Each employee acting on one is the one who registered it, and the portal user
is its customer: everyone logged in sees the complaint, so a refusal comes
from the role, not from not seeing it."""

import json
from collections import namedtuple
from urllib.parse import urlsplit

from odoo.tests import JsonRpcException, tagged

from .common import ComplaintHttpCommon

# The roles (columns), the refused ones first: a complaint unchanged by a
# refusal serves the next role; an act done uses it up.
ROLES = (
    "employee",
    "salesman",
    "stock",
    "cft",
    "cft_other",
    "portal",
    "anonymous",
    "officer",
    "manager",
)
EMPLOYEES = ("employee", "salesman", "stock", "cft", "cft_other", "officer", "manager")
OFFICERS = ("officer", "manager")

# The server's reasons: keywords of each message (all of a tuple's).
SESSION = "Session expired"
OFFICER_GROUP = "Only members of “Complaints / Officer” may do this"
TEAM_FIELDS = "Only the CFT of complaint"
CLOSED = "is closed: only a manager may correct it"
PROCEDURE = "change only through the procedure"
STILL_TO_DO = "stays in execution until every approved response is carried out"
NOT_BY_HAND = "cannot be moved to “Closed”: record the final survey (“Final Survey”)"
NOT_THE_CUSTOMER = "redirected to /my"
# Who may not write complaints at all (every employee reports, but only the
# CFT and the officers work on complaints; customers read theirs): Odoo's own
# access refusal comes first, before any role or procedure check.
NO_WRITE = ("You are not allowed to modify", "(complaint.complaint) records")
NO_CREATE = ("You are not allowed to create", "(complaint.complaint) records")
READ_ONLY = ("employee", "salesman", "stock", "portal")


def writes(refusal, **others):
    """The refusals of an act that writes the complaint."""
    return {"*": refusal, **dict.fromkeys(READ_ONLY, NO_WRITE), **others}


def no_create(model, group="Complaints/Officer"):
    """The access rights' refusal of a wizard: not for this role's groups."""
    return ("You are not allowed to create", f"({model}) records", f"- {group}")


# An act (row): what the complaint is prepared to (None: no complaint), the
# roles that may do it, and the reason of each refusal ("*": every other role).
Act = namedtuple("Act", "name prepare allowed refusals")
ACTS = (
    Act("register", None, EMPLOYEES, {"portal": NO_CREATE}),
    Act("acknowledge_phone", "received", OFFICERS, {"*": OFFICER_GROUP}),
    Act("assess", "acknowledged", OFFICERS, {"*": no_create("complaint.assess.wizard")}),
    Act(
        "give_team",
        "assessed",
        OFFICERS,
        writes("Only the complaints officers may change the CFT of complaint"),
    ),
    Act("start_investigation", "assessed_team", OFFICERS, {"*": OFFICER_GROUP}),
    Act(
        "containment",
        "investigation",
        ("cft", *OFFICERS),
        writes((TEAM_FIELDS, "records its Immediate Action")),
    ),
    Act(
        "root_cause",
        "investigation",
        ("cft", *OFFICERS),
        writes((TEAM_FIELDS, "records its Root Cause")),
    ),
    Act("propose_response", "draft_response", OFFICERS, {"*": OFFICER_GROUP}),
    Act(
        "approval_by_phone",
        "awaiting_approval",
        OFFICERS,
        {"*": no_create("complaint.approval.wizard")},
    ),
    Act("decision_on_portal", "awaiting_approval", ("portal",), {"*": NOT_THE_CUSTOMER}),
    Act(
        "end_execution_button",
        "in_execution",
        (),
        {"*": OFFICER_GROUP, "officer": STILL_TO_DO, "manager": STILL_TO_DO},
    ),
    Act(
        "end_execution_stage",
        "in_execution",
        (),
        writes(OFFICER_GROUP, officer=STILL_TO_DO, manager=STILL_TO_DO),
    ),
    Act("survey", "survey", OFFICERS, {"*": no_create("complaint.survey.wizard")}),
    Act("close_stage", "survey", (), writes(NOT_BY_HAND)),
    Act(
        "reopen",
        "closed",
        ("manager",),
        {"*": no_create("complaint.reopen.wizard", "Complaints/Manager")},
    ),
    Act(
        "cancel",
        "acknowledged",
        ("manager",),
        {"*": no_create("complaint.reopen.wizard", "Complaints/Manager")},
    ),
    Act("correct_closed", "closed", ("manager",), writes(CLOSED)),
    Act("write_assessment", "acknowledged", (), writes((PROCEDURE, "Assessment"))),
    Act("write_is_closed", "investigation", (), writes((PROCEDURE, "Is Closed"))),
)


class Refused(Exception):
    """A refusal over HTTP: the page the user is sent to instead."""


@tagged("post_install", "-at_install")
class TestRoleMatrix(ComplaintHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman, cls.stock_user = cls._other_apps_users("cm_rm")
        cls.users = {
            "employee": cls.user_employee,
            "salesman": cls.salesman,
            "stock": cls.stock_user,
            "cft": cls.user_cft,
            "cft_other": cls.user_cft_other,
            "portal": cls.portal_user,
            "anonymous": None,
            "officer": cls.user_officer,
            "manager": cls.user_manager,
        }
        # A root cause that is no nonconformity: the company's CAPA policy
        # (tested in test_capa_policy) asks nothing before the response.
        cls.root_cause = cls.env["complaint.root.cause"].create(
            {"name": "Handling by the customer", "is_nonconformity": False}
        )
        cls.category = cls.env["complaint.category"].create({"name": "Noise"})
        cls.other_cause = cls.env["complaint.root.cause"].create({"name": "Worn bearing"})

    def test_role_matrix(self):
        self.shared = {}
        for role in ROLES:
            user = self.users[role]
            self.authenticate(user and user.login, user and user.login)
            for act in ACTS:
                with self.subTest(act=act.name, role=role):
                    self._cell(act, role)

    # -- one cell --------------------------------------------------------------
    def _cell(self, act, role):
        user = self.users[role]
        complaint = self._complaint_for(act, role)
        before = self._state(act, complaint)
        try:
            done = getattr(self, f"_do_{act.name}")(complaint, user)
        except (JsonRpcException, Refused) as error:
            changed = self._state(act, complaint) != before
            if changed:
                self.shared.pop(act.name, None)
            self.assertNotIn(role, act.allowed, f"refused: {error}")
            if role == "anonymous" and act.name != "decision_on_portal":
                reason = SESSION
            else:
                reason = act.refusals.get(role, act.refusals.get("*"))
            for keyword in reason if isinstance(reason, tuple) else (reason,):
                self.assertIn(keyword, str(error))
            if act.name.startswith("end_execution") and role in OFFICERS:
                to_do = complaint.sudo()._open_response_lines()
                self.assertTrue(to_do)
                self.assertIn(
                    f"Still to do: {', '.join(to_do.mapped('display_name'))}",
                    str(error),
                    "the lines to do are named",
                )
            self.assertFalse(changed, "a refused act leaves the complaint unchanged")
            return
        self.shared.pop(act.name, None)
        self.env.invalidate_all()
        self.assertIn(role, act.allowed, "done, but should have been refused")
        getattr(self, f"_check_{act.name}")(complaint, user, done)

    def _complaint_for(self, act, role):
        """The act's complaint: the one refusals left unchanged, or a new one."""
        if not act.prepare:
            return None
        complaint = self.shared.get(act.name)
        if not complaint:
            complaint = self.shared[act.name] = self._prepare(act.prepare)
        user = self.users[role]
        if user and not user.share:
            complaint.sudo().reported_by_id = user
        return complaint

    def _prepare(self, state):
        complaint = self._new(partner_id=self.customer.id)
        step = {"assessed_team": "assessed", "draft_response": "investigation"}.get(state, state)
        if step != "received":
            self._advance(complaint, step)
        officer = complaint.with_user(self.user_officer)
        if state == "assessed_team":
            officer.team_id = self.team
        elif state == "draft_response":
            officer.root_cause_id = self.root_cause
            self.env["complaint.resolution"].with_user(self.user_officer).create(
                {
                    "complaint_id": complaint.id,
                    "resolution_type": "repair",
                    "description": "Replace the drum bearing",
                }
            )
        return complaint

    def _state(self, act, complaint):
        """What a refused act must leave as it was, read from the database."""
        self.env.invalidate_all()
        if complaint is None:
            return self.Complaint.sudo().with_context(active_test=False).search_count([])
        c = complaint.sudo()
        return {
            "step": c.step,
            "stage": c.stage_id.id,
            "is_closed": c.is_closed,
            "round": c.round,
            "date_acknowledged": c.date_acknowledged,
            "assessment": c.assessment,
            "subject": c.subject,
            "category": c.category_id.id,
            "team": c.team_id.id,
            "immediate_action": c.immediate_action,
            "root_cause": c.root_cause_id.id,
            "approvals": [(a.id, a.state) for a in c.approval_ids],
            "lines": [(line.id, line.state) for line in c.resolution_ids],
            "surveys": c.survey_ids.ids,
            "messages": len(c.message_ids),
        }

    # -- calls -----------------------------------------------------------------
    def _rpc(self, model, method, *args, **kwargs):
        """/web/dataset/call_kw as the web client calls it; an error raises
        JsonRpcException with the server's message, as the user reads it."""
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 0,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": kwargs,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"]["data"]
            raise JsonRpcException(body["error"]["code"], f"{data['name']}: {data['message']}")
        return body["result"]

    def _wizard(self, model, vals):
        wizard_id = self._rpc(model, "create", vals)
        return self._rpc(model, "action_confirm", [wizard_id])

    def _do_register(self, complaint, user):
        return self._rpc(
            "complaint.complaint",
            "create",
            {"subject": "The lid does not close", "partner_id": self.customer.id},
        )

    def _do_acknowledge_phone(self, complaint, user):
        return self._rpc("complaint.complaint", "action_acknowledge_phone", complaint.ids)

    def _do_assess(self, complaint, user):
        return self._wizard(
            "complaint.assess.wizard",
            {
                "complaint_id": complaint.id,
                "decision": "accept",
                "immediate_action": "Hold lot L-77",
                "team_id": self.team.id,
            },
        )

    def _do_give_team(self, complaint, user):
        return self._rpc("complaint.complaint", "write", complaint.ids, {"team_id": self.team.id})

    def _do_start_investigation(self, complaint, user):
        return self._rpc("complaint.complaint", "action_start_investigation", complaint.ids)

    def _do_containment(self, complaint, user):
        vals = {"immediate_action": "Recall lot L-42"}
        return self._rpc("complaint.complaint", "write", complaint.ids, vals)

    def _do_root_cause(self, complaint, user):
        vals = {"root_cause_id": self.other_cause.id}
        return self._rpc("complaint.complaint", "write", complaint.ids, vals)

    def _do_propose_response(self, complaint, user):
        return self._rpc("complaint.complaint", "action_propose_response", complaint.ids)

    def _do_approval_by_phone(self, complaint, user):
        return self._wizard(
            "complaint.approval.wizard", {"complaint_id": complaint.id, "decision": "accept"}
        )

    def _do_decision_on_portal(self, complaint, user):
        # Staff hold the customer's link (it is in the chatter); the portal
        # user is logged in and needs none; an anonymous visitor has none.
        response = self._decide(complaint, "accept", token=bool(user and not user.share))
        self.assertEqual(response.status_code, 303)
        path = urlsplit(response.headers["Location"]).path
        if path == "/my":
            raise Refused(f"redirected to {path}")
        return path

    def _do_end_execution_button(self, complaint, user):
        return self._rpc("complaint.complaint", "action_end_execution", complaint.ids)

    def _do_end_execution_stage(self, complaint, user):
        vals = {"stage_id": self.stage["survey"].id}
        return self._rpc("complaint.complaint", "write", complaint.ids, vals)

    def _do_survey(self, complaint, user):
        return self._wizard(
            "complaint.survey.wizard",
            {
                "complaint_id": complaint.id,
                "result_score": "5",
                "process_score": "5",
                "fully_satisfied": True,
            },
        )

    def _do_close_stage(self, complaint, user):
        vals = {"stage_id": self.stage["closed"].id}
        return self._rpc("complaint.complaint", "write", complaint.ids, vals)

    def _do_reopen(self, complaint, user):
        return self._wizard(
            "complaint.reopen.wizard",
            {"complaint_id": complaint.id, "mode": "reopen", "reason": "The noise is back"},
        )

    def _do_cancel(self, complaint, user):
        return self._wizard(
            "complaint.reopen.wizard",
            {"complaint_id": complaint.id, "mode": "cancel", "reason": "Withdrawn by phone"},
        )

    def _do_correct_closed(self, complaint, user):
        vals = {"subject": "Drum knocks at full load", "category_id": self.category.id}
        return self._rpc("complaint.complaint", "write", complaint.ids, vals)

    def _do_write_assessment(self, complaint, user):
        vals = {"assessment": "accepted"}
        return self._rpc("complaint.complaint", "write", complaint.ids, vals)

    def _do_write_is_closed(self, complaint, user):
        vals = {"is_closed": True}
        return self._rpc("complaint.complaint", "write", complaint.ids, vals)

    # -- what the user sees once the act is done -------------------------------
    def _check_register(self, complaint, user, complaint_id):
        new = self.Complaint.sudo().browse(complaint_id)
        self.assertEqual(new.subject, "The lid does not close")
        self.assertEqual(new.partner_id, self.customer)
        self.assertEqual(new.reported_by_id, user)
        self.assertEqual(new.step, "received")

    def _check_acknowledge_phone(self, complaint, user, done):
        self.assertEqual(complaint.step, "acknowledged")
        self.assertEqual(complaint.ack_method, "phone")
        self.assertEqual(complaint.ack_user_id, user)

    def _check_assess(self, complaint, user, done):
        self.assertEqual(complaint.step, "assessed")
        self.assertEqual(complaint.assessment, "accepted")
        self.assertEqual(complaint.immediate_action, "Hold lot L-77")
        self.assertEqual(complaint.team_id, self.team)

    def _check_give_team(self, complaint, user, done):
        self.assertEqual(complaint.team_id, self.team)

    def _check_start_investigation(self, complaint, user, done):
        self.assertEqual(complaint.step, "investigation")

    def _check_containment(self, complaint, user, done):
        self.assertEqual(complaint.immediate_action, "Recall lot L-42")

    def _check_root_cause(self, complaint, user, done):
        self.assertEqual(complaint.root_cause_id, self.other_cause)

    def _check_propose_response(self, complaint, user, done):
        self.assertEqual(complaint.step, "awaiting_approval")
        self.assertEqual(complaint.approval_ids.state, "pending")
        self.assertEqual(complaint.resolution_ids.state, "proposed")

    def _check_approval_by_phone(self, complaint, user, done):
        self.assertEqual(complaint.step, "in_execution")
        approval = complaint.approval_ids
        self.assertEqual((approval.state, approval.channel), ("accepted", "phone"))

    def _check_decision_on_portal(self, complaint, user, done):
        self.assertEqual(done, f"/my/complaints/{complaint.id}")
        self.assertEqual(complaint.step, "in_execution")
        approval = complaint.approval_ids
        self.assertEqual((approval.state, approval.channel), ("accepted", "portal"))

    def _check_survey(self, complaint, user, done):
        self.assertEqual(complaint.step, "closed")
        self.assertEqual(complaint.satisfaction_result, 5)
        self.assertTrue(complaint.is_closed)

    def _check_reopen(self, complaint, user, done):
        self.assertEqual(complaint.step, "investigation")
        self.assertEqual(complaint.round, 2)
        self.assertFalse(complaint.is_closed)

    def _check_cancel(self, complaint, user, done):
        self.assertEqual(complaint.step, "cancelled")
        self.assertTrue(complaint.is_closed)

    def _check_correct_closed(self, complaint, user, done):
        self.assertEqual(complaint.subject, "Drum knocks at full load")
        self.assertEqual(complaint.category_id, self.category)
        self.assertEqual(complaint.step, "closed")
