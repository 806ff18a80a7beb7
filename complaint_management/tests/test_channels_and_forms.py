import io
import math
import re

from PyPDF2 import PdfReader

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import ComplaintCommon, ComplaintHttpCommon

# The shipped channels (data/complaint_channel_data.xml), as customers read them.
PHONE = "021-74905"
WEBSITE = "https://mixplus.co/contact/"
WORKING_HOURS = "Saturday to Wednesday, 08:00 to 17:30"


@tagged("post_install", "-at_install")
class TestChannelHours(ComplaintCommon):
    """The answering hours of a channel in the reader's words."""

    def _calendar(self, periods):
        return self.env["resource.calendar"].create(
            {
                "name": "Hours",
                "tz": "Asia/Tehran",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {"name": "p", "dayofweek": day, "hour_from": start, "hour_to": stop}
                    )
                    for day, start, stop in periods
                ],
            }
        )

    def test_hours_in_words(self):
        Channel = self.env["complaint.channel"].with_context(lang="en_US")
        phone = Channel._get_by_type("phone")
        self.assertEqual(phone._customer_hours(), WORKING_HOURS)
        self.assertEqual(
            Channel._get_by_type("website")._customer_hours(),
            f"Registration every day, around the clock; answers {WORKING_HOURS}",
        )
        # A Thursday morning added: its own hours, after the week's.
        calendar = self._calendar([(day, 8, 17.5) for day in "56012"] + [("3", 8, 12)])
        self.assertEqual(
            Channel._calendar_text(calendar),
            f"{WORKING_HOURS} and Thursday, 08:00 to 12:00",
        )
        # A lunch break, and a week running round its end (Friday to Monday).
        calendar = self._calendar(
            [(day, 9, 12) for day in "4560"] + [(day, 13, 16) for day in "4560"]
        )
        self.assertEqual(
            Channel._calendar_text(calendar), "Friday to Monday, 09:00 to 12:00 and 13:00 to 16:00"
        )
        calendar = self._calendar([(str(day), 0, 24) for day in range(7)])
        self.assertEqual(Channel._calendar_text(calendar), "Every day, around the clock")
        # Put in words once in a transaction (each acknowledgement of a batch
        # lists the channels), yet never stale: hours changed since, in the
        # same transaction, are the ones given.
        calendar.attendance_ids.filtered(lambda a: a.dayofweek == "6").hour_to = 12
        changed = Channel._calendar_text(calendar)
        self.assertNotIn("Every day", changed)
        self.assertIn("Sunday, 00:00 to 12:00", changed)
        # Persian: the week starts on Saturday, Persian day names and digits.
        self.env["res.lang"]._activate_lang("fa_IR")
        text = phone.with_context(lang="fa_IR")._customer_hours()
        self.assertRegex(text, "^شنبه .* چهارشنبه")
        self.assertIn("۰۸:۰۰", text)
        self.assertIn("۱۷:۳۰", text)

    def test_only_channels_with_a_contact_are_shown(self):
        Channel = self.env["complaint.channel"]
        shown = Channel._customer_channels()
        self.assertEqual(shown.mapped("contact"), [PHONE, WEBSITE])
        self.assertEqual(
            [channel._customer_contact_url() for channel in shown], ["tel:02174905", WEBSITE]
        )
        # Configured by the managers: the list follows at once.
        email = Channel._get_by_type("email")
        email.contact = "complaints@mixplus.co"
        self.assertIn(email, Channel._customer_channels())
        self.assertEqual(email._customer_contact_url(), "mailto:complaints@mixplus.co")
        Channel._get_by_type("website").active = False
        self.assertEqual(Channel._customer_channels().mapped("channel_type"), ["phone", "email"])
        other_company = self.env["res.company"].create({"name": "Other Co"})
        Channel.create(
            {"name": "Other line", "contact": "021-1111", "company_id": other_company.id}
        )
        self.assertNotIn("021-1111", Channel._customer_channels().mapped("contact"))
        self.assertIn("021-1111", Channel._customer_channels(other_company).mapped("contact"))


@tagged("post_install", "-at_install")
class TestChannelsWhereCustomersLook(ComplaintHttpCommon):
    def _assert_channels(self, html):
        self.assertIn("o_complaint_channels", html)
        self.assertIn('href="tel:02174905"', html)
        self.assertIn(PHONE, html)
        self.assertIn(f'href="{WEBSITE}"', html)
        self.assertIn(WORKING_HOURS, html)
        self.assertIn("Registration every day, around the clock", html)

    def test_form_and_tracking_page_show_the_channels(self):
        for url in ("/complaint", "/complaint/track"):
            self._assert_channels(self.url_open(url).text)
        # The tracking page's answer too, and after a wrong pair.
        complaint = self._new(partner_id=self.customer.id)
        data = {"code": complaint.name, "contact": "0912 111 2299"}
        answer = self._post("/complaint/track", data, csrf_url="/complaint/track")
        self.assertIn("o_complaint_track_result", answer.text)
        self._assert_channels(answer.text)
        wrong = self._post(
            "/complaint/track", dict(data, contact="0912 000 0000"), csrf_url="/complaint/track"
        )
        self._assert_channels(wrong.text)
        # What the managers change is what customers read.
        self.env["complaint.channel"]._get_by_type("phone").contact = "021-8888 1234"
        page = self.url_open("/complaint").text
        self.assertIn("021-8888 1234", page)
        self.assertIn('href="tel:02188881234"', page)
        self.assertNotIn(PHONE, page)
        # In Persian: Persian day names and digits.
        self.env["res.lang"]._activate_lang("fa_IR")
        page = self.url_open("/fa/complaint").text
        self.assertIn("چهارشنبه", page)
        self.assertIn("۱۷:۳۰", page)

    def test_acknowledgement_email_lists_the_channels(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        response = self._post("/complaint/submit", self._form())
        self.assertEqual(response.status_code, 200)
        complaint = self._last_complaint()
        self._run_intake_job()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)])
        )
        ack = mail.filtered(lambda m: complaint.partner_id in m.recipient_ids)
        self.assertEqual(len(ack), 1)
        body = ack.body_html
        self.assertIn(complaint.name, body)
        self.assertIn(PHONE, body)
        self.assertIn('href="tel:02174905"', body)
        self.assertIn(WEBSITE, body)
        self.assertIn(WORKING_HOURS, body)
        # The Persian half reads them in Persian.
        persian = body[body.index("مشتری گرامی") : body.index("Dear customer")]
        self.assertIn(PHONE, persian)
        self.assertIn("چهارشنبه", persian)
        self.assertIn("۰۸:۰۰", persian)
        self.assertNotIn(WORKING_HOURS, persian)

    def test_acknowledgement_sms_gives_the_phone_line(self):
        template = self.env.ref(
            "complaint_management_sms.sms_template_complaint_ack", raise_if_not_found=False
        )
        if not template:
            self.skipTest("complaint_management_sms is not installed")
        complaint = self._new(partner_id=self.customer.id)
        body = template._render_field("body", complaint.ids, compute_lang=True)[complaint.id]
        self.assertIn(complaint.name, body)
        self.assertIn(f"Call us: {PHONE}", body)
        self.assertLessEqual(math.ceil(len(body) / 153), 2, body)
        # Without a phone channel, no dangling label.
        self.env["complaint.channel"]._get_by_type("phone").contact = False
        body = template._render_field("body", complaint.ids, compute_lang=True)[complaint.id]
        self.assertNotIn("Call us", body)


@tagged("post_install", "-at_install")
class TestPrintedForms(ComplaintCommon, HttpCase):
    """The procedure's printables, as PDF (HttpCase: wkhtmltopdf fetches the
    report's stylesheets from this Odoo)."""

    BLANK = "complaint_management.action_report_complaint_receipt_form_blank"
    FILLED = "complaint_management.action_report_complaint_receipt_form"
    CARD = "complaint_management.action_report_complaint_channels_card"

    def _pdf_text(self, report, ids, lang="en_US"):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(lang=lang, force_report_rendering=True)
            ._render_qweb_pdf(report, ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        return " ".join(text.split())

    def _html(self, report, ids, lang="en_US"):
        return (
            self.env["ir.actions.report"]
            .with_context(lang=lang)
            ._render_qweb_html(report, ids)[0]
            .decode()
        )

    def _persian(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(["complaint_management"], ["fa_IR"])

    def test_blank_form(self):
        text = self._pdf_text(self.BLANK, None)
        for expected in (
            "Complaint Receipt and Follow-up Form",
            "Tracking code",
            "Acknowledgement of receipt",
            "Initial assessment",
            "Root cause",
            "Product repair",
            "Refund of the price",
            "Satisfaction with the process",
            "Signature and date",
        ):
            self.assertIn(expected, text)
        self.assertNotRegex(text, r"CMP-\d{4}", "nothing of any complaint")
        html = self._html(self.BLANK, None)
        self.assertNotIn('<span class="o_form_box">X</span>', html, "nothing ticked")
        # Persian: right to left, the procedure's terms in Persian.
        self._persian()
        html = self._html(self.BLANK, None, "fa_IR")
        self.assertIn('dir="rtl"', html)
        self.assertIn("تعمیر محصول", html)
        self._pdf_text(self.BLANK, None, "fa_IR")  # renders as a PDF too

    def test_filled_form(self):
        self.env.user.tz = "Asia/Tehran"
        complaint = self._new(partner_id=self.customer.id, subject="Drum bearing noise")
        self._advance(complaint, "closed")
        text = self._pdf_text(self.FILLED, complaint.ids)
        for expected in (
            "Complaint Receipt and Follow-up Form",
            complaint.name,
            "Drum bearing noise",
            "sara.mohammadi@example.ir",
            "Stop shipping lot L-42",
            "Mixer CFT",
            "Head Hosseini",
            self.root_cause.name,
            "Replace the drum bearing",
            "Signature and date",
        ):
            self.assertIn(expected, text)
        # What happened is ticked: the channel, how it was acknowledged, the
        # assessment, the response, the survey's scores.
        html = self._html(self.FILLED, complaint.ids)
        ticked = re.findall(r'<span class="o_form_box">X</span>([^<]+)<', html)
        ticked = [label.strip() for label in ticked]
        ack_methods = dict(complaint._fields["ack_method"]._description_selection(self.env))
        for label in (
            complaint.channel_id.name,
            ack_methods[complaint.ack_method],
            "Accepted as a complaint",
            "Product repair",
            "Very satisfied",
            "Satisfied",
            "Yes",
        ):
            self.assertIn(label, ticked)
        self.assertNotIn("Product replacement", ticked)
        self._persian()
        html = self._html(self.FILLED, complaint.ids, "fa_IR")
        self.assertIn('dir="rtl"', html)
        self.assertIn(complaint.name, html)
        self._pdf_text(self.FILLED, complaint.ids, "fa_IR")

    def test_channels_card(self):
        # From the menu: no channel chosen, the company's channels.
        text = self._pdf_text(self.CARD, None)
        self.assertIn("Complaint channels", text)
        self.assertIn(PHONE, text)
        self.assertIn(WEBSITE, text)
        self.assertIn(WORKING_HOURS, text)
        self.assertIn("/complaint/track", text)
        # From the channels list: the ones chosen.
        phone = self.env["complaint.channel"]._get_by_type("phone")
        text = self._pdf_text(self.CARD, phone.ids)
        self.assertIn(PHONE, text)
        self.assertNotIn(WEBSITE, text)
        self._persian()
        html = self._html(self.CARD, None, "fa_IR")
        self.assertIn('dir="rtl"', html)
        self.assertIn("چهارشنبه", html)
        self._pdf_text(self.CARD, None, "fa_IR")

    def test_every_employee_prints_the_blank_form_and_the_card(self):
        menus = self.env["ir.ui.menu"].with_user(self.user_employee)._visible_menu_ids()
        for xmlid in ("complaint_menu_forms_receipt_blank", "complaint_menu_forms_channels_card"):
            self.assertIn(self.env.ref(f"complaint_management.{xmlid}").id, menus)
        # What the menu downloads, as that employee.
        self.authenticate("cm_employee", "cm_employee")
        for report in (self.BLANK, self.CARD):
            name = self.env.ref(report).report_name
            response = self.url_open(f"/report/html/{name}")
            self.assertEqual(response.status_code, 200)
        self.assertIn(PHONE, response.text)
        # The filled form is the complaints staff's: in their Print menu only.
        filled = self.env.ref(self.FILLED).id
        Actions = self.env["ir.actions.actions"]

        def printable(user):
            bindings = Actions.with_user(user).get_bindings("complaint.complaint")
            return [action["id"] for action in bindings.get("report", [])]

        self.assertIn(filled, printable(self.user_officer))
        self.assertIn(filled, printable(self.user_cft))
        self.assertNotIn(filled, printable(self.user_employee))
