"""Danish national rules of Peppol BIS 3 (pattern "DENMARK" of ``PEPPOL-EN16931-UBL.sch``).

``$DKSupplierCountry`` / ``$DKCustomerCountry`` are the raw postal country codes of seller and
buyer (``concat`` of the Invoice and CreditNote paths). The schematron puts them in the contexts'
predicates; here they are document-level guards of the asserts, evaluated once per document (the
groups select different kinds of node, so the verdicts are the same).
"""

from __future__ import annotations

import re

from nofaktura.ehf.rules.engine import Flag, group, pattern
from nofaktura.ehf.rules.national_common import CUSTOMER_COUNTRY, SUPPLIER_COUNTRY, document_flag, guard, rule
from nofaktura.ehf.rules.peppol_functions import norm, string_value, xpath_number

__all__ = ["PATTERNS"]

FATAL, WARNING = Flag.FATAL, Flag.WARNING
_DK = f"string({SUPPLIER_COUNTRY}) = 'DK'"
_DKDK = f"string({SUPPLIER_COUNTRY}) = 'DK' and string({CUSTOMER_COUNTRY}) = 'DK'"
_SELLER_ID = "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"
_dk = document_flag("DK: Danish supplier", _DK)
_dkdk = document_flag("DK: Danish supplier and customer", _DKDK)
_GIRO_ACCOUNT = re.compile(r"[0-9]{7,8}")


def _dk_r_008(node, doc) -> bool:
    if not any(string_value(code) == "50" for code in node.iterfind("{*}PaymentMeansCode")):
        return True
    payment_id = string_value(node.find("{*}PaymentID"))
    account = string_value(node.find("{*}PayeeFinancialAccount/{*}ID"))
    return payment_id[:3] in ("01#", "04#", "15#") and bool(_GIRO_ACCOUNT.fullmatch(account))


def _dk_r_004(node, doc) -> bool:
    if not any(string_value(code) == "ZZZ" for code in node.iterfind("{*}AllowanceChargeReasonCode")):
        return True
    reason_node = node.find("{*}AllowanceChargeReason")
    reason = string_value(reason_node)
    number = xpath_number(reason)
    four_digit_code = len(norm(reason_node.text if reason_node is not None else "")) == 4 and 0 <= number <= 9999
    hashed = reason_node is not None and "#" in reason and not reason.startswith("#") and not reason.endswith("#")
    return four_digit_code or hashed


_PARTY_IDS = " | ".join(
    f"/{root}/cac:{party}/cac:Party/cac:PartyIdentification"
    for root in ("ubl-creditnote:CreditNote", "ubl-invoice:Invoice")
    for party in ("AccountingSupplierParty", "AccountingCustomerParty")
)

PATTERNS = (
    pattern(
        "National rules: Denmark",
        [
            group(
                "/ubl-creditnote:CreditNote | /ubl-invoice:Invoice",
                rule(
                    "DK-R-002", FATAL,
                    guard(_dk, f"normalize-space({_SELLER_ID}/text()) != ''"),
                    "A Danish seller must give its legal registration id (CVR number).",
                    "En dansk selger må oppgi sitt registreringsnummer (CVR-nummer).",
                    "BT-30",
                ),
                rule(
                    "DK-R-014", FATAL,
                    guard(_dk, f"not(boolean({_SELLER_ID})"
                    f" and normalize-space({_SELLER_ID}/@schemeID)"
                    " != '0184')"),
                    "A Danish seller's legal registration id must have schemeID 0184 (CVR).",
                    "En dansk selgers registreringsnummer må ha schemeID 0184 (CVR).",
                    "BT-30",
                ),
                rule(
                    "DK-R-016", FATAL,
                    guard(_dk, f"not(boolean(/ubl-creditnote:CreditNote) and string({CUSTOMER_COUNTRY}) = 'DK'"
                    " and number(cac:LegalMonetaryTotal/cbc:PayableAmount/text()) < 0)"),
                    "A Danish credit note to a Danish buyer cannot have a negative amount due.",
                    "En dansk kreditnota til en dansk kjøper kan ikke ha negativt beløp til betaling.",
                    "BT-115",
                ),
            ),
            group(
                _PARTY_IDS,
                rule(
                    "DK-R-013", FATAL, guard(_dkdk, "not(boolean(cbc:ID) and normalize-space(cbc:ID/@schemeID) = '')"),
                    "Between Danish parties a party identifier must have a schemeID.",
                    "Mellom danske parter må en partsidentifikator ha schemeID.",
                    "BT-29", "BT-46",
                ),
            ),
            group(
                "/ubl-invoice:Invoice/cac:PaymentMeans",
                rule(
                    "DK-R-005", FATAL,
                    guard(
                        _dkdk, "contains(' 1 10 31 42 48 49 50 58 59 93 97 ', concat(' ', cbc:PaymentMeansCode, ' '))"
                    ),
                    "Between Danish parties the payment means code must be 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 or"
                    " 97.",
                    "Mellom danske parter må betalingsmåtekoden være 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 eller 97.",
                    "BT-81",
                ),
                rule(
                    "DK-R-006", FATAL,
                    guard(_dkdk, "not(((cbc:PaymentMeansCode = '31') or (cbc:PaymentMeansCode = '42'))"
                    " and not((normalize-space(cac:PayeeFinancialAccount/cbc:ID/text()) != '')"
                    " and (normalize-space(cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID/text())"
                    " != '')))"),
                    "With payment means 31 or 42 a Danish seller must give the account and the registration number.",
                    "Med betalingsmåte 31 eller 42 må en dansk selger oppgi konto og registreringsnummer.",
                    "BT-84", "BT-86",
                ),
                rule(
                    "DK-R-007", FATAL,
                    guard(
                        _dkdk,
                        "not((cbc:PaymentMeansCode = '49') and not((normalize-space(cac:PaymentMandate/cbc:ID/text())"
                        " != '')"
                        " and (normalize-space(cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID/text()) != '')))",
                    ),
                    "With payment means 49 a Danish seller must give the mandate id and the debited account.",
                    "Med betalingsmåte 49 må en dansk selger oppgi mandat-id og belastet konto.",
                    "BT-89", "BT-91",
                ),
                rule(
                    "DK-R-008", FATAL, guard(_dkdk, _dk_r_008),
                    "With payment means 50 (giro) the payment id must start with 01#, 04# or 15# and the giro"
                    " account must be 7 or 8 digits.",
                    "Med betalingsmåte 50 (giro) må betalings-id begynne med 01#, 04# eller 15# og girokontoen"
                    " være 7 eller 8 sifre.",
                    "BT-83", "BT-84",
                ),
                rule(
                    "DK-R-009", FATAL,
                    guard(_dkdk, "not((cbc:PaymentMeansCode = '50') and ((substring(cbc:PaymentID, 1, 3) = '04#')"
                    " or (substring(cbc:PaymentID, 1, 3) = '15#')) and not(string-length(cbc:PaymentID) = 19))"),
                    "With giro and card type 04# or 15# the payment id must carry the 16-digit instruction id.",
                    "Med giro og korttype 04# eller 15# må betalings-id ha den 16-sifrede instruksjons-id-en.",
                    "BT-83",
                ),
                rule(
                    "DK-R-010", FATAL,
                    guard(_dkdk, "not((cbc:PaymentMeansCode = '93') and not(((substring(cbc:PaymentID, 1, 3) = '71#')"
                    " or (substring(cbc:PaymentID, 1, 3) = '73#') or (substring(cbc:PaymentID, 1, 3) = '75#'))"
                    " and (string-length(cac:PayeeFinancialAccount/cbc:ID/text()) = 8)))"),
                    "With payment means 93 (FIK) the payment id must start with 71#, 73# or 75# and the creditor"
                    " number must be 8 characters.",
                    "Med betalingsmåte 93 (FIK) må betalings-id begynne med 71#, 73# eller 75# og kreditornummeret"
                    " være 8 tegn.",
                    "BT-83", "BT-84",
                ),
                rule(
                    "DK-R-011", FATAL,
                    guard(_dkdk, "not((cbc:PaymentMeansCode = '93') and ((substring(cbc:PaymentID, 1, 3) = '71#')"
                    " or (substring(cbc:PaymentID, 1, 3) = '75#'))"
                    " and not((string-length(cbc:PaymentID) = 18) or (string-length(cbc:PaymentID) = 19)))"),
                    "With FIK and card type 71# or 75# the payment id must carry the 15-16 digit instruction id.",
                    "Med FIK og korttype 71# eller 75# må betalings-id ha den 15-16-sifrede instruksjons-id-en.",
                    "BT-83",
                ),
            ),
            group(
                "/ubl-creditnote:CreditNote/cac:CreditNoteLine | /ubl-invoice:Invoice/cac:InvoiceLine",
                rule(
                    "DK-R-003", WARNING,
                    guard(_dkdk, "not((cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode/@listID = 'TST')"
                    " and not((cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode/@listVersionID ="
                    " '19.05.01')"
                    " or (cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode/@listVersionID = '19.0501')"
                    " or (cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode/@listVersionID = '26.08.01')"
                    " or (cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode/@listVersionID ="
                    " '26.0801')))"),
                    "A Danish seller's UNSPSC item classification should use version 19.05.01 or 26.08.01.",
                    "En dansk selgers UNSPSC-varegruppe bør bruke versjon 19.05.01 eller 26.08.01.",
                    "BT-158",
                ),
            ),
            group(
                "//cac:AllowanceCharge",
                rule(
                    "DK-R-004", FATAL, guard(_dkdk, _dk_r_004),
                    "Non-VAT taxes between Danish parties use reason code ZZZ and a reason that is the 4-digit"
                    " tax category or contains a # (not first or last).",
                    "Andre avgifter enn MVA mellom danske parter bruker årsakskode ZZZ og en årsak som er den"
                    " 4-sifrede avgiftskategorien eller inneholder # (ikke først eller sist).",
                    "BT-97", "BT-98", "BT-104", "BT-105",
                ),
            ),
        ],
    ),
)
