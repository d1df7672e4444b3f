{
    "name": "Norway - permission matrix (tests only)",
    "summary": "Tries every role against every model, field and public method of the installed l10n_no_* "
    "addons and checks the outcome against the table in docs/security.md",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/nofaktura/nofaktura",
    "author": "nofaktura",
    "maintainers": ["nofaktura"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "countries": ["no"],
    "depends": [
        "l10n_no_kid", "l10n_no_bank", "l10n_no_dunning", "l10n_no_ehf", "l10n_no_coding", "l10n_no_approval",
        "l10n_no_payment_order", "l10n_no_dispatch", "l10n_no_invoicing", "l10n_no_agreement",
        "l10n_no_agreement_dispatch",
    ],
}
