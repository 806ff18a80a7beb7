from odoo import fields, models


class ComplaintMergeWizard(models.TransientModel):
    _name = "complaint.merge.wizard"
    _description = "Merge Complaints"

    complaint_ids = fields.Many2many("complaint.complaint", string="Complaints")
    target_id = fields.Many2one(
        "complaint.complaint",
        string="Keep",
        required=True,
        domain="[('id', 'in', complaint_ids)]",
        help="The complaint that stays open; the others are merged into it.",
    )

    def action_merge(self):
        self.ensure_one()
        target = self.complaint_ids._merge_into(self.target_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.complaint",
            "res_id": target.id,
            "view_mode": "form",
        }
