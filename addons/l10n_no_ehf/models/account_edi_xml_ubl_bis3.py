from nofaktura import kid as nkid

from odoo import models


class AccountEdiXmlUblBis3(models.AbstractModel):
    """Norwegian corrections to Odoo's Peppol BIS Billing 3.0 (= EHF 3) export.

    Each override fixes what the official rules or the Norwegian example ask and Odoo does differently;
    the tests in ``tests/test_ubl_export.py`` show each one against the validation.
    """

    _inherit = "account.edi.xml.ubl_bis3"

    def _l10n_no_ehf_orgnr(self, partner):
        """The organisation number of a Norwegian partner, or None."""
        participant = partner.commercial_partner_id._l10n_no_ehf_participant()
        return participant.value if participant and participant.icd == "0192" else None

    def _l10n_no_ehf_in_foretaksregisteret(self, vals):
        invoice = vals.get("invoice")
        company = invoice.company_id if invoice else self.env.company
        return company.l10n_no_ehf_foretaksregisteret

    def _get_party_node(self, vals):
        # EXTENDS account_edi_ubl_cii
        party_node = super()._get_party_node(vals)
        partner = vals["partner"].commercial_partner_id
        if partner.country_code != "NO":
            return party_node
        orgnr = self._l10n_no_ehf_orgnr(partner)
        if orgnr and party_node.get("cac:PartyLegalEntity"):
            # BT-30 / BT-47: the legal registration is the org number with scheme 0192 (as in the
            # Norwegian example file), not the VAT number Odoo puts there (NOxxxxxxxxxMVA is BT-31).
            party_node["cac:PartyLegalEntity"]["cbc:CompanyID"] = {"_text": orgnr, "schemeID": "0192"}
        schemes = party_node.get("cac:PartyTaxScheme") or []
        if isinstance(schemes, dict):
            schemes = [schemes]
        # Odoo writes a PartyTaxScheme even without a VAT number, using the Peppol endpoint and its
        # EAS as tax scheme (e.g. "0192"). For a seller that is a second BT-32 beside
        # "Foretaksregisteret" and breaks UBL-SR-13 (fatal); for a buyer it states a tax scheme that
        # does not exist. Only VAT and, for the seller, Foretaksregisteret stay.
        kept_schemes = ("VAT", "TAX")
        if vals.get("role") == "supplier" and not self._l10n_no_ehf_in_foretaksregisteret(vals):
            # Only companies registered in Foretaksregisteret may say so (NO-R-002 then warns, rightly).
            kept_schemes = ("VAT",)
        kept = [
            scheme for scheme in schemes
            if ((scheme.get("cac:TaxScheme") or {}).get("cbc:ID") or {}).get("_text") in kept_schemes
        ]
        party_node["cac:PartyTaxScheme"] = kept or None
        return party_node

    def _add_invoice_payment_means_nodes(self, document_node, vals):
        # EXTENDS account_edi_ubl_cii
        super()._add_invoice_payment_means_nodes(document_node, vals)
        invoice = vals["invoice"]
        means = document_node.get("cac:PaymentMeans")
        if not means or invoice.company_id.partner_id.commercial_partner_id.country_code != "NO":
            return
        # BT-84: the account number as the payer's bank reads it, compact ("8601.11.17947" or an
        # IBAN typed in groups is sent as digits/letters only); Odoo removes only spaces.
        account_node = means.get("cac:PayeeFinancialAccount")
        if account_node and invoice.partner_bank_id:
            compact = invoice.partner_bank_id.sanitized_acc_number or "".join(
                ch for ch in invoice.partner_bank_id.acc_number or "" if ch.isalnum()
            ).upper()
            account_node["cbc:ID"] = {"_text": compact}
        # BT-83: Norwegian payers' banks read cbc:PaymentID as a KID. Odoo falls back to the invoice
        # number when there is no payment reference; a number that is not a valid KID makes the
        # payment fail at the bank, so only a valid KID is written (the invoice number is BT-1 anyway).
        reference = (invoice.payment_reference or "").replace(" ", "")
        if reference and nkid.is_valid(reference):
            means["cbc:PaymentID"] = {"_text": reference}
        else:
            means["cbc:PaymentID"] = None

    def _add_invoice_header_nodes(self, document_node, vals):
        # EXTENDS account_edi_ubl_cii
        super()._add_invoice_header_nodes(document_node, vals)
        invoice = vals["invoice"]
        credited = invoice.reversed_entry_id
        if invoice.move_type != "out_refund" or not credited or document_node.get("cac:BillingReference"):
            return
        # BT-25/BT-26: a Norwegian credit note names the invoice it credits (the receiver matches
        # it to that invoice); Odoo writes it only for Dutch sellers.
        document_node["cac:BillingReference"] = {
            "cac:InvoiceDocumentReference": {
                "cbc:ID": {"_text": credited.name},
                "cbc:IssueDate": {"_text": credited.invoice_date},
            }
        }
