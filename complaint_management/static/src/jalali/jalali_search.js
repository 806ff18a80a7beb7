/**
 * The search view's date filters in the Jalali calendar, for Persian users:
 * "Received on" offers the last Jalali months by name, the four Jalali
 * quarters by their seasons (spring is Farvardin to Khordad, Q1) and the
 * Jalali years, and filters on
 * those periods (1 Farvardin 00:00 to the end of 29 or 30 Esfand, in the
 * user's time zone). The option ids stay Odoo's relative ones ("month-1",
 * "year"), so favorites and defaults keep working in either calendar.
 */

import { Domain } from "@web/core/domain";
import { serializeDate, serializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { clamp } from "@web/core/utils/numbers";
import { patch } from "@web/core/utils/patch";
import { SearchModel } from "@web/search/search_model";
import { QUARTER_OPTIONS, QUARTERS, toGeneratorId } from "@web/search/utils/dates";
import {
    fromJalali,
    isJalaliActive,
    jalaliMonthNames,
    plusJalaliMonths,
    toJalali,
    toPersianDigits,
} from "./jalali_calendar";

/** The Jalali quarters are the seasons: Iranians name them so. */
const SEASONS = {
    1: _t("Spring"),
    2: _t("Summer"),
    3: _t("Autumn"),
    4: _t("Winter"),
};

/**
 * As Odoo's `getPeriodOptions`, in Jalali months and years.
 * @param {luxon.DateTime} referenceMoment
 * @param {Object} optionsParams a date filter's `optionsParams`
 */
export function getJalaliPeriodOptions(referenceMoment, optionsParams) {
    const { startYear, endYear, startMonth, endMonth, customOptions } = optionsParams;
    const reference = toJalali(referenceMoment);
    const defaultYearOffset = clamp(0, startYear, endYear);
    const months = [...Array(endMonth - startMonth + 1).keys()]
        .map((i) => {
            const monthOffset = startMonth + i;
            const date = toJalali(
                plusJalaliMonths(referenceMoment, monthOffset + 12 * defaultYearOffset)
            );
            return {
                id: toGeneratorId("month", monthOffset),
                defaultYearId: toGeneratorId(
                    "year",
                    clamp(date.year - reference.year, startYear, endYear)
                ),
                description: jalaliMonthNames()[date.month - 1],
                granularity: "month",
                groupNumber: 1,
                plusParam: { months: monthOffset },
            };
        })
        .reverse();
    const quarters = Object.values(QUARTER_OPTIONS).map((quarter) => ({
        ...quarter,
        description: SEASONS[quarter.setParam.quarter].toString(),
        defaultYearId: toGeneratorId("year", defaultYearOffset),
    }));
    const years = [...Array(endYear - startYear + 1).keys()]
        .map((i) => {
            const offset = startYear + i;
            return {
                id: toGeneratorId("year", offset),
                description: toPersianDigits(reference.year + offset),
                granularity: "year",
                groupNumber: 2,
                plusParam: { years: offset },
            };
        })
        .reverse();
    const custom = (customOptions || []).map((option) => ({
        id: option.id,
        description: option.description,
        granularity: "withDomain",
        groupNumber: 3,
        domain: option.domain,
    }));
    return [...months, ...quarters, ...years, ...custom];
}

/**
 * A Jalali period, from its first month (as an index: year * 12 + month - 1)
 * and its length in months: its domain on a field and its description.
 */
function periodRange({ fieldName, fieldType }, monthIndex, length, zone) {
    const year = Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const start = fromJalali(year, month, 1, { zone });
    const end = plusJalaliMonths(start, length).startOf("day").minus({ milliseconds: 1 });
    const serialize = fieldType === "date" ? serializeDate : serializeDateTime;
    const domain = new Domain([
        "&",
        [fieldName, ">=", serialize(start)],
        [fieldName, "<=", serialize(end)],
    ]);
    let description = toPersianDigits(year);
    if (length === 1) {
        description = `${jalaliMonthNames()[month - 1]} ${description}`;
    } else if (length === 3) {
        description = `${SEASONS[(month - 1) / 3 + 1]} ${description}`;
    }
    return { domain, description };
}

/**
 * As Odoo's `constructDateDomain`: the domain and description of a date
 * filter's selected options, in Jalali periods, optionally for a comparison
 * ("previous_period", "previous_year").
 */
export function constructJalaliDateDomain(
    referenceMoment,
    searchItem,
    selectedOptionIds,
    comparisonOptionId
) {
    const options = getJalaliPeriodOptions(referenceMoment, searchItem.optionsParams);
    const selected = selectedOptionIds
        .map((id) => options.find((option) => option.id === id))
        .filter(Boolean);
    const custom = selected.find((option) => option.granularity === "withDomain");
    if (custom) {
        return {
            description: custom.description,
            domain: Domain.and([custom.domain, searchItem.domain]),
        };
    }
    const reference = toJalali(referenceMoment);
    const years = selected
        .filter((option) => option.granularity === "year")
        .map((option) => reference.year + option.plusParam.years)
        .sort((a, b) => a - b);
    let quarters = selected
        .filter((option) => option.granularity === "quarter")
        .map((option) => option.setParam.quarter);
    let months = selected
        .filter((option) => option.granularity === "month")
        .map((option) => plusJalaliMonths(referenceMoment, option.plusParam.months))
        .map((date) => toJalali(date).month);
    let shift = 0;
    if (comparisonOptionId === "previous_year") {
        shift = -12;
    } else if (comparisonOptionId === "previous_period") {
        let unit = 12;
        let optionMin = 0;
        let optionMax = 0;
        if (months.length) {
            // With months, the quarters become their months (as in Odoo).
            for (const quarter of quarters) {
                months.push(...QUARTERS[quarter].coveredMonths);
            }
            quarters = [];
            months = [...new Set(months)];
            unit = 1;
            optionMin = Math.min(...months);
            optionMax = Math.max(...months);
        } else if (quarters.length) {
            unit = 3;
            optionMin = Math.min(...quarters);
            optionMax = Math.max(...quarters);
        }
        const perYear = 12 / unit;
        const count =
            -1 + perYear * (Math.min(...years) - Math.max(...years)) + optionMin - optionMax;
        shift = count * unit;
    }
    const ranges = [];
    for (const year of years) {
        const base = year * 12 + shift;
        if (!quarters.length && !months.length) {
            ranges.push(periodRange(searchItem, base, 12, referenceMoment.zone));
            continue;
        }
        for (const quarter of [...quarters].sort((a, b) => a - b)) {
            ranges.push(periodRange(searchItem, base + (quarter - 1) * 3, 3, referenceMoment.zone));
        }
        for (const month of [...months].sort((a, b) => a - b)) {
            ranges.push(periodRange(searchItem, base + month - 1, 1, referenceMoment.zone));
        }
    }
    const domain = Domain.and([
        Domain.combine(
            ranges.map((range) => range.domain),
            "OR"
        ),
        searchItem.domain,
    ]);
    return { domain, description: ranges.map((range) => range.description).join("/") };
}

patch(SearchModel.prototype, {
    _enrichItem(searchItem) {
        const enriched = super._enrichItem(...arguments);
        if (enriched?.type === "dateFilter" && isJalaliActive()) {
            const jalaliOptions = getJalaliPeriodOptions(
                this.referenceMoment,
                searchItem.optionsParams
            );
            enriched.options = enriched.options.map((option) => ({
                ...option,
                description:
                    jalaliOptions.find((jalali) => jalali.id === option.id)?.description ??
                    option.description,
            }));
        }
        return enriched;
    },

    _getDateFilterDomain(dateFilter, generatorIds, key = "domain") {
        if (!isJalaliActive()) {
            return super._getDateFilterDomain(...arguments);
        }
        return constructJalaliDateDomain(this.referenceMoment, dateFilter, generatorIds)[key];
    },

    toggleDateFilter(searchItemId, generatorId) {
        const searchItem = this.searchItems[searchItemId];
        if (isJalaliActive() && searchItem?.type === "dateFilter") {
            // A month picked without a year comes with the year it falls in:
            // the Jalali one (Odoo's would be the Gregorian year's).
            const generatorIds = generatorId ? [generatorId] : searchItem.defaultGeneratorIds;
            const selected = this._getSelectedGeneratorIds(searchItemId);
            const first = generatorIds[0];
            if (
                first &&
                !first.startsWith("custom") &&
                !selected.includes(first) &&
                !generatorIds.some((id) => id.startsWith("year")) &&
                !selected.some((id) => id.startsWith("year"))
            ) {
                const option = getJalaliPeriodOptions(
                    this.referenceMoment,
                    searchItem.optionsParams
                ).find((o) => o.id === first);
                if (option?.defaultYearId) {
                    this.query = this.query.filter(
                        (queryElem) =>
                            queryElem.searchItemId !== searchItemId ||
                            !queryElem.generatorId.startsWith("custom")
                    );
                    this.query.push({ searchItemId, generatorId: option.defaultYearId });
                }
            }
        }
        return super.toggleDateFilter(...arguments);
    },

    getFullComparison() {
        const comparison = super.getFullComparison(...arguments);
        if (!comparison || !isJalaliActive()) {
            return comparison;
        }
        // The active comparison, found as Odoo finds it.
        let comparisonItem = null;
        for (const queryElem of this.query.slice().reverse()) {
            const item = this.searchItems[queryElem.searchItemId];
            if (item.type === "comparison" || (item.type === "favorite" && item.comparison)) {
                comparisonItem = item;
                break;
            }
        }
        if (comparisonItem?.type !== "comparison") {
            // A favorite's comparison: its ranges were saved as they are.
            return comparison;
        }
        const dateFilter = this.searchItems[comparisonItem.dateFilterId];
        const selectedGeneratorIds = this._getSelectedGeneratorIds(dateFilter.id);
        const range = constructJalaliDateDomain(
            this.referenceMoment,
            dateFilter,
            selectedGeneratorIds
        );
        const comparisonRange = constructJalaliDateDomain(
            this.referenceMoment,
            dateFilter,
            selectedGeneratorIds,
            comparison.comparisonId
        );
        return {
            ...comparison,
            range: range.domain.toList(),
            rangeDescription: range.description,
            comparisonRange: comparisonRange.domain.toList(),
            comparisonRangeDescription: comparisonRange.description,
        };
    },
});
