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
