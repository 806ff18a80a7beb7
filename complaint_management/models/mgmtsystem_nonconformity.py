from odoo import fields, models


class MgmtsystemNonconformity(models.Model):
    _inherit = "mgmtsystem.nonconformity"

    complaint_ids = fields.One2many("complaint.complaint", "nonconformity_id", string="Complaints")
