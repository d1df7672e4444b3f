import { registry } from "@web/core/registry";

/** A person starts a dunning run, sees the proposed letter and confirms it: the run reads "Sent". */
registry.category("web_tour.tours").add("l10n_no_dunning_run_tour", {
    url: "/odoo/l10n-no-dunning-runs/new",
    steps: () => [
        {
            content: "Propose the letters of today's run",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_propose']",
            run: "click",
        },
        {
            content: "The overdue customer has a proposed letter",
            trigger: ".o_field_widget[name='letter_ids'] .o_data_row:contains('Ola Nordmann')",
        },
        {
            content: "The run is proposed",
            trigger: ".o_statusbar_status button[aria-checked='true']:contains('Proposed')",
        },
        {
            content: "Confirm and send",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Answer the confirmation",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The run says Sent",
            trigger: ".o_statusbar_status button[aria-checked='true']:contains('Sent')",
        },
        {
            content: "The letter is sent",
            trigger: ".o_field_widget[name='letter_ids'] .o_data_row:contains('Ola Nordmann'):contains('Sent')",
        },
    ],
});
