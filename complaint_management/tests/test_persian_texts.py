import re

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import ComplaintCommon

# A word in Latin letters that is not a complaint's code ("CMP-2026-00001").
CODE = re.compile(r"\b[A-Z]+-\d{4}-\d+\b")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def latin_words(html):
    """The Latin-letter words a reader sees in ``html``, codes left out."""
    text = re.sub(r"<[^>]+>", " ", html or "")
    return LATIN_WORD.findall(CODE.sub(" ", text))


@tagged("post_install", "-at_install")
class TestPersianTexts(ComplaintCommon):
    """What a Persian user or customer reads: their language in notes, to-dos,
    emails and the corrective-action screens; Jalali dates; codes isolated so
    that right-to-left text does not scramble them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        # complaint_management's i18n/ and i18n_extra/ (the OCA addons' terms).
        cls.env["ir.module.module"]._load_module_terms(["complaint_management"], ["fa_IR"])
        cls.user_manager.write({"lang": "fa_IR", "tz": "Asia/Tehran", "name": "مهدی مهدوی"})

    def test_escalation_note_and_todo_in_the_managers_language(self):
        with freeze_time("2026-11-28 04:30:00"):  # Saturday 08:00 in Tehran, due 12:00
            complaint = self._new()
        with freeze_time("2026-11-28 09:00:00"):  # 30 minutes late
            self.assertEqual(self.Complaint._cron_escalate_late(), 1)
        jalali_deadline = "۷ آذر ۱۴۰۵، ۱۲:۰۰"
        note = complaint.message_ids.filtered(lambda m: "دیرکرد" in (m.body or ""))
        self.assertEqual(len(note), 1, complaint.message_ids.mapped("body"))
        self.assertIn(jalali_deadline, note.body)
        self.assertIn("«دریافت‌شده»", note.body, "the step, in Persian")
        self.assertIn("<bdi>مهدی مهدوی</bdi>", note.body)
        self.assertEqual(latin_words(note.body), [])
        self.assertNotIn("2026", note.body, "no Gregorian date")

        late = self.env.ref("complaint_management.mail_activity_type_late")
        todo = complaint.activity_ids.filtered(lambda a: a.activity_type_id == late)
        self.assertEqual(todo.user_id, self.user_manager)
        self.assertEqual(todo.summary, "شکایت دیرکرددار: اقدام یا واگذاری کنید")
        self.assertIn(jalali_deadline, todo.note)
        self.assertIn(f"<bdi>{complaint.name}</bdi>", todo.note, "the code is isolated")
        self.assertEqual(latin_words(todo.summary + " " + todo.note), [])

        told = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.user_manager.partner_id.ids),
                ("subject", "=", "1 شکایت دیرکرد دارند"),
            ]
        )
        self.assertEqual(len(told), 1, "the manager is told, in Persian")
        self.assertIn(f"<bdi>{complaint.name}</bdi>", told.body)

    def test_escalation_in_english_for_an_english_manager(self):
        self.user_manager.lang = "en_US"
        with freeze_time("2026-11-28 04:30:00"):
            complaint = self._new()
        with freeze_time("2026-11-28 09:00:00"):
            self.Complaint._cron_escalate_late()
        note = complaint.message_ids.filtered(lambda m: "Late:" in (m.body or ""))
        self.assertIn("“Received”", note.body)
        self.assertIn("11/28/26, 12:00", note.body, "Gregorian for an English reader")
        self.assertNotIn("آذر", note.body)

    def _proposed(self, customer):
        complaint = self._new(partner_id=customer.id)
        self._advance(complaint, "awaiting_approval")
        return complaint

    def _approval_email(self, complaint):
        return complaint.message_ids.filtered(lambda m: "پاسخ پیشنهادی" in (m.subject or ""))

    def test_approval_email_labels_in_each_part_language(self):
        # A Persian customer gets the Persian email: Persian response labels.
        self.customer.lang = "fa_IR"
        email = self._approval_email(self._proposed(self.customer))
        self.assertEqual(len(email), 1)
        self.assertIn("تعمیر محصول: Replace the drum bearing", email.body)
        self.assertNotIn("Product repair", email.body)
        # Another customer gets both parts, each with its own language's labels.
        english = self.customer.copy({"lang": "en_US", "email": "tom@example.com"})
        email = self._approval_email(self._proposed(english))
        persian_part, english_part = email.body.split("<hr")
        self.assertIn("تعمیر محصول: Replace the drum bearing", persian_part)
        self.assertNotIn("Product repair", persian_part)
        self.assertIn("Product repair: Replace the drum bearing", english_part)

    def test_acknowledgement_note_in_persian(self):
        # As the web client of a Persian officer calls it.
        officer = self.Complaint.with_user(self.user_officer).with_context(lang="fa_IR")
        complaint = officer.create(
            {"subject": "Drum noise", "partner_id": self.customer.id, "email": self.customer.email}
        )
        self.assertEqual(complaint.ack_method, "email")
        note = complaint.message_ids.filtered(lambda m: "وصول شکایت" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("از طریق ایمیل", note.body)
        self.assertNotIn("Email", note.body)
        phoned = self._new()
        officer.browse(phoned.id).action_acknowledge_phone()
        note = phoned.message_ids.filtered(lambda m: "وصول شکایت" in (m.body or ""))
        self.assertIn("از طریق تماس تلفنی", note.body)

    def test_a_proposal_is_named_and_read_only(self):
        complaint = self._proposed(self.customer)
        approval = complaint._current_approval()
        self.assertEqual(approval.display_name, f"Proposal 1 — {complaint.name}")
        line = complaint.resolution_ids
        self.assertEqual(line.approval_id.display_name, f"Proposal 1 — {complaint.name}")
        # "Proposals and Rejections": the list and form show proposals, no "New".
        action = self.env.ref("complaint_management.complaint_approval_action_analysis")
        views = (
            self.env["complaint.approval"]
            .with_user(self.user_officer)
            .get_views([(False, "list"), (False, "form")], {"action_id": action.id})["views"]
        )
        for view_type in ("list", "form"):
            arch = etree.fromstring(views[view_type]["arch"])
            self.assertEqual(arch.get("create"), "0", view_type)
        list_fields = etree.fromstring(views["list"]["arch"]).xpath("//field/@name")
        self.assertIn("complaint_id", list_fields)
        self.assertIn("state", list_fields)

    def test_step_deadline_severities_in_persian(self):
        rules = self.env["complaint.deadline.rule"].with_context(lang="fa_IR")
        labels = dict(rules.fields_get(["severity"])["severity"]["selection"])
        self.assertEqual(labels["3"], "بحرانی")
        rule = rules.create({"step": "assessment", "severity": "3", "hours": 2})
        self.assertEqual(rule.severity, "3")

    def test_corrective_action_screens_in_persian(self):
        """The OCA addons' terms from complaint_management/i18n_extra/fa.po."""
        Action = self.env["mgmtsystem.action"].with_context(lang="fa_IR")
        described = Action.fields_get(["type_action", "date_deadline"], ["string", "selection"])
        self.assertEqual(described["type_action"]["string"], "نوع اقدام")
        self.assertEqual(dict(described["type_action"]["selection"])["correction"], "اقدام اصلاحی")
        self.assertEqual(described["date_deadline"]["string"], "مهلت")
        stage = Action.env.ref("mgmtsystem_action.stage_open")
        self.assertEqual(stage.name, "در حال انجام")
        list_action = Action.env.ref("mgmtsystem_action.open_mgmtsystem_action_list")
        self.assertEqual(list_action.name, "اقدامات")
        form = Action.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("عنوان اقدام...", form)
        report = Action.env.ref("mgmtsystem_nonconformity.action_mgmtsystem_nonconformity_report")
        self.assertEqual(report.name, "گزارش عدم انطباق")
