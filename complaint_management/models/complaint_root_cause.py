from odoo import fields, models


class ComplaintRootCause(models.Model):
    """Root-cause categories (by default the six Ms: man, machine, method,
    material, measurement, environment). The list is configurable."""

    _name = "complaint.root.cause"
    _description = "Complaint Root Cause Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    is_nonconformity = fields.Boolean(
        string="Product or Process Nonconformity",
        help="A complaint with this root cause is recorded as a nonconformity in the "
        "quality management system.",
    )
    active = fields.Boolean(default=True)
