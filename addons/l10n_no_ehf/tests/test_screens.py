from lxml import etree, html as lxml_html

from odoo.tests import tagged

from .common import L10nNoEhfCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestEhfScreens(L10nNoEhfCommon):
    """What a person sees of the EHF check and of a failed sending, on a desktop and on a phone."""

    def _break_company_vat(self):
        self.env.cr.execute("UPDATE res_partner SET vat = 'NO988077910MVA' WHERE id = %s", [self.company.partner_id.id])
        self.env.invalidate_all()

    def test_01_findings_in_words_with_a_link_and_the_xpath_folded_away(self):
        self._break_company_vat()
        move = self._invoice()
        move.l10n_no_ehf_check()
        html = lxml_html.fragment_fromstring(str(move.l10n_no_ehf_findings_html), create_parent="div")
        items = html.xpath("//li")
        self.assertTrue(items)
        item = next(li for li in items if "NO-R-001" in etree.tostring(li, encoding="unicode"))
        # the words come first, without the rule id in front of them
        text_before_details = "".join(item.xpath("./text()") + item.xpath("./span/text()"))
        self.assertNotIn("NO-R-001", text_before_details)
        self.assertNotIn("/Invoice", text_before_details)
        self.assertIn("Error", item.xpath("./span[contains(@class, 'badge')]/text()"))
        # the record to fix is a link to it
        link = item.xpath(".//a/@href")
        self.assertEqual(link, [f"/odoo/res.partner/{self.company.partner_id.id}"])
        # the rule id and the XML location only under "Technical details"
        details = item.xpath("./details")
        self.assertEqual(len(details), 1)
        folded = etree.tostring(details[0], encoding="unicode")
        self.assertIn("NO-R-001", folded)
        for node in item.xpath("./*[not(self::details)]"):
            self.assertNotIn("NO-R-001", etree.tostring(node, encoding="unicode"))
        # the plain text (send wizard, chatter) drops the rule id in front of the words too
        finding = move.l10n_no_ehf_findings[0]
        self.assertNotIn(f"[{finding['rule']}]", move._l10n_no_ehf_finding_text(finding))

    def test_02_failed_ehf_and_retry_in_the_form_for_phones(self):
        arch = etree.fromstring(self.env["account.move"].get_view(False, "form")["arch"])
        retry = arch.xpath("//button[@name='action_l10n_no_ehf_retry'][not(ancestor::header)]")
        self.assertEqual(len(retry), 1, "a Retry button outside the header (which folds into a menu on a phone)")
        self.assertTrue(retry[0].xpath("ancestor::div[@name='l10n_no_ehf_failed']"))
        # the EHF tab comes right after the invoice lines, not last behind the other tabs
        pages = [page.get("id") or page.get("name") for page in arch.xpath("//sheet/notebook/page")]
        self.assertEqual(pages[pages.index("invoice_tab") + 1], "l10n_no_ehf_tab")

    def test_03_received_bill_findings_send_nobody_to_our_company(self):
        """On a received bill the supplier party is the vendor: a finding there is the vendor's to correct,
        never a link to our own company's record."""
        bill = self._invoice(move_type="in_invoice", post=False, partner=self.partner_no)
        finding = {
            "rule": "BR-CO-09", "flag": "fatal", "message": "[BR-CO-09]-VAT identifier must have a country prefix.",
            "location": "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme", "message_nb": "",
        }
        described = bill._l10n_no_ehf_describe([finding])
        self.assertNotIn("res_id", described[0])
        self.assertEqual(bill._l10n_no_ehf_finding_text(finding), "VAT identifier must have a country prefix.")
