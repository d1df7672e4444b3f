from nofaktura.kid import KidLayout, mod10, mod11

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import L10nNoKidCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestInvoiceKid(L10nNoKidCommon):
    def _expected(self, invoice, layout=None, invoice_number=None):
        layout = layout or invoice.partner_bank_id and self.bank_journal._l10n_no_kid_layout()
        customer = self.partner_no._l10n_no_get_customer_number(self.company)
        return layout.build(customer, invoice_number or self._digits(invoice.name))

    def test_01_kid_on_posting(self):
        """Posting a customer invoice paid into an account with an agreement makes the KID its reference."""
        invoice = self._invoice()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(len(invoice.payment_reference), 15)
        self.assertTrue(mod10.is_valid(invoice.payment_reference))
        self.assertEqual(invoice.payment_reference, self._expected(invoice))
        self.assertEqual(invoice._l10n_no_kid_layout(), self.bank_journal._l10n_no_kid_layout())
        self.assertTrue(invoice._l10n_no_kid_shown())
        # the receivable line carries it, as for Odoo's own references
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(receivable.name, invoice.payment_reference)

    def test_02_customer_part_is_stable(self):
        """Two invoices to the same customer share the customer part; the invoice part differs."""
        first, second = self._invoice(), self._invoice()
        self.assertEqual(first.payment_reference[:5], second.payment_reference[:5])
        self.assertNotEqual(first.payment_reference, second.payment_reference)
        number = self.partner_no._l10n_no_get_customer_number(self.company)
        self.assertEqual(int(first.payment_reference[:5]), number)

    def test_03_mod11_and_sequence_source(self):
        """MOD11 agreements and the sequence-number source are honoured."""
        self.bank_journal.write(
            {
                "l10n_no_kid_algorithm": "mod11",
                "l10n_no_kid_invoice_source": "sequence",
                "l10n_no_kid_length": 10,
                "l10n_no_kid_customer_digits": 4,
                "l10n_no_kid_invoice_digits": 5,
            }
        )
        invoice = self._invoice()
        self.assertTrue(mod11.is_valid(invoice.payment_reference))
        layout = KidLayout(10, "mod11", 4, 5)
        self.assertEqual(invoice.payment_reference, self._expected(invoice, layout, invoice.sequence_number))

    def test_04_prefix(self):
        """The fixed prefix starts every KID."""
        self.bank_journal.write({"l10n_no_kid_prefix": "9", "l10n_no_kid_customer_digits": 4})
        self.assertTrue(self._invoice().payment_reference.startswith("9"))

    def test_05_overflow_is_a_clear_error(self):
        """A layout that cannot hold the invoice number refuses to post; nothing is truncated."""
        self.bank_journal.write(
            {"l10n_no_kid_length": 6, "l10n_no_kid_customer_digits": 1, "l10n_no_kid_invoice_digits": 4}
        )
        invoice = self._invoice(post=False)
        # assertRaises (not assertRaisesRegex) runs in a savepoint, as a request's rollback would
        with self.assertRaises(UserError) as caught:
            invoice.action_post()
        self.assertIn("room for 4", str(caught.exception))
        invoice.invalidate_recordset()
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.payment_reference)

    def test_06_customer_overflow(self):
        """A customer number too long for its part is an error too."""
        self.bank_journal.write(
            {"l10n_no_kid_length": 11, "l10n_no_kid_customer_digits": 1, "l10n_no_kid_invoice_digits": 9}
        )
        self.env["l10n_no.customer.number"].create(
            {"partner_id": self.partner_no.id, "company_id": self.company.id, "number": 42}
        )
        with self.assertRaisesRegex(UserError, "customer number 42 has 2 digits"):
            self._invoice()

    def test_07_no_kid_on_credit_notes(self):
        """Credit notes get no KID, neither by reversal nor when created directly."""
        invoice = self._invoice()
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"journal_id": invoice.journal_id.id, "reason": "test"})
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        self.assertEqual(refund.move_type, "out_refund")
        self.assertNotEqual(refund.payment_reference, invoice.payment_reference)
        self.assertFalse(refund._l10n_no_kid_journal())
        self.assertFalse(refund._l10n_no_kid_shown())
        direct = self._invoice(move_type="out_refund")
        self.assertFalse(direct.payment_reference)

    def test_08_norway_reference_model_still_works_without_agreement(self):
        """Without an agreement on the invoice's bank account, l10n_no's 'Norway' reference is used."""
        self.sale_journal.invoice_reference_model = "no"
        other_account = self.env["res.partner.bank"].create(
            {"acc_number": "12345678903", "partner_id": self.company.partner_id.id}
        )
        invoice = self._invoice(bank_account=other_account)
        self.assertFalse(invoice._l10n_no_kid_journal())
        self.assertEqual(invoice.payment_reference, invoice._get_kid_number())
        self.assertTrue(invoice._l10n_no_kid_shown())

    def test_09_typed_reference_kept_unless_mandatory(self):
        """A typed reference is kept, unless the agreement makes KID mandatory."""
        kept = self._invoice(payment_reference="Ordre 77")
        self.assertEqual(kept.payment_reference, "Ordre 77")
        self.bank_journal.l10n_no_kid_mandatory = True
        replaced = self._invoice(payment_reference="Ordre 78")
        self.assertEqual(replaced.payment_reference, self._expected(replaced))

    def test_10_repost_after_partner_change_refreshes_kid(self):
        """Reset to draft, change customer, post again: the KID follows the new customer."""
        invoice = self._invoice()
        old = invoice.payment_reference
        invoice.button_draft()
        other = self._create_partner_no("Ny Kunde AS")
        invoice.partner_id = other
        invoice.partner_bank_id = self.bank_account
        invoice.action_post()
        self.assertNotEqual(invoice.payment_reference, old)
        customer = other._l10n_no_get_customer_number(self.company)
        self.assertEqual(int(invoice.payment_reference[:5]), customer)

    def test_11_default_recipient_bank_account(self):
        """With the agreement's account as the company's only bank account, invoices get it by default."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_no.id,
                "invoice_line_ids": [Command.create({"name": "x", "price_unit": 100.0, "quantity": 1})],
            }
        )
        if invoice.partner_bank_id != self.bank_account:
            self.skipTest("the company has another default bank account in this database")
        invoice.action_post()
        self.assertTrue(mod10.is_valid(invoice.payment_reference))

    def test_12_pdf_shows_kid(self):
        """The invoice PDF (rendered as HTML) labels the KID 'KID', next to the due date and the account."""
        invoice = self._invoice()
        html = self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0].decode()
        self.assertIn('name="l10n_no_kid"', html)
        self.assertIn("KID", html)
        self.assertIn(invoice.payment_reference, html)
        self.assertNotIn("Payment Communication", html)
