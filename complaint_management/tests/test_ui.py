from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, tagged

from .common import ComplaintCommon


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


@tagged("post_install", "-at_install")
class TestAssessDialog(ComplaintCommon):
    """The assessment dialog, as the form's "Assess" button opens it: filled
    from the complaint, accepted only with containment and a CFT, and then
    "Start Investigation" needs nothing more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["complaint.category"].create({"name": "Leaking seal"})

    def _dialog(self, complaint):
        action = complaint.with_user(self.user_officer).action_open_assess_wizard()
        return Form(
            self.env[action["res_model"]]
            .with_user(self.user_officer)
            .with_context(**action["context"])
        )

    def _acknowledged(self, **vals):
        complaint = self._new(**vals)
        complaint.with_user(self.user_officer).action_acknowledge_phone()
        return complaint

    def test_dialog_shows_what_the_complaint_knows(self):
        complaint = self._acknowledged(
            category_id=self.category.id,
            severity="2",
            team_id=self.team.id,
            immediate_action="Quarantine lot L-42",
        )
        dialog = self._dialog(complaint)
        self.assertEqual(dialog.decision, "accept")
        self.assertEqual(dialog.category_id, self.category)
        self.assertEqual(dialog.severity, "2")
        self.assertEqual(dialog.team_id, self.team)
        self.assertEqual(dialog.immediate_action, "Quarantine lot L-42")
        dialog.save().action_confirm()
        self.assertEqual(complaint.step, "assessed")
        complaint.with_user(self.user_officer).action_start_investigation()
        self.assertEqual(complaint.step, "investigation")

    def test_accepting_needs_containment_and_a_team(self):
        complaint = self._acknowledged()
        dialog = self._dialog(complaint)
        with self.assertRaisesRegex(AssertionError, "team_id is a required field"):
            dialog.save()
        dialog.team_id = self.team
        with self.assertRaisesRegex(AssertionError, "immediate_action is a required field"):
            dialog.save()
        # Not a complaint: neither is asked for.
        dialog.decision = "reject"
        dialog.reject_reason = "A question about the price"
        dialog.save()
        # The server says the same to any caller that skips the form.
        Wizard = self.env["complaint.assess.wizard"].with_user(self.user_officer)
        wizard = Wizard.create({"complaint_id": complaint.id, "decision": "accept"})
        with self.assertRaises(UserError) as refused:
            wizard.action_confirm()
        message = str(refused.exception)
        self.assertIn("Record the immediate action (containment)", message)
        self.assertIn("Choose the cross-functional team (CFT)", message)
        self.assertIn(complaint.name, message)
        wizard.immediate_action = "Stop shipping lot L-42"
        with self.assertRaises(UserError) as refused:
            wizard.action_confirm()
        self.assertNotIn("containment", str(refused.exception))
        self.assertIn("cross-functional team", str(refused.exception))
        self.assertEqual((complaint.step, complaint.assessment), ("acknowledged", False))
        self.assertFalse(complaint.immediate_action)

    def test_assessment_gives_category_severity_and_team(self):
        complaint = self._acknowledged(partner_id=self.customer.id)
        dialog = self._dialog(complaint)
        self.assertEqual(dialog.severity, "1", "the complaint's default severity")
        dialog.category_id = self.category
        dialog.severity = "3"
        dialog.immediate_action = "Stop shipping lot L-42"
        dialog.team_id = self.team
        dialog.save().action_confirm()
        self.assertEqual(complaint.step, "assessed")
        self.assertEqual(complaint.category_id, self.category)
        self.assertEqual(complaint.severity, "3")
        self.assertEqual(complaint.immediate_action, "Stop shipping lot L-42")
        self.assertEqual(complaint.team_id, self.team)
        # The team is told, as when an officer gives it the complaint on the form.
        team = (self.user_cft_head | self.user_cft).partner_id
        self.assertLessEqual(team, complaint.message_partner_ids)
        told = complaint.message_ids.filtered(lambda m: "Mixer CFT" in (m.body or ""))
        self.assertEqual(told.partner_ids, team)
        complaint.with_user(self.user_officer).action_start_investigation()
        self.assertEqual(complaint.step, "investigation")
        root_cause = self.env.ref("complaint_management.mail_activity_type_root_cause")
        self.assertEqual(
            complaint.activity_ids.filtered(lambda a: a.activity_type_id == root_cause).user_id,
            self.user_cft_head,
        )


@tagged("post_install", "-at_install")
class TestReportOpensTheComplaint(ComplaintCommon):
    """ "Report a Complaint" from a record ends on the complaint reported, in a
    form its user can open: the full one for the complaints staff, the report
    form for other employees."""

    def test_report_opens_a_form_each_role_can_read(self):
        for user, view in (
            (self.user_officer, "complaint_complaint_view_form"),
            (self.user_employee, "complaint_complaint_view_form_report"),
        ):
            Complaint = self.Complaint.with_user(user)
            action = Complaint.action_report_from("res.partner", self.customer.id)
            report = Form(Complaint.with_context(**action["context"]), view=action["views"][0][0])
            report.subject = f"Reported by {user.name}"
            complaint = report.save()
            opened = complaint.action_open_reported()
            self.assertEqual((opened["res_id"], opened["target"]), (complaint.id, "current"))
            self.assertEqual(
                opened["views"], [(self.env.ref(f"complaint_management.{view}").id, "form")]
            )
            # The user's browser reads every field of that form.
            shown = Form(complaint, view=opened["views"][0][0])
            self.assertRegex(shown.name, r"^CMP-\d{4}-\d{5}$")


@tagged("post_install", "-at_install")
class TestBackendTours(ComplaintCommon, HttpCase):
    """The officer's and the employee's primary buttons in Chromium: each one
    succeeds, and what the user needs next is on screen."""

    def test_assess_then_start_investigation(self):
        category = self.env["complaint.category"].create({"name": "Leaking seal"})
        complaint = self._new(partner_id=self.customer.id, category_id=category.id, severity="2")
        complaint.with_user(self.user_officer).action_acknowledge_phone()
        self.start_tour(
            f"/odoo/action-complaint_management.complaint_complaint_action/{complaint.id}",
            "complaint_assess_then_investigate",
            login=self.user_officer.login,
        )
        self.assertEqual(complaint.step, "investigation")
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.immediate_action, "Hold the pumps of lot P-7 in the warehouse")
        self.assertEqual((complaint.category_id, complaint.severity), (category, "2"))

    def test_report_from_sale_order_shows_the_code(self):
        salesman = self._other_apps_users("cm_ui")[0]
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "complaint_report_from_sale_order",
            login=salesman.login,
        )
        complaint = self.Complaint.search([("sale_order_id", "=", order.id)])
        self.assertEqual(complaint.subject, "The pump seal leaks after a week")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.reported_by_id, salesman)
        self.assertRegex(complaint.name, r"^CMP-\d{4}-\d{5}$")

    def test_register_from_menu_shows_the_code(self):
        self.start_tour(
            "/odoo/action-complaint_management.complaint_complaint_action",
            "complaint_register_from_menu",
            login=self.user_officer.login,
        )
        complaint = self.Complaint.search([("subject", "=", "The mixer lid does not close")])
        self.assertEqual(complaint.reported_by_id, self.user_officer)
        self.assertRegex(complaint.name, r"^CMP-\d{4}-\d{5}$")
