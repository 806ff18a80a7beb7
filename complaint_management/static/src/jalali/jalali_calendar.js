/**
 * The Jalali (Solar Hijri) calendar for the web client, on top of what the
 * browser already has: `Intl` knows the Persian calendar, so a Gregorian day
 * is converted by formatting it (`en-u-ca-persian`), and a Jalali day is
 * converted back by searching the few Gregorian days around a first guess
 * with the same formatter (the arithmetic stays the browser's: ICU's, which
 * agrees with the server's `jdatetime` from 1900 to 2123).
 *
 * Everything here works on calendar days (year, month, day), never on
 * instants: a day is converted at its UTC midnight, formatted with
 * `timeZone: "UTC"`, so the browser's own time zone never shifts it. Time zones
 * are luxon's business (the DateTime's zone), which keeps the classic trap
 * (midnight in Tehran is 20:30 UTC the day before, and some Tehran midnights
 * did not exist under daylight saving time) out of the calendar arithmetic.
 */

import { user } from "@web/core/user";

const { DateTime } = luxon;

const DAY_MS = 24 * 60 * 60 * 1000;
const PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";

/**
 * Whether the Jalali calendar is on: for users whose language is Persian.
 * `enabled` forces it either way (tests); `null` follows the user's language.
 */
export const jalaliSettings = { enabled: null };

export function isJalaliActive() {
    if (jalaliSettings.enabled !== null) {
        return jalaliSettings.enabled;
    }
    return /^fa([-_]|$)/i.test(user.lang || "");
}

let partsFormatter = null;
function getPartsFormatter() {
    partsFormatter ||= new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", {
        timeZone: "UTC",
        year: "numeric",
        month: "numeric",
        day: "numeric",
    });
    return partsFormatter;
}

/** Milliseconds of the UTC midnight starting a Gregorian day (any year). */
function utcDay(year, month, day) {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return date.getTime();
}

/** The Jalali day of the UTC day starting at `time` (milliseconds). */
function jalaliOfTime(time) {
    const result = {};
    for (const { type, value } of getPartsFormatter().formatToParts(new Date(time))) {
        if (type === "year" || type === "month" || type === "day") {
            result[type] = parseInt(value, 10);
        }
    }
    return result;
}

/** Days of the Jalali year before the first day of month `month`. */
function daysBeforeMonth(month) {
    return month <= 7 ? 31 * (month - 1) : 186 + 30 * (month - 7);
}

/**
 * @param {number} year Gregorian
 * @param {number} month 1-12
 * @param {number} day 1-31
 * @returns {{ year: number, month: number, day: number }} the Jalali day
 */
export function gregorianToJalali(year, month, day) {
    return jalaliOfTime(utcDay(year, month, day));
}

/** UTC milliseconds of 1 Farvardin of the Jalali year `year`. */
function nowruzTime(year) {
    // 1 Farvardin falls on 19-22 March of the Gregorian year 621 later.
    let time = utcDay(year + 621, 3, 21);
    let jalali = jalaliOfTime(time);
    for (let i = 0; i < 4 && jalali.year !== year; i++) {
        time += (jalali.year < year ? 1 : -1) * DAY_MS;
        jalali = jalaliOfTime(time);
    }
    return time - (daysBeforeMonth(jalali.month) + jalali.day - 1) * DAY_MS;
}

/**
 * @param {number} year Jalali
 * @param {number} month 1-12
 * @param {number} day 1-31
 * @returns {{ year: number, month: number, day: number } | null} the
 *  Gregorian day, or null if there is no such Jalali day (30 Esfand of a
 *  common year, 31 Mehr...)
 */
export function jalaliToGregorian(year, month, day) {
    if (![year, month, day].every(Number.isInteger) || month < 1 || month > 12 || day < 1) {
        return null;
    }
    if (day > (month <= 6 ? 31 : 30)) {
        return null;
    }
    const time = nowruzTime(year) + (daysBeforeMonth(month) + day - 1) * DAY_MS;
    const check = jalaliOfTime(time);
    if (check.year !== year || check.month !== month || check.day !== day) {
        return null;
    }
    const date = new Date(time);
    return {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
    };
}

export function isJalaliLeapYear(year) {
    return jalaliToGregorian(year, 12, 30) !== null;
}

export function jalaliMonthLength(year, month) {
    if (month <= 6) {
        return 31;
    }
    if (month <= 11) {
        return 30;
    }
    return isJalaliLeapYear(year) ? 30 : 29;
}

//-----------------------------------------------------------------------------
// Digits and names
//-----------------------------------------------------------------------------

/** @param {string | number} value */
export function toPersianDigits(value) {
    return String(value).replace(/[0-9]/g, (digit) => PERSIAN_DIGITS[digit]);
}

/** Persian and Arabic-Indic digits to Latin ones. @param {string} value */
export function toLatinDigits(value) {
    return String(value).replace(/[۰-۹٠-٩]/g, (digit) => {
        const index = PERSIAN_DIGITS.indexOf(digit);
        return String(index >= 0 ? index : ARABIC_DIGITS.indexOf(digit));
    });
}

let monthNames = null;
/** The Jalali month names in Persian, Farvardin first. */
export function jalaliMonthNames() {
    if (!monthNames) {
        const formatter = new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
            timeZone: "UTC",
            month: "long",
        });
        monthNames = [];
        for (let month = 1; month <= 12; month++) {
            const { year, month: gMonth, day } = jalaliToGregorian(1403, month, 10);
            monthNames.push(formatter.format(new Date(utcDay(year, gMonth, day))));
        }
    }
    return monthNames;
}

//-----------------------------------------------------------------------------
// Luxon DateTimes, in their own zone
//-----------------------------------------------------------------------------

/**
 * The Jalali day of a DateTime, as read in its zone.
 * @param {luxon.DateTime} dt
 */
export function toJalali(dt) {
    return gregorianToJalali(dt.year, dt.month, dt.day);
}

/**
 * The start of a Jalali day in a zone (the user's by default). Where
 * midnight does not exist (a daylight saving time change at midnight, as in
 * Tehran until 2022), the day starts at the first hour that does.
 *
 * @param {number} year
 * @param {number} month
 * @param {number} day
 * @param {{ zone?: string | luxon.Zone }} [options]
 * @returns {luxon.DateTime | null}
 */
export function fromJalali(year, month, day, { zone = "default" } = {}) {
    const gregorian = jalaliToGregorian(year, month, day);
    if (!gregorian) {
        return null;
    }
    return DateTime.fromObject(gregorian, { zone }).startOf("day");
}

/**
 * Moves a DateTime to another Jalali day, keeping its time of day and zone.
 * @param {luxon.DateTime} dt
 * @param {{ year: number, month: number, day: number }} jalali
 */
export function setJalaliDay(dt, { year, month, day }) {
    const gregorian = jalaliToGregorian(year, month, day);
    return dt.set(gregorian);
}

/**
 * @param {luxon.DateTime} dt
 * @param {number} months Jalali months to add (negative: back), the day
 *  clamped to the target month's length (31 Shahrivar + 1 month = 30 Mehr)
 */
export function plusJalaliMonths(dt, months) {
    const { year, month, day } = toJalali(dt);
    const index = year * 12 + month - 1 + months;
    const newYear = Math.floor(index / 12);
    const newMonth = (index % 12) + 1;
    const newDay = Math.min(day, jalaliMonthLength(newYear, newMonth));
    return setJalaliDay(dt, { year: newYear, month: newMonth, day: newDay });
}

/** @param {luxon.DateTime} dt */
export function startOfJalaliMonth(dt) {
    const { year, month } = toJalali(dt);
    return fromJalali(year, month, 1, { zone: dt.zone });
}

/** @param {luxon.DateTime} dt */
export function endOfJalaliMonth(dt) {
    return plusJalaliMonths(startOfJalaliMonth(dt), 1).minus({ milliseconds: 1 });
}

/** @param {luxon.DateTime} dt */
export function startOfJalaliYear(dt) {
    return fromJalali(toJalali(dt).year, 1, 1, { zone: dt.zone });
}

/**
 * The Jalali period (`"day" | "month" | "quarter" | "year"`) containing a
 * DateTime: [first instant, last instant] in its zone.
 *
 * @param {luxon.DateTime} dt
 * @param {"day" | "month" | "quarter" | "year"} granularity
 * @returns {[luxon.DateTime, luxon.DateTime]}
 */
export function jalaliPeriod(dt, granularity) {
    const { year, month } = toJalali(dt);
    let start;
    let months;
    if (granularity === "day") {
        return [dt.startOf("day"), dt.endOf("day")];
    } else if (granularity === "month") {
        start = fromJalali(year, month, 1, { zone: dt.zone });
        months = 1;
    } else if (granularity === "quarter") {
        start = fromJalali(year, month - ((month - 1) % 3), 1, { zone: dt.zone });
        months = 3;
    } else {
        start = fromJalali(year, 1, 1, { zone: dt.zone });
        months = 12;
    }
    const next = plusJalaliMonths(start, months).startOf("day");
    return [start, next.minus({ milliseconds: 1 })];
}

/**
 * The Jalali week number of a day in its year (week 1 holds 1 Farvardin;
 * weeks start on `weekStart`, 6 = Saturday, as in Iran).
 * @param {luxon.DateTime} dt
 * @param {number} [weekStart=6] luxon weekday (1 = Monday ... 7 = Sunday)
 */
export function jalaliWeekNumber(dt, weekStart = 6) {
    const nowruz = startOfJalaliYear(dt);
    const offset = (nowruz.weekday - weekStart + 7) % 7;
    const dayOfYear = Math.round(dt.startOf("day").diff(nowruz, "days").days);
    return Math.floor((dayOfYear + offset) / 7) + 1;
}
