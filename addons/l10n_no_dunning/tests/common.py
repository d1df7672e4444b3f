from datetime import timedelta

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DunningCommon(AccountTestInvoicingCommon):
    """A Norwegian company with the preset levels, a consumer and a business customer."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("no")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.l10n_no_dunning_min_amount = 50.0
        cls.levels = cls.company._l10n_no_dunning_levels()
        cls.level = {level.kind: level for level in cls.levels}
        cls.consumer = cls.env["res.partner"].create({
            "name": "Ola Nordmann", "email": "ola@example.no", "street": "Storgata 1", "zip": "0155",
            "city": "Oslo", "country_id": cls.env.ref("base.no").id,
        })
        cls.business = cls.env["res.partner"].create({
            "name": "Fjord AS", "is_company": True, "email": "post@fjord.example", "company_registry": "974760673",
            "street": "Kaia 2", "zip": "5003", "city": "Bergen", "country_id": cls.env.ref("base.no").id,
        })
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.misc_journal = cls.company_data["default_journal_misc"]
        # a KID agreement on the bank account (l10n_no_kid): invoices and fee invoices get a KID
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": "86011117947", "partner_id": cls.company.partner_id.id}
        )
        cls.bank_journal.bank_account_id = cls.bank_account
        cls.bank_journal.write({
            "l10n_no_kid_enabled": True,
            "l10n_no_kid_algorithm": "mod10",
            "l10n_no_kid_length": 15,
            "l10n_no_kid_customer_digits": 5,
            "l10n_no_kid_invoice_digits": 9,
        })

    @classmethod
    def _invoice(cls, partner, amount, due, invoice_date=None, move_type="out_invoice"):
        move = cls.env["account.move"].create({
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": invoice_date or due - timedelta(days=14),
            "invoice_date_due": due,
            "invoice_payment_term_id": False,
            "partner_bank_id": cls.bank_account.id,
            "invoice_line_ids": [Command.create({
                "name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
            })],
        })
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, day):
        """A payment as a reconciled journal entry (partial or full), as the bank reconciliation leaves it."""
        receivable = invoice.line_ids.filtered(lambda l: l.account_id.account_type == "asset_receivable")
        entry = cls.env["account.move"].create({
            "move_type": "entry",
            "date": day,
            "journal_id": cls.misc_journal.id,
            "line_ids": [
                Command.create({
                    "account_id": cls.bank_journal.default_account_id.id, "debit": amount, "credit": 0.0,
                    "partner_id": invoice.partner_id.id, "name": "payment",
                }),
                Command.create({
                    "account_id": receivable.account_id.id, "debit": 0.0, "credit": amount,
                    "partner_id": invoice.partner_id.id, "name": "payment",
                }),
            ],
        })
        entry.action_post()
        (receivable + entry.line_ids.filtered(lambda l: l.account_id == receivable.account_id)).reconcile()
        return entry

    def _run(self, day, confirm=False):
        run = self.env["l10n_no.dunning.run"].create({"company_id": self.company.id, "date": day})
        run.action_propose()
        if confirm:
            run.action_confirm()
        return run

    def _letter(self, run, partner):
        return run.letter_ids.filtered(lambda l: l.partner_id == partner)
