"""Security as each role meets it: other apps' users doing their ordinary work,
CFT members and officers over the ORM and RPC, customers and employees on the
portal's token routes."""

from datetime import timedelta

import requests
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import JsonRpcException, tagged

from .common import ComplaintCommon, ComplaintHttpCommon, DocumentsCommon


class SecurityDocumentsCommon(DocumentsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # People of other apps: no complaint role beyond reporting (every employee).
        cls.salesman, cls.stock_user = cls._other_apps_users()

    def _executing(self, **line_vals):
        complaint = self._new(partner_id=self.customer.id, sale_order_id=self.order.id)
        self._advance(complaint, "investigation")
        complaint.root_cause_id = self.root_cause
        line = self.env["complaint.resolution"].create(dict(line_vals, complaint_id=complaint.id))
        self._record_capa(complaint)
        complaint.with_user(self.user_officer).action_propose_response()
        self._answer_approval(complaint, True)
        self.assertEqual(line.state, "approved")
        return complaint, line

    def _shown_fields(self, user, record):
        """What the web client reads when ``user`` opens ``record``'s form: the
        fields of the form as it is sent to that user (not in sub-views)."""
        model = record.with_user(user)
        arch = etree.fromstring(model.get_views([(False, "form")])["views"]["form"]["arch"])
        names = {node.get("name") for node in arch.xpath("//field[not(ancestor::field)]")}
        return model.read(sorted(names))

    def _form_fields(self, user, record):
        """What the form view reads when ``user`` opens ``record``."""
        model = record.with_user(user)
        views = model.get_views([(False, "form")])
        return model.read(list(views["models"][record._name]["fields"]))


@tagged("post_install", "-at_install")
class TestOtherAppsUnharmed(SecurityDocumentsCommon):
    """Installing complaints changes nothing for the users of sales, inventory
    and repairs; their ordinary work still moves complaints on."""

    def test_salesman_confirms_and_cancels_orders(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        self.assertTrue(self._form_fields(self.salesman, order))
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")

    def test_salesman_cancelling_a_replacement_order_reopens_the_response(self):
        complaint, line = self._executing(resolution_type="replacement", quantity=1)
        line.with_user(self.user_officer).action_create_document()
        order = line.replacement_order_id.with_user(self.salesman)
        self.assertTrue(self._form_fields(self.salesman, order))
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(line.state, "approved", "the line is to do again")
        self.assertIn("was cancelled", complaint.message_ids[0].body)

    def test_stock_user_delivering_a_replacement_finishes_the_response(self):
        complaint, line = self._executing(resolution_type="replacement", quantity=1)
        line.with_user(self.user_officer).action_create_document()
        delivery = line.replacement_order_id.picking_ids.with_user(self.stock_user)
        self.assertTrue(self._form_fields(self.stock_user, delivery))
        delivery.move_ids.quantity = 1
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey")

    def test_stock_user_validates_an_ordinary_delivery(self):
        delivery = self._sold(self.customer).picking_ids.with_user(self.stock_user)
        delivery.move_ids.quantity = 2
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")

    def test_reporter_opens_the_complaint_they_reported(self):
        """An employee with no complaint role opens the full form of the
        complaint they registered, though its responses are not theirs to see."""
        complaint, line = self._executing(resolution_type="repair")
        line.with_user(self.user_officer).action_create_document()
        complaint.sudo().reported_by_id = self.salesman
        (values,) = self._shown_fields(self.salesman, complaint)
        self.assertEqual(values["name"], complaint.name)
        self.assertNotIn("repair_count", values, "the document buttons are the CFT's")
        (values,) = self._shown_fields(self.user_officer, complaint)
        self.assertEqual(values["repair_count"], 1)

    def test_repair_user_opens_and_runs_a_complaint_repair(self):
        complaint, line = self._executing(resolution_type="repair")
        line.with_user(self.user_officer).action_create_document()
        repair = line.repair_id.with_user(self.stock_user)
        values = self._form_fields(self.stock_user, repair)[0]
        self.assertEqual(values["complaint_ids"], [], "not a complaint the user may read")
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(line.state, "done")
        self.assertEqual(complaint.step, "survey")
        # The officer sees the complaint behind the repair.
        self.assertEqual(line.repair_id.with_user(self.user_officer).complaint_ids, complaint)


@tagged("post_install", "-at_install")
class TestResponseLinesCannotBeForged(SecurityDocumentsCommon):
    """Response lines change state through their own methods only; a document
    is made only for what the customer accepted, from the customer's own
    documents."""

    def test_cft_member_cannot_write_or_create_a_state(self):
        complaint = self._advance(
            self._new(partner_id=self.customer.id, team_id=self.team.id), "investigation"
        )
        Line = self.env["complaint.resolution"].with_user(self.user_cft)
        line = Line.create({"complaint_id": complaint.id, "resolution_type": "repair"})
        self.assertEqual(line.state, "draft")
        for vals in ({"state": "approved"}, {"state": "done"}, {"repair_id": False, "state": "x"}):
            with self.assertRaisesRegex(UserError, "only through the procedure"):
                line.write(vals)
        with self.assertRaisesRegex(UserError, "only through the procedure"):
            Line.create(
                {"complaint_id": complaint.id, "resolution_type": "refund", "state": "approved"}
            )
        approval = self._advance(self._new(), "awaiting_approval").approval_ids
        self.assertTrue(approval)
        with self.assertRaisesRegex(UserError, "only through the procedure"):
            Line.create(
                {
                    "complaint_id": complaint.id,
                    "resolution_type": "refund",
                    "approval_id": approval.id,
                }
            )
        self.assertEqual(line.state, "draft")

    def test_context_keys_do_not_unlock_approved_terms(self):
        _complaint, line = self._executing(resolution_type="compensation", amount=100.0)
        for key in ("complaint_resolution_internal", "complaint_procedure_write"):
            with self.assertRaisesRegex(UserError, "can no longer change"):
                line.with_user(self.user_officer).with_context(**{key: True}).write(
                    {"amount": 9000000.0}
                )
        self.assertEqual(line.amount, 100.0)

    def test_officer_cannot_accept_in_the_customers_stead(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "awaiting_approval")
        approval = complaint.approval_ids.with_user(self.user_officer)
        with self.assertRaisesRegex(UserError, "only through the procedure"):
            approval.write({"state": "accepted"})
        with self.assertRaisesRegex(UserError, "only through the procedure"):
            self.env["complaint.survey"].with_user(self.user_officer).create(
                {
                    "complaint_id": complaint.id,
                    "result_score": "5",
                    "process_score": "5",
                    "fully_satisfied": True,
                }
            )
        self.assertEqual(approval.state, "pending")
        line = complaint.resolution_ids.with_user(self.user_officer)
        with self.assertRaisesRegex(UserError, "approved"):
            line.action_create_document()
        self.assertFalse(line.repair_id)

    def test_refund_of_another_customers_invoice_is_refused(self):
        stranger = self.env["res.partner"].create({"name": "Someone Else"})
        foreign_order = self._sold(stranger)
        foreign_invoice = foreign_order.invoice_ids
        complaint = self._advance(self._new(partner_id=self.customer.id), "investigation")
        Line = self.env["complaint.resolution"].with_user(self.user_officer)
        with self.assertRaises(ValidationError):
            Line.create(
                {
                    "complaint_id": complaint.id,
                    "resolution_type": "refund",
                    "invoice_id": foreign_invoice.id,
                }
            )
        own = Line.create({"complaint_id": complaint.id, "resolution_type": "refund"})
        for fname, document in (
            ("invoice_id", foreign_invoice),
            ("picking_id", foreign_order.picking_ids),
            ("sale_order_id", foreign_order),
        ):
            with self.assertRaises(ValidationError) as refused:
                own.write({fname: document.id})
            self.assertIn("not a document of", str(refused.exception))
            self.assertFalse(own[fname])
        own.write({"invoice_id": self.order.invoice_ids.id})
        self.assertEqual(own.invoice_id, self.order.invoice_ids)

    def test_documents_of_a_proposed_line_are_completed_not_changed(self):
        _complaint, line = self._executing(resolution_type="refund", product_id=False)
        line = line.with_user(self.user_officer)
        self.assertFalse(line.invoice_id)
        line.write({"invoice_id": self.order.invoice_ids.id})  # completed where empty
        other = self._sold(self.customer).invoice_ids
        with self.assertRaisesRegex(UserError, "can no longer change"):
            line.write({"invoice_id": other.id})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            line.write({"invoice_id": False})
        self.assertEqual(line.invoice_id, self.order.invoice_ids)


@tagged("post_install", "-at_install")
class TestSideRecordsFollowTheComplaint(ComplaintCommon):
    """Approvals, surveys and step passages are seen by those who see the
    complaint, not by every CFT member."""

    def test_cft_member_of_another_team(self):
        complaint = self._advance(self._new(partner_id=self.customer.id), "closed")
        self.assertEqual(complaint.team_id, self.team)
        ours = {
            "complaint.approval": complaint.approval_ids,
            "complaint.survey": complaint.survey_ids,
            "complaint.step.log": complaint.step_log_ids,
        }
        for model, records in ours.items():
            self.assertTrue(records)
            for user, expected in (
                (self.user_cft, records),
                (self.user_cft_head, records),
                (self.user_officer, records),
                (self.user_cft_other, self.env[model]),
            ):
                found = self.env[model].with_user(user).search([("id", "in", records.ids)])
                self.assertEqual(found, expected.with_user(user), (model, user.name))
            with self.assertRaises(AccessError):
                records.with_user(self.user_cft_other).read(["complaint_id"])
        with self.assertRaises(AccessError):
            self.env["complaint.approval"].with_user(self.user_employee).search([])


@tagged("post_install", "-at_install")
class TestPortalRpc(ComplaintHttpCommon):
    """What customers and employees can do over RPC and on the token routes."""

    def _refused(self, route, params):
        """Whether the JSON route refuses the call (an error, or a 403/404)."""
        try:
            self.make_jsonrpc_request(route, params)
        except (JsonRpcException, requests.HTTPError):
            return True
        return False

    def _rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_portal_user_reads_no_internal_field(self):
        complaint = self._advance(
            self._new(
                partner_id=self.customer.id,
                root_cause_analysis="<p>Supplier lot L-42 was never inspected</p>",
            ),
            "investigation",
        )
        self.authenticate("cm_portal_sara", "cm_portal_sara")
        [values] = self._rpc("complaint.complaint", "read", complaint.ids, ["name", "subject"])
        self.assertEqual(values["name"], complaint.name)
        for fname in (
            "root_cause_analysis",
            "immediate_action",
            "severity",
            "user_id",
            "team_id",
            "step_deadline",
            "access_token",
        ):
            with self.assertRaises(JsonRpcException, msg=fname):
                self._rpc("complaint.complaint", "read", complaint.ids, [fname])
        everything = self._rpc("complaint.complaint", "read", complaint.ids)[0]
        self.assertNotIn("root_cause_analysis", everything)
        self.assertNotIn("Supplier lot", str(everything))
        described = self._rpc("complaint.complaint", "fields_get", [], attributes=["type"])
        self.assertNotIn("immediate_action", described)
        # The portal pages keep working.
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(complaint.name, page.text)
        self.assertIn(complaint.name, self.url_open("/my/complaints").text)

    def test_staff_cannot_read_the_token_nor_act_with_it(self):
        complaint = self._advance(
            self._new(partner_id=self.customer.id, team_id=self.team.id), "awaiting_approval"
        )
        token = complaint.sudo()._portal_ensure_token()
        self.assertTrue(
            any(f"access_token={token}" in (m.body or "") for m in complaint.message_ids),
            "the approval request in the chatter holds the customer's link",
        )
        self.authenticate("cm_cft", "cm_cft")
        self.assertTrue(complaint.with_user(self.user_cft).has_access("read"))
        for call in (
            ("read", complaint.ids, ["access_token"]),
            ("get_portal_url", complaint.ids),
        ):
            with self.assertRaises(JsonRpcException, msg=call[0]):
                self._rpc("complaint.complaint", *call)
        self.assertNotIn(token, str(self._rpc("complaint.complaint", "read", complaint.ids)))
        # Even with the link from the chatter, the decision is the customer's.
        self._decide(complaint, "accept")
        self.assertEqual(complaint.step, "awaiting_approval")
        self.assertEqual(complaint.approval_ids.state, "pending")
        # The customer, with the same link, decides.
        self.logout()
        self._decide(complaint, "accept")
        self.assertEqual(complaint.step, "in_execution")

    def test_expired_links_stop_on_odoos_own_routes(self):
        complaint = self._new(partner_id=self.customer.id)
        complaint.message_post(
            body="Visible to the customer", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        token = complaint.sudo()._portal_ensure_token()
        fetch = {"thread_model": complaint._name, "thread_id": complaint.id, "token": token}
        post = {
            "thread_model": complaint._name,
            "thread_id": complaint.id,
            "post_data": {"body": "Hello again", "message_type": "comment"},
            "token": token,
        }
        fetched = self.make_jsonrpc_request("/mail/chatter_fetch", fetch)
        self.assertTrue(fetched["messages"])
        self.make_jsonrpc_request("/mail/message/post", post)
        self.assertIn("Hello again", complaint.message_ids[0].body)
        # Closed long ago: the link no longer works, here as on our pages.
        self._advance(complaint, "closed")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE complaint_complaint SET date_closed = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=200), complaint.id),
        )
        complaint.invalidate_recordset(["date_closed"])
        self.assertTrue(complaint._portal_token_expired())
        self.assertTrue(self._refused("/mail/chatter_fetch", fetch))
        count = len(complaint.message_ids)
        self.assertTrue(self._refused("/mail/message/post", post))
        self.assertEqual(len(complaint.message_ids), count)

    def test_new_customer_gets_a_new_link(self):
        complaint = self._new(partner_id=self.other_customer.id)
        old = complaint.sudo()._portal_ensure_token()
        page = self.url_open(f"/my/complaints/{complaint.id}?access_token={old}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(complaint.name, page.text)
        complaint.with_user(self.user_officer).partner_id = self.customer
        self.assertNotEqual(complaint.sudo().access_token, old)
        response = self.url_open(
            f"/my/complaints/{complaint.id}?access_token={old}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        fetch = {"thread_model": complaint._name, "thread_id": complaint.id, "token": old}
        self.assertTrue(self._refused("/mail/chatter_fetch", fetch))
