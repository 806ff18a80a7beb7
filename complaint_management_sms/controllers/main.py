import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import consteq

_logger = logging.getLogger(__name__)


class ComplaintSms(http.Controller):
    @http.route(
        [
            "/c/<int:complaint_id>/<string:token>",
            "/c/<int:complaint_id>/<string:token>/<string:page>",
        ],
        type="http",
        auth="public",
        methods=["GET"],
        save_session=False,
    )
    def short_link(self, complaint_id, token, page=None, **kwargs):
        """The short link of an SMS: the portal page checks the token."""
        suffix = "/survey" if page == "s" else ""
        return request.redirect_query(
            f"/my/complaints/{complaint_id}{suffix}", {"access_token": token}
        )

    @http.route(
        "/complaint_sms/delivery/<int:gateway_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def delivery_callback(self, gateway_id, token, **params):
        """Delivery statuses pushed by the provider, authenticated by the secret
        in the address (given in the provider's panel)."""
        gateway = request.env["complaint.sms.gateway"].sudo().browse(gateway_id).exists()
        if not gateway or not consteq(gateway.webhook_token or "", token):
            raise NotFound()
        statuses = gateway._provider().parse_callback(params)
        if statuses:
            gateway._apply_delivery(statuses)
        else:
            _logger.info("SMS gateway %s: delivery callback without a status", gateway_id)
        return request.make_response("OK", headers=[("Content-Type", "text/plain")])
