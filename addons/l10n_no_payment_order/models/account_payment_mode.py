from odoo import api, fields, models

from .account_payment_method import CODE


class AccountPaymentMode(models.Model):
    _inherit = "account.payment.mode"

    l10n_no_is_credit_transfer = fields.Boolean(string="Norwegian credit transfer",
                                                compute="_compute_l10n_no_is_credit_transfer")
    l10n_no_pain_version = fields.Selection(
        [("03", "pain.001.001.03"), ("09", "pain.001.001.09")], string="pain.001 version", default="03",
        help="pain.001.001.03 is what every Norwegian bank takes; choose .09 only if your bank asks for it.",
    )
    l10n_no_bank_agreement_id = fields.Char(
        string="Bank agreement id", size=35,
        help="Your agreement id at the bank (customer/service id), sent as the initiating party's id (scheme BANK).",
    )
    l10n_no_category_purpose = fields.Char(
        string="Category purpose", size=4, default="SUPP",
        help="CtgyPurp code of the payments (SUPP = supplier payment). Leave empty if your bank does not want it.",
    )
    l10n_no_batch_booking = fields.Boolean(
        string="Batch booking", default=True,
        help="One booking per execution date on your statement instead of one per payment.",
    )
    l10n_no_net_credit_notes = fields.Boolean(
        string="Net credit notes",
        help="Your bank passes credit notes on to the payee: a credit note may be deducted from a bill of the "
        "same vendor and account (never from a bill paid with KID).",
    )
    l10n_no_proposal_days = fields.Integer(
        string="Propose bills due within (days)", default=7,
    )
    l10n_no_delivery = fields.Selection(
        [("download", "Download the file"), ("channel", "The bank journal's folder or SFTP channel")],
        string="Delivery", default="download",
    )
    l10n_no_outbox = fields.Char(
        string="Outgoing folder", default="outbox",
        help="Folder on the channel (inside the bank journal's folder or SFTP directory) the payment files go to.",
    )
    l10n_no_unlisted_accepted = fields.Boolean(
        string="Bank lists only rejections",
        help="In a partially accepted status report your bank lists only the rejected payments: "
        "treat the others as accepted (see your bank's pain.002 guide).",
    )

    @api.depends("payment_method_id.code")
    def _compute_l10n_no_is_credit_transfer(self):
        for mode in self:
            mode.l10n_no_is_credit_transfer = mode.payment_method_id.code == CODE
