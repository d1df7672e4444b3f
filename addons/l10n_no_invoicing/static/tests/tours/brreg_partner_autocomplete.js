import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A new customer from the Enhetsregisteret: type part of the name in the organisation-number field, pick the
// suggestion, and the server's onchange fills the form. The register is the test's fake (no network).
registry.category("web_tour.tours").add("l10n_no_brreg_partner_autocomplete", {
    steps: () => [
        {
            content: "A company",
            trigger: ".o_field_widget[name=company_type] input[data-value=company]",
            run: "click",
        },
        {
            content: "Type part of the name where the organisation number goes",
            trigger: ".o_l10n_no_brreg_autocomplete input",
            run: "edit kunde",
        },
        {
            content: "Pick the register's unit",
            trigger: ".o-autocomplete--dropdown-menu a:contains(KUNDE AS)",
            run: "click",
        },
        {
            content: "The name is filled from the register",
            trigger: ".o_field_widget[name=name] input:value(KUNDE AS)",
        },
        {
            content: "The number is set",
            trigger: ".o_l10n_no_brreg_autocomplete input:value(974760673)",
        },
        ...stepUtils.saveForm(),
    ],
});
