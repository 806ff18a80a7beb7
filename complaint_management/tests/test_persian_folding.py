from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestPersianFolding(ComplaintCommon):
    """Names typed with Arabic yeh and kaf (ي ك) and the Persian ones (ی ک),
    phones with Persian or Latin digits: the same name, the same number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # Typed on an Arabic keyboard, stored in the Persian form.
        cls.kazemi = Partner.create({"name": "علي كاظمي", "mobile": "۰۹۱۲ ۴۴۴ ۵۵۶۶"})
        # Stored before folding existed: the Arabic letters and Persian digits
        # as they were typed; the module's installation or update folds them.
        cls.yekta = Partner.create({"name": "Placeholder", "phone": "0"})
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE res_partner SET name = %s, complete_name = %s, phone = %s WHERE id = %s",
            ["مريم يكتا", "مريم يكتا", "۰۲۱ ۸۸۷۷ ۶۶۵۵", cls.yekta.id],
        )
        cls.yekta.invalidate_recordset()
        cls.folded_at_update = Partner._fold_stored_persian()

    def _found(self, model, text, user=None):
        """What typing ``text`` in the search of ``model``'s list finds."""
        Model = self.env[model].with_user(user or self.user_officer)
        return Model.browse(record_id for record_id, _name in Model.name_search(text, limit=100))

    def test_contacts_are_stored_in_one_form(self):
        self.assertEqual(self.kazemi.name, "علی کاظمی")
        self.assertEqual(self.kazemi.mobile, "0912 444 5566")
        self.kazemi.write({"name": "علي كاظمي زاده", "phone": "٠٢١ ١٢٣٤ ٥٦٧٨"})
        self.assertEqual(self.kazemi.name, "علی کاظمی زاده")
        self.assertEqual(self.kazemi.phone, "021 1234 5678")
        # A contact stored before: folded once by the update, with the names
        # computed from its name.
        self.assertGreaterEqual(self.folded_at_update, 3, "name, complete name, phone")
        self.assertEqual(
            (self.yekta.name, self.yekta.complete_name, self.yekta.phone),
            ("مریم یکتا", "مریم یکتا", "021 8877 6655"),
        )
        self.assertEqual(self.env["res.partner"]._fold_stored_persian(), 0, "done once")

    def test_contact_found_whichever_yeh_and_kaf(self):
        for typed in ("کاظمی", "كاظمي", "علي كا"):
            self.assertIn(self.kazemi, self._found("res.partner", typed), typed)
        # A contact stored with the Arabic letters, found both ways too.
        for typed in ("یکتا", "يكتا", "مريم یک"):
            self.assertIn(self.yekta, self._found("res.partner", typed), typed)
        Partner = self.env["res.partner"]
        ours = self.kazemi | self.yekta
        self.assertEqual(
            Partner.search([("id", "in", ours.ids), ("name", "not ilike", "یكتا")]), self.kazemi
        )
        self.assertEqual(Partner.search([("name", "=ilike", "مریم یکتا")]), self.yekta)
        self.assertNotIn(self.yekta, self._found("res.partner", "یکتاا"))

    def test_other_searches_are_odoos_own(self):
        """Only the value of a search is folded: a search with nothing to fold
        runs Odoo's own SQL, on its indexes, and an exact search stays exact."""
        Partner = self.env["res.partner"]

        def sql(domain):
            query = Partner._search(domain).select()
            return query.code, query.params

        self.assertEqual(sql([("name", "ilike", "يكتا")]), sql([("name", "ilike", "یکتا")]))
        self.assertIn("%یکتا%", sql([("complete_name", "ilike", "يكتا")])[1])
        self.assertIn("%Azure%", sql([("complete_name", "ilike", "Azure")])[1])
        self.assertNotIn("translate", sql([("complete_name", "ilike", "يكتا")])[0])
        self.assertIn("%يكتا%", sql([("email", "ilike", "يكتا")])[1], "not a folded field")
        self.assertEqual(Partner.search([("name", "=", "مريم يكتا")]), self.yekta)
        self.assertEqual(Partner.search([("name", "in", ["مريم يكتا", "x"])]), self.yekta)
        azure = self.env["res.partner"].create({"name": "Azure Interior Folding"})
        self.assertEqual(self._found("res.partner", "Azure Interior Fold"), azure)

    def test_phone_found_whichever_digits(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search([("phone", "ilike", "۸۸۷۷ ۶۶۵۵")]), self.yekta)
        self.assertEqual(Partner.search([("mobile", "ilike", "۴۴۴ ۵۵۶۶")]), self.kazemi)
        # Intake matching: the number as the customer gives it, stored either way.
        self.assertEqual(Partner._find_by_email_or_phone(phone="+982188776655"), self.yekta)
        typed = Partner._normalize_phone("۰۹۱۲ ۴۴۴ ۵۵۶۶")
        self.assertEqual(typed, "+989124445566")
        self.assertEqual(Partner._find_by_email_or_phone(phone=typed), self.kazemi)

    def test_customers_of_a_burst_found_in_a_query_or_two(self):
        """The intake job looks up the customers of a whole batch at once: a
        query for the emails, one for the phones, however many there are."""
        Partner = self.env["res.partner"]
        known = Partner.create({"name": "Known By Email", "email": "Known@Example.ir"})
        contacts = [
            ("known@example.ir", False),  # by email, whatever its case
            (False, "+982188776655"),  # by phone, stored with Persian digits
            ("nobody@example.ir", "+989124445566"),  # an unknown email: by phone
            ("nobody2@example.ir", "+989990001122"),  # neither
            (False, "+98912"),  # too short to look up
        ]

        def lookup(contacts):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            found = Partner._find_customers(contacts)
            return found, self.env.cr.sql_log_count - before

        lookup(contacts)  # the company's country for the numbers, once
        found, queries = lookup(contacts)
        self.assertEqual(found, [known, self.yekta, self.kazemi, Partner, Partner])
        _found, fewer = lookup(contacts[:2])
        self.assertEqual(queries, fewer, "as many queries for five as for two")
        self.assertEqual(Partner._find_by_email_or_phone(email="KNOWN@example.ir"), known)

    def test_complaint_intake_matches_and_folds(self):
        # Registered by phone with no contact picked: the customer is found by
        # the number the officer typed in Persian digits.
        complaint = self._new(partner_id=False, partner_name="مريم يكتا", phone="۰۲۱ ۸۸۷۷ ۶۶۵۵")
        self.assertEqual(complaint.partner_id, self.yekta)
        self.assertEqual(complaint.partner_name, "مریم یکتا")
        self.assertEqual(complaint.phone, "+982188776655")
        # A new customer: created in one form.
        other = self._new(partner_id=False, partner_name="كريم ياوري", phone="٠٩١٣ ٢٢٢ ٣٣٤٤")
        self.assertEqual(other.partner_id.name, "کریم یاوری")
        self.assertEqual(other.partner_id.phone, "+989132223344")
        again = self._new(partner_id=False, partner_name="کریم یاوری", phone="09132223344")
        self.assertEqual(again.partner_id, other.partner_id, "not a second contact")
        # Two complaints of a new customer reported together: one contact.
        pair = (
            self.env["complaint.complaint"]
            .with_user(self.user_officer)
            .create(
                [
                    {"subject": "One", "partner_name": "Sara Two", "phone": "0913 555 6677"},
                    {"subject": "Two", "partner_name": "Sara Two", "phone": "۰۹۱۳۵۵۵۶۶۷۷"},
                ]
            )
        )
        self.assertEqual(len(pair.partner_id), 1)
        self.assertEqual(pair.partner_id.phone, "+989135556677")

    def test_public_form_points_at_the_known_customer(self):
        # Filed on the website with Latin digits: the contact stored with
        # Persian digits (before folding, folded since) is pointed out to the staff.
        complaint, errors = self.env["complaint.public.intake"].submit(
            {
                "name": "مريم يكتا",
                "phone": "021 8877 6655",
                "description": "The mixer stopped after a week.",
                "consent": True,
            },
            [],
        )
        self.assertFalse(errors)
        self.assertEqual(complaint.partner_name, "مریم یکتا")
        # Its contact and the note come with the intake job.
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()
        self.assertEqual(complaint.partner_id.name, "مریم یکتا")
        self.assertNotEqual(complaint.partner_id, self.yekta, "linked by the staff, not the form")
        notes = " ".join(complaint.message_ids.mapped("body"))
        self.assertIn("matches the existing customer مریم یکتا", notes)

    def test_complaint_found_whichever_yeh_and_kaf(self):
        by_contact = self._new(partner_id=self.yekta.id)
        by_name = self._new(partner_id=False, partner_name="زينب كريمي", phone="09125556677")
        # A complaint stored with the Arabic letters, before folding: folded
        # by the module's update.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE complaint_complaint SET partner_name = %s WHERE id = %s",
            ["رضا يكتايي", by_name.id],
        )
        by_name.invalidate_recordset()
        self.assertEqual(self.Complaint._fold_stored_persian(), 1)
        self.assertEqual(by_name.partner_name, "رضا یکتایی")
        self.assertIn(by_contact, self._found("complaint.complaint", "یکتا"))
        self.assertIn(by_contact, self._found("complaint.complaint", "يكتا"))
        self.assertIn(by_name, self._found("complaint.complaint", "رضا یکتایی"))
        self.assertIn(by_name, self._found("complaint.complaint", "رضا يكتايي"))
        Complaint = self.Complaint.with_user(self.user_officer)
        # The search view's Customer field (child_of a name) and the phone field.
        self.assertIn(by_contact, Complaint.search([("partner_id", "child_of", "مريم یکتا")]))
        self.assertEqual(
            Complaint.search([("phone", "ilike", "۹۱۲۵۵۵۶۶۷۷")]),
            by_name.with_user(self.user_officer),
        )
