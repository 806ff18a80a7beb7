from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import EXE, PDF, ComplaintHttpCommon


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
        self.assertFalse(complaint.reported_by_id)
        # The customer's text stays text, everywhere: on the page their "Follow
        # my complaint" link opens at once too.
        self.assertIn("&lt;script&gt;", complaint.description)
        self.assertNotIn("<script>", complaint.description)
        portal_url = complaint.sudo().get_portal_url()
        portal = self.url_open(portal_url)
        self.assertIn("&lt;script&gt;alert", portal.text)
        self.assertNotIn("<script>alert", portal.text)
        # The photo/PDF came with it.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)])
        )
        self.assertEqual(attachment.mapped("name"), ["drum.pdf"])
        # The contact, the acknowledgement and the manager's notification are
        # left to the intake job, which the submission triggered: none yet.
        self.assertEqual(complaint.step, "received")
        self.assertTrue(complaint.intake_pending)
        self.assertFalse(complaint.partner_id)
        self.assertEqual(
            Trigger.search_count([("cron_id", "=", job.id)]),
            triggers + 1,
            "the job is triggered",
        )
        Mail = self.env["mail.mail"].sudo()
        mine = [("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        self.assertFalse(Mail.search(mine))
        mail_queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        queue_triggers = Trigger.search_count([("cron_id", "=", mail_queue.id)])
        self._run_intake_job()
        # The customer's own contact, and the files on their thread, from them.
        self.assertEqual(complaint.partner_id.email, "reza.karimi@example.ir")
        self.assertEqual(complaint.partner_id.name, "Reza Karimi")
        files = complaint.message_ids.filtered("attachment_ids")
        self.assertEqual(files.attachment_ids, attachment)
        self.assertEqual(files.author_id, complaint.partner_id)
        self.assertFalse(files.subtype_id.internal, "on the customer's thread")
        # The link shown on screen still opens their complaint.
        self.assertEqual(complaint.sudo().get_portal_url(), portal_url)
        self.assertIn("&lt;script&gt;alert", self.url_open(portal_url).text)
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

    def test_customer_linked_before_the_job_ends_the_link_on_screen(self):
        """The staff link a known customer before the intake job ran: the link
        the filer got on screen does not follow the complaint to that customer,
        and the job leaves the staff's choice as it is."""
        self._post("/complaint/submit", self._form(phone="0912 111 2299"))
        complaint = self._last_complaint()
        on_screen = complaint.sudo().get_portal_url()
        self.assertEqual(self.url_open(on_screen, allow_redirects=False).status_code, 200)
        complaint.with_user(self.user_officer).partner_id = self.customer
        self.assertNotEqual(complaint.sudo().get_portal_url(), on_screen)
        self.assertEqual(self.url_open(on_screen, allow_redirects=False).status_code, 303)
        self._run_intake_job()
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.ack_method, "email")

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
        self._run_intake_job()
        self.assertTrue(complaint.partner_id)
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
        self._run_intake_job()
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
