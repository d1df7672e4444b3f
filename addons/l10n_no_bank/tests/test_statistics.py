import io
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models import l10n_no_bank_import as import_module
from .common import L10nNoBankCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestPlannerStatistics(L10nNoBankCommon):
    """A large file is one transaction, so autovacuum never counts its rows: the import ANALYZEs a
    table it has doubled, so PostgreSQL stops planning it as the near-empty table it was."""

    def setUp(self):
        super().setUp()
        self.cr.execute("CREATE TABLE l10n_no_bank_growth_probe (id int)")
        self.cr.execute("ANALYZE l10n_no_bank_growth_probe")
        self.context = type("Context", (), {"analyzed": {}, "record": self.Import})()
        self.patches = [patch.object(import_module, "GROWING_TABLES", ("l10n_no_bank_growth_probe",)),
                        patch.object(import_module, "ANALYZE_MIN_ROWS", 10)]
        for active in self.patches:
            active.start()
            self.addCleanup(active.stop)

    def _grow(self, rows):
        self.cr.execute("INSERT INTO l10n_no_bank_growth_probe SELECT generate_series(1, %s)", (rows,))

    def _known_rows(self):
        self.cr.execute("SELECT reltuples FROM pg_class WHERE relname = 'l10n_no_bank_growth_probe'")
        return self.cr.fetchone()[0]

    def test_a_doubled_table_is_analyzed_once_until_it_doubles_again(self):
        self._grow(5)
        self.assertEqual(self.Import._l10n_no_bank_refresh_statistics(self.context), [],
                         "fewer new rows than the minimum: no ANALYZE")
        self._grow(20)
        self.assertEqual(self.Import._l10n_no_bank_refresh_statistics(self.context), ["l10n_no_bank_growth_probe"])
        self.assertEqual(self._known_rows(), 25, "the transaction's own rows are counted")
        self._grow(10)
        self.assertEqual(self.Import._l10n_no_bank_refresh_statistics(self.context), [],
                         "10 new rows on 25 known: not doubled yet")
        self._grow(20)
        self.assertEqual(self.Import._l10n_no_bank_refresh_statistics(self.context), ["l10n_no_bank_growth_probe"])
        self.assertEqual(self._known_rows(), 55)

    def test_a_table_locked_by_another_analyze_is_not_waited_for(self):
        self._grow(30)
        self.cr.execute("SELECT current_setting('lock_timeout')")
        before = self.cr.fetchone()[0]
        with patch.object(type(self.cr), "execute", side_effect=self._lock_not_available(self.cr.execute)):
            self.assertEqual(self.Import._l10n_no_bank_refresh_statistics(self.context), [])
        self.assertEqual(self.context.analyzed, {})
        self.cr.execute("SELECT current_setting('lock_timeout')")
        self.assertEqual(self.cr.fetchone()[0], before, "the import's own lock timeout is left as it was")
        self.assertEqual(self.Import._l10n_no_bank_refresh_statistics(self.context), ["l10n_no_bank_growth_probe"],
                         "the next chunk tries again")

    @staticmethod
    def _lock_not_available(execute):
        import psycopg2.errors  # noqa: PLC0415

        def fake(query, params=None, *args, **kwargs):
            if str(getattr(query, "code", query)).startswith("ANALYZE"):
                raise psycopg2.errors.LockNotAvailable("canceling statement due to lock timeout")
            return execute(query, params, *args, **kwargs)

        return fake


@tagged("post_install", "-at_install", "post_install_l10n")
class TestRepeatedTransaction(L10nNoBankCommon):
    """A broken file naming one transaction twice is refused whole, whether the repeat falls in the
    same chunk or a later one: the import remembers nothing per payment (its memory does not grow
    with the file); a later chunk finds the first one in the database under this very import."""

    def _file_with_a_repeat(self, invoices):
        data = self.ocr_file([(inv.payment_reference, f"{inv.amount_total:.2f}") for inv in invoices])
        reader = import_module.open_reader(io.BytesIO(data), source="repeat.txt")
        payments = list(reader)  # read to the end: its summary is complete
        repeated = [*payments, payments[0]]

        class Repeating:
            summary = reader.summary

            def __iter__(self):
                return iter(repeated)

        return data, Repeating()

    def _assert_refused(self, chunk, invoices):
        data, reader = self._file_with_a_repeat(invoices)
        lines_before = self.env["account.bank.statement.line"].search_count([])
        with patch.object(import_module, "open_reader", return_value=reader), \
                self.assertRaisesRegex(UserError, "appears twice in the file"):
            self.Import.with_context(l10n_no_bank_chunk=chunk)._l10n_no_bank_import(
                data, "repeat.txt", journal=self.bank_journal)
        self.assertEqual(self.env["account.bank.statement.line"].search_count([]), lines_before,
                         "nothing of the file is kept")
        self.assertTrue(all(inv.payment_state == "not_paid" for inv in invoices))

    def test_a_repeat_in_the_same_chunk_is_refused(self):
        self._assert_refused(100, [self.invoice(amount=100.0), self.invoice(amount=200.0)])

    def test_a_repeat_in_a_later_chunk_is_refused(self):
        # chunk 2: the first chunk stores both payments on one shared line (their keys on its journal items)
        self._assert_refused(2, [self.invoice(amount=100.0), self.invoice(amount=200.0)])

    def test_a_repeat_of_a_line_of_its_own_in_a_later_chunk_is_refused(self):
        self._assert_refused(1, [self.invoice(amount=100.0)])
