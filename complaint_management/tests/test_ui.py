from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBackendUi(HttpCase):
    """The complaint screens load in a real browser (Chromium) without a
    JavaScript error: the kanban, and a form at the customer-approval step
    with its statusbar, smart buttons and response lines."""

    def test_kanban_and_form_in_browser(self):
        customer = self.env["res.partner"].create({"name": "Browser customer"})
        complaint = self.env["complaint.complaint"].create(
            {"subject": "Shown in the browser", "partner_id": customer.id}
        )
        action = "/odoo/action-complaint_management.complaint_complaint_action"
        self.browser_js(
            action,
            "console.log('test successful')",
            ready="!!document.querySelector('.o_kanban_renderer .o_kanban_record')",
            login="admin",
        )
        self.browser_js(
            f"{action}/{complaint.id}",
            "console.log('test successful')",
            ready="!!document.querySelector('.o_form_view .o_arrow_button_current')"
            " && document.body.innerText.includes('Shown in the browser')",
            login="admin",
        )
