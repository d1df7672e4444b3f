from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_no_brreg_enabled = fields.Boolean(related="company_id.l10n_no_brreg_enabled", readonly=False)
    l10n_no_brreg_base_url = fields.Char(related="company_id.l10n_no_brreg_base_url", readonly=False)
    l10n_no_invoicing_checklist_html = fields.Html(
        string="Norwegian invoicing check list", compute="_compute_l10n_no_invoicing_checklist_html",
        sanitize=False,
    )

    @api.depends("company_id")
    def _compute_l10n_no_invoicing_checklist_html(self):
        for settings in self:
            settings.l10n_no_invoicing_checklist_html = settings.company_id._l10n_no_invoicing_checklist_html()

    def action_l10n_no_invoicing_open_setup(self):
        """Settings button: open the setup assistant for the current company."""
        return self.env["l10n_no_invoicing.setup"].action_l10n_no_invoicing_open()
