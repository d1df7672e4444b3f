from odoo import api, fields, models


class AccountMoveSendWizard(models.TransientModel):
    _inherit = "account.move.send.wizard"

    l10n_no_dispatch_channel_info = fields.Char(
        string="Dispatch channel", compute="_compute_l10n_no_dispatch_channel_info",
        help="The channel the invoice takes through the dispatch queue, and why.")

    @api.depends("move_id")
    def _compute_l10n_no_dispatch_channel_info(self):
        for wizard in self:
            wizard.l10n_no_dispatch_channel_info = wizard.move_id.l10n_no_dispatch_channel_info
