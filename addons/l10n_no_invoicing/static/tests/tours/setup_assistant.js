import { registry } from "@web/core/registry";

/** A check-list item of the assistant, done ("1") or missing ("0"). */
function item(key, done) {
    return `.modal .o_l10n_no_checklist_item[data-key='${key}'][data-done='${done}']`;
}

// The setup assistant as an accounting and system administrator uses it: open it from its menu, look the
// organisation number up in the Enhetsregisteret (the test's fake register, no network), confirm, give the
// bank account and KID agreement, create the access point, apply a dunning preset; each step removes its
// items from the check list. The same steps at phone width, where the menu is in the sidebar.
registry.category("web_tour.tours").add("l10n_no_invoicing_setup_assistant", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
            isActive: ["desktop"],
        },
        {
            content: "Open Invoicing",
            trigger: ".o_app[data-menu-xmlid='account.menu_finance']",
            run: "click",
            isActive: ["desktop"],
        },
        {
            content: "Open the Configuration menu",
            trigger: ".o_menu_sections [data-menu-xmlid='account.menu_finance_configuration']",
            run: "click",
            isActive: ["desktop"],
        },
        {
            content: "Open the Norwegian setup assistant",
            trigger: ".dropdown-item[data-menu-xmlid='l10n_no_invoicing.menu_l10n_no_invoicing_setup']",
            run: "click",
            isActive: ["desktop"],
        },
        {
            content: "Open the menu (phone)",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
            isActive: ["mobile"],
        },
        {
            content: "All apps (phone)",
            trigger: ".o_app_menu_sidebar .o_sidebar_topbar a:contains(All Apps)",
            run: "click",
            isActive: ["mobile"],
        },
        {
            content: "Open Invoicing (phone)",
            trigger: ".o_app_menu_sidebar li.o_app[data-menu-xmlid='account.menu_finance']",
            run: "click",
            isActive: ["mobile"],
        },
        {
            content: "The app is open (phone)",
            trigger: "body:not(:has(.o_app_menu_sidebar)) .o_main_navbar .o_menu_toggle",
            isActive: ["mobile"],
        },
        {
            content: "Open the app's menu (phone)",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
            isActive: ["mobile"],
        },
        {
            content: "Open the Norwegian setup assistant (phone)",
            trigger: ".o_app_menu_sidebar li[data-menu-xmlid='l10n_no_invoicing.menu_l10n_no_invoicing_setup']",
            run: "click",
            isActive: ["mobile"],
        },
        {
            content: "The organisation number is missing at first",
            trigger: item("org_number", 0),
        },
        {
            content: "and so is the bank account",
            trigger: item("bank_account", 0),
        },
        {
            content: "Type the organisation number",
            trigger: ".modal .o_l10n_no_setup_orgnr input",
            run: "edit 988 077 917",
        },
        {
            content: "Look it up in the Enhetsregisteret",
            trigger: ".modal button.o_l10n_no_setup_lookup",
            run: "click",
        },
        {
            content: "The register's name is shown",
            trigger: ".modal .o_l10n_no_setup_brreg_result .o_field_widget[name='brreg_name']:contains(FJORDFAKTURA AS)",
        },
        {
            content: "and its VAT number",
            trigger: ".modal .o_l10n_no_setup_brreg_result .o_field_widget[name='brreg_vat']:contains(NO988077917MVA)",
        },
        {
            content: "Nothing is written before confirmation",
            trigger: item("address", 0),
        },
        {
            content: "Confirm and write",
            trigger: ".modal button.o_l10n_no_setup_apply",
            run: "click",
        },
        {
            content: "The organisation number is done",
            trigger: item("org_number", 1),
        },
        {
            content: "The address was written too",
            trigger: item("address", 1),
        },
        {
            content: "Type the bank account",
            trigger: ".modal .o_l10n_no_setup_account input",
            run: "edit 8601 11 17947",
        },
        {
            content: "Open the KID layouts",
            trigger: ".modal .o_l10n_no_setup_kid_layout .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "The agreement's layout: invoice number, MOD11",
            // "body": on a phone the choices are a bottom sheet outside the dialog
            trigger: "body .o_select_menu_item:contains(MOD11)",
            run: "click",
        },
        {
            content: "The layout is chosen",
            trigger: [
                ".modal .o_l10n_no_setup_kid_layout input:value(MOD11)",
                ".modal .o_l10n_no_setup_kid_layout button:contains(MOD11)",
            ].join(", "),
        },
        {
            content: "Save the bank account",
            trigger: ".modal button.o_l10n_no_setup_bank",
            run: "click",
        },
        {
            content: "The bank account is done",
            trigger: item("bank_account", 1),
        },
        {
            content: "and the KID agreement",
            trigger: item("kid_agreement", 1),
        },
        {
            content: "Name a new access point",
            trigger: ".modal .o_l10n_no_setup_step_access_point .o_field_widget[name='ap_name'] input",
            run: "edit Tour access point",
        },
        {
            content: "Use it",
            trigger: ".modal button.o_l10n_no_setup_access_point",
            run: "click",
        },
        {
            content: "The access point is done",
            trigger: item("access_point", 1),
        },
        {
            content: "Choose reminders only",
            trigger: ".modal .o_l10n_no_setup_dunning_preset input[data-value='reminders_only']",
            run: "click",
        },
        {
            content: "Apply the dunning preset",
            trigger: ".modal button.o_l10n_no_setup_dunning",
            run: "click",
        },
        {
            content: "The dunning levels are done",
            trigger: item("dunning_levels", 1),
        },
        {
            content: "Nothing but law values can be missing any more",
            trigger: ".modal .o_l10n_no_checklist:not(:has(.o_l10n_no_checklist_item[data-done='0']:not([data-key='law_values'])))",
        },
        {
            content: "Finish",
            trigger: ".modal button.o_l10n_no_setup_finish",
            run: "click",
        },
        {
            content: "The assistant is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
