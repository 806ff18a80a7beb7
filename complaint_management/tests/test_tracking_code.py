import psycopg2

from odoo import api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestTrackingCode(ComplaintCommon):
    def test_format_and_never_reused(self):
        first = self._new()
        second = self._new()
        self.assertRegex(first.name, r"^CMP-\d{4}-\d{5}$")
        self.assertNotEqual(first.name, second.name)
        code = second.name
        second.with_user(self.user_manager).unlink()
        third = self._new()
        self.assertNotEqual(third.name, code, "a deleted complaint's code is not given again")

    def test_database_refuses_duplicates(self):
        first = self._new()
        second = self._new()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            second.write({"name": first.name})
            second.flush_recordset()

    def test_code_not_set_by_user(self):
        taken = self._new()
        complaint = self._new(name=taken.name)
        self.assertRegex(complaint.name, r"^CMP-\d{4}-\d{5}$")
        self.assertNotEqual(complaint.name, taken.name)


@tagged("post_install", "-at_install")
class TestTrackingCodeConcurrency(BaseCase):
    """Complaints created while several transactions are open at once (several
    Odoo workers) get distinct codes, and no transaction waits for another."""

    def test_open_transactions_get_distinct_codes(self):
        registry = Registry(get_db_name())
        cursors = [registry.cursor() for _i in range(4)]
        codes = []
        try:
            for cr in cursors:
                # A lock between the transactions would raise here instead of hanging.
                cr.execute("SET LOCAL lock_timeout = '5s'")
            for round_ in range(3):
                for index, cr in enumerate(cursors):
                    env = api.Environment(cr, api.SUPERUSER_ID, {})
                    partner = env["res.partner"].create({"name": f"Concurrent {index}"})
                    complaint = env["complaint.complaint"].create(
                        {"subject": f"Cursor {index} #{round_}", "partner_id": partner.id}
                    )
                    env.flush_all()
                    codes.append(complaint.name)
        finally:
            for cr in cursors:
                cr.rollback()
                cr.close()
        self.assertEqual(len(codes), 12)
        self.assertEqual(len(set(codes)), 12, "every tracking code is unique")
