from lxml import etree

from odoo.tests import tagged

from .common import L10nNoKidCommon


@tagged("post_install", "-at_install")
class TestInvoiceScreens(L10nNoKidCommon):
    """A person reading a customer invoice sees the KID called "KID", with the account it is paid into."""

    def _form(self):
        return etree.fromstring(self.env["account.move"].get_view(False, "form")["arch"])

    def test_01_kid_flag(self):
        invoice = self._invoice()
        self.assertRegex(invoice.payment_reference, r"^\d{15}$")
        self.assertTrue(invoice.l10n_no_kid_is_kid)
        # a reference typed by hand is not a KID, nor is a bill's reference
        self.assertFalse(self._invoice(post=False, payment_reference="Order 42").l10n_no_kid_is_kid)
        bill = self._invoice(move_type="in_invoice", post=False, payment_reference="000010202600017")
        self.assertFalse(bill.l10n_no_kid_is_kid)

    def test_02_form_labels_the_kid_next_to_the_due_date(self):
        arch = self._form()
        kid = arch.xpath("//field[@name='l10n_no_kid_reference']")
        self.assertEqual(len(kid), 1)
        self.assertEqual(kid[0].get("invisible"), "not l10n_no_kid_is_kid")
        self.assertEqual(self.env["account.move"]._fields["l10n_no_kid_reference"].string, "KID")
        invoice = self._invoice()
        self.assertEqual(invoice.l10n_no_kid_reference, invoice.payment_reference)
        account = arch.xpath("//field[@name='partner_bank_id'][@string='KID account']")
        self.assertEqual(len(account), 1)
        # in the header group, before the tabs: seen without opening "Other info"
        self.assertFalse(kid[0].xpath("ancestor::notebook"))
        self.assertFalse(account[0].xpath("ancestor::notebook"))

    def test_02b_other_info_keeps_odoos_label(self):
        """No payment_reference node of the form carries its own label: the web client gives a
        ``<label for="payment_reference">`` (account_payment_order adds one in "Other info") the label of the
        last payment_reference node before it, and a node labelled "KID" in the header made "Other info" read
        "KID" instead of "Payment Reference"."""
        arch = self._form()
        self.assertTrue(arch.xpath("//field[@name='payment_reference']"))
        relabelled = [node.get("string") for node in arch.xpath("//field[@name='payment_reference'][@string]")]
        self.assertEqual(relabelled, [])
        self.assertEqual(self.env["account.move"]._fields["payment_reference"].string, "Payment Reference")

    def test_03_document_layout_preview_renders(self):
        """Odoo opens the document layout wizard on the first Send or Print of a company without a layout;
        its preview renders the address block with the wizard as ``company`` (no country_code there)."""
        self.company.country_id = self.env.ref("base.no")
        wizard = self.env["base.document.layout"].with_company(self.company).create({
            "company_id": self.company.id,
            "report_layout_id": self.env.ref("web.report_layout_standard").id,
        })
        self.assertTrue(wizard.preview)  # raised AttributeError (country_code) before
