{
    "name": "Norway - Default coding of vendor bills (standardkontering)",
    "summary": "Expense account, tax, analytic distribution and attestant per product and per vendor, "
    "applied to every vendor bill however it arrives; uncoded bills stay in draft",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/nofaktura/nofaktura",
    "author": "nofaktura",
    "maintainers": ["nofaktura"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "countries": ["no"],
    "depends": ["account", "analytic", "mail"],
    "external_dependencies": {"python": ["nofaktura"]},
    "data": [
        "security/l10n_no_coding_security.xml",
        "security/ir.model.access.csv",
        "views/l10n_no_coding_rule_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
    ],
}
