from odoo import fields, models
from odoo.tools import html2plaintext

from .complaint_complaint import EMPLOYEES


class ComplaintComplaint(models.Model):
    """The internal response: nonconformities and corrective actions (OCA
    management system)."""

    _inherit = "complaint.complaint"

    # response
    action_ids = fields.Many2many(
        "mgmtsystem.action",
        "complaint_mgmtsystem_action_rel",
        "complaint_id",
        "action_id",
        string="Corrective Actions",
        copy=False,
        groups=EMPLOYEES,
    )
    action_count = fields.Integer(compute="_compute_action_count", groups=EMPLOYEES)
    nonconformity_id = fields.Many2one(
        "mgmtsystem.nonconformity", copy=False, tracking=True, groups=EMPLOYEES
    )

    def _compute_action_count(self):
        for complaint in self:
            complaint.action_count = len(complaint.action_ids)

    def action_create_nonconformity(self):
        """Record the nonconformity behind the complaint. Complaints with the same
        root cause about the same product share one open nonconformity, so that one
        systemic fix (CAPA) covers them all."""
        self._check_group("complaint_management.group_complaint_cft")
        for complaint in self.filtered(lambda c: not c.nonconformity_id):
            nonconformity = complaint._find_shared_nonconformity()
            if nonconformity:
                complaint.nonconformity_id = nonconformity
                if complaint.action_ids:
                    nonconformity.action_ids = [
                        fields.Command.link(action.id) for action in complaint.action_ids
                    ]
                body = self.env._(
                    "Linked to nonconformity %s, open for the same root cause and product.",
                    nonconformity.ref,
                )
            else:
                complaint.nonconformity_id = self.env["mgmtsystem.nonconformity"].create(
                    complaint._prepare_nonconformity_vals()
                )
                body = self.env._("Nonconformity %s recorded.", complaint.nonconformity_id.ref)
            complaint.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def _find_shared_nonconformity(self):
        self.ensure_one()
        if not (self.root_cause_id and self.product_id):
            return self.env["mgmtsystem.nonconformity"]
        return self.search(
            [
                ("id", "!=", self.id),
                ("root_cause_id", "=", self.root_cause_id.id),
                ("product_id", "=", self.product_id.id),
                ("nonconformity_id.state", "not in", ("done", "cancel")),
                ("company_id", "=", self.company_id.id),
            ],
            limit=1,
        ).nonconformity_id

    def _prepare_nonconformity_vals(self):
        self.ensure_one()
        origin = self.env.ref("mgmtsystem_nonconformity.nc_origin_external_client")
        manager = self.company_id.complaint_manager_id or self.env.user
        return {
            "name": self.env._("%(code)s: %(subject)s", code=self.name, subject=self.subject),
            "partner_id": self.partner_id.id,
            "responsible_user_id": (self.team_id.head_id or self.env.user).id,
            "manager_user_id": manager.id,
            "user_id": self.env.user.id,
            "origin_ids": [fields.Command.set(origin.ids)],
            "description": "\n".join(
                filter(
                    None,
                    [
                        self.env._("Product: %s", self.product_id.display_name)
                        if self.product_id
                        else "",
                        self.env._("Root cause: %s", self.root_cause_id.name)
                        if self.root_cause_id
                        else "",
                        html2plaintext(self.description or "") or self.subject,
                    ],
                )
            ),
            "analysis": html2plaintext(self.root_cause_analysis or "") or False,
            "action_ids": [fields.Command.set(self.action_ids.ids)],
            "complaint_ids": [fields.Command.set(self.ids)],
            "company_id": self.company_id.id,
        }

    def action_new_corrective_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Corrective Action"),
            "res_model": "mgmtsystem.action",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_name": self.env._("Corrective action for %s", self.name),
                "default_type_action": "correction",
                "default_complaint_ids": [fields.Command.set(self.ids)],
                "default_reference": self.name,
            },
        }

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mgmtsystem_action.open_mgmtsystem_action_list"
        )
        action["domain"] = [("id", "in", self.action_ids.ids)]
        action["context"] = {
            "default_complaint_ids": [fields.Command.set(self.ids)],
            "default_type_action": "correction",
            "default_reference": self.name,
        }
        return action
