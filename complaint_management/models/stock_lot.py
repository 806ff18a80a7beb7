from odoo import models


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "complaint.link.mixin"]
    _complaint_link_field = "lot_id"
