from odoo import api, fields, models

#: What the order's approver saw of a line (the order's fingerprint): a change restarts the review.
REVIEWED_FIELDS = {"amount_currency", "communication", "partner_bank_id", "move_line_id", "currency_id"}


class AccountPaymentLine(models.Model):
    _inherit = "account.payment.line"

    l10n_no_group_key = fields.Char(
        string="Payment group", readonly=True, copy=False,
        help="Lines with the same key become one payment: a bill and the credit notes netted into it.",
    )
    l10n_no_bank_state = fields.Selection(related="payment_ids.l10n_no_bank_state", string="At the bank")
    l10n_no_bank_reason = fields.Text(related="payment_ids.l10n_no_bank_reason", string="Bank's reason")

    l10n_no_payee_unconfirmed = fields.Boolean(
        compute="_compute_l10n_no_payee_unconfirmed", string="Payee account not confirmed",
        help="Nobody has confirmed this bank account of the payee yet: the order is refused until someone does.",
    )

    @api.depends("partner_bank_id.allow_out_payment", "move_line_id")
    def _compute_l10n_no_payee_unconfirmed(self):
        for line in self:
            bank = line.sudo().partner_bank_id
            move = line.sudo().move_line_id.move_id
            confirmed = move._l10n_no_payment_payee_confirmed(bank) if move else bool(bank.allow_out_payment)
            line.l10n_no_payee_unconfirmed = bool(bank or move) and not confirmed

    @api.model_create_multi
    def create(self, vals_list):
        # A bill chosen by hand passes the same approval gate as a proposed one (override: logged),
        # before anything is written.
        Order, MoveLine = self.env["account.payment.order"], self.env["account.move.line"]
        for vals in vals_list:
            order = Order.browse(vals.get("order_id"))
            if vals.get("move_line_id") and order.l10n_no_is_credit_transfer:
                MoveLine.browse(vals["move_line_id"]).move_id._l10n_no_check_payable(
                    action=self.env._("Put in payment order %(order)s", order=order.name))
        return super().create(vals_list)

    def write(self, vals):
        result = super().write(vals)
        if REVIEWED_FIELDS & set(vals):
            self.order_id._l10n_no_review_changed()
        return result

    def payment_line_hashcode(self):
        self.ensure_one()
        if self.order_id.payment_mode_id.l10n_no_is_credit_transfer:
            # One payment per bill (with its netted credit notes): the proposal decided the grouping.
            return self.l10n_no_group_key or f"line-{self.id}"
        return super().payment_line_hashcode()
