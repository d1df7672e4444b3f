{
    "name": "Norway - Bank files (OCR giro, camt.053/054) and KID reconciliation",
    "summary": "Import Nets OCR giro and ISO 20022 camt.053/054 files into bank statements, "
    "reconcile customer payments by KID, list what did not match",
    "version": "19.0.1.1.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/nofaktura/nofaktura",
    "author": "nofaktura",
    "maintainers": ["nofaktura"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "countries": ["no"],
    "depends": ["account", "l10n_no_kid"],
    "external_dependencies": {"python": ["nofaktura", "paramiko"]},
    "data": [
        "security/ir.model.access.csv",
        "security/l10n_no_bank_security.xml",
        "data/ir_cron.xml",
        "views/l10n_no_bank_import_views.xml",
        "views/account_bank_statement_line_views.xml",
        "views/account_journal_views.xml",
        "wizards/l10n_no_bank_import_wizard_views.xml",
        "wizards/l10n_no_bank_match_wizard_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["l10n_no_bank/static/tests/tours/*.js"],
    },
}
