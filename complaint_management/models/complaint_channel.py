from datetime import timedelta

import pytz

from odoo import api, fields, models

CHANNEL_TYPES = [
    ("phone", "Phone"),
    ("website", "Website"),
    ("in_person", "In person"),
    ("email", "Email"),
    ("sms", "SMS"),
    ("portal", "Customer portal"),
    ("internal", "Reported by an employee"),
]


class ComplaintChannel(models.Model):
    """A way complaints come in, with the hours it is answered.

    The email channel carries the mail alias (``complaints@``): every email sent to
    it becomes a complaint of this channel, in this channel's company.
    """

    _name = "complaint.channel"
    _description = "Complaint Channel"
    _inherit = ["mail.alias.mixin.optional"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    channel_type = fields.Selection(CHANNEL_TYPES, required=True, default="phone")
    contact = fields.Char(help="Phone number, address or page customers use on this channel.")
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Answering Hours",
        default=lambda self: self.env.ref(
            "complaint_management.resource_calendar_complaints", raise_if_not_found=False
        ),
        help="When complaints on this channel are answered. Registration may be open "
        "around the clock (website), answers come within these hours.",
    )
    always_open = fields.Boolean(
        string="Registration 24/7", help="Customers can register complaints at any time."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    active = fields.Boolean(default=True)

    @api.model
    def _get_by_type(self, channel_type):
        return self.search([("channel_type", "=", channel_type)], limit=1)

    def _next_answering_time(self, now=None):
        """When this channel is next answered: ``False`` while it is answered now,
        otherwise the start of its next working period (a UTC-aware datetime)."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return False
        now = (now or fields.Datetime.now()).replace(tzinfo=pytz.utc)
        intervals = calendar._work_intervals_batch(now, now + timedelta(days=15))[False]
        for start, stop, _attendance in intervals:
            if stop > now:
                return False if start <= now else start.astimezone(pytz.utc)
        return False

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("complaint.complaint").id
        if self.id:
            values["alias_defaults"] = repr(
                {"channel_id": self.id, "company_id": (self.company_id or self.env.company).id}
            )
        return values
