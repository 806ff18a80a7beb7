/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * The complaint screens as the staff see them: what fits the screen, what
 * comes first on a phone. Each check throws with what a user would see.
 */

function checkFits(selector, what) {
    const element = document.querySelector(selector);
    const content = document.querySelector(".o_content");
    const width = Math.round(element.getBoundingClientRect().width);
    if (width > content.clientWidth || content.scrollWidth > content.clientWidth + 1) {
        throw new Error(`${what} is ${width}px wide in a ${content.clientWidth}px screen`);
    }
}

function checkCodesWhole() {
    const cells = document.querySelectorAll(".o_list_view td.o_data_cell[name=name]");
    if (!cells.length) {
        throw new Error("No tracking code in the list");
    }
    for (const cell of cells) {
        if (cell.scrollWidth > cell.clientWidth) {
            throw new Error(`The tracking code ${cell.innerText} is cut`);
        }
    }
}

registry.category("web_tour.tours").add("complaint_analysis_pivot_fits", {
    steps: () => [
        {
            content: "The pivot fits the screen, without a sum of rounds",
            trigger: ".o_pivot table tbody tr",
            run() {
                checkFits(".o_pivot table", "The pivot");
                const headers = [...document.querySelectorAll(".o_pivot thead th")].map((th) =>
                    th.innerText.trim()
                );
                if (headers.includes("Round")) {
                    throw new Error("Round is among the default measures");
                }
                for (const measure of ["Count", "Hours to Close", "Satisfaction Result"]) {
                    if (!headers.includes(measure)) {
                        throw new Error(`${measure} is not shown: ${headers.join(", ")}`);
                    }
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("complaint_list_columns", {
    steps: () => [
        {
            content: "The officer's columns, the tracking code whole",
            trigger: ".o_list_view td.o_data_cell[name=name]",
            run() {
                const columns = [...document.querySelectorAll(".o_list_view thead th[data-name]")]
                    .map((th) => th.dataset.name)
                    .join(",");
                const expected = "name,subject,partner_id,stage_id,step_deadline,user_id,activity_ids";
                if (columns !== expected) {
                    throw new Error(`Columns shown: ${columns}`);
                }
                checkFits(".o_list_view table", "The list");
                checkCodesWhole();
            },
        },
        { trigger: ".o_optional_columns_dropdown_toggle", run: "click" },
        {
            content: "Show every optional column",
            trigger: ".o-dropdown--menu .dropdown-item input[type=checkbox]",
            async run() {
                const unchecked = () =>
                    [...document.querySelectorAll(".o-dropdown--menu .dropdown-item")].find(
                        (item) => item.querySelector("input[type=checkbox]:not(:checked)")
                    );
                let item;
                for (let guard = 0; (item = unchecked()) && guard < 30; guard++) {
                    item.click();
                    await new Promise((resolve) => setTimeout(resolve, 150));
                }
            },
        },
        {
            content: "Every column shown, the tracking code is still whole",
            trigger: ".o_list_view thead th[data-name=close_hours]",
            run() {
                checkCodesWhole();
            },
        },
    ],
});

registry.category("web_tour.tours").add("complaint_form_layout", {
    steps: () => [
        {
            content: "The groups of the form stand two by two, of about the same height",
            trigger: ".o_form_view .o_field_widget[name=description]",
            run() {
                const outer = document
                    .querySelector(".o_form_sheet .o_field_widget[name=partner_id]")
                    .closest(".o_group");
                const rows = {};
                for (const group of outer.querySelectorAll(":scope > .o_inner_group")) {
                    const box = group.getBoundingClientRect();
                    (rows[Math.round(box.top)] ||= []).push(Math.round(box.height));
                }
                for (const heights of Object.values(rows)) {
                    if (heights.length !== 2) {
                        throw new Error(`A row of ${heights.length} group(s) leaves a gap`);
                    }
                    if (Math.abs(heights[0] - heights[1]) > 90) {
                        throw new Error(`Groups side by side of ${heights.join(" and ")}px`);
                    }
                }
                checkFits(".o_form_sheet", "The form");
            },
        },
    ],
});

registry.category("web_tour.tours").add("complaint_form_phone", {
    steps: () => [
        {
            content: "On a phone the customer's description is on the first screen",
            trigger: ".o_form_view .o_field_widget[name=description]:contains(seal)",
            run() {
                const description = document.querySelector(
                    ".o_form_view .o_field_widget[name=description]"
                );
                const top = description.getBoundingClientRect().top;
                if (top > window.innerHeight) {
                    throw new Error(
                        `The description starts at ${Math.round(top)}px, below the ` +
                            `${window.innerHeight}px screen`
                    );
                }
                const above = [
                    ...document.querySelectorAll(".o_form_sheet .o_field_widget[name]"),
                ].filter(
                    (field) =>
                        field.offsetParent &&
                        field.compareDocumentPosition(description) &
                            Node.DOCUMENT_POSITION_FOLLOWING &&
                        !field.closest(".oe_button_box")
                );
                if (above.length > 3) {
                    throw new Error(
                        `${above.length} fields before the description: ` +
                            above.map((field) => field.getAttribute("name")).join(", ")
                    );
                }
            },
        },
    ],
});
