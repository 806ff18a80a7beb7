/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * The current step on the form's statusbar, with no dialog left open (an
 * error is a dialog: a button that failed shows one).
 */
function stepIs(stage) {
    return {
        content: `The complaint is at “${stage}”, with no error dialog`,
        trigger: `body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains(${stage})`,
    };
}

/** The tracking code shown at the top of the saved complaint's form. */
const codeShown = {
    content: "The tracking code is on screen, to give the customer",
    trigger: ".o_form_view .o_form_saved .oe_title [name=name]:contains(CMP-)",
};

// An officer assesses an acknowledged complaint: the dialog shows what the
// complaint already knows; accepted with its containment and its CFT, the
// investigation starts with one click and no further question.
registry.category("web_tour.tours").add("complaint_assess_then_investigate", {
    steps: () => [
        stepIs("Acknowledged"),
        {
            trigger: ".o_form_statusbar button[name=action_open_assess_wizard]",
            run: "click",
        },
        {
            content: "The category is filled from the complaint",
            trigger: ".modal .o_field_widget[name=category_id] input:value(Leaking seal)",
        },
        {
            content: "The severity is filled from the complaint",
            trigger: ".modal .o_field_widget[name=severity] select",
            run() {
                const shown = this.anchor.selectedOptions[0].textContent;
                if (!shown.includes("High")) {
                    throw new Error(`The severity shown is “${shown}”, not “High”`);
                }
            },
        },
        {
            content: "Containment is required to accept",
            trigger: ".modal .o_field_widget[name=immediate_action].o_required_modifier textarea",
            run: "edit Hold the pumps of lot P-7 in the warehouse",
        },
        {
            content: "The CFT is required to accept",
            trigger: ".modal .o_field_widget[name=team_id].o_required_modifier input",
            run: "edit Mixer",
        },
        { trigger: ".o-autocomplete--dropdown-item:contains(Mixer CFT)", run: "click" },
        { trigger: ".modal .o_field_widget[name=team_id] input:value(Mixer CFT)" },
        { trigger: ".modal-footer button[name=action_confirm]", run: "click" },
        stepIs("Assessed"),
        {
            trigger: ".o_form_statusbar button[name=action_start_investigation]",
            run: "click",
        },
        stepIs("Investigation"),
    ],
});

// An employee on the phone with a customer reports a complaint from the
// customer's sales order, in the short report dialog; "Report" opens the
// complaint registered, with the tracking code to read out.
registry.category("web_tour.tours").add("complaint_report_from_sale_order", {
    steps: () => [
        { trigger: ".o_form_view .o_cp_action_menus i.fa-cog", run: "click" },
        { trigger: ".dropdown-menu .o_menu_item:contains(Report a Complaint)", run: "click" },
        {
            content: "The complaint is filled from the order",
            trigger: ".modal .o_field_widget[name=sale_order_id] input:value(S0)",
        },
        {
            trigger: ".modal .o_field_widget[name=subject] input",
            run: "edit The pump seal leaks after a week",
        },
        { trigger: ".modal-footer button[name=action_open_reported]", run: "click" },
        {
            content: "No dialog left: the complaint's own form",
            trigger: "body:not(:has(.modal)) .o_form_view .o_form_saved",
        },
        codeShown,
        {
            trigger: ".o_form_view .o_field_widget[name=subject]:contains(The pump seal leaks)",
        },
        {
            content: "The breadcrumb leads back to the order",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(S0)",
        },
    ],
});

// An officer registers a complaint taken by phone from the Complaints menu's
// New button: saved, the form shows its tracking code.
registry.category("web_tour.tours").add("complaint_register_from_menu", {
    steps: () => [
        { trigger: ".o_control_panel .o-kanban-button-new", run: "click" },
        {
            trigger: ".o_form_view .o_field_widget[name=subject] input",
            run: "edit The mixer lid does not close",
        },
        { trigger: ".o_form_button_save", run: "click" },
        codeShown,
    ],
});
