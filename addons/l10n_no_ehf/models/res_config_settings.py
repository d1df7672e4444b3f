from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_no_ehf_access_point_id = fields.Many2one(
        related="company_id.l10n_no_ehf_access_point_id", readonly=False
    )
    l10n_no_ehf_confirm_accepted = fields.Boolean(related="company_id.l10n_no_ehf_confirm_accepted", readonly=False)
