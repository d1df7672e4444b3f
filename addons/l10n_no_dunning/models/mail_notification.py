from odoo import api, models


class MailNotification(models.Model):
    _inherit = "mail.notification"

    # EXTENDS mail: the outcome of a dunning e-mail decides whether the letter counts as sent
    @api.model_create_multi
    def create(self, vals_list):
        notifications = super().create(vals_list)
        notifications._l10n_no_dunning_track()
        return notifications

    # EXTENDS mail
    def write(self, vals):
        result = super().write(vals)
        if "notification_status" in vals:
            self._l10n_no_dunning_track()
        return result

    def _l10n_no_dunning_track(self):
        mine = self.filtered(lambda n: n.mail_message_id.model == "l10n_no.dunning.letter")
        if mine:
            self.env["l10n_no.dunning.letter"].sudo()._l10n_no_dunning_on_notifications(mine)
        return True
