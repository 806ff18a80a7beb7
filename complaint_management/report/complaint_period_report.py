from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintPeriodReportWizard(models.TransientModel):
    _name = "complaint.period.report"
    _description = "Complaint Management Review Report"

    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=90)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period ends before it starts."))

    def action_print(self):
        return self.env.ref("complaint_management.action_report_complaint_period").report_action(
            self
        )


class ComplaintPeriodReport(models.AbstractModel):
    """ISO 10002 clause 9 (management review): volumes, trends, top root
    causes, timeliness, satisfaction and open corrective actions of a period."""

    _name = "report.complaint_management.report_complaint_period"
    _description = "Complaint Management Review"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizard = self.env["complaint.period.report"].browse(docids)[:1]
        start = datetime.combine(wizard.date_from, time.min)
        stop = datetime.combine(wizard.date_to + timedelta(days=1), time.min)
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        domain = [("date_received", ">=", start), ("date_received", "<", stop)]
        total = Complaint.search_count(domain)

        def counts(groupby, limit=None):
            rows = Complaint._read_group(domain, [groupby], ["__count"], order="__count desc")
            rows = rows[:limit] if limit else rows
            return [(group.display_name if group else "-", count) for group, count in rows]

        closed_domain = [*domain, ("step", "=", "closed")]
        averages = Complaint._read_group(
            closed_domain,
            [],
            [
                "__count",
                "satisfaction_result:avg",
                "satisfaction_process:avg",
                "close_hours:avg",
                "ack_hours:avg",
            ],
        )[0]
        reopened = Complaint.search_count([*domain, ("is_reopened", "=", True)])
        months = Complaint._read_group(domain, ["date_received:month"], ["__count"])
        logs = self.env["complaint.step.log"]._read_group(
            [
                ("complaint_id.date_received", ">=", start),
                ("complaint_id.date_received", "<", stop),
                ("date_end", "!=", False),
                # The timed steps: not the closing moves of the audit trail.
                ("deadline_step", "!=", False),
            ],
            ["deadline_step"],
            ["on_time:avg", "working_hours:avg", "__count"],
        )
        step_labels = dict(
            self.env["complaint.step.log"]._fields["deadline_step"]._description_selection(self.env)
        )
        actions = Complaint.search(domain).action_ids
        today = fields.Date.context_today(self)
        open_actions = actions.filtered(lambda a: not a.date_closed)
        return {
            "doc_ids": docids,
            "doc_model": "complaint.period.report",
            "docs": wizard,
            "total": total,
            "closed": averages[0],
            "satisfaction_result": averages[1] or 0.0,
            "satisfaction_process": averages[2] or 0.0,
            "close_hours": averages[3] or 0.0,
            "ack_hours": averages[4] or 0.0,
            "reopened": reopened,
            "by_channel": counts("channel_id"),
            "by_category": counts("category_id"),
            "top_root_causes": counts("root_cause_id", limit=5),
            "by_month": [
                (month.strftime("%Y-%m") if month else "-", count) for month, count in months
            ],
            "timeliness": [
                (step_labels.get(step, step or "-"), on_time or 0.0, hours or 0.0, count)
                for step, on_time, hours, count in logs
            ],
            "open_actions": open_actions,
            "overdue_actions": open_actions.filtered(
                lambda a: a.date_deadline and a.date_deadline < today
            ),
            "period": (
                Complaint._report_date(wizard.date_from),
                Complaint._report_date(wizard.date_to),
            ),
        }
