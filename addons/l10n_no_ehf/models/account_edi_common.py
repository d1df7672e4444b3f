from odoo import models
from odoo.addons.base.models.res_bank import sanitize_account_number


class AccountEdiCommon(models.AbstractModel):
    """Odoo's UBL/CII import adds any bank account named in a received bill to the vendor (and
    reactivates an archived one). A bill is easy to forge (a mail alias accepts anyone's file claiming
    a known vendor's number), so a received document never adds or revives a payee account: only an
    account the vendor already has (active) is used; any other is kept on the bill to be confirmed
    by an accounting manager (``account.move.action_l10n_no_ehf_confirm_received``)."""

    _inherit = "account.edi.common"

    def _import_partner_bank(self, invoice, bank_details):
        # OVERRIDE account_edi_ubl_cii (for vendor bills; customer documents keep Odoo's behaviour)
        if invoice.is_inbound():
            return super()._import_partner_bank(invoice, bank_details)
        accounts = [acc for acc in dict.fromkeys(map(sanitize_account_number, bank_details)) if acc]
        if not accounts or not invoice.partner_id:
            return None
        Bank = self.env["res.partner.bank"]
        for account in accounts:
            bank = Bank.search([
                ("partner_id", "=", invoice.partner_id.id), ("sanitized_acc_number", "=", account),
            ], limit=1)
            if bank:
                invoice.partner_bank_id = bank
                return None
        invoice.sudo().l10n_no_ehf_payee_to_confirm = accounts[0]
        return None
