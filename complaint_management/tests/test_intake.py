from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from ..models.complaint_complaint_intake import INTAKE_JOB_REST
from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestIntake(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )
        cls.order.action_confirm()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()
        cls.picking = cls.order.picking_ids
        # A salesperson who also sees invoices and deliveries, and has no role in
        # the complaints app beyond reporting.
        cls.user_employee.groups_id |= (
            cls.env.ref("sales_team.group_sale_salesman_all_leads")
            | cls.env.ref("account.group_account_invoice")
            | cls.env.ref("stock.group_stock_user")
        )

    def _report_from(self, record):
        action = (
            self.env["complaint.complaint"]
            .with_user(self.user_employee)
            .action_report_from(record._name, record.id)
        )
        form = Form(
            self.env["complaint.complaint"]
            .with_user(self.user_employee)
            .with_context(**action["context"]),
            view="complaint_management.complaint_complaint_view_form_report",
        )
        form.subject = f"Reported from {record._name}"
        return form.save()

    def test_report_from_contact(self):
        complaint = self._report_from(self.customer)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.phone, "+989121112233", "phone taken from the contact, E.164")
        self.assertEqual(complaint.reported_by_id, self.user_employee)
        self.assertEqual(complaint.channel_id.channel_type, "internal")

    def test_report_from_sale_order(self):
        complaint = self._report_from(self.order)
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.product_id, self.product)
        self.assertEqual(complaint.invoice_id, self.invoice)
        self.assertEqual(complaint.picking_id, self.picking)

    def test_report_from_invoice(self):
        complaint = self._report_from(self.invoice)
        self.assertEqual(complaint.invoice_id, self.invoice)
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.product_id, self.product)

    def test_report_from_delivery(self):
        complaint = self._report_from(self.picking)
        self.assertEqual(complaint.picking_id, self.picking)
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.product_id, self.product)

    def test_report_action_on_every_source_model(self):
        for xmlid, model in [
            ("action_report_complaint_partner", "res.partner"),
            ("action_report_complaint_sale_order", "sale.order"),
            ("action_report_complaint_invoice", "account.move"),
            ("action_report_complaint_picking", "stock.picking"),
        ]:
            action = self.env.ref(f"complaint_management.{xmlid}")
            self.assertEqual(action.binding_model_id.model, model)
            self.assertIn(self.env.ref("base.group_user"), action.groups_id)

    def test_manager_and_owner_notified(self):
        complaint = self._new(user=self.user_employee, user_id=self.user_officer.id)
        for user in (self.user_manager, self.user_officer):
            self.assertTrue(
                complaint.activity_ids.filtered(lambda a, u=user: a.user_id == u),
                f"{user.name} gets an activity",
            )
            self.assertIn(user.partner_id, complaint.message_partner_ids)
        notice = complaint.message_ids.filtered(lambda m: "New complaint" in (m.body or ""))
        self.assertEqual(
            notice.partner_ids, self.user_manager.partner_id | self.user_officer.partner_id
        )
        self.assertIn(self.user_employee.name, notice.body)
        self.assertEqual(len(self._pings(self.user_manager, complaint)), 1, "one message")

    def _pings(self, user, complaints):
        """The messages that reached ``user``'s inbox or mailbox about ``complaints``."""
        notifications = self.env["mail.notification"].search(
            [("res_partner_id", "=", user.partner_id.id)]
        )
        return notifications.mail_message_id.filtered(
            lambda m: any(c.name in (m.body or "") for c in complaints)
        )

    def test_intake_job_writes_for_the_staff_in_their_language(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.user_manager.lang = "fa_IR"
        # An English-speaking customer, filed from the English form.
        Public = (
            self.env["complaint.public.intake"].with_user(self.env.ref("base.public_user")).sudo()
        )
        values, _errors = Public.with_context(lang="en_US")._prepare_public_values(
            {
                "name": "Tom Reed",
                "phone": "0935 300 0000",
                "email": "tom.reed@example.com",
                "description": "The kettle leaks at the base.",
                "consent": True,
            }
        )
        complaint = Public.with_context(lang="en_US")._create_from_public(values)
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()
        bodies = " ".join(complaint.message_ids.mapped("body"))
        self.assertIn(f"شکایت جدید {complaint.name}", bodies)
        self.assertIn("وصول شکایت از طریق", bodies)
        self.assertNotIn("New complaint", bodies)
        # The contact the job gave the customer keeps the language they wrote in.
        self.assertEqual(complaint.partner_id.lang, "en_US")

    def test_intake_job_rests_between_runs(self):
        """A complaint filed while the intake job is idle wakes it at once; those
        filed within INTAKE_JOB_REST seconds of the start of a run wait for one
        run at the end of the rest, without waking the cron worker: a burst is a
        batch or two, not a run each. The first filing after the rest wakes it."""
        job = self.env.ref("complaint_management.ir_cron_complaint_intake")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", job.id)]).unlink()
        self.env["ir.cron.progress"].sudo().search([("cron_id", "=", job.id)]).unlink()
        now = datetime(2026, 12, 1, 9, 0, 0)
        rest = timedelta(seconds=INTAKE_JOB_REST)

        def filed(at):
            before = Trigger.search([("cron_id", "=", job.id)])
            with freeze_time(at):
                self._filed_on_the_form()
            (trigger,) = Trigger.search([("cron_id", "=", job.id)]) - before
            return trigger.call_at

        def run_started(at):
            progress = self.env["ir.cron.progress"].sudo().create({"cron_id": job.id})
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE ir_cron_progress SET create_date = %s WHERE id = %s", [at, progress.id]
            )

        self.assertEqual(filed(now), now, "idle: at once")
        run_started(now)
        second = timedelta(seconds=1)
        self.assertEqual(filed(now + second), now + rest, "during the run: after the rest")
        self.assertEqual(filed(now + 5 * second), now + rest, "the same batch")
        # The rest is over and no worker was woken for its batch: the next filing does.
        late = now + rest + second
        self.assertEqual(filed(late), late)
        run_started(late)
        self.assertEqual(filed(late + second), late + rest, "no run each during the run")
        # The job then takes all of them in one run.
        self.assertEqual(self.Complaint._cron_intake_followup(), 5)

    def test_a_burst_of_web_complaints_is_one_message_to_the_manager(self):
        Public = (
            self.env["complaint.public.intake"].with_user(self.env.ref("base.public_user")).sudo()
        )
        for n in range(3):
            values, errors = Public._prepare_public_values(
                {
                    "name": f"Web customer {n}",
                    "phone": f"0935 200 000{n}",
                    "email": f"web{n}@example.ir" if n else "",
                    "description": "The lid does not close any more.",
                    "consent": True,
                }
            )
            self.assertFalse(errors)
            Public._create_from_public(values)
        complaints = self.Complaint.search([("partner_name", "like", "Web customer")])
        self.assertEqual(len(complaints), 3)
        self.assertFalse(self._pings(self.user_manager, complaints), "not in the request")
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()
        (ping,) = self._pings(self.user_manager, complaints)
        self.assertIn("3 new complaints", ping.subject)
        for complaint in complaints:
            self.assertIn(complaint.name, ping.body)
            note = complaint.message_ids.filtered(lambda m: "New complaint" in (m.body or ""))
            self.assertIn("through Website", note.body)
            self.assertIn(self.user_manager.partner_id, complaint.message_partner_ids)
        # Each acknowledgement went to its own customer only.
        for complaint in complaints.filtered("email"):
            ack = complaint.message_ids.filtered(lambda m, c=complaint: c.name in (m.subject or ""))
            self.assertEqual(ack.partner_ids, complaint.partner_id)
        # Acknowledged by email where an email was given; the manager's to-do
        # then asks for the assessment only.
        no_email = complaints.filtered(lambda c: not c.email)
        self.assertEqual(set((complaints - no_email).mapped("step")), {"acknowledged"})
        self.assertEqual(no_email.step, "received")
        todo = (complaints - no_email).activity_ids.filtered(
            lambda a: a.user_id == self.user_manager
        )
        self.assertEqual(set(todo.mapped("summary")), {"Assess this complaint"})
        self.assertEqual(
            no_email.activity_ids.filtered(lambda a: a.user_id == self.user_manager).summary,
            "Acknowledge and assess this complaint",
        )

    def test_unknown_customer_matched_or_created(self):
        by_phone = self._new(partner_id=False, phone="09121112233", partner_name="S. M.")
        self.assertEqual(by_phone.partner_id, self.customer, "matched on the normalised phone")
        by_email = self._new(partner_id=False, email="SARA.MOHAMMADI@example.ir")
        self.assertEqual(by_email.partner_id, self.customer)
        new = self._new(partner_id=False, phone="0935 999 8877", partner_name="Narges Rad")
        self.assertEqual(new.partner_id.name, "Narges Rad")
        self.assertEqual(new.partner_id.phone, "+989359998877")
        self.assertEqual(new.phone, "+989359998877")

    def test_invalid_phone_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self._new(phone="12")
        self.assertFalse(self.Complaint.search([("phone", "=", "12")]))

    def test_acknowledgement_email(self):
        complaint = self._new(partner_id=self.customer.id, email=self.customer.email)
        self.assertEqual(complaint.step, "acknowledged")
        self.assertEqual(complaint.ack_method, "email")
        self.assertTrue(complaint.date_acknowledged)
        ack = complaint.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertEqual(len(ack), 1)
        self.assertIn(complaint.name, ack.subject)
        self.assertIn(complaint.name, ack.body)
        self.assertIn("کد پیگیری", ack.body, "Persian text")
        self.assertIn("tracking code", ack.body, "English text")
        mail = self.env["mail.mail"].search([("mail_message_id", "=", ack.id)])
        self.assertIn(self.customer, mail.recipient_ids, "an email is queued for the customer")

    def _filed_on_the_form(self, lang="en_US", **data):
        """A complaint filed on the public form (a landline: no SMS)."""
        Public = (
            self.env["complaint.public.intake"].with_user(self.env.ref("base.public_user")).sudo()
        )
        values, errors = Public.with_context(lang=lang)._prepare_public_values(
            dict(
                {
                    "name": "Someone",
                    "phone": "021 7490 5001",
                    "email": "victim@example.com",
                    "description": "The kettle switch is broken.",
                    "consent": True,
                },
                **data,
            )
        )
        self.assertFalse(errors)
        return Public.with_context(lang=lang)._create_from_public(values)

    def _run_intake_job(self):
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()

    def _acknowledgement(self, complaint):
        """The acknowledgement message of ``complaint`` and its queued email."""
        message = complaint.message_ids.filtered(lambda m: complaint.partner_id in m.partner_ids)
        return message, self.env["mail.mail"].search([("mail_message_id", "in", message.ids)])

    def _assert_acknowledgement_echoes_nothing_typed(self, lang):
        """The acknowledgement goes to any address typed on the public form, in
        the company's name: it must not carry the sender's text (a spammer's
        link) to it, neither in the body nor in the subject."""
        complaint = self._filed_on_the_form(
            lang=lang,
            name="Win at http://spam.example",
            subject="Cheap watches http://spam.example",
            description="Visit http://spam.example today.",
        )
        self._run_intake_job()
        self.assertEqual(complaint.ack_method, "email")
        message, mail = self._acknowledgement(complaint)
        self.assertEqual((len(message), len(mail)), (1, 1))
        for text in (
            message.subject,
            message.body,
            message.record_name,
            mail.subject,
            mail.body_html,
        ):
            self.assertNotIn("spam.example", text or "")
        self.assertIn(complaint.name, message.body)
        self.assertIn(complaint.name, mail.subject)
        self.assertIn(complaint.company_id.name, message.body)
        return message

    def test_acknowledgement_echoes_nothing_the_sender_typed(self):
        body = self._assert_acknowledgement_echoes_nothing_typed("en_US").body
        self.assertIn("Dear customer", body)
        self.assertIn("tracking code", body)

    def test_acknowledgement_echoes_nothing_the_sender_typed_in_persian(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.env["ir.module.module"]._load_module_terms(["complaint_management"], ["fa_IR"])
        body = self._assert_acknowledgement_echoes_nothing_typed("fa_IR").body
        self.assertIn("مشتری گرامی", body)
        self.assertIn("کد پیگیری", body)

    def test_acknowledgement_emails_per_address_are_limited(self):
        """Anyone may type any address on the public form: a fourth
        acknowledgement to one address in a day is not sent."""
        filed = [self._filed_on_the_form(email="Victim@Example.com") for _n in range(4)]
        self._run_intake_job()
        self.assertEqual([c.ack_method for c in filed], ["email", "email", "email", False])
        self.assertEqual(
            [bool(self._acknowledgement(c)[1]) for c in filed], [True, True, True, False]
        )
        last = filed[-1]
        self.assertEqual(last.step, "received", "the staff acknowledge by phone")
        self.assertIn(
            "victim@example.com has had 3 today", " ".join(last.message_ids.mapped("body"))
        )
        # The staff's own complaints for that address are not limited.
        staff = self._new(partner_id=last.partner_id.id, email="victim@example.com")
        self.assertEqual(staff.ack_method, "email")
        # 0: no limit.
        self.env["ir.config_parameter"].sudo().set_param(
            "complaint_management.ack_email_per_address_day", "0"
        )
        again = self._filed_on_the_form(email="victim@example.com")
        self._run_intake_job()
        self.assertEqual(again.ack_method, "email")

    def test_no_email_no_automatic_acknowledgement(self):
        complaint = self._new()
        self.assertEqual(complaint.step, "received")
        self.assertFalse(complaint.date_acknowledged)
        complaint.with_user(self.user_officer).action_acknowledge_in_person()
        self.assertEqual(complaint.ack_method, "in_person")
        with self.assertRaisesRegex(Exception, "already been acknowledged"):
            complaint.with_user(self.user_officer).action_acknowledge_phone()

    def test_channels_answering_hours(self):
        channels = self.env["complaint.channel"].search([])
        self.assertEqual(
            set(channels.mapped("channel_type")),
            {"phone", "website", "in_person", "email", "sms", "portal", "internal"},
        )
        calendar = self.env.ref("complaint_management.resource_calendar_complaints")
        self.assertEqual(calendar.tz, "Asia/Tehran")
        self.assertEqual(
            set(calendar.attendance_ids.mapped("dayofweek")), {"5", "6", "0", "1", "2"}
        )
        self.assertEqual(min(calendar.attendance_ids.mapped("hour_from")), 8)
        self.assertEqual(max(calendar.attendance_ids.mapped("hour_to")), 17.5)

    def test_partner_smart_button(self):
        self._new(partner_id=self.customer.id)
        self._new(partner_id=self.customer.id, product_id=False)
        self.assertEqual(self.customer.complaint_count, 2)
        action = self.customer.action_view_complaints()
        self.assertEqual(self.Complaint.search_count(action["domain"]), 2)

    def test_smart_buttons_on_documents(self):
        lot = self.env["stock.lot"].create({"name": "LOT-7", "product_id": self.product.id})
        complaint = self._new(
            partner_id=self.customer.id,
            sale_order_id=self.order.id,
            invoice_id=self.invoice.id,
            picking_id=self.picking.id,
            lot_id=lot.id,
        )
        for record in (self.order, self.invoice, self.picking, lot, self.product.product_tmpl_id):
            self.assertEqual(record.complaint_count, 1, record._name)
            action = record.action_view_complaints()
            self.assertEqual(self.Complaint.search(action["domain"]), complaint, record._name)
