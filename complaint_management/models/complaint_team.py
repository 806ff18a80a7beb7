from odoo import fields, models


class ComplaintTeam(models.Model):
    """Cross-functional team (CFT) that investigates complaints."""

    _name = "complaint.team"
    _description = "Cross-Functional Team"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True)
    head_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="Plans and carries out field visits and customer contacts.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "complaint_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
    )
    quality_user_ids = fields.Many2many(
        "res.users",
        "complaint_team_quality_rel",
        "team_id",
        "user_id",
        string="Quality",
        domain=[("share", "=", False)],
        help="The quality people who own corrective actions.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("team_id", "in", self.ids), ("is_closed", "=", False)], ["team_id"], ["__count"]
            )
        )
        for team in self:
            team.complaint_count = counts.get(team, 0)
