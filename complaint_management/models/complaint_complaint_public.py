import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.sql import escape_psql

_logger = logging.getLogger(__name__)


class ComplaintComplaint(models.Model):
    """What customers send from the public pages: checks, limits and the
    complaint they file; the tracking lookup."""

    _inherit = "complaint.complaint"

    customer_reference = fields.Char(
        help="Order, invoice or product reference the customer gave on the public form.",
    )

    PUBLIC_LIMITS = {
        "partner_name": 100,
        "phone": 32,
        "email": 254,
        "customer_reference": 64,
        "subject": 120,
        "description": 5000,
    }

    PUBLIC_MIMETYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")

    # What a customer's text does not keep: the C0 control characters but tab
    # and line breaks (PostgreSQL refuses NUL, the others show as nothing), and
    # lone surrogates (JSON can carry "\ud800", UTF-8 cannot store it). File
    # names keep no tab or line break either.
    PUBLIC_TEXT_DROP = dict.fromkeys(
        [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000)]
    )

    PUBLIC_NAME_DROP = {**PUBLIC_TEXT_DROP, 0x09: None, 0x0A: None, 0x0D: None}

    @api.model
    def _clean_public_text(self, text):
        """``text`` from a public page without the characters it may not keep."""
        return text.translate(self.PUBLIC_TEXT_DROP)

    @api.model
    def _public_file_name(self, name):
        """The name of a file sent from a public page, without its folders (some
        browsers send the whole path, with ``/`` or ``\\``) or control
        characters, in at most 128 characters; ``attachment`` if nothing is left."""
        name = (name if isinstance(name, str) else "").translate(self.PUBLIC_NAME_DROP)
        name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
        if len(name) > 128:
            stem, dot, extension = name.rpartition(".")
            if not dot or len(extension) > 10:
                stem, dot, extension = name, "", ""
            name = stem[: 128 - len(dot + extension)] + dot + extension
        return name if name.strip(". ") else "attachment"

    @api.model
    def _public_param(self, key, default):
        """A limit of the public pages (System Parameters ``complaint_management.*``)."""
        value = self.env["ir.config_parameter"].sudo().get_param(f"complaint_management.{key}")
        try:
            return int(value) if value else default
        except ValueError:
            _logger.warning("System parameter complaint_management.%s is not a number", key)
            return default

    @api.model
    def _prepare_public_values(self, data):
        """Check what a customer sent from the public form or the JSON endpoint.

        :param dict data: ``name``, ``phone``, ``email``, ``reference``, ``subject``,
            ``description``, ``consent``
        :return: (values for :meth:`_create_from_public`, {field: error message})
        """
        raw = {
            "partner_name": data.get("name"),
            "phone": data.get("phone"),
            "email": data.get("email"),
            "customer_reference": data.get("reference"),
            "subject": data.get("subject"),
            "description": data.get("description"),
        }
        values, errors = {}, {}
        for field, value in raw.items():
            if value is not None and not isinstance(value, str):
                errors[field] = self.env._("This must be text.")
                continue
            value = self._clean_public_text(value or "").strip()
            if len(value) > self.PUBLIC_LIMITS[field]:
                errors[field] = self.env._(
                    "At most %(count)s characters, please.", count=self.PUBLIC_LIMITS[field]
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
                    values["phone"] = self._normalize_phone(values["phone"])
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
        max_files = self._public_param("public_max_files", 5)
        max_mb = self._public_param("public_max_file_mb", 5)
        if len(files) > max_files:
            return self.env._("At most %s files, please.", max_files)
        for filename, content in files:
            if len(content) > max_mb * 1024 * 1024:
                return self.env._(
                    "%(file)s is larger than %(size)s MB.", file=filename, size=max_mb
                )
            if guess_mimetype(content, default="") not in self.PUBLIC_MIMETYPES:
                return self.env._("%s is not a photo (JPEG, PNG, WebP) or a PDF.", filename)
        return False

    @api.model
    def _create_from_public(self, values, files=(), channel_type="website"):
        """A complaint filed by the customer without an account: from the public
        form or from the company's own website through the JSON endpoint.

        ``values`` come from :meth:`_prepare_public_values` and ``files`` were
        checked by :meth:`_check_public_files`."""
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
        # A customer new to us gets the language they wrote in, for our answers.
        # Nothing typed on a public page proves who the sender is: the complaint
        # gets a contact of its own, and what the details match is only shown to
        # the staff, who link the customer and the documents once they checked.
        Partner = self.env["res.partner"]
        known = Partner._find_by_email_or_phone(email=vals["email"]) if vals["email"] else Partner
        known = known or Partner._find_by_email_or_phone(phone=vals["phone"])
        vals["partner_id"] = Partner.create(
            {
                "name": vals["partner_name"],
                "phone": vals["phone"],
                "email": vals["email"],
                "lang": self.env.lang or False,
                "company_id": False,
            }
        ).id
        hints = []
        if known:
            hints.append(
                self.env._(
                    "The phone or email given matches the existing customer %s.",
                    known.display_name,
                )
            )
        if vals["customer_reference"]:
            found = self._match_public_reference(vals["customer_reference"])
            vals.update(found.pop("values"))
            hints += found["hints"]
        # No "created" log: the intake job's note says who filed it and how.
        complaint = (
            self.with_context(complaint_defer_intake=True, mail_create_nolog=True)
            .create(vals)
            .with_env(self.env)
        )
        if hints:
            complaint.message_post(
                body=Markup("<br/>").join(
                    [self.env._("To check before linking the customer or documents:"), *hints]
                ),
                subtype_xmlid="mail.mt_note",
            )
        if files:
            attachments = self.env["ir.attachment"].create(
                [
                    {
                        "name": self._public_file_name(name),
                        "raw": content,
                        # What the file is, whatever its name says.
                        "mimetype": guess_mimetype(content),
                        "res_model": self._name,
                        "res_id": complaint.id,
                    }
                    for name, content in files
                ]
            )
            complaint.message_post(
                body=self.env._("Files sent with the complaint."),
                attachment_ids=attachments.ids,
                author_id=complaint.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
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

    @api.model
    def _find_for_tracking(self, code, contact):
        """The complaint with this tracking code, if ``contact`` is the phone or
        the email it was filed with; otherwise nothing, whichever half was wrong."""
        code = (code or "").strip().upper()
        contact = (contact or "").strip()
        if not code or not contact:
            return self.browse()
        complaint = self.with_context(active_test=False).search([("name", "=", code)], limit=1)
        if not complaint:
            return self.browse()
        if "@" in contact:
            given = email_normalize(contact)
            known = {email_normalize(e) for e in (complaint.email, complaint.partner_id.email) if e}
        else:
            try:
                given = self._normalize_phone(contact)
            except ValidationError:
                return self.browse()
            partner = complaint.partner_id
            known = {complaint.phone}
            for number in (partner.phone, partner.mobile):
                if number:
                    try:
                        known.add(self._normalize_phone(number))
                    except ValidationError:
                        continue
        if not given or given not in known:
            return self.browse()
        # A merged complaint is followed where it went.
        return complaint.merged_into_id or complaint
