/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * Fails the tour when the page is wider than the window: on a phone nothing
 * may scroll sideways.
 */
function checkNoSidewaysScroll() {
    return {
        content: "Nothing scrolls sideways",
        trigger: "body",
        run() {
            const overflow = document.documentElement.scrollWidth - window.innerWidth;
            if (overflow > 1) {
                throw new Error(
                    `The page is ${overflow}px wider than the ${window.innerWidth}px window`
                );
            }
        },
    };
}

/**
 * Fails the tour when the element is not on the phone's screen: a phone zooms
 * out to show a page wider than itself, and the customer sees a blank page.
 */
function checkOnScreen(trigger, what) {
    return {
        content: `${what} is on the phone's screen`,
        trigger,
        run() {
            const rect = this.anchor.getBoundingClientRect();
            const screen = window.visualViewport;
            const left = screen.offsetLeft;
            const top = screen.offsetTop;
            if (
                rect.left < left - 1 ||
                rect.right > left + screen.width + 1 ||
                rect.top < top - 1 ||
                rect.bottom > top + screen.height + 1
            ) {
                throw new Error(
                    `${what} is at x ${Math.round(rect.left)}..${Math.round(rect.right)}, ` +
                        `y ${Math.round(rect.top)}..${Math.round(rect.bottom)}; the screen shows ` +
                        `x ${Math.round(left)}..${Math.round(left + screen.width)}, ` +
                        `y ${Math.round(top)}..${Math.round(top + screen.height)}`
                );
            }
        },
    };
}

/**
 * The customer's page on a phone once everything is loaded: the chatter comes
 * last, in its own shadow root with a stylesheet of its own.
 */
function phonePageSteps() {
    return [
        {
            content: "The chatter's composer is there, styled",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
        },
        checkNoSidewaysScroll(),
        checkOnScreen(".o_complaint_portal h4:contains(CMP-)", "The tracking code"),
        checkOnScreen(".o_complaint_step_current", "The current step"),
    ];
}

registry.category("web_tour.tours").add("complaint_public_submit", {
    url: "/complaint",
    steps: () => [
        checkNoSidewaysScroll(),
        { trigger: "input[name=name]", run: "edit Tour Customer" },
        { trigger: "input[name=phone]", run: "edit 0912 765 4321" },
        { trigger: "input[name=email]", run: "edit tour.customer@example.ir" },
        {
            trigger: "textarea[name=description]",
            run: "edit The mixer lid cracked on the first day.",
        },
        { trigger: "input[name=consent]", run: "click" },
        { trigger: "button.o_complaint_submit", run: "click" },
        { content: "The tracking code is on screen", trigger: ".o_complaint_code:contains(CMP-)" },
        checkNoSidewaysScroll(),
    ],
});

registry.category("web_tour.tours").add("complaint_portal_accept", {
    steps: () => [
        checkNoSidewaysScroll(),
        { content: "The proposal is shown", trigger: ".o_complaint_decision .list-group-item" },
        { trigger: "button.o_complaint_accept", run: "click" },
        {
            content: "The decision replaces the buttons",
            trigger: ".o_complaint_decision_done:not(:has(button))",
        },
        { trigger: ".o_complaint_status" },
    ],
});

registry.category("web_tour.tours").add("complaint_portal_accept_rtl", {
    steps: () => [
        {
            content: "The page is right to left, in Persian",
            trigger: "html[dir=rtl] #wrapwrap.o_rtl .o_complaint_decision",
        },
        {
            content: "No English left on the customer's buttons",
            trigger: "button.o_complaint_accept:not(:contains(accept))",
        },
        {
            content: "The chatter's buttons in Persian too (the mail module's terms)",
            trigger: "#chatterRoot:shadow button.o-mail-Composer-send:contains(ارسال)",
        },
        checkNoSidewaysScroll(),
        { trigger: "button.o_complaint_accept", run: "click" },
        { trigger: "html[dir=rtl] .o_complaint_decision_done" },
    ],
});

registry.category("web_tour.tours").add("complaint_portal_reject", {
    steps: () => [
        {
            trigger: "textarea[name=reason]",
            run: "edit I would rather have a new mixer than a repair.",
        },
        { trigger: "button.o_complaint_reject", run: "click" },
        { trigger: ".o_complaint_decision_done:contains(new mixer)" },
    ],
});

registry.category("web_tour.tours").add("complaint_portal_survey_reopen", {
    steps: () => [
        checkNoSidewaysScroll(),
        { trigger: "label[for=result_score_2]", run: "click" },
        { trigger: "label[for=process_score_3]", run: "click" },
        { trigger: "label[for=fully_no]", run: "click" },
        { trigger: "textarea[name=comment]", run: "edit It still knocks now and then." },
        { trigger: "button.o_complaint_survey_send", run: "click" },
        {
            content: "The customer is told the work goes on",
            trigger: ".o_complaint_survey_done",
        },
        { trigger: ".o_complaint_status" },
    ],
});

registry.category("web_tour.tours").add("complaint_portal_phone_rtl", {
    steps: () => [
        {
            content: "The page is right to left, in Persian",
            trigger: "html[dir=rtl] #wrapwrap.o_rtl .o_complaint_portal",
        },
        ...phonePageSteps(),
        {
            content: "The chatter's buttons in Persian too, not logged in",
            trigger: "#chatterRoot:shadow button.o-mail-Composer-send:contains(ارسال)",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_portal_phone_ltr", {
    steps: () => [
        {
            content: "The page is left to right, in English",
            trigger: "html[dir=ltr] #wrapwrap:not(.o_rtl) .o_complaint_portal",
        },
        ...phonePageSteps(),
    ],
});
