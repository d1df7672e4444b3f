from odoo import api, models

CODE = "l10n_no_credit_transfer"


class AccountPaymentMethod(models.Model):
    _inherit = "account.payment.method"

    @api.model
    def _get_payment_method_information(self):
        res = super()._get_payment_method_information()
        # Bank journals only; any number of lines per journal (one per bank agreement).
        res[CODE] = {"mode": "multi", "type": ("bank",)}
        return res
