"""Icelandic national rules of Peppol BIS 3 (pattern "ICELAND" of ``PEPPOL-EN16931-UBL.sch``).

``$SupplierCountry`` / ``$CustomerCountry`` are the raw postal country codes, so the guards are XPath.
"""

from __future__ import annotations

from nofaktura.ehf.rules.engine import Flag, group, pattern
from nofaktura.ehf.rules.national_common import CUSTOMER_COUNTRY, SUPPLIER_COUNTRY, rule
from nofaktura.ehf.rules.peppol_functions import string_value, to_date

__all__ = ["PATTERNS"]

FATAL, WARNING = Flag.FATAL, Flag.WARNING
_IS = f"string({SUPPLIER_COUNTRY}) = 'IS'"
_ISIS = f"{_IS} and string({CUSTOMER_COUNTRY}) = 'IS'"


def _eindagi(node) -> list:
    return [
        reference
        for reference in node.iterfind("{*}AdditionalDocumentReference")
        if any(string_value(d) == "EINDAGI" for d in reference.iterfind("{*}DocumentDescription"))
    ]


def _is_r_008(node, doc) -> bool:
    references = _eindagi(node)
    if not references:
        return True
    first_id = references[0].find("{*}ID")
    text = string_value(first_id)
    return len(text) == 10 and to_date(text) is not None


def _is_r_010(node, doc) -> bool:
    # (cbc:DueDate) <= (...EINDAGI/cbc:ID): both untyped, so XPath 2.0 compares them as strings.
    references = _eindagi(node)
    if not references:
        return True
    due = [string_value(d) for d in node.iterfind("{*}DueDate")]
    days = [string_value(r.find("{*}ID")) for r in references if r.find("{*}ID") is not None]
    return any(d <= e for d in due for e in days)


def _account_rule(code: str) -> str:
    path = f"cac:PaymentMeans[cbc:PaymentMeansCode = '{code}']"
    return (
        f"boolean({path}/cac:PayeeFinancialAccount/cbc:ID)"
        f" and string-length(normalize-space({path}/cac:PayeeFinancialAccount/cbc:ID)) = 12"
        f" or not(boolean({path}))"
    )


PATTERNS = (
    pattern(
        "National rules: Iceland",
        [
            group(
                f"/ubl-creditnote:CreditNote[{_IS}] | /ubl-invoice:Invoice[{_IS}]",
                rule(
                    "IS-R-001", WARNING,
                    "(not(contains(normalize-space(cbc:InvoiceTypeCode),' '))"
                    " and contains(' 380 381 ', concat(' ', normalize-space(cbc:InvoiceTypeCode), ' ')))"
                    " or (not(contains(normalize-space(cbc:CreditNoteTypeCode),' '))"
                    " and contains(' 380 381 ', concat(' ', normalize-space(cbc:CreditNoteTypeCode), ' ')))",
                    "An Icelandic seller's document type should be 380 (invoice) or 381 (credit note).",
                    "En islandsk selgers dokumenttype bør være 380 (faktura) eller 381 (kreditnota).",
                    "BT-3",
                ),
                rule(
                    "IS-R-002", FATAL,
                    "boolean(cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID)"
                    " and cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID/@schemeID = '0196'",
                    "An Icelandic seller must give its kennitala as legal registration id (schemeID 0196).",
                    "En islandsk selger må oppgi kennitala som registreringsnummer (schemeID 0196).",
                    "BT-30",
                ),
                rule(
                    "IS-R-003", FATAL,
                    "boolean(cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:StreetName)"
                    " and boolean(cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:PostalZone)",
                    "An Icelandic seller must give street name and post code.",
                    "En islandsk selger må oppgi gatenavn og postnummer.",
                    "BT-35", "BT-38",
                ),
                rule(
                    "IS-R-006", FATAL, _account_rule("9"),
                    "With payment means 9 an Icelandic seller must give a 12-digit account.",
                    "Med betalingsmåte 9 må en islandsk selger oppgi en 12-sifret konto.",
                    "BT-84",
                ),
                rule(
                    "IS-R-007", FATAL, _account_rule("42"),
                    "With payment means 42 an Icelandic seller must give a 12-digit account.",
                    "Med betalingsmåte 42 må en islandsk selger oppgi en 12-sifret konto.",
                    "BT-84",
                ),
                rule(
                    "IS-R-008", FATAL, _is_r_008,
                    "The EINDAGI (final due date) reference must be a date written YYYY-MM-DD.",
                    "EINDAGI-referansen (endelig forfallsdato) må være en dato skrevet ÅÅÅÅ-MM-DD.",
                    "BT-122",
                ),
                rule(
                    "IS-R-009", FATAL,
                    "(boolean(cac:AdditionalDocumentReference[cbc:DocumentDescription = 'EINDAGI']) and"
                    " boolean(cbc:DueDate))"
                    " or not(boolean(cac:AdditionalDocumentReference[cbc:DocumentDescription = 'EINDAGI']))",
                    "With an EINDAGI reference the invoice must have a due date.",
                    "Med EINDAGI-referanse må fakturaen ha forfallsdato.",
                    "BT-9",
                ),
                rule(
                    "IS-R-010", FATAL, _is_r_010,
                    "The EINDAGI date must be the same as or later than the due date.",
                    "EINDAGI-datoen må være lik eller senere enn forfallsdatoen.",
                    "BT-9", "BT-122",
                ),
            ),
            group(
                f"/ubl-creditnote:CreditNote[{_ISIS}]/cac:AccountingCustomerParty"
                f" | /ubl-invoice:Invoice[{_ISIS}]/cac:AccountingCustomerParty",
                rule(
                    "IS-R-004", FATAL,
                    "boolean(cac:Party/cac:PartyLegalEntity/cbc:CompanyID)"
                    " and cac:Party/cac:PartyLegalEntity/cbc:CompanyID/@schemeID = '0196'",
                    "Between Icelandic parties the buyer's kennitala (schemeID 0196) is required.",
                    "Mellom islandske parter kreves kjøpers kennitala (schemeID 0196).",
                    "BT-47",
                ),
                rule(
                    "IS-R-005", FATAL,
                    "boolean(cac:Party/cac:PostalAddress/cbc:StreetName) and"
                    " boolean(cac:Party/cac:PostalAddress/cbc:PostalZone)",
                    "Between Icelandic parties the buyer's street name and post code are required.",
                    "Mellom islandske parter kreves kjøpers gatenavn og postnummer.",
                    "BT-50", "BT-53",
                ),
            ),
        ],
    ),
)
