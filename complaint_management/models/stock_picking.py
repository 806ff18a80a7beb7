from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "complaint.link.mixin"]
    _complaint_link_field = "picking_id"

    def _action_done(self):
        result = super()._action_done()
        # A replacement delivered finishes its complaint response.
        self.sale_id.complaint_replacement_ids.sudo()._sync_documents()
        return result
