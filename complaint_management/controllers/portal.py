import logging
from collections import OrderedDict
from urllib.parse import urlencode as url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.complaint_survey import SCORES

_logger = logging.getLogger(__name__)


def _readonly_unless_post(_controller):
    """``readonly`` of a route that only reads on GET and acts on POST: Odoo
    serves the GET from the replica when it has one (``db_replica_host``)."""
    return request.httprequest.method != "POST"


class ComplaintPortal(CustomerPortal):
    """/my/complaints: the customer's complaints, the decision on a proposed
    response and the final survey, for portal users and for token links."""

    def _complaint_domain(self):
        return [("partner_id", "child_of", request.env.user.commercial_partner_id.ids)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["complaint.complaint"]
            values["complaint_count"] = (
                Complaint.search_count(self._complaint_domain())
                if Complaint.has_access("read")
                else 0
            )
        return values

    def _complaint_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_received desc, id desc"},
            "code": {"label": request.env._("Tracking code"), "order": "name desc"},
            "status": {"label": request.env._("Status"), "order": "stage_id, date_received desc"},
        }

    def _complaint_filters(self):
        return OrderedDict(
            [
                ("all", {"label": request.env._("All"), "domain": []}),
                ("open", {"label": request.env._("Open"), "domain": [("is_closed", "=", False)]}),
                (
                    "closed",
                    {"label": request.env._("Closed"), "domain": [("is_closed", "=", True)]},
                ),
            ]
        )

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaints(self, page=1, sortby="date", filterby="all", **kwargs):
        Complaint = request.env["complaint.complaint"]
        sortings = self._complaint_sortings()
        filters = self._complaint_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._complaint_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Complaint.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        complaints = Complaint.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Searched with the user's rights; shown with what the page needs.
                "complaints": complaints.sudo(),
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "step_labels": dict(
                    Complaint._fields["customer_step"]._description_selection(request.env)
                ),
            }
        )
        return request.render("complaint_management.portal_my_complaints", values)

    def _complaint_check_access(self, complaint_id, access_token=None, act=False):
        """The complaint (sudo) if the user may see it, by record rule or by a
        valid, unexpired token; raises AccessError or MissingError otherwise.

        :param bool act: the customer's own acts (decision, survey): only with the
            token of the link sent to the customer, or as the customer on the portal,
            never as an employee who merely reads the complaint."""
        complaint_sudo = self._document_check_access(
            "complaint.complaint", complaint_id, access_token
        )
        user = request.env.user
        by_token = bool(access_token) and consteq(complaint_sudo.access_token or "", access_token)
        by_rule = not user._is_public() and request.env["complaint.complaint"].browse(
            complaint_id
        ).has_access("read")
        if act and not user.share:
            # The customer's own acts are the customer's: an employee who holds
            # the link (it is in the chatter) records a phone answer instead.
            raise AccessError(
                request.env._(
                    "Only the customer can answer here; record their answer in the backend."
                )
            )
        if act and not by_token:
            by_rule = (
                by_rule
                and user.share
                and (complaint_sudo.partner_id.commercial_partner_id == user.commercial_partner_id)
            )
        if not by_rule:
            if not by_token:
                raise AccessError(request.env._("This link is not valid."))
            if complaint_sudo._portal_token_expired():
                raise AccessError(request.env._("This link has expired."))
        return complaint_sudo.with_context(lang=request.env.lang)

    @staticmethod
    def _customer_text(text):
        """A reason or comment the customer typed, as it is kept."""
        return request.env["complaint.public.intake"]._public_text(text, "customer_text")

    def _complaint_url(self, complaint_sudo, access_token, anchor="", **params):
        """The complaint's page, with the token it was opened with and ``params``."""
        query = url_encode({"access_token": access_token, **params} if access_token else params)
        return f"/my/complaints/{complaint_sudo.id}{'?' if query else ''}{query}{anchor}"

    def _complaint_pager(self, complaint_sudo):
        """Previous and next in the list the user last saw (Odoo's record
        pager), without tokens in the links: that list was searched with the
        user's own rights, which open these pages. Odoo's pager would add each
        neighbour's token, writing one on a complaint that has none yet: a
        write on a read-only page."""
        history = request.session.get("my_complaints_history", [])
        if complaint_sudo.id not in history:
            return {}
        index = history.index(complaint_sudo.id)
        neighbours = {
            "prev_record": history[index - 1] if index else False,
            "next_record": history[index + 1] if index + 1 < len(history) else False,
        }
        return {
            key: complaint_id and complaint_sudo.browse(complaint_id).access_url
            for key, complaint_id in neighbours.items()
        }

    @http.route(
        "/my/complaints/<int:complaint_id>",
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_complaint(self, complaint_id, access_token=None, message=None, **kwargs):
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        step_labels = dict(
            complaint_sudo._fields["customer_step"]._description_selection(request.env)
        )
        values = {
            "complaint": complaint_sudo,
            "page_name": "complaint",
            "step_labels": step_labels,
            "history": complaint_sudo._customer_history(),
            "approval": complaint_sudo._current_approval(),
            "last_survey": complaint_sudo._current_survey()
            or complaint_sudo.survey_ids.sorted("id")[-1:],
            "survey_waits_for_call": complaint_sudo._survey_waits_for_call(),
            "scores": SCORES,
            "message": message,
            "error": kwargs.get("error"),
            "access_token": access_token,
        }
        # No session history for Odoo's pager: ours is _complaint_pager.
        values = self._get_page_view_values(
            complaint_sudo, access_token, values, None, False, **kwargs
        )
        values.update(self._complaint_pager(complaint_sudo))
        return request.render("complaint_management.portal_my_complaint", values)

    @http.route(
        "/my/complaints/<int:complaint_id>/decision",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_complaint_decision(
        self, complaint_id, decision=None, reason=None, access_token=None, **kwargs
    ):
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token, act=True)
        except (AccessError, MissingError):
            return request.redirect("/my")
        params = {}
        if decision in ("accept", "reject"):
            try:
                with request.env.cr.savepoint():
                    complaint_sudo._apply_customer_decision(
                        decision == "accept",
                        reason=self._customer_text(reason),
                        channel="portal",
                    )
            except UserError as error:
                # A rejection without a reason; or decided already (e.g.
                # twice-clicked, or by phone): the page shows the decision that
                # stands, and the reason's error only while it is open.
                _logger.info("Complaint %s: portal decision not applied: %s", complaint_id, error)
                params = {"error": "reason"} if decision == "reject" else {}
        return request.redirect(
            self._complaint_url(complaint_sudo, access_token, "#decision", **params)
        )

    @http.route(
        "/my/complaints/<int:complaint_id>/survey",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        readonly=_readonly_unless_post,
    )
    def portal_complaint_survey(self, complaint_id, access_token=None, **post):
        try:
            complaint_sudo = self._complaint_check_access(
                complaint_id, access_token, act=request.httprequest.method == "POST"
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if request.httprequest.method != "POST":
            return request.redirect(self._complaint_url(complaint_sudo, access_token, "#survey"))
        keys = dict(SCORES)
        result, process = post.get("result_score"), post.get("process_score")
        satisfied = post.get("fully_satisfied")
        if result not in keys or process not in keys or satisfied not in ("yes", "no"):
            return request.redirect(
                self._complaint_url(complaint_sudo, access_token, "#survey", error="survey")
            )
        try:
            with request.env.cr.savepoint():
                complaint_sudo._apply_survey(
                    result,
                    process,
                    satisfied == "yes",
                    comment=self._customer_text(post.get("comment")) or False,
                    channel="portal",
                )
        except UserError:
            return request.redirect(self._complaint_url(complaint_sudo, access_token, "#survey"))
        return request.redirect(
            self._complaint_url(complaint_sudo, access_token, "#survey", message="survey")
        )
