from odoo import fields, models

from .complaint_complaint import SEVERITIES


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_manager_id = fields.Many2one(
        "res.users",
        string="Customer Relations & After-Sales Manager",
        domain=[("share", "=", False)],
        help="Told at once of every new complaint and owner of new complaints by default.",
    )

    complaint_compensation_account_id = fields.Many2one(
        "account.account",
        string="Compensation Expense Account",
        domain=[("account_type", "in", ("expense", "expense_direct_cost"))],
        help="Compensation paid to complaining customers is booked on this account.",
    )
    complaint_finance_user_id = fields.Many2one(
        "res.users",
        string="Finance User",
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("account.group_account_invoice").ids),
        ],
        help="Given a to-do on every credit note that a complaint prepares (refund, "
        "compensation): finance posts it and pays it back. Left empty, the credit note "
        "carries a note only and the complaint tells the officer to inform finance.",
    )
    complaint_gift_program_id = fields.Many2one(
        "loyalty.program",
        domain=[("program_type", "in", ("gift_card", "coupons"))],
        help="Gift cards or coupons given with an apology are issued from this program. "
        "Left empty, a gift card program is created the first time one is needed.",
    )
    complaint_satisfaction_threshold = fields.Integer(
        string="Fully Satisfied from Score",
        default=4,
        help="A survey counts as fully satisfied only when both scores (result and "
        "process, out of 5) reach this score.",
    )
    complaint_survey_phone_confirm = fields.Boolean(
        string="Confirm Surveys by Phone",
        default=True,
        help="The procedure's final survey is a phone call: a customer's answer on the "
        "portal closes the complaint only once the officer records the call.",
    )

    complaint_capa_min_severity = fields.Selection(
        SEVERITIES,
        string="Corrective Action Required from Severity",
        default="2",
        help="A complaint of this severity or higher needs a nonconformity with a corrective "
        "action (the internal response) before its response is proposed to the customer. "
        "Left empty, the severity alone never requires one.",
    )
    complaint_capa_on_nonconformity = fields.Boolean(
        string="Corrective Action for Nonconformities",
        default=True,
        help="A complaint whose root cause is a product or process nonconformity needs a "
        "nonconformity with a corrective action (the internal response) before its response "
        "is proposed to the customer.",
    )

    _sql_constraints = [
        (
            "complaint_satisfaction_threshold_range",
            "CHECK (complaint_satisfaction_threshold BETWEEN 1 AND 5)",
            "The fully satisfied score is between 1 and 5.",
        ),
    ]

    def _complaint_gift_program(self):
        self.ensure_one()
        if not self.complaint_gift_program_id:
            Program = self.env["loyalty.program"].sudo().with_company(self)
            values = Program._get_template_values()["gift_card"]
            values.update(name=self.env._("Complaint apology gift cards"), company_id=self.id)
            self.sudo().complaint_gift_program_id = Program.create(values)
        return self.complaint_gift_program_id
