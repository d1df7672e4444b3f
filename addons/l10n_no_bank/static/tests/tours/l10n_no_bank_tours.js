import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/** Put the bank file the test prepared (an attachment named l10n_no_bank_tour.txt) into the file input,
 * as a person choosing it in the browser's file dialog would. */
async function chooseTourFile(input) {
    const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
        model: "ir.attachment",
        method: "search_read",
        args: [[["name", "=", "l10n_no_bank_tour.txt"]], ["datas"]],
        kwargs: { limit: 1 },
    });
    const blob = await (await fetch(`data:text/plain;base64,${attachment.datas}`)).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "ocr-giro.txt", { type: "text/plain" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Desktop: from the bank journal, upload an OCR giro file; the wizard starts on that journal. */
registry.category("web_tour.tours").add("l10n_no_bank_upload_tour", {
    steps: () => [
        {
            content: "Open the journal's Bank files tab",
            trigger: ".o_notebook .nav-link:contains('Bank files')",
            run: "click",
        },
        {
            content: "Import a bank file",
            trigger: "button[name='action_l10n_no_bank_import']",
            run: "click",
        },
        {
            content: "The wizard is on the journal it was opened from",
            trigger: ".modal .o_field_widget[name='journal_id'] input",
            run({ queryFirst }) {
                const value = queryFirst(".modal .o_field_widget[name='journal_id'] input").value;
                if (!value.includes("Tour Bank")) {
                    throw new Error(`the wizard shows journal "${value}", not the one it was opened from`);
                }
            },
        },
        {
            content: "Choose the OCR giro file",
            trigger: ".modal .o_field_widget[name='data_file']",
            async run({ queryFirst }) {
                await chooseTourFile(queryFirst(".modal .o_field_widget[name='data_file'] input[type='file']"));
            },
        },
        {
            content: "The file is chosen",
            trigger: ".modal .o_field_widget[name='data_file'] .o_clear_file_button",
        },
        {
            content: "Import",
            trigger: ".modal .modal-footer button[name='action_import']",
            run: "click",
        },
        {
            content: "The import lists one payment to check",
            trigger: ".o_form_view .o_field_widget[name='count_unmatched']:contains('1')",
        },
    ],
});

/** Phone: the payments to check are cards with a Match button; the wizard proposes the invoice. */
registry.category("web_tour.tours").add("l10n_no_bank_match_phone_tour", {
    steps: () => [
        {
            content: "The payment to check is a card (kanban on a phone), its Match button on screen",
            trigger: ".o_kanban_view .o_kanban_record:contains('Kunde AS') button[name='action_l10n_no_bank_match']",
            run: "click",
        },
        {
            content: "The wizard proposes the customer's invoice of that amount",
            trigger: ".modal .o_field_widget[name='invoice_ids'] .o_kanban_record, .modal .o_field_widget[name='invoice_ids'] .o_data_row",
        },
        {
            content: "Match",
            trigger: ".modal button[name='action_match']",
            run: "click",
        },
        {
            content: "The payment left the list to check",
            trigger: "body:not(:has(.modal)) .o_kanban_view:not(:has(.o_kanban_record:contains('Kunde AS') button[name='action_l10n_no_bank_match']))",
        },
    ],
});
