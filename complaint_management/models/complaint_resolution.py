from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context

RESOLUTION_TYPES = [
    ("repair", "Product repair"),
    ("replacement", "Product replacement"),
    ("compensation", "Compensation payment"),
    ("refund", "Refund of the price"),
    ("apology_gift", "Apology and gift"),
]
# Response types whose Odoo document this version creates and follows.
DOCUMENT_TYPES = ("repair", "replacement", "refund", "compensation", "apology_gift")


class ComplaintResolution(models.Model):
    """One line of the external response: what is done for the customer, and
    the Odoo document that carries it out."""

    _name = "complaint.resolution"
    _inherit = ["complaint.procedure.guard"]
    _description = "Complaint External Response"
    _order = "complaint_id, id"
    # What the customer sees and approves: frozen once proposed.
    _CUSTOMER_APPROVED_FIELDS = frozenset(
        {"complaint_id", "resolution_type", "quantity", "amount", "description"}
    )
    # What the document is made from: once proposed, completed where empty only.
    _REFERENCE_FIELDS = frozenset(
        {"product_id", "lot_id", "sale_order_id", "picking_id", "invoice_id"}
    )
    # Set by the proposal, the customer's decision and the documents only.
    _procedure_fields = frozenset(
        {
            "state",
            "approval_id",
            "repair_id",
            "refund_move_id",
            "return_picking_id",
            "replacement_order_id",
            "gift_card_id",
            "gift_sent_by",
        }
    )
    _procedure_create_values = {"state": "draft"}

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    partner_id = fields.Many2one(related="complaint_id.partner_id")
    resolution_type = fields.Selection(RESOLUTION_TYPES, string="Type", required=True)
    description = fields.Text()
    product_id = fields.Many2one("product.product")
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    sale_order_id = fields.Many2one("sale.order", string="Sales Order")
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", help="The delivery the faulty goods came with."
    )
    invoice_id = fields.Many2one("account.move", domain=[("move_type", "=", "out_invoice")])
    amount = fields.Monetary(help="Amount paid or refunded, or the value of the gift.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    approval_id = fields.Many2one(
        "complaint.approval", string="Proposal", readonly=True, index=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("proposed", "Proposed"),
            ("approved", "To do"),
            ("rejected", "Rejected by the customer"),
            ("in_progress", "In progress"),
            ("done", "Done"),
        ],
        default="draft",
        required=True,
        readonly=True,
    )
    # documents that carry the response out
    repair_id = fields.Many2one("repair.order", string="Repair Order", readonly=True, copy=False)
    refund_move_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False, index="btree_not_null"
    )
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return", readonly=True, copy=False, index="btree_not_null"
    )
    replacement_order_id = fields.Many2one(
        "sale.order", readonly=True, copy=False, index="btree_not_null"
    )
    gift_card_id = fields.Many2one(
        "loyalty.card", readonly=True, copy=False, index="btree_not_null"
    )
    # Read with rights: the officer gives the code without managing loyalty.
    gift_card_code = fields.Char(related="gift_card_id.code", string="Gift Card Code")
    gift_sent_by = fields.Selection(
        [("email", "Email"), ("voucher", "Printed voucher")],
        string="Gift Code Sent By",
        readonly=True,
        copy=False,
        help="How the gift card's code reached the customer: by email when the customer "
        "has one, otherwise as a printed voucher handed over in person (or by SMS, with "
        "the SMS addon and a gateway).",
    )
    document_name = fields.Char(string="Document", compute="_compute_document")
    document_state = fields.Char(compute="_compute_document")
    has_document_flow = fields.Boolean(compute="_compute_document")

    @api.depends("resolution_type")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # In the reader's language: notes and messages name the responses.
        labels = dict(self._fields["resolution_type"]._description_selection(self.env))
        for line in self:
            line.display_name = labels.get(line.resolution_type, "")

    @api.depends(
        "resolution_type",
        "repair_id.state",
        "refund_move_id.state",
        "refund_move_id.payment_state",
        "gift_card_id.active",
        "gift_sent_by",
        "replacement_order_id.state",
        "replacement_order_id.picking_ids.state",
    )
    def _compute_document(self):
        for line in self:
            # Officers see which document carries a response and how far it is,
            # even without rights on, say, accounting.
            document = line._get_document().sudo()
            line.has_document_flow = line.resolution_type in DOCUMENT_TYPES
            line.document_name = document.display_name if document else False
            if not document:
                line.document_state = False
            elif document._name == "loyalty.card":
                line.document_state = line._gift_state(document)
            elif document._name == "sale.order" and document.state == "sale":
                line.document_state = (
                    self.env._("Delivered")
                    if line._document_done(document)
                    else self.env._("To deliver")
                )
            elif document._name == "account.move":
                states = dict(document._fields["payment_state"]._description_selection(self.env))
                line.document_state = (
                    states.get(document.payment_state)
                    if document.state == "posted"
                    else dict(document._fields["state"]._description_selection(self.env))[
                        document.state
                    ]
                )
            else:
                line.document_state = dict(
                    document._fields["state"]._description_selection(self.env)
                )[document.state]

    @api.model_create_multi
    def create(self, vals_list):
        complaints = self.env["complaint.complaint"].browse(
            [vals["complaint_id"] for vals in vals_list if vals.get("complaint_id")]
        )
        by_id = {c.id: c for c in complaints}
        for vals in vals_list:
            complaint = by_id.get(vals.get("complaint_id"))
            if not complaint:
                continue
            # By default a line is about what the complaint is about.
            for fname in ("product_id", "lot_id", "sale_order_id", "picking_id"):
                if fname not in vals:
                    vals[fname] = complaint[fname].id
            if "invoice_id" not in vals and complaint.invoice_id.move_type == "out_invoice":
                vals["invoice_id"] = complaint.invoice_id.id
        return super().create(vals_list)

    def write(self, vals):
        if not self._is_procedure_write():
            self._check_proposed_terms(vals)
        return super().write(vals)

    def _check_proposed_terms(self, vals):
        """The terms put to the customer do not change; the documents they
        apply to may be completed where the line had none."""
        locked = self._CUSTOMER_APPROVED_FIELDS.intersection(vals)
        references = self._REFERENCE_FIELDS.intersection(vals)
        for line in self.filtered(lambda line: line.state != "draft"):
            changed = [
                fname
                for fname in references
                if line[fname] and line[fname].id != (vals[fname] or False)
            ]
            if locked or changed:
                raise UserError(
                    self.env._(
                        "%(response)s on %(code)s has been put to the customer; its terms "
                        "and the documents it applies to can no longer change. Add a new "
                        "response instead.",
                        response=line.display_name,
                        code=line.complaint_id.name,
                    )
                )

    def _procedure_action_hint(self):
        return self.env._(
            "Propose Response on the complaint, the customer's answer, and Carry Out "
            "on the approved response"
        )

    @api.constrains("complaint_id", "invoice_id", "sale_order_id", "picking_id")
    def _check_documents_of_customer(self):
        """A response acts on the complaint's customer's own documents: a
        refund never reverses, nor a replacement takes back, another's."""
        for line in self.sudo():
            customer = line.complaint_id.partner_id.commercial_partner_id
            company = line.complaint_id.company_id
            for document in (line.invoice_id, line.sale_order_id, line.picking_id):
                if not document:
                    continue
                if (
                    document.partner_id.commercial_partner_id != customer
                    or document.company_id != company
                    or (document._name == "account.move" and document.move_type != "out_invoice")
                ):
                    raise ValidationError(
                        self.env._(
                            "%(document)s is not a document of %(customer)s in %(company)s: "
                            "a response of complaint %(code)s can only act on the "
                            "customer's own invoices, orders and deliveries.",
                            document=document.display_name,
                            customer=customer.display_name or "-",
                            company=company.name,
                            code=line.complaint_id.name,
                        )
                    )

    # ------------------------------------------------------------ documents
    def _get_document(self):
        """The document carrying out this response (an empty recordset if none)."""
        self.ensure_one()
        if self.resolution_type in ("refund", "compensation"):
            return self.refund_move_id
        if self.resolution_type == "apology_gift":
            return self.gift_card_id
        if self.resolution_type == "replacement":
            return self.replacement_order_id
        return self.repair_id

    def action_create_document(self):
        """Create the Odoo document that carries out an approved response."""
        self.complaint_id._check_group("complaint_management.group_complaint_officer")
        for line in self:
            complaint = line.complaint_id
            approval = line.approval_id
            if line.state == "approved" and (
                complaint.step != "in_execution"
                or approval.state != "accepted"
                or approval != complaint._current_approval()
            ):
                raise UserError(
                    self.env._(
                        "%(response)s on %(code)s can be carried out only while the complaint "
                        "is in execution, under the proposal the customer accepted last.",
                        response=line.display_name,
                        code=complaint.name,
                    )
                )
            if line.state != "approved":
                raise UserError(
                    self.env._(
                        "Only a response the customer approved can be carried out "
                        "(%(response)s on %(code)s is “%(state)s”).",
                        response=line.display_name,
                        code=line.complaint_id.name,
                        state=dict(line._fields["state"]._description_selection(self.env))[
                            line.state
                        ],
                    )
                )
            if line.resolution_type not in DOCUMENT_TYPES:
                raise UserError(self.env._("%s is carried out by hand for now.", line.display_name))
            # Officers may lack rights on the document's app (accounting,
            # loyalty); naming it in the chatter and checking it is done is fine.
            document = getattr(line, f"_create_{line.resolution_type}")().sudo()
            line._procedure_write(
                {"state": "done" if line._document_done(document) else "in_progress"}
            )
            body = Markup(self.env._("%(response)s: %(document)s created.")) % {
                "response": line.display_name,
                "document": document._get_html_link(),
            }
            next_step = line._document_next_step()
            line.complaint_id.message_post(
                body=body + Markup(" ") + next_step if next_step else body,
                subtype_xmlid="mail.mt_note",
            )
        self.complaint_id._finish_execution_if_done()
        if len(self) == 1 and self.gift_sent_by == "voucher":
            # Handed over in person: the voucher to print comes at once.
            return self._action_print_gift_voucher()
        return self[:1].action_open_document() if len(self) == 1 else True

    def _document_next_step(self):
        """Who takes the document from there, as the complaint's chatter says
        after "created"."""
        self.ensure_one()
        if self.resolution_type in ("refund", "compensation"):
            finance = self.company_id.complaint_finance_user_id
            if finance:
                return self.env._("%s (finance) has a to-do to post it.", finance.name)
            return self.env._(
                "No finance user is set for complaints (Settings > Companies, Complaints "
                "tab): tell finance to post it."
            )
        if self.resolution_type == "apology_gift":
            return self._gift_code_note()
        return ""

    def action_open_document(self):
        self.ensure_one()
        document = self._get_document()
        if not document:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "view_mode": "form",
        }

    def _create_repair(self):
        """A repair order for the complained product. It is deliberately not tied
        to the original sales order: Odoo's repair bills its parts on the order it
        is linked to and, when cancelled, sets that order's line to zero, which a
        complaint repair must never do to what the customer bought. The order is
        named in the repair's notes instead."""
        if not self.product_id:
            raise UserError(self.env._("Set the product to repair on the response line."))
        complaint = self.complaint_id
        notes = [
            self.env._(
                "Complaint %(code)s: %(subject)s", code=complaint.name, subject=complaint.subject
            )
        ]
        if self.sale_order_id:
            notes.append(self.env._("Sold on %s", self.sale_order_id.name))
        if self.description:
            notes.append(self.description)
        repair = self.env["repair.order"].create(
            {
                "partner_id": self.partner_id.id,
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "product_qty": self.quantity or 1.0,
                "internal_notes": "\n".join(notes),
                "company_id": self.company_id.id,
            }
        )
        self._procedure_write({"repair_id": repair.id})
        return self.repair_id

    def _create_refund(self):
        invoice = self.invoice_id
        if not invoice or invoice.state != "posted":
            raise UserError(
                self.env._("Set the posted customer invoice to refund on the response line.")
            )
        # The officer prepares the credit note through Odoo's own reversal; only
        # accounting users post and pay it. Preparing a draft is the one thing done
        # with elevated rights here.
        reversal = (
            self.env["account.move.reversal"]
            .sudo()
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "move_ids": [fields.Command.set(invoice.ids)],
                    "journal_id": invoice.journal_id.id,
                    "reason": self.env._(
                        "Complaint %(code)s: %(subject)s",
                        code=self.complaint_id.name,
                        subject=self.complaint_id.subject,
                    ),
                }
            )
        )
        reversal.refund_moves()
        credit_note = reversal.new_move_ids
        if self.product_id:
            # A partial refund: only the complained product, for the agreed quantity.
            lines = credit_note.invoice_line_ids
            keep = lines.filtered(lambda line: line.product_id == self.product_id)
            if not keep:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s has no line for %(product)s.",
                        invoice=invoice.name,
                        product=self.product_id.display_name,
                    )
                )
            credit_note.write(
                {
                    "invoice_line_ids": [fields.Command.delete(line.id) for line in lines - keep]
                    + [
                        fields.Command.update(line.id, {"quantity": self.quantity})
                        for line in keep[:1]
                    ]
                    + [fields.Command.delete(line.id) for line in keep[1:]]
                }
            )
        vals = {"refund_move_id": credit_note.id}
        if not self.amount:
            vals["amount"] = credit_note.amount_total
        self._procedure_write(vals)
        self._tell_finance(credit_note)
        return self.refund_move_id

    def _create_replacement(self):
        """The faulty goods come back on a return of their delivery, and new ones
        leave on a zero-priced sales order, so that the warehouse prepares and
        ships the replacement like any other delivery and sales reports show it."""
        if not self.product_id:
            raise UserError(self.env._("Set the product to replace on the response line."))
        complaint = self.complaint_id
        quantity = self.quantity or 1.0
        delivery = self.picking_id
        if delivery and delivery.state == "done":
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=delivery.id, active_model="stock.picking")
                .create({"picking_id": delivery.id})
            )
            for return_line in wizard.product_return_moves:
                return_line.quantity = quantity if return_line.product_id == self.product_id else 0
            if any(wizard.product_return_moves.mapped("quantity")):
                self._procedure_write({"return_picking_id": wizard._create_return().id})
        order = self.env["sale.order"].create(
            {
                "partner_id": complaint.partner_id.id,
                "company_id": complaint.company_id.id,
                "origin": complaint.name,
                "client_order_ref": self.env._("Replacement for complaint %s", complaint.name),
                "order_line": [
                    fields.Command.create(
                        {
                            "product_id": self.product_id.id,
                            "product_uom_qty": quantity,
                            "price_unit": 0.0,
                            "discount": 0.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        self._procedure_write({"replacement_order_id": order.id})
        return order

    def _create_compensation(self):
        """Compensation as a credit note on the configured expense account: finance
        finds it with the customer's other credit notes, settles it against an open
        invoice or pays it with Register Payment, as for a refund."""
        company = self.company_id
        if not company.complaint_compensation_account_id:
            raise UserError(
                self.env._(
                    "Set the compensation expense account of %s (Settings > Companies, "
                    "Complaints tab) before paying compensation.",
                    company.name,
                )
            )
        if self.amount <= 0:
            raise UserError(self.env._("Give the amount of the compensation."))
        complaint = self.complaint_id
        # Prepared as a draft with rights, like a refund; accounting users post it.
        credit_note = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": complaint.partner_id.id,
                    "company_id": company.id,
                    "ref": self.env._("Complaint %s: compensation", complaint.name),
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "name": self.description
                                or self.env._("Compensation for complaint %s", complaint.name),
                                "quantity": 1.0,
                                "price_unit": self.amount,
                                "account_id": company.complaint_compensation_account_id.id,
                                "tax_ids": [fields.Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        self._procedure_write({"refund_move_id": credit_note.id})
        self._tell_finance(credit_note)
        return self.refund_move_id

    def _tell_finance(self, credit_note):
        """Finance posts the credit notes that complaints prepare: a to-do on the
        credit note for the company's finance user, in their language, or, with
        none set, a note on it (and the complaint's chatter says to tell finance)."""
        finance = self.company_id.complaint_finance_user_id
        line = self.with_context(lang=finance.lang) if finance.lang else self
        texts = {
            "response": line.display_name,
            "code": self.complaint_id.name,
        }
        move = credit_note.sudo()
        if finance:
            move.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=finance.id,
                summary=line.env._("Post the credit note of complaint %(code)s", **texts),
                note=line.env._(
                    "The customer accepted this %(response)s in complaint %(code)s. Post it; "
                    "unless it settles an open invoice of the customer, pay it with Register "
                    "Payment.",
                    **texts,
                ),
            )
        else:
            move.message_post(
                body=self.env._(
                    "Prepared for complaint %(code)s (%(response)s), to post. No finance user "
                    "is set for complaints, so no one was given a to-do.",
                    **texts,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _create_apology_gift(self):
        complaint = self.complaint_id
        # The gift the customer approved is issued by the process owner, who need
        # not manage loyalty programs: issuing this one card is done with rights.
        program = complaint.company_id._complaint_gift_program()
        gift_card = (
            self.env["loyalty.card"]
            .sudo()
            .create(
                {
                    "program_id": program.id,
                    "partner_id": complaint.partner_id.id,
                    "points": self.amount,
                }
            )
        )
        channel = self._gift_code_channel()
        self._procedure_write({"gift_card_id": gift_card.id, "gift_sent_by": channel})
        getattr(self, f"_send_gift_code_{channel}")()
        return self.gift_card_id

    def _gift_code_channel(self):
        """How the gift card's code reaches the customer: with the apology by
        email when they have an address, otherwise on a printed voucher handed
        over in person. Never stuck for a customer known by phone only."""
        self.ensure_one()
        return "email" if self.complaint_id.partner_id.email else "voucher"

    def _send_gift_code_email(self):
        complaint = self.complaint_id
        template = self.env.ref("complaint_management.mail_template_complaint_apology")
        rendered = template._generate_template(self.ids, ("subject", "body_html"))[self.id]
        author = complaint.user_id or self.env.user
        complaint.with_context(clean_context(self.env.context)).message_post(
            author_id=author.partner_id.id,
            subject=rendered["subject"],
            body=rendered["body_html"],
            partner_ids=complaint.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

    def _send_gift_code_voucher(self):
        """Nothing goes out: Carry Out gives the officer the voucher to print."""
        return True

    def _gift_code_note(self):
        """What the complaint's chatter says of the code, once the card is issued."""
        if self.gift_sent_by == "email":
            return self.env._("The apology and the gift card's code went to the customer by email.")
        return self.env._(
            "The customer has no email address: print the Gift Voucher (Carry Out downloads "
            "it) and hand it over in person."
        )

    def _gift_state(self, card):
        if not card.active:
            return self.env._("Archived")
        sent_by = dict(self._fields["gift_sent_by"]._description_selection(self.env))
        return self.env._("Issued: %s", sent_by.get(self.gift_sent_by, "-"))

    def _action_print_gift_voucher(self):
        """The printable gift voucher of these apology lines, in the customer's
        language: the card's code and value, to hand over in person."""
        lines = self.filtered("gift_card_id")
        if not lines:
            raise UserError(self.env._("No gift card has been issued for this response yet."))
        return self.env.ref("complaint_management.action_report_gift_voucher").report_action(lines)

    def _gift_voucher_card(self):
        """The card printed on the voucher, read with rights: who may read the
        response may print its voucher without managing loyalty programs."""
        self.ensure_one()
        return self.gift_card_id.sudo()

    # ------------------------------------------------------------ following
    def _sync_documents(self):
        """Follow the documents: done when they are done, back to "to do" when
        they are cancelled; the complaint moves to the final survey once every
        approved response is done. A gift card is done once issued but may be
        withdrawn (archived) afterwards: its apology is then to do again, while
        the complaint is in execution."""
        for line in self.filtered(
            lambda line: (
                line.state == "in_progress"
                or (line.state == "done" and line.resolution_type == "apology_gift")
            )
        ):
            document = line._get_document()
            if line._document_cancelled(document):
                if line.state == "done" and line.complaint_id.step != "in_execution":
                    line.complaint_id.message_post(
                        body=self.env._(
                            "%(document)s was archived after %(response)s had been carried "
                            "out; the complaint has moved on, so nothing else changes.",
                            document=document.display_name,
                            response=line.display_name,
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                    continue
                body = (
                    self.env._(
                        "%(document)s was archived: %(response)s is to do again.",
                        document=document.display_name,
                        response=line.display_name,
                    )
                    if document._name == "loyalty.card"
                    else self.env._(
                        "%(document)s was cancelled: %(response)s is to do again.",
                        document=document.display_name,
                        response=line.display_name,
                    )
                )
                line.complaint_id.message_post(body=body, subtype_xmlid="mail.mt_note")
                line._procedure_write(
                    {"state": "approved", line._document_field(): False, "gift_sent_by": False}
                )
            elif line.state == "in_progress" and line._document_done(document):
                line._procedure_write({"state": "done"})
        self.complaint_id._finish_execution_if_done()

    def _document_field(self):
        return {
            "repair": "repair_id",
            "refund": "refund_move_id",
            "compensation": "refund_move_id",
            "apology_gift": "gift_card_id",
            "replacement": "replacement_order_id",
        }[self.resolution_type]

    def _document_cancelled(self, document):
        if document._name == "loyalty.card":
            return not document.active
        return document.state == "cancel"

    def _document_done(self, document):
        if document._name == "loyalty.card":
            return document.active  # issued, and its code given with it
        if document._name == "sale.order":
            deliveries = document.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
            )
            return bool(deliveries) and all(p.state == "done" for p in deliveries)
        if document._name == "account.move":
            return document.state == "posted" and document.payment_state in (
                "paid",
                "in_payment",
                "reversed",
            )
        return document.state == "done"
