import html
import re

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ComplaintCommon, ComplaintHttpCommon

# What a reader sees of an email: its text, without tags; codes left out.
CODE = re.compile(r"\b[A-Z]+-\d{4}-\d+\b")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

RECEIVED = "2026-11-28 07:00:00"  # Saturday 10:30 in Tehran: 7 Azar 1405
CLOSED = "2026-12-06 08:00:00"  # Sunday 11:30 in Tehran: 15 Azar 1405
RECEIVED_FA = "۷ آذر ۱۴۰۵، ۱۰:۳۰"
CLOSED_FA = "۱۵ آذر ۱۴۰۵، ۱۱:۳۰"


def text_of(body):
    return html.unescape(re.sub(r"<[^>]+>", " ", body or ""))


def latin_words(body):
    """The Latin-letter words a reader sees in ``body``, codes left out."""
    return LATIN_WORD.findall(CODE.sub(" ", text_of(body)))


class NoticesCommon(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(["complaint_management"], ["fa_IR"])
        # A Persian company and customer: everything a Persian reader sees is Persian.
        cls.company.name = "صنایع همزن پارس"
        cls.customer.write({"lang": "fa_IR", "tz": "Asia/Tehran"})
        cls.english = cls.env["res.partner"].create(
            {
                "name": "Sarah Miller",
                "email": "sarah.miller@example.com",
                "lang": "en_US",
                "tz": "Asia/Tehran",
            }
        )

    def _proposed(self, customer, description="تعویض یاتاقان دیگ"):
        complaint = self._new(partner_id=customer.id, subject="صدای تق‌تق دیگ همزن")
        self._advance(complaint, "investigation")
        complaint.with_user(self.user_officer).root_cause_id = self.root_cause
        self._record_capa(complaint)
        self.env["complaint.resolution"].with_user(self.user_officer).create(
            {"complaint_id": complaint.id, "resolution_type": "repair", "description": description}
        )
        complaint.with_user(self.user_officer).action_propose_response()
        return complaint

    def _notices(self, complaint):
        """The messages to the customer the procedure posted as comments: what
        the customer reads in their mailbox and on the portal."""
        return complaint.message_ids.filtered(
            lambda m: m.message_type == "comment" and complaint.partner_id in m.partner_ids
        ).sorted("id")

    def _last_notice(self, complaint):
        notice = self._notices(complaint)[-1:]
        self.assertTrue(notice, "the customer is told")
        self.assertFalse(notice.subtype_id.internal, "a message, not an internal note")
        self.assertEqual(notice.partner_ids, complaint.partner_id)
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", notice.id)])
        self.assertIn(complaint.partner_id, mail.recipient_ids, "and emailed")
        return notice

    def assertPersianOnly(self, notice):
        self.assertEqual(latin_words(notice.subject), [], notice.subject)
        self.assertEqual(latin_words(notice.body), [], text_of(notice.body))
        self.assertNotIn("2026", CODE.sub(" ", text_of(notice.body)), "Jalali dates only")
        self.assertIn("گرامی", notice.body)


@tagged("post_install", "-at_install")
class TestCustomerNotices(NoticesCommon):
    """The customer is told of every turn of their complaint, in their
    language: their decision recorded (and what happens next), reopened,
    closed (a summary and thanks), cancelled (with the reason)."""

    def test_acceptance_confirmed_with_what_happens_next(self):
        with freeze_time(RECEIVED):
            persian = self._proposed(self.customer)
            self._answer_approval(persian, True)
            english = self._proposed(self.english, description="Replace the drum bearing")
            self._answer_approval(english, True)

        notice = self._last_notice(persian)
        self.assertEqual(notice.subject, f"پذیرش شما ثبت شد: {persian.name}")
        self.assertIn(persian.name, notice.body)
        self.assertIn(RECEIVED_FA, notice.body, "the decision's date, Jalali")
        self.assertIn("تعمیر محصول: تعویض یاتاقان دیگ", notice.body, "what is carried out")
        self.assertIn("گام بعدی", notice.body)
        self.assertIn(f"access_token={persian.sudo().access_token}", notice.body)
        self.assertPersianOnly(notice)

        notice = self._last_notice(english)
        self.assertIn(f"Your acceptance is recorded: {english.name}", notice.subject)
        body = text_of(notice.body)
        self.assertIn("Nov 28, 2026", body, "a Gregorian date in the English text")
        self.assertIn("Product repair: Replace the drum bearing", body)
        self.assertIn("Next: we carry out this response", " ".join(body.split()))

    def test_rejection_confirmed_with_the_reason_and_what_happens_next(self):
        with freeze_time(RECEIVED):
            persian = self._proposed(self.customer)
            self._answer_approval(persian, False, "زمان تعمیر بیش از حد طولانی است")
            english = self._proposed(self.english)
            self._answer_approval(english, False, "The repair takes too long")

        self.assertEqual(persian.step, "response_proposed")
        notice = self._last_notice(persian)
        self.assertEqual(notice.subject, f"پاسخ شما ثبت شد: {persian.name}")
        self.assertIn("زمان تعمیر بیش از حد طولانی است", notice.body)
        self.assertIn("پاسخ دیگری آماده می‌کنند", notice.body)
        self.assertIn(RECEIVED_FA, notice.body)
        self.assertPersianOnly(notice)

        body = " ".join(text_of(self._last_notice(english).body).split())
        self.assertIn("The repair takes too long", body)
        self.assertIn("prepares another response, which we send you for your approval", body)

    def test_reopened_after_the_survey_and_by_a_manager(self):
        unsatisfied = self._advance(self._new(partner_id=self.customer.id), "survey")
        told = len(self._notices(unsatisfied))
        self._survey(unsatisfied, False)
        self.assertEqual(unsatisfied.round, 2)
        self.assertEqual(len(self._notices(unsatisfied)), told + 1, "told once")
        notice = self._last_notice(unsatisfied)
        self.assertEqual(notice.subject, f"شکایت دوباره باز شد: {unsatisfied.name}")
        self.assertIn("تا رضایت کامل شما", notice.body)
        self.assertPersianOnly(notice)

        closed = self._advance(self._new(partner_id=self.english.id), "closed")
        self.env["complaint.reopen.wizard"].with_user(self.user_manager).create(
            {"complaint_id": closed.id, "mode": "reopen", "reason": "Leaks again (call)"}
        ).action_confirm()
        self.assertEqual(closed.step, "investigation")
        notice = self._last_notice(closed)
        self.assertIn(f"Your complaint is reopened: {closed.name}", notice.subject)
        self.assertIn("We are working on it again", text_of(notice.body))
        self.assertNotIn("Leaks again", notice.body, "the manager's reason is internal")

    def test_closed_with_a_summary_and_thanks(self):
        for customer in (self.customer, self.english):
            with freeze_time(RECEIVED):
                complaint = self._proposed(customer)
                self._answer_approval(complaint, True)
                self._carry_out(complaint)
            with freeze_time(CLOSED):
                self._survey(complaint, True)
            self.assertEqual(complaint.step, "closed")
            notice = self._last_notice(complaint)
            if customer == self.customer:
                self.assertEqual(notice.subject, f"پایان رسیدگی به شکایت: {complaint.name}")
                for part in (
                    "صدای تق‌تق دیگ همزن",  # the complaint's subject
                    RECEIVED_FA,
                    CLOSED_FA,
                    "تعمیر محصول: تعویض یاتاقان دیگ",
                    "سپاسگزاریم",
                ):
                    self.assertIn(part, notice.body)
                self.assertPersianOnly(notice)
            else:
                self.assertIn(f"Your complaint is closed: {complaint.name}", notice.subject)
                body = " ".join(text_of(notice.body).split())
                for part in ("Nov 28, 2026", "Dec 6, 2026", "Product repair", "Thank you"):
                    self.assertIn(part, body)

    def test_cancelled_by_the_company_with_the_reason(self):
        for customer, reason in (
            (self.customer, "مشتری شکایت را پس گرفت"),
            (self.english, "The customer withdrew the complaint"),
        ):
            complaint = self._advance(self._new(partner_id=customer.id), "acknowledged")
            with freeze_time(CLOSED):
                self.env["complaint.reopen.wizard"].with_user(self.user_manager).create(
                    {"complaint_id": complaint.id, "mode": "cancel", "reason": reason}
                ).action_confirm()
            self.assertEqual(complaint.step, "cancelled")
            notice = self._last_notice(complaint)
            self.assertIn(reason, notice.body)
            if customer == self.customer:
                self.assertEqual(
                    notice.subject, f"بسته شدن شکایت بدون ادامه رسیدگی: {complaint.name}"
                )
                self.assertIn(CLOSED_FA, notice.body)
                self.assertPersianOnly(notice)
            else:
                self.assertIn("closed without further action", notice.subject)
                self.assertIn("Dec 6, 2026", text_of(notice.body))

    def test_no_contact_no_message_but_a_note(self):
        """A customer with no email address (nor mobile number) is not written
        to: the staff are told to call."""
        complaint = self._advance(self._new(), "awaiting_approval")  # a landline only
        self._answer_approval(complaint, True)
        self.assertFalse(self._notices(complaint))
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", complaint._name), ("res_id", "=", complaint.id)])
            .filtered(lambda m: complaint.partner_id in m.recipient_ids)
        )
        notes = complaint.message_ids.filtered(lambda m: "was not told" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertTrue(notes.subtype_id.internal, "a note for the staff")
        self.assertIn("Tell them by phone", notes.body)


@tagged("post_install", "-at_install")
class TestCustomerNoticesPortal(ComplaintHttpCommon):
    def test_portal_decision_confirmed_once_and_shown_on_the_portal(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        token = complaint.sudo().access_token
        self._decide(complaint, "accept")
        self.assertEqual(complaint.step, "in_execution")
        notices = complaint.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids
        )
        self.assertEqual(len(notices), 1, "one confirmation, after the page's own thanks")
        self.assertIn("Your acceptance is recorded", notices.subject)
        self.assertNotEqual(notices.author_id, self.customer, "from the company")
        fetched = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": complaint._name, "thread_id": complaint.id, "token": token},
        )
        shown = {message["id"]: message["body"] for message in fetched["data"]["mail.message"]}
        self.assertIn(notices.id, shown, "the customer reads it on the portal")
        self.assertIn("we carry out this response", shown[notices.id])
        internal = complaint.message_ids.filtered(lambda m: m.subtype_id.internal)
        self.assertTrue(internal, "the staff's note of the decision")
        self.assertFalse(set(internal.ids) & set(shown), "notes stay internal")
