import re

from odoo.tests import tagged

from .common import ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestTracking(ComplaintHttpCommon):
    def _track(self, code, contact):
        return self._post(
            "/complaint/track", {"code": code, "contact": contact}, csrf_url="/complaint/track"
        )

    def test_right_pair_shows_the_step_only(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        for contact in ("09121112299", "+98 912 111 2299", "Sara.Portal@example.ir"):
            response = self._track(complaint.name.lower(), contact)
            self.assertEqual(response.status_code, 200, contact)
            self.assertIn("Waiting for your decision", response.text)
            self.assertIn("Your decision on the response we propose.", response.text)
            self.assertNotIn(complaint.subject, response.text)
            self.assertNotIn("Replace the drum bearing", response.text)

    def test_wrong_pairs_get_one_answer(self):
        complaint = self._new(partner_id=self.customer.id)
        other = self._new(partner_id=self.other_customer.id)
        answers = [
            self._track(complaint.name, "09127778899"),  # someone else's phone
            self._track(other.name, "09121112299"),  # someone else's code
            self._track("CMP-1999-99999", "09121112299"),  # no such code
            self._track(complaint.name, "not a phone"),
        ]
        for response in answers:
            self.assertEqual(response.status_code, 404)
            self.assertIn("We found no complaint with this tracking code", response.text)
            self.assertNotIn(complaint.subject, response.text)
        # Without the form values and the CSRF tokens (their time changes by the second).
        texts = [re.sub(r'value="[^"]*"|[0-9a-f]{40}o[0-9]+', "", r.text) for r in answers]
        for text in texts[1:]:
            # A string comparison: a failure shows what differs.
            self.assertEqual(text, texts[0], "no way to tell which half was wrong")

    def test_lookups_are_throttled(self):
        self._set_params(track_limit=3, track_period=600)
        complaint = self._new(partner_id=self.customer.id)
        for _attempt in range(3):
            self._track(complaint.name, "09120000000")
        response = self._track(complaint.name, "09121112299")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("Waiting", response.text)
