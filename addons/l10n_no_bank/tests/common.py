import base64
import datetime
import io
from decimal import Decimal

from nofaktura.bank.generate import CamtEntry, CamtTx, OcrTx, write_camt054, write_ocr

from odoo import Command

from odoo.addons.l10n_no_kid.tests.common import L10nNoKidCommon

ACCOUNT = "86011117947"


class L10nNoBankCommon(L10nNoKidCommon):
    """The KID company of l10n_no_kid (bank journal on account 8601.11.17947, MOD10 KID 5 + 9 + 1),
    with helpers that write real OCR giro and camt.054 files for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Import = cls.env["l10n_no.bank.import"]
        cls.StLine = cls.env["account.bank.statement.line"]
        cls.pay_date = datetime.date(2026, 1, 15)
        cls._file_counter = 0

    # -- files ----------------------------------------------------------------------------------

    @classmethod
    def ocr_file(cls, payments, account=ACCOUNT, number="0000001"):
        """payments: (kid, amount) or OcrTx; returns the bytes of a valid OCR giro file."""
        txs = []
        for index, item in enumerate(payments, start=1):
            if isinstance(item, OcrTx):
                txs.append(item)
                continue
            kid, amount, *rest = item
            ttype = rest[0] if rest else 10
            txs.append(OcrTx(amount_ore=int(Decimal(str(amount)) * 100), kid=kid, transaction_type=ttype,
                             nets_date=cls.pay_date, reference=f"{index:09d}", form_number=f"{index:010d}",
                             debit_account="12345678903"))
        out = io.StringIO()
        write_ocr(out, [(account, txs)], transmission_number=number, nets_date=cls.pay_date)
        return out.getvalue().encode("iso-8859-1")

    @classmethod
    def camt_file(cls, payments, account=ACCOUNT, version="02", currency="NOK", message_id="MSG-1"):
        """payments: (kid, amount[, bank_reference]) → one entry each; returns camt.054 bytes."""
        entries = []
        for index, item in enumerate(payments, start=1):
            kid, amount, *rest = item
            ref = rest[0] if rest else f"REF-{index}"
            entries.append(CamtEntry([CamtTx(Decimal(str(amount)), kid=kid, bank_reference=ref,
                                             payer_name="Ola Nordmann", payer_account="12345678903")],
                                     booking_date=cls.pay_date))
        out = io.StringIO()
        write_camt054(out, entries, account=account, version=version, currency=currency, message_id=message_id)
        return out.getvalue().encode("utf-8")

    def import_file(self, data, name="bank.txt", journal=None):
        return self.Import._l10n_no_bank_import(data, name, journal=journal or self.bank_journal)

    def import_with_wizard(self, data, name="bank.txt"):
        wizard = self.env["l10n_no.bank.import.wizard"].create(
            {"journal_id": self.bank_journal.id, "data_file": base64.b64encode(data), "filename": name}
        )
        action = wizard.action_import()
        return self.Import.browse(action["res_id"])

    # -- invoices -------------------------------------------------------------------------------

    def invoice(self, partner=None, amount=1000.0, date="2026-01-01", due=None):
        vals = {
            "partner_id": (partner or self.partner_no).id,
            "partner_bank_id": self.bank_account.id,
            "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        }
        if due:
            vals["invoice_date_due"] = due
            vals["invoice_payment_term_id"] = False
        move = self._create_invoice(invoice_date=date, **vals)
        move.action_post()
        return move

    def lines_of(self, record):
        return record.statement_line_ids.sorted("id")
