"""XML namespaces of UBL 2.1 and the prefixes every XPath in the library uses."""

from __future__ import annotations

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
APPLICATION_RESPONSE = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
SBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
#: XPath extension functions of the library (registered with ``lxml.etree.FunctionNamespace``, e.g.
#: by ``nofaktura.ehf.rules.structure``); bound to the prefix ``nf`` in :data:`NSMAP`.
XPATH_FUNCTIONS = "urn:nofaktura:xpath-functions"

#: Prefixes for XPath. ``ubl``/``cn`` follow the CEN schematron, ``ubl-invoice``/``ubl-creditnote``
#: the Peppol one, so expressions can be copied from either with their prefixes intact.
NSMAP: dict[str, str] = {
    "ubl": INVOICE,
    "ubl-invoice": INVOICE,
    "inv": INVOICE,
    "cn": CREDIT_NOTE,
    "ubl-creditnote": CREDIT_NOTE,
    "cac": CAC,
    "cbc": CBC,
    "ext": EXT,
    "ar": APPLICATION_RESPONSE,  # the Peppol Invoice Response (T111) rules: /ar:ApplicationResponse
    "sbdh": SBDH,
    "nf": XPATH_FUNCTIONS,
}

#: Prefixes used when a location is written for a person (``/Invoice/cac:InvoiceLine[2]``).
PREFIX_OF: dict[str, str] = {CAC: "cac", CBC: "cbc", EXT: "ext", INVOICE: "", CREDIT_NOTE: ""}

ROOTS = {f"{{{INVOICE}}}Invoice": "Invoice", f"{{{CREDIT_NOTE}}}CreditNote": "CreditNote"}
