from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DocumentsCommon


@tagged("post_install", "-at_install")
class TestResponseDocuments(DocumentsCommon):
    """External responses carried out by Odoo documents: a repair order and a
    credit note from the linked invoice, followed until done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "cm_accountant",
            groups="base.group_user,account.group_account_invoice",
            name="Accountant Alavi",
        )

    def _executing(self, *line_vals):
        """A complaint about the order whose given responses the customer approved."""
        complaint = self._new(
            partner_id=self.customer.id,
            sale_order_id=self.order.id,
            invoice_id=self.invoice.id,
        )
        self._advance(complaint, "investigation")
        complaint.root_cause_id = self.root_cause
        lines = self.env["complaint.resolution"].create(
            [dict(vals, complaint_id=complaint.id) for vals in line_vals]
        )
        self._record_capa(complaint)
        complaint.with_user(self.user_officer).action_propose_response()
        self._answer_approval(complaint, True)
        self.assertEqual(complaint.step, "in_execution")
        self.assertEqual(set(lines.mapped("state")), {"approved"})
        return complaint, lines.with_user(self.user_officer)

    def test_only_approved_lines_create_documents(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "investigation")
        line = self.env["complaint.resolution"].create(
            {"complaint_id": complaint.id, "resolution_type": "repair"}
        )
        with self.assertRaisesRegex(UserError, "approved"):
            line.with_user(self.user_officer).action_create_document()
        complaint.root_cause_id = self.root_cause
        self._record_capa(complaint)
        complaint.with_user(self.user_officer).action_propose_response()
        self.assertEqual(line.state, "proposed")
        with self.assertRaisesRegex(UserError, "approved"):
            line.with_user(self.user_officer).action_create_document()
        self.assertFalse(line.repair_id)

    def test_approved_terms_are_frozen(self):
        _complaint, line = self._executing({"resolution_type": "compensation", "amount": 100.0})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            line.write({"amount": 900.0})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            line.write({"product_id": False})  # what it applies to, too
        self.assertEqual(line.amount, 100.0)

    def test_repair_followed_to_done(self):
        complaint, line = self._executing(
            {"resolution_type": "repair", "description": "Replace the bearing"}
        )
        self.assertEqual(line.product_id, self.product, "the line is about the complained product")
        line.action_create_document()
        repair = line.repair_id
        self.assertEqual(line.state, "in_progress")
        self.assertEqual(repair.partner_id, self.customer)
        self.assertEqual(repair.product_id, self.product)
        self.assertIn(self.order.name, repair.internal_notes)
        self.assertFalse(repair.sale_order_id, "the customer's order is not billed for it")
        self.assertEqual(repair.complaint_ids, complaint)
        self.assertEqual(complaint.repair_count, 1)

        repair.action_validate()
        repair.action_repair_start()
        self.assertEqual(complaint.step, "in_execution")
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey", "the complaint moves on by itself")
        self.assertTrue(complaint.date_executed)
        self.assertIn(
            "Every approved response has been carried out",
            "".join(complaint.message_ids.mapped("body")),
        )

    def _pay(self, move):
        self.env["account.payment.register"].with_user(self.accountant).with_context(
            active_model="account.move", active_ids=move.ids
        ).create({}).action_create_payments()

    def test_partial_refund_of_a_paid_invoice(self):
        self._pay(self.invoice)
        complaint, line = self._executing(
            {"resolution_type": "refund", "quantity": 1, "description": "One mixer refunded"}
        )
        line.action_create_document()
        credit_note = line.sudo().refund_move_id
        self.assertEqual(line.document_state, "Draft", "the officer sees the credit note's state")
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(credit_note.partner_id, self.customer)
        self.assertEqual(credit_note.invoice_line_ids.product_id, self.product)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1)
        self.assertAlmostEqual(credit_note.amount_untaxed, self.invoice.amount_untaxed / 2)
        self.assertEqual(line.amount, credit_note.amount_total)

        # The officer prepares; only accounting users post.
        with self.assertRaises(AccessError):
            credit_note.with_user(self.user_officer).action_post()
        credit_note.with_user(self.accountant).action_post()
        self.assertEqual(credit_note.payment_state, "not_paid")
        self.assertEqual(complaint.step, "in_execution", "posted is not yet paid back")
        self._pay(credit_note)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey")

    def test_refund_of_an_unpaid_invoice_settles_it(self):
        complaint, line = self._executing({"resolution_type": "refund", "quantity": 1})
        line.action_create_document()
        credit_note = line.sudo().refund_move_id
        credit_note.with_user(self.accountant).action_post()
        # Odoo reconciles the credit note with the open invoice it reverses.
        self.assertEqual(credit_note.payment_state, "paid")
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey")

    def test_full_refund_without_product(self):
        _complaint, line = self._executing({"resolution_type": "refund", "product_id": False})
        line.action_create_document()
        self.assertEqual(line.refund_move_id.amount_total, self.invoice.amount_total)

    def test_cancelled_document_puts_line_back_to_do(self):
        complaint, line = self._executing({"resolution_type": "repair"})
        line.action_create_document()
        repair = line.repair_id
        repair.action_repair_cancel()
        self.assertEqual(self.order.order_line.product_uom_qty, 2, "the sale is untouched")
        self.assertEqual(line.state, "approved")
        self.assertFalse(line.repair_id)
        self.assertIn(repair.name, "".join(complaint.message_ids.mapped("body")))
        self.assertEqual(complaint.step, "in_execution")
        line.action_create_document()
        self.assertNotEqual(line.repair_id, repair, "a new repair order can be made")

    def test_two_documents_both_needed(self):
        complaint, lines = self._executing(
            {"resolution_type": "repair"}, {"resolution_type": "refund", "quantity": 1}
        )
        lines.action_create_document()
        repair, refund = lines[0].repair_id, lines[1].sudo().refund_move_id
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(complaint.step, "in_execution", "the refund is still open")
        refund.with_user(self.accountant).action_post()
        self.assertEqual(complaint.step, "survey")

    def test_apology_and_gift_card_issued_and_sent(self):
        complaint, line = self._executing(
            {"resolution_type": "apology_gift", "amount": 500000.0, "description": "Sorry"}
        )
        line.action_create_document()
        card = line.sudo().gift_card_id
        self.assertEqual(card.partner_id, self.customer)
        self.assertEqual(card.points, 500000.0)
        self.assertEqual(card.program_id.program_type, "gift_card")
        self.assertEqual(card.program_id, self.company.complaint_gift_program_id)
        self.assertEqual(complaint.gift_count, 1)
        apology = complaint.message_ids.filtered(
            lambda m: card.code in (m.body or "") and m.message_type == "comment"
        )
        self.assertEqual(len(apology), 1, "the code is sent to the customer")
        self.assertIn(self.customer, apology.partner_ids)
        self.assertEqual(apology.author_id, complaint.user_id.partner_id, "from the process owner")
        self.assertIn("پوزش", apology.body)
        self.assertIn("apologise", apology.body)
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey", "the only response is done")

    def test_compensation_credit_note_paid_by_finance(self):
        complaint, line = self._executing(
            {"resolution_type": "compensation", "amount": 250.0, "product_id": False}
        )
        with self.assertRaisesRegex(UserError, "compensation expense account"):
            line.action_create_document()
        expense = self.env["account.account"].search(
            [("account_type", "=", "expense"), ("company_ids", "in", self.company.id)], limit=1
        )
        self.company.complaint_compensation_account_id = expense
        line.action_create_document()
        credit_note = line.sudo().refund_move_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.partner_id, self.customer)
        self.assertEqual(credit_note.invoice_line_ids.account_id, expense)
        self.assertEqual(credit_note.amount_total, 250.0)
        self.assertEqual(complaint.refund_count, 1)
        credit_note.with_user(self.accountant).action_post()
        self.assertEqual(line.state, "in_progress")
        self._pay(credit_note)
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey")

    def _deliver(self, picking, quantity):
        picking.move_ids.quantity = quantity
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_replacement_return_and_zero_priced_delivery(self):
        delivery = self.order.picking_ids
        self._deliver(delivery, 2)
        complaint, line = self._executing(
            {"resolution_type": "replacement", "quantity": 1, "picking_id": delivery.id}
        )
        line.action_create_document()
        returned = line.return_picking_id
        self.assertEqual(returned.picking_type_code, "incoming")
        self.assertEqual(returned.partner_id, self.customer)
        self.assertEqual(returned.move_ids.product_id, self.product)
        self.assertEqual(returned.move_ids.product_uom_qty, 1)
        order = line.replacement_order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.order_line.product_uom_qty, 1)
        self.assertEqual(order.amount_total, 0, "the customer pays nothing for the replacement")
        self.assertEqual(complaint.replacement_count, 1)
        self.assertEqual(
            self.env["sale.order"].search(complaint.action_view_replacements()["domain"]), order
        )
        self.assertEqual(line.document_state, "To deliver")
        self.assertEqual(complaint.step, "in_execution")

        self._deliver(order.picking_ids, 1)
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey")

    def test_cancelled_replacement_order(self):
        complaint, line = self._executing({"resolution_type": "replacement", "quantity": 1})
        line.action_create_document()
        self.assertFalse(line.return_picking_id, "nothing delivered yet, nothing to return")
        line.replacement_order_id.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(line.state, "approved")
        self.assertFalse(line.replacement_order_id)
        self.assertEqual(complaint.step, "in_execution")
