"""Greek national rules of Peppol BIS 3 (the two "GREECE" patterns of ``PEPPOL-EN16931-UBL.sch``).

Guards ``$isGreekSender`` / ``$isGreekReceiver`` come from ``$supplierCountry`` and
``$customerCountry`` (``GR`` or ``EL``); GR-R-009 uses ``$accountingSupplierCountry`` (the seller's
own VAT prefix or postal country, without the tax representative). No two groups of a pattern
select the same kind of node, so guarding the asserts gives the schematron's verdicts.

The invoice number of a Greek seller has six ``|``-separated segments: the seller's TIN, the issue
date (DD/MM/YYYY), a series number, a Greek document type, and two non-empty parts.
"""

from __future__ import annotations

import re

from lxml import etree

from nofaktura.ehf.rules.data import peppol_sch_lists as lists
from nofaktura.ehf.rules.engine import Document, Flag, group, pattern
from nofaktura.ehf.rules.national_common import customer_country, guard, rule, supplier_country
from nofaktura.ehf.rules.peppol_functions import norm, string_value, tin_verification, xpath_number

__all__ = ["PATTERNS"]

FATAL, WARNING = Flag.FATAL, Flag.WARNING
_GREEK = ("GR", "EL")
# The schematron's $dateRegExp; no $ anchor, so a prefix match. [-\\/ ] is the class {- \ / space}.
_DATE = re.compile(r"(0?[1-9]|[12][0-9]|3[01])[-\\/ ]?(0?[1-9]|1[0-2])[-\\/ ]?(19|20)[0-9]{2}")
_MARK = re.compile(r"[1-9]([0-9]*)")
_DOCUMENT_TYPES = frozenset(lists.GREEKDOCUMENTTYPE)
_MARK_DESCRIPTION = "##M.AR.K##"
_URL_DESCRIPTION = "##INVOICE|URL##"


def greek_sender(doc: Document) -> bool:
    return supplier_country(doc) in _GREEK


def greek_sender_and_receiver(doc: Document) -> bool:
    return greek_sender(doc) and customer_country(doc) in _GREEK


def _accounting_supplier_country(doc: Document) -> str:
    def compute(doc: Document) -> str:
        party = doc.root.find("{*}AccountingSupplierParty/{*}Party")
        if party is None:
            return "XX"
        for scheme in party.iterfind("{*}PartyTaxScheme"):
            if any(string_value(t) == "VAT" for t in scheme.iterfind("{*}TaxScheme/{*}ID")):
                prefix = string_value(scheme.find("{*}CompanyID"))[:2]
                if prefix:
                    return norm(prefix).upper()
                break
        country = party.find("{*}PostalAddress/{*}Country/{*}IdentificationCode")
        return norm(country).upper() if country is not None else "XX"

    return doc.let("accountingSupplierCountry", compute)


def _segments(node: etree._Element) -> list[str]:
    """``tokenize(., '\\|')``: no tokens for an empty string."""
    text = string_value(node)
    return text.split("|") if text else []


def _segment(node: etree._Element, index: int) -> str:
    segments = _segments(node)
    return segments[index - 1] if len(segments) >= index else ""


def _vat_suffixes(party: etree._Element | None) -> list[str]:
    """``PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 3, 9)``."""
    if party is None:
        return []
    return [
        string_value(scheme.find("{*}CompanyID"))[2:11]
        for scheme in party.iterfind("{*}PartyTaxScheme")
        if any(string_value(t) == "VAT" for t in scheme.iterfind("{*}TaxScheme/{*}ID"))
    ]


def _gr_001_2(node, doc) -> bool:
    tin = _segment(node, 1)
    owners = _vat_suffixes(doc.root.find("{*}AccountingSupplierParty/{*}Party")) + _vat_suffixes(
        doc.root.find("{*}TaxRepresentativeParty")
    )
    return len(norm(tin)) == 9 and tin_verification(tin) and tin in owners


def _gr_001_3(node, doc) -> bool:
    date = _segment(node, 2)
    parts = date.split("/") if date else []
    issue = string_value(doc.root.find("{*}IssueDate"))
    issue_parts = issue.split("-") if issue else []
    if len(norm(date)) == 0 or not _DATE.match(date) or len(parts) < 3 or len(issue_parts) < 3:
        return False
    return parts[0] == issue_parts[2] and parts[1] == issue_parts[1] and parts[2] == issue_parts[0]


def _gr_001_4(node, doc) -> bool:
    series = _segment(node, 3)
    if not norm(series) or str(xpath_number(series)) == "nan":
        return False
    if not re.fullmatch(r"\s*[+-]?\d+\s*", series):  # xs:integer() of anything else is an error
        return False
    return int(series) >= 0


def _gr_001_5(node, doc) -> bool:
    kind = _segment(node, 4)
    return len(norm(kind)) > 0 and kind in _DOCUMENT_TYPES


def _greek_vat(party: etree._Element) -> bool:
    """GR-S-011 / GR-R-006: exactly one VAT id, EL + a valid TIN."""
    ids = [
        scheme.find("{*}CompanyID")
        for scheme in party.iterfind("{*}PartyTaxScheme")
        if norm(scheme.find("{*}TaxScheme/{*}ID")) == "VAT" and scheme.find("{*}CompanyID") is not None
    ]
    if len(ids) != 1:
        return False
    value = string_value(ids[0])
    return value[:2] == "EL" and tin_verification(value[2:])


def _descriptions(node: etree._Element, text: str) -> int:
    return sum(
        1
        for reference in node.iterfind("{*}AdditionalDocumentReference")
        if any(string_value(d) == text for d in reference.iterfind("{*}DocumentDescription"))
    )


def _greek_endpoint(node, doc) -> bool:
    return node.get("schemeID") == "9933" and tin_verification(string_value(node))


_ID_CONTEXT = "/ubl-invoice:Invoice/cbc:ID | /ubl-creditnote:CreditNote/cbc:ID"
_GR_ADDRESS = "/*/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'GR'"
_ID_TERMS = ("BT-1",)

PATTERNS = (
    pattern(
        "National rules: Greece (seller)",
        [
            group(
                _ID_CONTEXT,
                rule(
                    "GR-R-001-1", FATAL, guard(greek_sender, lambda node, doc: len(_segments(node)) == 6),
                    "A Greek seller's invoice number must have 6 segments separated by |.",
                    "En gresk selgers fakturanummer må ha 6 segmenter skilt med |.",
                    *_ID_TERMS,
                ),
                rule(
                    "GR-R-001-2", FATAL, guard(greek_sender, _gr_001_2),
                    "Segment 1 of a Greek invoice number must be a valid TIN, the seller's or the tax"
                    " representative's.",
                    "Segment 1 i et gresk fakturanummer må være et gyldig TIN, selgers eller avgiftsrepresentantens.",
                    *_ID_TERMS,
                ),
                rule(
                    "GR-R-001-3", FATAL, guard(greek_sender, _gr_001_3),
                    "Segment 2 of a Greek invoice number must be the issue date as DD/MM/YYYY.",
                    "Segment 2 i et gresk fakturanummer må være fakturadatoen som DD/MM/ÅÅÅÅ.",
                    "BT-1", "BT-2",
                ),
                rule(
                    "GR-R-001-4", FATAL, guard(greek_sender, _gr_001_4),
                    "Segment 3 of a Greek invoice number must be a non-negative integer.",
                    "Segment 3 i et gresk fakturanummer må være et ikke-negativt heltall.",
                    *_ID_TERMS,
                ),
                rule(
                    "GR-R-001-5", FATAL, guard(greek_sender, _gr_001_5),
                    "Segment 4 of a Greek invoice number must be a Greek document type (1.1, 1.6, 2.1, 2.4, 5.1, 5.2).",
                    "Segment 4 i et gresk fakturanummer må være en gresk dokumenttype (1.1, 1.6, 2.1, 2.4, 5.1, 5.2).",
                    *_ID_TERMS,
                ),
                rule(
                    "GR-R-001-6", FATAL, guard(greek_sender, lambda node, doc: len(_segment(node, 5)) > 0),
                    "Segment 5 of a Greek invoice number must not be empty.",
                    "Segment 5 i et gresk fakturanummer kan ikke være tomt.",
                    *_ID_TERMS,
                ),
                rule(
                    "GR-R-001-7", FATAL, guard(greek_sender, lambda node, doc: len(_segment(node, 6)) > 0),
                    "Segment 6 of a Greek invoice number must not be empty.",
                    "Segment 6 i et gresk fakturanummer kan ikke være tomt.",
                    *_ID_TERMS,
                ),
            ),
            group(
                "//cac:AccountingSupplierParty/cac:Party",
                rule(
                    "GR-R-002", FATAL, guard(greek_sender, "string-length(cac:PartyName/cbc:Name) > 0"),
                    "A Greek seller must give its full registered name as trading name.",
                    "En gresk selger må oppgi sitt fulle registrerte navn som handelsnavn.",
                    "BT-28",
                ),
                rule(
                    "GR-S-011", WARNING, guard(greek_sender, lambda node, doc: _greek_vat(node)),
                    "A Greek seller should give one VAT id: EL followed by a valid TIN.",
                    "En gresk selger bør oppgi ett MVA-nummer: EL etterfulgt av et gyldig TIN.",
                    "BT-31",
                ),
            ),
            group(
                "//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) ="
                " 'VAT']"
                "/cbc:CompanyID",
                rule(
                    "GR-R-003", FATAL,
                    guard(greek_sender, lambda node, doc: string_value(node)[:2] == "EL"
                          and tin_verification(string_value(node)[2:])),
                    "A Greek seller's VAT id must start with EL and contain a valid TIN.",
                    "En gresk selgers MVA-nummer må begynne med EL og inneholde et gyldig TIN.",
                    "BT-31",
                ),
            ),
            group(
                f"/ubl-invoice:Invoice[{_GR_ADDRESS}] | /ubl-creditnote:CreditNote[{_GR_ADDRESS}]",
                rule(
                    "GR-R-004-1",
                    FATAL,
                    guard(greek_sender, lambda node, doc: _descriptions(node, _MARK_DESCRIPTION) == 1),
                    "A Greek seller must give exactly one MARK number (document reference described ##M.AR.K##).",
                    "En gresk selger må oppgi nøyaktig ett MARK-nummer (dokumentreferanse med beskrivelse ##M.AR.K##).",
                    "BT-122", "BT-123",
                ),
                rule(
                    "GR-S-008-1",
                    WARNING,
                    guard(greek_sender, lambda node, doc: _descriptions(node, _URL_DESCRIPTION) == 1),
                    "A Greek seller should give one invoice URL (document reference described ##INVOICE|URL##).",
                    "En gresk selger bør oppgi én faktura-URL (dokumentreferanse med beskrivelse ##INVOICE|URL##).",
                    "BT-123", "BT-124",
                ),
                rule(
                    "GR-R-008-2",
                    FATAL,
                    guard(greek_sender, lambda node, doc: _descriptions(node, _URL_DESCRIPTION) <= 1),
                    "A Greek seller may give at most one invoice URL.",
                    "En gresk selger kan oppgi høyst én faktura-URL.",
                    "BT-123", "BT-124",
                ),
            ),
            group(
                f"//cac:AdditionalDocumentReference[{_GR_ADDRESS} and cbc:DocumentDescription ="
                f" '{_MARK_DESCRIPTION}']/cbc:ID",
                rule(
                    "GR-R-004-2", FATAL, guard(greek_sender, lambda node, doc: bool(_MARK.match(string_value(node)))),
                    "A Greek MARK number must be a positive integer.",
                    "Et gresk MARK-nummer må være et positivt heltall.",
                    "BT-122",
                ),
            ),
            group(
                f"//cac:AdditionalDocumentReference[cbc:DocumentDescription = '{_URL_DESCRIPTION}']",
                rule(
                    "GR-R-008-3", FATAL,
                    guard(
                        greek_sender, "string-length(normalize-space(cac:Attachment/cac:ExternalReference/cbc:URI)) > 0"
                    ),
                    "A Greek invoice URL reference must carry the external URI.",
                    "En gresk faktura-URL-referanse må ha den eksterne URI-en.",
                    "BT-124",
                ),
            ),
            group(
                "//cac:AccountingCustomerParty/cac:Party",
                rule(
                    "GR-R-005", FATAL, guard(greek_sender, "string-length(cac:PartyName/cbc:Name) > 0"),
                    "A Greek seller must give the buyer's full name as trading name.",
                    "En gresk selger må oppgi kjøpers fulle navn som handelsnavn.",
                    "BT-45",
                ),
            ),
            group(
                "//cac:AccountingSupplierParty/cac:Party/cbc:EndpointID",
                rule(
                    "GR-R-009", FATAL,
                    guard(lambda doc: _accounting_supplier_country(doc) in _GREEK, _greek_endpoint),
                    "A Greek seller's electronic address must be its TIN with scheme 9933.",
                    "En gresk selgers elektroniske adresse må være TIN med skjema 9933.",
                    "BT-34",
                ),
            ),
        ],
    ),
    pattern(
        "National rules: Greece (seller and buyer)",
        [
            group(
                "//cac:AccountingCustomerParty/cac:Party",
                rule(
                    "GR-R-006", FATAL, guard(greek_sender_and_receiver, lambda node, doc: _greek_vat(node)),
                    "A Greek seller must give a Greek buyer's VAT id: EL followed by a valid TIN.",
                    "En gresk selger må oppgi en gresk kjøpers MVA-nummer: EL etterfulgt av et gyldig TIN.",
                    "BT-48",
                ),
            ),
            group(
                "//cac:AccountingCustomerParty/cac:Party/cbc:EndpointID",
                rule(
                    "GR-R-010", FATAL, guard(greek_sender_and_receiver, _greek_endpoint),
                    "A Greek buyer's electronic address must be its TIN with scheme 9933.",
                    "En gresk kjøpers elektroniske adresse må være TIN med skjema 9933.",
                    "BT-49",
                ),
            ),
        ],
    ),
)
