"""Dutch national rules of Peppol BIS 3 (pattern "NETHERLANDS" of ``PEPPOL-EN16931-UBL.sch``).

``$supplierCountryIsNL`` and friends compare upper-cased postal country codes; XPath 1.0 states
that exactly with ``translate`` (:func:`.national_common.upper`). They are document-level guards of
the asserts, evaluated once per document (no two groups select the same node, so the verdicts are
the schematron's).
"""

from __future__ import annotations

from nofaktura.ehf.rules.engine import Flag, group, pattern
from nofaktura.ehf.rules.national_common import CUSTOMER_COUNTRY, SUPPLIER_COUNTRY, document_flag, guard, rule, upper
from nofaktura.ehf.rules.peppol_functions import is_credit_note, is_invoice, to_decimal

__all__ = ["PATTERNS"]

FATAL = Flag.FATAL
_SUPPLIER_NL = f"{upper(f'normalize-space({SUPPLIER_COUNTRY})')} = 'NL'"
_CUSTOMER_NL = f"{upper(f'normalize-space({CUSTOMER_COUNTRY})')} = 'NL'"
_TAXREP_NL = (
    f"{upper('normalize-space(/*/cac:TaxRepresentativeParty/cac:PostalAddress/cac:Country/cbc:IdentificationCode)')}"
    " = 'NL'"
)
_nl = document_flag("NL: Dutch supplier", _SUPPLIER_NL)
_nlnl = document_flag("NL: Dutch supplier and customer", f"{_SUPPLIER_NL} and {_CUSTOMER_NL}")
_nl_taxrep = document_flag("NL: Dutch supplier and tax representative", f"{_SUPPLIER_NL} and {_TAXREP_NL}")
_KVK_OR_OIN = (
    "(contains(concat(' ', @schemeID, ' '), ' 0106 ') or contains(concat(' ', @schemeID, ' '), ' 0190 '))"
    " and (normalize-space(.) != '')"
)
_ADDRESS = "cbc:StreetName and cbc:CityName and cbc:PostalZone"


def _nl_r_007(node, doc) -> bool:
    payable = to_decimal(node.find("{*}PayableAmount"))
    if doc.root.find(".//{*}PaymentMeans") is not None:
        return True
    if payable is None:
        return False
    return (is_invoice(doc) and payable <= 0) or (is_credit_note(doc) and payable >= 0)


PATTERNS = (
    pattern(
        "National rules: the Netherlands",
        [
            group(
                "//cbc:CreditNoteTypeCode",
                rule(
                    "NL-R-001", FATAL, guard(_nl, "/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
                    "A Dutch seller's credit note must refer to the invoice it credits.",
                    "En nederlandsk selgers kreditnota må vise til fakturaen den krediterer.",
                    "BT-25",
                ),
            ),
            group(
                "//cac:AccountingSupplierParty/cac:Party/cac:PostalAddress",
                rule(
                    "NL-R-002", FATAL, guard(_nl, _ADDRESS),
                    "A Dutch seller's address must have street, city and post code.",
                    "En nederlandsk selgers adresse må ha gate, poststed og postnummer.",
                    "BT-35", "BT-37", "BT-38",
                ),
            ),
            group(
                "//cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
                rule(
                    "NL-R-003", FATAL, guard(_nl, _KVK_OR_OIN),
                    "A Dutch seller's legal registration id must be a KVK or OIN number (schemeID 0106 or 0190).",
                    "En nederlandsk selgers registreringsnummer må være et KVK- eller OIN-nummer (schemeID 0106 eller"
                    " 0190).",
                    "BT-30",
                ),
            ),
            group(
                "//cac:AccountingCustomerParty/cac:Party/cac:PostalAddress",
                rule(
                    "NL-R-004", FATAL, guard(_nlnl, _ADDRESS),
                    "Between Dutch parties the buyer's address must have street, city and post code.",
                    "Mellom nederlandske parter må kjøpers adresse ha gate, poststed og postnummer.",
                    "BT-50", "BT-52", "BT-53",
                ),
            ),
            group(
                "//cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
                rule(
                    "NL-R-005", FATAL, guard(_nlnl, _KVK_OR_OIN),
                    "Between Dutch parties the buyer's legal registration id must be a KVK or OIN number.",
                    "Mellom nederlandske parter må kjøpers registreringsnummer være et KVK- eller OIN-nummer.",
                    "BT-47",
                ),
            ),
            group(
                "//cac:TaxRepresentativeParty/cac:PostalAddress",
                rule(
                    "NL-R-006", FATAL, guard(_nl_taxrep, _ADDRESS),
                    "A Dutch tax representative's address must have street, city and post code.",
                    "En nederlandsk avgiftsrepresentants adresse må ha gate, poststed og postnummer.",
                    "BT-64", "BT-66", "BT-67",
                ),
            ),
            group(
                "//cac:LegalMonetaryTotal",
                rule(
                    "NL-R-007", FATAL, guard(_nl, _nl_r_007),
                    "A Dutch seller must give payment instructions when the buyer has to pay.",
                    "En nederlandsk selger må gi betalingsinstruksjoner når kjøperen skal betale.",
                    "BG-16",
                ),
            ),
            group(
                "//cac:PaymentMeans",
                rule(
                    "NL-R-008", FATAL,
                    guard(_nlnl, " or ".join(
                        f"normalize-space(cbc:PaymentMeansCode) = '{c}'" for c in ("30", "48", "49", "57", "58", "59")
                    )),
                    "Between Dutch parties the payment means code must be 30, 48, 49, 57, 58 or 59.",
                    "Mellom nederlandske parter må betalingsmåtekoden være 30, 48, 49, 57, 58 eller 59.",
                    "BT-81",
                ),
            ),
            group(
                "//cac:OrderLineReference/cbc:LineID",
                rule(
                    "NL-R-009", FATAL, guard(_nl, "/*/cac:OrderReference/cbc:ID"),
                    "A Dutch seller who refers to an order line must give the order reference on the document.",
                    "En nederlandsk selger som viser til en ordrelinje må oppgi ordrereferansen på dokumentet.",
                    "BT-13", "BT-132",
                ),
            ),
        ],
    ),
)
