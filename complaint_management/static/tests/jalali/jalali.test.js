import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { describe, expect, test } from "@odoo/hoot";
import { queryAll, queryAllTexts, queryOne } from "@odoo/hoot-dom";
import { mockDate, mockTimeZone } from "@odoo/hoot-mock";
import {
    contains,
    defineModels,
    defineParams,
    fields,
    getFacetTexts,
    models,
    mountView,
    mountWithCleanup,
    mountWithSearch,
    onRpc,
    serverState,
    toggleMenuItem,
    toggleMenuItemOption,
    toggleSearchBarMenu,
} from "@web/../tests/web_test_helpers";
import { Component, xml } from "@odoo/owl";

import { DateTimePicker } from "@web/core/datetime/datetime_picker";
import { SearchBar } from "@web/search/search_bar/search_bar";
import {
    deserializeDate,
    deserializeDateTime,
    formatDate,
    formatDateTime,
    parseDate,
    parseDateTime,
    serializeDate,
    serializeDateTime,
} from "@web/core/l10n/dates";
import {
    gregorianToJalali,
    isJalaliActive,
    isJalaliLeapYear,
    jalaliMonthLength,
    jalaliToGregorian,
    toLatinDigits,
} from "@complaint_management/jalali/jalali_calendar";

const { DateTime } = luxon;

describe.current.tags("desktop");
// The addon depends on mail: its services start in every test environment.
defineMailModels();

// fa_IR as Odoo ships it (res.lang): %Y/%m/%d, %H:%M:%S, weeks from Saturday.
defineParams({
    lang_parameters: {
        date_format: "%Y/%m/%d",
        time_format: "%H:%M:%S",
        short_time_format: "%H:%M",
        week_start: 6,
        direction: "rtl",
    },
});

class Complaint extends models.Model {
    _name = "complaint.complaint";

    name = fields.Char();
    date_deadline = fields.Date({ string: "Deadline" });
    date_received = fields.Datetime({ string: "Received on" });

    _records = [
        { id: 1, name: "Last day of 1403", date_deadline: "2025-03-20" },
        { id: 2, name: "Nowruz 1404", date_deadline: "2025-03-21" },
    ];
    _views = { search: `<search/>` };
}
defineModels([Complaint]);

/** A Persian user in Tehran, on 20 March 2025 (30 Esfand 1403) at noon. */
async function persianUserInTehran() {
    serverState.lang = "fa_IR";
    mockTimeZone("Asia/Tehran");
    mockDate("2025-03-20T08:30:00");
}

class Empty extends Component {
    static template = xml`<div/>`;
    static props = ["*"];
}

/** The user's formats, as the localization service reads them. */
async function startServices() {
    await mountWithCleanup(Empty);
}

describe("conversion", () => {
    test("Nowruz and the last day of Esfand, leap years or not", () => {
        // 1403 is leap: 30 Esfand 1403 = 20 March 2025, Nowruz 1404 the day after.
        expect(gregorianToJalali(2025, 3, 20)).toEqual({ year: 1403, month: 12, day: 30 });
        expect(gregorianToJalali(2025, 3, 21)).toEqual({ year: 1404, month: 1, day: 1 });
        expect(jalaliToGregorian(1403, 12, 30)).toEqual({ year: 2025, month: 3, day: 20 });
        expect(jalaliToGregorian(1404, 1, 1)).toEqual({ year: 2025, month: 3, day: 21 });
        // 1404 is common: Esfand has 29 days, Nowruz 1405 is 21 March 2026.
        expect(jalaliToGregorian(1404, 12, 29)).toEqual({ year: 2026, month: 3, day: 20 });
        expect(jalaliToGregorian(1404, 12, 30)).toBe(null);
        expect(jalaliToGregorian(1405, 1, 1)).toEqual({ year: 2026, month: 3, day: 21 });
        // 1399 was leap too (30 Esfand 1399 = 20 March 2021).
        expect(jalaliToGregorian(1399, 12, 30)).toEqual({ year: 2021, month: 3, day: 20 });
        expect([1399, 1400, 1403, 1404, 1408].map(isJalaliLeapYear)).toEqual([
            true,
            false,
            true,
            false,
            true,
        ]);
        expect([1, 6, 7, 11].map((month) => jalaliMonthLength(1404, month))).toEqual([
            31, 31, 30, 30,
        ]);
        expect([1403, 1404].map((year) => jalaliMonthLength(year, 12))).toEqual([30, 29]);
        // No such days.
        expect(jalaliToGregorian(1404, 7, 31)).toBe(null);
        expect(jalaliToGregorian(1404, 13, 1)).toBe(null);
        expect(jalaliToGregorian(1404, 0, 10)).toBe(null);
    });

    test("every day of 2000-2040 goes to Jalali and back", () => {
        let day = DateTime.utc(2000, 1, 1);
        let previous = gregorianToJalali(1999, 12, 31);
        const wrong = [];
        while (day.year < 2041) {
            const jalali = gregorianToJalali(day.year, day.month, day.day);
            const back = jalaliToGregorian(jalali.year, jalali.month, jalali.day);
            if (back?.year !== day.year || back.month !== day.month || back.day !== day.day) {
                wrong.push(day.toISODate());
            }
            // Consecutive: the next day, or the first of the next month.
            const next =
                jalali.day === previous.day + 1 ||
                (jalali.day === 1 &&
                    (jalali.month === previous.month + 1 ||
                        (jalali.month === 1 && previous.month === 12)));
            if (!next) {
                wrong.push(day.toISODate());
            }
            previous = jalali;
            day = day.plus({ days: 1 });
        }
        expect(wrong).toEqual([]);
    });

    test("Persian and Arabic digits read as Latin ones", () => {
        expect(toLatinDigits("۱۴۰۳/۱۲/۳۰")).toBe("1403/12/30");
        expect(toLatinDigits("١٤٠٣/١٢/٣٠")).toBe("1403/12/30");
    });
});

describe("dates shown and typed", () => {
    test("a Persian user reads dates in Jalali with Persian digits", async () => {
        await persianUserInTehran();
        await startServices();
        expect(isJalaliActive()).toBe(true);
        expect(formatDate(deserializeDate("2025-03-20"))).toBe("۱۴۰۳/۱۲/۳۰");
        expect(formatDate(deserializeDate("2025-03-21"))).toBe("۱۴۰۴/۰۱/۰۱");
        expect(formatDate(deserializeDate("2025-03-21"), { condensed: true })).toBe("۱۴۰۴/۱/۱");
        // Midnight in Tehran is 20:30 UTC the day before: Nowruz, not Esfand.
        expect(formatDateTime(deserializeDateTime("2025-03-20 20:30:00"))).toBe(
            "۱۴۰۴/۰۱/۰۱ ۰۰:۰۰:۰۰"
        );
        const lastMinute = deserializeDateTime("2025-03-20 20:29:00");
        expect(formatDateTime(lastMinute, { showSeconds: false })).toBe("۱۴۰۳/۱۲/۳۰ ۲۳:۵۹");
        // What goes to the server stays Gregorian, in Latin digits.
        expect(serializeDate(deserializeDate("2025-03-21"))).toBe("2025-03-21");
        expect(serializeDateTime(deserializeDateTime("2025-03-20 20:30:00"))).toBe(
            "2025-03-20 20:30:00"
        );
    });

    test("a Jalali date typed by a Persian user is stored as its Gregorian date", async () => {
        await persianUserInTehran();
        await startServices();
        const asServer = (text) => serializeDate(parseDate(text));
        expect(asServer("۱۴۰۳/۱۲/۳۰")).toBe("2025-03-20");
        expect(asServer("1404/1/1")).toBe("2025-03-21");
        expect(asServer("١٤٠٤-٠١-٠١")).toBe("2025-03-21");
        expect(asServer("14040101")).toBe("2025-03-21");
        expect(asServer("04/01/01")).toBe("2025-03-21");
        expect(asServer("۳۰ اسفند ۱۴۰۳")).toBe("2025-03-20");
        // A Gregorian year is taken as such.
        expect(asServer("2025/03/20")).toBe("2025-03-20");
        // No 30 Esfand in 1404: refused, not guessed as a Gregorian date.
        expect(() => parseDate("1404/12/30")).toThrow(/is not a correct date/);
        expect(() => parseDate("1404/13/01")).toThrow(/is not a correct date/);
        // Odoo's shortcuts still work.
        expect(asServer("+1d")).toBe("2025-03-21");
        // Datetimes: the user's time zone, midnight in Tehran included.
        expect(serializeDateTime(parseDateTime("۱۴۰۴/۰۱/۰۱ ۰۰:۰۰:۰۰"))).toBe(
            "2025-03-20 20:30:00"
        );
        expect(serializeDateTime(parseDateTime("1404/01/01 14:05"))).toBe("2025-03-21 10:35:00");
    });

    test("a Tehran midnight that never was (daylight saving time, 2 Farvardin 1400)", async () => {
        await persianUserInTehran();
        await startServices();
        // Clocks went from 00:00 to 01:00 on 22 March 2021: the day still
        // starts on 2 Farvardin, at 01:00 (+04:30), 20:30 UTC the day before.
        const day = parseDate("1400/01/02");
        expect(serializeDate(day)).toBe("2021-03-22");
        expect(formatDate(day)).toBe("۱۴۰۰/۰۱/۰۲");
        const midnight = parseDateTime("1400/01/02 00:00:00");
        expect(serializeDateTime(midnight)).toBe("2021-03-21 20:30:00");
        expect(formatDateTime(midnight)).toBe("۱۴۰۰/۰۱/۰۲ ۰۱:۰۰:۰۰");
        expect(formatDate(deserializeDate("2021-03-22"))).toBe("۱۴۰۰/۰۱/۰۲");
    });

    test("an English user sees Odoo's Gregorian dates", async () => {
        mockTimeZone("Asia/Tehran");
        mockDate("2025-03-20T08:30:00");
        await startServices();
        expect(isJalaliActive()).toBe(false);
        expect(formatDate(deserializeDate("2025-03-20"))).toBe("2025/03/20");
        expect(formatDateTime(deserializeDateTime("2025-03-20 20:30:00"))).toBe(
            "2025/03/21 00:00:00"
        );
        expect(serializeDate(parseDate("2025/03/20"))).toBe("2025-03-20");
        expect(serializeDate(parseDate("1403/12/30"))).toBe("1403-12-30");
    });
});

describe("date picker", () => {
    test("a Jalali month, weeks from Saturday, today marked", async () => {
        await persianUserInTehran();
        const selected = [];
        await mountWithCleanup(DateTimePicker, {
            props: {
                type: "date",
                value: deserializeDate("2025-03-20"),
                onSelect: (value) => selected.push(serializeDate(value)),
            },
        });
        expect(".o_datetime_picker_header .o_header_part").toHaveText("اسفند ۱۴۰۳");
        // Weeks start on Saturday: "ش", for شنبه.
        const saturday = DateTime.fromISO("2025-03-15").setLocale("fa-IR");
        expect(queryAll(".o_day_of_week_cell")[1]).toHaveAttribute("title", saturday.weekdayLong);
        expect(queryAllTexts(".o_day_of_week_cell")[1]).toBe("ش");
        // 1 Esfand 1403 was a Wednesday: Saturday to Tuesday are empty.
        const cells = queryAll(".o_date_picker .o_date_item_cell");
        expect(cells.slice(0, 4).every((cell) => cell.matches(".o_out_of_range"))).toBe(true);
        const days = queryAllTexts(".o_date_picker button.o_date_item_cell");
        expect(days[0]).toBe("۱");
        expect(days.at(-1)).toBe("۳۰");
        expect(days).toHaveLength(30);
        expect(".o_date_item_cell.o_selected").toHaveText("۳۰");
        expect(".o_date_item_cell.o_today").toHaveText("۳۰");

        await contains(".o_datetime_picker_header .o_next").click();
        expect(".o_datetime_picker_header .o_header_part").toHaveText("فروردین ۱۴۰۴");
        // Nowruz 1404 was a Friday, the last column.
        const farvardin = queryAll(".o_date_picker .o_date_item_cell");
        expect(farvardin.slice(0, 6).every((cell) => cell.matches(".o_out_of_range"))).toBe(true);
        expect(farvardin[6]).toHaveText("۱");
        expect(queryAllTexts(".o_date_picker button.o_date_item_cell")).toHaveLength(31);
        await contains(".o_date_picker button.o_date_item_cell:contains(/^۱۵$/)").click();
        expect(selected).toEqual(["2025-04-04"]);

        await contains(".o_datetime_picker_header .o_zoom_out").click();
        expect(".o_datetime_picker_header .o_header_part").toHaveText("۱۴۰۴");
        const months = queryAllTexts(".o_date_item_cell");
        expect(months).toHaveLength(12);
        expect([months[0], months[11]]).toEqual(["فروردین", "اسفند"]);
        await contains(".o_datetime_picker_header .o_previous").click();
        expect(".o_datetime_picker_header .o_header_part").toHaveText("۱۴۰۳");
        await contains(".o_date_item_cell:contains(/^اسفند$/)").click();
        expect(".o_datetime_picker_header .o_header_part").toHaveText("اسفند ۱۴۰۳");
    });

    test("a range across Nowruz, over two Jalali months", async () => {
        await persianUserInTehran();
        await mountWithCleanup(DateTimePicker, {
            props: {
                type: "date",
                range: true,
                value: [deserializeDate("2025-03-10"), deserializeDate("2025-03-25")],
            },
        });
        expect(queryAllTexts(".o_datetime_picker_header .o_header_part")).toEqual([
            "اسفند ۱۴۰۳",
            "فروردین ۱۴۰۴",
        ]);
        // 20 Esfand to 5 Farvardin: 11 days of Esfand 1403 (a leap year's 30), 5 of Farvardin.
        expect(".o_date_item_cell.o_selected").toHaveCount(16);
        expect(".o_date_item_cell.o_select_start").toHaveText("۲۰");
        expect(".o_date_item_cell.o_select_end").toHaveText("۵");
    });

    test("hours and minutes in Persian digits", async () => {
        await persianUserInTehran();
        await mountWithCleanup(DateTimePicker, {
            props: { type: "datetime", value: deserializeDateTime("2025-03-20 20:30:00") },
        });
        expect(".o_datetime_picker_header .o_header_part").toHaveText("فروردین ۱۴۰۴");
        expect(queryAllTexts(".o_time_picker_select:eq(0) option").slice(0, 3)).toEqual([
            "۰",
            "۱",
            "۲",
        ]);
        expect(queryOne(".o_time_picker_select:eq(0)").value).toBe("0");
    });

    test("an English user keeps Odoo's Gregorian picker", async () => {
        mockDate("2025-03-20T08:30:00");
        await mountWithCleanup(DateTimePicker, {
            props: { type: "date", value: deserializeDate("2025-03-20") },
        });
        expect(".o_datetime_picker_header .o_header_part").toHaveText("March 2025");
    });
});

describe("views", () => {
    test("list cells and a picked date saved", async () => {
        await persianUserInTehran();
        const saved = [];
        onRpc("web_save", ({ args }) => {
            saved.push(args[1]);
        });
        await mountView({
            type: "list",
            resModel: "complaint.complaint",
            arch: `
                <list editable="bottom">
                    <field name="name"/>
                    <field name="date_deadline"/>
                </list>`,
        });
        expect(queryAllTexts(".o_data_cell[name=date_deadline]")).toEqual([
            "۱۴۰۳/۱۲/۳۰",
            "۱۴۰۴/۰۱/۰۱",
        ]);
        await contains(".o_data_row:eq(0) .o_data_cell[name=date_deadline]").click();
        await contains(".o_field_widget[name=date_deadline] input").edit("۱۴۰۴/۰۱/۱۳");
        await contains(".o_list_button_save").click();
        expect(saved).toEqual([{ date_deadline: "2025-04-02" }]);
        expect(".o_data_row:eq(0) .o_data_cell[name=date_deadline]").toHaveText("۱۴۰۴/۰۱/۱۳");
    });

    test("date filters offer Jalali months, seasons and years", async () => {
        await persianUserInTehran();
        // 5 Farvardin 1404.
        mockDate("2025-03-25T08:30:00");
        const searchBar = await mountWithSearch(SearchBar, {
            resModel: "complaint.complaint",
            searchViewId: false,
            searchMenuTypes: ["filter"],
            searchViewArch: `
                <search>
                    <filter name="received" string="Received on" date="date_received"/>
                    <filter name="deadline" string="Deadline" date="date_deadline"/>
                </search>`,
        });
        const { searchModel } = searchBar.env;
        await toggleSearchBarMenu();
        await toggleMenuItem("Received on");
        expect(queryAllTexts(".o_item_option")).toEqual([
            "فروردین",
            "اسفند",
            "بهمن",
            "Winter",
            "Autumn",
            "Summer",
            "Spring",
            "۱۴۰۴",
            "۱۴۰۳",
            "۱۴۰۲",
        ]);
        // Esfand is in 1403: its year comes with it.
        await toggleMenuItemOption("Received on", "اسفند");
        expect(getFacetTexts()).toEqual(["Received on: اسفند ۱۴۰۳"]);
        // From 1 Esfand 00:00 to 30 Esfand 23:59:59 in Tehran, in UTC.
        expect(searchModel.domain).toEqual([
            "&",
            ["date_received", ">=", "2025-02-18 20:30:00"],
            ["date_received", "<=", "2025-03-20 20:29:59"],
        ]);
        // Without its year, the month goes too (as in Odoo).
        await toggleMenuItemOption("Received on", "۱۴۰۳");
        expect(getFacetTexts()).toEqual([]);
        await toggleMenuItem("Deadline");
        // Jalali quarters are seasons: spring is Farvardin to Khordad.
        await toggleMenuItemOption("Deadline", "Spring");
        expect(getFacetTexts()).toEqual(["Deadline: Spring ۱۴۰۴"]);
        expect(searchModel.domain).toEqual([
            "&",
            ["date_deadline", ">=", "2025-03-21"],
            ["date_deadline", "<=", "2025-06-21"],
        ]);
    });
});
