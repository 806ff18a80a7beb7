import copy
import io
import logging

import lxml.html

from odoo import api, models
from odoo.tools.pdf import PdfReader, PdfWriter

from odoo.addons.base.models.report_paperformat import PAPER_SIZES

from ..tools import chromium_pdf
from ..tools.jalali import is_persian, persian_digits

_logger = logging.getLogger(__name__)

MM_PER_PX = 25.4 / 96  # CSS pixels
GAP_MM = 4  # between the letterhead or footer and the body

# Left on every printed sheet: the letterhead in the top margin, the footer (with
# its page numbers) in the bottom one, drawn under the report's body.
SHEET_STYLE = """
html, body { height: auto !important; margin: 0; background: transparent !important; }
.o_cm_sheet { position: relative; height: %(height)smm; overflow: hidden; break-after: page; }
.o_cm_sheet:last-child { break-after: auto; }
.o_cm_top { position: absolute; top: 0; left: 0; right: 0; height: %(top)smm; overflow: hidden; }
.o_cm_bottom { position: absolute; bottom: 0; left: 0; right: 0; height: %(bottom)smm;
    overflow: hidden; display: flex; flex-direction: column; justify-content: flex-end; }
"""


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _complaint_prints_with_chromium(self, report_ref):
        """Our reports (the complaint file, the management review, the forms)
        print with Chromium when it is installed; other apps' reports keep
        wkhtmltopdf, untouched."""
        if not report_ref or not chromium_pdf.chromium_bin():
            return False
        report = self._get_report(report_ref)
        return (report.report_name or "").startswith("complaint_management.")

    @api.model
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        if self._complaint_prints_with_chromium(report_ref):
            paper = self._complaint_paper(
                self._get_report(report_ref).get_paperformat(),
                landscape,
                specific_paperformat_args or {},
            )
            try:
                return self._complaint_print_with_chromium(bodies, header, footer, paper)
            except chromium_pdf.ChromiumError as error:
                _logger.warning(
                    "Chromium could not print %s, using wkhtmltopdf: %s", report_ref, error
                )
        return super()._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )

    @api.model
    def _complaint_paper(self, paperformat, landscape, specific_args):
        """The sheet and its margins in mm, as wkhtmltopdf would read them."""
        width, height = 210.0, 297.0
        if paperformat.format == "custom" and paperformat.page_width and paperformat.page_height:
            width, height = paperformat.page_width, paperformat.page_height
        else:
            size = next((s for s in PAPER_SIZES if s["key"] == paperformat.format), None)
            if size and size["width"] and size["height"]:
                width, height = size["width"], size["height"]
        if (
            landscape
            or specific_args.get("data-report-landscape")
            or (paperformat.orientation == "Landscape")
        ):
            width, height = height, width
        return {
            "width": width,
            "height": height,
            "top": float(specific_args.get("data-report-margin-top") or paperformat.margin_top),
            "bottom": float(
                specific_args.get("data-report-margin-bottom") or paperformat.margin_bottom
            ),
            "left": paperformat.margin_left,
            "right": paperformat.margin_right,
        }

    @api.model
    def _complaint_print_with_chromium(self, bodies, header, footer, paper):
        """Each body printed within margins its letterhead and footer fit in;
        then one sheet per page with the body's letterhead and footer (page
        numbers filled in), laid over it."""
        writer = PdfWriter()
        pages = []  # (page, index of its body)
        sheets = []
        with chromium_pdf.ChromiumPrinter() as printer:
            if header or footer:
                paper = self._complaint_fit_margins(printer, header, footer, len(bodies), paper)
            for index, body in enumerate(bodies):
                pdf = printer.print_pdf(body, paper)
                pages += [(page, index) for page in PdfReader(io.BytesIO(pdf)).pages]
            if header or footer:
                sheets_html = self._complaint_sheets_html(
                    header, footer, [index for _page, index in pages], paper
                )
                sheet_paper = {"width": paper["width"], "height": paper["height"]}
                sheets = list(
                    PdfReader(io.BytesIO(printer.print_pdf(sheets_html, sheet_paper))).pages
                )
        for number, (page, _index) in enumerate(pages):
            if number < len(sheets):
                page.merge_page(sheets[number])
            writer.add_page(page)
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()

    @api.model
    def _complaint_fit_margins(self, printer, header, footer, count, paper):
        """The paper format's margins, widened where a letterhead or footer
        (a long company address, a tall logo) needs more: the body never runs
        under them."""
        probe = self._complaint_sheets_html(header, footer, list(range(count)), paper, probe=True)
        heights = printer.evaluate(
            probe,
            "Array.from(document.querySelectorAll('.o_cm_sheet')).map(sheet => "
            "['.o_cm_top', '.o_cm_bottom'].map(css => { const box = sheet.querySelector(css); "
            "return box ? box.getBoundingClientRect().height : 0; }))",
        )
        top = max([height[0] for height in heights] or [0]) * MM_PER_PX + GAP_MM
        bottom = max([height[1] for height in heights] or [0]) * MM_PER_PX + GAP_MM
        return dict(paper, top=max(paper["top"], top), bottom=max(paper["bottom"], bottom))

    @api.model
    def _complaint_sheets_html(self, header, footer, body_of_page, paper, probe=False):
        """One sheet per printed page, from Odoo's own header and footer
        documents (their stylesheets, their company's letterhead). A probe
        lets the letterhead and footer take the height they need."""
        document = lxml.html.fromstring(header or footer)
        headers = self._complaint_layout_parts(header, "minimal_layout_report_headers")
        footers = self._complaint_layout_parts(footer, "minimal_layout_report_footers")
        for script in document.xpath("//script"):
            script.drop_tree()
        head = document.find("head")
        style = lxml.html.Element("style")
        style.text = SHEET_STYLE % paper
        if probe:
            style.text += ".o_cm_top, .o_cm_bottom { height: auto; }"
        head.append(style)
        body = document.find("body")
        body.attrib.pop("onload", None)
        for child in list(body):
            body.remove(child)
        digits = persian_digits if is_persian(self.env.lang) else str
        total = digits(len(body_of_page))
        for number, index in enumerate(body_of_page, 1):
            sheet = lxml.html.Element("div", {"class": "o_cm_sheet"})
            for parts, css in ((headers, "o_cm_top"), (footers, "o_cm_bottom")):
                if index < len(parts):
                    box = lxml.html.Element("div", {"class": css})
                    part = copy.deepcopy(parts[index])
                    for span in part.xpath(".//*[contains(concat(' ', @class, ' '), ' page ')]"):
                        span.text = digits(number)
                    for span in part.xpath(".//*[contains(concat(' ', @class, ' '), ' topage ')]"):
                        span.text = total
                    box.append(part)
                    sheet.append(box)
            body.append(sheet)
        return "<!DOCTYPE html>" + lxml.html.tostring(document, encoding="unicode")

    @api.model
    def _complaint_layout_parts(self, html, container_id):
        if not html:
            return []
        containers = lxml.html.fromstring(html).xpath(f"//*[@id='{container_id}']")
        return list(containers[0]) if containers else []
