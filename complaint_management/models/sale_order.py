from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "complaint.link.mixin"]
    _complaint_link_field = "sale_order_id"

    complaint_replacement_ids = fields.One2many(
        "complaint.resolution", "replacement_order_id", string="Replaces for Complaints"
    )

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals and self.complaint_replacement_ids:
            self.complaint_replacement_ids.sudo()._sync_documents()
        return result
