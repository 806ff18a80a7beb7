from odoo import models


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "complaint.link.mixin"]
    _complaint_link_field = "product_id"

    def _complaint_domain(self):
        return [("product_id.product_tmpl_id", "in", self.ids)]

    def _complaint_key(self, complaint_group):
        return complaint_group.product_tmpl_id
