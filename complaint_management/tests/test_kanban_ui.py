from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestKanbanLateness(ComplaintCommon, HttpCase):
    """On the kanban, in Chromium, an officer sees at a glance which complaint
    is late at its step and which one waits for the customer."""

    def test_late_card_is_red_and_the_customers_turn_is_said(self):
        late = self._new(subject="Late drum complaint")
        on_time = self._new(subject="On time drum complaint")
        waiting = self._advance(self._new(subject="Waiting drum complaint"), "awaiting_approval")
        now = fields.Datetime.now()
        late._procedure_write({"step_deadline": now - timedelta(hours=3)})
        on_time._procedure_write({"step_deadline": now + timedelta(days=2)})
        self.assertEqual(waiting.next_actor, "customer")
        self.assertEqual(late.next_actor, "company")
        action = "/odoo/action-complaint_management.complaint_complaint_action"
        card = (
            "[...document.querySelectorAll('.o_kanban_record')]"
            ".find(c => c.innerText.includes('%s'))"
        )
        self.browser_js(
            action,
            f"""
            const late = {card % "Late drum complaint"};
            const onTime = {card % "On time drum complaint"};
            const waiting = {card % "Waiting drum complaint"};
            if (!late.querySelector('[name=step_deadline].o_complaint_late.text-danger')) {{
                throw new Error('the late card is not red');
            }}
            if (onTime.querySelector('.o_complaint_late')) {{
                throw new Error('the card on time is red');
            }}
            if (!waiting.querySelector('[name=next_actor]')
                || !waiting.innerText.includes('Waiting for the customer')) {{
                throw new Error('the card waiting for the customer does not say so');
            }}
            if (late.querySelector('[name=next_actor]')) {{
                throw new Error('a card of ours says it waits for the customer');
            }}
            console.log('test successful');
            """,
            ready="document.body.innerText.includes('Waiting drum complaint')",
            login=self.user_officer.login,
        )
        # One click away: the search's "Late Step" filter finds the late one only.
        late_domain = [("step_late", "=", True), ("is_closed", "=", False)]
        self.assertIn(late, self.Complaint.search(late_domain))
        self.assertNotIn(on_time, self.Complaint.search(late_domain))
