from odoo import fields, models


class ComplaintLinkMixin(models.AbstractModel):
    """Records that complaints can be about (orders, invoices, deliveries, lots,
    products): a count of those complaints and a button that lists them."""

    _name = "complaint.link.mixin"
    _description = "Complaints about a record"
    # The complaint field that points at records of the inheriting model.
    _complaint_link_field = None

    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="complaint_management.group_complaint_reporter",
    )

    def _complaint_domain(self):
        return [(self._complaint_link_field, "in", self.ids)]

    def _complaint_key(self, complaint_group):
        return complaint_group

    def _compute_complaint_count(self):
        groups = self.env["complaint.complaint"]._read_group(
            self._complaint_domain(), [self._complaint_link_field], ["__count"]
        )
        counts = {}
        for record, count in groups:
            key = self._complaint_key(record)
            counts[key] = counts.get(key, 0) + count
        for record in self:
            record.complaint_count = counts.get(record, 0)

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_management.complaint_complaint_action"
        )
        action["domain"] = self._complaint_domain()
        action["context"] = {}
        return action


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


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "complaint.link.mixin"]
    _complaint_link_field = "invoice_id"


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "complaint.link.mixin"]
    _complaint_link_field = "picking_id"

    def _action_done(self):
        result = super()._action_done()
        # A replacement delivered finishes its complaint response.
        self.sale_id.complaint_replacement_ids.sudo()._sync_documents()
        return result


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "complaint.link.mixin"]
    _complaint_link_field = "lot_id"


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "complaint.link.mixin"]
    _complaint_link_field = "product_id"

    def _complaint_domain(self):
        return [("product_id.product_tmpl_id", "in", self.ids)]

    def _complaint_key(self, complaint_group):
        return complaint_group.product_tmpl_id
