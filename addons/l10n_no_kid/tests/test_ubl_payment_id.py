from lxml import etree

from odoo.tests import tagged

from .common import L10nNoKidCommon

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


@tagged("post_install", "-at_install", "post_install_l10n")
class TestUblPaymentId(L10nNoKidCommon):
    def test_01_bis3_payment_id_is_the_kid(self):
        """Odoo's Peppol BIS 3 (EHF) export carries the KID as cbc:PaymentID."""
        self.company.write({"vat": "NO988077917MVA", "street": "Gate 1", "zip": "0150", "city": "Oslo"})
        self.partner_no.write({"vat": "NO974760673MVA", "street": "Vei 2", "zip": "5003", "city": "Bergen"})
        invoice = self._invoice()
        xml, _errors = self.env["account.edi.xml.ubl_bis3"]._export_invoice(invoice)
        tree = etree.fromstring(xml)
        payment_ids = tree.xpath("//cac:PaymentMeans/cbc:PaymentID/text()", namespaces=NS)
        self.assertEqual(payment_ids, [invoice.payment_reference])
        self.assertEqual(len(invoice.payment_reference), 15)
