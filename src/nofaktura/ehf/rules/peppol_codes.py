"""Peppol BIS 3 restricted code lists and formats (``PEPPOL-EN16931-UBL.sch``, release 3.0.19).

The last pattern of the schematron: PEPPOL-EN16931-CL001..CL008 (MIME codes, allowance and charge
reasons, VAT point date codes, currencies, electronic address schemes), the profile's document type
codes (P0100, P0101, P0112), the VATEX exemption codes that fix the VAT category (P0104..P0111) and
the date format (F001). The code lists are the token sets written in the schematron itself,
generated into :mod:`.data.peppol_sch_lists` by ``tools/gen_peppol_tables.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from nofaktura.ehf.namespaces import CBC
from nofaktura.ehf.rules.data import peppol_sch_lists as lists
from nofaktura.ehf.rules.engine import Flag, group, pattern
from nofaktura.ehf.rules.peppol_functions import (
    anywhere,
    both_de,
    norm,
    own_text,
    profile,
    rule,
    string_value,
    to_date,
)

__all__ = ["AMOUNTS", "CODE_LISTS", "PATTERNS"]

FATAL = Flag.FATAL
_CBC = f"{{{CBC}}}"


def _in(tokens: tuple[str, ...], value: Callable[[etree._Element], str]):
    allowed = frozenset(tokens)
    return lambda node, doc: value(node) in allowed


def _p0100(node, doc) -> bool:
    current = profile(doc)  # None: the schematron's empty sequence, for which "!= '01'" is false
    return (current is not None and current != "01") or own_text(node) in _P0100


def _p0101(node, doc) -> bool:
    current = profile(doc)
    return (current is not None and current != "01") or own_text(node) in _P0101


_P0100 = frozenset(lists.PEPPOL_EN16931_P0100)
_P0101 = frozenset(lists.PEPPOL_EN16931_P0101)


def _p0112(node, doc) -> bool:
    return norm(node) not in ("326", "384") or both_de(doc)


def _f001(node, doc) -> bool:
    text = node.text or ""
    return len(text) == 10 and to_date(string_value(node)) is not None


def _exemption(code: str, category: str):
    """P0104-P0111: one VATEX-EU code requires one VAT category (merged into one context)."""

    def test(node, doc) -> bool:
        reason = node.find(f"{_CBC}TaxExemptionReasonCode")
        if reason is None or string_value(reason).upper() != code:
            return True
        return norm(node.find(f"{_CBC}ID")) == category

    return test


#: The amount elements CL007 checks (all of them, the VAT in accounting currency included).
AMOUNTS = (
    "cbc:Amount | cbc:BaseAmount | cbc:PriceAmount | cbc:TaxAmount | cbc:TaxableAmount | cbc:LineExtensionAmount"
    " | cbc:TaxExclusiveAmount | cbc:TaxInclusiveAmount | cbc:AllowanceTotalAmount | cbc:ChargeTotalAmount"
    " | cbc:PrepaidAmount | cbc:PayableRoundingAmount | cbc:PayableAmount"
)

CODE_LISTS = pattern(
    "Restricted code lists and formatting",
    [
        group(
            "//cbc:EmbeddedDocumentBinaryObject[@mimeCode]",
            rule(
                "PEPPOL-EN16931-CL001", FATAL, _in(lists.MIMECODE, lambda node: node.get("mimeCode")),
                "An attachment must be PDF, PNG, JPEG, CSV, XLSX or ODS (mimeCode from the Peppol list).",
                "Et vedlegg må være PDF, PNG, JPEG, CSV, XLSX eller ODS (mimeCode fra Peppol-listen).",
                "BT-125",
            ),
        ),
        group(
            "//cac:AllowanceCharge[cbc:ChargeIndicator = 'false']/cbc:AllowanceChargeReasonCode",
            rule(
                "PEPPOL-EN16931-CL002", FATAL, _in(lists.UNCL5189, own_text),
                "The allowance reason code must be from the UNCL 5189 subset of Peppol.",
                "Årsakskoden for rabatt må være fra Peppols utvalg av UNCL 5189.",
                "BT-98", "BT-140",
            ),
        ),
        group(
            "//cac:AllowanceCharge[cbc:ChargeIndicator = 'true']/cbc:AllowanceChargeReasonCode",
            rule(
                "PEPPOL-EN16931-CL003", FATAL, _in(lists.UNCL7161, own_text),
                "The charge reason code must be from UNCL 7161.",
                "Årsakskoden for gebyr må være fra UNCL 7161.",
                "BT-105", "BT-145",
            ),
        ),
        group(
            "//cac:InvoicePeriod/cbc:DescriptionCode",
            rule(
                "PEPPOL-EN16931-CL006", FATAL, _in(lists.UNCL2005, own_text),
                "The VAT point date code must be 3, 35 or 432 (UNCL 2005 subset).",
                "Koden for MVA-tidspunkt må være 3, 35 eller 432 (utvalg av UNCL 2005).",
                "BT-8",
            ),
        ),
        group(
            anywhere(AMOUNTS),
            rule(
                "PEPPOL-EN16931-CL007", FATAL, _in(lists.ISO4217, lambda node: node.get("currencyID")),
                "The currency code (currencyID) must be an ISO 4217 code such as NOK or EUR.",
                "Valutakoden (currencyID) må være en ISO 4217-kode som NOK eller EUR.",
                "BT-5",
            ),
        ),
        group(
            "//cbc:InvoiceTypeCode",
            rule(
                "PEPPOL-EN16931-P0100", FATAL, _p0100,
                "The invoice type code is not allowed in this business process; use 380 for an invoice.",
                "Fakturatypekoden er ikke tillatt i denne forretningsprosessen; bruk 380 for faktura.",
                "BT-3",
            ),
            rule(
                "PEPPOL-EN16931-P0112", FATAL, _p0112,
                "Invoice type codes 326 and 384 are only allowed between a German seller and a German buyer.",
                "Fakturatypekodene 326 og 384 er bare tillatt mellom tysk selger og tysk kjøper.",
                "BT-3",
            ),
        ),
        group(
            "//cbc:CreditNoteTypeCode",
            rule(
                "PEPPOL-EN16931-P0101", FATAL, _p0101,
                "The credit note type code is not allowed in this business process; use 381 for a credit note.",
                "Kreditnotatypekoden er ikke tillatt i denne forretningsprosessen; bruk 381 for kreditnota.",
                "BT-3",
            ),
        ),
        group(
            anywhere(
                "cbc:IssueDate | cbc:DueDate | cbc:TaxPointDate | cbc:StartDate | cbc:EndDate | cbc:ActualDeliveryDate"
            ),
            rule(
                "PEPPOL-EN16931-F001", FATAL, _f001,
                "A date must be a real date written YYYY-MM-DD (no time zone).",
                "En dato må være en gyldig dato skrevet ÅÅÅÅ-MM-DD (uten tidssone).",
                "BT-2", "BT-9", "BT-7", "BT-72", "BT-73", "BT-74",
            ),
        ),
        group(
            "//cbc:EndpointID[@schemeID]",
            rule(
                "PEPPOL-EN16931-CL008", FATAL, _in(lists.EAID, lambda node: node.get("schemeID")),
                "The electronic address scheme (schemeID) must be on the Peppol EAS list; Norwegian"
                " organisation numbers use 0192.",
                "Skjemaet for elektronisk adresse (schemeID) må stå på Peppols EAS-liste; norske"
                " organisasjonsnummer bruker 0192.",
                "BT-34", "BT-49",
            ),
        ),
        group(
            "//cac:TaxCategory[cbc:TaxExemptionReasonCode]",
            *(
                rule(
                    rule_id, FATAL, _exemption(code, category),
                    f"Exemption reason code {code} requires VAT category {category}.",
                    f"Fritaksårsak {code} krever MVA-kategori {category}.",
                    "BT-121", "BT-118", "BT-95", "BT-102",
                )
                for rule_id, code, category in (
                    ("PEPPOL-EN16931-P0104", "VATEX-EU-G", "G"),
                    ("PEPPOL-EN16931-P0105", "VATEX-EU-O", "O"),
                    ("PEPPOL-EN16931-P0106", "VATEX-EU-IC", "K"),
                    ("PEPPOL-EN16931-P0107", "VATEX-EU-AE", "AE"),
                    ("PEPPOL-EN16931-P0108", "VATEX-EU-D", "E"),
                    ("PEPPOL-EN16931-P0109", "VATEX-EU-F", "E"),
                    ("PEPPOL-EN16931-P0110", "VATEX-EU-I", "E"),
                    ("PEPPOL-EN16931-P0111", "VATEX-EU-J", "E"),
                )
            ),
        ),
    ],
)

PATTERNS = (CODE_LISTS,)
