import json
import re

from odoo.fields import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user

from ..models.complaint_stage import STEP_ORDER

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


class ComplaintCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.ir")
        grp = "complaint_management.group_complaint_"
        cls.user_manager = new_test_user(
            cls.env, "cm_manager", groups=f"base.group_user,{grp}manager", name="Manager Mahdavi"
        )
        cls.company.complaint_manager_id = cls.user_manager
        cls.user_officer = new_test_user(
            cls.env,
            "cm_officer",
            groups=f"base.group_user,stock.group_stock_user,{grp}officer",
            name="Officer Omidi",
        )
        cls.user_cft_head = new_test_user(
            cls.env, "cm_cft_head", groups=f"base.group_user,{grp}cft", name="Head Hosseini"
        )
        cls.user_cft = new_test_user(
            cls.env, "cm_cft", groups=f"base.group_user,{grp}cft", name="Member Mousavi"
        )
        cls.user_cft_other = new_test_user(
            cls.env, "cm_cft_other", groups=f"base.group_user,{grp}cft", name="Other Rahimi"
        )
        cls.user_employee = new_test_user(
            cls.env, "cm_employee", groups="base.group_user", name="Employee Ebrahimi"
        )
        cls.team = cls.env["complaint.team"].create(
            {
                "name": "Mixer CFT",
                "head_id": cls.user_cft_head.id,
                "member_ids": [Command.set(cls.user_cft.ids)],
            }
        )
        cls.other_team = cls.env["complaint.team"].create(
            {"name": "Packaging CFT", "head_id": cls.user_cft_other.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "سارا محمدی",
                "mobile": "0912 111 2233",
                "email": "sara.mohammadi@example.ir",
                "country_id": cls.env.ref("base.ir").id,
            }
        )
        cls.customer_phone_only = cls.env["res.partner"].create(
            {"name": "Hamid Jafari", "phone": "021 7490 5000"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Mixer MX-350", "type": "consu", "list_price": 1000.0}
        )
        cls.root_cause = cls.env.ref("complaint_management.complaint_root_cause_material")
        cls.Complaint = cls.env["complaint.complaint"]
        cls.stage = {
            stage.step: stage
            for stage in cls.env["complaint.stage"].search([], order="sequence desc")
        }

    @classmethod
    def _other_apps_users(cls, prefix="cm"):
        """A salesman and a stock user: no complaint role beyond reporting
        (every employee)."""
        salesman = new_test_user(
            cls.env,
            f"{prefix}_salesman",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            name="Salesman Sadeghi",
        )
        stock_user = new_test_user(
            cls.env,
            f"{prefix}_stock",
            groups="base.group_user,stock.group_stock_user",
            name="Stock Soltani",
        )
        return salesman, stock_user

    # -- helpers -------------------------------------------------------------
    def _new(self, user=None, **vals):
        values = {
            "subject": "Drum makes a knocking noise",
            "partner_id": self.customer_phone_only.id,
            "product_id": self.product.id,
        }
        values.update(vals)
        return self.Complaint.with_user(user or self.user_officer).create(values)

    def _answer_approval(self, complaint, accepted, reason=False):
        wizard = (
            self.env["complaint.approval.wizard"]
            .with_user(self.user_officer)
            .create(
                {
                    "complaint_id": complaint.id,
                    "decision": "accept" if accepted else "reject",
                    "reason": reason,
                }
            )
        )
        wizard.action_confirm()

    def _survey(self, complaint, satisfied, reopen_step="investigation"):
        wizard = (
            self.env["complaint.survey.wizard"]
            .with_user(self.user_officer)
            .create(
                {
                    "complaint_id": complaint.id,
                    "result_score": "5" if satisfied else "2",
                    "process_score": "4" if satisfied else "3",
                    "fully_satisfied": satisfied,
                    "comment": "ok" if satisfied else "still leaking",
                    "reopen_step": reopen_step,
                }
            )
        )
        wizard.action_confirm()

    def _carry_out(self, complaint):
        """Carry out the approved repairs through their repair orders."""
        lines = complaint._current_approval().resolution_ids.filtered(
            lambda line: line.state == "approved"
        )
        for line in lines:
            self.assertEqual(line.resolution_type, "repair")
            line.with_user(self.user_officer).action_create_document()
            repair = line.repair_id
            repair.action_validate()
            repair.action_repair_start()
            repair.action_repair_end()

    def _record_capa(self, complaint):
        """The internal response the company's policy asks for: a corrective
        action and the nonconformity it answers, when it asks for one."""
        if not complaint.capa_required or complaint.nonconformity_id:
            return
        self.env["mgmtsystem.action"].with_user(self.user_cft_head).create(
            {
                "name": "Change the drum bearing supplier",
                "type_action": "correction",
                "complaint_ids": [Command.link(complaint.id)],
            }
        )
        complaint.with_user(self.user_cft_head).action_create_nonconformity()

    def _advance(self, complaint, step):
        """Drive a complaint through the procedure's buttons up to ``step``."""
        officer = complaint.with_user(self.user_officer)
        order = [
            "acknowledged",
            "assessed",
            "investigation",
            "awaiting_approval",
            "in_execution",
            "survey",
            "closed",
        ]
        for current in order[: order.index(step) + 1]:
            if STEP_ORDER[complaint.step] >= STEP_ORDER[current]:
                continue  # already there
            if current == "acknowledged":
                officer.action_acknowledge_phone()
            elif current == "assessed":
                self.env["complaint.assess.wizard"].with_user(self.user_officer).create(
                    {
                        "complaint_id": complaint.id,
                        "decision": "accept",
                        "immediate_action": "Stop shipping lot L-42",
                        "team_id": (complaint.team_id or self.team).id,
                    }
                ).action_confirm()
            elif current == "investigation":
                officer.team_id = self.team
                officer.action_start_investigation()
            elif current == "awaiting_approval":
                officer.root_cause_id = self.root_cause
                self._record_capa(complaint)
                self.env["complaint.resolution"].with_user(self.user_officer).create(
                    {
                        "complaint_id": complaint.id,
                        "resolution_type": "repair",
                        "description": "Replace the drum bearing",
                    }
                )
                officer.action_propose_response()
            elif current == "in_execution":
                self._answer_approval(complaint, True)
            elif current == "survey":
                self._carry_out(complaint)
            elif current == "closed":
                self._survey(complaint, True)
        self.assertEqual(complaint.step, step)
        return complaint


class DocumentsCommon(ComplaintCommon):
    """A customer's confirmed and invoiced order, and an officer who may work
    in sales and inventory, for responses carried out by documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_officer.groups_id |= cls.env.ref("stock.group_stock_user") | cls.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        )
        cls.order = cls._sold(cls.customer)
        cls.invoice = cls.order.invoice_ids

    @classmethod
    def _sold(cls, customer):
        """A confirmed order of two of the product for ``customer``, invoiced."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )
        order.action_confirm()
        order._create_invoices().action_post()
        return order


class ComplaintHttpCommon(ComplaintCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Addresses of their own: the demo data has a Sara Mohammadi too.
        cls.customer.write({"email": "sara.portal@example.ir", "mobile": "0912 111 2299"})
        cls.portal_user = new_test_user(
            cls.env,
            "cm_portal_sara",
            groups="base.group_portal",
            name="Sara Portal",
            email="sara.portal@example.ir",
            partner_id=cls.customer.id,
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Customer", "email": "other@example.ir", "phone": "09127778899"}
        )
        cls.website_channel = cls.env["complaint.channel"]._get_by_type("website")

    def setUp(self):
        super().setUp()
        # Counters of other clients (a developer's browser) are not ours.
        self.env["complaint.rate.limit"].sudo().search([]).unlink()

    def _csrf(self, url="/complaint"):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, page.text[:500])
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _post(self, url, data, files=None, csrf=True, csrf_url="/complaint"):
        data = dict(data)
        if csrf:
            data["csrf_token"] = self._csrf(csrf_url)
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _form(self, **values):
        data = {
            "name": "Reza Karimi",
            "phone": "0912 555 6677",
            "email": "reza.karimi@example.ir",
            "description": "The mixer drum makes a knocking noise after two weeks.",
            "consent": "1",
        }
        data.update(values)
        return {key: value for key, value in data.items() if value is not None}

    def _api(self, payload, headers=None):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        return self.url_open(
            "/complaint/api/v1/complaints",
            data=body,
            headers=dict({"Content-Type": "application/json"}, **(headers or {})),
        )

    def _last_complaint(self):
        return self.Complaint.sudo().search([], order="id desc", limit=1)

    def _run_intake_job(self):
        """What the cron worker does within a minute of a public submission."""
        self.env.ref("complaint_management.ir_cron_complaint_intake").method_direct_trigger()

    def _decide(self, complaint, decision, reason=None, token=True):
        data = {"decision": decision, "reason": reason or ""}
        if token:
            data["access_token"] = complaint.sudo().access_token
        return self._post(
            f"/my/complaints/{complaint.id}/decision",
            data,
        )

    def _set_params(self, **params):
        for key, value in params.items():
            self.env["ir.config_parameter"].sudo().set_param(f"complaint_management.{key}", value)
