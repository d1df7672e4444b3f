from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import L10nNoBankCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestGroupedEntry(L10nNoBankCommon):
    """The payments of one bank entry (an OCR assignment, a camt batch) share one statement line, as
    the bank books them: one amount on the bank account, one journal item per payment on its customer,
    each reconciled with its invoice and carrying the payment's key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_b = cls._create_partner_no("Kunde B AS")
        cls.partner_c = cls._create_partner_no("Kunde C AS")

    def _three_invoices(self):
        return (self.invoice(amount=100.0), self.invoice(partner=self.partner_b, amount=200.0),
                self.invoice(partner=self.partner_c, amount=300.0))

    def test_one_assignment_is_one_statement_line_with_an_item_per_payment(self):
        a, b, c = self._three_invoices()
        data = self.ocr_file([(a.payment_reference, "100.00"), (b.payment_reference, "150.00"),
                              (None, "9.00"), (c.payment_reference, "320.00")])
        record = self.import_file(data, "assignment.txt")
        lines = self.lines_of(record)
        self.assertEqual(lines.mapped("l10n_no_bank_state"), ["grouped", "unmatched"])
        grouped = lines[0]
        self.assertAlmostEqual(grouped.amount, 570.0)
        self.assertFalse(grouped.partner_id)
        self.assertIn("3 KID payments", grouped.payment_ref)
        self.assertEqual(grouped.l10n_no_bank_invoice_ids, a | b | c)
        items = grouped.move_id.line_ids.filtered("l10n_no_bank_key").sorted("balance")
        self.assertEqual(items.mapped("balance"), [-320.0, -150.0, -100.0])
        self.assertEqual(items.partner_id, self.partner_c | self.partner_b | self.partner_no)
        self.assertEqual(len(set(items.mapped("l10n_no_bank_key"))), 3)
        self.assertEqual((a.payment_state, b.payment_state, c.payment_state), ("paid", "partial", "paid"))
        self.assertAlmostEqual(b.amount_residual, 50.0)
        # The 20 paid too much stays open on the customer, on that payment's own item.
        self.assertAlmostEqual(items[0].amount_residual, -20.0)
        self.assertTrue(grouped.is_reconciled)
        self.assertEqual((record.count_created, record.count_matched, record.count_unmatched), (4, 3, 1))
        self.assertIn("4 new on 2 statement lines", record.message)

    def test_the_same_payments_again_are_found_by_their_items(self):
        a, b, c = self._three_invoices()
        payments = [(a.payment_reference, "100.00"), (b.payment_reference, "200.00")]
        self.import_file(self.ocr_file(payments), "first.txt")
        before = self.StLine.search_count([("journal_id", "=", self.bank_journal.id)])
        with self.assertRaisesRegex(UserError, r"All 2 transactions of again\.txt were already imported"):
            self.import_file(self.ocr_file(payments, number="0000002"), "again.txt")
        self.assertEqual(self.StLine.search_count([("journal_id", "=", self.bank_journal.id)]), before)
        # Re-sent with one more payment: only that one is new.
        record = self.import_file(self.ocr_file([*payments, (c.payment_reference, "300.00")], number="0000003"),
                                  "more.txt")
        self.assertEqual((record.count_created, record.count_duplicate), (1, 2))
        self.assertIn("first.txt", record.message)
        self.assertEqual(c.payment_state, "paid")

    def test_users_can_neither_set_nor_change_a_payment_key(self):
        a, b, _c = self._three_invoices()
        record = self.import_file(self.ocr_file([(a.payment_reference, "100.00"), (b.payment_reference, "200.00")]))
        item = self.lines_of(record).move_id.line_ids.filtered("l10n_no_bank_key")[:1]
        accountant = new_test_user(self.env, login="acc_key", groups="account.group_account_user",
                                   company_id=self.company.id, company_ids=[self.company.id])
        with self.assertRaises(AccessError):
            item.with_user(accountant).write({"l10n_no_bank_key": "forged"})
        general = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1)
        account = self.bank_journal.default_account_id
        # A key set by anyone but the import would make a real payment look "already imported".
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(accountant).create({
                "journal_id": general.id, "line_ids": [
                    Command.create({"name": "x", "account_id": account.id, "debit": 1.0,
                                    "l10n_no_bank_key": item.l10n_no_bank_key + "x"}),
                    Command.create({"name": "x", "account_id": account.id, "credit": 1.0})],
            })  # fmt: skip
        self.assertEqual(item.with_user(accountant).l10n_no_bank_key, item.l10n_no_bank_key)

    def test_an_analytic_distribution_model_still_applies_to_the_items(self):
        """The import skips Odoo's per-item search for distribution models only when the company has
        none: with one, each payment's item gets its distribution as Odoo would give it."""
        plan = self.env["account.analytic.plan"].create({"name": "Avdeling"})
        analytic = self.env["account.analytic.account"].create({"name": "Oslo", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].create({
            "partner_id": self.partner_b.id, "company_id": self.company.id,
            "analytic_distribution": {str(analytic.id): 100},
        })  # fmt: skip
        a, b, _c = self._three_invoices()
        record = self.import_file(self.ocr_file([(a.payment_reference, "100.00"), (b.payment_reference, "200.00")]))
        items = self.lines_of(record).move_id.line_ids.filtered("l10n_no_bank_key")
        by_partner = {item.partner_id: item for item in items}
        self.assertEqual(by_partner[self.partner_b].analytic_distribution, {str(analytic.id): 100})
        self.assertFalse(by_partner[self.partner_no].analytic_distribution)
        self.assertEqual(b.payment_state, "paid")
