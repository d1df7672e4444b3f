"""Swedish national rules of Peppol BIS 3 (pattern "SWEDEN" of ``PEPPOL-EN16931-UBL.sch``).

All guards are XPath 1.0 (the schematron's ``.../substring(cbc:CompanyID, 1, 2)`` step became a
predicate). The document-level ones ("the seller is Swedish", written in the schematron as
``//cac:AccountingSupplierParty...`` inside a predicate) are evaluated once per document and guard
the asserts; that is exact here because no two groups of the pattern select the same node except
the two PaymentMeans groups, whose guards both require a Swedish seller.
"""

from __future__ import annotations

import math

from nofaktura.ehf.rules.engine import Flag, group, pattern
from nofaktura.ehf.rules.national_common import document_flag, guard, rule, upper
from nofaktura.ehf.rules.peppol_functions import check_se_orgnr, norm, string_value, xpath_number

__all__ = ["PATTERNS"]

FATAL, WARNING = Flag.FATAL, Flag.WARNING

_SE_ADDRESS = "cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE'"
_SE_VAT = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT'][substring(cbc:CompanyID, 1, 2) = 'SE']"
_SE_SUPPLIER = f"//cac:AccountingSupplierParty/cac:Party[{_SE_ADDRESS}]"
_SE_CUSTOMER = f"//cac:AccountingCustomerParty/cac:Party[{_SE_ADDRESS}]"
_SE_VAT_SUPPLIER = f"//cac:AccountingSupplierParty/cac:Party[{_SE_ADDRESS} and {_SE_VAT}]"


_se_supplier = document_flag("SE: Swedish supplier", _SE_SUPPLIER)
_se_customer = document_flag("SE: Swedish customer", _SE_CUSTOMER)
_se_vat_supplier = document_flag("SE: Swedish VAT-registered supplier", _SE_VAT_SUPPLIER)


def _both_se(doc) -> bool:
    return _se_supplier(doc) and _se_customer(doc)


def _numeric(value: str) -> bool:
    """``string(number(value)) != 'NaN'``."""
    return not math.isnan(xpath_number(value))


def _vat_id(node) -> str:
    for scheme in node.iterfind("{*}PartyTaxScheme"):
        if any(string_value(tid) == "VAT" for tid in scheme.iterfind("{*}TaxScheme/{*}ID")):
            return string_value(scheme.find("{*}CompanyID"))
    return ""


def _payment_account(branch: str) -> str:
    # The schematron's "Swedish supplier" part of the predicate is the rules' guard (_se_supplier).
    return (
        f"//cac:PaymentMeans[normalize-space(cbc:PaymentMeansCode) = '30'"
        f" and normalize-space(cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID) = '{branch}']"
        "/cac:PayeeFinancialAccount/cbc:ID"
    )


PATTERNS = (
    pattern(
        "National rules: Sweden",
        [
            group(
                _SE_VAT_SUPPLIER,
                rule(
                    "SE-R-001", FATAL,
                    "string-length(normalize-space(cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID))"
                    " = 14",
                    "A Swedish VAT number must have 14 characters (SE + 12 digits).",
                    "Et svensk MVA-nummer må ha 14 tegn (SE + 12 sifre).",
                    "BT-31",
                ),
                rule(
                    "SE-R-002", FATAL, lambda node, doc: _numeric(_vat_id(node)[2:14]),
                    "The 12 characters after SE in a Swedish VAT number must be digits.",
                    "De 12 tegnene etter SE i et svensk MVA-nummer må være sifre.",
                    "BT-31",
                ),
            ),
            group(
                "//cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity"
                f"[../{_SE_ADDRESS} and cbc:CompanyID]",
                rule(
                    "SE-R-003", FATAL, lambda node, doc: _numeric(string_value(node.find("{*}CompanyID"))),
                    "A Swedish organisation number must be numeric.",
                    "Et svensk organisasjonsnummer må være numerisk.",
                    "BT-30",
                ),
                rule(
                    "SE-R-004", FATAL, "string-length(normalize-space(cbc:CompanyID)) = 10",
                    "A Swedish organisation number must have 10 digits.",
                    "Et svensk organisasjonsnummer må ha 10 sifre.",
                    "BT-30",
                ),
                rule(
                    "SE-R-013", FATAL, lambda node, doc: check_se_orgnr(norm(node.find("{*}CompanyID"))),
                    "The last digit of a Swedish organisation number must be a valid Luhn check digit.",
                    "Siste siffer i et svensk organisasjonsnummer må være et gyldig Luhn-kontrollsiffer.",
                    "BT-30",
                ),
            ),
            group(
                f"//cac:AccountingSupplierParty/cac:Party[{_SE_ADDRESS} and cac:PartyLegalEntity/cbc:CompanyID]"
                f"/cac:PartyTaxScheme[normalize-space({upper('cac:TaxScheme/cbc:ID')}) != 'VAT']/cbc:CompanyID",
                rule(
                    "SE-R-005", FATAL, lambda node, doc: norm(string_value(node).upper()) == "GODKÄND FÖR F-SKATT",
                    "A Swedish seller's tax registration must read 'Godkänd för F-skatt'.",
                    "En svensk selgers skatteregistrering må lyde 'Godkänd för F-skatt'.",
                    "BT-32",
                ),
            ),
            group(
                # [cbc:ID = 'S'] of the schematron context is part of the guard (no other group here
                # selects tax categories).
                "//cac:TaxCategory | //cac:ClassifiedTaxCategory",
                rule(
                    "SE-R-006",
                    FATAL,
                    guard(
                        _se_vat_supplier,
                        "not(cbc:ID = 'S') or number(cbc:Percent) = 25 or number(cbc:Percent) = 12"
                        " or number(cbc:Percent) = 6",
                    ),
                    "A Swedish seller's standard VAT rate must be 25, 12 or 6 %.",
                    "En svensk selgers ordinære MVA-sats må være 25, 12 eller 6 %.",
                    "BT-119", "BT-152",
                ),
            ),
            group(
                _payment_account("SE:PLUSGIRO"),
                rule(
                    "SE-R-007", WARNING, guard(_se_supplier, lambda node, doc: _numeric(norm(node))),
                    "A Swedish Plusgiro account should be numeric.",
                    "En svensk Plusgiro-konto bør være numerisk.",
                    "BT-84",
                ),
                rule(
                    "SE-R-010", WARNING,
                    guard(
                        _se_supplier,
                        "string-length(normalize-space(.)) >= 2 and string-length(normalize-space(.)) <= 8",
                    ),
                    "A Swedish Plusgiro account should have 2 to 8 characters.",
                    "En svensk Plusgiro-konto bør ha 2 til 8 tegn.",
                    "BT-84",
                ),
            ),
            group(
                _payment_account("SE:BANKGIRO"),
                rule(
                    "SE-R-008", WARNING, guard(_se_supplier, lambda node, doc: _numeric(norm(node))),
                    "A Swedish Bankgiro account should be numeric.",
                    "En svensk Bankgiro-konto bør være numerisk.",
                    "BT-84",
                ),
                rule(
                    "SE-R-009", WARNING,
                    guard(
                        _se_supplier, "string-length(normalize-space(.)) = 7 or string-length(normalize-space(.)) = 8"
                    ),
                    "A Swedish Bankgiro account should have 7 or 8 characters.",
                    "En svensk Bankgiro-konto bør ha 7 eller 8 tegn.",
                    "BT-84",
                ),
            ),
            group(
                "//cac:PaymentMeans[cbc:PaymentMeansCode = '50' or cbc:PaymentMeansCode = '56']",
                rule(
                    "SE-R-011", WARNING, guard(_se_supplier, "false()"),
                    "For Bankgiro or Plusgiro, a Swedish seller should use payment means 30 with branch id"
                    " SE:BANKGIRO or SE:PLUSGIRO.",
                    "For Bankgiro eller Plusgiro bør en svensk selger bruke betalingsmåte 30 med filial-id"
                    " SE:BANKGIRO eller SE:PLUSGIRO.",
                    "BT-81", "BT-86",
                ),
            ),
            group(
                "//cac:PaymentMeans[cbc:PaymentMeansCode = '31']",
                rule(
                    "SE-R-012", WARNING, guard(_both_se, "false()"),
                    "Between Swedish parties a credit transfer should use payment means code 30.",
                    "Mellom svenske parter bør en kontooverføring bruke betalingsmåtekode 30.",
                    "BT-81",
                ),
            ),
        ],
    ),
)
