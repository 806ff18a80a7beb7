from odoo import api, fields, models

from .complaint_complaint import EMPLOYEES


class ComplaintComplaint(models.Model):
    """The Odoo documents that carry out the external response: how many of
    each, and the buttons that list them."""

    _inherit = "complaint.complaint"

    repair_count = fields.Integer(compute="_compute_document_counts", groups=EMPLOYEES)
    refund_count = fields.Integer(compute="_compute_document_counts", groups=EMPLOYEES)
    replacement_count = fields.Integer(compute="_compute_document_counts", groups=EMPLOYEES)
    gift_count = fields.Integer(compute="_compute_document_counts", groups=EMPLOYEES)

    @api.depends(
        "resolution_ids.repair_id",
        "resolution_ids.refund_move_id",
        "resolution_ids.replacement_order_id",
        "resolution_ids.gift_card_id",
    )
    def _compute_document_counts(self):
        # Counts only: an employee who reported the complaint opens its form
        # without any right on its response lines (the buttons are the CFT's).
        for complaint in self:
            lines = complaint.sudo().resolution_ids
            complaint.repair_count = len(lines.repair_id)
            complaint.refund_count = len(lines.refund_move_id)
            complaint.replacement_count = len(lines.replacement_order_id)
            complaint.gift_count = len(lines.gift_card_id)

    def action_view_repairs(self):
        return self._action_view_documents("repair_id")

    def action_view_refunds(self):
        return self._action_view_documents("refund_move_id")

    def action_view_replacements(self):
        return self._action_view_documents("replacement_order_id")

    def action_view_gift_cards(self):
        return self._action_view_documents("gift_card_id")

    def _action_view_documents(self, field):
        """The documents of the complaint's responses in their ``field``."""
        records = self.ensure_one().resolution_ids.mapped(field)
        return {
            "type": "ir.actions.act_window",
            "name": records._description,
            "res_model": records._name,
            "view_mode": "list,form",
            "domain": [("id", "in", records.ids)],
        }
