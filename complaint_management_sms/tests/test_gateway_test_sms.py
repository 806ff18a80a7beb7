from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SmsGatewayCommon
from .gateway_emulator import SMSIR_KEY


@tagged("post_install", "-at_install")
class TestGatewayTestSms(SmsGatewayCommon):
    """The "Send a Test SMS" button of a gateway: one SMS through that gateway,
    against the emulated providers, and what the administrator is told."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env, "cm_sms_admin", groups="base.group_user,base.group_system", name="Admin Azadi"
        )
        cls.admin.partner_id.mobile = "0912 765 4321"

    def _send(self, gateway, number=None):
        """Press the button, fill the dialog, send: the notification shown."""
        action = gateway.with_user(self.admin).action_open_test_sms()
        self.assertEqual(
            (action["res_model"], action["target"]), ("complaint.sms.gateway.test", "new")
        )
        dialog = Form(
            self.env[action["res_model"]].with_user(self.admin).with_context(**action["context"])
        )
        self.assertEqual(dialog.gateway_id, gateway)
        self.assertEqual(dialog.number, "0912 765 4321", "the administrator's own mobile")
        if number:
            dialog.number = number
        notification = dialog.save().action_send()
        self.assertEqual(notification["tag"], "display_notification")
        return notification["params"]

    def test_button_on_the_gateway_form(self):
        views = self.kavenegar.with_user(self.admin).get_views([(False, "form")])
        form = etree.fromstring(views["views"]["form"]["arch"])
        (button,) = form.xpath("//header/button[@name='action_open_test_sms']")
        self.assertEqual(button.get("string"), "Send a Test SMS")
        # A complaints manager sees the gateways but sends nothing through them.
        with self.assertRaises(AccessError):
            self.env["complaint.sms.gateway.test"].with_user(self.user_manager).create(
                {"gateway_id": self.kavenegar.id, "number": "09121112233", "body": "x"}
            )

    def test_success(self):
        params = self._send(self.kavenegar)
        (call,) = self.emulator.sends("kavenegar")
        self.assertEqual(call["form"]["receptor"], "09127654321")
        self.assertIn("the SMS gateway works", call["form"]["message"])
        (sent,) = self.emulator.sent
        self.assertEqual(params["type"], "success")
        self.assertEqual(params["title"], "Test SMS sent")
        self.assertIn(sent[3], params["message"], "the provider's message id")
        self.assertIn("0912 765 4321", params["message"])
        sms = self.env["sms.sms"].search([("gateway_message_id", "=", sent[3])])
        self.assertEqual((sms.state, sms.gateway_id), ("pending", self.kavenegar))

    def test_inactive_gateway_before_switching_to_it(self):
        self.assertFalse(self.smsir.active)
        params = self._send(self.smsir, number="۰۹۳۵ ۱۲۳ ۴۵۶۷")
        self.assertEqual(params["type"], "success")
        self.assertFalse(self.emulator.sends("kavenegar"), "not through the active gateway")
        (call,) = self.emulator.sends("smsir")
        self.assertEqual(call["headers"]["X-API-KEY"], SMSIR_KEY)
        self.assertEqual(call["json"]["mobiles"], ["09351234567"])

    def test_provider_errors_explained(self):
        self.emulator.script.append(("status", 418))
        params = self._send(self.kavenegar)
        self.assertEqual((params["type"], params["sticky"]), ("danger", True))
        self.assertEqual(params["title"], "Test SMS not sent")
        self.assertIn("no credit left", params["message"])
        self.assertIn("Kavenegar 418: insufficient credit", params["message"])
        self.kavenegar.sudo().api_key = "WRONG"
        params = self._send(self.kavenegar)
        self.assertIn("check the API key", params["message"])
        self.assertIn("Kavenegar 403", params["message"])
        self.assertFalse(self.emulator.sent)

    def test_busy_gateway_is_not_retried_behind_the_users_back(self):
        self.emulator.script.append(("http", 503))
        params = self._send(self.kavenegar)
        self.assertEqual(params["type"], "danger")
        self.assertIn("try again in a few minutes", params["message"])
        sms = self.env["sms.sms"].search([("number", "=", "0912 765 4321")])
        self.assertEqual(sms.state, "canceled")
        self._run_queue()
        self.assertEqual(len(self.emulator.sends("kavenegar")), 1, "no second attempt")

    def test_unanswered_smsir_send_says_it_may_have_gone(self):
        self.emulator.script.append(("close",))
        params = self._send(self.smsir)
        self.assertEqual(params["type"], "danger")
        self.assertIn("may have gone out", params["message"])

    def test_test_mode_and_bad_number(self):
        self.kavenegar.test_mode = True
        params = self._send(self.kavenegar)
        self.assertEqual(params["type"], "warning")
        self.assertIn("test mode", params["message"])
        self.assertFalse(self.emulator.requests)
        with self.assertRaisesRegex(UserError, "021 7490 5000 is not an Iranian mobile number"):
            self._send(self.kavenegar, number="021 7490 5000")
        self.assertFalse(self.emulator.requests)
