from odoo import fields, models


class LoyaltyCard(models.Model):
    _name = "loyalty.card"
    _inherit = ["loyalty.card", "complaint.document.mixin"]
    _complaint_lines_field = "complaint_resolution_ids"

    complaint_resolution_ids = fields.One2many(
        "complaint.resolution",
        "gift_card_id",
        string="Complaint Responses",
        groups="complaint_management.group_complaint_cft",
    )

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals:
            # A gift card archived (withdrawn) puts its apology back to do; the
            # loyalty user need not have rights on complaints for that.
            lines = self.sudo().complaint_resolution_ids
            if lines:
                lines._sync_documents()
        return result

    def action_print_complaint_gift_voucher(self):
        """The printed voucher of the complaint this card was given for."""
        lines = self.sudo().complaint_resolution_ids.with_env(self.env)
        return lines._action_print_gift_voucher()
