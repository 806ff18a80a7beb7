import io
import shutil
import subprocess
import unittest
from datetime import datetime

import lxml.etree
from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged

from ..tools.jalali import persian_digits
from .common import ComplaintCommon

# Bidi controls pdftotext puts around right-to-left runs.
BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


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

    # ------------------------------------------------------------ the printed page
    def _render_pdf(self, report, ids, lang):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(lang=lang, force_report_rendering=True)
            ._render_qweb_pdf(report, ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def _pdftotext(self, pdf, *args):
        return subprocess.run(
            ["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout

    def _pages(self, pdf):
        """Each page's size and the box of each word on it, as pdftotext reads
        the PDF (poppler: what a viewer shows)."""
        root = lxml.etree.fromstring(self._pdftotext(pdf, "-bbox"))
        pages = []
        for page in root.iter("{*}page"):
            words = [
                (
                    word.text or "",
                    *(float(word.get(key)) for key in ("xMin", "yMin", "xMax", "yMax")),
                )
                for word in page.iter("{*}word")
            ]
            pages.append((float(page.get("width")), float(page.get("height")), words))
        return pages

    def _assert_prints_right(self, pdf, letterhead, digits):
        """Every page has the letterhead on top and its number in the footer;
        no word runs off the page and no two words print over each other."""
        pages = self._pages(pdf)
        self.assertTrue(pages)
        for number, (width, height, words) in enumerate(pages, 1):
            top = [word[0] for word in words if word[4] < height * 0.2]
            self.assertIn(letterhead, top, f"page {number}: no letterhead")
            bottom = [word[0] for word in words if word[2] > height * 0.85]
            self.assertIn(digits(number), bottom, f"page {number}: no page number")
            for text, x0, y0, x1, y1 in words:
                self.assertTrue(
                    0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height,
                    f"page {number}: {text!r} runs off the page",
                )
            for i, (text, x0, y0, x1, y1) in enumerate(words):
                for other, ox0, oy0, ox1, oy1 in words[i + 1 :]:
                    # Glyph boxes include the font's ascent and descent: lines
                    # may touch; words overprint when their boxes mostly meet.
                    dx = min(x1, ox1) - max(x0, ox0)
                    dy = min(y1, oy1) - max(y0, oy0)
                    # A Persian word with a zero-width non-joiner ("دسته‌بندی")
                    # comes out as two words sharing the joiner's box.
                    halves = "\u200c" in text + other and abs(y0 + y1 - oy0 - oy1) < 6
                    if dx > 1 and dy > 0.5 * min(y1 - y0, oy1 - oy0) and not halves:
                        self.fail(
                            f"page {number}: {text!r} {(x0, y0, x1, y1)} prints over "
                            f"{other!r} {(ox0, oy0, ox1, oy1)}"
                        )
        return pages

    def _text(self, pdf):
        """The PDF's text in reading order (right-to-left runs kept in order)."""
        text = self._pdftotext(pdf).decode().translate(BIDI)
        return " ".join(text.split())

    @unittest.skipUnless(shutil.which("pdftotext"), "poppler-utils is not installed")
    def test_reports_print_right_in_both_languages(self):
        """The complaint file and the management review, printed with the
        setup's renderer: letterhead, numbered footer, no clipping, no
        overprint, in English and in Persian (right to left)."""
        complaint = self._closed_complaint()
        complaint.sudo().write(
            {
                # a long mixed Persian/Latin line, the kind Qt's WebKit overprinted
                "subject": "صدای غیرعادی Bosch MUM5 در دور بالا، سریال SN-2024-000123 "
                "پس از ۳ هفته استفاده روزانه و تعویض تسمه در نمایندگی تهران",
            }
        )
        self.env.user.tz = "Asia/Tehran"
        self.env.company.write(
            {
                "paperformat_id": self.env.ref("base.paperformat_euro").id,
                "name": "صنایع نمونه پارس",
                "street": "خیابان آزادی، پلاک ۱۲",
                "city": "Tehran",
            }
        )
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(["web", "complaint_management"], ["fa_IR"])
        wizard = self.env["complaint.period.report"].create(
            {"date_from": "2026-01-01", "date_to": "2026-12-31"}
        )
        reports = {
            "complaint_management.action_report_complaint": complaint.ids,
            "complaint_management.action_report_complaint_period": wizard.ids,
        }
        for report, ids in reports.items():
            for lang, page_word, digits in (
                ("en_US", "Page", str),
                ("fa_IR", "صفحه", persian_digits),
            ):
                with self.subTest(report=report, lang=lang):
                    pdf = self._render_pdf(report, ids, lang)
                    pages = self._assert_prints_right(pdf, "Tehran", digits)
                    width, height, _words = pages[0]
                    # The company's A4 in points, not Chromium's default US Letter.
                    # (210 x 297 mm = 595.3 x 841.9 pt; Chromium rounds to its own unit)
                    self.assertAlmostEqual(width, 595.3, delta=1)
                    self.assertAlmostEqual(height, 841.9, delta=1)
                    self.assertIn(page_word, self._text(pdf).split())
        # The long Persian subject is whole, in reading order, in the Persian file.
        text = self._text(self._render_pdf(*next(iter(reports.items())), "fa_IR"))
        self.assertIn("Bosch MUM5", text)
        self.assertIn("000123", text)
        self.assertIn("نمایندگی تهران", text)
        self.assertIn("نظرسنجی نهایی", text)

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
