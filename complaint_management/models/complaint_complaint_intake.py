import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize
from odoo.tools.mail import parse_contact_from_email

from ..tools.persian import fold_name

_logger = logging.getLogger(__name__)

# Seconds the intake job rests after the start of a run: complaints filed
# meanwhile are left for one run at the end of the rest, which wakes no cron
# worker (the first filing after it does, or the worker's next round, within
# about a minute). A burst of filings is then acknowledged and notified in a
# batch or two instead of a run each, beside the requests of the burst.
INTAKE_JOB_REST = 10


class ComplaintComplaint(models.Model):
    """Registering complaints: the staff's intake, the intake job that acknowledges
    and notifies for complaints customers filed, the mail gateway, and reporting a
    complaint from another document."""

    _inherit = "complaint.complaint"

    customer_reference = fields.Char(
        help="Order, invoice or product reference the customer gave on the public form.",
    )
    ack_email = fields.Char(
        string="Acknowledged by Email to",
        readonly=True,
        copy=False,
        groups="base.group_system",
        index="btree_not_null",
        help="The address the acknowledgement email of a complaint the customer filed "
        "went to; the limit per address counts these.",
    )
    intake_pending = fields.Boolean(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Filed by the customer (public form, website API or email): the contact "
        "of a customer without an account, the acknowledgement and the staff's "
        "notification are still to be done by the intake job, within about a minute.",
    )
    intake_lang = fields.Char(
        string="Filed in Language",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The language a customer without an account filed in on a public page: "
        "their contact's, which the intake job creates.",
    )

    def _intake_followup(self):
        """What follows the registration of new complaints: the customer is
        acknowledged, then the manager and owner are notified."""
        self._acknowledge_at_intake()
        self._notify_intake()

    def _acknowledge_at_intake(self):
        self._acknowledge_by_email()

    @api.model
    def _trigger_intake_job(self):
        """Wake the intake job for a complaint a customer just filed: at once
        when it has rested :data:`INTAKE_JOB_REST` seconds since its last run
        started; otherwise for the run planned at the end of the rest. A
        planned run that came due while the job rests (no cron worker woken
        for it) is woken now. Each filing leaves its own trigger: a run that
        started before the filing was saved leaves none behind."""
        cron = (
            self.env["ir.cron"]
            .sudo()
            .browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    "complaint_management.ir_cron_complaint_intake", raise_if_not_found=True
                )
            )
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT (SELECT max(call_at) FROM ir_cron_trigger WHERE cron_id = %(cron)s),
                       (SELECT max(create_date) FROM ir_cron_progress WHERE cron_id = %(cron)s)
                """,
                cron=cron.id,
            )
        )
        planned, started = self.env.cr.fetchone()
        now = fields.Datetime.now()
        rest = timedelta(seconds=INTAKE_JOB_REST)
        if planned and now < planned <= now + rest:
            at = planned  # the run planned at the end of the rest
        elif started and now < started + rest:
            at = started + rest  # a run started less than the rest ago
        else:
            at = None  # rested (or a planned run came due unwoken): now
        cron._trigger(at)

    @api.model
    def _cron_intake_followup(self, batch_size=100):
        """Acknowledge and notify the complaints customers filed (public form,
        website API, email), in batches, after giving those filed without an
        account a contact of their own. A complaint whose follow-up fails is
        tried alone, gets a note saying so, and does not hold back the others;
        a conflict with another transaction leaves the batch for the next run.

        :return: the number of complaints done"""
        pending = self.with_context(active_test=False).search(
            [("intake_pending", "=", True)], order="id", limit=batch_size
        )
        if not pending:
            return 0
        # The notes are for the staff: in their manager's language, not the cron's.
        manager = pending.company_id.complaint_manager_id[:1]
        pending = pending.with_context(
            lang=manager.lang or self.env.lang, complaint_customer_filed=True
        )
        try:
            with self.env.cr.savepoint():
                pending._give_intake_contacts()
                pending._intake_followup()
        except psycopg2.OperationalError:
            raise  # a serialization or lock conflict: the whole run is retried
        except Exception:  # noqa: BLE001 - each complaint is then tried alone
            for complaint in pending:
                complaint._intake_followup_alone()
        pending.with_context(mail_notrack=True)._procedure_write({"intake_pending": False})
        # A short batch left none behind: those filed since are not visible
        # here, and their own triggers wake the job again.
        remaining = len(pending) == batch_size and self.with_context(
            active_test=False
        ).search_count([("intake_pending", "=", True)])
        self.env["ir.cron"]._notify_progress(done=len(pending), remaining=remaining or 0)
        return len(pending)

    def _intake_followup_alone(self):
        """The follow-up of one complaint, its two halves apart: a broken
        acknowledgement (a mail template broken by an edit, say) still lets
        the staff hear of the complaint, and a note says what failed."""
        self.ensure_one()
        failed = []
        for part, label in (
            (self._give_intake_contacts, self.env._("the customer's contact")),
            (self._acknowledge_at_intake, self.env._("the acknowledgement to the customer")),
            (self._notify_intake, self.env._("the notification of the staff")),
        ):
            try:
                with self.env.cr.savepoint():
                    part()
            except psycopg2.OperationalError:
                raise
            except Exception as error:
                _logger.exception("Intake follow-up of complaint %s failed", self.name)
                failed.append(f"{label} ({error})")
        if failed:
            try:
                with self.env.cr.savepoint():
                    self._message_log_batch(
                        {
                            self.id: self.env._(
                                "Automatic intake step failed: %s. "
                                "Acknowledge the customer by phone if needed.",
                                "; ".join(failed),
                            )
                        }
                    )
            except psycopg2.OperationalError:
                raise
            except Exception:
                _logger.exception("Noting the failure on complaint %s failed", self.name)

    @api.model
    def _match_partners(self, vals_list):
        """Find or create the customer of complaints reported without one. The
        name given is kept in one form (Persian yeh and kaf, see res.partner).
        A complaint a customer filed without one is the intake job's: it gets
        a contact of its own there (see :meth:`_give_intake_contacts`)."""
        Partner = self.env["res.partner"]
        deferred = self.env.context.get("complaint_defer_intake")
        for vals in vals_list:
            if isinstance(vals.get("partner_name"), str):
                vals["partner_name"] = fold_name(vals["partner_name"])
        unknown = [
            vals
            for vals in vals_list
            if not deferred
            and not vals.get("partner_id")
            and (vals.get("phone") or vals.get("email"))
        ]
        found = Partner._find_customers(
            [(vals.get("email"), vals.get("phone")) for vals in unknown]
        )
        created = {}  # complaints of one new customer reported together: one contact
        for vals, partner in zip(unknown, found, strict=True):
            key = (email_normalize(vals.get("email") or "") or None, vals.get("phone") or None)
            partner = partner or created.get(key)
            if not partner:
                # Any employee may report for an unknown customer; creating the
                # customer record is part of registering the complaint.
                partner = created[key] = Partner.sudo().create(
                    {
                        "name": vals.get("partner_name") or vals.get("email") or vals["phone"],
                        "email": vals.get("email"),
                        "phone": vals.get("phone"),
                        "company_id": False,
                    }
                )
            vals["partner_id"] = partner.id

    def _give_intake_contacts(self):
        """The complaints customers filed without an account (the public form
        or the JSON endpoint) get a contact of their own, in the language they
        wrote in. Nothing typed on a public page proves who the sender is: what
        the details match (an existing customer with that phone or email, an
        order or invoice with that reference) goes in a note for the staff to
        check before they link it; only a product reference is linked. Then the
        files sent with a complaint are posted on it, from its customer."""
        Partner = self.env["res.partner"].sudo()
        complaints = self.sudo().with_context(mail_notrack=True)
        new = complaints.filtered(lambda c: not c.partner_id and (c.phone or c.email))
        hints = defaultdict(list)
        found = Partner._find_customers([(complaint.email, complaint.phone) for complaint in new])
        for complaint, known in zip(new, found, strict=True):
            if known:
                hints[complaint.id].append(
                    self.env._(
                        "The phone or email given matches the existing customer %s.",
                        known.display_name,
                    )
                )
        langs = {lang for lang, _name in self.env["res.lang"].get_installed()}
        contacts = Partner.with_context(mail_create_nolog=True).create(
            [
                {
                    "name": complaint.partner_name or complaint.email or complaint.phone,
                    "phone": complaint.phone,
                    "email": complaint.email,
                    "lang": complaint.intake_lang if complaint.intake_lang in langs else False,
                    "company_id": False,
                }
                for complaint in new
            ]
        )
        for complaint, contact in zip(new, contacts, strict=True):
            complaint._procedure_write({"partner_id": contact.id})
        Public = self.env["complaint.public.intake"]
        for complaint in complaints.filtered("customer_reference"):
            found = Public._match_public_reference(complaint.customer_reference)
            if found["values"].get("product_id") and not complaint.product_id:
                complaint.write(found["values"])
            hints[complaint.id] += found["hints"]
        if hints:
            title = self.env._("To check before linking the customer or documents:")
            complaints.browse(list(hints))._message_log_batch(
                {key: Markup("<br/>").join([title, *texts]) for key, texts in hints.items()}
            )
        complaints._post_intake_files()

    def _post_intake_files(self):
        """The message with the files sent with each complaint on a public page
        (stored by the request, on the complaint, in no message yet), from
        its customer."""
        files = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        )
        if files:
            files -= (
                self.env["mail.message"]
                .search(
                    [
                        ("model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("attachment_ids", "in", files.ids),
                    ]
                )
                .attachment_ids
            )
        by_complaint = defaultdict(list)
        for file in files:
            by_complaint[file.res_id].append(file.id)
        for complaint in self.browse(list(by_complaint)):
            complaint.message_post(
                body=self.env._("Files sent with the complaint."),
                attachment_ids=by_complaint[complaint.id],
                author_id=complaint.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _notify_intake(self):
        """Tell the complaints manager and the owner at once: a note on each
        complaint's chatter, one message listing the new complaints (a burst of
        web complaints is one ping, not a hundred) and a to-do activity each."""
        by_users = defaultdict(lambda: self.browse())
        for complaint in self:
            users = complaint.company_id.complaint_manager_id | complaint.user_id
            by_users[users.filtered("active")] |= complaint
        for users, complaints in by_users.items():
            if not users:
                continue
            # The reporter may be any employee without write access on complaints;
            # following and scheduling the manager's activity is the system's job.
            # The message below is the notification: the activities stay quiet.
            # Each user follows the complaints through their to-do (a user's
            # activity makes them a follower of its record).
            complaints_sudo = complaints.sudo().with_context(mail_activity_quick_update=True)
            texts = {
                complaint.id: self.env._(
                    "New complaint %(code)s reported by %(user)s through %(channel)s.",
                    code=complaint.name,
                    user=complaint.reported_by_id.name or complaint.partner_id.name or "-",
                    channel=complaint.channel_id.name or "-",
                )
                for complaint in complaints_sudo
            }
            complaints_sudo._message_log_batch(
                texts, author_id=self.env.user.partner_id.id, partner_ids=users.partner_id.ids
            )
            complaints_sudo[:1].message_notify(
                partner_ids=users.partner_id.ids,
                subject=(
                    texts[complaints.id]
                    if len(complaints) == 1
                    else self.env._("%s new complaints", len(complaints))
                ),
                # Each one a link to the complaint.
                body=Markup("<br/>").join(
                    complaint._get_html_link(title=texts[complaint.id])
                    for complaint in complaints_sudo
                ),
                model_description=self._description,
            )
            acknowledged = complaints_sudo.filtered("date_acknowledged")
            for todo, summary in (
                (
                    complaints_sudo - acknowledged,
                    self.env._("Acknowledge and assess this complaint"),
                ),
                (acknowledged, self.env._("Assess this complaint")),
            ):
                for user in users if todo else ():
                    todo.activity_schedule(
                        "complaint_management.mail_activity_type_assess",
                        user_id=user.id,
                        summary=summary,
                    )

    def _acknowledge_by_email(self):
        template = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement", raise_if_not_found=False
        )
        to_ack = self.filtered(lambda c: c.email and c.partner_id and not c.date_acknowledged)
        if template and to_ack and self.env.context.get("complaint_customer_filed"):
            to_ack = to_ack._within_ack_email_limits()
        if not template or not to_ack:
            return
        # One composer per company renders them all (message_post_with_source
        # makes one each), signed by the company as a single one would be.
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        for company in to_ack.company_id:
            complaints = to_ack.filtered(lambda c, company=company: c.company_id == company)
            composer = (
                self.env["mail.compose.message"]
                .sudo()
                .with_context(
                    default_composition_mode="comment",
                    default_model=self._name,
                    default_res_ids=complaints.ids,
                    default_template_id=template.id,
                    mail_notrack=True,
                    # The message's record name, shown in the email, is the
                    # tracking code: nothing the sender typed (the subject).
                    complaint_code_only=True,
                )
                .create(
                    {
                        "message_type": "notification",
                        "subtype_id": comment,
                        "author_id": company.partner_id.id,
                        # Queued, and the mail queue woken below: never sent
                        # inside the request or the job.
                        "force_send": False,
                    }
                )
            )
            composer._action_send_mail()
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        # The note says it; a stage change notified to the followers would not
        # add to it (hence no tracking, above too).
        to_ack.sudo().with_context(mail_notrack=True)._record_acknowledgement("email")

    def _within_ack_email_limits(self):
        """The complaints whose acknowledgement email may go. Anyone can file a
        complaint with any address: without a limit, a script would have the
        company send its emails to addresses of its choosing. The limit, System
        Parameter ``complaint_management.ack_email_per_address_day`` (3; 0: none),
        counts the acknowledgements to an address in the last 24 hours."""
        per_address = self.env["complaint.public.intake"]._limit("ack_email_per_address_day")
        addresses = {
            complaint.id: complaint.partner_id.email_normalized or email_normalize(complaint.email)
            for complaint in self
        }
        Complaint = self.sudo().with_context(active_test=False)
        today = dict(
            Complaint._read_group(
                [
                    ("ack_email", "in", [a for a in set(addresses.values()) if a]),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(days=1)),
                ],
                ["ack_email"],
                ["__count"],
            )
        )
        allowed, refused = self.browse(), {}
        for complaint in self:
            address = addresses[complaint.id]
            if per_address and address and today.get(address, 0) >= per_address:
                refused[complaint.id] = self.env._(
                    "No acknowledgement email: %(address)s has had %(count)s today, the limit.",
                    address=address,
                    count=per_address,
                )
                continue
            if address:
                today[address] = today.get(address, 0) + 1
                # Not tracked: the acknowledgement's stage change is not either.
                complaint.sudo().with_context(mail_notrack=True)._procedure_write(
                    {"ack_email": address}
                )
            allowed |= complaint
        if refused:
            self.browse(refused).sudo()._message_log_batch(refused)
        return allowed

    @api.model
    def action_report_from(self, model, res_id):
        """The short report form of a complaint about a record of ``model``,
        filled from it (see complaint.link.mixin's _complaint_report_defaults),
        in a dialog; its "Report" button opens the complaint registered
        (action_open_reported)."""
        # The model checked first: self.env["no.such.model"] is a KeyError.
        Model = self.env.get(model)
        record = hasattr(Model, "_complaint_report_defaults") and Model.browse(res_id).exists()
        if record:
            record.check_access("read")
        defaults = record and record._complaint_report_defaults()
        if not defaults:
            raise UserError(
                self.env._(
                    "Complaints can be reported from a contact, a sales order, an "
                    "invoice or a delivery."
                )
            )
        defaults["default_channel_id"] = self.env["complaint.channel"]._get_by_type("internal").id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report a Complaint"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("complaint_management.complaint_complaint_view_form_report").id,
                    "form",
                )
            ],
            "target": "new",
            "context": {key: value for key, value in defaults.items() if value},
        }

    def action_open_reported(self):
        """The complaint just reported from a record, in the main window: its
        tracking code, to give the customer on the phone, at the top of its
        form, and the breadcrumb back to the record; as Odoo's own dialogs that
        make a document open it (an order's invoice, a delivery's return)
        rather than closing with nothing to show. The complaints staff get the
        complaint's full form to work on; other employees the report form,
        read-only: the full one shows the response and its documents, which
        they may not read."""
        self.ensure_one()
        staff = self.env.user.has_group("complaint_management.group_complaint_cft")
        view = "complaint_complaint_view_form" if staff else "complaint_complaint_view_form_report"
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref(f"complaint_management.{view}").id, "form")],
            "target": "current",
        }

    @api.model
    def message_new(self, msg, custom_values=None):
        """A complaint from an email to the complaints alias."""
        values = dict(custom_values or {})
        email_from = msg.get("email_from") or ""
        normalized = email_normalize(email_from) if email_from else False
        partner = self.env["res.partner"].browse(msg.get("author_id"))
        if not partner and normalized:
            partner = self.env["res.partner"]._find_by_email_or_phone(email=normalized)
        latest = self._email_intake_over_limit(normalized)
        if latest:
            # The gateway posts the email on the complaint returned.
            msg["author_id"] = partner.id
            return latest.with_env(self.env)
        if not partner and normalized:
            name = parse_contact_from_email(email_from)[0] or normalized
            partner = self.env["res.partner"].create({"name": name, "email": normalized})
        values.setdefault("subject", msg.get("subject") or self.env._("Complaint by email"))
        values.setdefault("description", msg.get("body"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("partner_name", partner.name)
        values.setdefault("email", normalized or email_from)
        if not values.get("channel_id"):
            values["channel_id"] = self.env["complaint.channel"]._get_by_type("email").id
        msg["author_id"] = partner.id
        # As from the public pages, the intake job acknowledges and notifies,
        # once the email itself is on the thread. Odoo's own message_new sets
        # the email field to the sender as written ("Name <address>"): it gets
        # the address, which the limit per address counts.
        complaint = super(
            ComplaintComplaint, self.with_context(complaint_defer_intake=True)
        ).message_new(dict(msg, email_from=values["email"]), custom_values=values)
        complaint = complaint.with_env(self.env)
        if partner:
            complaint.message_subscribe(partner_ids=partner.ids)
        return complaint

    @api.model
    def _email_intake_over_limit(self, address):
        """The sender's latest complaint, once ``address`` has filed as many
        complaints by email in the last 24 hours as System Parameter
        ``complaint_management.email_intake_per_address_day`` allows (5; 0: no
        limit): a script does not open complaints (each one acknowledged) at
        will. The further email goes on that complaint, which says why;
        nothing is lost. An empty recordset under the limit."""
        limit = self.env["complaint.public.intake"]._limit("email_intake_per_address_day")
        if not limit or not address:
            return self.browse()
        recent = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("email", "=", address),
                    ("channel_type", "=", "email"),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(days=1)),
                ],
                order="id desc",
                limit=limit,
            )
        )
        if len(recent) < limit:
            return self.browse()
        latest = recent.filtered("active")[:1] or recent[:1]
        latest._message_log_batch(
            {
                latest.id: self.env._(
                    "%(address)s has filed %(count)s complaints by email in the last 24 "
                    "hours, the limit: their new email is added to this complaint instead "
                    "of opening another one.",
                    address=address,
                    count=limit,
                )
            }
        )
        return latest
