import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

const kidSteps = [
    {
        content: "The KID is called KID, next to the due date",
        trigger: ".o_form_view .o_inner_group label:contains('KID')",
    },
    {
        content: "…with its digits",
        trigger: ".o_form_view .o_field_widget[name='l10n_no_kid_reference'] span:not(:empty)",
    },
    {
        content: "…and the account it is paid into",
        trigger: ".o_form_view .o_field_widget[name='partner_bank_id']:contains('8601')",
    },
];

const checkAndSendSteps = [
    {
        content: "Check EHF",
        trigger: ".o_form_view .o_statusbar_buttons button[name='action_l10n_no_ehf_check']",
        run: "click",
    },
    {
        content: "The check passed",
        trigger: ".o_notification:contains('EHF check passed')",
    },
    {
        content: "Send",
        trigger: ".o_form_view .o_statusbar_buttons button[name='action_invoice_sent']",
        run: "click",
    },
    {
        content: "Send it",
        trigger: ".modal .modal-footer button[name='action_send_and_print']",
        run: "click",
    },
    {
        content: "Back on the invoice, sent",
        trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_buttons:not(:has(button[name='action_invoice_sent'].oe_highlight))",
    },
];

/** Customer invoice: Check EHF, then send it as EHF. */
registry.category("web_tour.tours").add("l10n_no_ehf_invoice_tour", {
    steps: () => [...checkAndSendSteps],
});

/** The same with l10n_no_kid installed: the KID is shown as "KID" first. */
registry.category("web_tour.tours").add("l10n_no_ehf_invoice_kid_tour", {
    steps: () => [...kidSteps, ...checkAndSendSteps],
});

/** Receiving an EHF by upload: Vendors > Upload EHF, choose the file, import. */
registry.category("web_tour.tours").add("l10n_no_ehf_upload_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Invoicing",
            trigger: ".o_app[data-menu-xmlid='account.menu_finance']",
            run: "click",
        },
        {
            content: "Vendors",
            trigger: ".o_menu_sections [data-menu-xmlid='account.menu_finance_payables']",
            run: "click",
        },
        {
            content: "Upload EHF",
            trigger: ".dropdown-item[data-menu-xmlid='l10n_no_ehf.menu_l10n_no_ehf_upload']",
            run: "click",
        },
        {
            content: "Choose the EHF file",
            trigger: ".modal .o_field_widget[name='attachment_ids']",
            async run({ queryFirst }) {
                const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
                    model: "ir.attachment",
                    method: "search_read",
                    args: [[["name", "=", "l10n_no_ehf_tour.xml"]], ["datas"]],
                    kwargs: { limit: 1 },
                });
                const blob = await (await fetch(`data:text/xml;base64,${attachment.datas}`)).blob();
                const transfer = new DataTransfer();
                transfer.items.add(new File([blob], "F-2001.xml", { type: "text/xml" }));
                const input = queryFirst(".modal .o_field_widget[name='attachment_ids'] input[type='file']");
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is attached",
            trigger: ".modal .o_field_widget[name='attachment_ids'] :contains('F-2001.xml')",
        },
        {
            content: "Import",
            trigger: ".modal .modal-footer button[name='action_import']",
            run: "click",
        },
        {
            content: "The received EHF is listed",
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:contains('F-2001')",
        },
    ],
});
