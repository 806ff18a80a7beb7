import logging

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.sql import escape_psql

_logger = logging.getLogger(__name__)

# Field names of the public form and of the JSON endpoint, and the complaint
# fields they fill (the errors name the public fields).
PUBLIC_FIELDS = {
    "partner_name": "name",
    "phone": "phone",
    "email": "email",
    "customer_reference": "reference",
    "subject": "subject",
    "description": "description",
    "consent": "consent",
    "attachments": "attachments",
}
# The form's field that only robots fill in.
HONEYPOT = "website_url"

# The limits of the public pages and of the links sent to customers, in one
# table. Those of PUBLIC_PARAMETERS are System Parameters
# ``complaint_management.<key>`` (data/ir_config_parameter_data.xml, README):
# the value set there counts, the one here only when the parameter is missing.
PUBLIC_LIMITS = {
    # Characters of what is typed: the form's texts (by complaint field), the
    # tracking page's code and phone or email, the customer's reason or comment
    # on their complaint's page.
    "partner_name": 100,
    "phone": 32,
    "email": 254,
    "customer_reference": 64,
    "subject": 120,
    "description": 5000,
    "tracking_code": 64,
    "tracking_contact": 254,
    "customer_text": 2000,
    # Files sent with a complaint: how many, and MB each.
    "public_max_files": 5,
    "public_max_file_mb": 5,
    # Complaints filed and tracking lookups per client and period (seconds).
    "submit_limit": 5,
    "submit_period": 3600,
    "track_limit": 10,
    "track_period": 600,
    # Days the links sent to the customer work after closing.
    "portal_link_days": 90,
    # Per address and 24 hours (0: no limit): acknowledgement emails of
    # complaints customers filed, complaints filed by email.
    "ack_email_per_address_day": 3,
    "email_intake_per_address_day": 5,
}
PUBLIC_PARAMETERS = frozenset(
    [
        "public_max_files",
        "public_max_file_mb",
        "submit_limit",
        "submit_period",
        "track_limit",
        "track_period",
        "portal_link_days",
        "ack_email_per_address_day",
        "email_intake_per_address_day",
    ]
)

PUBLIC_MIMETYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")

# What a customer's text does not keep: the C0 control characters but tab
# and line breaks (PostgreSQL refuses NUL, the others show as nothing), and
# lone surrogates (JSON can carry "\ud800", UTF-8 cannot store it). File
# names keep no tab or line break either.
PUBLIC_TEXT_DROP = dict.fromkeys(
    [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000)]
)
PUBLIC_NAME_DROP = {**PUBLIC_TEXT_DROP, 0x09: None, 0x0A: None, 0x0D: None}


class ComplaintPublicIntake(models.AbstractModel):
    """What customers send from the public pages (the complaint form, the JSON
    endpoint for the company's own website): the limits, the checks and the
    complaint they file. The controllers only speak HTTP to it."""

    _name = "complaint.public.intake"
    _description = "Complaints Filed from the Public Pages"

    # ------------------------------------------------------------- limits
    @api.model
    def _limit(self, key):
        """The limit ``key`` of PUBLIC_LIMITS, as set in its System Parameter."""
        default = PUBLIC_LIMITS[key]
        if key not in PUBLIC_PARAMETERS:
            return default
        value = self.env["ir.config_parameter"].sudo().get_param(f"complaint_management.{key}")
        try:
            return int(value) if value else default
        except ValueError:
            _logger.warning("System parameter complaint_management.%s is not a number", key)
            return default

    @api.model
    def _max_request_size(self):
        """Bytes a public submission may take: its files, base64 in JSON being a
        third larger, and a megabyte for the texts."""
        files_mb = self._limit("public_max_files") * self._limit("public_max_file_mb")
        return int((files_mb * 4 / 3 + 1) * 1024 * 1024)

    @api.model
    def _throttle(self, scope, client):
        """Seconds ``client`` (its address) must wait before it may use
        ``scope`` (``submit``, ``track``) again, 0 if it may now. Employees
        file without a limit: the in-person kiosk on the company's premises
        registers every customer at the counter from one address."""
        if scope == "submit" and self.env.user._is_internal():
            return 0
        limit = self._limit(f"{scope}_limit")
        period = max(1, self._limit(f"{scope}_period"))
        return self.env["complaint.rate.limit"].sudo()._hit(scope, client, limit, period)

    # -------------------------------------------------------------- texts
    @api.model
    def _clean_public_text(self, text):
        """``text`` from a public page without the characters it may not keep."""
        return text.translate(PUBLIC_TEXT_DROP)

    @api.model
    def _public_text(self, text, key):
        """``text`` from a public page as it is kept: cleaned, trimmed, at most
        as long as the limit ``key`` allows; empty if it is not text."""
        if not isinstance(text, str):
            return ""
        return self._clean_public_text(text).strip()[: self._limit(key)]

    @api.model
    def _public_file_name(self, name):
        """The name of a file sent from a public page, without its folders (some
        browsers send the whole path, with ``/`` or ``\\``) or control
        characters, in at most 128 characters; ``attachment`` if nothing is left."""
        name = (name if isinstance(name, str) else "").translate(PUBLIC_NAME_DROP)
        name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if len(name) > 128:
            stem, dot, extension = name.rpartition(".")
            if not dot or len(extension) > 10:
                stem, dot, extension = name, "", ""
            name = stem[: 128 - len(dot + extension)] + dot + extension
        return name if name.strip(". ") else "attachment"

    # ------------------------------------------------------------ who files
    @api.model
    def _logged_in_customer(self):
        """The contact of the portal user filing, whose complaint is theirs (it
        is listed in their ``/my/complaints``); an empty recordset for a visitor
        without an account, whose details prove nothing, and for an employee,
        who files for a customer."""
        user = self.env.user
        return user.partner_id if user._is_portal() else self.env["res.partner"]

    @api.model
    def _public_channel_type(self, requested=None):
        """The channel of a complaint filed from the public pages:

        - ``in_person`` when the page was opened as the in-person kiosk
          (``/complaint?channel=in_person``) in an employee's session: the
          customer fills in the form on the company's premises. Asked by
          anyone else, the request is ignored;
        - ``portal`` for a customer logged in to the portal;
        - ``website`` for everyone else.
        """
        if requested == "in_person" and self.env.user._is_internal():
            return "in_person"
        if self._logged_in_customer():
            return "portal"
        return "website"

    @api.model
    def _public_form_defaults(self, channel=None):
        """What the complaint form starts with: a portal user's own name, phone
        and email; the kiosk's channel when it is granted."""
        values = {}
        customer = self._logged_in_customer()
        if customer:
            values.update(
                name=customer.name or "",
                phone=customer.mobile or customer.phone or "",
                email=customer.email or "",
            )
        if self._public_channel_type(channel) == "in_person":
            values["channel"] = "in_person"
        return values

    # ------------------------------------------------------------- submit
    @api.private
    @api.model
    def submit(self, data, files, channel=None):
        """File the complaint a customer sent from a public page: the form or
        the JSON endpoint (the caller checked the client's rate and the size).
        A logged-in portal user files for themselves (see
        :meth:`_logged_in_customer`).

        :param dict data: the public fields as sent (PUBLIC_FIELDS' values)
        :param list files: (filename, content bytes) pairs
        :param str channel: the channel the page asks for (``in_person`` from
            the kiosk link), granted as :meth:`_public_channel_type` allows
        :return: (the complaint (sudo), {}), or (False, {public field: error
            message}) and nothing is kept
        """
        channel_type = self._public_channel_type(channel)
        customer = self._logged_in_customer()
        values, errors = self._prepare_public_values(data)
        files = [(self._public_file_name(name), content) for name, content in files]
        file_error = self._check_public_files(files)
        if file_error:
            errors["attachments"] = file_error
        if not errors:
            try:
                with self.env.cr.savepoint():
                    complaint = self.sudo()._create_from_public(
                        values, files, channel_type, customer=customer
                    )
                return complaint, {}
            except UserError as error:
                errors["description"] = error.args[0]
        return False, {PUBLIC_FIELDS.get(field, field): error for field, error in errors.items()}

    @api.model
    def _prepare_public_values(self, data):
        """Check what a customer sent from the public form or the JSON endpoint.

        :param dict data: ``name``, ``phone``, ``email``, ``reference``, ``subject``,
            ``description``, ``consent``
        :return: (values for :meth:`_create_from_public`, {field: error message})
        """
        values, errors = {}, {}
        for field in (
            "partner_name",
            "phone",
            "email",
            "customer_reference",
            "subject",
            "description",
        ):
            value = data.get(PUBLIC_FIELDS[field])
            if value is not None and not isinstance(value, str):
                errors[field] = self.env._("This must be text.")
                continue
            value = self._clean_public_text(value or "").strip()
            if len(value) > self._limit(field):
                errors[field] = self.env._(
                    "At most %(count)s characters, please.", count=self._limit(field)
                )
            values[field] = value
        if not errors.get("partner_name") and not values.get("partner_name"):
            errors["partner_name"] = self.env._("Please tell us your name.")
        if not errors.get("description") and len(values.get("description") or "") < 10:
            errors["description"] = self.env._(
                "Please describe the problem (at least 10 characters)."
            )
        if not errors.get("phone"):
            if not values.get("phone"):
                errors["phone"] = self.env._("Please give a phone number we can call you back on.")
            else:
                try:
                    values["phone"] = self.env["res.partner"]._normalize_phone(values["phone"])
                except ValidationError:
                    errors["phone"] = self.env._(
                        "This phone number is not valid. "
                        "Example: 0912 345 6789 or +98 21 7490 5000."
                    )
        if not errors.get("email") and values.get("email"):
            normalized = email_normalize(values["email"])
            if not normalized:
                errors["email"] = self.env._("This email address is not valid.")
            values["email"] = normalized or values["email"]
        # True from JSON (not 1, which equals True), a checkbox value from the form.
        consent = data.get("consent")
        if consent is not True and consent not in ("1", "on", "true", "yes"):
            errors["consent"] = self.env._(
                "Please agree that we use these details to handle your complaint."
            )
        if not values.get("subject") and values.get("description"):
            first_line = values["description"].splitlines()[0]
            values["subject"] = first_line[:80] + ("…" if len(first_line) > 80 else "")
        return values, errors

    @api.model
    def _check_public_files(self, files):
        """Error message for the files of a public submission, or ``False``.

        :param list files: (filename, content bytes) pairs
        """
        max_files = self._limit("public_max_files")
        max_mb = self._limit("public_max_file_mb")
        if len(files) > max_files:
            return self.env._("At most %s files, please.", max_files)
        for filename, content in files:
            if len(content) > max_mb * 1024 * 1024:
                return self.env._(
                    "%(file)s is larger than %(size)s MB.", file=filename, size=max_mb
                )
            if guess_mimetype(content, default="") not in PUBLIC_MIMETYPES:
                return self.env._("%s is not a photo (JPEG, PNG, WebP) or a PDF.", filename)
        return False

    @api.model
    def _create_from_public(self, values, files=(), channel_type="website", customer=None):
        """A complaint filed by the customer from the public form or from the
        company's own website through the JSON endpoint: without an account,
        or as ``customer``, the contact of the logged-in portal user.

        The request does what the customer's answer needs: the complaint with
        its tracking code and step clock, and the files sent with it. The rest
        is the intake job's (``complaint.complaint._cron_intake_followup``): a
        visitor's contact of their own and what their details match, the
        message with the files, the acknowledgement and the staff's notification.

        ``values`` come from :meth:`_prepare_public_values` and ``files`` were
        checked by :meth:`_check_public_files`."""
        Complaint = self.env["complaint.complaint"]
        channel = self.env["complaint.channel"]._get_by_type(channel_type)
        vals = {
            "subject": values["subject"],
            # The customer's text is text: escaped, never taken as HTML.
            "description": plaintext2html(values["description"]),
            "partner_name": values["partner_name"],
            "phone": values["phone"],
            "email": values.get("email") or False,
            "customer_reference": values.get("customer_reference") or False,
            "channel_id": channel.id,
            "company_id": (channel.company_id or self.env.company).id,
            "reported_by_id": False,
        }
        if customer:
            # Logged in to the portal: the complaint is theirs, and the
            # acknowledgement goes to their address if they gave none.
            vals["partner_id"] = customer.id
            vals["email"] = vals["email"] or customer.email or False
        else:
            # A customer new to us gets the language they wrote in, for our
            # answers, on the contact the intake job creates.
            vals["intake_lang"] = self.env.lang or False
        # No "created" log (the intake job's note says who filed it and how),
        # and nothing to track on a new complaint.
        complaint = (
            Complaint.with_context(
                complaint_defer_intake=True, mail_create_nolog=True, mail_notrack=True
            )
            .create(vals)
            .with_env(self.env)
        )
        if files:
            self.env["ir.attachment"].create(
                [
                    {
                        "name": self._public_file_name(name),
                        "raw": content,
                        # What the file is, whatever its name says.
                        "mimetype": guess_mimetype(content),
                        "res_model": Complaint._name,
                        "res_id": complaint.id,
                    }
                    for name, content in files
                ]
            )
        return complaint

    @api.model
    def _match_public_reference(self, reference):
        """What the customer's reference points to. A product (by internal
        reference or barcode) is linked; an order or invoice, which would tie the
        complaint to somebody's documents, is only pointed out to the staff.

        :return: {"values": complaint values, "hints": [notes for the staff]}
        """
        result = {"values": {}, "hints": []}
        # The same reference whatever the case, but "%" or "_" are no wildcards:
        # "%" would point at somebody's order.
        pattern = escape_psql(reference)
        order = self.env["sale.order"].search([("name", "=ilike", pattern)], limit=1)
        invoice = self.env["account.move"].search(
            [
                ("name", "=ilike", pattern),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ],
            limit=1,
        )
        for document in (order, invoice):
            if document:
                result["hints"].append(
                    self.env._(
                        "The reference %(reference)s matches %(document)s of %(customer)s.",
                        reference=reference,
                        document=document.display_name,
                        customer=document.partner_id.display_name,
                    )
                )
        product = self.env["product.product"].search(
            ["|", ("default_code", "=ilike", pattern), ("barcode", "=", reference)], limit=1
        )
        if product:
            result["values"]["product_id"] = product.id
        return result
