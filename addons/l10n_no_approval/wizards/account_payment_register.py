from odoo import models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        # Every way of registering a payment from bills ends here: the button, batch payments, RPC.
        self.line_ids.move_id._l10n_no_check_payable()
        return super()._create_payments()
