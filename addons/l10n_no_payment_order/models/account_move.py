from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _l10n_no_payment_payee_confirmed(self, bank=None):
        """The payee account of the bill was confirmed by a person.

        Reuses Odoo's own mechanism: a vendor bank account may receive money only once someone with
        "Validate bank account" has trusted it (``res.partner.bank.allow_out_payment``, tracked). A bill
        received by EHF that names an account the vendor does not have keeps it "to confirm"
        (``l10n_no_ehf_payee_to_confirm`` of l10n_no_ehf, checked when that module is installed,
        without depending on it)."""
        self.ensure_one()
        bank = self.partner_bank_id if bank is None else bank
        pending = "l10n_no_ehf_payee_to_confirm" in self._fields and self.sudo().l10n_no_ehf_payee_to_confirm
        return bool(bank.allow_out_payment) and not pending
