from nofaktura.exceptions import LayoutError
from nofaktura.kid import KidLayout
from nofaktura.messages import text as nf_text

from odoo import api, fields, models
from odoo.exceptions import ValidationError

KID_FIELDS = (
    "l10n_no_kid_enabled",
    "l10n_no_kid_algorithm",
    "l10n_no_kid_length",
    "l10n_no_kid_customer_digits",
    "l10n_no_kid_invoice_digits",
    "l10n_no_kid_prefix",
)


class AccountJournal(models.Model):
    """The KID agreement (OCR giro / AvtaleGiro) of the bank account behind a bank journal.

    The agreement belongs to the bank account, so it is configured on the bank journal that holds
    that account. A customer invoice uses the agreement of the account it asks to be paid into
    (its recipient bank account, ``partner_bank_id``); see ``account.move._l10n_no_kid_journal``.
    """

    _inherit = "account.journal"

    l10n_no_kid_enabled = fields.Boolean(
        string="KID agreement",
        help="The bank has an OCR giro / AvtaleGiro agreement for this account: customer invoices paid "
        "into it get a KID built by the layout below.",
    )
    l10n_no_kid_algorithm = fields.Selection(
        [("mod10", "MOD10"), ("mod11", "MOD11")],
        string="KID check digit",
        default="mod10",
        help="The check-digit algorithm in the bank agreement. MOD11 can end in '-'.",
    )
    l10n_no_kid_length = fields.Integer(
        string="KID length",
        default=15,
        help="Total number of KID characters in the agreement (4 to 25), check digit included.",
    )
    l10n_no_kid_customer_digits = fields.Integer(
        string="Customer number digits",
        default=5,
        help="Digits for the customer number (0 for none).",
    )
    l10n_no_kid_invoice_digits = fields.Integer(
        string="Invoice number digits",
        default=9,
        help="Digits for the invoice number.",
    )
    l10n_no_kid_prefix = fields.Char(
        string="KID fixed prefix",
        help="Optional fixed digits at the start of every KID (e.g. to tell structures apart).",
    )
    l10n_no_kid_mandatory = fields.Boolean(
        string="KID mandatory",
        help="The bank requires a KID on every payment into this account (tvungen KID): the KID replaces "
        "any payment reference typed on the invoice. Without it a typed reference is kept.",
    )
    l10n_no_kid_invoice_source = fields.Selection(
        [("name", "All digits of the invoice number"), ("sequence", "Sequence number only")],
        string="KID invoice number",
        default="name",
        help="What goes in the invoice part. All digits of INV/2026/00017 give 202600017, unique across "
        "years. The sequence number gives 17: shorter, but repeats when the numbering restarts each year.",
    )
    l10n_no_kid_example = fields.Char(
        string="KID example", compute="_compute_l10n_no_kid_example",
        help="A KID built with this layout for customer 1 and invoice 1.",
    )

    @api.depends(*KID_FIELDS)
    def _compute_l10n_no_kid_example(self):
        for journal in self:
            try:
                layout = journal._l10n_no_kid_layout()
                example = layout.build(1 if layout.customer_digits else None, 1) if layout else False
            except LayoutError:
                example = False
            journal.l10n_no_kid_example = example

    @api.constrains(*KID_FIELDS, "type")
    def _check_l10n_no_kid_agreement(self):
        for journal in self.filtered("l10n_no_kid_enabled"):
            if journal.type != "bank":
                raise ValidationError(
                    self.env._("A KID agreement belongs to a bank account: %(journal)s is not a bank journal.",
                      journal=journal.display_name)
                )
            try:
                journal._l10n_no_kid_layout()
            except LayoutError as exc:
                raise ValidationError(
                    self.env._("The KID agreement of %(journal)s is not consistent: %(error)s",
                      journal=journal.display_name, error=nf_text(exc, self.env.lang))
                ) from exc

    def _l10n_no_kid_layout(self):
        """Return the journal's agreement as a ``nofaktura.kid.KidLayout``, or ``None`` without one.

        Raises ``nofaktura.exceptions.LayoutError`` when the stored settings do not add up (the
        constraint prevents saving such settings, so this only happens with bypassed writes).
        """
        self.ensure_one()
        if not self.l10n_no_kid_enabled:
            return None
        return KidLayout(
            length=self.l10n_no_kid_length,
            algorithm=self.l10n_no_kid_algorithm,  # empty -> LayoutError, never a silent default
            customer_digits=self.l10n_no_kid_customer_digits,
            invoice_digits=self.l10n_no_kid_invoice_digits,
            prefix=self.l10n_no_kid_prefix or "",
        )

    @api.model
    def _l10n_no_kid_journal_for_bank_account(self, bank_account, company):
        """Return the bank journal of ``company`` with a KID agreement for ``bank_account`` (or none)."""
        if not bank_account:
            return self.browse()
        return self.search(
            [
                *self._check_company_domain(company),
                ("type", "=", "bank"),
                ("bank_account_id", "=", bank_account.id),
                ("l10n_no_kid_enabled", "=", True),
            ],
            limit=1,
        )
