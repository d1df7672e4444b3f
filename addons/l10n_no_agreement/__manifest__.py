{
    "name": "Norway - Agreement invoicing and mass invoicing",
    "summary": "Recurring invoicing of OCA contracts that scales (batches, one savepoint per agreement, "
    "several workers, catch-up of missed periods, posted with KID and sent), mass invoicing from a template",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/nofaktura/nofaktura",
    "author": "nofaktura",
    "maintainers": ["nofaktura"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "countries": ["no"],
    "depends": ["account", "l10n_no", "mail", "contract", "l10n_no_kid"],
    "external_dependencies": {"python": ["nofaktura"]},
    "data": [
        "security/ir.model.access.csv",
        "security/l10n_no_agreement_security.xml",
        "data/ir_cron_data.xml",
        "views/l10n_no_agreement_run_views.xml",
        "views/contract_views.xml",
        "wizards/l10n_no_agreement_mass_invoice_views.xml",
        "views/l10n_no_agreement_menus.xml",
    ],
}
