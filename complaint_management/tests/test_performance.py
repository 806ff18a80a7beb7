from unittest.mock import patch

from odoo.tests import tagged, users, warmup

from odoo.addons.mail.models.mail_render_mixin import MailRenderMixin

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestIntakePerformance(ComplaintCommon):
    """Intake is the hot path: every employee reports, emails arrive in bursts."""

    @users("cm_officer")
    @warmup
    def test_intake_query_budget(self):
        Complaint = self.env["complaint.complaint"]
        with self.assertQueryCount(cm_officer=BUDGET_ONE):
            Complaint.create({"subject": "One", "partner_id": self.customer_phone_only.id})
        # Ten at once: followers, notes, activities and sequence numbers are
        # batched, and the manager and owner get one message for the ten.
        vals = [
            {"subject": f"Batch {n}", "partner_id": self.customer_phone_only.id} for n in range(10)
        ]
        with self.assertQueryCount(cm_officer=BUDGET_TEN):
            Complaint.create(vals)

    def _public(self, count):
        """``count`` complaints filed on the public form (as the public user),
        each by a new customer with an email address."""
        Intake = self.env["complaint.public.intake"].with_user(self.env.ref("base.public_user"))
        for _n in range(count):
            # New names, numbers and addresses in each run of the test.
            self.filed = n = getattr(self, "filed", 0) + 1
            values, errors = Intake._prepare_public_values(
                {
                    "name": f"Walk-in {n}",
                    "phone": f"0935 100 {n:04d}",
                    "email": f"walkin{n}@example.ir",
                    "description": "The mixer stopped after two weeks.",
                    "consent": True,
                }
            )
            self.assertFalse(errors)
            Intake.sudo()._create_from_public(values)

    @warmup
    def test_public_intake_and_job_query_budgets(self):
        """The customer's request does only what the tracking code needs; the
        job gives each customer a contact, acknowledges and notifies in
        batches: a constant part per batch, the contact and the acknowledgement
        email per complaint."""
        self._public(1)  # warm the caches (sequence, templates, calendar)
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()
        with self.assertQueryCount(PUBLIC_REQUEST):
            self._public(1)
        Complaint = self.env["complaint.complaint"]
        counts = {}
        for size in (1, 10, 30):
            self._public(size - 1 if size == 1 else size)
            self.env.flush_all()
            self.env.cr.flush()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertEqual(Complaint._cron_intake_followup(), size)
            self.env.flush_all()
            self.env.cr.flush()
            counts[size] = self.env.cr.sql_log_count - before
        per_complaint = (counts[30] - counts[10]) / 20
        self.assertLessEqual(per_complaint, JOB_PER_COMPLAINT, counts)
        self.assertLessEqual(counts[1], JOB_ONE, counts)
        self.assertLessEqual(counts[10], JOB_TEN, counts)
        self.assertFalse(Complaint.search_count([("intake_pending", "=", True)]))
        # Every customer got a contact of their own and the acknowledgement.
        filed = Complaint.search([("partner_name", "like", "Walk-in")])
        self.assertEqual(len(filed.partner_id), len(filed))
        self.assertEqual(set(filed.mapped("ack_method")), {"email"})

    def test_public_filing_reads_the_company_narrowly(self):
        """The request reads of the company only what it uses: its country
        (for the phone) and complaints manager. The company's own country is
        computed from its whole address at each read (a third of the request
        when it was read that way), and its whole row is wide."""
        self._public(1)  # warm the caches
        Company = type(self.env["res.company"])
        computed = []
        compute_address = Company._compute_address

        def counted(companies):
            computed.append(companies)
            return compute_address(companies)

        self.env.invalidate_all()
        with patch.object(Company, "_compute_address", counted):
            self._public(1)
        self.assertFalse(computed, "the company's address was computed")
        company = self.env.company
        self.assertFalse(
            self.env.cache.contains(company, Company._fields["name"]),
            "the company's whole row was read",
        )
        self.assertEqual(
            self.env["complaint.complaint"].search([], order="id desc", limit=1).user_id,
            company.complaint_manager_id,
        )

    def test_complaint_emails_compile_their_template_once(self):
        """Odoo compiles the QWeb of an email template for each record it
        renders: most of the intake job's time. The complaints' templates are
        compiled once, and render exactly what Odoo's rendering renders."""
        complaints = self.env["complaint.complaint"]
        for customer in (self.customer, self.customer_phone_only):
            complaints |= self._new(partner_id=customer.id, email="walkin@example.ir")
        template = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement"
        ).sudo()
        source = f"{template.body_html}<p>Edited: <t t-out='object.subject'/></p>"
        QWeb = type(self.env["ir.qweb"])
        compile_template = QWeb._compile
        compiled = []

        def counted(qweb, node):
            compiled.append(node)
            return compile_template(qweb, node)

        with patch.object(QWeb, "_compile", counted):
            bodies = template._render_template_qweb(source, complaints._name, complaints.ids)
            again = template._render_template_qweb(source, complaints._name, complaints.ids)
        self.assertEqual(len(compiled), 1, "once, for both complaints and both renderings")
        self.assertEqual(again, bodies)
        odoo = MailRenderMixin._render_template_qweb(
            template, source, complaints._name, complaints.ids
        )
        self.assertEqual(bodies, odoo)
        for complaint in complaints:
            self.assertIn(complaint.name, bodies[complaint.id])
            self.assertIn(f"Edited: {complaint.subject}", bodies[complaint.id])


# Measured 72 and 102 (Odoo 18.0, 2026-12, with complaint_management_sms installed);
# two queries of headroom. The step clock (calendar, step passage) costs about
# ten of them, the same for one complaint as for ten; the deadline rules are cached.
# The notes and the manager's notification go in one batch: ten complaints are one
# message to the manager, not ten (it was 459 for ten when each was posted alone).
# The manager and owner follow the complaints through their to-dos.
BUDGET_ONE = 74
BUDGET_TEN = 104

# The public request: 13 measured (27 when it also looked up and created the
# customer's contact and posted the notes: those are the job's now), none for
# the acknowledgement; one of them finds when the intake job last started. The
# job: 120 to 123 for one complaint, 228 for ten, 12 more for each further one
# (the contact, and the acknowledgement email, posted and queued per complaint
# by the composer, which renders them together; the customers already known
# by the emails and phones given are looked up for the whole batch at once:
# it was 246 for ten and 14 for each further one with a lookup per complaint).
PUBLIC_REQUEST = 13
JOB_ONE = 125
JOB_TEN = 230
JOB_PER_COMPLAINT = 12.5
