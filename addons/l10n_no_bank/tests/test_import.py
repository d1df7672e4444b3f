import base64
import re

import psycopg2

from nofaktura.bank.generate import OcrTx

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import L10nNoBankCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestBankFileImport(L10nNoBankCommon):
    def test_ocr_file_creates_statement_lines_and_archives_the_file(self):
        data = self.ocr_file([(None, "100.00"), (None, "250.50")])
        record = self.import_with_wizard(data, "ocr-20260115.txt")
        lines = self.lines_of(record)
        self.assertEqual(record.state, "done")
        self.assertEqual(record.file_format, "ocr")
        self.assertEqual((record.count_total, record.count_created, record.count_duplicate), (2, 2, 0))
        self.assertEqual(lines.mapped("amount"), [100.0, 250.5])
        self.assertEqual(lines.journal_id, self.bank_journal)
        self.assertEqual(set(lines.mapped("date")), {self.pay_date})
        self.assertTrue(all(lines.mapped("l10n_no_bank_key")))
        self.assertEqual(len(lines.statement_id), 1)
        self.assertEqual(record.attachment_id.raw, data)
        archive = record.attachment_id.sudo()
        self.assertEqual(archive.mimetype, "text/plain")
        self.assertFalse(archive.index_content, "the archived file is not copied into the search index")
        other = self.env["ir.attachment"].create({"name": "note.txt", "raw": data})
        self.assertTrue(other.sudo().index_content, "other text attachments are still indexed")
        self.assertEqual(record.bank_message_id, "0000001")
        self.assertEqual(lines[0].account_number, "12345678903")

    def test_camt054_both_versions(self):
        for version in ("02", "08"):
            with self.subTest(version=version):
                data = self.camt_file([(None, "10.00", f"V{version}-1"), (None, "20.00", f"V{version}-2")],
                                      version=version)
                record = self.import_file(data, f"camt-{version}.xml")
                self.assertEqual(record.file_format, "camt.054")
                self.assertEqual(self.lines_of(record).mapped("amount"), [10.0, 20.0])
                self.assertEqual(self.lines_of(record)[0].partner_name, "Ola Nordmann")

    def test_iban_in_file_matches_bban_on_journal(self):
        data = self.camt_file([(None, "10.00")], account="NO9386011117947")
        self.assertEqual(self.import_file(data, "iban.xml").count_created, 1)

    def test_same_file_again_creates_nothing_and_lists_what_was_there(self):
        data = self.ocr_file([(None, "100.00"), (None, "200.00")])
        self.import_file(data, "first.txt")
        count = self.StLine.search_count([("journal_id", "=", self.bank_journal.id)])
        with self.assertRaisesRegex(UserError, r"All 2 transactions of again\.txt were already imported") as ctx:
            self.import_file(data, "again.txt")
        self.assertIn("line 3: 100.00 NOK", str(ctx.exception))
        self.assertIn("first.txt", str(ctx.exception))
        self.assertEqual(self.StLine.search_count([("journal_id", "=", self.bank_journal.id)]), count)
        self.assertEqual(self.Import.search_count([("name", "=", "again.txt")]), 0)

    def test_same_transaction_in_another_file_is_skipped_and_named(self):
        self.import_file(self.camt_file([(None, "10.00", "A"), (None, "20.00", "B")], message_id="M1"), "m1.xml")
        record = self.import_file(self.camt_file([(None, "20.00", "B"), (None, "30.00", "C")], message_id="M2"),
                                  "m2.xml")
        self.assertEqual((record.count_created, record.count_duplicate), (1, 1))
        self.assertEqual(self.lines_of(record).mapped("amount"), [30.0])
        self.assertIn("already imported", record.message)
        self.assertIn("m1.xml", record.message)

    def test_unique_key_is_enforced_by_the_database(self):
        record = self.import_file(self.ocr_file([(None, "5.00")]), "k.txt")
        line = self.lines_of(record)
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.StLine.create({"journal_id": self.bank_journal.id, "date": "2026-01-15", "amount": 1.0,
                                "payment_ref": "x", "l10n_no_bank_key": line.l10n_no_bank_key})

    def _assert_refused(self, data, pattern, name="bad.txt"):
        before = self.StLine.search_count([])
        imports = self.Import.search_count([])
        with self.assertRaisesRegex(UserError, pattern):
            self.import_file(data, name)
        self.assertEqual(self.StLine.search_count([]), before)
        self.assertEqual(self.Import.search_count([]), imports)

    def test_file_for_another_account_is_refused(self):
        self._assert_refused(self.ocr_file([(None, "5.00")], account="12345678903"),
                             r"bad\.txt, line 3: the file is for account 12345678903")

    def test_unknown_account_without_journal_is_refused(self):
        data = self.ocr_file([(None, "5.00")], account="12345678903")
        with self.assertRaisesRegex(UserError, "no bank journal holds account 12345678903"):
            self.Import._l10n_no_bank_import(data, "x.txt")

    def test_wrong_format_is_refused(self):
        self._assert_refused(b"%PDF-1.4 not a bank file", "neither a Nets OCR giro file")
        self._assert_refused(b"", "is empty")

    def test_truncated_ocr_file_is_refused_with_line(self):
        data = self.ocr_file([(None, "5.00"), (None, "6.00")])
        cut = b"\n".join(data.splitlines()[:5]) + b"\n"
        self._assert_refused(cut, r"bad\.txt, line 5: .*truncated")

    def test_totals_that_do_not_add_up_are_refused_and_nothing_is_written(self):
        # Chunks of 2: four statement lines are written before the reader reaches the bad total.
        self.Import = self.Import.with_context(l10n_no_bank_chunk=2)
        lines = self.ocr_file([(None, f"{n}.00") for n in range(1, 6)]).decode("iso-8859-1").splitlines()
        end = lines[-2]
        lines[-2] = end[:24] + f"{int(end[24:41]) + 1:017d}" + end[41:]
        self._assert_refused(("\n".join(lines) + "\n").encode(), r"line 13: .*end-of-assignment record \(88\)")

    def test_camt_with_wrong_summary_is_refused(self):
        data = self.camt_file([(None, "10.00")]).replace(b"<Sum>10.00</Sum>", b"<Sum>11.00</Sum>")
        self._assert_refused(data, "TxsSummry declares a sum of 11.00", name="c.xml")

    def test_camt_in_another_currency_is_refused(self):
        self._assert_refused(self.camt_file([(None, "10.00")], currency="EUR"), "in EUR but journal")

    def test_camt_entry_without_dates_is_refused(self):
        data = re.sub(rb"<BookgDt>.*?</ValDt>", b"", self.camt_file([(None, "10.00")]))
        self._assert_refused(data, "neither a booking date nor a value date", name="nodate.xml")

    def test_pending_camt_entries_are_left_out(self):
        data = self.camt_file([(None, "10.00", "P1"), (None, "20.00", "P2")])
        data = data.replace(b"<Sts>BOOK</Sts>", b"<Sts>PDNG</Sts>", 1)
        record = self.import_file(data, "pdng.xml")
        self.assertEqual((record.count_created, record.count_skipped), (1, 1))

    def test_billing_user_cannot_import(self):
        user = new_test_user(self.env, login="billing_only", groups="account.group_account_invoice",
                             company_id=self.company.id, company_ids=[self.company.id])
        data = base64.b64encode(self.ocr_file([(None, "5.00")])).decode()
        with self.assertRaises(AccessError):
            self.Import.with_user(user).l10n_no_bank_import_file("x.txt", data, self.bank_journal.id)

    def test_api_entry_point_returns_a_summary(self):
        data = base64.b64encode(self.ocr_file([OcrTx(500, transaction_type=12, nets_date=self.pay_date)])).decode()
        summary = self.Import.l10n_no_bank_import_file("api.txt", data, self.bank_journal.id)
        self.assertEqual((summary["created"], summary["to_check"], summary["format"]), (1, 1, "ocr"))
