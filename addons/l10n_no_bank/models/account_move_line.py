from odoo import api, fields, models
from odoo.exceptions import AccessError


class AccountMoveLine(models.Model):
    """The key of a bank payment booked on a statement line it shares with the other payments of its
    bank entry (an OCR assignment, a camt batch): the journal item is that payment's record."""

    _inherit = "account.move.line"

    l10n_no_bank_key = fields.Char(
        string="Bank transaction key", readonly=True, copy=False,
        help="Stable key of the bank transaction this item books (from the bank file's own data): the same "
        "transaction in a re-sent file is not imported twice.",
    )

    _l10n_no_bank_key_unique = models.UniqueIndex(
        "(company_id, journal_id, l10n_no_bank_key) WHERE l10n_no_bank_key IS NOT NULL",
        "This bank transaction has already been imported into this journal.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS account: a key set by anyone else would make the import skip a real payment as
        # "already imported"; the import creates its items in superuser mode (create_uid stays the user).
        if not self.env.su and any(vals.get("l10n_no_bank_key") for vals in vals_list):
            self._l10n_no_bank_refuse_key()
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS account: the key is evidence from the bank file; changing it would let the same
        # payment be imported (and booked) twice.
        if "l10n_no_bank_key" in vals and not self.env.su:
            self._l10n_no_bank_refuse_key()
        return super().write(vals)

    def _l10n_no_bank_refuse_key(self):
        raise AccessError(self.env._("The bank transaction key of a journal item is set by the bank file import only."))
