import base64
import binascii
import json
import logging
import re

from werkzeug.exceptions import RequestEntityTooLarge

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
CORS_ORIGINS_PARAM = "complaint_management.api_cors_origins"
CORS_MAX_AGE = 60 * 60 * 24


class _CappedInput:
    """The body of a request without Content-Length (chunked), refused with a
    413 past ``limit`` bytes: werkzeug 2.x reads such a body whole whatever
    ``max_content_length`` says (werkzeug 3 counts it as well)."""

    def __init__(self, stream, limit):
        self._stream = stream
        self._left = limit

    def read(self, size=-1):  # pylint: disable=method-required-super
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(64 * 1024), b""))
        if self._left < 0:
            raise RequestEntityTooLarge()
        data = self._stream.read(min(size, self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise RequestEntityTooLarge()
        return data


def _public_body_limit(controller):
    """``max_content_length`` of the public POST routes; Odoo calls it with the
    controller before the body is read."""
    return controller._limit_body()


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

    def _limit_body(self):
        """The body limit werkzeug applies to the public POST routes.

        Werkzeug refuses (413) a body whose Content-Length is over twice
        :meth:`_max_body` before reading it; up to there the routes answer a
        body over the limit themselves: the form with its message, a JSON error.
        A body without Content-Length (chunked) is cut at the limit itself."""
        limit = self._max_body()
        # The WSGI environ of the request, as odoo.addons.bus reaches it: Odoo's
        # request object keeps only a copy without the input stream.
        environ = request.httprequest._HTTPRequest__environ
        if request.httprequest.content_length is None and environ.get("wsgi.input_terminated"):
            environ["wsgi.input"] = _CappedInput(environ["wsgi.input"], limit)
        return 2 * limit

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

    @http.route(
        "/complaint/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        max_content_length=_public_body_limit,
    )
    def complaint_submit(self, **post):
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
        if self._body_too_large():
            return self._render(
                "complaint_management.complaint_public_form",
                self._form_context(
                    post,
                    {"attachments": request.env._("The files are too large altogether.")},
                ),
                status=413,
            )
        complaints = self._complaints()
        values, errors = complaints._prepare_public_values(post)
        files = [
            (complaints._public_file_name(upload.filename), upload.read())
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
        clean = self._complaints()._clean_public_text
        code = clean(code)[:64] if isinstance(code, str) else ""
        contact = clean(contact)[:254] if isinstance(contact, str) else ""
        values = {"code": code, "contact": contact, "complaint": None}
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
    def _cors_origin(self):
        """The Origin of the request when it is one of the websites allowed to
        call the API from a browser (System Parameter ``api_cors_origins``: exact
        origins such as ``https://www.example.com``, separated by commas or
        spaces), else ``None``."""
        origin = request.httprequest.headers.get("Origin")
        if not origin:
            return None
        param = request.env["ir.config_parameter"].sudo().get_param(CORS_ORIGINS_PARAM) or ""
        allowed = {entry.rstrip("/").lower() for entry in re.split(r"[\s,]+", param)}
        return origin if "://" in origin and origin.lower() in allowed else None

    def _with_cors(self, response, preflight=False):
        response.vary.add("Origin")
        origin = self._cors_origin()
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            if preflight:
                response.headers["Access-Control-Allow-Methods"] = "POST"
                response.headers["Access-Control-Allow-Headers"] = (
                    "Content-Type, Accept, Accept-Language"
                )
                response.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE)
        return response

    def _json(self, payload, status):
        return self._with_cors(request.make_json_response(payload, status=status))

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

    def _api_body(self):
        """The body of the request, or ``None`` when it is over :meth:`_max_body`.
        A longer Content-Length is not read at all, and a body without one
        (chunked) is read up to the limit only (see :meth:`_limit_body`)."""
        if self._body_too_large():
            return None
        try:
            body = request.httprequest.get_data()
        except RequestEntityTooLarge:
            return None
        return None if len(body) > self._max_body() else body

    def _api_files(self, attachments):
        if attachments in (None, []):
            return [], False
        if not isinstance(attachments, list):
            return [], request.env._("A list of {filename, content} objects is expected.")
        complaints = self._complaints()
        files = []
        for item in attachments:
            if not isinstance(item, dict) or not isinstance(item.get("content"), str):
                return [], request.env._("A list of {filename, content} objects is expected.")
            try:
                content = base64.b64decode(item["content"], validate=True)
            except (binascii.Error, ValueError):
                return [], request.env._("The content of a file is not valid base64.")
            files.append((complaints._public_file_name(item.get("filename")), content))
        return files, False

    @http.route(
        "/complaint/api/v1/complaints",
        type="http",
        auth="public",
        methods=["POST", "OPTIONS"],
        csrf=False,
        save_session=False,
        max_content_length=_public_body_limit,
    )
    def api_submit(self, **kwargs):
        """File a complaint from another website; see the OpenAPI document."""
        if request.httprequest.method == "OPTIONS":
            # The browser asks whether the website it runs may post here.
            response = request.make_response("", headers=[("Allow", "OPTIONS, POST")], status=204)
            return self._with_cors(response, preflight=True)
        request.update_context(lang=self._api_lang({}))
        # Before anything of the body is read: a client over the limit costs little.
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
        if request.httprequest.mimetype != "application/json":
            return self._json(
                {"error": "unsupported_media_type", "message": "Send application/json."}, 415
            )
        body = self._api_body()
        if body is None:
            return self._json(
                {"error": "too_large", "message": request.env._("The request is too large.")},
                413,
            )
        try:
            data = json.loads(body.decode(errors="replace") or "null")
        except (ValueError, RecursionError):
            # RecursionError: arrays or objects nested too deep for the parser.
            data = None
        if not isinstance(data, dict):
            return self._json(
                {"error": "invalid_json", "message": "The body must be a JSON object."}, 400
            )
        request.update_context(lang=self._api_lang(data))
        complaints = self._complaints()
        # JSON says yes with true, not with "yes" or 1 (the form has its checkbox).
        values, errors = complaints._prepare_public_values(
            dict(data, consent=data.get("consent") is True)
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
        save_session=False,
    )
    def api_openapi(self, **kwargs):
        with file_open("complaint_management/static/api/openapi.json") as document_file:
            document = json.load(document_file)
        document["servers"] = [{"url": request.httprequest.host_url.rstrip("/")}]
        return self._json(document, 200)
