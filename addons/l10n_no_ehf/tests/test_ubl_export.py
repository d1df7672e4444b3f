from lxml import etree

from odoo.tests import tagged

from .common import BUYER_ORGNR, SELLER_ORGNR, L10nNoEhfCommon

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


@tagged("post_install", "-at_install", "post_install_l10n")
class TestUblExport(L10nNoEhfCommon):
    def _xml(self, move):
        xml, errors = move._l10n_no_ehf_export_xml()
        self.assertFalse(errors)
        return xml, etree.fromstring(xml)

    def test_odoo_ehf_for_a_norwegian_customer_has_no_fatal_finding(self):
        """The 'done when' of the issue: Odoo's EHF for a Norwegian customer passes our validation."""
        move = self._invoice()
        result = move.l10n_no_ehf_check()[0]
        fatal = [f for f in result["findings"] if f["flag"] == "fatal"]
        self.assertEqual(fatal, [], "\n".join(f"{f['rule']} {f['location']}: {f['message']}" for f in fatal))
        self.assertTrue(result["valid"])
        self.assertEqual(move.l10n_no_ehf_check_state, "ok" if not result["findings"] else "warning")

    def test_credit_note_has_no_fatal_finding(self):
        invoice = self._invoice()
        refund = self._invoice(move_type="out_refund", reversed_entry_id=invoice.id)
        result = refund.l10n_no_ehf_check()[0]
        self.assertTrue(result["valid"], result["findings"])

    def test_legal_entity_is_the_org_number_with_scheme_0192(self):
        _xml, tree = self._xml(self._invoice())
        seller = tree.find("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
        buyer = tree.find("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
        self.assertEqual((seller.text, seller.get("schemeID")), (SELLER_ORGNR, "0192"))
        self.assertEqual((buyer.text, buyer.get("schemeID")), (BUYER_ORGNR, "0192"))
        schemes = tree.xpath("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID/text()", namespaces=NS)
        self.assertEqual(schemes, [f"NO{SELLER_ORGNR}MVA", "Foretaksregisteret"])

    def test_payment_id_is_the_kid_and_the_account_is_in_payment_means(self):
        move = self._invoice(post=False)
        move.payment_reference = "1234567897"  # MOD10 KID
        move.action_post()
        move.payment_reference = "1234567897"
        _xml, tree = self._xml(move)
        self.assertEqual(tree.findtext("cac:PaymentMeans/cbc:PaymentID", namespaces=NS), "1234567897")
        self.assertEqual(tree.findtext("cac:PaymentMeans/cbc:PaymentMeansCode", namespaces=NS), "30")
        self.assertEqual(tree.findtext("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", namespaces=NS), "86011117947")

    def test_payment_id_that_is_not_a_kid_is_left_out(self):
        move = self._invoice()
        move.payment_reference = "INV/2026/0001"
        _xml, tree = self._xml(move)
        self.assertIsNone(tree.find("cac:PaymentMeans/cbc:PaymentID", NS))

    def test_customer_without_vat_gets_no_odd_tax_scheme(self):
        partner = self.partner_no.copy({"vat": False, "name": "Forening uten MVA"})
        _xml, tree = self._xml(self._invoice(partner=partner))
        self.assertFalse(tree.findall("cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme", NS))
        result = self._invoice(partner=partner).l10n_no_ehf_check()[0]
        self.assertTrue(result["valid"], result["findings"])

    def test_seller_without_vat_states_one_tax_registration(self):
        """UBL-SR-13: Odoo writes a second non-VAT tax scheme (the Peppol endpoint with scheme 0192)
        beside 'Foretaksregisteret' for a seller without VAT number; only one BT-32 is allowed."""
        self.company.vat = False
        move = self._invoice()
        xml, _odoo_errors = move._l10n_no_ehf_export_xml()
        tree = etree.fromstring(xml)
        schemes = tree.xpath(
            "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID/text()", namespaces=NS
        )
        self.assertEqual(schemes, ["Foretaksregisteret"])
        rules = {f["rule"] for f in move.l10n_no_ehf_check()[0]["findings"]}
        self.assertNotIn("UBL-SR-13", rules)

    def test_payee_account_is_sent_compact(self):
        """BT-84 as the payer's bank reads it: typed with dots and spaces, sent as digits only."""
        typed = self.env["res.partner.bank"].create({
            "acc_number": "1503.12 34561", "partner_id": self.company.partner_id.id, "allow_out_payment": True,
        })
        _xml, tree = self._xml(self._invoice(partner_bank_id=typed.id))
        account = tree.find("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", NS)
        self.assertEqual(account.text, "15031234561")

    def test_credit_note_references_the_invoice_it_credits(self):
        """BT-25/BT-26: the credit note names the credited invoice and its date."""
        invoice = self._invoice()
        refund = self._invoice(move_type="out_refund", reversed_entry_id=invoice.id)
        _xml, tree = self._xml(refund)
        reference = tree.find("cac:BillingReference/cac:InvoiceDocumentReference", NS)
        self.assertIsNotNone(reference)
        self.assertEqual(reference.findtext("cbc:ID", namespaces=NS), invoice.name)
        self.assertEqual(reference.findtext("cbc:IssueDate", namespaces=NS), "2026-03-01")
