from odoo import fields, models


class ComplaintLinkMixin(models.AbstractModel):
    """Records that complaints can be about (orders, invoices, deliveries, lots,
    products): a count of those complaints and a button that lists them."""

    _name = "complaint.link.mixin"
    _description = "Complaints about a record"
    # The complaint field that points at records of the inheriting model.
    _complaint_link_field = None

    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="complaint_management.group_complaint_reporter",
    )

    def _complaint_domain(self):
        return [(self._complaint_link_field, "in", self.ids)]

    def _complaint_key(self, complaint_group):
        return complaint_group

    def _compute_complaint_count(self):
        groups = self.env["complaint.complaint"]._read_group(
            self._complaint_domain(), [self._complaint_link_field], ["__count"]
        )
        counts = {}
        for record, count in groups:
            key = self._complaint_key(record)
            counts[key] = counts.get(key, 0) + count
        for record in self:
            record.complaint_count = counts.get(record, 0)

    def _complaint_report_defaults(self):
        """The ``default_*`` values of a complaint reported from this record
        ("Report a Complaint" in its Action menu); False where complaints are
        not reported from such records."""
        return False

    def _complaint_document_defaults(self, **documents):
        """Report defaults from a business document: its company and customer,
        and the given documents (complaint field: record)."""
        self.ensure_one()
        return {
            "default_company_id": self.company_id.id,
            "default_partner_id": self.partner_id.id,
            **{f"default_{fname}": record.id for fname, record in documents.items()},
        }

    def action_view_complaints(self):
        return self.env["complaint.complaint"]._action_open_complaints(
            self.ensure_one()._complaint_domain()
        )
