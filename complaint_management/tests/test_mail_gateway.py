import base64
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCommon

INCOMING = """Return-Path: {email_from}
To: {to}
From: {email_from}
Subject: {subject}
Message-ID: {msg_id}
{extra}MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"

{body}
--BOUNDARY
Content-Type: text/plain; name="photo.txt"
Content-Disposition: attachment; filename="photo.txt"
Content-Transfer-Encoding: base64

{attachment}
--BOUNDARY--
"""


@tagged("post_install", "-at_install")
class TestMailGateway(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel = cls.env.ref("complaint_management.complaint_channel_email")
        cls.channel.alias_domain_id = cls.mail_alias_domain
        cls.channel.company_id = cls.company_admin

    def _incoming(self, email_from, subject, body, msg_id, extra=""):
        raw = INCOMING.format(
            email_from=email_from,
            to=self.channel.alias_email,
            subject=subject,
            msg_id=msg_id,
            extra=extra,
            body=body,
            attachment=base64.b64encode(b"cracked drum").decode(),
        )
        # When creating the complaint fails, the gateway marks the alias invalid from
        # a second cursor, which would wait forever on the alias row this test's
        # transaction holds: the failure must surface here, not hang the run.
        alias_model = type(self.env["mail.alias"])
        with (
            self.mock_mail_gateway(),
            patch.object(alias_model, "_alias_bounce_incoming_email", lambda *a, **k: None),
        ):
            return self.env["mail.thread"].message_process(False, raw)

    def test_email_becomes_complaint_and_replies_thread(self):
        customer = self.env["res.partner"].create(
            {"name": "Kaveh Nouri", "email": "kaveh@example.ir"}
        )
        res_id = self._incoming(
            "Kaveh Nouri <kaveh@example.ir>",
            "Cracked drum",
            "The drum cracked after one week.",
            "<first@example.ir>",
        )
        complaint = self.env["complaint.complaint"].browse(res_id)
        self.assertRegex(complaint.name, r"^CMP-")
        self.assertEqual(complaint.subject, "Cracked drum")
        self.assertEqual(complaint.partner_id, customer)
        self.assertEqual(complaint.channel_id, self.channel)
        self.assertEqual(complaint.company_id, self.company_admin)
        self.assertIn("cracked after one week", complaint.description)
        first = complaint.message_ids.filtered(lambda m: m.message_id == "<first@example.ir>")
        self.assertTrue(first, "the first email is on the complaint")
        self.assertEqual(first.attachment_ids.mapped("name"), ["photo.txt"])
        # acknowledged by email with the tracking code, by the intake job
        self.assertEqual(complaint.step, "received")
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()
        self.assertEqual(complaint.step, "acknowledged")
        ack = complaint.message_ids.filtered(lambda m: customer in m.partner_ids)
        self.assertIn(complaint.name, ack.body)

        self._incoming(
            "kaveh@example.ir",
            "Re: Cracked drum",
            "Here is another photo.",
            "<second@example.ir>",
            extra="In-Reply-To: <first@example.ir>\nReferences: <first@example.ir>\n",
        )
        self.assertEqual(
            self.env["complaint.complaint"].search_count([("subject", "ilike", "Cracked drum")]), 1
        )
        reply = complaint.message_ids.filtered(lambda m: m.message_id == "<second@example.ir>")
        self.assertTrue(reply, "the reply threads into the same complaint")
        self.assertEqual(reply.author_id, customer)

    def test_unknown_sender_becomes_customer(self):
        res_id = self._incoming(
            "Shirin Ahmadi <shirin@example.ir>", "Missing parts", "Two bolts missing.", "<x1@ex>"
        )
        complaint = self.env["complaint.complaint"].browse(res_id)
        self.assertEqual(complaint.partner_id.email, "shirin@example.ir")
        self.assertEqual(complaint.partner_id.name, "Shirin Ahmadi")

    def test_email_intake_per_address_is_limited(self):
        """A script mailing the alias does not open complaints at will: past
        five a day from one address, its emails go on its latest complaint."""
        ids = [
            self._incoming(
                # Another name each time: the address counts.
                f"Sender {n} <Bulk@example.ir>",
                f"Offer {n}",
                f"Buy now, number {n}.",
                f"<b{n}@ex>",
            )
            for n in range(7)
        ]
        self.assertEqual(len(set(ids)), 5)
        Complaint = self.env["complaint.complaint"]
        complaints = Complaint.search([("email", "=", "bulk@example.ir")])
        self.assertEqual(complaints, Complaint.browse(ids))
        latest = Complaint.browse(ids[4])
        self.assertEqual(ids[5:], [latest.id, latest.id])
        for n in (5, 6):
            message = latest.message_ids.filtered(lambda m, n=n: m.message_id == f"<b{n}@ex>")
            self.assertTrue(message, "the email is kept, on the sender's latest complaint")
            self.assertIn(f"number {n}", message.body)
            self.assertEqual(message.author_id, latest.partner_id)
            self.assertEqual(message.attachment_ids.mapped("name"), ["photo.txt"])
        notes = latest.message_ids.filtered(lambda m: "5 complaints by email" in (m.body or ""))
        self.assertEqual(len(notes), 2)
        self.assertIn("bulk@example.ir", notes[0].body)
        # Another sender is not held back.
        other = self._incoming(
            "Kaveh Nouri <kaveh@example.ir>", "Cracked drum", "Cracked.", "<k@ex>"
        )
        self.assertNotIn(other, ids)
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("complaint_management.email_intake_per_address_day"),
            "5",
        )
