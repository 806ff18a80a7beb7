from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "complaint.link.mixin", "complaint.document.mixin"]
    _complaint_link_field = "invoice_id"
    _complaint_lines_field = "complaint_resolution_ids"

    complaint_resolution_ids = fields.One2many(
        "complaint.resolution",
        "refund_move_id",
        string="Complaint Responses",
        groups="complaint_management.group_complaint_cft",
    )

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self._complaint_close_todos()
            self._complaint_sync()
        return result

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        self._complaint_sync()
        return result

    def _complaint_sync(self):
        # A credit note paid or cancelled by finance moves the complaint on; the
        # accountant need not have rights on complaints for that.
        lines = self.sudo().complaint_resolution_ids
        if lines:
            lines._sync_documents()

    def _complaint_close_todos(self):
        """The to-do that asked finance to post a complaint credit note is done
        once it is posted, and moot once it is cancelled."""
        moves = self.filtered(lambda move: move.complaint_id and move.state in ("posted", "cancel"))
        if not moves:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        # The activities of these credit notes, whoever may read them: the
        # ones the complaint scheduled (automated to-dos), no other.
        activities = moves.sudo().activity_ids.filtered(
            lambda activity: activity.automated and activity.activity_type_id == todo
        )
        for move in moves:
            mine = activities.filtered(lambda activity, move=move: activity.res_id == move.id)
            if mine and move.state == "posted":
                mine.action_feedback(feedback=self.env._("Posted"))
            elif mine:
                mine.unlink()

    def _complaint_report_defaults(self):
        return self._complaint_document_defaults(
            invoice_id=self,
            sale_order_id=self.line_ids.sale_line_ids.order_id[:1],
            product_id=self.invoice_line_ids.product_id[:1],
        )
