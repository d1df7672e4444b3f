"""Map EHF findings (rule, XPath location, business terms) to the Odoo record and field to fix.

The rule engine says *where in the XML* a rule failed (``/Invoice/cac:AccountingCustomerParty/...``)
and which business terms it is about (``[BT-48]``). A person fixes records, not XML: this table turns the
location into "Customer Acme AS, field VAT". It is a mapping between Odoo and the document, so it lives
in the addon; the rules themselves are in the library.
"""

import re

# (fragment of the location, or a business term, record, field). First match wins: specific first.
LOCATION_HINTS = (
    ("AccountingSupplierParty/cac:Party/cac:PartyTaxScheme", "company", "vat"),
    ("AccountingSupplierParty/cac:Party/cac:PartyLegalEntity", "company", "l10n_no_bronnoysund_number"),
    ("AccountingSupplierParty/cac:Party/cbc:EndpointID", "company", "peppol_endpoint"),
    ("AccountingSupplierParty/cac:Party/cac:PostalAddress", "company", "street"),
    ("AccountingSupplierParty/cac:Party/cac:Contact", "company", "email"),
    ("AccountingSupplierParty", "company", None),
    ("AccountingCustomerParty/cac:Party/cac:PartyTaxScheme", "customer", "vat"),
    ("AccountingCustomerParty/cac:Party/cac:PartyLegalEntity", "customer", "l10n_no_bronnoysund_number"),
    ("AccountingCustomerParty/cac:Party/cbc:EndpointID", "customer", "peppol_endpoint"),
    ("AccountingCustomerParty/cac:Party/cac:PostalAddress", "customer", "street"),
    ("AccountingCustomerParty", "customer", None),
    ("PaymentMeans/cac:PayeeFinancialAccount", "move", "partner_bank_id"),
    ("PaymentMeans/cbc:PaymentID", "move", "payment_reference"),
    ("PaymentMeans", "move", "partner_bank_id"),
    ("PaymentTerms", "move", "invoice_payment_term_id"),
    ("cbc:BuyerReference", "move", "ref"),
    ("cac:OrderReference", "move", "ref"),
    ("cac:Delivery", "move", "partner_shipping_id"),
    ("cbc:DueDate", "move", "invoice_date_due"),
    ("cbc:IssueDate", "move", "invoice_date"),
    ("cbc:Note", "move", "narration"),
    ("cac:TaxTotal", "move", "invoice_line_ids"),
    ("cac:LegalMonetaryTotal", "move", "invoice_line_ids"),
    ("cac:AllowanceCharge", "move", "invoice_line_ids"),
)

TERM_HINTS = {
    "BT-10": ("move", "ref"),
    "BT-13": ("move", "ref"),
    "BT-9": ("move", "invoice_date_due"),
    "BT-20": ("move", "invoice_payment_term_id"),
    "BT-27": ("company", "name"),
    "BT-30": ("company", "l10n_no_bronnoysund_number"),
    "BT-31": ("company", "vat"),
    "BT-34": ("company", "peppol_endpoint"),
    "BT-44": ("customer", "name"),
    "BT-47": ("customer", "l10n_no_bronnoysund_number"),
    "BT-48": ("customer", "vat"),
    "BT-49": ("customer", "peppol_endpoint"),
    "BT-83": ("move", "payment_reference"),
    "BT-84": ("move", "partner_bank_id"),
}

_LINE = re.compile(r"cac:(?:Invoice|CreditNote)Line(?:\[(\d+)\])?")
_TERMS = re.compile(r"\b(B[TG]-\d+)\b")


def hint_for(location, message):
    """``(record kind, field name or None, line index or None)`` for a finding; kind is one of
    ``company``, ``customer``, ``move``, ``line``, or None when nothing fits."""
    location = location or ""
    line = _LINE.search(location)
    if line:
        return "line", None, int(line.group(1) or 1)
    by_term = [TERM_HINTS[t] for t in _TERMS.findall(message or "") if t in TERM_HINTS]
    for fragment, kind, field in LOCATION_HINTS:
        if fragment in location:
            if field is None:
                # The rule's context is the whole party: the business term names the field.
                field = next((f for k, f in by_term if k == kind), None)
            return kind, field, None
    if by_term:
        kind, field = by_term[0]
        return kind, field, None
    return None, None, None
