from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestAccess(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls.Complaint.with_user(cls.user_employee).create(
            {"subject": "Reported by an employee", "partner_id": cls.customer_phone_only.id}
        )
        cls.team_complaint = cls.Complaint.create(
            {
                "subject": "Team complaint",
                "partner_id": cls.customer_phone_only.id,
                "team_id": cls.team.id,
            }
        )
        cls.other_complaint = cls.Complaint.create(
            {
                "subject": "Other team",
                "partner_id": cls.customer_phone_only.id,
                "team_id": cls.other_team.id,
            }
        )

    def _visible(self, user):
        ours = self.mine | self.team_complaint | self.other_complaint
        return self.Complaint.with_user(user).search([("id", "in", ours.ids)])

    def test_reporter(self):
        """Any employee reports and follows what they reported; nothing else."""
        user = self.user_employee
        self.assertEqual(self._visible(user), self.mine)
        self.assertEqual(self.mine.with_user(user).name, self.mine.name)
        with self.assertRaises(AccessError):
            self.team_complaint.with_user(user).read(["subject"])
        with self.assertRaises(AccessError):
            self.mine.with_user(user).write({"subject": "changed"})
        with self.assertRaises(AccessError):
            self.mine.with_user(user).action_acknowledge_phone()
        with self.assertRaises(AccessError):
            self.mine.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.env["complaint.stage"].with_user(user).create({"name": "x", "step": "received"})

    def test_cft_member(self):
        """CFT members see and work on their teams' complaints only."""
        for user in (self.user_cft, self.user_cft_head):
            self.assertEqual(self._visible(user), self.team_complaint)
            self.team_complaint.with_user(user).write({"root_cause_id": self.root_cause.id})
            with self.assertRaises(AccessError):
                self.other_complaint.with_user(user).read(["subject"])
            with self.assertRaises(AccessError):
                self.team_complaint.with_user(user).action_acknowledge_phone()
            with self.assertRaises(AccessError):
                self.team_complaint.with_user(user).unlink()
        self.assertEqual(self._visible(self.user_cft_other), self.other_complaint)

    def test_officer(self):
        """Process owners see everything and run the procedure; no deleting, no config."""
        user = self.user_officer
        self.assertEqual(
            self._visible(user), self.mine | self.team_complaint | self.other_complaint
        )
        self.other_complaint.with_user(user).action_acknowledge_phone()
        self.assertEqual(self.other_complaint.step, "acknowledged")
        with self.assertRaises(AccessError):
            self.other_complaint.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.env["complaint.team"].with_user(user).create({"name": "x", "head_id": user.id})

    def test_manager(self):
        user = self.user_manager
        self.env["complaint.stage"].with_user(user).create({"name": "Extra", "step": "survey"})
        self.env["complaint.team"].with_user(user).create({"name": "New CFT", "head_id": user.id})
        self.mine.with_user(user).unlink()
        self.assertFalse(self.mine.exists())

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Mix Plus Tabriz"})
        foreign = self.Complaint.with_company(other_company).create(
            {
                "subject": "Tabriz complaint",
                "company_id": other_company.id,
                "partner_id": self.customer_phone_only.id,
            }
        )
        self.assertNotIn(foreign, self._visible(self.user_manager))
        self.user_manager.company_ids |= other_company
        visible = (
            self.Complaint.with_user(self.user_manager)
            .with_context(allowed_company_ids=[self.company.id, other_company.id])
            .search([("id", "=", foreign.id)])
        )
        self.assertEqual(visible, foreign)
