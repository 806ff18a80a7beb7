from datetime import datetime, timedelta

import lxml.html
from freezegun import freeze_time

from odoo.tests import tagged

from .common import ComplaintCommon

REVIEW = "complaint_management.action_report_complaint_period"


@tagged("post_install", "-at_install")
class TestReviewKpis(ComplaintCommon):
    """The management review as its reader sees it: the figures of every
    complaint received in the period (open ones too), counted in the reader's
    days, and months in the reader's calendar (Jalali in Persian)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_manager.tz = "Asia/Tehran"

    def _received_at(self, utc):
        with freeze_time(utc):
            return self._new()

    def _june_2025(self):
        """Complaints of June 2025 as read in Tehran (UTC+03:30), with working
        hours to acknowledge (Sunday 1 June 2025 is a working day):

        - closed: acknowledged after 1 working hour, satisfied survey (5 and 4);
        - reopened: acknowledged after 3, unsatisfied survey (2 and 3), open again;
        - acknowledged within the hour on Friday 6 June: no working hours;
        - three received only: 1 June 00:30 in Tehran (still 31 May in UTC),
          Tuesday 3 June, Wednesday 25 June (4 Tir in the Jalali calendar);
        - and one of 1 July 01:00 in Tehran (still 30 June in UTC)."""
        sunday = datetime(2025, 6, 1, 5, 30)  # 09:00 in Tehran
        closed = self._received_at(sunday)
        with freeze_time(sunday + timedelta(hours=1)):
            self._advance(closed, "closed")
        monday = datetime(2025, 6, 2, 5, 30)
        reopened = self._received_at(monday)
        with freeze_time(monday + timedelta(hours=3)):
            self._advance(reopened, "survey")
            self._survey(reopened, False)
        self.assertEqual((closed.ack_hours, reopened.ack_hours), (1.0, 3.0))
        self.assertEqual((reopened.step, reopened.round), ("investigation", 2))
        friday = self._received_at(datetime(2025, 6, 6, 6, 30))
        with freeze_time(datetime(2025, 6, 6, 7, 0)):
            self._advance(friday, "acknowledged")
        self.assertEqual(friday.ack_hours, 0.0)
        received = (
            self._received_at(datetime(2025, 5, 31, 21, 0))
            | self._received_at(datetime(2025, 6, 3, 5, 30))
            | self._received_at(datetime(2025, 6, 25, 5, 30))
        )
        july = self._received_at(datetime(2025, 6, 30, 21, 30))
        return closed, reopened, friday, received, july

    def _review(self, date_from, date_to, lang="en_US"):
        """The printed review (its HTML), as the complaints manager prints it
        from the web client (which gives their language and time zone)."""
        manager = self.user_manager.with_context(lang=lang)
        manager.lang = lang
        wizard = (
            self.env["complaint.period.report"]
            .with_user(manager)
            .create({"date_from": date_from, "date_to": date_to})
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(manager)
            .with_context(lang=lang, tz=manager.tz)
            ._render_qweb_html(REVIEW, wizard.ids)[0]
        )
        return lxml.html.fromstring(html)

    def _rows(self, page, table):
        """The table's rows as the reader reads them: the text of each cell."""
        (node,) = page.xpath(f"//table[contains(@class, '{table}')]")
        return [
            [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
            for row in node.xpath(".//tr[td]")
        ]

    def test_averages_over_every_complaint_of_the_period(self):
        self._june_2025()
        page = self._review("2025-06-01", "2025-06-30")
        self.assertEqual(
            self._rows(page, "o_review_counts"),
            [
                ["Complaints received", "6"],
                ["Still open", "5"],
                ["Closed with a satisfied customer", "1"],
                ["Reopened at least once", "1"],
            ],
        )
        # The open complaints count where they have reached the measure: the
        # reopened one's acknowledgement, response and unsatisfied survey, the
        # Friday one's acknowledgement in no working hours.
        self.assertEqual(
            self._rows(page, "o_review_averages"),
            [
                ["Hours to acknowledge (working hours)", "1.3", "3"],
                ["Hours to respond (working hours)", "2.0", "2"],
                ["Hours to close (the company's working hours)", "1.0", "1"],
                ["Satisfaction with the result (1-5)", "3.5", "2"],
                ["Satisfaction with the process (1-5)", "3.5", "2"],
            ],
        )

    def test_months_in_the_readers_calendar(self):
        self._june_2025()
        # 25 Ordibehesht to 24 Tir 1404: every month of the period, the empty one too.
        page = self._review("2025-05-15", "2025-07-15", "en_US")
        self.assertEqual(
            self._rows(page, "o_review_months"),
            [["May 2025", "0"], ["June 2025", "6"], ["July 2025", "1"]],
        )
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(["complaint_management"], ["fa_IR"])
        page = self._review("2025-05-15", "2025-07-15", "fa_IR")
        # 1 to 6 June are 11 to 16 Khordad; 25 June is 4 Tir, 1 July 10 Tir.
        self.assertEqual(
            self._rows(page, "o_review_months"),
            [["اردیبهشت ۱۴۰۴", "۰"], ["خرداد ۱۴۰۴", "۵"], ["تیر ۱۴۰۴", "۲"]],
        )
        (period,) = page.xpath("//p[contains(@class, 'o_report_period')]")
        period = " ".join(period.text_content().split())
        self.assertEqual(period, "۲۵ اردیبهشت ۱۴۰۴ – ۲۴ تیر ۱۴۰۴")
        counts = self._rows(page, "o_review_counts")
        self.assertEqual([row[1] for row in counts], ["۷", "۶", "۱", "۱"])

    def test_demo_company_is_a_tehran_manufacturer_in_rials(self):
        company = self.env.ref("complaint_management.company_mixplus_demo", False)
        if not company:
            self.skipTest("installed without demo data")
        irr = self.env.ref("base.IRR")
        self.assertEqual(company.currency_id, irr)
        self.assertEqual(company.country_id, self.env.ref("base.ir"))
        self.assertEqual((company.city, company.partner_id.tz), ("تهران", "Asia/Tehran"))
        self.assertEqual(self.Complaint._company_tz(company), "Asia/Tehran")
        # On the complaints' answering hours, which stay every company's.
        calendar = self.env.ref("complaint_management.resource_calendar_complaints")
        self.assertEqual(company.resource_calendar_id, calendar)
        self.assertFalse(calendar.company_id)
        # Odoo's own demo company, which Odoo's tests use, is still in dollars.
        self.assertEqual(self.env.ref("base.main_company").currency_id, self.env.ref("base.USD"))
        # Its complaints, products and CFT are the manufacturer's.
        approval = self.env.ref("complaint_management.complaint_approval_demo")
        demo = self.Complaint.search([("id", "in", self._demo_complaint_ids())])
        self.assertEqual(len(demo), 6)
        self.assertEqual(demo.company_id, company)
        self.assertEqual(demo.product_id.company_id, company)
        self.assertEqual(demo.team_id.company_id, company)
        # Its approval email reads the compensation in rials, not in dollars.
        email = approval.message_ids.filtered(lambda m: "12,000,000" in (m.body or ""))
        self.assertEqual(len(email), 1)
        text = " ".join(lxml.html.fromstring(email.body).text_content().split())
        self.assertIn("12,000,000.00 ﷼", text)
        self.assertNotIn("$", text)
        # Its own accounts, for the credit notes of refunds and compensations.
        self.assertTrue(
            self.env["account.journal"].search_count(
                [("company_id", "=", company.id), ("type", "=", "sale")]
            )
        )
        self.assertEqual(company.complaint_compensation_account_id.company_ids, company)
        # The English demo user (a member of its CFT) works in it.
        demo_user = self.env.ref("base.user_demo")
        self.assertIn(company, demo_user.company_ids)
        seen = self.Complaint.with_user(demo_user).with_context(allowed_company_ids=company.ids)
        self.assertIn(approval, seen.search([]))

    def _demo_complaint_ids(self):
        return (
            self.env["ir.model.data"]
            .search(
                [("module", "=", "complaint_management"), ("model", "=", "complaint.complaint")]
            )
            .mapped("res_id")
        )
