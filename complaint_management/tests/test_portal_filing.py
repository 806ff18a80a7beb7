import re

from odoo.tests import tagged

from .common import ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestPortalFiling(ComplaintHttpCommon):
    """Who a complaint filed on the public pages belongs to: a logged-in
    customer's is theirs; a visitor's or an employee's gets a contact of its
    own; the kiosk on the company's premises records the in-person channel."""

    def _my_complaints(self):
        page = self.url_open("/my/complaints")
        self.assertEqual(page.status_code, 200)
        return page.text

    def test_portal_user_files_on_the_form_and_finds_it_in_their_list(self):
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        form = self.url_open("/complaint")
        # The form knows them: their details filled in, and where it will be listed.
        self.assertIn("o_complaint_portal_filer", form.text)
        self.assertIn(f'value="{self.customer.name}"', form.text)
        self.assertIn('value="sara.portal@example.ir"', form.text)
        self.assertIn('href="/my/complaints"', form.text)
        before = self._last_complaint()
        response = self._post(
            "/complaint/submit",
            self._form(
                name=self.customer.name,
                phone="0912 111 2299",
                email=None,
                description="The lid of my kettle cracked on the first day.",
            ),
        )
        self.assertEqual(response.status_code, 200, response.text[:1000])
        complaint = self._last_complaint()
        self.assertNotEqual(complaint, before)
        self.assertIn(complaint.name, response.text)
        # Theirs: their own contact, not a new one, on the customer portal's channel.
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.channel_id.channel_type, "portal")
        self.assertFalse(complaint.reported_by_id)
        self.assertFalse(
            complaint.message_ids.filtered(lambda m: "To check before linking" in (m.body or "")),
            "nothing for the staff to check: the customer is known",
        )
        # Listed in their complaints, and readable there.
        self.assertIn(complaint.name, self._my_complaints())
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("The lid of my kettle cracked", page.text)
        # They gave no email on the form: the acknowledgement goes to their account's.
        self._run_intake_job()
        self.assertEqual((complaint.step, complaint.ack_method), ("acknowledged", "email"))
        ack = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)])
        )
        self.assertIn(self.customer, ack.recipient_ids)

    def test_portal_user_files_through_the_api(self):
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        response = self._api(
            {
                "name": "Sara",
                "phone": "0912 111 2299",
                "description": "The mixer bowl leaks from the bottom seal.",
                "consent": True,
            }
        )
        self.assertEqual(response.status_code, 201, response.text)
        code = response.json()["tracking_code"]
        complaint = self.Complaint.sudo().search([("name", "=", code)])
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.email, "sara.portal@example.ir")
        self.assertIn(code, self._my_complaints())

    def test_visitor_and_employee_filings_keep_a_contact_of_their_own(self):
        # An employee on the public form files for a customer (today's rule):
        # a contact of its own, on the website channel, matches noted.
        self.authenticate("cm_employee", "cm_employee")
        form = self.url_open("/complaint")
        self.assertNotIn("o_complaint_portal_filer", form.text)
        self.assertNotIn('name="channel"', form.text, "not the kiosk without its link")
        response = self._post(
            "/complaint/submit", self._form(phone="0912 111 2299", email="sara.portal@example.ir")
        )
        self.assertEqual(response.status_code, 200, response.text[:1000])
        by_employee = self._last_complaint()
        self._run_intake_job()
        self.assertTrue(by_employee.partner_id)
        self.assertNotIn(by_employee.partner_id, self.customer | self.user_employee.partner_id)
        self.assertEqual(by_employee.channel_id, self.website_channel)
        note = by_employee.message_ids.filtered(lambda m: "To check before linking" in m.body)
        self.assertIn(self.customer.name, note.body)
        # A visitor without an account: the same.
        self.authenticate(None, None)
        self._post("/complaint/submit", self._form(phone="0912 111 2299"))
        by_visitor = self._last_complaint()
        self._run_intake_job()
        self.assertNotEqual(by_visitor, by_employee)
        self.assertTrue(by_visitor.partner_id)
        self.assertNotEqual(by_visitor.partner_id, self.customer)
        self.assertEqual(by_visitor.channel_id, self.website_channel)
        # Neither is in Sara's list.
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        mine = self._my_complaints()
        self.assertNotIn(by_employee.name, mine)
        self.assertNotIn(by_visitor.name, mine)

    def test_in_person_kiosk(self):
        """The kiosk link in an employee's session records the in-person
        channel, for every customer at the counter (no limit per address)."""
        self._set_params(submit_limit=1, submit_period=3600)
        self.authenticate("cm_employee", "cm_employee")
        form = self.url_open("/complaint?channel=in_person")
        self.assertIn("o_complaint_in_person", form.text)
        self.assertIn('name="channel" value="in_person"', form.text)
        codes = []
        for phone in ("0912 444 0001", "0912 444 0002"):
            response = self._post(
                "/complaint/submit",
                self._form(phone=phone, channel="in_person"),
                csrf_url="/complaint?channel=in_person",
            )
            self.assertEqual(response.status_code, 200, response.text[:1000])
            codes.append(re.search(r"CMP-\d{4}-\d{5}", response.text).group(0))
        complaints = self.Complaint.sudo().search([("name", "in", codes)])
        self._run_intake_job()
        self.assertEqual(complaints.channel_id.mapped("channel_type"), ["in_person"])
        self.assertEqual(len(complaints.partner_id), 2, "a contact for each customer")
        # A form with errors stays the kiosk's.
        response = self._post(
            "/complaint/submit", self._form(phone="12", channel="in_person"), csrf_url="/complaint"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn('name="channel" value="in_person"', response.text)
        # Anyone else asking for it gets the ordinary form and channel.
        self.authenticate(None, None)
        form = self.url_open("/complaint?channel=in_person")
        self.assertNotIn("o_complaint_in_person", form.text)
        self.assertNotIn('name="channel"', form.text)
        self._post("/complaint/submit", self._form(channel="in_person"))
        self.assertEqual(self._last_complaint().channel_id, self.website_channel)
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        self._set_params(submit_limit=5)
        self._post("/complaint/submit", self._form(channel="in_person"))
        self.assertEqual(self._last_complaint().channel_id.channel_type, "portal")
