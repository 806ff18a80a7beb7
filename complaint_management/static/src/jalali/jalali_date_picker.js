/**
 * Odoo's date picker in the Jalali calendar, for Persian users: a month is a
 * Jalali month (weeks from Saturday, days in Persian digits, today marked),
 * the year and decade grids are Jalali years, and the arrows move by Jalali
 * months and years. The picker still selects luxon DateTimes in the user's
 * zone: only the grid changes, not what is stored.
 */

import { DateTimePicker } from "@web/core/datetime/datetime_picker";
import { isInRange, today } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import {
    endOfJalaliMonth,
    fromJalali,
    isJalaliActive,
    jalaliMonthNames,
    jalaliWeekNumber,
    plusJalaliMonths,
    startOfJalaliMonth,
    toJalali,
    toPersianDigits,
} from "./jalali_calendar";

const { Info } = luxon;

const SATURDAY = 6;
const DAYS_PER_WEEK = 7;
const WEEKS_PER_MONTH = 6;
const GRID_COUNT = 10;
const GRID_MARGIN = 1;

/** Months moved by the arrows at each precision level. */
const JALALI_STEPS = { days: 1, months: 12, years: 120, decades: 1200 };

/** @param {luxon.DateTime} date */
const startOfWeek = (date) =>
    date.set({ weekday: date.weekday < SATURDAY ? SATURDAY - 7 : SATURDAY }).startOf("day");

/** @param {number} min @param {number} max */
const numberRange = (min, max) => [...Array(max - min)].map((_, i) => i + min);

/** As Odoo's `toDateItem`, with the label given. */
const toDateItem = ({ isOutOfRange = false, isValid = true, label, range, extraClass }) => ({
    id: range[0].toISODate(),
    includesToday: isInRange(today(), range),
    isOutOfRange,
    isValid,
    label,
    range,
    extraClass,
});

/** The first and last instant of a Jalali year. */
const jalaliYearRange = (year, zone) => [
    fromJalali(year, 1, 1, { zone }),
    fromJalali(year + 1, 1, 1, { zone }).minus({ millisecond: 1 }),
];

const monthTitle = (date) => {
    const { year, month } = toJalali(date);
    return `${jalaliMonthNames()[month - 1]} ${toPersianDigits(year)}`;
};

/** Same shape as Odoo's PRECISION_LEVELS (datetime_picker.js). */
const JALALI_PRECISION_LEVELS = new Map()
    .set("days", {
        mainTitle: _t("Select month"),
        nextTitle: _t("Next month"),
        prevTitle: _t("Previous month"),
        getTitle: (date, { additionalMonth }) => {
            const titles = [monthTitle(date)];
            if (additionalMonth) {
                titles.push(monthTitle(plusJalaliMonths(date, 1)));
            }
            return titles;
        },
        getItems: (
            date,
            { additionalMonth, maxDate, minDate, showWeekNumbers, isDateValid, dayCellClass }
        ) => {
            const startDates = [date];
            if (additionalMonth) {
                startDates.push(plusJalaliMonths(date, 1));
            }
            const lastWeeks = [];
            let shouldAddLastWeek = false;
            const dayItems = startDates.map((date, i) => {
                const monthRange = [startOfJalaliMonth(date), endOfJalaliMonth(date)];
                const weeks = [];
                let startOfNextWeek = startOfWeek(monthRange[0]);
                for (let w = 0; w < WEEKS_PER_MONTH; w++) {
                    const weekDayItems = [];
                    for (let d = 0; d < DAYS_PER_WEEK; d++) {
                        const day = startOfNextWeek.plus({ day: d });
                        const range = [day, day.endOf("day")];
                        const dayItem = toDateItem({
                            isOutOfRange: !isInRange(day, monthRange),
                            isValid: isInRange(range, [minDate, maxDate]) && isDateValid?.(day),
                            label: toPersianDigits(toJalali(day).day),
                            range,
                            extraClass: dayCellClass?.(day) || "",
                        });
                        weekDayItems.push(dayItem);
                        if (d === DAYS_PER_WEEK - 1) {
                            startOfNextWeek = day.plus({ day: 1 });
                        }
                        if (w === WEEKS_PER_MONTH - 1) {
                            shouldAddLastWeek ||= !dayItem.isOutOfRange;
                        }
                    }
                    const weekItem = {
                        // Week 1 holds 1 Farvardin: numbered by its last day.
                        number: toPersianDigits(jalaliWeekNumber(weekDayItems[6].range[0])),
                        days: weekDayItems,
                    };
                    if (w === WEEKS_PER_MONTH - 1) {
                        lastWeeks.push(weekItem);
                    } else {
                        weeks.push(weekItem);
                    }
                }
                // Persian "short" weekdays are the long names: one letter
                // (ش ی د س چ پ ج), as Iranian calendars print them.
                const daysOfWeek = weeks[0].days.map((d) => {
                    const narrow = Info.weekdays("narrow", { locale: d.range[0].locale })[
                        d.range[0].weekday - 1
                    ];
                    return [narrow, d.range[0].weekdayLong, narrow];
                });
                if (showWeekNumbers) {
                    daysOfWeek.unshift(["#", _t("Week numbers"), "#"]);
                }
                return {
                    id: `__month__${i}`,
                    number: toJalali(monthRange[0]).month,
                    daysOfWeek,
                    weeks,
                };
            });
            if (shouldAddLastWeek) {
                for (let i = 0; i < dayItems.length; i++) {
                    dayItems[i].weeks.push(lastWeeks[i]);
                }
            }
            return dayItems;
        },
    })
    .set("months", {
        mainTitle: _t("Select year"),
        nextTitle: _t("Next year"),
        prevTitle: _t("Previous year"),
        getTitle: (date) => toPersianDigits(toJalali(date).year),
        getItems: (date, { maxDate, minDate }) => {
            const { year } = toJalali(date);
            return numberRange(1, 13).map((month) => {
                const start = fromJalali(year, month, 1, { zone: date.zone });
                const range = [start, endOfJalaliMonth(start)];
                return toDateItem({
                    isValid: isInRange(range, [minDate, maxDate]),
                    label: jalaliMonthNames()[month - 1],
                    range,
                });
            });
        },
    })
    .set("years", {
        mainTitle: _t("Select decade"),
        nextTitle: _t("Next decade"),
        prevTitle: _t("Previous decade"),
        getTitle: (date) => {
            const start = Math.floor(toJalali(date).year / 10) * 10;
            return `${toPersianDigits(start - 1)} - ${toPersianDigits(start + 10)}`;
        },
        getItems: (date, { maxDate, minDate }) => {
            const start = Math.floor(toJalali(date).year / 10) * 10;
            return numberRange(-GRID_MARGIN, GRID_COUNT + GRID_MARGIN).map((i) => {
                const range = jalaliYearRange(start + i, date.zone);
                return toDateItem({
                    isOutOfRange: i < 0 || i >= GRID_COUNT,
                    isValid: isInRange(range, [minDate, maxDate]),
                    label: toPersianDigits(start + i),
                    range,
                });
            });
        },
    })
    .set("decades", {
        mainTitle: _t("Select century"),
        nextTitle: _t("Next century"),
        prevTitle: _t("Previous century"),
        getTitle: (date) => {
            const start = Math.floor(toJalali(date).year / 100) * 100;
            return `${toPersianDigits(start - 10)} - ${toPersianDigits(start + 100)}`;
        },
        getItems: (date, { maxDate, minDate }) => {
            const start = Math.floor(toJalali(date).year / 100) * 100;
            return numberRange(-GRID_MARGIN, GRID_COUNT + GRID_MARGIN).map((i) => {
                const decade = start + i * 10;
                const range = [
                    jalaliYearRange(decade, date.zone)[0],
                    jalaliYearRange(decade + 9, date.zone)[1],
                ];
                return toDateItem({
                    isOutOfRange: i < 0 || i >= GRID_COUNT,
                    isValid: isInRange(range, [minDate, maxDate]),
                    label: toPersianDigits(decade),
                    range,
                });
            });
        },
    });

/** Persian digits on the time selectors' options. */
const persianOptions = (options) =>
    options.map(([value, label]) => [value, toPersianDigits(label)]);

patch(DateTimePicker.prototype, {
    get activePrecisionLevel() {
        if (isJalaliActive()) {
            return JALALI_PRECISION_LEVELS.get(this.state.precision);
        }
        return super.activePrecisionLevel;
    },

    onPropsUpdated() {
        super.onPropsUpdated(...arguments);
        if (isJalaliActive()) {
            this.availableHours = persianOptions(this.availableHours);
            this.availableMinutes = persianOptions(this.availableMinutes);
            this.availableSeconds = persianOptions(this.availableSeconds);
        }
    },

    adjustFocus(values, focusedDateIndex) {
        if (!isJalaliActive()) {
            return super.adjustFocus(...arguments);
        }
        if (!this.shouldAdjustFocusDate && this.state.focusDate) {
            return;
        }
        let dateToFocus =
            values[focusedDateIndex] || values[focusedDateIndex === 1 ? 0 : 1] || today();
        if (
            this.additionalMonth &&
            focusedDateIndex === 1 &&
            values[0] &&
            values[1] &&
            toJalali(values[0]).month !== toJalali(values[1]).month
        ) {
            dateToFocus = plusJalaliMonths(dateToFocus, -1);
        }
        this.shouldAdjustFocusDate = false;
        this.state.focusDate = this.clamp(startOfJalaliMonth(dateToFocus));
    },

    next(ev) {
        if (!isJalaliActive()) {
            return super.next(...arguments);
        }
        ev.preventDefault();
        const months = JALALI_STEPS[this.state.precision];
        this.state.focusDate = this.clamp(plusJalaliMonths(this.state.focusDate, months));
    },

    previous(ev) {
        if (!isJalaliActive()) {
            return super.previous(...arguments);
        }
        ev.preventDefault();
        const months = JALALI_STEPS[this.state.precision];
        this.state.focusDate = this.clamp(plusJalaliMonths(this.state.focusDate, -months));
    },
});
