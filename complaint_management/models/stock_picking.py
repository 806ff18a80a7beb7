from odoo import api, fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "complaint.link.mixin", "complaint.document.mixin"]
    _complaint_link_field = "picking_id"
    _complaint_lines_field = "complaint_return_ids"

    complaint_return_ids = fields.One2many(
        "complaint.resolution",
        "return_picking_id",
        string="Returns for Complaints",
        groups="complaint_management.group_complaint_cft",
    )

    @api.depends("complaint_return_ids.complaint_id", "sale_id.complaint_id")
    def _compute_complaint_id(self):
        # The return of the faulty goods, and the deliveries (backorders too)
        # of a replacement order.
        for picking in self:
            complaint = (
                picking.complaint_return_ids.complaint_id[:1] or picking.sale_id.complaint_id
            )
            if complaint:  # kept once set
                picking.complaint_id = complaint

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
