import re

from odoo.tests import tagged

from .common import SmsGatewayCommon
from .test_procedure_sms import sms_parts


@tagged("post_install", "-at_install")
class TestGiftSms(SmsGatewayCommon):
    """The apology's gift card code reaches a customer without email by SMS,
    through the emulated Kavenegar gateway; without a gateway, on the printed
    voucher. The email stays the way for those who have one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mobile_only = cls.env["res.partner"].create(
            {"name": "Reza Rahmani", "mobile": "0912 333 4455", "lang": "en_US"}
        )

    def _gift_approved(self, customer, amount=80.0):
        complaint = self._advance(self._new(partner_id=customer.id), "investigation")
        complaint.root_cause_id = self.root_cause
        line = self.env["complaint.resolution"].create(
            {
                "complaint_id": complaint.id,
                "resolution_type": "apology_gift",
                "amount": amount,
                "product_id": False,
            }
        )
        self._record_capa(complaint)
        complaint.with_user(self.user_officer).action_propose_response()
        self._answer_approval(complaint, True)
        self.assertEqual(complaint.step, "in_execution")
        return complaint, line.with_user(self.user_officer)

    def _with_code(self, complaint, card):
        return self._sms_of(complaint).filtered(lambda sms: card.code in sms.body)

    def test_code_goes_by_sms_to_a_customer_without_email(self):
        complaint, line = self._gift_approved(self.mobile_only)
        self.emulator.requests.clear()
        action = line.action_create_document()
        card = line.sudo().gift_card_id
        self.assertEqual(line.gift_sent_by, "sms")
        self.assertEqual(line.document_state, "Issued: SMS")
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey", "never stuck")
        self.assertNotEqual(action.get("type"), "ir.actions.report", "nothing to print")
        sms = self._with_code(complaint, card)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+989123334455")
        self.assertIn(complaint.name, sms.body)
        self.assertIn("80.00", sms.body)
        self.assertLessEqual(sms_parts(sms.body), 2, sms.body)
        self.assertIn(
            "went to the customer by SMS (+989123334455)",
            " ".join(complaint.message_ids.mapped("body")),
        )
        # Queued in the officer's request; the SMS queue sends it.
        self.assertFalse(self.emulator.requests)
        self._run_queue()
        sent = [entry for entry in self.emulator.sent if card.code in entry[2]]
        self.assertEqual([entry[:2] for entry in sent], [("kavenegar", "09123334455")])

    def test_without_a_gateway_the_voucher_is_printed(self):
        self.kavenegar.active = False
        complaint, line = self._gift_approved(self.mobile_only)
        action = line.action_create_document()
        card = line.sudo().gift_card_id
        self.assertEqual(line.gift_sent_by, "voucher")
        self.assertEqual(action["report_name"], "complaint_management.report_gift_voucher")
        self.assertFalse(self._with_code(complaint, card))
        self.assertEqual(complaint.step, "survey")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.user_officer)
            ._render_qweb_html("complaint_management.action_report_gift_voucher", line.ids)[0]
            .decode()
        )
        self.assertIn(card.code, html)

    def test_a_customer_with_email_gets_the_email(self):
        complaint, line = self._gift_approved(self.customer)
        line.action_create_document()
        card = line.sudo().gift_card_id
        self.assertEqual(line.gift_sent_by, "email")
        self.assertFalse(self._with_code(complaint, card))
        emailed = complaint.message_ids.filtered(
            lambda m: card.code in (m.body or "") and m.message_type == "comment"
        )
        self.assertIn(self.customer, emailed.partner_ids)

    def test_gift_sms_in_persian_fits_two_parts(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_management", "complaint_management_sms"], ["fa_IR"]
        )
        self.mobile_only.lang = "fa_IR"
        complaint, line = self._gift_approved(self.mobile_only, amount=1450000.0)
        line.action_create_document()
        (sms,) = self._with_code(complaint, line.sudo().gift_card_id)
        self.assertTrue(re.search("[\u0600-\u06ff]", sms.body), f"Persian: {sms.body}")
        self.assertIn(complaint.name, sms.body)
        self.assertLessEqual(sms_parts(sms.body), 2, sms.body)
