{
    "name": "Norway - Vendor bill payments (pain.001, pain.002, camt.054)",
    "summary": "Pay approved vendor bills from Odoo: payment proposals with what was left out and why, "
    "Norwegian pain.001 to the bank (download, folder or SFTP), four-eyes approval, "
    "pain.002 feedback per payment and camt.054 booking",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/nofaktura/nofaktura",
    "author": "nofaktura",
    "maintainers": ["nofaktura"],
    # AGPL-3: builds on the AGPL-3 OCA modules account_payment_order and base_tier_validation (l10n_no_approval,
    # and the payment order's own four-eyes review).
    "license": "AGPL-3",
    "development_status": "Beta",
    "countries": ["no"],
    "depends": ["account_payment_order", "base_tier_validation", "l10n_no_approval", "l10n_no_bank"],
    "external_dependencies": {"python": ["nofaktura"]},
    "data": [
        "security/ir.model.access.csv",
        "security/l10n_no_payment_order_security.xml",
        "data/account_payment_method.xml",
        "data/tier_definition.xml",
        "views/account_payment_mode_views.xml",
        "views/account_payment_order_views.xml",
        "views/res_partner_views.xml",
    ],
}
