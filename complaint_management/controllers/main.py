import base64
import binascii
import json
import logging
import re

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import http
from odoo.http import request
from odoo.tools import file_open

from ..models.complaint_public_intake import HONEYPOT
from ..tools.jalali import format_for_reader

_logger = logging.getLogger(__name__)

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
    the company's own website. What is sent is the complaint.public.intake's
    business: here only HTTP."""

    # ------------------------------------------------------------- helpers
    @staticmethod
    def _intake():
        return request.env["complaint.public.intake"]

    def _throttle(self, scope):
        """Seconds the client must wait before it may use ``scope`` again, 0 if
        it may now."""
        return self._intake()._throttle(scope, request.httprequest.remote_addr or "unknown")

    def _max_body(self):
        return self._intake()._max_request_size()

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
        """The form's page; ``errors`` by public field name. ``values`` carry
        the kiosk's ``channel`` from one submission to the next."""
        values = values or {}
        Channel = request.env["complaint.channel"].sudo()
        channel_type = self._intake()._public_channel_type(values.get("channel"))
        channel = Channel._get_by_type(channel_type)
        next_answer = channel and channel._next_answering_time()
        context = {
            "values": values,
            "errors": errors or {},
            "next_answer": next_answer and self._format_company_time(channel, next_answer),
            "honeypot": HONEYPOT,
            "max_files": self._intake()._limit("public_max_files"),
            "max_file_mb": self._intake()._limit("public_max_file_mb"),
            "languages": request.env["res.lang"]._get_frontend(),
            "channel_type": channel_type,
            "customer": self._intake()._logged_in_customer(),
            "channels": Channel._customer_channels(),
        }
        context.update(extra)
        return context

    @staticmethod
    def _format_company_time(channel, value):
        tz = channel.resource_calendar_id.tz or request.env["complaint.complaint"]._company_tz(
            channel.company_id
        )
        return format_for_reader(request.env, value, tz, dt_format="full")

    def _render(self, template, values, status=200):
        response = request.render(template, values)
        response.status_code = status
        return response

    # ------------------------------------------------------------ the form
    @http.route("/complaint", type="http", auth="public", website=True, methods=["GET"])
    def complaint_form(self, channel=None, **kwargs):
        """The form; ``?channel=in_person`` is the kiosk on the company's
        premises, granted in an employee's session only."""
        defaults = self._intake()._public_form_defaults(channel)
        return self._render(
            "complaint_management.complaint_public_form", self._form_context(defaults)
        )

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
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        complaint, errors = self._intake().submit(post, files, channel=post.get("channel"))
        if errors:
            return self._render(
                "complaint_management.complaint_public_form",
                self._form_context(post, errors),
                status=400,
            )
        return self._render("complaint_management.complaint_public_done", {"complaint": complaint})

    # ------------------------------------------------------------ tracking
    # Read-only (served from the replica when Odoo has one, ``db_replica_host``):
    # the lookup writes nothing; its rate limit counts on the primary.
    @http.route(
        "/complaint/track",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        readonly=True,
    )
    def complaint_track(self, code=None, contact=None, **kwargs):
        text = self._intake()._public_text
        code, contact = text(code, "tracking_code"), text(contact, "tracking_contact")
        values = {
            "code": code,
            "contact": contact,
            "complaint": None,
            "channels": request.env["complaint.channel"].sudo()._customer_channels(),
        }
        if request.httprequest.method != "POST":
            return self._render("complaint_management.complaint_public_track", values)
        wait = self._throttle("track")
        if wait:
            values["too_many"] = wait
            return self._render("complaint_management.complaint_public_track", values, 429)
        complaint = request.env["complaint.complaint"].sudo()._find_for_tracking(code, contact)
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
        """The (filename, content) pairs of the body's ``attachments``, and the
        error message when they are not {filename, content base64} objects."""
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
            files.append((item.get("filename"), content))
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
        files, file_error = self._api_files(data.get("attachments"))
        if file_error:
            complaint, errors = False, {"attachments": file_error}
        else:
            # JSON says yes with true, not with "yes" or 1 (the form has its checkbox).
            complaint, errors = self._intake().submit(
                dict(data, consent=data.get("consent") is True), files
            )
        if errors:
            return self._json(
                {
                    "error": "validation",
                    "message": request.env._("Some fields need correcting."),
                    "fields": errors,
                },
                400,
            )
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
        readonly=True,
    )
    def api_openapi(self, **kwargs):
        with file_open("complaint_management/static/api/openapi.json") as document_file:
            document = json.load(document_file)
        document["servers"] = [{"url": request.httprequest.host_url.rstrip("/")}]
        return self._json(document, 200)
