import contextlib
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestPortalTours(ComplaintHttpCommon):
    """The customer's steps in headless Chromium, on a phone-sized window."""

    browser_size = "390x844"
    touch_enabled = True

    def test_public_form(self):
        self.start_tour("/complaint", "complaint_public_submit")
        complaint = self._last_complaint()
        self.assertEqual(complaint.channel_id.channel_type, "website")
        self._run_intake_job()
        self.assertEqual(complaint.partner_id.email, "tour.customer@example.ir")
        self.assertEqual(complaint.step, "acknowledged")

    def test_portal_user_accepts(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        self.start_tour(
            f"/my/complaints/{complaint.id}", "complaint_portal_accept", login="cm_portal_sara"
        )
        self.assertEqual(complaint.step, "in_execution")
        self.assertEqual(complaint.approval_ids.channel, "portal")

    def test_customer_rejects_from_the_email_link(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        self.start_tour(complaint.sudo().get_portal_url(), "complaint_portal_reject")
        self.assertEqual(complaint.step, "response_proposed")
        self.assertIn("new mixer", complaint.approval_ids.reason)

    def test_survey_answer_reopens(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "survey")
        self.start_tour(
            f"/my/complaints/{complaint.id}/survey?access_token={complaint.sudo().access_token}",
            "complaint_portal_survey_reopen",
        )
        self.assertEqual((complaint.step, complaint.round), ("investigation", 2))
        self.assertEqual(complaint.survey_ids.result_score, "2")

    def test_persian_portal_is_right_to_left(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(
            ["base", "web", "portal", "complaint_management"], ["fa_IR"]
        )
        self.portal_user.lang = "fa_IR"
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        self.start_tour(
            f"/my/complaints/{complaint.id}", "complaint_portal_accept_rtl", login="cm_portal_sara"
        )
        self.assertEqual(complaint.step, "in_execution")

    @contextlib.contextmanager
    def _phone(self):
        """Chromium as a phone (DevTools' mobile emulation), not a small window:
        the page's viewport meta counts, and the phone zooms out to show a page
        wider than itself, as a real phone does. Odoo's tests start Chromium
        with ``mobile: False``; this turns it on before the page opens."""
        navigate_to = ChromeBrowser.navigate_to

        def navigate_on_a_phone(browser, url, wait_stop=False):
            width, height = (int(size) for size in self.browser_size.replace("x", ",").split(","))
            browser._websocket_request(
                "Emulation.setDeviceMetricsOverride",
                params={"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
            )
            return navigate_to(browser, url, wait_stop=wait_stop)

        with patch.object(ChromeBrowser, "navigate_to", navigate_on_a_phone):
            yield

    def test_persian_email_link_on_a_phone(self):
        """The acknowledgement email's link opened on a phone, not logged in, in
        Persian, by a browser in English: the page fits the phone and shows the
        complaint, chatter loaded (its stylesheet used to come left to right and
        widen the page to 10,325 px: a blank screen)."""
        self.env["res.lang"]._activate_lang("fa_IR")
        complaint = self._advance(self._new(partner_id=self.customer.id), "acknowledged")
        with self._phone():
            self.start_tour(f"/fa{complaint.sudo().get_portal_url()}", "complaint_portal_phone_rtl")

    def test_english_email_link_on_a_persian_phone(self):
        """The reverse: an English link opened on a phone whose browser is in
        Persian (the visitor's session is Persian) fits the phone too."""
        self.env["res.lang"]._activate_lang("fa_IR")
        complaint = self._advance(self._new(partner_id=self.customer.id), "acknowledged")
        with self._phone(), patch("odoo.http.DEFAULT_LANG", "fa_IR"):
            self.start_tour(f"/en{complaint.sudo().get_portal_url()}", "complaint_portal_phone_ltr")
