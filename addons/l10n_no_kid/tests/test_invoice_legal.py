from nofaktura.kid import mod10

from odoo import Command
from odoo.tests import tagged

from .common import L10nNoKidCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestInvoiceLegalContent(L10nNoKidCommon):
    """What bokføringsforskriften § 5-1-1 asks of the seller on the invoice PDF, in the customer's
    language, and the recipient account that makes the KID appear without manual steps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"vat": "NO123456785MVA", "l10n_no_bronnoysund_number": "123456785"})

    def _html(self, invoice):
        return self.env["ir.actions.report"]._render_qweb_html("account.report_invoice", invoice.ids)[0].decode()

    def test_org_number_mva_and_foretaksregisteret_on_the_pdf(self):
        self.company.l10n_no_foretaksregisteret = True
        html = self._html(self._invoice())
        self.assertIn('name="l10n_no_seller_legal"', html)
        self.assertIn("Org. no.", html)
        self.assertIn("123 456 785 MVA Foretaksregisteret", html)

    def test_no_mva_without_vat_registration_and_no_foretaksregisteret_unless_registered(self):
        self.company.vat = False
        html = self._html(self._invoice())
        self.assertIn("123 456 785", html)
        self.assertNotIn("123 456 785 MVA", html)
        self.assertNotIn("Foretaksregisteret", html)

    def test_norwegian_customer_gets_norwegian_labels(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        self.env["ir.module.module"]._load_module_terms(["account", "l10n_no_kid"], ["nb_NO"])
        self.partner_no.lang = "nb_NO"
        self.company.l10n_no_foretaksregisteret = True
        html = self._html(self._invoice())
        for label in ("Fakturadato", "Forfallsdato", "Org.nr.", "123 456 785 MVA Foretaksregisteret", "KID"):
            self.assertIn(label, html)
        for label in ("Invoice Date", "Due Date", "Org. no."):
            self.assertNotIn(label, html)

    def test_default_recipient_account_is_the_one_with_the_kid_agreement(self):
        """Odoo proposes the company's first account; without an agreement on it no KID would appear."""
        plain = self.env["res.partner.bank"].create(
            {"acc_number": "15032080119", "partner_id": self.company.partner_id.id, "sequence": 1}
        )
        self.assertEqual(self.company.partner_id.bank_ids[:1], plain)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_no.id,
                "invoice_date": "2026-01-10",
                "invoice_line_ids": [Command.create({"name": "x", "price_unit": 100.0, "quantity": 1})],
            }
        )
        self.assertEqual(invoice.partner_bank_id, self.bank_account)
        invoice.action_post()
        self.assertTrue(mod10.is_valid(invoice.payment_reference))
        self.assertEqual(len(invoice.payment_reference), 15)
