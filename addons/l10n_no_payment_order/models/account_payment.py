from odoo import fields, models
from odoo.exceptions import AccessError

#: What the order's approver saw of a payment (the order's fingerprint): a change restarts the review.
REVIEWED_FIELDS = {"amount", "currency_id", "partner_bank_id", "partner_id", "journal_id"}
BANK_STATES = [("sent", "Sent"), ("accepted", "Accepted"), ("rejected", "Rejected"), ("booked", "Booked")]


class AccountPayment(models.Model):
    _inherit = "account.payment"

    l10n_no_end_to_end_id = fields.Char(string="End-to-end id", readonly=True, copy=False, index="btree_not_null",
                                        help="Our id of the payment in the pain.001; the bank's answers name it.")
    l10n_no_payment_info_id = fields.Char(string="Payment block id", readonly=True, copy=False)
    l10n_no_bank_state = fields.Selection(BANK_STATES, string="At the bank", readonly=True, copy=False,
                                          tracking=True)
    l10n_no_bank_reason = fields.Text(string="Bank's reason", readonly=True, copy=False)

    def write(self, vals):
        ours = {"l10n_no_end_to_end_id", "l10n_no_payment_info_id", "l10n_no_bank_state", "l10n_no_bank_reason"}
        if ours & set(vals) and not self.env.su and not self.env.context.get("l10n_no_payment_internal"):
            raise AccessError(self.env._("The bank status of a payment changes only through the bank's answers."))
        result = super().write(vals)
        if REVIEWED_FIELDS & set(vals):
            self.payment_order_id._l10n_no_review_changed()
        return result

    def _l10n_no_reject(self, reason):
        """The bank rejected the payment: undo it so its bills are open again, and tell the accountant."""
        for payment in self:
            bills = payment.payment_line_ids.move_line_id.move_id
            if payment.state != "draft":
                payment.action_draft()
            # A credit note netted into the bill was reconciled with it directly: undo that too, so the
            # bill and the credit note are open as before and the next proposal nets them again.
            group = payment.payment_line_ids.move_line_id
            (group.matched_debit_ids | group.matched_credit_ids).filtered(
                lambda p, g=group: p.debit_move_id in g and p.credit_move_id in g).unlink()
            payment.action_cancel()
            payment.with_context(l10n_no_payment_internal=True).write(
                {"l10n_no_bank_state": "rejected", "l10n_no_bank_reason": reason})
            order = payment.payment_order_id
            accountant = order.create_uid if order.create_uid.active and not order.create_uid.share else self.env.user
            note = self.env._("The bank rejected the payment %(ref)s of payment order %(order)s: %(reason)s. "
                              "The bill is open again.", ref=payment.l10n_no_end_to_end_id, order=order.name,
                              reason=reason)
            for bill in bills:
                bill.message_post(body=note)
                bill.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=accountant.id,
                    summary=self.env._("Payment rejected by the bank"), note=note,
                )
        return True
