import { Component } from "@odoo/owl";
import { AutoComplete } from "@web/core/autocomplete/autocomplete";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The organisation number of a partner, with suggestions from the Enhetsregisteret while typing a name or a
 * number. Choosing a suggestion only sets the number: the server's onchange then fills the empty fields, so
 * the widget holds no business logic and a form without it behaves the same.
 */
export class BrregNumberField extends Component {
    static template = "l10n_no_invoicing.BrregNumberField";
    static components = { AutoComplete };
    static props = { ...standardFieldProps, placeholder: { type: String, optional: true } };

    setup() {
        this.orm = useService("orm");
    }

    get value() {
        return this.props.record.data[this.props.name] || "";
    }

    get sources() {
        return [{ options: (request) => this.loadCandidates(request) }];
    }

    async loadCandidates(request) {
        const query = (request || "").trim();
        if (query.length < 3) {
            return [];
        }
        const result = await this.orm.call("res.partner", "l10n_no_brreg_candidates", [query], { limit: 8 });
        const options = result.candidates.map((candidate) => ({
            label: [candidate.name, candidate.orgnr, candidate.city].filter(Boolean).join(" · ") +
                (candidate.problems.length ? ` (${candidate.problems.join(", ")})` : ""),
            cssClass: candidate.problems.length ? "text-danger" : "",
            onSelect: () => this.props.record.update({ [this.props.name]: candidate.orgnr }),
        }));
        if (!options.length) {
            options.push({
                label: result.message || _t("Nothing found in the Enhetsregisteret"),
                cssClass: "fst-italic",
            });
        }
        return options;
    }

    onChange({ inputValue }) {
        // A typed number is kept as the value; a typed name only searches (the field holds 9 digits).
        const digits = (inputValue || "").replace(/\s/g, "");
        if (!digits || /^\d{9}$/.test(digits)) {
            this.props.record.update({ [this.props.name]: digits || false });
        }
    }
}

export const brregNumberField = {
    component: BrregNumberField,
    displayName: _t("Organisation number (Enhetsregisteret)"),
    supportedTypes: ["char"],
    extractProps: ({ placeholder }) => ({ placeholder }),
};

registry.category("fields").add("l10n_no_brreg_number", brregNumberField);
