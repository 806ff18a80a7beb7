"""One complaint from intake to closed over JSON-RPC, against a running Odoo."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import RpcError


def _ref(rpc, xmlid):
    module, name = xmlid.split(".")
    found = rpc(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    return found[0]["res_id"]


def _stage(rpc, step):
    return rpc("complaint.stage", "search", [("step", "=", step)], limit=1)[0]


def _dialog(rpc, model, complaint_id, **values):
    """Fill one of the complaint's dialogs (assessment, customer's answer,
    survey) and confirm it, as the form's button does."""
    wizard = rpc(model, "create", dict(values, complaint_id=complaint_id))
    rpc(model, "action_confirm", [wizard])


def _record_capa(rpc, complaint_id):
    """The internal response the company's policy asks for before proposing:
    a corrective action and the nonconformity it answers (the CFT's work)."""
    rpc(
        "mgmtsystem.action",
        "create",
        {
            "name": "Recalibrate the filling line",
            "type_action": "correction",
            "complaint_ids": [(4, complaint_id)],
        },
    )
    rpc("complaint.complaint", "action_create_nonconformity", [complaint_id])


def _read(rpc, complaint_id, *fields):
    return rpc("complaint.complaint", "read", [complaint_id], list(fields))[0]


def test_complaint_from_intake_to_closed(admin):
    rpc = admin
    complaint_id = rpc(
        "complaint.complaint",
        "create",
        {
            "subject": "Mixer stops after five minutes",
            "partner_name": "Parisa Ghasemi",
            "phone": "0912 765 4321",
            "channel_id": _ref(rpc, "complaint_management.complaint_channel_phone"),
        },
    )
    data = _read(rpc, complaint_id, "name", "step", "partner_id", "phone")
    assert data["name"].startswith("CMP-")
    assert data["step"] == "received"
    assert data["phone"] == "+989127654321"
    assert data["partner_id"][1] == "Parisa Ghasemi", "the unknown customer was created"

    # The procedure's gates hold over RPC: no jumping to "closed".
    with pytest.raises(RpcError) as refused:
        rpc("complaint.complaint", "write", [complaint_id], {"stage_id": _stage(rpc, "closed")})
    assert "cannot be moved" in refused.value.message
    assert _read(rpc, complaint_id, "step")["step"] == "received"

    rpc("complaint.complaint", "action_acknowledge_phone", [complaint_id])
    assert _read(rpc, complaint_id, "step")["step"] == "acknowledged"

    _dialog(
        rpc,
        "complaint.assess.wizard",
        complaint_id,
        decision="accept",
        immediate_action="Hold lot MX350-0042 in the warehouse",
        team_id=_ref(rpc, "complaint_management.complaint_team_production_demo"),
    )
    rpc("complaint.complaint", "action_start_investigation", [complaint_id])
    with pytest.raises(RpcError, match="cannot be moved to .*one step at a time"):
        rpc(
            "complaint.complaint",
            "write",
            [complaint_id],
            {"stage_id": _stage(rpc, "in_execution")},
        )

    rpc(
        "complaint.complaint",
        "write",
        [complaint_id],
        {"root_cause_id": _ref(rpc, "complaint_management.complaint_root_cause_machine")},
    )
    with pytest.raises(RpcError, match="nonconformity and a corrective action"):
        rpc("complaint.complaint", "action_propose_response", [complaint_id])
    _record_capa(rpc, complaint_id)
    line = rpc(
        "complaint.resolution",
        "create",
        {
            "complaint_id": complaint_id,
            "resolution_type": "apology_gift",
            "amount": 2000000,
            "description": "Apology and a gift card",
        },
    )
    rpc("complaint.complaint", "action_propose_response", [complaint_id])
    assert _read(rpc, complaint_id, "step")["step"] == "awaiting_approval"

    _dialog(rpc, "complaint.approval.wizard", complaint_id, decision="accept")
    # The customer gives an email address for the gift card on the phone.
    rpc("res.partner", "write", [data["partner_id"][0]], {"email": "parisa.ghasemi@example.ir"})
    # Carrying out the gift (card issued, apology with its code sent) ends the
    # execution by itself.
    rpc("complaint.resolution", "action_create_document", [line])
    assert _read(rpc, complaint_id, "step")["step"] == "survey"
    _dialog(
        rpc,
        "complaint.survey.wizard",
        complaint_id,
        result_score="5",
        process_score="5",
        fully_satisfied=True,
        comment="خیلی ممنون",
    )

    data = _read(
        rpc, complaint_id, "step", "is_closed", "date_closed", "round", "satisfaction_result"
    )
    assert data["step"] == "closed"
    assert data["is_closed"] and data["date_closed"]
    assert data["satisfaction_result"] == 5
    steps = rpc(
        "mail.tracking.value",
        "search_read",
        [
            ("mail_message_id.model", "=", "complaint.complaint"),
            ("mail_message_id.res_id", "=", complaint_id),
            ("field_id.name", "=", "stage_id"),
        ],
        fields=["new_value_char"],
    )
    assert len(steps) >= 7, "every stage change is in the chatter"


def test_concurrent_intake_gets_unique_codes(admin, odoo_server):
    """Twenty complaints filed at the same moment through the threaded server
    (one transaction per request) all get their own tracking code."""
    partner = admin("res.partner", "create", {"name": "Concurrent customer"})

    def file_one(n):
        return admin(
            "complaint.complaint", "create", {"subject": f"Parallel {n}", "partner_id": partner}
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(file_one, range(20)))
    names = [r["name"] for r in admin("complaint.complaint", "read", ids, ["name"])]
    assert len(set(names)) == 20
