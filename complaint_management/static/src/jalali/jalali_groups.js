/**
 * Groups by a date (lists, kanbans, pivots, graphs) labelled in the Jalali
 * calendar for Persian users. The server groups by Gregorian periods
 * (PostgreSQL's `date_trunc`) and labels them itself in Gregorian; every
 * group of a date comes with its range, the days it holds, and the label is
 * replaced by the same days in Jalali as the ORM service receives them:
 * "۳۰ اسفند ۱۴۰۳" for a day, "۱۱ اسفند ۱۴۰۳ – ۱۱ فروردین ۱۴۰۴" for the month
 * of March 2025, "اسفند ۱۴۰۳" for a group that is exactly a Jalali month.
 */

import { ORM } from "@web/core/orm_service";
import { deserializeDate, deserializeDateTime } from "@web/core/l10n/dates";
import { patch } from "@web/core/utils/patch";
import { isJalaliActive, jalaliMonthNames, toJalali, toPersianDigits } from "./jalali_calendar";

const dayLabel = ({ year, month, day }, withYear = true) =>
    `${toPersianDigits(day)} ${jalaliMonthNames()[month - 1]}` +
    (withYear ? ` ${toPersianDigits(year)}` : "");

/**
 * The Jalali label of the days from `first` to `last` (luxon DateTimes).
 * @param {luxon.DateTime} first
 * @param {luxon.DateTime} last
 */
export function jalaliSpanLabel(first, last) {
    const start = toJalali(first);
    const end = toJalali(last);
    if (first.hasSame(last, "day")) {
        return dayLabel(start);
    }
    const endsMonth = toJalali(last.plus({ days: 1 })).day === 1;
    if (start.day === 1 && endsMonth && start.year === end.year && start.month === end.month) {
        return `${jalaliMonthNames()[start.month - 1]} ${toPersianDigits(start.year)}`;
    }
    return `${dayLabel(start, start.year !== end.year)} – ${dayLabel(end)}`;
}

/**
 * The label of a date group from its range as the server sends it: `{ from,
 * to }`, `to` excluded, "yyyy-MM-dd" for dates, "yyyy-MM-dd HH:mm:ss" in UTC
 * for datetimes.
 * @param {{ from: string, to: string }} range
 */
export function jalaliGroupLabel(range) {
    const parse = range.from.length > 10 ? deserializeDateTime : deserializeDate;
    const first = parse(range.from);
    const last = parse(range.to).minus({ seconds: 1 });
    return jalaliSpanLabel(first, last);
}

/**
 * Relabels, in place, the groups of a date in a read_group result.
 * @param {Object[]} groups
 */
function relabelDateGroups(groups) {
    for (const group of groups || []) {
        for (const [groupBy, range] of Object.entries(group.__range || {})) {
            if (range?.from && range.to && typeof group[groupBy] === "string") {
                group[groupBy] = jalaliGroupLabel(range);
            }
        }
    }
}

patch(ORM.prototype, {
    async readGroup() {
        const groups = await super.readGroup(...arguments);
        if (isJalaliActive()) {
            relabelDateGroups(groups);
        }
        return groups;
    },

    async webReadGroup() {
        const result = await super.webReadGroup(...arguments);
        if (isJalaliActive()) {
            relabelDateGroups(result?.groups);
        }
        return result;
    },
});
