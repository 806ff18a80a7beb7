from odoo import api, fields, models


class ComplaintApproval(models.Model):
    """A proposal of an external response put to the customer, and the answer.

    Every proposal round is kept: a rejection sends the complaint back to
    "response proposed" and the next proposal is a new record."""

    _name = "complaint.approval"
    _inherit = ["complaint.procedure.guard"]
    _description = "Customer Approval of a Proposed Response"
    _order = "complaint_id, id"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    round = fields.Integer(readonly=True, help="Cycle of the complaint this proposal belongs to.")
    sequence_number = fields.Integer(
        string="Proposal", compute="_compute_sequence_number", store=True
    )
    resolution_ids = fields.One2many("complaint.resolution", "approval_id", string="Response")
    summary = fields.Text(compute="_compute_summary")
    date_proposed = fields.Datetime(default=fields.Datetime.now, readonly=True)
    proposed_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    state = fields.Selection(
        [
            ("pending", "Waiting for the customer"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        default="pending",
        required=True,
        readonly=True,
    )
    reason = fields.Text(string="Customer's Reason", readonly=True)
    channel = fields.Selection(
        [("phone", "Phone call"), ("in_person", "In person"), ("portal", "Portal")],
        readonly=True,
    )
    user_id = fields.Many2one("res.users", string="Recorded by", readonly=True)
    date = fields.Datetime(string="Answered on", readonly=True)

    @api.depends("complaint_id.approval_ids")
    def _compute_sequence_number(self):
        for approval in self:
            siblings = approval.complaint_id.approval_ids.sorted("id")
            approval.sequence_number = (
                siblings.ids.index(approval.id) + 1 if approval.id in siblings.ids else 0
            )

    @api.depends("resolution_ids")
    def _compute_summary(self):
        for approval in self:
            approval.summary = "\n".join(
                f"{line.display_name}: {line.description or ''}"
                + (f" ({line.amount:g} {line.currency_id.symbol})" if line.amount else "")
                for line in approval.resolution_ids
            )
