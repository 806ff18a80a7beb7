from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestDefaultViews(ComplaintCommon):
    """The complaint menus open on the work in progress: their kanban never
    counts the closed history, which grows with every year of complaints (the
    benchmark's "kanban, count by stage, open" stays flat from 1,000 to 100,000
    records, the count over all records does not)."""

    def _menu_actions(self):
        menus = self.env["ir.ui.menu"].search(
            [("id", "child_of", self.env.ref("complaint_management.complaint_menu_root").id)]
        )
        window_actions = self.env["ir.actions.act_window"].union(
            *(a for a in menus.mapped("action") if a and a._name == "ir.actions.act_window")
        )
        return window_actions.filtered(
            lambda a: a.res_model == "complaint.complaint" and "kanban" in a.view_mode.split(",")
        )

    def _default_domain(self, action, user):
        """The domain the web client searches with when ``action`` opens: the
        action's own and its search view's default filters."""
        env = self.env(user=user)
        eval_context = {"uid": user.id, **env["ir.actions.actions"]._get_eval_context()}
        context = safe_eval(action.context or "{}", eval_context)
        domain = safe_eval(action.domain or "[]", eval_context)
        view = action.search_view_id or self.env.ref(
            "complaint_management.complaint_complaint_view_search"
        )
        arch = etree.fromstring(view.get_combined_arch())
        for node in arch.iter("filter"):
            if context.get(f"search_default_{node.get('name')}") and node.get("domain"):
                domain += safe_eval(node.get("domain"), eval_context)
        return domain

    def test_menu_kanbans_count_open_complaints_only(self):
        self.team.member_ids |= self.user_officer
        open_ones = self._new(subject="Open drum complaint") | self._new(
            subject="Second open drum complaint"
        )
        closed = self._advance(self._new(subject="Closed drum complaint"), "closed")
        for complaint in open_ones | closed:
            complaint.with_user(self.user_manager).user_id = self.user_officer
        self.assertEqual(closed.step, "closed")
        actions = self._menu_actions()
        self.assertEqual(
            set(actions.mapped("xml_id")),
            {
                "complaint_management.complaint_complaint_action",
                "complaint_management.complaint_complaint_action_my",
            },
        )
        Complaint = self.env["complaint.complaint"].with_user(self.user_officer)
        for action in actions:
            domain = self._default_domain(action, self.user_officer)
            # What the kanban asks for: a count per stage column.
            groups = Complaint.web_read_group(domain, ["stage_id"], ["stage_id"])["groups"]
            counted = {
                group["stage_id"][0]: group["stage_id_count"]
                for group in groups
                if group["stage_id"] and group["stage_id_count"]
            }
            self.assertNotIn(closed.stage_id.id, counted, action.xml_id)
            self.assertEqual(sum(counted.values()), Complaint.search_count(domain), action.xml_id)
            self.assertEqual(
                Complaint.search(domain) & (open_ones | closed), open_ones, action.xml_id
            )
