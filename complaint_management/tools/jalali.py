"""Dates as Persian readers expect them: the Jalali (Shamsi) calendar, Persian
month names and Persian digits. The calendar arithmetic is jdatetime's."""

import jdatetime
import pytz

from odoo.tools import format_datetime

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def is_persian(lang):
    return bool(lang) and lang.startswith("fa")


def persian_digits(text):
    return str(text).translate(PERSIAN_DIGITS)


def format_jalali(value, with_time=True):
    """'۱ فروردین ۱۴۰۵، ۰۰:۰۱' for a local (naive) datetime, or a date."""
    if hasattr(value, "hour"):
        jalali = jdatetime.datetime.fromgregorian(datetime=value, locale="fa_IR")
        text = f"{jalali.day} {jalali.strftime('%B')} {jalali.year}"
        if with_time:
            text += f"، {jalali.strftime('%H:%M')}"
    else:
        jalali = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
        text = f"{jalali.day} {jalali.strftime('%B')} {jalali.year}"
    return persian_digits(text)


def format_jalali_utc(value, tz):
    """A UTC datetime in Jalali, as read in the time zone ``tz``."""
    if not value:
        return ""
    local = pytz.utc.localize(value.replace(tzinfo=None)).astimezone(pytz.timezone(tz))
    return format_jalali(local.replace(tzinfo=None))


def format_for_reader(env, value, tz, dt_format="medium"):
    """A UTC datetime as the reader of ``env``'s language reads it in ``tz``:
    Jalali in Persian, Odoo's (Babel's) format otherwise."""
    if not value:
        return ""
    if is_persian(env.lang):
        return format_jalali_utc(value, tz)
    return format_datetime(env, value.replace(tzinfo=None), tz=tz, dt_format=dt_format)
