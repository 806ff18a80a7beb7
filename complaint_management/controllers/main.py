import base64
import binascii
import json
import logging

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import file_open

from ..models.jalali import format_for_reader

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
HONEYPOT = "website_url"


class ComplaintPublic(http.Controller):
    """Pages for customers without an account: the complaint form (the website
    channel, open 24/7), the tracking page, and the same submission as JSON for
    the company's own website."""

    # ------------------------------------------------------------- helpers
    @staticmethod
    def _complaints():
        return request.env["complaint.complaint"]

    def _throttle(self, scope):
        """Seconds the client must wait before it may use ``scope`` again, 0 if
        it may now. Limits are System Parameters, see README."""
        defaults = {"submit": (5, 3600), "track": (10, 600)}
        limit_default, period_default = defaults[scope]
        complaints = self._complaints()
        limit = complaints._public_param(f"{scope}_limit", limit_default)
        period = max(1, complaints._public_param(f"{scope}_period", period_default))
        address = request.httprequest.remote_addr or "unknown"
        return request.env["complaint.rate.limit"].sudo()._hit(scope, address, limit, period)

    def _max_body(self):
        complaints = self._complaints()
        max_files = complaints._public_param("public_max_files", 5)
        max_mb = complaints._public_param("public_max_file_mb", 5)
        # base64 in JSON is a third larger; the text fields take little.
        return int((max_files * max_mb * 4 / 3 + 1) * 1024 * 1024)

    def _body_too_large(self):
        length = request.httprequest.content_length
        return bool(length and length > self._max_body())

    def _form_context(self, values=None, errors=None, **extra):
        channel = request.env["complaint.channel"].sudo()._get_by_type("website")
        next_answer = channel and channel._next_answering_time()
        context = {
            "values": values or {},
            "errors": {PUBLIC_FIELDS.get(k, k): v for k, v in (errors or {}).items()},
            "next_answer": next_answer and self._format_company_time(channel, next_answer),
            "honeypot": HONEYPOT,
            "max_files": self._complaints()._public_param("public_max_files", 5),
            "max_file_mb": self._complaints()._public_param("public_max_file_mb", 5),
            "languages": request.env["res.lang"]._get_frontend(),
        }
        context.update(extra)
        return context

    @staticmethod
    def _format_company_time(channel, value):
        tz = channel.resource_calendar_id.tz or "Asia/Tehran"
        return format_for_reader(request.env, value, tz, dt_format="full")

    def _render(self, template, values, status=200):
        response = request.render(template, values)
        response.status_code = status
        return response

    # ------------------------------------------------------------ the form
    @http.route("/complaint", type="http", auth="public", website=True, methods=["GET"])
    def complaint_form(self, **kwargs):
        return self._render("complaint_management.complaint_public_form", self._form_context())

    @http.route("/complaint/submit", type="http", auth="public", website=True, methods=["POST"])
    def complaint_submit(self, **post):
        if self._body_too_large():
            return self._render(
                "complaint_management.complaint_public_form",
                self._form_context(
                    post,
                    {"attachments": request.env._("The files are too large altogether.")},
                ),
                status=413,
            )
        if post.get(HONEYPOT):
            # Filled in by a robot: answer as if all went well, keep nothing.
            _logger.info("Public complaint form: honeypot filled, submission dropped")
            return self._render("complaint_management.complaint_public_done", {"complaint": None})
        wait = self._throttle("submit")
        if wait:
            return self._render(
                "complaint_management.complaint_public_form",
                self._form_context(post, too_many=wait),
                status=429,
            )
        complaints = self._complaints()
        values, errors = complaints._prepare_public_values(post)
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        file_error = complaints._check_public_files(files)
        if file_error:
            errors["attachments"] = file_error
        if errors:
            return self._render(
                "complaint_management.complaint_public_form",
                self._form_context(post, errors),
                status=400,
            )
        try:
            with request.env.cr.savepoint():
                complaint = complaints.sudo()._create_from_public(values, files)
        except UserError as error:
            return self._render(
                "complaint_management.complaint_public_form",
                self._form_context(post, {"description": error.args[0]}),
                status=400,
            )
        return self._render("complaint_management.complaint_public_done", {"complaint": complaint})

    # ------------------------------------------------------------ tracking
    @http.route(
        "/complaint/track", type="http", auth="public", website=True, methods=["GET", "POST"]
    )
    def complaint_track(self, code=None, contact=None, **kwargs):
        values = {"code": code or "", "contact": contact or "", "complaint": None}
        if request.httprequest.method != "POST":
            return self._render("complaint_management.complaint_public_track", values)
        wait = self._throttle("track")
        if wait:
            values["too_many"] = wait
            return self._render("complaint_management.complaint_public_track", values, 429)
        complaint = self._complaints().sudo()._find_for_tracking(code, contact)
        if not complaint:
            values["not_found"] = True
            return self._render("complaint_management.complaint_public_track", values, 404)
        values["complaint"] = complaint.with_context(lang=request.env.lang)
        return self._render("complaint_management.complaint_public_track", values)

    # ------------------------------------------------------------ JSON API
    def _json(self, payload, status):
        return request.make_json_response(payload, status=status)

    def _api_lang(self, data):
        """The language of the answers: ``lang`` in the body, else the
        Accept-Language header, among the languages installed."""
        active = request.env["res.lang"]._get_frontend()
        wanted = [data.get("lang")] if isinstance(data.get("lang"), str) else []
        wanted += [lang for lang, _quality in request.httprequest.accept_languages]
        for code in wanted:
            nearest = request.env["ir.http"].get_nearest_lang((code or "").replace("-", "_"))
            if nearest and nearest in active:
                return nearest
        return request.env.lang

    def _api_files(self, attachments):
        if attachments in (None, []):
            return [], False
        if not isinstance(attachments, list):
            return [], request.env._("A list of {filename, content} objects is expected.")
        files = []
        for item in attachments:
            if not isinstance(item, dict) or not isinstance(item.get("content"), str):
                return [], request.env._("A list of {filename, content} objects is expected.")
            try:
                content = base64.b64decode(item["content"], validate=True)
            except (binascii.Error, ValueError):
                return [], request.env._("The content of a file is not valid base64.")
            files.append((str(item.get("filename") or "attachment")[:128], content))
        return files, False

    @http.route(
        "/complaint/api/v1/complaints",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        cors="*",
        save_session=False,
    )
    def api_submit(self, **kwargs):
        """File a complaint from another website; see the OpenAPI document."""
        if self._body_too_large():
            return self._json(
                {"error": "too_large", "message": request.env._("The request is too large.")},
                413,
            )
        mimetype = request.httprequest.mimetype
        if mimetype != "application/json":
            return self._json(
                {"error": "unsupported_media_type", "message": "Send application/json."}, 415
            )
        try:
            data = json.loads(request.httprequest.get_data(as_text=True) or "null")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return self._json(
                {"error": "invalid_json", "message": "The body must be a JSON object."}, 400
            )
        request.update_context(lang=self._api_lang(data))
        wait = self._throttle("submit")
        if wait:
            response = self._json(
                {
                    "error": "too_many_requests",
                    "message": request.env._("Too many complaints from your address; retry later."),
                },
                429,
            )
            response.headers["Retry-After"] = str(wait)
            return response
        complaints = self._complaints()
        consent = data.get("consent")
        values, errors = complaints._prepare_public_values(
            dict(data, consent=consent is True or consent)
        )
        files, file_error = self._api_files(data.get("attachments"))
        file_error = file_error or complaints._check_public_files(files)
        if file_error:
            errors["attachments"] = file_error
        if errors:
            return self._json(
                {
                    "error": "validation",
                    "message": request.env._("Some fields need correcting."),
                    "fields": {PUBLIC_FIELDS.get(k, k): v for k, v in errors.items()},
                },
                400,
            )
        try:
            with request.env.cr.savepoint():
                complaint = complaints.sudo()._create_from_public(values, files)
        except UserError as error:
            return self._json({"error": "rejected", "message": error.args[0]}, 400)
        base = complaint.get_base_url()
        return self._json(
            {
                "tracking_code": complaint.name,
                "status": complaint.customer_step,
                "status_label": dict(
                    complaint._fields["customer_step"]._description_selection(request.env)
                )[complaint.customer_step],
                "track_url": f"{base}/complaint/track",
            },
            201,
        )

    @http.route(
        "/complaint/api/v1/openapi.json",
        type="http",
        auth="public",
        methods=["GET"],
        cors="*",
        save_session=False,
    )
    def api_openapi(self, **kwargs):
        with file_open("complaint_management/static/api/openapi.json") as document_file:
            document = json.load(document_file)
        document["servers"] = [{"url": request.httprequest.host_url.rstrip("/")}]
        return self._json(document, 200)
