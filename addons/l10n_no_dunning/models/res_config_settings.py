from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_no_dunning_fee_product_id = fields.Many2one(
        related="company_id.l10n_no_dunning_fee_product_id", readonly=False
    )
    l10n_no_dunning_interest_product_id = fields.Many2one(
        related="company_id.l10n_no_dunning_interest_product_id", readonly=False
    )
    l10n_no_dunning_compensation_product_id = fields.Many2one(
        related="company_id.l10n_no_dunning_compensation_product_id", readonly=False
    )
    l10n_no_dunning_fee_account_id = fields.Many2one(
        related="company_id.l10n_no_dunning_fee_account_id", readonly=False
    )
    l10n_no_dunning_interest_account_id = fields.Many2one(
        related="company_id.l10n_no_dunning_interest_account_id", readonly=False
    )
    l10n_no_dunning_journal_id = fields.Many2one(related="company_id.l10n_no_dunning_journal_id", readonly=False)
    l10n_no_dunning_min_amount = fields.Monetary(related="company_id.l10n_no_dunning_min_amount", readonly=False)
    l10n_no_dunning_auto = fields.Boolean(related="company_id.l10n_no_dunning_auto", readonly=False)
    l10n_no_dunning_auto_send = fields.Boolean(related="company_id.l10n_no_dunning_auto_send", readonly=False)
    l10n_no_dunning_handover_format = fields.Selection(
        related="company_id.l10n_no_dunning_handover_format", readonly=False
    )
