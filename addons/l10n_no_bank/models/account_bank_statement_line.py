from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError

#: What the bank file said and how the import matched it: evidence, written by the import and the
#: manual match only (which check the caller first), never directly (XML-RPC ignores read-only views).
PROTECTED_LINE_FIELDS = (
    "l10n_no_bank_key", "l10n_no_bank_kid", "l10n_no_bank_import_id", "l10n_no_bank_state",
    "l10n_no_bank_reason", "l10n_no_bank_invoice_ids",
)

UNMATCHED_REASONS = [
    ("no_kid", "No KID"),
    ("invalid_kid", "KID does not fit the agreement"),
    ("unknown_kid", "KID matches no invoice or customer"),
    ("customer_only", "Customer found, no open invoice"),
    ("invoice_paid", "Invoice already paid"),
    ("outgoing", "Money out, reversal or return"),
    ("bank_charges", "Bank charges taken from a batch"),
]


class AccountBankStatementLine(models.Model):
    """Statement lines from bank files: the transaction's stable key, its KID and how it was matched."""

    _inherit = "account.bank.statement.line"

    l10n_no_bank_key = fields.Char(
        string="Bank transaction key", readonly=True, copy=False,
        help="Stable key of the bank transaction (from the file's own data): the same transaction in a "
        "re-sent file has the same key and is not imported twice.",
    )
    l10n_no_bank_kid = fields.Char(string="KID paid", readonly=True, index="btree_not_null")
    l10n_no_bank_import_id = fields.Many2one(
        "l10n_no.bank.import", string="Bank file", readonly=True, index="btree_not_null", ondelete="set null"
    )
    l10n_no_bank_state = fields.Selection(
        [("paid", "Paid"), ("partial", "Partial payment"), ("overpaid", "Overpaid"), ("unmatched", "To check"),
         ("manual", "Matched by hand"), ("grouped", "KID payments of one bank entry")],
        string="KID matching", readonly=True, index="btree_not_null",
    )  # fmt: skip
    l10n_no_bank_reason = fields.Selection(UNMATCHED_REASONS, string="Why not matched", readonly=True)
    l10n_no_bank_invoice_ids = fields.Many2many(
        "account.move", "l10n_no_bank_st_line_invoice_rel", "st_line_id", "move_id",
        string="Invoices paid", readonly=True,
    )

    _l10n_no_bank_key_unique = models.UniqueIndex(
        "(company_id, journal_id, l10n_no_bank_key) WHERE l10n_no_bank_key IS NOT NULL",
        "This bank transaction has already been imported into this journal.",
    )

    def write(self, vals):
        # EXTENDS account
        touched = sorted(set(vals) & set(PROTECTED_LINE_FIELDS))
        if touched and not self.env.su:
            raise AccessError(self.env._(
                "%(fields)s of a bank statement line are set by the bank file import and the manual match only.",
                fields=", ".join(touched),
            ))
        return super().write(vals)

    def action_l10n_no_bank_match(self):
        """Open the wizard to match this line to open invoices by hand."""
        self.ensure_one()
        self.env["l10n_no.bank.import"]._l10n_no_bank_check_importer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Match payment"),
            "res_model": "l10n_no.bank.match.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_st_line_id": self.id},
        }

    def _l10n_no_bank_match_invoices(self, invoices):
        """Reconcile this unmatched line with ``invoices`` (same customer), oldest due date first.

        The line's suspense counterpart becomes the customer's receivable; what the invoices do not
        take stays open on the customer, what they still owe stays open on them.
        """
        self.ensure_one()
        self.env["l10n_no.bank.import"]._l10n_no_bank_check_importer()
        if self.l10n_no_bank_state not in ("unmatched", False):
            raise UserError(self.env._("This payment is already matched."))
        if self.amount <= 0:
            raise UserError(self.env._("Only money received can pay customer invoices."))
        invoices = invoices.filtered(lambda m: m.state == "posted" and m.move_type == "out_invoice")
        partner = invoices.commercial_partner_id
        if not invoices or len(partner) != 1:
            raise UserError(self.env._("Choose one or more open invoices of one customer."))
        if invoices.company_id != self.company_id:
            raise UserError(self.env._("The invoices belong to another company than the bank journal."))
        receivable = invoices.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        if not receivable:
            raise UserError(self.env._("The chosen invoices are already paid."))
        account = receivable[0].account_id
        liquidity, suspense, _other = self._seek_for_lines()
        if not suspense:
            raise UserError(self.env._("This statement line is already reconciled."))
        self.move_id.with_context(skip_readonly_check=True).write(
            {
                "line_ids": [
                    Command.update(suspense.id, {"account_id": account.id, "partner_id": partner.id}),
                    Command.update(liquidity.id, {"partner_id": partner.id}),
                ]
            }
        )
        counterpart = self.move_id.line_ids.filtered(lambda line: line.id == suspense.id)
        self.env["account.move.line"]._reconcile_plan([counterpart + receivable.filtered(lambda l: l.account_id == account)])
        self.sudo().write(
            {
                "l10n_no_bank_state": "manual",
                "l10n_no_bank_reason": False,
                "l10n_no_bank_invoice_ids": [Command.set(invoices.ids)],
            }
        )
        return True
