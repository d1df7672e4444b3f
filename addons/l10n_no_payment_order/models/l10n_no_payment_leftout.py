from nofaktura.bank.proposal import Reason

from odoo import fields, models

REASONS = [
    (Reason.NOT_APPROVED.value, "Not approved yet (or an approver rejected it)"),
    (Reason.BLOCKED.value, "Blocked for payment"),
    (Reason.NO_ACCOUNT.value, "The payee has no bank account on the bill"),
    (Reason.INVALID_ACCOUNT.value, "The payee's bank account number is not valid"),
    (Reason.UNCONFIRMED_ACCOUNT.value, "The payee's bank account is new or changed and nobody has confirmed it"),
    (Reason.INVALID_KID.value, "The KID fails its check digit and there is no message to pay with instead"),
    (Reason.NO_REFERENCE.value, "Neither a KID nor a message: the payee could not tell what is paid"),
    (Reason.NOT_DUE.value, "Not due within the proposal's days"),
    (Reason.NOTHING_TO_PAY.value, "Nothing left to pay"),
    (Reason.NETTING_NOT_ALLOWED.value, "Credit note: the bank does not net credit notes, settle it by hand"),
    (Reason.NO_BILL_TO_NET.value, "Credit note: no bill without KID of the same payee and account is large enough"),
]


class L10nNoPaymentLeftout(models.Model):
    """A bill the payment proposal did not take, and why (rebuilt at each proposal)."""

    _name = "l10n_no.payment.leftout"
    _description = "Bill left out of a payment proposal"
    _order = "order_id, date_maturity, id"
    _check_company_auto = True

    order_id = fields.Many2one("account.payment.order", required=True, ondelete="cascade", index=True,
                               readonly=True, check_company=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal item", readonly=True, ondelete="cascade",
                                   check_company=True)
    move_id = fields.Many2one(related="move_line_id.move_id", string="Bill")
    partner_id = fields.Many2one(related="move_line_id.partner_id", string="Vendor")
    date_maturity = fields.Date(related="move_line_id.date_maturity", string="Due")
    currency_id = fields.Many2one(related="move_line_id.currency_id")
    amount_residual_currency = fields.Monetary(related="move_line_id.amount_residual_currency", string="Open")
    reason = fields.Selection(REASONS, required=True, readonly=True)
    detail = fields.Char(readonly=True)
    l10n_no_payee_unconfirmed = fields.Boolean(related="move_id.l10n_no_payee_unconfirmed")
