"""The EN 16931 business rules bound to UBL (pattern ``UBL-model`` of the CEN schematron).

BR-01 … BR-65 (mandatory business terms), BR-CO-* (calculations and conditions) and BR-DEC-*
(number of decimals), plus the VAT category rules from :mod:`.cen_vat` and the two code-list
checks that sit in this pattern (BR-CL-08, BR-CO-09, see :mod:`.cen_codes`).

Contexts keep the official order: a node is checked by the first context of the pattern that
matches it (so a line's ``InvoicePeriod`` gets BR-30, never BR-29). Tests are the official ones
in XPath 1.0 where that is exact, Python with ``Decimal`` where money is computed.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from nofaktura.ehf.rules import cen_codes, cen_vat
from nofaktura.ehf.rules.cen_support import (
    CastError,
    decimal_test,
    one,
    one_decimal,
    round2,
    rule,
    string_value,
    to_date,
    to_decimal,
    xround,
)
from nofaktura.ehf.rules.engine import Document, Pattern, Rule, group, pattern

__all__ = ["PATTERN"]

_VAT = "[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]"
_FALSE = "[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]"
_TRUE = "[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]"
_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"


def _decimals(rule_id: str, element: str, en: str, nb: str, term: str) -> Rule:
    """BR-DEC-*: at most two decimals (the official test counts characters after the point)."""
    return rule(
        rule_id, "fatal", f"string-length(substring-after({element},'.'))<=2",
        f"{en} ({term}) has more than two decimals; round it to two.",
        f"{nb} ({term}) har mer enn to desimaler; rund av til to.",
        term,
    )


def _sum_decimals(nodes: list[etree._Element], path: str) -> Decimal:
    total = Decimal(0)
    for node in nodes:
        value = one_decimal(node, path)
        if value is not None:
            total += value
    return total


def _allowances(parent: etree._Element | None, charge: bool) -> list[etree._Element]:
    if parent is None:
        return []
    return [n for n in parent.findall(f"{{{_CAC}}}AllowanceCharge") if cen_vat.charge_indicator(n) is charge]


# --- Python tests (decimal arithmetic, dates) ------------------------------------------------------


@decimal_test
def _br_co_10(node: etree._Element, doc: Document) -> bool:
    """BT-106 = round(Σ BT-131 over every invoice/credit note line, 2)."""
    stated = one_decimal(node, "cbc:LineExtensionAmount")
    lines = [n for n in doc.root.iter(cen_vat.INVOICE_LINE, cen_vat.CREDIT_NOTE_LINE)]
    return stated is not None and stated == round2(_sum_decimals(lines, "cbc:LineExtensionAmount"))


def _br_co_11_12(charge: bool):
    element = "cbc:ChargeTotalAmount" if charge else "cbc:AllowanceTotalAmount"

    @decimal_test
    def test(node: etree._Element, doc: Document) -> bool:
        items = _allowances(node.getparent(), charge)
        stated = one(node, element)
        if stated is not None and to_decimal(string_value(stated)) == round2(_sum_decimals(items, "cbc:Amount")):
            return True
        return stated is None and not items

    return test


@decimal_test
def _br_co_13(node: etree._Element, doc: Document) -> bool:
    """BT-109 = BT-106 − BT-107 + BT-108, each term only when present."""
    exclusive = one_decimal(node, "cbc:TaxExclusiveAmount")
    lines = one_decimal(node, "cbc:LineExtensionAmount")
    has_charges = one(node, "cbc:ChargeTotalAmount") is not None
    has_allowances = one(node, "cbc:AllowanceTotalAmount") is not None
    if exclusive is None or lines is None:
        return False
    if not has_charges and not has_allowances:
        return exclusive == lines
    total = lines
    if has_charges:
        total += one_decimal(node, "cbc:ChargeTotalAmount")  # type: ignore[operator]
    if has_allowances:
        total -= one_decimal(node, "cbc:AllowanceTotalAmount")  # type: ignore[operator]
    return exclusive == round2(total)


@decimal_test
def _br_co_16(node: etree._Element, doc: Document) -> bool:
    """BT-115 = BT-112 − BT-113 + BT-114, each term only when present."""
    payable = one_decimal(node, "cbc:PayableAmount")
    inclusive = one_decimal(node, "cbc:TaxInclusiveAmount")
    prepaid = one_decimal(node, "cbc:PrepaidAmount")
    rounding = one_decimal(node, "cbc:PayableRoundingAmount")
    if payable is None or inclusive is None:
        return False
    due = round2(inclusive - prepaid) if prepaid is not None else inclusive
    if rounding is None:
        return payable == due
    return round2(payable - rounding) == due


def _br_53(node: etree._Element, doc: Document) -> bool:
    """Every VAT accounting currency (BT-6) has a total VAT amount in it (BT-111)."""
    wanted = {string_value(code) for code in node.findall("cbc:TaxCurrencyCode", _NS)}
    if not wanted:
        return True
    present = {a.get("currencyID") for a in node.iterfind(".//cac:TaxTotal/cbc:TaxAmount", _NS)}
    return wanted <= present


@decimal_test
def _br_co_15(node: etree._Element, doc: Document) -> bool:
    """BT-112 = BT-109 + BT-110 (the total VAT amount in the document currency)."""
    for code in node.findall("cbc:DocumentCurrencyCode", _NS):
        currency = string_value(code)
        amounts = [
            to_decimal(string_value(a))
            for total in node.findall("cac:TaxTotal", _NS)
            for a in total.findall("cbc:TaxAmount", _NS)
            if a.get("currencyID") == currency
        ]
        if len(amounts) != 1:
            return False
        inclusive = one_decimal(node, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")
        exclusive = one_decimal(node, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")
        if inclusive is None or exclusive is None or inclusive != round2(exclusive + amounts[0]):
            return False
    return True


@decimal_test
def _br_co_14(node: etree._Element, doc: Document) -> bool:
    """BT-110 = Σ BT-117 of the VAT breakdown in this TaxTotal."""
    subtotals = node.findall("cac:TaxSubtotal", _NS)
    if not subtotals:
        return True
    stated = one_decimal(node, "cbc:TaxAmount")
    return stated is not None and stated == round2(_sum_decimals(subtotals, "cbc:TaxAmount"))


@decimal_test
def _br_co_17(node: etree._Element, doc: Document) -> bool:
    """BT-117 = BT-116 × BT-119 / 100 (within one unit), or 0 when there is no rate / a zero rate."""
    categories = node.xpath(f"cac:TaxCategory{_VAT}", namespaces=_NS)
    rates = [one_decimal(c, "cbc:Percent") for c in categories]
    rates = [r for r in rates if r is not None]
    if len(rates) > 1:
        raise CastError("more than one VAT rate")
    amount = one_decimal(node, "cbc:TaxAmount")
    if not rates:
        return amount is not None and xround(amount) == 0
    rate = rates[0]
    if xround(rate) == 0:
        return amount is not None and xround(amount) == 0
    taxable = one_decimal(node, "cbc:TaxableAmount")
    if amount is None or taxable is None:
        return False
    expected = round2(abs(taxable) * (rate / 100))
    return abs(amount) - 1 < expected < abs(amount) + 1


@decimal_test
def _period(node: etree._Element, doc: Document) -> bool:
    """BR-29 / BR-30: the end date is not before the start date."""
    start, end = one(node, "cbc:StartDate"), one(node, "cbc:EndDate")
    if start is None or end is None:
        return True
    return to_date(string_value(end))[0] >= to_date(string_value(start))[0]


_NS = {
    "cac": _CAC,
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}

_EXISTS = "boolean(cbc:AllowanceChargeReason) or boolean(cbc:AllowanceChargeReasonCode)"


def _allowance_rules(level: str, charge: bool) -> list[Rule]:
    """BR-31…38 (document level) and BR-41…44 (line level) with their BR-CO and BR-DEC companions."""
    doc_level = level == "document"
    if doc_level and not charge:
        ids = ("BR-31", "BR-32", "BR-33", "BR-CO-05", "BR-CO-21", "BR-DEC-01", "BR-DEC-02")
        terms = ("BG-20", "BT-92", "BT-95", "BT-97", "BT-98", "BT-93")
    elif doc_level:
        ids = ("BR-36", "BR-37", "BR-38", "BR-CO-06", "BR-CO-22", "BR-DEC-05", "BR-DEC-06")
        terms = ("BG-21", "BT-99", "BT-102", "BT-104", "BT-105", "BT-100")
    elif not charge:
        ids = ("BR-41", None, "BR-42", "BR-CO-07", "BR-CO-23", "BR-DEC-24", "BR-DEC-25")
        terms = ("BG-27", "BT-136", None, "BT-139", "BT-140", "BT-137")
    else:
        ids = ("BR-43", None, "BR-44", "BR-CO-08", "BR-CO-24", "BR-DEC-27", "BR-DEC-28")
        terms = ("BG-28", "BT-141", None, "BT-144", "BT-145", "BT-142")
    group_term, amount, category, reason, code, base = terms
    what_en = ("Document level" if doc_level else "Invoice line") + (" charge" if charge else " allowance")
    what_nb = ("Gebyr" if charge else "Rabatt") + (" på dokumentnivå" if doc_level else " på fakturalinje")
    rules = [
        rule(ids[0], "fatal", "boolean(cbc:Amount)",
             f"{what_en} ({group_term}) has no amount; give the amount ({amount}).",
             f"{what_nb} ({group_term}) mangler beløp; oppgi beløpet ({amount}).", group_term, amount),
    ]
    if ids[1]:
        rules.append(rule(
            ids[1], "fatal", f"boolean(cac:TaxCategory{_VAT}/cbc:ID)",
            f"{what_en} ({group_term}) has no VAT category code; give it ({category}) with tax scheme VAT.",
            f"{what_nb} ({group_term}) mangler MVA-kategori; oppgi den ({category}) med avgiftstype VAT.",
            group_term, category,
        ))
    reason_en = f"{what_en} ({group_term}) needs a reason text ({reason}) or a reason code ({code}); give one."
    reason_nb = f"{what_nb} ({group_term}) må ha en årsak som tekst ({reason}) eller kode ({code}); oppgi en."
    rules += [
        rule(ids[2], "fatal", _EXISTS, reason_en, reason_nb, group_term, reason, code),
        # BR-CO-05…08: reason code and text must mean the same thing; the official test is true().
        rule(ids[3], "fatal", "true()",
             f"The reason code ({code}) and reason text ({reason}) of a {what_en.lower()} must mean the same.",
             f"Årsakskoden ({code}) og årsaksteksten ({reason}) for {what_nb.lower()} må bety det samme.",
             code, reason),
        rule(ids[4], "fatal", _EXISTS, reason_en, reason_nb, group_term, reason, code),
        _decimals(ids[5], "cbc:Amount", f"{what_en} amount", f"Beløpet for {what_nb.lower()}", amount),
        _decimals(ids[6], "cbc:BaseAmount", f"{what_en} base amount", f"Grunnlaget for {what_nb.lower()}", base),
    ]
    return rules


def _party_rules() -> list:
    return [
        group("//cac:AdditionalDocumentReference", rule(
            "BR-52", "fatal", "normalize-space(cbc:ID) != ''",
            "Each additional supporting document (BG-24) needs a document reference (BT-122).",
            "Hvert vedlegg/tilleggsdokument (BG-24) må ha en dokumentreferanse (BT-122).", "BG-24", "BT-122")),
        group("//cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", rule(
            "BR-63", "fatal", "boolean(@schemeID)",
            "The buyer's electronic address (BT-49) needs a scheme identifier (schemeID, e.g. 0192 for a "
            "Norwegian organisation number).",
            "Kjøpers elektroniske adresse (BT-49) må ha skjema-ID (schemeID, f.eks. 0192 for norsk "
            "organisasjonsnummer).", "BT-49")),
        group("//cac:AccountingCustomerParty/cac:Party/cac:PostalAddress", rule(
            "BR-11", "fatal", "normalize-space(cac:Country/cbc:IdentificationCode) != ''",
            "The buyer's postal address (BG-8) needs a country code (BT-55).",
            "Kjøpers postadresse (BG-8) må ha landkode (BT-55).", "BG-8", "BT-55")),
        group("//cac:PaymentMeans/cac:CardAccount/cbc:PrimaryAccountNumberID", rule(
            "BR-51", "warning", "string-length(normalize-space(.))<=10",
            "Do not put the full card number in the invoice: the payment card primary account number (BT-87) "
            "should show at most the first 6 and last 4 digits.",
            "Ikke oppgi hele kortnummeret i fakturaen: kortnummeret (BT-87) bør vise høyst de 6 første og 4 "
            "siste sifrene.", "BT-87")),
        group("//cac:Delivery/cac:DeliveryLocation/cac:Address", rule(
            "BR-57", "fatal", "boolean(cac:Country/cbc:IdentificationCode)",
            "The deliver-to address (BG-15) needs a country code (BT-80).",
            "Leveringsadressen (BG-15) må ha landkode (BT-80).", "BG-15", "BT-80")),
    ]


def _totals_rules() -> list[Rule]:
    return [
        rule("BR-12", "fatal", "boolean(cbc:LineExtensionAmount)",
             "The document totals need the sum of invoice line net amounts (BT-106).",
             "Dokumenttotalene må ha summen av linjenes nettobeløp (BT-106).", "BT-106"),
        rule("BR-13", "fatal", "boolean(cbc:TaxExclusiveAmount)",
             "The document totals need the total amount without VAT (BT-109).",
             "Dokumenttotalene må ha totalbeløp uten MVA (BT-109).", "BT-109"),
        rule("BR-14", "fatal", "boolean(cbc:TaxInclusiveAmount)",
             "The document totals need the total amount with VAT (BT-112).",
             "Dokumenttotalene må ha totalbeløp med MVA (BT-112).", "BT-112"),
        rule("BR-15", "fatal", "boolean(cbc:PayableAmount)",
             "The document totals need the amount due for payment (BT-115).",
             "Dokumenttotalene må ha beløp til betaling (BT-115).", "BT-115"),
        rule("BR-CO-10", "fatal", _br_co_10,
             "The sum of line net amounts (BT-106) must equal the sum of all invoice line net amounts (BT-131); "
             "recalculate it.",
             "Summen av linjenes nettobeløp (BT-106) må være lik summen av alle linjebeløp (BT-131); beregn den "
             "på nytt.", "BT-106", "BT-131"),
        rule("BR-CO-11", "fatal", _br_co_11_12(False),
             "The sum of document level allowances (BT-107) must equal the sum of the allowance amounts (BT-92), "
             "and be absent when there are none.",
             "Summen av rabatter på dokumentnivå (BT-107) må være lik summen av rabattbeløpene (BT-92), og "
             "utelates når det ikke er noen.", "BT-107", "BT-92"),
        rule("BR-CO-12", "fatal", _br_co_11_12(True),
             "The sum of document level charges (BT-108) must equal the sum of the charge amounts (BT-99), and "
             "be absent when there are none.",
             "Summen av gebyrer på dokumentnivå (BT-108) må være lik summen av gebyrbeløpene (BT-99), og utelates "
             "når det ikke er noen.", "BT-108", "BT-99"),
        rule("BR-CO-13", "fatal", _br_co_13,
             "The total without VAT (BT-109) must be the line total (BT-106) minus allowances (BT-107) plus "
             "charges (BT-108); recalculate it.",
             "Totalbeløp uten MVA (BT-109) må være linjesummen (BT-106) minus rabatter (BT-107) pluss gebyrer "
             "(BT-108); beregn det på nytt.", "BT-109", "BT-106", "BT-107", "BT-108"),
        rule("BR-CO-16", "fatal", _br_co_16,
             "The amount due (BT-115) must be the total with VAT (BT-112) minus the paid amount (BT-113) plus the "
             "rounding amount (BT-114); recalculate it.",
             "Beløp til betaling (BT-115) må være totalbeløp med MVA (BT-112) minus forskudd (BT-113) pluss "
             "øreavrunding (BT-114); beregn det på nytt.", "BT-115", "BT-112", "BT-113", "BT-114"),
        _decimals("BR-DEC-09", "cbc:LineExtensionAmount", "The sum of line net amounts",
                  "Summen av linjenes nettobeløp", "BT-106"),
        _decimals("BR-DEC-10", "cbc:AllowanceTotalAmount", "The sum of allowances",
                  "Summen av rabatter", "BT-107"),
        _decimals("BR-DEC-11", "cbc:ChargeTotalAmount", "The sum of charges", "Summen av gebyrer", "BT-108"),
        _decimals("BR-DEC-12", "cbc:TaxExclusiveAmount", "The total without VAT",
                  "Totalbeløp uten MVA", "BT-109"),
        _decimals("BR-DEC-14", "cbc:TaxInclusiveAmount", "The total with VAT", "Totalbeløp med MVA", "BT-112"),
        _decimals("BR-DEC-16", "cbc:PrepaidAmount", "The paid amount", "Forskuddsbetalt beløp", "BT-113"),
        _decimals("BR-DEC-17", "cbc:PayableRoundingAmount", "The rounding amount", "Øreavrundingen", "BT-114"),
        _decimals("BR-DEC-18", "cbc:PayableAmount", "The amount due for payment", "Beløp til betaling", "BT-115"),
    ]


def _root_rules() -> list[Rule]:
    tax_in = "//cac:TaxTotal/cbc:TaxAmount[@currencyID = cbc:{0}]"
    return [
        rule("BR-01", "fatal", "normalize-space(cbc:CustomizationID) != ''",
             "The specification identifier (BT-24, CustomizationID) is missing.",
             "Spesifikasjonsidentifikator (BT-24, CustomizationID) mangler.", "BT-24"),
        rule("BR-02", "fatal", "normalize-space(cbc:ID) != ''",
             "The invoice number (BT-1) is missing.", "Fakturanummer (BT-1) mangler.", "BT-1"),
        rule("BR-03", "fatal", "normalize-space(cbc:IssueDate) != ''",
             "The issue date (BT-2) is missing.", "Fakturadato (BT-2) mangler.", "BT-2"),
        rule("BR-04", "fatal",
             "normalize-space(cbc:InvoiceTypeCode) != '' or normalize-space(cbc:CreditNoteTypeCode) !=''",
             "The invoice type code (BT-3) is missing.", "Fakturatypekode (BT-3) mangler.", "BT-3"),
        rule("BR-05", "fatal", "normalize-space(cbc:DocumentCurrencyCode) != ''",
             "The invoice currency code (BT-5) is missing.", "Valutakode for fakturaen (BT-5) mangler.", "BT-5"),
        rule("BR-06", "fatal",
             "normalize-space(cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName) != ''",
             "The seller's name (BT-27, legal registration name) is missing.",
             "Selgers navn (BT-27, registrert juridisk navn) mangler.", "BT-27"),
        rule("BR-07", "fatal",
             "normalize-space(cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName) != ''",
             "The buyer's name (BT-44, legal registration name) is missing.",
             "Kjøpers navn (BT-44, registrert juridisk navn) mangler.", "BT-44"),
        rule("BR-08", "fatal", "boolean(cac:AccountingSupplierParty/cac:Party/cac:PostalAddress)",
             "The seller's postal address (BG-5) is missing.", "Selgers postadresse (BG-5) mangler.", "BG-5"),
        rule("BR-10", "fatal", "boolean(cac:AccountingCustomerParty/cac:Party/cac:PostalAddress)",
             "The buyer's postal address (BG-8) is missing.", "Kjøpers postadresse (BG-8) mangler.", "BG-8"),
        rule("BR-16", "fatal", "boolean(cac:InvoiceLine) or boolean(cac:CreditNoteLine)",
             "The document has no lines; it needs at least one invoice line (BG-25).",
             "Dokumentet har ingen linjer; det må ha minst én fakturalinje (BG-25).", "BG-25"),
        rule("BR-53", "fatal", _br_53,
             "A VAT accounting currency (BT-6) is given, so the total VAT amount in that currency (BT-111) must "
             "be given too.",
             "Valuta for MVA-regnskap (BT-6) er oppgitt, så total MVA i den valutaen (BT-111) må også oppgis.",
             "BT-6", "BT-111"),
        rule("BR-CO-03", "fatal",
             "(boolean(cbc:TaxPointDate) and not(cac:InvoicePeriod/cbc:DescriptionCode)) or (not(cbc:TaxPointDate) "
             "and boolean(cac:InvoicePeriod/cbc:DescriptionCode)) or (not(cbc:TaxPointDate) and "
             "not(cac:InvoicePeriod/cbc:DescriptionCode))",
             "Give either the VAT point date (BT-7) or the VAT point date code (BT-8), not both.",
             "Oppgi enten tidspunkt for MVA-plikt (BT-7) eller kode for det (BT-8), ikke begge.", "BT-7", "BT-8"),
        rule("BR-CO-15", "fatal", _br_co_15,
             "The total with VAT (BT-112) must be the total without VAT (BT-109) plus the total VAT amount "
             "(BT-110, exactly one in the invoice currency); recalculate it.",
             "Totalbeløp med MVA (BT-112) må være totalbeløp uten MVA (BT-109) pluss total MVA (BT-110, nøyaktig "
             "én i fakturavalutaen); beregn det på nytt.", "BT-112", "BT-109", "BT-110"),
        rule("BR-CO-18", "fatal", "boolean(cac:TaxTotal/cac:TaxSubtotal)",
             "The invoice needs at least one VAT breakdown (BG-23).",
             "Fakturaen må ha minst én linje i MVA-spesifikasjonen (BG-23).", "BG-23"),
        rule("BR-DEC-13", "fatal",
             f"({tax_in.format('DocumentCurrencyCode')} and (string-length(substring-after("
             f"{tax_in.format('DocumentCurrencyCode')},'.'))<=2)) or (not({tax_in.format('DocumentCurrencyCode')}))",
             "The total VAT amount (BT-110) has more than two decimals; round it to two.",
             "Total MVA (BT-110) har mer enn to desimaler; rund av til to.", "BT-110"),
        rule("BR-DEC-15", "fatal",
             f"({tax_in.format('TaxCurrencyCode')} and (string-length(substring-after("
             f"{tax_in.format('TaxCurrencyCode')},'.'))<=2)) or (not({tax_in.format('TaxCurrencyCode')}))",
             "The total VAT amount in accounting currency (BT-111) has more than two decimals; round it to two.",
             "Total MVA i regnskapsvaluta (BT-111) har mer enn to desimaler; rund av til to.", "BT-111"),
        *cen_vat.root_rules(),
    ]


def _line_rules() -> list[Rule]:
    return [
        rule("BR-21", "fatal", "normalize-space(cbc:ID) != ''",
             "An invoice line (BG-25) has no line identifier (BT-126).",
             "En fakturalinje (BG-25) mangler linjenummer (BT-126).", "BG-25", "BT-126"),
        rule("BR-22", "fatal", "boolean(cbc:InvoicedQuantity) or boolean(cbc:CreditedQuantity)",
             "An invoice line (BG-25) has no invoiced quantity (BT-129).",
             "En fakturalinje (BG-25) mangler fakturert mengde (BT-129).", "BG-25", "BT-129"),
        rule("BR-23", "fatal", "boolean(cbc:InvoicedQuantity/@unitCode) or boolean(cbc:CreditedQuantity/@unitCode)",
             "An invoice line's quantity has no unit of measure code (BT-130, unitCode).",
             "Mengden på en fakturalinje mangler enhetskode (BT-130, unitCode).", "BT-130"),
        rule("BR-24", "fatal", "boolean(cbc:LineExtensionAmount)",
             "An invoice line (BG-25) has no net amount (BT-131).",
             "En fakturalinje (BG-25) mangler nettobeløp (BT-131).", "BG-25", "BT-131"),
        rule("BR-25", "fatal", "normalize-space(cac:Item/cbc:Name) != ''",
             "An invoice line (BG-25) has no item name (BT-153).",
             "En fakturalinje (BG-25) mangler varenavn (BT-153).", "BG-25", "BT-153"),
        rule("BR-26", "fatal", "boolean(cac:Price/cbc:PriceAmount)",
             "An invoice line (BG-25) has no item net price (BT-146).",
             "En fakturalinje (BG-25) mangler nettopris (BT-146).", "BG-25", "BT-146"),
        rule("BR-27", "fatal", "(cac:Price/cbc:PriceAmount) >= 0",
             "The item net price (BT-146) must not be negative; use a credit note or a negative quantity.",
             "Nettoprisen (BT-146) kan ikke være negativ; bruk kreditnota eller negativ mengde.", "BT-146"),
        rule("BR-28", "fatal",
             "(cac:Price/cac:AllowanceCharge/cbc:BaseAmount) >= 0 or "
             "not(boolean(cac:Price/cac:AllowanceCharge/cbc:BaseAmount))",
             "The item gross price (BT-148) must not be negative.",
             "Bruttoprisen (BT-148) kan ikke være negativ.", "BT-148"),
        rule("BR-CO-04", "fatal", f"(cac:Item/cac:ClassifiedTaxCategory{_VAT}/cbc:ID)",
             "An invoice line has no VAT category code (BT-151) with tax scheme VAT; give the line's VAT category.",
             "En fakturalinje mangler MVA-kategori (BT-151) med avgiftstype VAT; oppgi linjens MVA-kategori.",
             "BT-151"),
        _decimals("BR-DEC-23", "cbc:LineExtensionAmount", "An invoice line net amount",
                  "Nettobeløpet på en fakturalinje", "BT-131"),
    ]


def _subtotal_rules() -> list[Rule]:
    return [
        rule("BR-45", "fatal", "boolean(cbc:TaxableAmount)",
             "A VAT breakdown (BG-23) has no taxable amount (BT-116).",
             "En linje i MVA-spesifikasjonen (BG-23) mangler grunnlag (BT-116).", "BG-23", "BT-116"),
        rule("BR-46", "fatal", "boolean(cbc:TaxAmount)",
             "A VAT breakdown (BG-23) has no VAT amount (BT-117).",
             "En linje i MVA-spesifikasjonen (BG-23) mangler MVA-beløp (BT-117).", "BG-23", "BT-117"),
        rule("BR-47", "fatal", f"boolean(cac:TaxCategory{_VAT}/cbc:ID)",
             "A VAT breakdown (BG-23) has no VAT category code (BT-118) with tax scheme VAT.",
             "En linje i MVA-spesifikasjonen (BG-23) mangler MVA-kategori (BT-118) med avgiftstype VAT.",
             "BG-23", "BT-118"),
        rule("BR-48", "fatal",
             f"boolean(cac:TaxCategory{_VAT}/cbc:Percent) or cac:TaxCategory{_VAT}[normalize-space(cbc:ID)='O']",
             "A VAT breakdown (BG-23) needs a VAT rate (BT-119), unless the category is O (not subject to VAT).",
             "En linje i MVA-spesifikasjonen (BG-23) må ha MVA-sats (BT-119), unntatt kategori O (utenfor "
             "MVA-området).", "BG-23", "BT-119"),
        rule("BR-CO-17", "fatal", _br_co_17,
             "The VAT amount (BT-117) of a VAT breakdown must be the taxable amount (BT-116) times the rate "
             "(BT-119), rounded to two decimals; recalculate it.",
             "MVA-beløpet (BT-117) i MVA-spesifikasjonen må være grunnlaget (BT-116) ganget med satsen (BT-119), "
             "avrundet til to desimaler; beregn det på nytt.", "BT-117", "BT-116", "BT-119"),
        _decimals("BR-DEC-19", "cbc:TaxableAmount", "The VAT category taxable amount",
                  "Grunnlaget i MVA-spesifikasjonen", "BT-116"),
        _decimals("BR-DEC-20", "cbc:TaxAmount", "The VAT category tax amount",
                  "MVA-beløpet i MVA-spesifikasjonen", "BT-117"),
    ]


def _build() -> Pattern:
    doc_allowance = "/ubl:Invoice/cac:AllowanceCharge{0} | /cn:CreditNote/cac:AllowanceCharge{0}"
    line_allowance = "//cac:InvoiceLine/cac:AllowanceCharge{0} | //cac:CreditNoteLine/cac:AllowanceCharge{0}"
    item = "//cac:InvoiceLine/cac:Item/{0} | //cac:CreditNoteLine/cac:Item/{0}"
    groups = [
        *_party_rules(),
        group(doc_allowance.format(_FALSE), *_allowance_rules("document", charge=False)),
        group(doc_allowance.format(_TRUE), *_allowance_rules("document", charge=True)),
        group("//cac:LegalMonetaryTotal", *_totals_rules()),
        group("/ubl:Invoice | /cn:CreditNote", *_root_rules()),
        group("//cac:InvoiceLine | //cac:CreditNoteLine", *_line_rules()),
        group(line_allowance.format(_FALSE), *_allowance_rules("line", charge=False)),
        group(line_allowance.format(_TRUE), *_allowance_rules("line", charge=True)),
        group(
            "//cac:InvoiceLine/cac:InvoicePeriod | //cac:CreditNoteLine/cac:InvoicePeriod",
            rule("BR-30", "fatal", _period,
                 "The invoice line period end date (BT-135) is before its start date (BT-134).",
                 "Sluttdatoen for linjeperioden (BT-135) er før startdatoen (BT-134).", "BT-134", "BT-135"),
            rule("BR-CO-20", "fatal", "boolean(cbc:StartDate) or boolean(cbc:EndDate)",
                 "An invoice line period (BG-26) needs a start date (BT-134) or an end date (BT-135).",
                 "En linjeperiode (BG-26) må ha startdato (BT-134) eller sluttdato (BT-135).",
                 "BG-26", "BT-134", "BT-135"),
        ),
        group(
            "//cac:InvoicePeriod",
            rule("BR-29", "fatal", _period,
                 "The invoicing period end date (BT-74) is before its start date (BT-73).",
                 "Sluttdatoen for faktureringsperioden (BT-74) er før startdatoen (BT-73).", "BT-73", "BT-74"),
            rule("BR-CO-19", "fatal",
                 "boolean(cbc:StartDate) or boolean(cbc:EndDate) or (boolean(cbc:DescriptionCode) and "
                 "not(boolean(cbc:StartDate)) and not(boolean(cbc:EndDate)))",
                 "An invoicing period (BG-14) needs a start date (BT-73), an end date (BT-74) or a VAT point date "
                 "code (BT-8).",
                 "En faktureringsperiode (BG-14) må ha startdato (BT-73), sluttdato (BT-74) eller kode for "
                 "tidspunkt for MVA-plikt (BT-8).", "BG-14", "BT-73", "BT-74", "BT-8"),
        ),
        group("//cac:AdditionalItemProperty", rule(
            "BR-54", "fatal", "boolean(cbc:Name) and boolean(cbc:Value)",
            "An item attribute (BG-32) needs both a name (BT-160) and a value (BT-161).",
            "En vareegenskap (BG-32) må ha både navn (BT-160) og verdi (BT-161).", "BG-32", "BT-160", "BT-161")),
        group(item.format("cac:CommodityClassification/cbc:ItemClassificationCode"), rule(
            "BR-65", "fatal", "boolean(@listID)",
            "The item classification identifier (BT-158) needs a scheme identifier (listID).",
            "Vareklassifiseringen (BT-158) må ha skjema-ID (listID).", "BT-158")),
        group(item.format("cac:StandardItemIdentification/cbc:ID"), rule(
            "BR-64", "fatal", "boolean(@schemeID)",
            "The item standard identifier (BT-157) needs a scheme identifier (schemeID, e.g. 0160 for GTIN).",
            "Standard vareidentifikator (BT-157) må ha skjema-ID (schemeID, f.eks. 0160 for GTIN).", "BT-157")),
        cen_codes.note_subject_group(),
        group("//cac:PayeeParty", rule(
            "BR-17", "fatal",
            "boolean(cac:PartyName/cbc:Name) and (not(cac:PartyName/cbc:Name = "
            "../cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name) and not(cac:PartyIdentification/cbc:ID"
            " = ../cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID) )",
            "The payee (BG-10) needs a name (BT-59), and is only given when it differs from the seller (name and "
            "identifier); otherwise remove the payee.",
            "Betalingsmottaker (BG-10) må ha navn (BT-59), og oppgis bare når den er en annen enn selger (navn og "
            "identifikator); ellers fjern betalingsmottaker.", "BG-10", "BT-59")),
        group("//cac:PaymentMeans[cbc:PaymentMeansCode='30' or cbc:PaymentMeansCode='58']/cac:PayeeFinancialAccount",
              rule("BR-50", "fatal", "normalize-space(cbc:ID) != ''",
                   "A credit transfer needs the payment account identifier (BT-84).",
                   "En kontooverføring må ha kontonummeret det skal betales til (BT-84).", "BT-84")),
        group(
            "//cac:PaymentMeans",
            rule("BR-49", "fatal", "boolean(cbc:PaymentMeansCode)",
                 "Payment instructions (BG-16) need a payment means type code (BT-81).",
                 "Betalingsinformasjonen (BG-16) må ha betalingsmåtekode (BT-81).", "BG-16", "BT-81"),
            rule("BR-61", "fatal",
                 "(boolean(cac:PayeeFinancialAccount/cbc:ID) and ((normalize-space(cbc:PaymentMeansCode) = '30') or "
                 "(normalize-space(cbc:PaymentMeansCode) = '58') )) or ((normalize-space(cbc:PaymentMeansCode) != "
                 "'30') and (normalize-space(cbc:PaymentMeansCode) != '58'))",
                 "With payment means 30 or 58 (credit transfer) the payment account identifier (BT-84) must be "
                 "given.",
                 "Med betalingsmåte 30 eller 58 (kontooverføring) må kontonummeret (BT-84) oppgis.", "BT-81", "BT-84"),
        ),
        group("//cac:BillingReference", rule(
            "BR-55", "fatal", "boolean(cac:InvoiceDocumentReference/cbc:ID)",
            "A preceding invoice reference (BG-3) needs the preceding invoice number (BT-25).",
            "En referanse til tidligere faktura (BG-3) må ha fakturanummeret (BT-25).", "BG-3", "BT-25")),
        group("//cac:AccountingSupplierParty", rule(
            "BR-CO-26", "fatal",
            f"boolean(cac:Party/cac:PartyTaxScheme{_VAT}/cbc:CompanyID) or boolean(cac:Party/cac:PartyIdentification/"
            "cbc:ID[not(@schemeID = 'SEPA')]) or boolean(cac:Party/cac:PartyLegalEntity/cbc:CompanyID)",
            "The seller must be identified: give the seller identifier (BT-29), legal registration identifier "
            "(BT-30) or VAT identifier (BT-31).",
            "Selger må identifiseres: oppgi selgers identifikator (BT-29), organisasjonsnummer (BT-30) eller "
            "MVA-nummer (BT-31).", "BT-29", "BT-30", "BT-31")),
        group("//cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", rule(
            "BR-62", "fatal", "boolean(@schemeID)",
            "The seller's electronic address (BT-34) needs a scheme identifier (schemeID, e.g. 0192).",
            "Selgers elektroniske adresse (BT-34) må ha skjema-ID (schemeID, f.eks. 0192).", "BT-34")),
        group("//cac:AccountingSupplierParty/cac:Party/cac:PostalAddress", rule(
            "BR-09", "fatal", "normalize-space(cac:Country/cbc:IdentificationCode) != ''",
            "The seller's postal address (BG-5) needs a country code (BT-40).",
            "Selgers postadresse (BG-5) må ha landkode (BT-40).", "BG-5", "BT-40")),
        group(
            "//cac:TaxRepresentativeParty",
            rule("BR-18", "fatal", "normalize-space(cac:PartyName/cbc:Name) != ''",
                 "The seller's tax representative (BG-11) needs a name (BT-62).",
                 "Selgers avgiftsrepresentant (BG-11) må ha navn (BT-62).", "BG-11", "BT-62"),
            rule("BR-19", "fatal", "boolean(cac:PostalAddress)",
                 "The seller's tax representative (BG-11) needs a postal address (BG-12).",
                 "Selgers avgiftsrepresentant (BG-11) må ha postadresse (BG-12).", "BG-11", "BG-12"),
            rule("BR-56", "fatal", f"boolean(cac:PartyTaxScheme{_VAT}/cbc:CompanyID)",
                 "The seller's tax representative (BG-11) needs a VAT identifier (BT-63).",
                 "Selgers avgiftsrepresentant (BG-11) må ha MVA-nummer (BT-63).", "BG-11", "BT-63"),
        ),
        group("//cac:TaxRepresentativeParty/cac:PostalAddress", rule(
            "BR-20", "fatal", "normalize-space(cac:Country/cbc:IdentificationCode) != ''",
            "The tax representative's postal address (BG-12) needs a country code (BT-69).",
            "Avgiftsrepresentantens postadresse (BG-12) må ha landkode (BT-69).", "BG-12", "BT-69")),
        group("/ubl:Invoice/cac:TaxTotal | /cn:CreditNote/cac:TaxTotal", rule(
            "BR-CO-14", "fatal", _br_co_14,
            "The total VAT amount (BT-110) must equal the sum of the VAT amounts of the VAT breakdown (BT-117); "
            "recalculate it.",
            "Total MVA (BT-110) må være lik summen av MVA-beløpene i MVA-spesifikasjonen (BT-117); beregn den på "
            "nytt.", "BT-110", "BT-117")),
        group("//cac:TaxTotal/cac:TaxSubtotal", *_subtotal_rules()),
        cen_codes.vat_country_group(),
        *cen_vat.groups(),
    ]
    return pattern("UBL-model", groups)


PATTERN: Pattern = _build()
