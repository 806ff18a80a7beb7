from odoo.tests import tagged

from .common import ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestPortalTours(ComplaintHttpCommon):
    """The customer's steps in headless Chromium, on a phone-sized window."""

    browser_size = "390x844"
    touch_enabled = True

    def test_public_form(self):
        self.start_tour("/complaint", "complaint_public_submit")
        complaint = self._last_complaint()
        self.assertEqual(complaint.partner_id.email, "tour.customer@example.ir")
        self.assertEqual(complaint.channel_id.channel_type, "website")
        self._run_intake_job()
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
