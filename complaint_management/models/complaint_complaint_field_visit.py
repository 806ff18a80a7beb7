from datetime import timedelta

from odoo import fields, models
from odoo.fields import Command
from odoo.tools import plaintext2html

from .complaint_complaint import EMPLOYEES

# A field visit's length when it is planned: the visit and the talk with the
# customer; the CFT changes it on the event.
FIELD_VISIT_HOURS = 2.0


class ComplaintComplaint(models.Model):
    """Field visits: the CFT meets the customer where the product is. Each
    visit is an event of Odoo's calendar, with the customer and the team as
    attendees, linked to the complaint; what the visits found is recorded on
    the complaint."""

    _inherit = "complaint.complaint"

    visit_findings = fields.Html(
        help="What the field visits found at the customer's: the product on site, how it "
        "is installed and used, what the customer showed.",
        groups=EMPLOYEES,
    )
    visit_count = fields.Integer(
        string="Field Visits", compute="_compute_visit_count", groups=EMPLOYEES
    )

    def _compute_visit_count(self):
        counts = dict(
            self.env["calendar.event"]._read_group(
                self._field_visit_domain(), ["res_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.visit_count = counts.get(complaint.id, 0)

    def _field_visit_domain(self):
        return [
            ("res_model", "=", self._name),
            ("res_id", "in", self.ids),
            ("categ_ids", "in", self._field_visit_tag().ids),
        ]

    def _field_visit_tag(self):
        return self.env.ref("complaint_management.calendar_event_type_field_visit")

    def _field_visit_context(self):
        """The new event's values: named with the complaint's code, the
        customer and the CFT (head and members) as attendees, organised by
        whoever plans it (Odoo's calendar lets only the organiser set the time
        of a new event), at the customer's address, for FIELD_VISIT_HOURS;
        linked to the complaint, with the step's field-visit to-do, which
        follows the event's day and organiser."""
        self.ensure_one()
        team = self.sudo().team_id
        organizer = self.env.user
        attendees = (
            self.partner_id | (team.head_id | team.member_ids).partner_id | organizer.partner_id
        )
        address = self.partner_id._display_address(without_company=True) if self.partner_id else ""
        model_id = self.env["ir.model"]._get_id(self._name)
        start = self.env["calendar.event"]._default_start()
        return {
            "default_name": self.env._("Field Visit: %s", self.name),
            "default_description": plaintext2html(self.subject or ""),
            "default_res_model_id": model_id,
            "default_res_id": self.id,
            "default_partner_ids": attendees.ids,
            "default_user_id": organizer.id,
            "default_start": fields.Datetime.to_string(start),
            "default_stop": fields.Datetime.to_string(start + timedelta(hours=FIELD_VISIT_HOURS)),
            "default_duration": FIELD_VISIT_HOURS,
            "default_location": ", ".join(
                line.strip() for line in address.splitlines() if line.strip()
            ),
            "default_categ_ids": self._field_visit_tag().ids,
            # Instead of calendar's generic "Meeting" to-do: the step's own,
            # marked done when the investigation ends.
            "default_activity_ids": [
                Command.create(
                    {
                        "res_model_id": model_id,
                        "res_id": self.id,
                        "activity_type_id": self.env.ref(
                            "complaint_management.mail_activity_type_field_visit"
                        ).id,
                        "user_id": organizer.id,
                    }
                )
            ],
        }

    def action_plan_field_visit(self):
        """The complaint's CFT (or an officer) plans a visit to the customer:
        the calendar event's form, filled in."""
        self.ensure_one()
        # Who may record what the visit finds may plan it.
        self._check_write_role({"visit_findings": True})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan a Field Visit"),
            "res_model": "calendar.event",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": self._field_visit_context(),
        }

    def action_view_field_visits(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Field Visits"),
            "res_model": "calendar.event",
            "view_mode": "list,calendar,form",
            "domain": self._field_visit_domain(),
            "context": self._field_visit_context(),
        }
