from odoo import api, fields, models


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


class ComplaintDocumentMixin(models.AbstractModel):
    """Documents made to carry out a complaint's response (credit note,
    replacement order, return, repair, gift card): the complaint they were
    made for, which their users open from them when they may read it, and
    whose code they see otherwise.

    The complaint comes from the response lines that the document carries out
    (the One2many named by ``_complaint_lines_field``) and stays once set: a
    cancelled credit note still names the complaint it was made for."""

    _name = "complaint.document.mixin"
    _description = "Document carrying out a complaint response"
    # The One2many of complaint.resolution lines that the document carries out.
    _complaint_lines_field = None

    complaint_id = fields.Many2one(
        "complaint.complaint",
        compute="_compute_complaint_id",
        store=True,
        index="btree_not_null",
        help="The complaint whose response this document carries out.",
    )
    # A related field reads as superuser: users of the document's app who may
    # not read complaints see the code, nothing more.
    complaint_code = fields.Char(related="complaint_id.name", string="Complaint Code")
    complaint_readable = fields.Boolean(compute="_compute_complaint_readable")

    @api.depends(
        lambda self: (
            [f"{self._complaint_lines_field}.complaint_id"] if self._complaint_lines_field else []
        )
    )
    def _compute_complaint_id(self):
        for record in self:
            complaint = record[self._complaint_lines_field].complaint_id[:1]
            if complaint:  # kept once set
                record.complaint_id = complaint

    @api.depends("complaint_id")
    @api.depends_context("uid")
    def _compute_complaint_readable(self):
        readable = self.complaint_id._filtered_access("read")
        for record in self:
            record.complaint_readable = bool(record.complaint_id) and (
                record.complaint_id in readable
            )

    def action_open_complaint(self):
        """The complaint's form, for a user who may read it."""
        complaint = self.ensure_one().complaint_id
        complaint.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.complaint",
            "res_id": complaint.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
