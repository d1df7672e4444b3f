from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_no_kid_block_invalid_vendor_kid = fields.Boolean(
        related="company_id.l10n_no_kid_block_invalid_vendor_kid", readonly=False
    )
