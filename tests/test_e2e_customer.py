"""A customer does their part of the procedure through the public and portal
pages only, over real HTTP against a running Odoo; the staff work over JSON-RPC."""

import html
import re

import requests
from test_e2e_lifecycle import _dialog, _read, _record_capa, _ref


def _csrf(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _mail_link(rpc, complaint_id, subject_part, path_part):
    """The link in the email the customer received (still in the outgoing queue)."""
    mails = rpc(
        "mail.mail",
        "search_read",
        [
            ("model", "=", "complaint.complaint"),
            ("res_id", "=", complaint_id),
            ("subject", "ilike", subject_part),
        ],
        fields=["body_html"],
    )
    assert mails, f"no email '{subject_part}' queued"
    links = re.findall(r'href="([^"]+)"', mails[0]["body_html"])
    link = html.unescape(next(link for link in links if path_part in link))
    # The server's base URL may name another interface than the loopback one
    # the tests reach it on: keep the path and the query.
    return "/" + link.split("://", 1)[-1].split("/", 1)[1]


def test_customer_steps_through_public_and_portal_pages(admin, odoo_server):
    url, rpc = odoo_server["url"], admin
    customer = requests.Session()

    # 1. The public form: no account, a tracking code on screen.
    form = customer.get(f"{url}/complaint", timeout=60)
    assert form.status_code == 200
    done = customer.post(
        f"{url}/complaint/submit",
        data={
            "csrf_token": _csrf(form),
            "name": "Nima Sadeghi",
            "phone": "0935 123 4567",
            "email": "nima.sadeghi@example.ir",
            "description": "The blender jar leaks from the bottom.",
            "consent": "1",
        },
        timeout=60,
    )
    assert done.status_code == 200
    code = re.search(r"CMP-\d{4}-\d+", done.text).group(0)
    # What the cron worker does within a minute: acknowledge, notify the staff.
    rpc(
        "ir.cron",
        "method_direct_trigger",
        [_ref(rpc, "complaint_management.ir_cron_complaint_intake")],
    )

    # 2. Tracking by code and phone.
    track_page = customer.get(f"{url}/complaint/track", timeout=60)
    tracked = customer.post(
        f"{url}/complaint/track",
        data={"csrf_token": _csrf(track_page), "code": code, "contact": "+98 935 123 4567"},
        timeout=60,
    )
    assert tracked.status_code == 200
    assert "Acknowledged" in tracked.text

    # 3. The staff assess, investigate and propose (JSON-RPC).
    complaint_id = rpc("complaint.complaint", "search", [("name", "=", code)])[0]
    assert _read(rpc, complaint_id, "step")["step"] == "acknowledged"
    _dialog(
        rpc,
        "complaint.assess.wizard",
        complaint_id,
        decision="accept",
        immediate_action="Check the other jars of the lot",
        team_id=_ref(rpc, "complaint_management.complaint_team_production_demo"),
    )
    rpc(
        "complaint.complaint",
        "write",
        [complaint_id],
        {"root_cause_id": _ref(rpc, "complaint_management.complaint_root_cause_material")},
    )
    rpc("complaint.complaint", "action_start_investigation", [complaint_id])
    _record_capa(rpc, complaint_id)
    line = rpc(
        "complaint.resolution",
        "create",
        {
            "complaint_id": complaint_id,
            "resolution_type": "apology_gift",
            "amount": 1500000,
            "description": "A new jar and a gift card",
        },
    )
    rpc("complaint.complaint", "action_propose_response", [complaint_id])

    # 4. The customer opens the link of the email and accepts, without logging in.
    approval_link = _mail_link(rpc, complaint_id, "proposal", "/my/complaints/")
    page = customer.get(url + approval_link, timeout=60)
    assert page.status_code == 200
    assert "A new jar and a gift card" in page.text
    token = re.search(r"access_token=([\w-]+)", approval_link).group(1)
    decided = customer.post(
        f"{url}/my/complaints/{complaint_id}/decision",
        data={"csrf_token": _csrf(page), "access_token": token, "decision": "accept"},
        timeout=60,
    )
    assert decided.status_code == 200
    assert "You accepted this response" in decided.text
    assert _read(rpc, complaint_id, "step")["step"] == "in_execution"

    # 5. The staff carry it out; the survey link goes out by email.
    rpc("complaint.resolution", "action_create_document", [line])
    assert _read(rpc, complaint_id, "step")["step"] == "survey"
    survey_link = _mail_link(rpc, complaint_id, "How did we do", "/survey?")
    page = customer.get(url + survey_link, timeout=60)
    assert 'class="o_complaint_survey_form"' in page.text
    answered = customer.post(
        f"{url}/my/complaints/{complaint_id}/survey",
        data={
            "csrf_token": _csrf(page),
            "access_token": token,
            "result_score": "5",
            "process_score": "4",
            "fully_satisfied": "yes",
        },
        timeout=60,
    )
    assert "Thank you for your answer" in answered.text
    # The procedure's survey is a call: the customer's answer waits for it.
    assert "We will call you to confirm it" in answered.text
    assert _read(rpc, complaint_id, "step")["step"] == "survey"
    _dialog(
        rpc,
        "complaint.survey.wizard",
        complaint_id,
        result_score="5",
        process_score="4",
        fully_satisfied=True,
        comment="Confirmed on the phone",
    )

    # 6. Closed, as the customer and the staff see it.
    data = _read(rpc, complaint_id, "step", "satisfaction_result", "satisfaction_process")
    assert (data["step"], data["satisfaction_result"], data["satisfaction_process"]) == (
        "closed",
        5,
        4,
    )
    track_page = customer.get(f"{url}/complaint/track", timeout=60)
    tracked = customer.post(
        f"{url}/complaint/track",
        data={"csrf_token": _csrf(track_page), "code": code, "contact": "nima.sadeghi@example.ir"},
        timeout=60,
    )
    assert "o_complaint_step_current" in tracked.text
    assert re.search(r"o_complaint_status[^>]*>Closed<", tracked.text)
