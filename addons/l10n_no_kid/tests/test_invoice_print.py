"""The customer invoice PDF, rendered for real by wkhtmltopdf, passes the print check.

A letter sent by post (Digipost's print service, a print house, or printed in-house into a window
envelope) must be A4, keep the print service's barcode zone free, embed its fonts and show the
customer's address in the envelope window: ``nofaktura.printcheck`` checks all that on the bytes.
"""

import logging

from odoo.tests import tagged

from nofaktura.printcheck import check_print_ready

from .common import L10nNoKidCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestInvoicePrint(L10nNoKidCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_no.write({"street": "Storgata 1", "zip": "0155", "city": "Oslo"})
        cls.company.partner_id.write({"street": "Strandgaten 12", "zip": "5013", "city": "Bergen"})

    def _render(self, invoice):
        report = self.env["ir.actions.report"]
        if report.get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: the invoice PDF cannot be rendered (apt-get install wkhtmltopdf)")
        with self.allow_pdf_render():  # wkhtmltopdf fetches the report's CSS from this test's server
            pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "account.account_invoices", res_ids=invoice.ids
            )
        self.assertEqual(kind, "pdf")
        return pdf

    def test_invoice_pdf_is_print_ready(self):
        invoice = self._invoice()
        pdf = self._render(invoice)
        findings = check_print_ready(pdf, recipient=["Kunde AS", "Storgata 1", "0155 Oslo"])
        for finding in findings:
            _logger.info("print check of %s: %s", invoice.name, finding)
        self.assertEqual([str(f) for f in findings], [])
