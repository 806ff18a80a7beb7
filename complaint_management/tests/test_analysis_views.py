from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.complaint_deadline_rule import DEADLINE_STEPS
from .common import ComplaintCommon


class AnalysisCommon(ComplaintCommon):
    def _complaints(self):
        """A closed complaint (survey 5 and 4), one reopened by an unsatisfied
        survey (2 and 3, round 2) and a new one, without a survey."""
        closed = self._advance(self._new(subject="Closed drum complaint"), "closed")
        reopened = self._advance(self._new(subject="Reopened drum complaint"), "survey")
        self._survey(reopened, False)
        new = self._new(subject="New drum complaint")
        self.assertEqual((closed.round, reopened.round, new.round), (1, 2, 1))
        return closed, reopened, new


@tagged("post_install", "-at_install")
class TestAnalysisViews(AnalysisCommon):
    def _arch(self, model, view_type, user=None):
        views = self.env[model].with_user(user or self.user_manager).get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_pivot_measures_averages_not_sums(self):
        pivot = self._arch("complaint.complaint", "pivot")
        measures = [f.get("name") for f in pivot.iter("field") if f.get("type") == "measure"]
        self.assertEqual(pivot.get("display_quantity"), "1", "the count comes first")
        self.assertEqual(
            measures,
            [
                "ack_hours",
                "response_hours",
                "close_hours",
                "satisfaction_result",
                "satisfaction_process",
            ],
        )
        self.assertFalse(
            [f for f in pivot.iter("field") if f.get("type") == "col"],
            "no column grouping by default: one column per measure",
        )
        closed, reopened, new = self._complaints()
        Complaint = self.Complaint.with_user(self.user_manager)
        # Rounds, where a user adds them to the pivot: an average, never a sum.
        self.assertEqual(
            Complaint.fields_get(["round"], ["aggregator"])["round"]["aggregator"], "avg"
        )
        domain = [("id", "in", (closed | reopened | new).ids)]
        (group,) = Complaint.read_group(domain, ["round"], [], lazy=False)
        self.assertAlmostEqual(group["round"], 4 / 3, places=2)

    def test_complaint_without_survey_does_not_lower_satisfaction(self):
        closed, reopened, new = self._complaints()
        self.assertFalse(new.survey_ids)
        Complaint = self.Complaint.with_user(self.user_manager)
        domain = [("id", "in", (closed | reopened | new).ids)]
        # As the pivot asks for its measures: the average of the surveyed ones.
        (group,) = Complaint.read_group(
            domain,
            ["satisfaction_result:avg", "satisfaction_process:avg", "close_hours:avg"],
            [],
            lazy=False,
        )
        self.assertEqual(group["__count"], 3)
        self.assertEqual(group["satisfaction_result"], (5 + 2) / 2)
        self.assertEqual(group["satisfaction_process"], (4 + 3) / 2)
        # Grouped by score, the complaint without a survey has none.
        groups = Complaint.read_group(domain, [], ["satisfaction_result"], lazy=False)
        self.assertEqual(
            {g["satisfaction_result"]: g["__count"] for g in groups}, {5: 1, 2: 1, False: 1}
        )
        self.assertEqual(Complaint.search([*domain, ("satisfaction_result", "=", False)]), new)

    def test_step_timeliness_in_process_order(self):
        closed = self._complaints()[0]
        Log = self.env["complaint.step.log"].with_user(self.user_manager)
        domain = [
            ("complaint_id", "=", closed.id),
            ("date_end", "!=", False),
            ("deadline_step", "!=", False),
        ]
        # As the pivot and the graph of Step Timeliness ask for their rows.
        groups = Log.read_group(domain, ["on_time:avg"], ["deadline_step"], lazy=False)
        shown = [g["deadline_step"] for g in groups]
        process = [step for step, _label in DEADLINE_STEPS if step in shown]
        self.assertGreaterEqual(len(shown), 5)
        self.assertNotEqual(process, sorted(process), "the alphabet would not do")
        self.assertEqual(shown, process)
        # The management review lists them in the same order.
        today = fields.Date.context_today(self.env.user)
        wizard = self.env["complaint.period.report"].create(
            {"date_from": today - timedelta(days=1), "date_to": today + timedelta(days=1)}
        )
        values = self.env["report.complaint_management.report_complaint_period"]._get_report_values(
            wizard.ids
        )
        labels = dict(DEADLINE_STEPS)
        listed = [row[0] for row in values["timeliness"]]
        self.assertEqual(
            listed, [labels[step] for step, _label in DEADLINE_STEPS if labels[step] in listed]
        )

    def test_list_shows_what_an_officer_scans(self):
        columns = self._arch("complaint.complaint", "list", self.user_officer).iter("field")
        shown = [
            c.get("name")
            for c in columns
            if c.get("optional") != "hide" and c.get("column_invisible") not in ("True", "1")
        ]
        self.assertEqual(
            shown,
            [
                "name",
                "subject",
                "partner_id",
                "stage_id",
                "step_deadline",
                "user_id",
                "activity_ids",
            ],
        )

    def test_form_description_before_the_fields(self):
        form = self._arch("complaint.complaint", "form", self.user_officer)
        sheet = form.find("sheet")
        order = [node.get("name") for node in sheet.iter("field")]
        self.assertIsNotNone(sheet.find("field[@name='description']"), "in the sheet, not a tab")
        description = order.index("description")
        self.assertLess(description, order.index("partner_id"))
        self.assertLess(description, order.index("step_deadline"))
        # Deadlines in one group, the current step's.
        step_group = sheet.find(".//group[@name='current_step']")
        self.assertEqual(
            [f.get("name") for f in step_group.iter("field") if "deadline" in f.get("name")],
            ["step_deadline", "date_deadline"],
        )

    def test_holidays_from_the_configuration_move_deadlines(self):
        menu = self.env.ref("complaint_management.complaint_menu_config_holidays")
        path = self.env["ir.ui.menu"].browse(int(i) for i in menu.parent_path.split("/") if i)

        def reachable(user):
            """The menu and all its parents are shown to ``user``."""
            return set(path.ids) <= set(path.with_user(user)._visible_menu_ids())

        self.assertTrue(reachable(self.user_manager))
        self.assertFalse(reachable(self.user_officer))
        action = (
            self.env["ir.actions.actions"]
            .with_user(self.user_manager)
            ._for_xml_id("complaint_management.resource_calendar_leaves_action_complaint")
        )
        calendar = self.env.ref("complaint_management.resource_calendar_complaints")
        Leave = (
            self.env["resource.calendar.leaves"]
            .with_user(self.user_manager)
            .with_context(**safe_eval(action["context"]))
        )
        domain = safe_eval(action["domain"])
        views = Leave.get_views([(action["view_id"][0], "list")])
        self.assertIn('editable="bottom"', views["views"]["list"]["arch"])
        self.assertIn(
            "نوروز",
            " ".join(Leave.search(domain).mapped("name")),
            "Iran's holidays, loaded at the installation",
        )
        # Sunday 29 November 2026, 09:00 in Tehran: acknowledgement due at 13:00.
        with freeze_time("2026-11-29 05:30:00"):
            before = self._new()
            # The manager makes the day a holiday (00:00 to 23:59 in Tehran), as the list does.
            holiday = Leave.create(
                {
                    "name": "Day of mourning",
                    "date_from": datetime(2026, 11, 28, 20, 30),
                    "date_to": datetime(2026, 11, 29, 20, 29, 59),
                }
            )
            after = self._new()
        self.assertEqual(holiday.calendar_id, calendar)
        self.assertIn(holiday, Leave.search(domain))
        self.assertEqual(before.step_deadline, datetime(2026, 11, 29, 9, 30))
        # Monday 30 November, 08:00 + 4 working hours: 12:00 in Tehran.
        self.assertEqual(after.step_deadline, datetime(2026, 11, 30, 8, 30))
        holiday.write({"name": "Day of national mourning"})
        # Only the complaints managers, and only this calendar's holidays.
        with self.assertRaises(AccessError):
            self.env["resource.calendar.leaves"].with_user(self.user_officer).create(
                {"name": "Officer's holiday", "calendar_id": calendar.id, **self._day()}
            )
        with self.assertRaises(AccessError):
            self.env["resource.calendar.leaves"].with_user(self.user_manager).create(
                {
                    "name": "Another calendar's holiday",
                    "calendar_id": self.env.ref("resource.resource_calendar_std").id,
                    **self._day(),
                }
            )
        holiday.unlink()

    def _day(self):
        return {
            "date_from": datetime(2026, 12, 1, 20, 30),
            "date_to": datetime(2026, 12, 2, 20, 29),
        }


@tagged("post_install", "-at_install")
class TestAnalysisScreens(AnalysisCommon, HttpCase):
    """The screens in Chromium, as wide as a 1280 px laptop and as a phone."""

    browser_size = "1280x800"

    action = "/odoo/action-complaint_management.complaint_complaint_action"

    def test_pivot_fits_a_laptop(self):
        self._complaints()
        self.start_tour(
            "/odoo/action-complaint_management.complaint_complaint_action_analysis?view_type=pivot",
            "complaint_analysis_pivot_fits",
            login=self.user_manager.login,
        )

    def test_list_on_a_laptop(self):
        self._new()
        self._new(partner_id=self.customer.id)
        self.start_tour(
            f"{self.action}?view_type=list", "complaint_list_columns", login=self.user_officer.login
        )

    def test_form_on_a_laptop(self):
        complaint = self._new(partner_id=self.customer.id)
        self.start_tour(
            f"{self.action}/{complaint.id}", "complaint_form_layout", login=self.user_officer.login
        )

    def test_form_on_a_phone(self):
        self.browser_size = "390x844"
        complaint = self._new(
            partner_id=self.customer.id,
            description="<p>The seal of the delivered pump leaks after a week.</p>",
        )
        self.start_tour(
            f"{self.action}/{complaint.id}",
            "complaint_form_phone",
            login=self.user_officer.login,
        )
