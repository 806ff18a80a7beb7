import base64
import json
import re
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ComplaintCommon

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


class ComplaintHttpCommon(ComplaintCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Addresses of their own: the demo data has a Sara Mohammadi too.
        cls.customer.write({"email": "sara.portal@example.ir", "mobile": "0912 111 2299"})
        cls.portal_user = new_test_user(
            cls.env,
            "cm_portal_sara",
            groups="base.group_portal",
            name="Sara Portal",
            email="sara.portal@example.ir",
            partner_id=cls.customer.id,
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Customer", "email": "other@example.ir", "phone": "09127778899"}
        )
        cls.website_channel = cls.env["complaint.channel"]._get_by_type("website")

    def setUp(self):
        super().setUp()
        # Counters of other clients (a developer's browser) are not ours.
        self.env["complaint.rate.limit"].sudo().search([]).unlink()

    def _csrf(self, url="/complaint"):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, page.text[:500])
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _post(self, url, data, files=None, csrf=True, csrf_url="/complaint"):
        data = dict(data)
        if csrf:
            data["csrf_token"] = self._csrf(csrf_url)
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _form(self, **values):
        data = {
            "name": "Reza Karimi",
            "phone": "0912 555 6677",
            "email": "reza.karimi@example.ir",
            "description": "The mixer drum makes a knocking noise after two weeks.",
            "consent": "1",
        }
        data.update(values)
        return {key: value for key, value in data.items() if value is not None}

    def _api(self, payload, headers=None):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        return self.url_open(
            "/complaint/api/v1/complaints",
            data=body,
            headers=dict({"Content-Type": "application/json"}, **(headers or {})),
        )

    def _last_complaint(self):
        return self.Complaint.sudo().search([], order="id desc", limit=1)

    def _run_intake_job(self):
        """What the cron worker does within a minute of a public submission."""
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()

    def _decide(self, complaint, decision, reason=None, token=True):
        data = {"decision": decision, "reason": reason or ""}
        if token:
            data["access_token"] = complaint.sudo().access_token
        return self._post(
            f"/my/complaints/{complaint.id}/decision",
            data,
        )

    def _set_params(self, **params):
        for key, value in params.items():
            self.env["ir.config_parameter"].sudo().set_param(f"complaint_management.{key}", value)


@tagged("post_install", "-at_install")
class TestPublicForm(ComplaintHttpCommon):
    def test_form_page(self):
        page = self.url_open("/complaint")
        self.assertEqual(page.status_code, 200)
        for name in ("name", "phone", "email", "reference", "description", "attachments"):
            self.assertIn(f'name="{name}"', page.text)
        self.assertIn('name="csrf_token"', page.text)
        self.assertIn('name="website_url"', page.text, "the honeypot is on the form")

    def test_submit_creates_acknowledged_complaint(self):
        before = self._last_complaint()
        Trigger = self.env["ir.cron.trigger"].sudo()
        job = self.env.ref("complaint_management.ir_cron_complaint_intake")
        triggers = Trigger.search_count([("cron_id", "=", job.id)])
        response = self._post(
            "/complaint/submit",
            self._form(description="<script>alert('x')</script> The drum knocks loudly."),
            files={"attachments": ("drum.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 200, response.text[:1000])
        complaint = self._last_complaint()
        self.assertNotEqual(complaint, before)
        self.assertIn(complaint.name, response.text, "the tracking code is on screen")
        self.assertIn(complaint.sudo().get_portal_url(), response.text.replace("&amp;", "&"))
        self.assertEqual(complaint.channel_id, self.website_channel)
        self.assertEqual(complaint.phone, "+989125556677")
        self.assertEqual(complaint.partner_id.email, "reza.karimi@example.ir")
        self.assertFalse(complaint.reported_by_id)
        # The customer's text stays text, everywhere.
        self.assertIn("&lt;script&gt;", complaint.description)
        self.assertNotIn("<script>", complaint.description)
        portal = self.url_open(complaint.sudo().get_portal_url())
        self.assertIn("&lt;script&gt;alert", portal.text)
        self.assertNotIn("<script>alert", portal.text)
        # The photo/PDF came with it, visible on the customer's thread.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)])
        )
        self.assertEqual(attachment.mapped("name"), ["drum.pdf"])
        # The acknowledgement and the manager's notification are left to the
        # intake job, which the submission triggered: nothing yet in the request.
        self.assertEqual(complaint.step, "received")
        self.assertTrue(complaint.intake_pending)
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", job.id)]),
            triggers + 1,
            "the job is triggered at once",
        )
        Mail = self.env["mail.mail"].sudo()
        mine = [("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        self.assertFalse(Mail.search(mine))
        mail_queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        queue_triggers = Trigger.search_count([("cron_id", "=", mail_queue.id)])
        self._run_intake_job()
        # Then the same acknowledgement as from the backend: by email, signed by
        # the company, queued, and the mail queue woken to send it.
        self.assertEqual(complaint.step, "acknowledged")
        self.assertEqual(complaint.ack_method, "email")
        self.assertFalse(complaint.intake_pending)
        mail = Mail.search(mine)
        self.assertTrue(any(complaint.name in m.subject for m in mail))
        self.assertIn(complaint.partner_id, mail.recipient_ids)
        ack = mail.filtered(lambda m: complaint.partner_id in m.recipient_ids)
        self.assertEqual(ack.state, "outgoing")
        self.assertEqual(ack.mail_message_id.author_id, complaint.company_id.partner_id)
        self.assertEqual(ack.mail_message_id.message_type, "notification")
        self.assertGreater(Trigger.search_count([("cron_id", "=", mail_queue.id)]), queue_triggers)
        notice = complaint.message_ids.filtered(lambda m: "New complaint" in (m.body or ""))
        self.assertIn(self.user_manager.partner_id, notice.partner_ids)

    def test_intake_job_failure_is_noted_and_does_not_block_others(self):
        # A template edit that breaks on some complaints: those without a reference.
        template = self.env.ref("complaint_management.mail_template_complaint_acknowledgement")
        template.subject = "{{ object.customer_reference.upper() }}"
        for reference in ("INV/2026/0001", None):
            self._post("/complaint/submit", self._form(reference=reference))
        good, bad = self.Complaint.sudo().search([], order="id desc", limit=2)[::-1]
        logger = "odoo.addons.complaint_management.models.complaint_complaint_intake"
        with self.assertLogs(logger, "ERROR") as logged:
            self._run_intake_job()
        self.assertIn(f"Intake follow-up of complaint {bad.name} failed", logged.output[0])
        self.assertEqual((good.step, good.ack_method), ("acknowledged", "email"))
        self.assertEqual(bad.step, "received", "not acknowledged")
        self.assertFalse(good.intake_pending or bad.intake_pending, "not tried forever")
        note = bad.message_ids.filtered(lambda m: "Automatic intake step failed" in (m.body or ""))
        self.assertIn("the acknowledgement to the customer", note.body)
        self.assertNotIn("the notification of the staff", note.body)
        # The manager still heard of it, with a to-do.
        notice = bad.message_ids.filtered(lambda m: "New complaint" in (m.body or ""))
        self.assertIn(self.user_manager.partner_id, notice.partner_ids)
        self.assertIn(self.user_manager, bad.activity_ids.user_id)

    def test_validation_errors_keep_input(self):
        before = self._last_complaint()
        response = self._post(
            "/complaint/submit",
            self._form(phone="12", consent=None, description="bad"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._last_complaint(), before, "nothing is created")
        self.assertIn("This phone number is not valid", response.text)
        self.assertIn("Please agree", response.text)
        self.assertIn("at least 10 characters", response.text)
        self.assertIn('value="Reza Karimi"', response.text, "what was typed is kept")

    def test_file_type_and_count_are_checked(self):
        before = self._last_complaint()
        response = self._post(
            "/complaint/submit",
            self._form(),
            files={"attachments": ("photo.jpg", EXE, "image/jpeg")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a photo", response.text)
        self._set_params(public_max_files=1)
        response = self._post(
            "/complaint/submit",
            self._form(),
            files=[
                ("attachments", ("a.pdf", PDF, "application/pdf")),
                ("attachments", ("b.pdf", PDF, "application/pdf")),
            ],
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("At most 1 files", response.text)
        self.assertEqual(self._last_complaint(), before)

    def test_oversized_body_is_refused(self):
        self._set_params(public_max_files=1, public_max_file_mb=1)
        response = self._post(
            "/complaint/submit",
            self._form(),
            files={"attachments": ("big.pdf", PDF + b"0" * (3 * 1024 * 1024), "application/pdf")},
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("too large", response.text)

    def test_csrf_is_required(self):
        before = self._last_complaint()
        response = self._post("/complaint/submit", self._form(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._last_complaint(), before)

    def test_honeypot_drops_silently(self):
        before = self._last_complaint()
        response = self._post("/complaint/submit", self._form(website_url="http://spam"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._last_complaint(), before)
        self.assertNotIn("CMP-", response.text)

    def test_submissions_are_throttled_per_client(self):
        self._set_params(submit_limit=2, submit_period=3600)
        for _attempt in range(2):
            self.assertEqual(self._post("/complaint/submit", self._form()).status_code, 200)
        before = self._last_complaint()
        response = self._post("/complaint/submit", self._form())
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many complaints", response.text)
        self.assertEqual(self._last_complaint(), before)
        # Kept in the database, so every worker sees it.
        counter = self.env["complaint.rate.limit"].sudo().search([("scope", "=", "submit")])
        self.assertEqual(counter.hits, 3)
        self.assertNotIn("127.0.0.1", counter.client, "addresses are stored hashed")

    def test_public_details_are_never_trusted_as_a_customer(self):
        """Anyone can type Sara's phone and order number: the complaint gets a
        contact of its own, and the staff are told what the details match."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [fields.Command.create({"product_id": self.product.id})],
            }
        )
        response = self._post(
            "/complaint/submit",
            self._form(phone="0912 111 2299", email="sara.portal@example.ir", reference=order.name),
        )
        self.assertEqual(response.status_code, 200)
        complaint = self._last_complaint()
        self.assertNotEqual(complaint.partner_id, self.customer)
        self.assertFalse(complaint.sale_order_id)
        self.assertEqual(complaint.customer_reference, order.name)
        note = complaint.message_ids.filtered(lambda m: "To check before linking" in m.body)
        self.assertIn(self.customer.name, note.body)
        self.assertIn(order.name, note.body)
        self.assertTrue(note.subtype_id.internal, "a note for the staff only")
        # Sara's portal does not show it.
        self.assertNotIn(complaint, self.Complaint.with_user(self.portal_user).search([]))
        # A product reference is linked: it tells nothing about anybody.
        self.product.default_code = "MX-350"
        self._post("/complaint/submit", self._form(reference="mx-350"))
        self.assertEqual(self._last_complaint().product_id, self.product)

    def test_after_hours_notice(self):
        channel = self.website_channel.sudo()
        # Friday noon in Tehran (08:30 UTC): next answer Saturday 08:00 (04:30 UTC).
        friday = datetime(2026, 11, 27, 8, 30)
        self.assertEqual(
            channel._next_answering_time(friday).replace(tzinfo=None), datetime(2026, 11, 28, 4, 30)
        )
        # Sunday 10:00 in Tehran: open now.
        self.assertFalse(channel._next_answering_time(datetime(2026, 11, 29, 6, 30)))
        # A calendar that is never open now: the page says when we answer.
        calendar = self.env["resource.calendar"].create(
            {"name": "Never", "tz": "Asia/Tehran", "attendance_ids": []}
        )
        calendar.attendance_ids = [
            fields.Command.create(
                {
                    "name": "One minute",
                    "dayofweek": str((fields.Date.today() + timedelta(days=3)).weekday()),
                    "hour_from": 8,
                    "hour_to": 9,
                }
            )
        ]
        channel.resource_calendar_id = calendar
        page = self.url_open("/complaint")
        self.assertIn("o_complaint_after_hours", page.text)
        self.assertIn("will answer from", page.text)


@tagged("post_install", "-at_install")
class TestJsonEndpoint(ComplaintHttpCommon):
    def test_create(self):
        response = self._api(
            {
                "name": "Maryam Rahimi",
                "phone": "۰۹۱۲ ۳۳۳ ۴۴۵۵",
                "description": "The <b>lid</b> does not close.",
                "consent": True,
                "attachments": [{"filename": "lid.pdf", "content": base64.b64encode(PDF).decode()}],
            }
        )
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        complaint = self._last_complaint()
        self.assertEqual(data["tracking_code"], complaint.name)
        self.assertEqual(data["status"], "submitted")
        self.assertTrue(data["track_url"].endswith("/complaint/track"))
        self.assertEqual(complaint.phone, "+989123334455", "Persian digits are read")
        self.assertEqual(complaint.channel_id, self.website_channel)
        self.assertIn("&lt;b&gt;lid&lt;/b&gt;", complaint.description)

    def test_validation_errors_name_the_fields(self):
        response = self._api({"name": "", "phone": "12", "description": 42, "consent": False})
        self.assertEqual(response.status_code, 400)
        data = response.json()
        self.assertEqual(data["error"], "validation")
        self.assertEqual(set(data["fields"]), {"name", "phone", "description", "consent"})
        self.assertNotIn("Traceback", response.text)

    def test_errors_in_the_callers_language(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        response = self._api({"phone": "12"}, headers={"Accept-Language": "fa-IR,fa;q=0.9"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["fields"]["name"], "لطفاً نام خود را بنویسید.")
        response = self._api({"phone": "12", "lang": "en_US"})
        self.assertIn("Please tell us your name.", response.json()["fields"]["name"])

    def test_new_customer_gets_the_language_they_wrote_in(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        payload = {
            "name": "Hoda Alavi",
            "phone": "0936 111 0000",
            "description": "The grinder blade is blunt.",
            "consent": True,
            "lang": "fa_IR",
        }
        self.assertEqual(self._api(payload).status_code, 201)
        self.assertEqual(self._last_complaint().partner_id.lang, "fa_IR")

    def test_bad_requests(self):
        self.assertEqual(self._api(b"{not json").status_code, 400)
        self.assertEqual(self._api(b"[1, 2]").status_code, 400)
        response = self.url_open(
            "/complaint/api/v1/complaints", data={"name": "x"}, headers={"Accept": "*/*"}
        )
        self.assertEqual(response.status_code, 415)
        self._set_params(public_max_files=1, public_max_file_mb=1)
        big = {"description": "x" * (3 * 1024 * 1024)}
        self.assertEqual(self._api(big).status_code, 413)
        response = self._api(
            {
                "name": "A",
                "phone": "09121112233",
                "description": "Something is wrong.",
                "consent": True,
                "attachments": [{"filename": "a.pdf", "content": "@@not base64@@"}],
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("attachments", response.json()["fields"])

    def test_throttled(self):
        self._set_params(submit_limit=1, submit_period=600)
        payload = {
            "name": "Ali",
            "phone": "09121112233",
            "description": "Something is wrong.",
            "consent": True,
        }
        self.assertEqual(self._api(payload).status_code, 201)
        response = self._api(payload)
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response.headers["Retry-After"]), 0)

    def test_openapi_document(self):
        response = self.url_open("/complaint/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertTrue(document["openapi"].startswith("3."))
        operation = document["paths"]["/complaint/api/v1/complaints"]["post"]
        self.assertEqual(set(operation["responses"]), {"201", "400", "413", "415", "429"})
        schema = document["components"]["schemas"]["ComplaintIn"]
        self.assertEqual(set(schema["required"]), {"name", "phone", "description", "consent"})


@tagged("post_install", "-at_install")
class TestTracking(ComplaintHttpCommon):
    def _track(self, code, contact):
        return self._post(
            "/complaint/track", {"code": code, "contact": contact}, csrf_url="/complaint/track"
        )

    def test_right_pair_shows_the_step_only(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        for contact in ("09121112299", "+98 912 111 2299", "Sara.Portal@example.ir"):
            response = self._track(complaint.name.lower(), contact)
            self.assertEqual(response.status_code, 200, contact)
            self.assertIn("Waiting for your decision", response.text)
            self.assertIn("Your decision on the response we propose.", response.text)
            self.assertNotIn(complaint.subject, response.text)
            self.assertNotIn("Replace the drum bearing", response.text)

    def test_wrong_pairs_get_one_answer(self):
        complaint = self._new(partner_id=self.customer.id)
        other = self._new(partner_id=self.other_customer.id)
        answers = [
            self._track(complaint.name, "09127778899"),  # someone else's phone
            self._track(other.name, "09121112299"),  # someone else's code
            self._track("CMP-1999-99999", "09121112299"),  # no such code
            self._track(complaint.name, "not a phone"),
        ]
        for response in answers:
            self.assertEqual(response.status_code, 404)
            self.assertIn("We found no complaint with this tracking code", response.text)
            self.assertNotIn(complaint.subject, response.text)
        texts = [re.sub(r'value="[^"]*"', "", r.text) for r in answers]
        for text in texts[1:]:
            # A string comparison: a failure shows what differs.
            self.assertEqual(text, texts[0], "no way to tell which half was wrong")

    def test_lookups_are_throttled(self):
        self._set_params(track_limit=3, track_period=600)
        complaint = self._new(partner_id=self.customer.id)
        for _attempt in range(3):
            self._track(complaint.name, "09120000000")
        response = self._track(complaint.name, "09121112299")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("Waiting", response.text)


@tagged("post_install", "-at_install")
class TestPortal(ComplaintHttpCommon):
    def test_list_shows_own_complaints_only(self):
        mine = self._new(partner_id=self.customer.id, subject="My drum knocks")
        theirs = self._new(partner_id=self.other_customer.id, subject="Their secret issue")
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        page = self.url_open("/my/complaints")
        self.assertEqual(page.status_code, 200)
        self.assertIn(mine.name, page.text)
        self.assertIn("My drum knocks", page.text)
        self.assertNotIn(theirs.name, page.text)
        self.assertNotIn("Their secret issue", page.text)
        closed_filter = self.url_open("/my/complaints?filterby=closed")
        self.assertNotIn(mine.name, closed_filter.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(counters["complaint_count"], 1)
        # Someone else's complaint by id: nothing of it is shown.
        response = self.url_open(f"/my/complaints/{theirs.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("Their secret issue", response.text)
        response = self.url_open(f"/my/complaints/{theirs.id}?access_token=wrong")
        self.assertNotIn("Their secret issue", response.text)
        self.assertNotIn(theirs.name, response.text)
        # The record rule holds over RPC too.
        self.assertEqual(self.Complaint.with_user(self.portal_user).search([]).ids, mine.ids)

    def test_token_link_without_login(self):
        complaint = self._new(partner_id=self.customer.id, subject="Lid broken")
        page = self.url_open(complaint.sudo().get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Lid broken", page.text)
        for url in (
            f"/my/complaints/{complaint.id}",
            f"/my/complaints/{complaint.id}?access_token=nope",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            self.assertNotIn("Lid broken", response.text)
        # Expired: long after closing the link shows nothing any more.
        self.env.cr.execute(
            "UPDATE complaint_complaint SET date_closed = %s, is_closed = TRUE WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=200), complaint.id),
        )
        complaint.invalidate_recordset()
        response = self.url_open(complaint.sudo().get_portal_url(), allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("Lid broken", response.text)

    def test_dates_in_the_customers_time_zone(self):
        complaint = self._new(partner_id=self.customer.id)
        self.env.cr.execute(
            "UPDATE complaint_complaint SET date_received = %s WHERE id = %s",
            (datetime(2026, 3, 20, 23, 30), complaint.id),
        )
        complaint.invalidate_recordset()
        page = self.url_open(complaint.sudo().get_portal_url())
        # 23:30 UTC is 03:00 the next day in Tehran.
        self.assertIn("Mar 21, 2026, 3:00:00 AM", page.text)
        self.customer.tz = "UTC"
        page = self.url_open(complaint.sudo().get_portal_url())
        self.assertIn("Mar 20, 2026, 11:30:00 PM", page.text)
        # In Persian: the Jalali calendar and Persian digits (1 Farvardin 1405,
        # 03:00 in Tehran).
        self.env["res.lang"]._activate_lang("fa_IR")
        self.customer.tz = False
        page = self.url_open("/fa" + complaint.sudo().get_portal_url())
        self.assertIn("۱ فروردین ۱۴۰۵، ۰۳:۰۰", page.text)

    def test_accept_by_token_is_the_staff_path(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        complaint.sudo()._portal_ensure_token()
        page = self.url_open(complaint.sudo().get_portal_url())
        self.assertIn("Replace the drum bearing", page.text)
        self.assertIn("o_complaint_accept", page.text)
        response = self._decide(complaint, "accept")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(complaint.step, "in_execution")
        approval = complaint.approval_ids
        self.assertEqual((approval.state, approval.channel), ("accepted", "portal"))
        self.assertEqual(complaint.resolution_ids.state, "approved")
        self.assertTrue(complaint.date_approved)
        # The link used again shows the decision, not the buttons.
        page = self.url_open(complaint.sudo().get_portal_url())
        self.assertIn("You accepted this response", page.text)
        self.assertNotIn("o_complaint_accept", page.text)
        self._decide(complaint, "reject", "changed my mind")
        self.assertEqual(complaint.step, "in_execution", "a decision stands")

    def test_reject_needs_a_reason_and_notifies_the_owner(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        response = self._decide(complaint, "reject", "   ")
        self.assertIn("error=reason", response.headers["Location"])
        self.assertEqual(complaint.step, "awaiting_approval")
        self._decide(complaint, "reject", "I want a new mixer, not a repair")
        self.assertEqual(complaint.step, "response_proposed")
        self.assertEqual(complaint.approval_ids.reason, "I want a new mixer, not a repair")
        message = complaint.message_ids.filtered(lambda m: "new mixer" in (m.body or ""))[:1]
        self.assertEqual(message.author_id, self.customer)
        self.assertIn(complaint.user_id.partner_id, message.partner_ids)
        activity = complaint.activity_ids.filtered(
            lambda a: a.summary == "The customer rejected the proposed response"
        )
        self.assertEqual(activity.user_id, complaint.user_id)

    def test_staff_reading_the_complaint_cannot_answer_for_the_customer(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        self.authenticate("cm_employee", "cm_employee")  # reported it: may read it
        complaint.reported_by_id = self.user_employee
        self.assertTrue(complaint.with_user(self.user_employee).has_access("read"))
        self._decide(complaint, "accept", token=False)
        self.assertEqual(complaint.step, "awaiting_approval")

    def test_decision_needs_access(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        response = self._decide(complaint, "accept", token=False)
        self.assertEqual(response.headers["Location"].split("/", 3)[-1], "my")
        self.assertEqual(complaint.step, "awaiting_approval")
        # The owner on the portal may decide without a token.
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        self._decide(complaint, "accept", token=False)
        self.assertEqual(complaint.step, "in_execution")

    def test_survey_from_the_link(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "survey")
        url = complaint.sudo().get_portal_url()
        survey_link = self.url_open(
            f"/my/complaints/{complaint.id}/survey?access_token={complaint.sudo().access_token}",
            allow_redirects=False,
        )
        self.assertEqual(survey_link.status_code, 303)
        self.assertIn("#survey", survey_link.headers["Location"])
        answer = {
            "access_token": complaint.sudo().access_token,
            "result_score": "2",
            "process_score": "4",
            "fully_satisfied": "no",
            "comment": "Still knocking",
        }
        incomplete = dict(answer, fully_satisfied="")
        response = self._post(f"/my/complaints/{complaint.id}/survey", incomplete)
        self.assertIn("error=survey", response.headers["Location"])
        self.assertEqual(complaint.step, "survey")
        self._post(f"/my/complaints/{complaint.id}/survey", answer)
        self.assertEqual((complaint.step, complaint.round), ("investigation", 2))
        survey = complaint.survey_ids
        self.assertEqual((survey.channel, survey.result_score), ("portal", "2"))
        self.assertEqual(complaint.satisfaction_result, 2)
        page = self.url_open(url)
        self.assertIn("not fully satisfied", page.text)
        # Round 2 ends satisfied: closed, like the phone path.
        complaint.approval_ids.flush_recordset()
        self._advance(complaint, "survey")
        self._post(
            f"/my/complaints/{complaint.id}/survey",
            dict(answer, fully_satisfied="yes", result_score="5"),
        )
        self.assertEqual(complaint.step, "closed")

    def test_emails_carry_the_token_links(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)])
        )
        request_mail = mails.filtered(
            lambda m: "proposal" in (m.subject or "") and self.customer in m.recipient_ids
        )
        self.assertTrue(request_mail)
        self.assertIn(f"access_token={complaint.sudo().access_token}", request_mail.body_html)
        self.assertIn("Replace the drum bearing", request_mail.body_html)
        self._answer_approval(complaint, True)
        self._carry_out(complaint)
        survey_mail = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "complaint.complaint"),
                    ("res_id", "=", complaint.id),
                    ("subject", "ilike", "How did we do"),
                ]
            )
            .filtered(lambda m: self.customer in m.recipient_ids)
        )
        self.assertIn(f"/my/complaints/{complaint.id}/survey?access_token=", survey_mail.body_html)


@tagged("post_install", "-at_install")
class TestPortalQueries(ComplaintHttpCommon):
    """The customer's pages cost the same number of queries whatever the
    number of complaints shown: nothing is read row by row."""

    def _queries(self, url, data=None):
        self.url_open(url, data=data)  # warm up caches and the session
        before = self.cr.sql_log_count
        response = self.url_open(url, data=data)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def _file(self, count):
        self.Complaint.create(
            [
                {
                    "subject": f"Issue {n}",
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                }
                for n in range(count)
            ]
        )

    def test_my_complaints_list(self):
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        self._file(2)
        few = self._queries("/my/complaints")
        self._file(25)
        many = self._queries("/my/complaints")
        self.assertEqual(few, many, "a page of 20 costs what a page of 2 costs")
        self.assertLessEqual(many, 18)

    def test_tracking_lookup(self):
        complaint = self._new(partner_id=self.customer.id)
        data = {"code": complaint.name, "contact": "09121112299", "csrf_token": self._csrf()}
        queries = self._queries("/complaint/track", data)
        self.assertLessEqual(queries, 20)
