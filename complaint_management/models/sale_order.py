from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "complaint.link.mixin", "complaint.document.mixin"]
    _complaint_link_field = "sale_order_id"
    _complaint_lines_field = "complaint_replacement_ids"

    complaint_replacement_ids = fields.One2many(
        "complaint.resolution",
        "replacement_order_id",
        string="Replaces for Complaints",
        groups="complaint_management.group_complaint_cft",
    )

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            # A salesman need not have rights on complaints: the replacements
            # these orders carry out are followed with rights.
            lines = self.sudo().complaint_replacement_ids
            if lines:
                lines._sync_documents()
        return result

    def _complaint_report_defaults(self):
        return self._complaint_document_defaults(
            sale_order_id=self,
            invoice_id=self.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")[:1],
            picking_id=self.picking_ids[:1],
            product_id=self.order_line.product_id[:1],
        )
