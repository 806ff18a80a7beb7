/**
 * Jalali dates wherever the web client shows or reads a date in the user's
 * format, for Persian users.
 *
 * Odoo formats and parses every date of the UI (`formatDate`,
 * `formatDateTime`, `parseDate`, `parseDateTime` of `@web/core/l10n/dates`,
 * used by list and kanban cells, form fields, the date picker's input,
 * search facets and the domain editor) with luxon's `toFormat` and
 * `DateTime.fromFormat`, given the user's date formats (`localization`).
 * Those functions are imported by value all over the web client, so they
 * cannot be replaced; luxon can. The patch below only changes calls made with
 * one of the user's display formats: for those, `toFormat` writes the day in
 * the Jalali calendar with Persian digits (luxon's own `outputCalendar`
 * support, i.e. `Intl`), and `fromFormat` reads a Jalali day. Every other
 * format (the server's `yyyy-MM-dd`, always asked with Latin digits, file
 * names, logs) is untouched, so stored values stay Gregorian, in UTC for
 * datetimes. Non-Persian users never reach the Jalali code.
 */

import { ConversionError } from "@web/core/l10n/dates";
import { localization } from "@web/core/l10n/localization";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import {
    isJalaliActive,
    jalaliMonthNames,
    jalaliToGregorian,
    toLatinDigits,
} from "./jalali_calendar";

const { DateTime } = luxon;

/** The same shortcuts as Odoo's smart dates ("+3d", "-1w"): left to Odoo. */
const SMART_DATE_REGEX = /^\s*[+-]\s*\d+\s*[dmwy]?\s*$/i;
const PM_REGEX = /pm|ب\.?\s*ظ/i;
const AM_REGEX = /am|ق\.?\s*ظ/i;

let displayFormatsKey = null;
let displayFormats = new Set();

/** The letters of a luxon format, without its quoted literals. */
function formatLetters(format) {
    return format.replace(/'[^']*'/g, "");
}

/** As Odoo's `getCondensedFormat`: no leading zero on months, days, hours. */
function condensed(format) {
    return format
        .replace(/(^|[^M])M{2}([^M]|$)/, "$1M$2")
        .replace(/(^|[^d])d{2}([^d]|$)/, "$1d$2")
        .replace(/(^|[^H])H{2}([^H]|$)/, "$1H$2");
}

/** As Odoo's `stripAlphaDupes`: "yyyy/MM/dd" -> "y/M/d" (its second parse). */
function stripDupes(format) {
    return format.replace(/[a-z]/gi, (letter, index, str) =>
        letter === str[index - 1] ? "" : letter
    );
}

/**
 * The formats the web client shows dates in, for this user: the date, the
 * date and time (with and without seconds), and their condensed variants.
 * @returns {Set<string>}
 */
export function getDisplayFormats() {
    let dateFormat;
    let timeFormat;
    let shortTimeFormat;
    try {
        ({ dateFormat, timeFormat, shortTimeFormat } = localization);
    } catch {
        // The localization is not loaded yet: nothing is displayed yet.
        return new Set();
    }
    const key = `${dateFormat}|${timeFormat}|${shortTimeFormat}`;
    if (key !== displayFormatsKey) {
        const formats = [
            dateFormat,
            `${dateFormat} ${timeFormat}`,
            `${dateFormat} ${shortTimeFormat}`,
        ];
        displayFormats = new Set();
        for (const format of formats) {
            for (const variant of [format, condensed(format), stripDupes(format)]) {
                displayFormats.add(variant);
            }
        }
        displayFormatsKey = key;
    }
    return displayFormats;
}

/**
 * @param {string} format
 * @returns {boolean} whether `format` shows a day of the calendar (not a
 *  time only) and is one of the user's display formats
 */
function isJalaliFormat(format) {
    return typeof format === "string" && getDisplayFormats().has(format);
}

/**
 * The DateTime, reconfigured to be written in the Jalali calendar, in
 * Persian, with Persian digits.
 * @param {luxon.DateTime} dt
 */
export function toJalaliLocale(dt) {
    return dt.reconfigure({
        locale: "fa-IR",
        outputCalendar: "persian",
        numberingSystem: "arabext",
    });
}

/**
 * Order of the year, month and day in a format ("yyyy/MM/dd" -> "yMd").
 * @param {string} format
 */
function dateOrder(format) {
    const letters = formatLetters(format);
    const positions = ["y", "M", "d"].map((letter) => [letter, letters.indexOf(letter)]);
    if (positions.some(([, position]) => position < 0)) {
        return "yMd";
    }
    return positions
        .sort((a, b) => a[1] - b[1])
        .map(([letter]) => letter)
        .join("");
}

/**
 * The Jalali month named in a text (the longest name found: "دی" is also in
 * "اردیبهشت"), 1-12, or 0.
 * @param {string} text
 */
function findMonthName(text) {
    let found = 0;
    let length = 0;
    jalaliMonthNames().forEach((name, index) => {
        if (name.length > length && text.includes(name)) {
            found = index + 1;
            length = name.length;
        }
    });
    return found;
}

/**
 * Reads a date (and time) typed in the Jalali calendar, in Persian or Latin
 * digits, with any separators, in the order of the user's date format:
 * "۱۴۰۳/۱۲/۳۰", "1403-12-30 14:05", "14031230". A year of 1700 or more is
 * taken as Gregorian (a Persian user typing 2025/03/20 means March); two
 * digits are a year of the 1300s (50-99) or 1400s (00-49).
 *
 * @param {string} text
 * @param {string} format a luxon format (its order of year, month and day)
 * @param {{ zone?: string | luxon.Zone }} [options]
 * @returns {luxon.DateTime | null} in `zone` (the user's by default), or
 *  null if `text` is no such date
 */
export function parseJalali(text, format, { zone = "default" } = {}) {
    const latin = toLatinDigits(String(text)).trim();
    if (!latin || /[a-z]/i.test(latin.replace(/am|pm/gi, ""))) {
        return null;
    }
    let groups = latin.match(/\d+/g) || [];
    let order = dateOrder(format);
    const namedMonth = findMonthName(latin);
    if (namedMonth) {
        // "۳۰ اسفند ۱۴۰۳" (as printed) or "۱۴۰۳ اسفند ۳۰": the group of
        // three or four digits is the year, the name the month.
        if (groups.length < 2) {
            return null;
        }
        const yearFirst = groups[0].length > 2;
        groups.splice(1, 0, String(namedMonth));
        order = yearFirst ? "yMd" : "dMy";
    } else if (groups.length === 1 && [6, 8].includes(groups[0].length)) {
        // Digits only: "14031230", "031230".
        const yearLength = groups[0].length - 4;
        const sizes = { y: yearLength, M: 2, d: 2 };
        let start = 0;
        const parts = [];
        for (const letter of order) {
            parts.push(groups[0].slice(start, start + sizes[letter]));
            start += sizes[letter];
        }
        groups = parts;
    }
    if (groups.length < 3 || groups.length > 6) {
        return null;
    }
    const values = {};
    [...order].forEach((letter, index) => {
        values[letter] = groups[index];
    });
    let year = parseInt(values.y, 10);
    if (values.y.length <= 2) {
        year += year < 50 ? 1400 : 1300;
    } else if (values.y.length !== 4) {
        return null;
    }
    const month = parseInt(values.M, 10);
    const day = parseInt(values.d, 10);
    let [hour = 0, minute = 0, second = 0] = groups.slice(3).map((g) => parseInt(g, 10));
    if (PM_REGEX.test(latin) && hour < 12) {
        hour += 12;
    } else if (AM_REGEX.test(latin) && hour === 12) {
        hour = 0;
    }
    if (hour > 23 || minute > 59 || second > 59) {
        return null;
    }
    const gregorian = year >= 1700 ? { year, month, day } : jalaliToGregorian(year, month, day);
    if (!gregorian) {
        return null;
    }
    const result = DateTime.fromObject({ ...gregorian, hour, minute, second }, { zone });
    if (!result.isValid || result.day !== gregorian.day) {
        return null;
    }
    return result;
}

//-----------------------------------------------------------------------------
// Luxon
//-----------------------------------------------------------------------------

patch(DateTime.prototype, {
    toFormat(format, options = {}) {
        if (
            this.isValid &&
            options.numberingSystem !== "latn" &&
            isJalaliActive() &&
            isJalaliFormat(format)
        ) {
            return super.toFormat.call(toJalaliLocale(this), format, options);
        }
        return super.toFormat(...arguments);
    },
});

patch(DateTime, {
    fromFormat(text, format, options = {}) {
        if (!isJalaliActive() || !isJalaliFormat(format) || SMART_DATE_REGEX.test(text || "")) {
            return super.fromFormat(...arguments);
        }
        const result = parseJalali(text, format, { zone: options.zone || "default" });
        if (!result) {
            // Odoo would go on guessing with Gregorian formats (and store
            // 30 Esfand 1404 as 30 December 1404 AD): the input is wrong.
            throw new ConversionError(_t("'%s' is not a correct date or datetime", text));
        }
        return result;
    },
});
