from datetime import date, datetime

from odoo.tests import TransactionCase, tagged

from ..tools.jalali import format_for_reader, format_jalali, persian_digits


@tagged("post_install", "-at_install")
class TestJalali(TransactionCase):
    def test_known_dates(self):
        self.assertEqual(format_jalali(datetime(2026, 3, 21, 0, 1)), "۱ فروردین ۱۴۰۵، ۰۰:۰۱")
        self.assertEqual(format_jalali(date(2026, 3, 20)), "۲۹ اسفند ۱۴۰۴")
        self.assertEqual(format_jalali(date(2026, 11, 25)), "۴ آذر ۱۴۰۵")
        self.assertEqual(persian_digits("CMP-2026-00042"), "CMP-۲۰۲۶-۰۰۰۴۲")

    def test_reader_time_zone_and_language(self):
        # 20:31 UTC on 20 March 2026 is 00:01 on 1 Farvardin 1405 in Tehran.
        self.env["res.lang"]._activate_lang("fa_IR")
        value = datetime(2026, 3, 20, 20, 31)
        persian = self.env(context={"lang": "fa_IR"})
        self.assertEqual(format_for_reader(persian, value, "Asia/Tehran"), "۱ فروردین ۱۴۰۵، ۰۰:۰۱")
        english = self.env(context={"lang": "en_US"})
        self.assertIn("Mar 21, 2026", format_for_reader(english, value, "Asia/Tehran"))
