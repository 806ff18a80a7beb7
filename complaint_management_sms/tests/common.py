from odoo.addons.complaint_management.tests.common import ComplaintCommon

from .gateway_emulator import KAVENEGAR_KEY, SMSIR_KEY, GatewayEmulator


class SmsGatewayCommon(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator = GatewayEmulator().start()
        cls.addClassCleanup(cls.emulator.stop)
        Gateway = cls.env["complaint.sms.gateway"]
        Gateway.search([]).active = False
        cls.kavenegar = Gateway.create(
            {
                "name": "Kavenegar (emulated)",
                "provider": "kavenegar",
                "api_key": KAVENEGAR_KEY,
                "sender": "10004346",
                "base_url": cls.emulator.url,
                "timeout": 2,
            }
        )
        cls.smsir = Gateway.create(
            {
                "name": "SMS.ir (emulated)",
                "provider": "smsir",
                "api_key": SMSIR_KEY,
                "sender": "30004505000017",
                "base_url": cls.emulator.url,
                "timeout": 2,
                "active": False,
            }
        )
        cls.customer.mobile = "0912 111 2233"

    def setUp(self):
        super().setUp()
        self.emulator.requests.clear()
        self.emulator.sent.clear()
        self.emulator.script.clear()
        self.emulator.statuses.clear()

    def _use(self, gateway):
        (self.kavenegar | self.smsir).active = False
        gateway.active = True

    def _sms(self, numbers, body="Test message"):
        return self.env["sms.sms"].create([{"number": n, "body": body} for n in numbers])

    def _run_queue(self):
        self.env["sms.sms"]._process_queue()

    def _sms_of(self, complaint):
        return self.env["sms.sms"].search(
            [
                ("mail_message_id.model", "=", "complaint.complaint"),
                ("mail_message_id.res_id", "=", complaint.id),
            ],
            order="id",
        )
