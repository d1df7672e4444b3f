from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tools import mute_logger
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

    def setUp(self):
        super().setUp()
        # A run is dated today only (the law's deadlines count from the day letters go out), so the tests
        # move the dunning clock to the day of the run they make: ``self.today`` (None: the real today).
        self.today = None
        Run = type(self.env["l10n_no.dunning.run"])
        real_today = Run._l10n_no_dunning_today
        self.patch(Run, "_l10n_no_dunning_today", lambda run: self.today or real_today(run))

    def _new_run(self, day, **values):
        """A run for ``day``, created on that day."""
        self.today = day
        return self.env["l10n_no.dunning.run"].create({"company_id": self.company.id, "date": day, **values})

    def _run(self, day, confirm=False, deliver=True):
        """A run for ``day``, proposed; ``confirm``: sent, and (``deliver``) its e-mails sent by the mail
        queue the same day, as on a server (Odoo's test mode never sends a queued e-mail)."""
        run = self._new_run(day)
        run.action_propose()
        if confirm:
            run.action_confirm()
            if deliver:
                with self._mail_server(day):
                    self._letter_mails(run.letter_ids).send()
        return run

    def _letter_mails(self, letters):
        """The queued or failed e-mails (mail.mail) of ``letters``."""
        return self.env["mail.mail"].sudo().search([
            ("mail_message_id", "in", letters.mail_message_id.ids), ("state", "in", ("outgoing", "exception")),
        ])

    @contextmanager
    def _mail_server(self, day, refuse=None, reject=None):
        """The outgoing mail server on ``day``: it accepts every e-mail, refuses the connection with the
        exception ``refuse`` or rejects each message with the exception ``reject``. Odoo's own sending code
        runs (mail.mail, notifications); only the SMTP connection is replaced."""
        IrMailServer = type(self.env["ir.mail_server"])
        with patch.object(IrMailServer, "_disable_send", classmethod(lambda cls: False)), \
                patch.object(IrMailServer, "_connect__", side_effect=refuse, return_value=None), \
                patch.object(IrMailServer, "send_email", side_effect=reject, return_value="<dunning-test@example.no>"), \
                patch.object(fields.Date, "context_today", lambda *a, **k: day), \
                mute_logger("odoo.addons.mail.models.mail_mail"):  # the refusals are logged as errors
            yield

    def _letter(self, run, partner):
        return run.letter_ids.filtered(lambda l: l.partner_id == partner)
