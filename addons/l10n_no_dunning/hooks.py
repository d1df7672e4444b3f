def post_init_hook(env):
    """Give every existing company the fee products and the Norwegian preset levels (new companies get
    them through field defaults and ``res.company.create``)."""
    companies = env["res.company"].search([])
    for field, xmlid in (
        ("l10n_no_dunning_fee_product_id", "l10n_no_dunning.product_dunning_fee"),
        ("l10n_no_dunning_interest_product_id", "l10n_no_dunning.product_dunning_interest"),
        ("l10n_no_dunning_compensation_product_id", "l10n_no_dunning.product_dunning_compensation"),
    ):
        companies.filtered(lambda c, f=field: not c[f]).write({field: env.ref(xmlid).id})
    companies._l10n_no_dunning_create_default_levels()
