"""Finance and the other apps' users meet the documents that carry out a
complaint's response: each names its complaint, finance is told what to post,
and a customer known by phone only still gets the gift."""

import io

from lxml import etree
from PyPDF2 import PdfReader

from odoo import fields
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import DocumentsCommon

CREDIT_NOTES = "complaint_management.account_move_action_complaint_credit_note"
VOUCHER = "complaint_management.action_report_gift_voucher"


class FinanceCommon(DocumentsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        accounting = "base.group_user,account.group_account_invoice"
        cls.accountant = new_test_user(
            cls.env, "cm_fin_accountant", groups=accounting, name="Accountant Alavi"
        )
        cls.finance_user = new_test_user(
            cls.env, "cm_fin_finance", groups=accounting, name="Finance Fatemi"
        )
        cls.company.complaint_finance_user_id = cls.finance_user
        cls.company.complaint_compensation_account_id = cls.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", cls.company.id)], limit=1
        )
        cls.salesman, cls.stock_user = cls._other_apps_users("cm_fin")

    def _executing(self, *line_vals, customer=None):
        """A complaint whose given responses the customer approved."""
        customer = customer or self.customer
        documents = (
            {"sale_order_id": self.order.id, "invoice_id": self.invoice.id}
            if customer == self.customer
            else {}
        )
        complaint = self._new(partner_id=customer.id, **documents)
        self._advance(complaint, "investigation")
        complaint.root_cause_id = self.root_cause
        lines = self.env["complaint.resolution"].create(
            [dict(vals, complaint_id=complaint.id) for vals in line_vals]
        )
        self._record_capa(complaint)
        complaint.with_user(self.user_officer).action_propose_response()
        self._answer_approval(complaint, True)
        self.assertEqual(complaint.step, "in_execution")
        return complaint, lines.with_user(self.user_officer)

    def _todos(self, user):
        """The to-dos in ``user``'s activities (the clock in their menu bar)."""
        return self.env["mail.activity"].with_user(user).search([("user_id", "=", user.id)])

    def _chatter(self, record):
        return " ".join(record.message_ids.mapped("body"))

    def _form_arch(self, record, user):
        return etree.fromstring(
            record.with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        )


@tagged("post_install", "-at_install")
class TestComplaintCreditNotes(FinanceCommon):
    def test_refund_names_its_complaint_and_finance_has_a_todo(self):
        complaint, line = self._executing({"resolution_type": "refund", "quantity": 1})
        line.action_create_document()
        credit_note = line.sudo().refund_move_id
        self.assertEqual(credit_note.complaint_id, complaint)
        self.assertEqual(credit_note.complaint_code, complaint.name)

        (todo,) = self._todos(self.finance_user)
        self.assertEqual((todo.res_model, todo.res_id), ("account.move", credit_note.id))
        self.assertEqual(todo.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertIn(complaint.name, todo.summary)
        self.assertIn("Register Payment", todo.note)
        self.assertEqual(todo.date_deadline, fields.Date.context_today(todo))
        self.assertIn(self.finance_user.partner_id, credit_note.message_partner_ids)
        self.assertIn(
            "Finance Fatemi (finance) has a to-do to post it",
            self._chatter(complaint),
            "the officer reads who takes it from there",
        )

        credit_note.with_user(self.finance_user).action_post()
        self.assertFalse(self._todos(self.finance_user), "posted: the to-do is done")
        self.assertEqual(line.state, "done", "the open invoice is settled")

    def test_compensation_waits_in_the_finance_menu_until_posted(self):
        complaint, line = self._executing(
            {"resolution_type": "compensation", "amount": 250.0, "product_id": False}
        )
        line.action_create_document()
        credit_note = line.sudo().refund_move_id
        self.assertEqual(credit_note.complaint_id, complaint)
        self.assertEqual(len(self._todos(self.finance_user)), 1)
        # A credit note that no complaint prepared is none of this menu's.
        other = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"name": "Goodwill", "price_unit": 10.0})],
            }
        )

        Menu = self.env["ir.ui.menu"]
        menu = self.env.ref("complaint_management.account_move_menu_complaint_credit_note")
        self.assertIn(menu.id, Menu.with_user(self.accountant)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.stock_user)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.user_officer)._visible_menu_ids())

        # What the accountant sees on opening the menu: its default filter, "to post".
        action = self.env.ref(CREDIT_NOTES)
        context = safe_eval(action.context)
        self.assertTrue(context.get("search_default_complaint_to_post"))
        Move = self.env["account.move"].with_user(self.accountant)
        search = Move.get_views([(action.search_view_id.id, "search")])["views"]["search"]
        (to_post,) = etree.fromstring(search["arch"]).xpath("//filter[@name='complaint_to_post']")
        self.assertEqual(to_post.get("string"), "Complaint Credit Notes to Post")
        domain = safe_eval(action.domain)
        shown = Move.search(domain + safe_eval(to_post.get("domain")))
        self.assertEqual(shown, credit_note)
        self.assertNotIn(other, Move.search(domain))

        credit_note.with_user(self.accountant).action_post()
        self.assertFalse(Move.search(domain + safe_eval(to_post.get("domain"))))
        self.assertEqual(Move.search(domain), credit_note, "all of them without the filter")
        self.assertFalse(self._todos(self.finance_user), "posted by a colleague: done too")

    def test_without_a_finance_user_the_credit_note_says_so(self):
        self.company.complaint_finance_user_id = False
        complaint, line = self._executing({"resolution_type": "refund", "quantity": 1})
        line.action_create_document()
        credit_note = line.sudo().refund_move_id
        self.assertFalse(credit_note.activity_ids)
        self.assertIn(f"Prepared for complaint {complaint.name}", self._chatter(credit_note))
        self.assertIn("No finance user is set", self._chatter(complaint))

    def test_cancelled_credit_note_drops_its_todo_and_keeps_its_complaint(self):
        complaint, line = self._executing({"resolution_type": "refund", "quantity": 1})
        line.action_create_document()
        credit_note = line.sudo().refund_move_id
        credit_note.with_user(self.finance_user).button_cancel()
        self.assertFalse(self._todos(self.finance_user))
        self.assertEqual(line.state, "approved", "to do again")
        self.assertEqual(credit_note.complaint_id, complaint, "still names its complaint")

    def test_accountant_opens_a_complaint_credit_note(self):
        complaint, line = self._executing({"resolution_type": "refund", "quantity": 1})
        line.action_create_document()
        credit_note = line.sudo().refund_move_id.with_user(self.accountant)
        self.assertFalse(complaint.with_user(self.accountant).has_access("read"))
        form = Form(credit_note)  # get_views + web_read of the form, as the client does
        self.assertEqual(form.complaint_code, complaint.name, "the code, as text")
        self.assertFalse(form.complaint_readable)
        with self.assertRaises(AccessError):
            credit_note.action_open_complaint()
        arch = self._form_arch(credit_note, self.accountant)
        self.assertTrue(arch.xpath("//button[@name='action_open_complaint']"))
        self.assertTrue(arch.xpath("//div[@name='complaint_code']"))

        # An accountant who may read the complaint (they reported it) opens it.
        complaint.sudo().reported_by_id = self.accountant
        credit_note.invalidate_recordset(["complaint_readable"])
        self.assertTrue(Form(credit_note).complaint_readable)
        action = credit_note.action_open_complaint()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("complaint.complaint", complaint.id)
        )


@tagged("post_install", "-at_install")
class TestDocumentsOpenTheirComplaint(FinanceCommon):
    def _opens(self, document, complaint):
        action = document.with_user(self.user_officer).action_open_complaint()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("complaint.complaint", complaint.id)
        )

    def test_replacement_order_return_and_delivery(self):
        delivery = self.order.picking_ids
        delivery.move_ids.quantity = 2
        delivery.button_validate()
        complaint, line = self._executing(
            {"resolution_type": "replacement", "quantity": 2, "picking_id": delivery.id}
        )
        line.action_create_document()
        order, returned = line.replacement_order_id, line.return_picking_id
        shipment = order.picking_ids
        for document in (order, returned, shipment):
            self.assertEqual(document.complaint_id, complaint, document.display_name)
            self._opens(document, complaint)
        self.assertFalse(delivery.complaint_id, "the original delivery is not the complaint's")
        self.assertFalse(self.order.complaint_id)

        # Their own users open them, and see the code they may not open.
        self.assertEqual(Form(order.with_user(self.salesman)).complaint_code, complaint.name)
        for picking in (returned, shipment):
            form = Form(picking.with_user(self.stock_user))
            self.assertEqual(form.complaint_code, complaint.name)
            self.assertFalse(form.complaint_readable)
        # A backorder of the replacement's delivery still names the complaint.
        shipment.move_ids.quantity = 1
        wizard = shipment.button_validate()
        Form(self.env[wizard["res_model"]].with_context(**wizard["context"])).save().process()
        backorder = order.picking_ids - shipment
        self.assertEqual(len(backorder), 1)
        self.assertEqual(backorder.complaint_id, complaint)

    def test_repair_order(self):
        complaint, line = self._executing({"resolution_type": "repair"})
        line.action_create_document()
        repair = line.repair_id
        self.assertEqual(repair.complaint_id, complaint)
        self._opens(repair, complaint)
        form = Form(repair.with_user(self.stock_user))
        self.assertEqual(form.complaint_code, complaint.name)
        self.assertFalse(form.complaint_readable)

    def test_gift_card(self):
        complaint, line = self._executing({"resolution_type": "apology_gift", "amount": 80.0})
        line.action_create_document()
        card = line.sudo().gift_card_id
        self.assertEqual(card.complaint_id, complaint)
        self._opens(card, complaint)
        form = Form(card.with_user(self.salesman))
        self.assertEqual(form.complaint_code, complaint.name)
        self.assertFalse(form.complaint_readable)
        # The officer prints the card's voucher again from the card.
        action = card.with_user(self.user_officer).action_print_complaint_gift_voucher()
        self.assertEqual(action["report_name"], "complaint_management.report_gift_voucher")
        self.assertEqual(action["context"]["active_ids"], line.ids)


@tagged("post_install", "-at_install")
class TestGiftWithoutEmail(FinanceCommon):
    """A customer known by phone only gets the gift on a printed voucher, and
    a gift card withdrawn while the complaint is in execution is to give again."""

    def _voucher_html(self, line, user):
        return (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(VOUCHER, line.ids)[0]
            .decode()
        )

    def _direction(self, html):
        return etree.HTML(html).xpath("//div[contains(@class, 'o_complaint_gift_voucher')]/@dir")

    def test_phone_only_customer_gets_a_printed_voucher(self):
        customer = self.customer_phone_only
        self.assertFalse(customer.email)
        complaint, line = self._executing(
            {"resolution_type": "apology_gift", "amount": 500000.0}, customer=customer
        )
        action = line.action_create_document()
        card = line.sudo().gift_card_id
        self.assertEqual(card.partner_id, customer)
        self.assertEqual(
            (action["type"], action["report_name"]),
            ("ir.actions.report", "complaint_management.report_gift_voucher"),
            "Carry Out hands the officer the voucher to print",
        )
        self.assertEqual(action["context"]["active_ids"], line.ids)
        self.assertEqual(line.gift_sent_by, "voucher")
        self.assertEqual(line.document_state, "Issued: Printed voucher")
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey", "never stuck")
        self.assertIn("print the Gift Voucher", self._chatter(complaint))
        to_customer = complaint.message_ids.filtered(lambda m: customer in m.partner_ids)
        self.assertNotIn(card.code, " ".join(to_customer.mapped("body")), "nothing was sent")
        # The voucher, printed by a manager who does not manage loyalty programs.
        self.assertFalse(self.env["loyalty.card"].with_user(self.user_manager).has_access("read"))
        html = self._voucher_html(line, self.user_manager)
        for expected in ("Gift Voucher", card.code, customer.name, complaint.name):
            self.assertIn(expected, html)
        self.assertIn("500,000.00", html)
        self.assertEqual(self._direction(html), ["ltr"])

    def test_voucher_in_persian_reads_right_to_left(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        customer = self.customer_phone_only
        customer.lang = "fa_IR"
        _complaint, line = self._executing(
            {"resolution_type": "apology_gift", "amount": 1000.0}, customer=customer
        )
        line.action_create_document()
        html = self._voucher_html(line, self.user_officer)
        self.assertEqual(self._direction(html), ["rtl"])
        self.assertIn(line.sudo().gift_card_id.code, html)

    def test_archived_gift_card_is_to_give_again(self):
        complaint, (repair, gift) = self._executing(
            {"resolution_type": "repair"}, {"resolution_type": "apology_gift", "amount": 80.0}
        )
        gift.action_create_document()
        card = gift.sudo().gift_card_id
        self.assertEqual(gift.state, "done")
        self.assertEqual(complaint.step, "in_execution", "the repair is still to do")

        card.with_user(self.salesman).action_archive()
        self.assertEqual(gift.state, "approved", "back to To do")
        self.assertFalse(gift.gift_card_id)
        self.assertIn(f"{card.display_name} was archived", self._chatter(complaint))

        gift.action_create_document()
        self.assertNotEqual(gift.sudo().gift_card_id, card, "a new card")
        self.assertEqual(gift.state, "done")
        self.assertEqual(repair.state, "approved")

    def test_gift_card_archived_after_execution(self):
        complaint, gift = self._executing({"resolution_type": "apology_gift", "amount": 80.0})
        gift.action_create_document()
        self.assertEqual(complaint.step, "survey")
        card = gift.sudo().gift_card_id
        card.with_user(self.salesman).action_archive()
        self.assertEqual(gift.state, "done", "the complaint has moved on")
        self.assertEqual(gift.document_state, "Archived")
        self.assertIn("has moved on", self._chatter(complaint))


@tagged("post_install", "-at_install")
class TestGiftVoucherPdf(FinanceCommon, HttpCase):
    """HttpCase: the PDF engine fetches the report's stylesheets from this
    Odoo, whose requests must see the test's transaction."""

    def test_voucher_prints_as_a_pdf(self):
        _complaint, line = self._executing(
            {"resolution_type": "apology_gift", "amount": 80.0}, customer=self.customer_phone_only
        )
        line.action_create_document()
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_officer)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(VOUCHER, line.ids)
        )
        self.assertEqual(kind, "pdf")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        self.assertIn(line.sudo().gift_card_id.code, text)
        self.assertIn("Received by the customer", " ".join(text.split()))
