from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "complaint.link.mixin"]
    _complaint_link_field = "picking_id"

    def _action_done(self):
        result = super()._action_done()
        # A replacement delivered finishes its complaint response.
        # The stock user need not read sales orders or complaints: the
        # replacements of these pickings' orders are followed with rights.
        lines = self.sudo().sale_id.complaint_replacement_ids
        if lines:
            lines._sync_documents()
        return result

    def _complaint_report_defaults(self):
        return self._complaint_document_defaults(
            picking_id=self,
            sale_order_id=self.sale_id,
            product_id=self.move_ids.product_id[:1],
            lot_id=self.move_line_ids.lot_id[:1],
        )
