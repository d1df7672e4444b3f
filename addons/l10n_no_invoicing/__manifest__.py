{
    "name": "Norway - Invoicing (setup assistant and Enhetsregisteret)",
    "summary": "Installs the Norwegian invoicing addons, a setup assistant (organisation number, bank account "
    "and KID agreement, EHF access point, dunning, check list) and Enhetsregisteret lookups for partners",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/nofaktura/nofaktura",
    "author": "nofaktura",
    "maintainers": ["nofaktura"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "countries": ["no"],
    "depends": ["l10n_no_kid", "l10n_no_bank", "l10n_no_dunning", "l10n_no_ehf"],
    "external_dependencies": {"python": ["nofaktura"]},
    "data": [
        "security/l10n_no_invoicing_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "wizards/l10n_no_invoicing_setup_views.xml",
        "wizards/l10n_no_invoicing_partner_lookup_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/l10n_no_invoicing_brreg_entry_views.xml",
        "views/menus.xml",
        "data/ir_actions_todo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "l10n_no_invoicing/static/src/components/**/*",
        ],
        "web.assets_tests": [
            "l10n_no_invoicing/static/tests/tours/**/*",
        ],
    },
}
