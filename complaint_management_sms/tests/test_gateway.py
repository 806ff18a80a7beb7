import json
import logging
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import SmsGatewayCommon
from .gateway_emulator import KAVENEGAR_KEY, SMSIR_KEY


@tagged("post_install", "-at_install")
class TestKavenegar(SmsGatewayCommon):
    def test_what_the_gateway_receives(self):
        sms = self._sms(["+989121112233", "۰۹۳۵ ۱۲۳ ۴۵۶۷"], body="کد پیگیری شما: CMP-2026-00001")
        self._run_queue()
        (call,) = self.emulator.sends("kavenegar")
        self.assertEqual(call["path"], f"/v1/{KAVENEGAR_KEY}/sms/send.json")
        self.assertEqual(call["method"], "POST")
        self.assertIn("application/x-www-form-urlencoded", call["headers"]["Content-Type"])
        form = call["form"]
        self.assertEqual(form["receptor"], "09121112233,09351234567")
        self.assertEqual(form["message"], "کد پیگیری شما: CMP-2026-00001")
        self.assertEqual(form["sender"], "10004346")
        local_ids = self.kavenegar._local_ids(sms)
        self.assertEqual(form["localid"], ",".join(str(local_ids[i]) for i in sms.ids))
        self.assertGreater(min(local_ids.values()), 10**12, "unique across databases")
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertEqual(
            sms.mapped("gateway_message_id"), [entry[3] for entry in self.emulator.sent]
        )

    def test_invalid_number_fails_without_a_call(self):
        sms = self._sms(["12345", "021 7490 5000"])  # nonsense, and a landline
        self._run_queue()
        self.assertFalse(self.emulator.requests)
        self.assertEqual(set(sms.mapped("failure_type")), {"sms_number_format"})
        self.assertEqual(set(sms.mapped("state")), {"error"})

    def test_error_codes(self):
        for code, failure_type in (
            (418, "sms_credit"),
            (411, "sms_number_format"),
            (416, "sms_acc"),
        ):
            self.emulator.script.append(("status", code))
            sms = self._sms(["09121112233"])
            self._run_queue()
            self.assertEqual((sms.state, sms.failure_type), ("error", failure_type), code)
            self.assertIn(str(code), sms.gateway_error)
        self.kavenegar.sudo().api_key = "WRONG"
        sms = self._sms(["09121112233"])
        self._run_queue()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_acc"))

    def test_5xx_and_rate_limit_are_retried_with_backoff(self):
        self.emulator.script += [("http", 503), ("status", 451)]
        sms = self._sms(["09121112233"])
        self._run_queue()
        self.assertEqual((sms.state, sms.gateway_attempts), ("outgoing", 1))
        first_try = sms.gateway_next_try
        self.assertGreater(first_try, fields.Datetime.now())
        self._run_queue()  # not due yet: no call
        self.assertEqual(len(self.emulator.sends("kavenegar")), 1)
        sms.gateway_next_try = fields.Datetime.now() - timedelta(seconds=1)
        self._run_queue()
        self.assertEqual((sms.state, sms.gateway_attempts), ("outgoing", 2))
        self.assertGreater(
            sms.gateway_next_try - fields.Datetime.now(), timedelta(seconds=100), "backoff doubles"
        )
        sms.gateway_next_try = fields.Datetime.now() - timedelta(seconds=1)
        self._run_queue()
        self.assertEqual(sms.state, "pending")
        self.assertEqual(len(self.emulator.sent), 1, "sent once")

    def test_lost_answer_is_retried_without_a_duplicate(self):
        self.emulator.script.append(("delay", 3))  # accepted, answered after the timeout
        sms = self._sms(["09121112233"])
        self._run_queue()
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(len(self.emulator.sent), 1, "the gateway did take it")
        sms.gateway_next_try = fields.Datetime.now() - timedelta(seconds=1)
        self._run_queue()
        self.assertEqual(sms.state, "pending")
        self.assertEqual(len(self.emulator.sends("kavenegar")), 2)
        self.assertEqual(len(self.emulator.sent), 1, "the same localid was not sent again")
        self.assertEqual(sms.gateway_message_id, self.emulator.sent[0][3])

    def test_unreachable_gateway_then_error_on_the_complaint(self):
        self.kavenegar.write({"base_url": "http://127.0.0.1:9", "max_attempts": 2})
        complaint = self._new(partner_id=self.customer.id)
        sms = self._sms_of(complaint)
        self.assertEqual(len(sms), 1, "the acknowledgement")
        self._run_queue()
        self.assertEqual((sms.state, sms.gateway_attempts), ("outgoing", 1))
        sms.gateway_next_try = False
        self._run_queue()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertIn("cannot connect", sms.gateway_error)
        note = complaint.message_ids.filtered(lambda m: "could not be sent" in (m.body or ""))
        self.assertIn("cannot connect", note.body)
        notification = sms.mail_message_id.notification_ids
        self.assertEqual(notification.notification_status, "exception")

    def test_batches_respect_the_recipient_cap(self):
        self._sms([f"0912{n:07d}" for n in range(250)])
        self._run_queue()
        calls = self.emulator.sends("kavenegar")
        self.assertEqual([len(c["form"]["receptor"].split(",")) for c in calls], [200, 50])

    def test_delivery_poll(self):
        sms = self._sms(["09121112233", "09121112234", "09121112235"])
        self._run_queue()
        ids = sms.mapped("gateway_message_id")
        self.emulator.statuses.update({ids[0]: 10, ids[1]: 11})
        self.env["complaint.sms.gateway"]._cron_poll_delivery()
        self.assertEqual(sms.mapped("state"), ["sent", "error", "pending"])
        self.assertEqual(sms[1].failure_type, "sms_not_delivered")

    def test_test_mode_sends_nothing(self):
        self.kavenegar.test_mode = True
        sms = self._sms(["09121112233"])
        self._run_queue()
        self.assertFalse(self.emulator.requests)
        self.assertEqual(sms.state, "sent")

    def test_key_never_logged(self):
        self.kavenegar.timeout = 0.5
        self.emulator.script += [("delay", 1), ("close",)]
        records = []

        class Keep(logging.Handler):
            def emit(self, record):
                records.append(self.format(record))

        handler = Keep(level=logging.DEBUG)
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            sms = self._sms(["09121112233"])
            for _attempt in range(3):
                self._run_queue()
                sms.gateway_next_try = False
            self.env["complaint.sms.gateway"]._cron_poll_delivery()
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        self.assertTrue(records, "something was logged")
        self.assertFalse([r for r in records if KAVENEGAR_KEY in r])
        self.assertNotIn(KAVENEGAR_KEY, sms.gateway_error or "")


@tagged("post_install", "-at_install")
class TestSmsIr(SmsGatewayCommon):
    def setUp(self):
        super().setUp()
        self._use(self.smsir)

    def test_what_the_gateway_receives(self):
        sms = self._sms(["+989121112233", "09351234567"], body="شکایت شما ثبت شد")
        self._run_queue()
        (call,) = self.emulator.sends("smsir")
        self.assertEqual(call["path"], "/v1/send/bulk")
        self.assertEqual(call["headers"]["X-API-KEY"], SMSIR_KEY)
        self.assertEqual(
            json.loads(call["body"]),
            {
                "lineNumber": 30004505000017,
                "messageText": "شکایت شما ثبت شد",
                "mobiles": ["09121112233", "09351234567"],
            },
        )
        self.assertEqual(set(sms.mapped("state")), {"pending"})

    def test_error_codes(self):
        for code, failure_type in (
            (102, "sms_credit"),
            (104, "sms_number_format"),
            (12, "sms_acc"),
        ):
            self.emulator.script.append(("status", code))
            sms = self._sms(["09121112233"])
            self._run_queue()
            self.assertEqual((sms.state, sms.failure_type), ("error", failure_type), code)

    def test_server_error_is_not_resent(self):
        """Without a client id, a 5xx may come after the messages went out."""
        self.emulator.script.append(("http", 502))
        sms = self._sms(["09121112233"])
        self._run_queue()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertIn("not resent automatically", sms.gateway_error)

    def test_unreadable_answer_is_not_resent(self):
        self.emulator.script.append(("garbage",))
        sms = self._sms(["09121112233"])
        self._run_queue()
        self.assertEqual(sms.state, "error")
        self.assertIn("unreadable answer", sms.gateway_error)

    def test_429_and_too_many_requests_are_retried(self):
        self.emulator.script += [("http", 429), ("status", 20)]
        sms = self._sms(["09121112233"])
        for attempt in (1, 2):
            self._run_queue()
            self.assertEqual((sms.state, sms.gateway_attempts), ("outgoing", attempt))
            sms.gateway_next_try = False
        self._run_queue()
        self.assertEqual(sms.state, "pending")

    def test_lost_answer_is_not_resent(self):
        """SMS.ir has no client id: a send whose answer was lost may have gone
        out, so it is not repeated; the staff see why."""
        self.emulator.script.append(("delay", 3))
        complaint = self._new(partner_id=self.customer.id)
        sms = self._sms_of(complaint)
        self._run_queue()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertIn("not resent automatically", sms.gateway_error)
        self._run_queue()
        self.assertEqual(len(self.emulator.sent), 1)

    def test_batches_of_one_hundred(self):
        self._sms([f"0912{n:07d}" for n in range(250)])
        self._run_queue()
        calls = self.emulator.sends("smsir")
        self.assertEqual([len(json.loads(c["body"])["mobiles"]) for c in calls], [100, 100, 50])

    def test_delivery_poll(self):
        sms = self._sms(["09121112233", "09121112234"])
        self._run_queue()
        ids = sms.mapped("gateway_message_id")
        self.emulator.statuses.update({ids[0]: 1, ids[1]: 7})
        self.env["complaint.sms.gateway"]._cron_poll_delivery()
        self.assertEqual(sms.mapped("state"), ["sent", "error"])
        self.assertEqual(sms[1].failure_type, "sms_rejected")
