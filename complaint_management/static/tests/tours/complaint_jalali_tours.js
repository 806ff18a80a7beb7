/** @odoo-module **/

import { registry } from "@web/core/registry";

/** The deadline's date picker, opened from the form. */
const openDeadlinePicker = [
    {
        content: "Open the deadline's date picker",
        trigger: ".o_form_view .o_field_widget[name=date_deadline] input",
        run: "click",
    },
    { trigger: ".o_datetime_picker" },
];

const saveForm = [
    { trigger: ".o_form_button_save", run: "click" },
    { content: "Saved", trigger: ".o_form_view .o_form_saved" },
];

// A Persian user in Tehran reads the date the complaint was received in the
// Jalali calendar (received at midnight in Tehran: Nowruz 1404, not Esfand)
// and picks the new deadline, 30 Esfand 1403 (a leap year's last day), in a
// Jalali month whose weeks start on Saturday.
registry.category("web_tour.tours").add("complaint_jalali_deadline", {
    steps: () => [
        {
            content: "Received on Nowruz 1404 at midnight, in Persian digits",
            trigger: ".o_form_view .o_field_widget[name=date_received]:contains(۱۴۰۴/۰۱/۰۱ ۰۰:۰۰)",
        },
        {
            content: "The current deadline, 11 Esfand 1403",
            trigger: ".o_form_view .o_field_widget[name=date_deadline] input:value(۱۴۰۳/۱۲/۱۱)",
        },
        ...openDeadlinePicker,
        {
            content: "The picker shows the deadline's Jalali month",
            trigger: ".o_datetime_picker_header .o_header_part:contains(اسفند ۱۴۰۳)",
        },
        {
            content: "Weeks start on Saturday (after the week numbers' column)",
            trigger: ".o_datetime_picker .o_day_of_week_cell",
            run() {
                const days = [...document.querySelectorAll(".o_day_of_week_cell")];
                if (days[1]?.title !== "شنبه") {
                    throw new Error(`The week starts on “${days[1]?.title}”, not Saturday`);
                }
            },
        },
        { trigger: ".o_datetime_picker_header .o_next", run: "click" },
        { trigger: ".o_datetime_picker_header .o_header_part:contains(فروردین ۱۴۰۴)" },
        { trigger: ".o_datetime_picker_header .o_previous", run: "click" },
        { trigger: ".o_datetime_picker_header .o_header_part:contains(اسفند ۱۴۰۳)" },
        {
            content: "Pick 30 Esfand",
            trigger: ".o_datetime_picker button.o_date_item_cell:contains(/^۳۰$/)",
            run: "click",
        },
        {
            content: "The deadline reads 1403/12/30",
            trigger: ".o_form_view .o_field_widget[name=date_deadline] input:value(۱۴۰۳/۱۲/۳۰)",
        },
        ...saveForm,
        {
            content: "Still in Jalali once saved",
            trigger: ".o_form_view .o_field_widget[name=date_deadline] input:value(۱۴۰۳/۱۲/۳۰)",
        },
    ],
});

// The same complaint for an English user: Odoo's Gregorian dates and picker.
registry.category("web_tour.tours").add("complaint_gregorian_deadline", {
    steps: () => [
        {
            content: "Received on 21 March 2025 at midnight in Tehran",
            trigger: ".o_form_view .o_field_widget[name=date_received]:contains(03/21/2025 00:00)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=date_deadline] input:value(03/01/2025)",
        },
        ...openDeadlinePicker,
        { trigger: ".o_datetime_picker_header .o_header_part:contains(March 2025)" },
        {
            content: "Pick 20 March",
            trigger: ".o_datetime_picker button.o_date_item_cell:contains(/^20$/)",
            run: "click",
        },
        { trigger: ".o_form_view .o_field_widget[name=date_deadline] input:value(03/20/2025)" },
        ...saveForm,
    ],
});

/** The texts of the elements matching `selector`, trimmed, in order. */
function texts(selector) {
    return [...document.querySelectorAll(selector)].map((el) => el.innerText.trim());
}

function expectTexts(selector, expected, what) {
    const found = texts(selector);
    if (JSON.stringify(found) !== JSON.stringify(expected)) {
        throw new Error(`${what}: ${found.join(" | ")} (expected ${expected.join(" | ")})`);
    }
}

const AZAR_SUBJECTS = ["Jalali group: 1 Azar 00:01", "Jalali group: 30 Azar 23:59"];

function expectAzarRecords(selector) {
    const found = texts(selector).sort();
    if (JSON.stringify(found) !== JSON.stringify(AZAR_SUBJECTS)) {
        throw new Error(`Azar 1405 holds ${found.join(" | ")}`);
    }
}

// A Persian user in Tehran groups complaints by the month they were received:
// one group per Jalali month, from midnight to midnight in Tehran (a
// complaint at 23:59 on 30 Aban is in Aban, one at 00:01 on 1 Azar in Azar),
// in the list, the kanban and the pivot; each holds exactly its complaints.
registry.category("web_tour.tours").add("complaint_jalali_group_by_month", {
    steps: () => [
        {
            content: "The list has one group per Jalali month, in order",
            trigger: ".o_list_view .o_group_name:contains(آذر ۱۴۰۵)",
            run() {
                expectTexts(
                    ".o_list_view .o_group_name",
                    ["آبان ۱۴۰۵ (1)", "آذر ۱۴۰۵ (2)", "دی ۱۴۰۵ (1)"],
                    "List groups"
                );
            },
        },
        { trigger: ".o_list_view .o_group_name:contains(آذر ۱۴۰۵)", run: "click" },
        {
            content: "Azar 1405 opens on its two complaints",
            trigger: ".o_list_view .o_data_row td[name=subject]:contains(1 Azar 00:01)",
            run() {
                expectAzarRecords(".o_list_view .o_data_row td[name=subject]");
            },
        },
        { trigger: ".o_switch_view.o_kanban", run: "click" },
        {
            content: "The kanban has a column per Jalali month",
            trigger: ".o_kanban_renderer .o_kanban_group .o_column_title:contains(دی ۱۴۰۵)",
            run() {
                const titles = texts(".o_kanban_group .o_column_title").map(
                    (title) => title.split("\n")[0]
                );
                if (titles.join(" | ") !== "آبان ۱۴۰۵ | آذر ۱۴۰۵ | دی ۱۴۰۵") {
                    throw new Error(`Kanban columns: ${titles.join(" | ")}`);
                }
                const azar = [...document.querySelectorAll(".o_kanban_group")].find((group) =>
                    group.querySelector(".o_column_title").innerText.includes("آذر ۱۴۰۵")
                );
                const cards = azar.querySelectorAll(".o_kanban_record:not(.o_kanban_ghost)");
                if (cards.length !== 2) {
                    throw new Error(`Azar 1405 has ${cards.length} cards`);
                }
            },
        },
        { trigger: ".o_switch_view.o_pivot", run: "click" },
        {
            content: "The pivot has a row per Jalali month",
            trigger: ".o_pivot tbody th.o_pivot_header_cell_closed:contains(دی ۱۴۰۵)",
            run() {
                expectTexts(
                    ".o_pivot tbody th.o_pivot_header_cell_closed",
                    ["آبان ۱۴۰۵", "آذر ۱۴۰۵", "دی ۱۴۰۵"],
                    "Pivot rows"
                );
            },
        },
        {
            content: "Open Azar's complaints from the pivot",
            trigger: ".o_pivot tbody th.o_pivot_header_cell_closed:contains(آذر ۱۴۰۵)",
            run() {
                const row = this.anchor.closest("tr");
                row.querySelector("td.o_pivot_cell_value").click();
            },
        },
        {
            content: "The same two complaints",
            trigger: ".o_list_view .o_data_row td[name=subject]:contains(30 Azar 23:59)",
            run() {
                expectAzarRecords(".o_list_view .o_data_row td[name=subject]");
            },
        },
    ],
});
