from odoo.tests import tagged

from .common import SmsGatewayCommon
from .test_procedure_sms import sms_parts


@tagged("post_install", "-at_install")
class TestNoticeSms(SmsGatewayCommon):
    """The customer's notices by SMS, through the emulated Kavenegar gateway:
    their decision recorded, reopened, closed, cancelled with the reason; in
    the customer's language, each at most two SMS parts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(
            ["complaint_management", "complaint_management_sms"], ["fa_IR"]
        )
        cls.customer.lang = "fa_IR"
        cls.english = cls.env["res.partner"].create(
            {
                "name": "Sarah Miller",
                "email": "sarah.miller@example.com",
                "mobile": "0912 444 5566",
                "lang": "en_US",
            }
        )

    def _told(self, complaint, act):
        """The one SMS ``act`` queues for the complaint's customer."""
        before = len(self._sms_of(complaint))
        act()
        new = self._sms_of(complaint)[before:]
        self.assertEqual(len(new), 1, new.mapped("body"))
        self.assertEqual(
            new.number,
            "+989121112233" if complaint.partner_id == self.customer else "+989124445566",
        )
        self.assertLessEqual(sms_parts(new.body), 2, new.body)
        return new.body

    def _manager(self, complaint, mode, reason):
        self.env["complaint.reopen.wizard"].with_user(self.user_manager).create(
            {"complaint_id": complaint.id, "mode": mode, "reason": reason}
        ).action_confirm()

    def _every_turn(self, customer):
        """Drive a complaint of ``customer`` through every turn the customer is
        told of; the SMS of each turn, by name."""
        complaint = self._advance(self._new(partner_id=customer.id), "awaiting_approval")
        told = {"complaint": complaint}
        told["declined"] = self._told(
            complaint, lambda: self._answer_approval(complaint, False, "Too slow")
        )
        self._advance(complaint, "awaiting_approval")
        told["accepted"] = self._told(complaint, lambda: self._answer_approval(complaint, True))
        self._advance(complaint, "survey")
        told["reopened"] = self._told(complaint, lambda: self._survey(complaint, False))
        self._advance(complaint, "survey")
        told["closed"] = self._told(complaint, lambda: self._survey(complaint, True))
        told["reopened_by_manager"] = self._told(
            complaint, lambda: self._manager(complaint, "reopen", "Leaks again")
        )
        told["cancelled"] = self._told(
            complaint, lambda: self._manager(complaint, "cancel", self.reason[customer])
        )
        return told

    @property
    def reason(self):
        return {self.customer: "مشتری شکایت را پس گرفت", self.english: "Withdrawn by the customer"}

    def test_every_notice_in_the_customers_language(self):
        persian = self._every_turn(self.customer)
        code = persian["complaint"].name
        self.assertEqual(
            persian["declined"],
            f"از پاسخ شما سپاسگزاریم. پاسخ دیگری برای شکایت {code} آماده می‌کنیم.",
        )
        self.assertEqual(
            persian["accepted"], f"سپاسگزاریم. پاسخ پذیرفته‌شده شکایت {code} در حال اجراست."
        )
        self.assertEqual(
            persian["reopened"], f"رسیدگی به شکایت {code} تا رضایت کامل شما ادامه دارد."
        )
        self.assertEqual(persian["reopened_by_manager"], persian["reopened"])
        self.assertEqual(
            persian["closed"], f"شکایت {code} حل و بسته شد. از صبر و اعتماد شما سپاسگزاریم."
        )
        self.assertEqual(
            persian["cancelled"],
            f"شکایت {code} بدون ادامه رسیدگی بسته شد. دلیل: مشتری شکایت را پس گرفت",
        )

        english = self._every_turn(self.english)
        code = english["complaint"].name
        self.assertIn("another response", english["declined"])
        self.assertIn("carrying out the response you accepted", english["accepted"])
        self.assertIn("until you are fully satisfied", english["reopened"])
        self.assertEqual(
            english["closed"],
            f"Complaint {code} is resolved and closed. Thank you for your patience and trust.",
        )
        self.assertEqual(
            english["cancelled"],
            f"Complaint {code} was closed without further action. "
            "Reason: Withdrawn by the customer",
        )

        # Queued in the requests, sent by the SMS queue through the gateway.
        self.assertFalse(self.emulator.requests)
        self._run_queue()
        sent = [(entry[1], entry[2]) for entry in self.emulator.sent]
        for told, number in ((persian, "09121112233"), (english, "09124445566")):
            for key in ("declined", "accepted", "reopened", "closed", "cancelled"):
                self.assertIn((number, told[key]), sent)
        # The email of each notice went too: SMS does not replace it.
        for told in (persian, english):
            complaint = told["complaint"]
            emails = complaint.message_ids.filtered(
                lambda m, c=complaint: m.message_type == "comment" and c.partner_id in m.partner_ids
            )
            # declined, accepted, reopened, accepted again, closed, reopened, cancelled
            self.assertEqual(len(emails), 7, emails.mapped("subject"))

    def test_a_long_cancellation_reason_fits_two_parts(self):
        reasons = {
            self.customer: "مشتری اعلام کرد که محصول را به فروشگاه دیگری برگردانده و پول خود را "
            "از آنجا پس گرفته است؛ بنابراین پیگیری بیشتر لازم نیست.",
            self.english: "The customer says the mixer went back to the shop that sold it, "
            "which refunded it; so there is nothing left for us to follow up here.",
        }
        for customer, reason in reasons.items():
            complaint = self._new(partner_id=customer.id)
            body = self._told(
                complaint, lambda c=complaint, r=reason: self._manager(c, "cancel", r)
            )
            self.assertTrue(body.endswith("…"), body)
            self.assertIn(reason[:40], body)
            email = complaint.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
            self.assertIn(reason, email.body, "the email gives the whole reason")

    def test_a_mobile_is_enough_to_be_told(self):
        """No email address, a mobile: told by SMS, and the staff are not asked
        to call; without a gateway the same customer cannot be told, and they are."""
        self.customer.email = False
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        self._told(complaint, lambda: self._answer_approval(complaint, True))
        self.assertNotIn("was not told", " ".join(complaint.message_ids.mapped("body")))

        self.kavenegar.active = False
        before = len(self._sms_of(complaint))
        self._manager(complaint, "cancel", "Duplicate of another complaint")
        self.assertEqual(len(self._sms_of(complaint)), before)
        self.assertIn("was not told", " ".join(complaint.message_ids.mapped("body")))
