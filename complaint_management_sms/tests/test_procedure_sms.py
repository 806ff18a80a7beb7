import math
import re

from odoo.tests import HttpCase, tagged

from .common import SmsGatewayCommon

GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def sms_parts(text):
    """Parts of an SMS: 160/153 GSM characters, or 70/67 in UCS-2 (Persian)."""
    single, multi = (160, 153) if set(text) <= GSM else (70, 67)
    return 1 if len(text) <= single else math.ceil(len(text) / multi)


@tagged("post_install", "-at_install")
class TestProcedureSms(SmsGatewayCommon):
    def test_every_step_reaches_the_customer_by_sms(self):
        complaint = self._new(partner_id=self.customer.id)
        self.assertEqual(complaint.sms_number, "+989121112233")
        self.assertEqual((complaint.step, complaint.ack_method), ("acknowledged", "sms"))
        self._advance(complaint, "awaiting_approval")
        self._answer_approval(complaint, False, "Too slow")
        self._advance(complaint, "survey")
        self._survey(complaint, False)
        bodies = self._sms_of(complaint).mapped("body")
        self.assertEqual(len(bodies), 7, bodies)
        ack, approval, declined, approval_again, accepted, executed, reopened = bodies
        token = complaint.sudo().access_token
        self.assertIn(complaint.name, ack)
        self.assertIn(f"/c/{complaint.id}/{token}", approval)
        self.assertEqual(approval, approval_again)
        self.assertIn("another response", declined)
        self.assertIn("carrying out", accepted)
        self.assertIn(f"/c/{complaint.id}/{token}/s", executed)
        self.assertIn("keep working", reopened)
        # Nothing left the building during the requests: all of it is queued.
        self.assertFalse(self.emulator.requests)
        self._run_queue()
        self.assertEqual(len(self.emulator.sent), 7)
        self.assertEqual({entry[1] for entry in self.emulator.sent}, {"09121112233"})

    def _filed_by_customer(self, phone, email=""):
        Public = self.env["complaint.public.intake"].with_user(self.env.ref("base.public_user"))
        values, errors = Public._prepare_public_values(
            {
                "name": "Someone",
                "phone": phone,
                "email": email,
                "description": "The kettle switch is broken.",
                "consent": True,
            }
        )
        self.assertFalse(errors)
        return Public.sudo()._create_from_public(values)

    def _run_intake_job(self):
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()

    def test_acknowledgement_sms_per_number_is_limited(self):
        """Anyone may type any number on the public form: the company does not
        pay for a fourth acknowledgement SMS to one number in a day."""
        filed = [self._filed_by_customer("0919 222 3344") for _n in range(4)]
        self._run_intake_job()
        sent = [bool(self._sms_of(complaint)) for complaint in filed]
        self.assertEqual(sent, [True, True, True, False])
        last = filed[-1]
        self.assertEqual(last.step, "received", "the staff acknowledge by phone")
        self.assertIn("has had 3 today", " ".join(last.message_ids.mapped("body")))
        # The staff's own complaints for that number are not limited.
        self.assertTrue(self._sms_of(self._new(phone="0919 222 3344")))

    def test_no_sms_when_the_staff_acknowledged_first(self):
        complaint = self._filed_by_customer("0919 222 3355")
        complaint.with_user(self.user_officer).action_acknowledge_phone()
        self._run_intake_job()
        self.assertFalse(self._sms_of(complaint))
        self.assertEqual(complaint.ack_method, "phone")

    def test_acknowledgement_sms_per_hour_is_limited(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "complaint_management_sms.ack_per_hour", "2"
        )
        filed = [self._filed_by_customer(f"0919 222 33{n:02d}") for n in range(3)]
        self._run_intake_job()
        self.assertEqual([bool(self._sms_of(c)) for c in filed], [True, True, False])
        bodies = " ".join(filed[-1].message_ids.mapped("body"))
        self.assertIn("2 were sent in the last hour", bodies)

    def test_acknowledgement_sms_per_user_is_limited(self):
        """No one account spends the company's SMS credit: the acknowledgement
        SMS of the complaints an employee registers are limited per day too."""
        self.env["ir.config_parameter"].sudo().set_param(
            "complaint_management_sms.ack_per_user_day", "2"
        )
        registered = [self._new(phone=f"0919 222 34{n:02d}") for n in range(3)]
        self.assertEqual([bool(self._sms_of(c)) for c in registered], [True, True, False])
        last = registered[-1]
        self.assertEqual(last.step, "received", "acknowledged by email or by phone")
        self.assertIn(
            "2 were sent today for the complaints Officer Omidi registered",
            " ".join(last.message_ids.mapped("body")),
        )
        # Another employee's registrations, and the customers' own, have limits of their own.
        self.assertTrue(self._sms_of(self._new(user=self.user_manager, phone="0919 222 3499")))
        filed = self._filed_by_customer("0919 222 3498")
        self._run_intake_job()
        self.assertTrue(self._sms_of(filed))
        self._run_queue()
        self.assertEqual(len(self.emulator.sent), 4)

    def test_landline_customers_get_no_sms(self):
        complaint = self._new()  # Hamid Jafari has a Tehran landline only
        self.assertFalse(complaint.sms_number)
        self.assertFalse(self._sms_of(complaint))
        self.assertEqual(complaint.step, "received")

    def test_templates_fit_two_sms_parts(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_management", "complaint_management_sms"], ["fa_IR"]
        )
        complaint = self._new(partner_id=self.customer.id)
        templates = self.env["sms.template"].search(
            [("id", "in", [self.env.ref(x).id for x in self._template_xmlids()])]
        )
        self.assertEqual(len(templates), 8)
        for lang in ("fa_IR", "en_US"):
            self.customer.lang = lang
            for template in templates:
                body = template._render_field("body", complaint.ids, compute_lang=True)[
                    complaint.id
                ]
                self.assertLessEqual(sms_parts(body), 2, f"{lang} {template.name}: {body}")
                if lang == "fa_IR":
                    self.assertTrue(re.search("[\u0600-\u06ff]", body), f"Persian: {body}")

    def _template_xmlids(self):
        return [
            f"complaint_management_sms.sms_template_complaint_{key}"
            for key in (
                "ack",
                "rejected",
                "approval",
                "accepted",
                "declined",
                "executed",
                "survey",
                "reopened",
            )
        ]


@tagged("post_install", "-at_install")
class TestSmsHttp(SmsGatewayCommon, HttpCase):
    def test_public_form_queues_the_acknowledgement(self):
        page = self.url_open("/complaint")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/complaint/submit",
            data={
                "csrf_token": token,
                "name": "Kian Rostami",
                "phone": "0919 222 3344",
                "description": "The kettle switch is broken.",
                "consent": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["complaint.complaint"].search([], order="id desc", limit=1)
        self.assertIn(complaint.name, response.text)
        self.assertFalse(self._sms_of(complaint), "left to the intake job")
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()
        sms = self._sms_of(complaint)
        self.assertEqual(sms.state, "outgoing", "queued for the SMS queue")
        self.assertFalse(self.emulator.requests)
        self.assertEqual(complaint.ack_method, "sms")
        self._run_queue()
        (entry,) = self.emulator.sent
        self.assertEqual(entry[1], "09192223344")
        self.assertIn(complaint.name, entry[2])
        self.assertEqual(sms.state, "pending")

    def test_delivery_callback(self):
        sms = self._sms(["09121112233"])
        self._run_queue()
        url = self.kavenegar.webhook_url.replace(self.kavenegar.get_base_url(), "")
        wrong = url.rsplit("/", 1)[0] + "/not-the-secret"
        response = self.url_open(f"{wrong}?messageid={sms.gateway_message_id}&status=10")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(sms.state, "pending")
        response = self.url_open(f"{url}?messageid={sms.gateway_message_id}&status=10")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(sms.state, "sent")

    def test_short_link(self):
        complaint = self._new(partner_id=self.customer.id)
        response = self.url_open(
            complaint.portal_short_url.replace(complaint.get_base_url(), ""), allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(complaint.sudo().get_portal_url()),
            response.headers["Location"],
        )


@tagged("post_install", "-at_install")
class TestFreeSms(SmsGatewayCommon):
    def test_staff_sms_from_the_complaint_goes_through_the_gateway(self):
        complaint = self._new(partner_id=self.customer.id)
        self._run_queue()  # the acknowledgement
        self.emulator.sent.clear()
        composer = (
            self.env["sms.composer"]
            .with_user(self.user_officer)
            .with_context(default_res_model="complaint.complaint", default_res_id=complaint.id)
            .create({"body": "We will visit you on Saturday at 10:00."})
        )
        composer.action_send_sms()
        self.assertEqual(
            [(entry[1], entry[2]) for entry in self.emulator.sent],
            [("09121112233", "We will visit you on Saturday at 10:00.")],
        )
        message = complaint.message_ids.filtered(lambda m: m.message_type == "sms")[:1]
        self.assertEqual(message.notification_ids.notification_status, "pending")


@tagged("post_install", "-at_install")
class TestWithoutGateway(SmsGatewayCommon):
    def test_no_gateway_no_procedure_sms(self):
        self.kavenegar.active = False
        complaint = self._new(partner_id=self.customer.id)
        self.assertFalse(self._sms_of(complaint))
        self.assertEqual(complaint.step, "received", "staff acknowledge it themselves")
