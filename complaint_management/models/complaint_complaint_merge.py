from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .complaint_complaint import EMPLOYEES


class ComplaintComplaint(models.Model):
    """Duplicates of a complaint and merging them into one."""

    _inherit = "complaint.complaint"

    # duplicates / merge
    duplicate_ids = fields.Many2many(
        "complaint.complaint", compute="_compute_duplicate_ids", groups=EMPLOYEES
    )
    duplicate_count = fields.Integer(compute="_compute_duplicate_ids", groups=EMPLOYEES)
    merged_into_id = fields.Many2one(
        "complaint.complaint", readonly=True, copy=False, groups=EMPLOYEES
    )

    @api.depends("partner_id", "product_id", "sale_order_id", "is_closed")
    def _compute_duplicate_ids(self):
        """Open complaints of the same customer about the same product or order."""
        candidates = self.filtered(
            lambda c: c.partner_id and (c.product_id or c.sale_order_id) and not c.is_closed
        )
        found = self.browse()
        if candidates:
            found = self.search(
                [
                    ("partner_id", "in", candidates.partner_id.ids),
                    ("is_closed", "=", False),
                    "|",
                    ("product_id", "in", candidates.product_id.ids),
                    ("sale_order_id", "in", candidates.sale_order_id.ids),
                ]
            )
        for complaint in self:
            dups = self.browse()
            if complaint in candidates:
                dups = found.filtered(
                    lambda other, c=complaint: (
                        other != c
                        and other.partner_id == c.partner_id
                        and (
                            (c.product_id and other.product_id == c.product_id)
                            or (c.sale_order_id and other.sale_order_id == c.sale_order_id)
                        )
                    )
                )
            complaint.duplicate_ids = dups
            complaint.duplicate_count = len(dups)

    def action_open_merge_wizard(self):
        complaints = self | self.duplicate_ids if len(self) == 1 else self
        return self._open_wizard(
            "complaint.merge.wizard",
            self.env._("Merge Complaints"),
            {
                "default_complaint_ids": [fields.Command.set(complaints.ids)],
                "default_target_id": complaints.sorted("id")[:1].id,
            },
        )

    def action_view_duplicates(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Possible Duplicates"),
            "res_model": "complaint.complaint",
            "view_mode": "list,form",
            "domain": [("id", "in", (self | self.duplicate_ids).ids)],
        }

    def _merge_into(self, target):
        """Merge these complaints into ``target``: messages, attachments, followers,
        activities and response lines move over; the merged complaints are archived
        and keep their tracking code, which now points to the target."""
        self._check_group("complaint_management.group_complaint_officer")
        sources = self - target
        if not sources:
            raise UserError(self.env._("Choose at least one other complaint to merge."))
        if target.is_closed:
            raise UserError(
                self.env._("Complaint %s is closed; merge into an open one.", target.name)
            )
        customer = target.partner_id.commercial_partner_id
        strangers = sources.filtered(
            lambda c: c.partner_id and c.partner_id.commercial_partner_id != customer
        )
        if strangers:
            # The target's customer would see the others' messages and files.
            raise UserError(
                self.env._(
                    "Only complaints of the same customer can be merged: %(codes)s "
                    "not of %(customer)s.",
                    codes=", ".join(strangers.mapped("name")),
                    customer=customer.display_name or "-",
                )
            )
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", sources.ids)]
        ).write({"res_id": target.id})
        target.message_subscribe(partner_ids=sources.message_partner_ids.ids)
        sources.resolution_ids._procedure_write({"complaint_id": target.id})
        if sources.action_ids:
            target.action_ids = [fields.Command.link(a.id) for a in sources.action_ids]
        body = Markup("<br/>").join(
            self.env._("%(code)s: %(subject)s", code=s.name, subject=s.subject) for s in sources
        )
        target.message_post(
            body=Markup("%s<br/>%s") % (self.env._("Merged into this complaint:"), body),
            subtype_xmlid="mail.mt_note",
        )
        for source in sources:
            source.message_post(
                body=self.env._("Merged into %s.", target.name), subtype_xmlid="mail.mt_note"
            )
        sources._procedure_write({"merged_into_id": target.id, "active": False})
        return target
