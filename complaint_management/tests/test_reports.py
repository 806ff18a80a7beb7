import io
from datetime import datetime

from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestReports(ComplaintCommon, HttpCase):
    """HttpCase: wkhtmltopdf fetches the report's stylesheets from this Odoo,
    whose requests must see the test's transaction (a fresh database builds
    those assets inside it)."""

    def _closed_complaint(self):
        complaint = self._new(partner_id=self.customer.id, subject="Drum bearing noise")
        self._advance(complaint, "closed")
        # 1 Farvardin 1405 in Tehran
        complaint.sudo().date_received = datetime(2026, 3, 20, 20, 31)
        return complaint

    def _pdf_text(self, report, ids, lang):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(lang=lang, force_report_rendering=True)
            ._render_qweb_pdf(report, ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        return " ".join(text.split())

    def test_complaint_file_in_english_and_persian(self):
        complaint = self._closed_complaint()
        self.env.user.tz = "Asia/Tehran"
        report = "complaint_management.action_report_complaint"
        text = self._pdf_text(report, complaint.ids, "en_US")
        for expected in (complaint.name, "Drum bearing noise", "Customer approval", "Final survey"):
            self.assertIn(expected, text)
        self.assertIn("Replace the drum bearing", text)
        # Persian: right to left, Jalali dates (checked on the HTML: PDF text
        # extraction does not keep the Arabic script's shaping).
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(["complaint_management"], ["fa_IR"])
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="fa_IR")
            ._render_qweb_html(report, complaint.ids)[0]
            .decode()
        )
        self.assertIn('dir="rtl"', html)
        self.assertIn("۱ فروردین ۱۴۰۵", html)
        self.assertIn("نظرسنجی نهایی", html)
        self._pdf_text(report, complaint.ids, "fa_IR")  # renders as a PDF too

    def test_management_review(self):
        complaint = self._closed_complaint()
        complaint.sudo().date_received = datetime(2026, 11, 20, 8, 0)
        wizard = self.env["complaint.period.report"].create(
            {"date_from": "2026-11-01", "date_to": "2026-11-30"}
        )
        report = "complaint_management.action_report_complaint_period"
        text = self._pdf_text(report, wizard.ids, "en_US")
        self.assertIn("Complaint management review", text)
        self.assertIn("Complaints received", text)
        self.assertIn("Top root causes", text)
        self.assertIn(self.root_cause.name, text)
        values = self.env["report.complaint_management.report_complaint_period"]._get_report_values(
            wizard.ids
        )
        self.assertGreaterEqual(values["total"], 1)
        self.assertGreaterEqual(values["closed"], 1)
        self.assertEqual(values["satisfaction_result"] >= 5, True)
