{
    "name": "Norway - Approval of vendor bills (attestasjon and anvisning)",
    "summary": "Attest and anvis every vendor bill before it is posted or paid: amount limits, attestant per vendor "
    "or dimension, substitutes, escalation, never self-approval, built on OCA tier validation",
    "version": "19.0.1.0.0",
    "category": "Accounting/Localizations",
    "website": "https://github.com/nofaktura/nofaktura",
    "author": "nofaktura",
    "maintainers": ["nofaktura"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "countries": ["no"],
    "depends": [
        "account", "l10n_no", "mail", "analytic", "base_tier_validation", "account_move_tier_validation", "l10n_no_coding",
    ],
    "external_dependencies": {"python": ["nofaktura"]},
    "data": [
        "security/l10n_no_approval_security.xml",
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "wizards/l10n_no_approval_action_views.xml",
        "views/l10n_no_approval_matrix_views.xml",
        "views/l10n_no_approval_substitute_views.xml",
        "views/account_move_views.xml",
        "views/l10n_no_approval_menus.xml",
    ],
}
