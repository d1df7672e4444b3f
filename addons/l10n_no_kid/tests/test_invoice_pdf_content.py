"""The invoice PDF, rendered by wkhtmltopdf and read back as text, carries what bokføringsforskriften
§ 5-1-1 asks for — in the page body, since Debian's wkhtmltopdf (no patched Qt) renders no report header or
footer, where Odoo's layout puts the company's name, address and logo.

Checked in Norwegian and in English: seller's name, address, organisation number with "MVA" and
"Foretaksregisteret", bank account, KID, invoice number, invoice date and due date, and the logo.
"""

import base64
import io

from PIL import Image

from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import L10nNoKidCommon, english_left, english_phrases, load_norwegian, pdf_text


@tagged("post_install", "-at_install", "post_install_l10n")
class TestInvoicePdfContent(L10nNoKidCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logo = io.BytesIO()
        Image.new("RGB", (120, 40), (200, 30, 30)).save(logo, "PNG")
        cls.company.write({
            "name": "Selger Fjordvik AS",
            "vat": "NO123456785MVA",
            "l10n_no_bronnoysund_number": "123456785",
            "l10n_no_foretaksregisteret": True,
            "street": "Strandgaten 12",
            "zip": "5013",
            "city": "Bergen",
            "phone": "+47 55 12 34 56",
            "email": "faktura@fjordvik.example",
            "logo": base64.b64encode(logo.getvalue()),
        })
        cls.partner_no.write({"street": "Storgata 1", "zip": "0155", "city": "Oslo"})
        load_norwegian(cls.env, ["base", "account", "l10n_no_kid"])

    def _render_text(self, invoice):
        report = self.env["ir.actions.report"]
        if report.get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: the invoice PDF cannot be rendered (apt-get install wkhtmltopdf)")
        with self.allow_pdf_render():  # wkhtmltopdf fetches the report's CSS from this test's server
            pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "account.account_invoices", res_ids=invoice.ids
            )
        self.assertEqual(kind, "pdf")
        from pypdf import PdfReader  # noqa: PLC0415 - in Odoo's venv

        self.assertTrue(any(page.images for page in PdfReader(io.BytesIO(pdf)).pages), "the logo is not on the PDF")
        return pdf_text(pdf)

    def _assert_mandatory(self, invoice, text, lang, labels):
        flat = " ".join(text.split())
        env = self.env(context=dict(self.env.context, lang=lang))
        for expected in (
            "Selger Fjordvik AS",
            "Strandgaten 12",
            "5013 Bergen",
            "123 456 785 MVA Foretaksregisteret",
            invoice.name,
            invoice.payment_reference,
            format_date(env, invoice.invoice_date),
            format_date(env, invoice.invoice_date_due),
            *labels,
        ):
            self.assertIn(expected, flat, f"{expected!r} is not on the {lang} invoice PDF:\n{flat}")
        self.assertIn(self._digits(self.bank_account.acc_number), self._digits(flat))

    def test_norwegian_invoice_pdf_has_the_mandatory_content(self):
        self.partner_no.lang = "nb_NO"
        invoice = self._invoice()
        text = self._render_text(invoice)
        self._assert_mandatory(invoice, text, "nb_NO", ["Org.nr.", "KID", "Forfallsdato", "Kontonummer"])
        self.assertEqual(english_left(text, english_phrases(["l10n_no_kid"])), [])

    def test_english_invoice_pdf_has_the_mandatory_content(self):
        self.partner_no.lang = "en_US"
        invoice = self._invoice()
        text = self._render_text(invoice)
        self._assert_mandatory(invoice, text, "en_US", ["Org. no.", "KID", "Due Date", "Account number"])
