from odoo import api, fields, models
from odoo.tools import format_amount, get_lang


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

    @api.depends("sequence_number", "complaint_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """How a response line or a list names it: "Proposal 2 — CMP-2026-00001"."""
        for approval in self:
            approval.display_name = self.env._(
                "Proposal %(number)s — %(code)s",
                number=approval.sequence_number,
                code=approval.complaint_id.name or "",
            )

    @api.depends(
        "resolution_ids.resolution_type",
        "resolution_ids.description",
        "resolution_ids.amount",
        "resolution_ids.currency_id",
    )
    @api.depends_context("lang")
    def _compute_summary(self):
        """One line per response, in the reader's language: the customer's in
        the approval email, the user's on the form. Amounts are money in the
        company's currency ("1,450,000.00 ﷼"), never a bare float. A language
        that is not installed reads as Odoo's default one."""
        env = self.with_context(lang=get_lang(self.env).code).env
        types = dict(
            self.env["complaint.resolution"]._fields["resolution_type"]._description_selection(env)
        )
        for approval in self:
            approval.summary = "\n".join(
                ": ".join(filter(None, (types.get(line.resolution_type), line.description)))
                + (f" ({format_amount(env, line.amount, line.currency_id)})" if line.amount else "")
                for line in approval.with_env(env).resolution_ids
            )
