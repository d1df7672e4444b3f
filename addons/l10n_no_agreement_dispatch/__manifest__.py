{
    "name": "Norway - Agreement notices by the customer's channel",
    "summary": "Price regulation notices of l10n_no_agreement sent through the dispatch queue (Digipost, print, "
    "e-mail by the customer's channel) instead of Odoo's e-mail",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/nofaktura/nofaktura",
    "author": "nofaktura",
    "maintainers": ["nofaktura"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "countries": ["no"],
    "depends": ["l10n_no_agreement", "l10n_no_dispatch"],
    "external_dependencies": {"python": ["nofaktura"]},
    "data": [
        "security/ir.model.access.csv",
        "views/l10n_no_dispatch_job_views.xml",
        "views/l10n_no_agreement_notice_views.xml",
    ],
    "auto_install": True,
}
