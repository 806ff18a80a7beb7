import json
from unittest.mock import patch

from odoo.http import Request
from odoo.tests import tagged

from .common import ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestReadonlyRoutes(ComplaintHttpCommon):
    """The customer's pages that only read are served on a read-only cursor,
    which is the replica's when Odoo has one (``db_replica_host``), and write
    nothing on it. In tests Odoo's read-only cursor refuses writes as a replica
    does: a write makes Odoo warn "retrying with a read/write cursor" and serve
    the page again on the primary."""

    def _served(self, url, data=None, headers=None):
        """The response to ``url`` and how Odoo served it: the ``readonly`` of
        each transaction it opened for the request. Fails when the request
        wrote on its read-only cursor (Odoo's warning, then a retry)."""
        modes = []
        transactioning = Request._transactioning

        def spy(request, func, readonly):
            modes.append(readonly)
            return transactioning(request, func, readonly)

        with (
            patch.object(Request, "_transactioning", spy),
            self.assertNoLogs("odoo.http", "WARNING"),
        ):
            response = self.url_open(url, data=data, headers=headers, allow_redirects=False)
        return response, modes

    def _track(self, code, contact):
        csrf = self._csrf("/complaint/track")
        return self._served(
            "/complaint/track", {"code": code, "contact": contact, "csrf_token": csrf}
        )

    def _file(self, count):
        """``count`` complaints of the portal user, without tokens, as imported
        complaints are: no link was ever made for them."""
        complaints = self.Complaint.create(
            [
                {
                    "subject": f"Drum noise {n}",
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                }
                for n in range(count)
            ]
        )
        complaints.sudo().write({"access_token": False})
        return complaints

    def test_tracking_lookup_reads_only(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        page, modes = self._served("/complaint/track")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Show the status", page.text)
        self.assertEqual(modes, [True], "the form is served read-only")

        found, modes = self._track(complaint.name, "0912 111 2299")
        self.assertEqual(found.status_code, 200)
        self.assertIn("Waiting for your decision", found.text)
        self.assertEqual(modes, [True], "the lookup is served read-only")

        not_found, modes = self._track(complaint.name, "09127778899")
        self.assertEqual(not_found.status_code, 404)
        self.assertIn("We found no complaint with this tracking code", not_found.text)
        self.assertEqual(modes, [True])

    def test_tracking_limit_holds_on_the_read_only_route(self):
        """Each lookup is counted on the primary, in its own transaction: the
        limit refuses the lookup past it although the route writes nothing."""
        self._set_params(track_limit=2, track_period=600)
        complaint = self._new(partner_id=self.customer.id)
        for _attempt in range(2):
            response, modes = self._track(complaint.name, "09120000000")
            self.assertEqual(response.status_code, 404)
            self.assertEqual(modes, [True])
        refused, modes = self._track(complaint.name, "09121112299")
        self.assertEqual(modes, [True])
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Too many attempts from your connection", refused.text)
        self.assertNotIn("o_complaint_track_result", refused.text)
        counter = self.env["complaint.rate.limit"].sudo().search([("scope", "=", "track")])
        self.assertEqual(counter.hits, 3)

    def test_openapi_document_reads_only(self):
        response, modes = self._served("/complaint/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = json.loads(response.text)
        self.assertIn("/complaint/api/v1/complaints", document["paths"])
        self.assertEqual(document["servers"], [{"url": self.base_url()}])
        self.assertEqual(modes, [True])

    def test_portal_list_and_detail_read_only(self):
        complaints = self._file(3)
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        listing, modes = self._served("/my/complaints")
        self.assertEqual(listing.status_code, 200)
        for complaint in complaints:
            self.assertIn(complaint.name, listing.text)
        self.assertEqual(modes, [True], "the list is served read-only")

        # The middle one of the list just seen: the page has its previous and
        # next arrows, and opening it gives no neighbour a token.
        ordered = self.Complaint.search(
            [("id", "in", complaints.ids)], order="date_received desc, id desc"
        )
        page, modes = self._served(f"/my/complaints/{ordered[1].id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(ordered[1].name, page.text)
        self.assertIn(f'href="/my/complaints/{ordered[0].id}"', page.text)
        self.assertIn(f'href="/my/complaints/{ordered[2].id}"', page.text)
        self.assertEqual(modes, [True], "the complaint's page is served read-only")
        self.assertFalse(any(complaints.sudo().mapped("access_token")))

        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(counters["complaint_count"], 3)

    def test_token_link_reads_only(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        token = complaint.sudo()._portal_ensure_token()
        page, modes = self._served(f"/my/complaints/{complaint.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(complaint.name, page.text)
        self.assertIn('name="decision"', page.text)
        self.assertEqual(modes, [True])

        # The survey link answers a GET with the page, read-only; the customer's
        # answers are POSTs, served read/write.
        survey, modes = self._served(f"/my/complaints/{complaint.id}/survey?access_token={token}")
        self.assertEqual(survey.status_code, 303)
        self.assertIn(f"/my/complaints/{complaint.id}", survey.headers["Location"])
        self.assertEqual(modes, [True])
        decision, modes = self._served(
            f"/my/complaints/{complaint.id}/decision",
            {
                "decision": "accept",
                "access_token": token,
                "csrf_token": self._csrf(f"/my/complaints/{complaint.id}?access_token={token}"),
            },
        )
        self.assertEqual(decision.status_code, 303)
        self.assertEqual(modes, [False], "the customer's decision is written on the primary")
        complaint.invalidate_recordset()
        self.assertEqual(complaint.step, "in_execution")
