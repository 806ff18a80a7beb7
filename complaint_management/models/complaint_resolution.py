from odoo import api, fields, models

RESOLUTION_TYPES = [
    ("repair", "Product repair"),
    ("replacement", "Product replacement"),
    ("compensation", "Compensation payment"),
    ("refund", "Refund of the price"),
    ("apology_gift", "Apology and gift"),
]


class ComplaintResolution(models.Model):
    """One line of the external response: what is done for the customer."""

    _name = "complaint.resolution"
    _description = "Complaint External Response"
    _order = "complaint_id, id"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    resolution_type = fields.Selection(RESOLUTION_TYPES, string="Type", required=True)
    description = fields.Text()
    product_id = fields.Many2one("product.product")
    amount = fields.Monetary(help="Amount paid or refunded, or the value of the gift.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    approval_id = fields.Many2one(
        "complaint.approval", string="Proposal", readonly=True, index=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("proposed", "Proposed"),
            ("approved", "Approved"),
            ("rejected", "Rejected by the customer"),
            ("done", "Done"),
        ],
        default="draft",
        required=True,
        readonly=True,
    )

    @api.depends("resolution_type", "amount")
    def _compute_display_name(self):
        labels = dict(RESOLUTION_TYPES)
        for line in self:
            line.display_name = labels.get(line.resolution_type, "")
