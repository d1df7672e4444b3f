"""German national rules of Peppol BIS 3 (pattern "german-rules" of ``PEPPOL-EN16931-UBL.sch``).

They apply when seller and buyer both have a German postal address (``$supplierCountryIsDE and
$customerCountryIsDE``): a document-level guard of every assert, evaluated once per document (all
groups share it, so moving it out of the contexts keeps the verdicts).
Regular expressions (Skonto lines, e-mail, telephone) and the IBAN check are Python, written with
XML Schema regex semantics (``.`` excludes CR and LF, ``\\s`` is space, tab, CR, LF).
"""

from __future__ import annotations

import re

from lxml import etree

from nofaktura.ehf.rules.engine import Flag, group, pattern
from nofaktura.ehf.rules.national_common import CUSTOMER_COUNTRY, SUPPLIER_COUNTRY, document_flag, guard, rule, upper
from nofaktura.ehf.rules.peppol_functions import string_value

__all__ = ["PATTERNS"]

FATAL, WARNING = Flag.FATAL, Flag.WARNING
_DEDE = (
    f"{upper(f'normalize-space({SUPPLIER_COUNTRY})')} = 'DE' and {upper(f'normalize-space({CUSTOMER_COUNTRY})')} = 'DE'"
)

_dede = document_flag("DE: German supplier and customer", _DEDE)
_VAT_CODES = ("S", "Z", "E", "AE", "K", "G", "L", "M")
_TYPE_CODES = ("326", "380", "384", "389", "381", "875", "876", "877")


def _one_of(codes: tuple[str, ...]) -> str:
    return " or ".join(f". = '{code}'" for code in codes)


_DE_R_016 = (
    "not(cac:AllowanceCharge/cac:TaxCategory/cbc:ID"
    f"[ancestor::cac:AllowanceCharge/cbc:ChargeIndicator = 'false' or"
    f" ancestor::cac:AllowanceCharge/cbc:ChargeIndicator = 'true'][{_one_of(_VAT_CODES)}]"
    f" or (cac:InvoiceLine | cac:CreditNoteLine)/cac:Item/cac:ClassifiedTaxCategory/cbc:ID[{_one_of(_VAT_CODES)}])"
    " or cac:TaxRepresentativeParty"
    " or cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID[boolean(normalize-space(.))]"
)

# XML Schema regex classes spelled out for Python.
_WS = "[ \\t\\n\\r]"
_SKONTO = re.compile(r"#(SKONTO)#TAGE=([0-9]+#PROZENT=[0-9]+\.[0-9]{2})(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#$")
_SKONTO_BLOCK = re.compile(r"#[^\n\r]+#")
_ENDS_WITH_LINE_BREAK = re.compile(f"{_WS}*\\n")
_EMAIL = re.compile(
    r"[a-zA-Z0-9!#$%&\"*+/=?^_`{|}~-]+(\.[a-zA-Z0-9!#$%&\"*+/=?^_`{|}~-]+)*"
    r"@([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?"
)
_TELEPHONE = re.compile(r"[^\n\r]*([0-9][^\n\r]*){3,}[^\n\r]*")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}")


def _xpath_norm(text: str) -> str:
    """``normalize-space`` (XML whitespace only)."""
    return " ".join(re.split(f"{_WS}+", text)).strip(" ")


def de_r_018_test(skonto: re.Pattern[str]):
    """The DE-R-018 test with a release's ``$XR-SKONTO-REGEX`` (3.0.21 anchors it at the line start)."""

    def test(node, doc) -> bool:
        notes = [
            terms.find("{*}Note") for terms in node.iterfind("{*}PaymentTerms") if terms.find("{*}Note") is not None
        ]
        lines = [
            line
            for note in notes
            for line in re.split(r"\r?\n", string_value(note))
            if _xpath_norm(line).startswith("#")
        ]
        if not lines:
            return True
        tokens = re.split(_SKONTO_BLOCK, string_value(notes[0])) if notes else []
        last = tokens[-1] if tokens else ""
        line_break = bool(_ENDS_WITH_LINE_BREAK.match(last)) if tokens else False
        return all(skonto.search(_xpath_norm(line)) for line in lines) and line_break

    return test


_de_r_018 = de_r_018_test(_SKONTO)


def _iban_valid(account: etree._Element | None) -> bool:
    """The DE-R-019/020 test: ``[A-Z]{2}[0-9]{2}...`` and the schematron's mod 97 over code points."""
    compact = _xpath_norm(re.sub(r"[ \n\r\t]", "", string_value(account)))
    if not _IBAN_SHAPE.fullmatch(compact):
        return False
    rearranged = compact[4:] + compact[:2].upper() + compact[2:4]
    digits = "".join(str(ord(c) - 55) if ord(c) > 64 else str(ord(c) - 48) for c in rearranged)
    return int(digits) % 97 == 1


def _code_is(node: etree._Element, code: str) -> bool:
    return any(string_value(c) == code for c in node.iterfind("{*}PaymentMeansCode"))


def _de_r_019(node, doc) -> bool:
    return not _code_is(node, "58") or _iban_valid(node.find("{*}PayeeFinancialAccount/{*}ID"))


def _de_r_020(node, doc) -> bool:
    return not _code_is(node, "59") or _iban_valid(node.find("{*}PaymentMandate/{*}PayerFinancialAccount/{*}ID"))


def _de_r_027(node, doc) -> bool:
    return bool(_TELEPHONE.search(_xpath_norm(string_value(node.find("{*}Telephone")))))


def de_r_028_test(email: re.Pattern[str]):
    """The DE-R-028 test with a release's ``$XR-EMAIL-REGEX`` (3.0.21 relaxed it)."""
    return lambda node, doc: bool(email.fullmatch(_xpath_norm(string_value(node.find("{*}ElectronicMail")))))


_de_r_028 = de_r_028_test(_EMAIL)


def _roots(path: str) -> str:
    return f"/ubl-invoice:Invoice{path} | /ubl-creditnote:CreditNote{path}"


def _payment_means(codes: tuple[str, ...]) -> str:
    numbers = " or ".join(f"cbc:PaymentMeansCode = {code}" for code in codes)
    return (
        f"/ubl-invoice:Invoice/cac:PaymentMeans[{numbers}] | /ubl-creditnote:CreditNote/cac:PaymentMeans[{numbers}]"
    )


def _present(element: str) -> str:
    return f"{element}[boolean(normalize-space(.))]"


PATTERNS = (
    pattern(
        "National rules: Germany",
        [
            group(
                _roots(""),
                rule(
                    "DE-R-001", FATAL, guard(_dede, "cac:PaymentMeans"),
                    "Between German parties the payment instructions must be given.",
                    "Mellom tyske parter må betalingsinstruksjoner oppgis.",
                    "BG-16",
                ),
                rule(
                    "DE-R-015", FATAL, guard(_dede, _present("cbc:BuyerReference")),
                    "Between German parties the buyer reference (Leitweg-ID) must be given.",
                    "Mellom tyske parter må kjøpers referanse (Leitweg-ID) oppgis.",
                    "BT-10",
                ),
                rule(
                    "DE-R-016", FATAL, guard(_dede, _DE_R_016),
                    "With VAT category S, Z, E, AE, K, G, L or M the seller's VAT id or tax registration id, or a"
                    " tax representative, must be given.",
                    "Med MVA-kategori S, Z, E, AE, K, G, L eller M må selgers MVA-nummer eller"
                    " skatteregistrerings-id, eller en avgiftsrepresentant, oppgis.",
                    "BT-31", "BT-32", "BG-11",
                ),
                rule(
                    "DE-R-017", WARNING,
                    guard(
                        _dede,
                        f"cbc:InvoiceTypeCode[{_one_of(_TYPE_CODES)}]"
                        f" or cbc:CreditNoteTypeCode[{_one_of(_TYPE_CODES)}]",
                    ),
                    "Between German parties the type code should be 326, 380, 384, 389, 381, 875, 876 or 877.",
                    "Mellom tyske parter bør typekoden være 326, 380, 384, 389, 381, 875, 876 eller 877.",
                    "BT-3",
                ),
                rule(
                    "DE-R-018", FATAL, guard(_dede, _de_r_018),
                    "Skonto lines in the payment terms must read #SKONTO#TAGE=n#PROZENT=n.nn# (optionally"
                    " #BASISBETRAG=n.nn#), in capitals, and end with a line break.",
                    "Skonto-linjer i betalingsbetingelsene må lyde #SKONTO#TAGE=n#PROZENT=n.nn# (eventuelt"
                    " #BASISBETRAG=n.nn#), med store bokstaver, og slutte med linjeskift.",
                    "BT-20",
                ),
                rule(
                    "DE-R-022", FATAL,
                    guard(_dede, "count(cac:AdditionalDocumentReference) = count(cac:AdditionalDocumentReference[not("
                    "./cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename = preceding-sibling::"
                    "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename)])"),
                    "Attached documents must have unique file names.",
                    "Vedlagte dokumenter må ha unike filnavn.",
                    "BT-125",
                ),
                rule(
                    "DE-R-026", WARNING,
                    guard(_dede, "not(cbc:InvoiceTypeCode = 384 or cbc:CreditNoteTypeCode = 384)"
                    " or cac:BillingReference/cac:InvoiceDocumentReference"),
                    "A corrected invoice (384) should refer to the preceding invoice.",
                    "En korrigert faktura (384) bør vise til den foregående fakturaen.",
                    "BG-3",
                ),
                rule(
                    "DE-R-030", FATAL,
                    guard(_dede, "not(cac:PaymentMeans/cac:PaymentMandate)"
                    " or cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID[@schemeID='SEPA']"
                    " or cac:PayeeParty/cac:PartyIdentification/cbc:ID[@schemeID='SEPA']"),
                    "With direct debit the creditor identifier (schemeID SEPA) must be given.",
                    "Ved direkte belastning må kreditor-id (schemeID SEPA) oppgis.",
                    "BT-90",
                ),
                rule(
                    "DE-R-031", FATAL,
                    guard(_dede, "not(cac:PaymentMeans/cac:PaymentMandate) or"
                    " cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"),
                    "With direct debit the debited account must be given.",
                    "Ved direkte belastning må belastet konto oppgis.",
                    "BT-91",
                ),
            ),
            group(
                _roots("/cac:AccountingSupplierParty"),
                rule(
                    "DE-R-002", FATAL, guard(_dede, "cac:Party/cac:Contact"),
                    "Between German parties the seller contact must be given.",
                    "Mellom tyske parter må selgers kontaktinformasjon oppgis.",
                    "BG-6",
                ),
            ),
            group(
                _roots("/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress"),
                rule(
                    "DE-R-003", FATAL, guard(_dede, _present("cbc:CityName")),
                    "Between German parties the seller's city must be given.",
                    "Mellom tyske parter må selgers poststed oppgis.",
                    "BT-37",
                ),
                rule(
                    "DE-R-004", FATAL, guard(_dede, _present("cbc:PostalZone")),
                    "Between German parties the seller's post code must be given.",
                    "Mellom tyske parter må selgers postnummer oppgis.",
                    "BT-38",
                ),
            ),
            group(
                _roots("/cac:AccountingSupplierParty/cac:Party/cac:Contact"),
                rule(
                    "DE-R-005", FATAL, guard(_dede, _present("cbc:Name")),
                    "Between German parties the seller contact point must be given.",
                    "Mellom tyske parter må selgers kontaktperson oppgis.",
                    "BT-41",
                ),
                rule(
                    "DE-R-006", FATAL, guard(_dede, _present("cbc:Telephone")),
                    "Between German parties the seller contact telephone must be given.",
                    "Mellom tyske parter må selgers kontakttelefon oppgis.",
                    "BT-42",
                ),
                rule(
                    "DE-R-007", FATAL, guard(_dede, _present("cbc:ElectronicMail")),
                    "Between German parties the seller contact e-mail must be given.",
                    "Mellom tyske parter må selgers kontakt-e-post oppgis.",
                    "BT-43",
                ),
                rule(
                    "DE-R-027", WARNING, guard(_dede, _de_r_027),
                    "The seller contact telephone should contain at least 3 digits.",
                    "Selgers kontakttelefon bør inneholde minst 3 sifre.",
                    "BT-42",
                ),
                rule(
                    "DE-R-028", WARNING, guard(_dede, _de_r_028),
                    "The seller contact e-mail should be a valid address (one @, text on both sides).",
                    "Selgers kontakt-e-post bør være en gyldig adresse (én @, tekst på begge sider).",
                    "BT-43",
                ),
            ),
            group(
                _roots("/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress"),
                rule(
                    "DE-R-008", FATAL, guard(_dede, _present("cbc:CityName")),
                    "Between German parties the buyer's city must be given.",
                    "Mellom tyske parter må kjøpers poststed oppgis.",
                    "BT-52",
                ),
                rule(
                    "DE-R-009", FATAL, guard(_dede, _present("cbc:PostalZone")),
                    "Between German parties the buyer's post code must be given.",
                    "Mellom tyske parter må kjøpers postnummer oppgis.",
                    "BT-53",
                ),
            ),
            group(
                _roots("/cac:Delivery/cac:DeliveryLocation/cac:Address"),
                rule(
                    "DE-R-010", FATAL, guard(_dede, _present("cbc:CityName")),
                    "Between German parties a delivery address must have the city.",
                    "Mellom tyske parter må en leveringsadresse ha poststed.",
                    "BT-77",
                ),
                rule(
                    "DE-R-011", FATAL, guard(_dede, _present("cbc:PostalZone")),
                    "Between German parties a delivery address must have the post code.",
                    "Mellom tyske parter må en leveringsadresse ha postnummer.",
                    "BT-78",
                ),
            ),
            group(
                _payment_means(("30", "58")),
                rule(
                    "DE-R-019", WARNING, guard(_dede, _de_r_019),
                    "With SEPA credit transfer (58) the payment account should be a valid IBAN.",
                    "Med SEPA-overføring (58) bør betalingskontoen være et gyldig IBAN.",
                    "BT-84",
                ),
                rule(
                    "DE-R-023-1", FATAL, guard(_dede, "cac:PayeeFinancialAccount"),
                    "With credit transfer (30, 58) the credit transfer details must be given.",
                    "Ved kontooverføring (30, 58) må overføringsopplysningene oppgis.",
                    "BG-17",
                ),
                rule(
                    "DE-R-023-2", FATAL, guard(_dede, "not(cac:CardAccount) and not(cac:PaymentMandate)"),
                    "With credit transfer (30, 58) no card or direct debit details may be given.",
                    "Ved kontooverføring (30, 58) kan kort- eller belastningsopplysninger ikke oppgis.",
                    "BG-18", "BG-19",
                ),
            ),
            group(
                _payment_means(("48", "54", "55")),
                rule(
                    "DE-R-024-1", FATAL, guard(_dede, "cac:CardAccount"),
                    "With card payment (48, 54, 55) the card details must be given.",
                    "Ved kortbetaling (48, 54, 55) må kortopplysningene oppgis.",
                    "BG-18",
                ),
                rule(
                    "DE-R-024-2", FATAL, guard(_dede, "not(cac:PayeeFinancialAccount) and not(cac:PaymentMandate)"),
                    "With card payment (48, 54, 55) no credit transfer or direct debit details may be given.",
                    "Ved kortbetaling (48, 54, 55) kan overførings- eller belastningsopplysninger ikke oppgis.",
                    "BG-17", "BG-19",
                ),
            ),
            group(
                _payment_means(("59",)),
                rule(
                    "DE-R-020", WARNING, guard(_dede, _de_r_020),
                    "With SEPA direct debit (59) the debited account should be a valid IBAN.",
                    "Med SEPA-belastning (59) bør belastet konto være et gyldig IBAN.",
                    "BT-91",
                ),
                rule(
                    "DE-R-025-1", FATAL, guard(_dede, "cac:PaymentMandate"),
                    "With direct debit (59) the direct debit details must be given.",
                    "Ved direkte belastning (59) må belastningsopplysningene oppgis.",
                    "BG-19",
                ),
                rule(
                    "DE-R-025-2", FATAL, guard(_dede, "not(cac:PayeeFinancialAccount) and not(cac:CardAccount)"),
                    "With direct debit (59) no credit transfer or card details may be given.",
                    "Ved direkte belastning (59) kan overførings- eller kortopplysninger ikke oppgis.",
                    "BG-17", "BG-18",
                ),
            ),
            group(
                _roots("/cac:TaxTotal/cac:TaxSubtotal"),
                rule(
                    "DE-R-014", FATAL, guard(_dede, _present("cac:TaxCategory/cbc:Percent")),
                    "Between German parties every VAT breakdown must give the VAT rate.",
                    "Mellom tyske parter må hver MVA-spesifikasjon oppgi MVA-satsen.",
                    "BT-119",
                ),
            ),
        ],
    ),
)
