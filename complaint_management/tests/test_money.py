import re

from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintHttpCommon

AMOUNT = 1450000.0
# 1,450,000 rials in each reader's language (no-break space before the symbol).
ENGLISH = "1,450,000.00\N{NO-BREAK SPACE}﷼"
PERSIAN = "1٬450٬000٫00\N{NO-BREAK SPACE}﷼"
# The same, as read in a text whose spaces are normalised (see _text).
ENGLISH_TEXT = "1,450,000.00 ﷼"
PERSIAN_TEXT = "1٬450٬000٫00 ﷼"


def _text(html):
    """What a reader sees of an HTML page or email: its words, one space apart
    (the email's preview turns the no-break space into a space)."""
    return " ".join(re.sub(r"<[^>]*>", " ", html).replace("&nbsp;", " ").split())


@tagged("post_install", "-at_install")
class TestMoney(ComplaintHttpCommon):
    """Amounts are money in the company's currency, formatted in the reader's
    language: a compensation of 1,450,000 rials never reads "1.45e+06"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A manufacturer in rials. The demo company has journal items, whose
        # currency cannot change: the staff work in a company of their own.
        irr = cls.env.ref("base.IRR")
        irr.active = True
        cls.company = cls.env["res.company"].create(
            {"name": "Pars Mixer", "currency_id": irr.id, "country_id": cls.env.ref("base.ir").id}
        )
        staff = (
            cls.user_manager
            | cls.user_officer
            | cls.user_cft_head
            | cls.user_cft
            | cls.user_cft_other
            | cls.user_employee
        )
        staff.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.company.complaint_manager_id = cls.user_manager
        # Persian with its own separators (٬ for thousands, ٫ for decimals), as
        # a company may set them: money then visibly follows the reader's language.
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(["complaint_management"], ["fa_IR"])
        cls.env["res.lang"]._lang_get("fa_IR").write({"thousands_sep": "٬", "decimal_point": "٫"})
        cls.customer.lang = "fa_IR"
        cls.other_customer.lang = "en_US"

    def _proposed(self, customer, resolution_type="compensation"):
        """A complaint of ``customer`` with 1,450,000 rials proposed to them."""
        complaint = self._advance(self._new(partner_id=customer.id), "investigation")
        self.assertEqual(complaint.company_id, self.company)
        complaint.root_cause_id = self.root_cause
        self._record_capa(complaint)
        self.env["complaint.resolution"].with_user(self.user_officer).create(
            {
                "complaint_id": complaint.id,
                "resolution_type": resolution_type,
                "description": "Spoiled dough",
                "amount": AMOUNT,
            }
        )
        # The email stays in the queue, to be read as the customer gets it.
        complaint.with_user(self.user_officer).with_context(
            mail_notify_force_send=False
        ).action_propose_response()
        self.assertEqual(complaint.step, "awaiting_approval")
        return complaint

    def _email_to(self, customer, complaint):
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "=", complaint.id),
                ("recipient_ids", "in", customer.ids),
            ]
        )
        self.assertEqual(len(mail), 1, "one email to the customer")
        return _text(mail.body_html)

    def assertMoney(self, text, money, other_money):
        """``text`` shows the amount as ``money`` only, and every rial symbol
        in it follows an amount so formatted."""
        self.assertIn(money, text)
        self.assertNotIn(other_money, text)
        self.assertNotIn("e+0", text)
        self.assertEqual(text.count("﷼"), text.count(money), text)

    def test_approval_email_in_the_customers_language(self):
        """The Persian text of the email (all of it for a Persian customer, who
        gets it in Persian) reads the amount as a Persian reader does, the
        English text as an English reader does."""
        persian = self._email_to(self.customer, self._proposed(self.customer))
        english = self._email_to(self.other_customer, self._proposed(self.other_customer))
        for body in (persian, english):
            self.assertNotIn("e+0", body)
            self.assertEqual(
                body.count("﷼"), body.count(PERSIAN_TEXT) + body.count(ENGLISH_TEXT), body
            )
        persian_text = persian.partition("For your complaint")[0]
        self.assertIn(f"پرداخت خسارت: Spoiled dough ({PERSIAN_TEXT})", persian_text)
        self.assertMoney(persian_text, PERSIAN_TEXT, ENGLISH_TEXT)
        english_text = english.partition("For your complaint")[2]
        self.assertIn(f"Compensation payment: Spoiled dough ({ENGLISH_TEXT})", english_text)
        self.assertMoney(english_text, ENGLISH_TEXT, PERSIAN_TEXT)

    def test_proposal_summary_in_the_readers_language(self):
        approval = self._proposed(self.other_customer).approval_ids
        self.assertEqual(
            approval.with_user(self.user_officer).summary,
            f"Compensation payment: Spoiled dough ({ENGLISH})",
        )
        # Read again in Persian (the web client's context of a Persian user).
        self.assertEqual(
            approval.with_user(self.user_manager).with_context(lang="fa_IR").summary,
            f"پرداخت خسارت: Spoiled dough ({PERSIAN})",
        )
        wizard = (
            self.env["complaint.approval.wizard"]
            .with_user(self.user_officer)
            .create({"complaint_id": approval.complaint_id.id, "decision": "accept"})
        )
        self.assertIn(ENGLISH, wizard.summary)

    def test_portal_and_complaint_file(self):
        """The proposal on the customer's page and the response table of the
        complaint file (whose history also holds the email as it was sent)."""
        complaint = self._proposed(self.customer)
        url = complaint.sudo().get_portal_url()
        for prefix, money, other_money in (
            ("", ENGLISH_TEXT, PERSIAN_TEXT),
            ("/fa", PERSIAN_TEXT, ENGLISH_TEXT),
        ):
            page = self.url_open(prefix + url).text
            proposal = page[page.index('id="decision"') :].partition("</section>")[0]
            self.assertMoney(_text(proposal), money, other_money)
        report = self.env["ir.actions.report"]
        for lang, money, other_money in (
            ("en_US", ENGLISH_TEXT, PERSIAN_TEXT),
            ("fa_IR", PERSIAN_TEXT, ENGLISH_TEXT),
        ):
            html = (
                report.with_context(lang=lang)
                ._render_qweb_html("complaint_management.action_report_complaint", complaint.ids)[0]
                .decode()
            )
            responses = html[html.index("Spoiled dough") :].partition("</table>")[0]
            self.assertMoney(_text(responses), money, other_money)

    def test_apology_gift_email_in_the_customers_language(self):
        complaint = self._proposed(self.customer, "apology_gift")
        self._answer_approval(complaint, True)
        line = complaint.resolution_ids
        line.with_user(self.user_officer).action_create_document()
        self.assertEqual(line.sudo().gift_card_id.points, AMOUNT)
        apology = complaint.message_ids.filtered(
            lambda m: m.message_type == "comment" and line.sudo().gift_card_id.code in m.body
        )
        body = _text(apology.body)
        self.assertNotIn("e+0", body)
        self.assertMoney(body.partition("Dear")[0], PERSIAN_TEXT, ENGLISH_TEXT)
