from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_no_coding_required = fields.Boolean(
        related="company_id.l10n_no_coding_required", readonly=False,
    )
