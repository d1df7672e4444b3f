from odoo import fields, models


class AccountPaymentLine(models.Model):
    _inherit = "account.payment.line"

    l10n_no_group_key = fields.Char(
        string="Payment group", readonly=True, copy=False,
        help="Lines with the same key become one payment: a bill and the credit notes netted into it.",
    )
    l10n_no_bank_state = fields.Selection(related="payment_ids.l10n_no_bank_state", string="At the bank")
    l10n_no_bank_reason = fields.Text(related="payment_ids.l10n_no_bank_reason", string="Bank's reason")

    def payment_line_hashcode(self):
        self.ensure_one()
        if self.order_id.payment_mode_id.l10n_no_is_credit_transfer:
            # One payment per bill (with its netted credit notes): the proposal decided the grouping.
            return self.l10n_no_group_key or f"line-{self.id}"
        return super().payment_line_hashcode()
