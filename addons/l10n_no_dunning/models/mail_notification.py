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
        # While it sends, the mail queue first marks the notifications "exception" (a guard against a crash
        # half-way), then writes the outcome: the letter follows the outcome (mail.mail below), not the guard.
        if "notification_status" in vals and vals["notification_status"] != "exception":
            self._l10n_no_dunning_track()
        return result

    def _l10n_no_dunning_track(self):
        mine = self.filtered(lambda n: n.mail_message_id.model == "l10n_no.dunning.letter")
        if mine:
            self.env["l10n_no.dunning.letter"].sudo()._l10n_no_dunning_on_notifications(mine)
        return True


class MailMail(models.Model):
    _inherit = "mail.mail"

    # EXTENDS mail: the final outcome of sending (accepted, refused by the server, bad address)
    def _postprocess_sent_message(self, success_pids, success_emails, failure_reason=False, failure_type=None):
        messages = self.mail_message_id.filtered(lambda m: m.model == "l10n_no.dunning.letter")
        result = super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type
        )
        if messages:
            notifications = self.env["mail.notification"].sudo().search([("mail_message_id", "in", messages.ids)])
            notifications._l10n_no_dunning_track()
        return result
