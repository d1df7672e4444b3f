"""Peppol BIS 3 transaction and identifier rules (``PEPPOL-EN16931-UBL.sch``, release 3.0.19).

The patterns "Empty elements", the credit-note project reference (R080) and the transaction rules:
PEPPOL-EN16931-R0xx/R1xx (document, parties, allowances and charges, VAT totals, payment, lines,
price) and the identifier checks PEPPOL-COMMON-R040..R050 (GLN, Norwegian organisation number,
Danish CVR, Belgian enterprise number, Italian codes, Swedish organisation number, ABN).

Contexts and asserts follow the schematron one to one; where two of its contexts are merged into one
group (the allowance/charge rules R040-R043, the eleven identifier contexts) the comment says why the
first-match verdicts stay the same. Tests XPath 1.0 cannot state exactly are Python callables
using :mod:`.peppol_functions`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from lxml import etree

from nofaktura.ehf.namespaces import CAC, CBC
from nofaktura.ehf.rules.data import peppol_sch_lists as lists
from nofaktura.ehf.rules.engine import Document, Flag, group, pattern, xpath
from nofaktura.ehf.rules.peppol_functions import (
    abn,
    anywhere,
    both_de,
    check_cf,
    check_codice_ipa,
    check_piva_se_it,
    check_se_orgnr,
    gln,
    is_invoice,
    mod11,
    mod97_0208,
    norm,
    own_text,
    profile,
    rule,
    slack,
    string_value,
    to_date,
    to_decimal,
    xpath_number,
)

__all__ = ["EMPTY_ELEMENTS", "PATTERNS", "PROJECT_REFERENCE", "TRANSACTION", "r041_test"]

FATAL, WARNING = Flag.FATAL, Flag.WARNING
_CAC, _CBC = f"{{{CAC}}}", f"{{{CBC}}}"
ZERO = Decimal(0)


def _dec(node: etree._Element, path: str, default: Decimal | None = None) -> Decimal | None:
    """``xs:decimal(path)`` if the element exists, else ``default`` (None = cast error)."""
    found = node.find(path)
    if found is None:
        return default
    return to_decimal(found)


# --- document level --------------------------------------------------------------------------------


def _r007(node, doc) -> bool:
    current = profile(doc)
    return current is not None and current != "Unknown"


def _r002(node, doc) -> bool:
    return len(node.findall(f"{_CBC}Note")) <= 1 or both_de(doc)


# --- allowances and charges --------------------------------------------------------------------------


def _r040(node, doc) -> bool:
    if node.find(f"{_CBC}MultiplierFactorNumeric") is None or node.find(f"{_CBC}BaseAmount") is None:
        return True
    amount = _dec(node, f"{_CBC}Amount", ZERO)
    base = _dec(node, f"{_CBC}BaseAmount")
    factor = _dec(node, f"{_CBC}MultiplierFactorNumeric")
    if amount is None or base is None or factor is None:
        return False
    return slack(amount, (base * factor) / 100, Decimal("0.02"))


def _allowance_shape(node: etree._Element) -> str | None:
    """Which of the R041 / R042 contexts claims this allowance or charge (None: the R040/R043 one)."""
    tags = {child.tag for child in node}
    factor, base = _FACTOR in tags, _BASE_AMOUNT in tags
    if factor and not base:
        return "R041"
    if base and not factor:
        return "R042"
    return None


_FACTOR, _BASE_AMOUNT = f"{_CBC}MultiplierFactorNumeric", f"{_CBC}BaseAmount"


def _charge_indicator_ok(node: etree._Element) -> bool:
    """R043: ``normalize-space(cbc:ChargeIndicator/text())`` is 'true' or 'false'."""
    indicator = node.find(f"{_CBC}ChargeIndicator")
    return indicator is not None and own_text(indicator) in ("true", "false")


def _r046(node, doc) -> bool:
    if node.find(f"{_CBC}BaseAmount") is None:
        return True
    price = _dec(node.getparent(), f"{_CBC}PriceAmount")
    base = _dec(node, f"{_CBC}BaseAmount")
    amount = _dec(node, f"{_CBC}Amount")
    if price is None or base is None or amount is None:
        return False
    return price == base - amount


def _r051(node, doc) -> bool:
    """``@currencyID = $documentCurrencyCode`` (any document currency code element, exact text)."""
    codes = doc.let("documentCurrencyCodes", _document_currency_codes)
    return node.get("currencyID") in codes


def _document_currency_codes(doc: Document) -> set[str]:
    return {string_value(code) for code in doc.root.iterfind(f"{_CBC}DocumentCurrencyCode")}


# --- lines -----------------------------------------------------------------------------------------------


def _round_half_up_cents(total: Decimal) -> Decimal:
    """``round(x * 10 * 10) div 100``: XPath round() goes half towards positive infinity."""
    scaled = total * 100
    return (scaled + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR") / 100


def _sum_cents(amounts: list[etree._Element]) -> Decimal | None:
    """``round(sum(amounts/xs:decimal(.)) * 10 * 10) div 100``; None where a cast fails."""
    if not amounts:  # the sum of nothing is 0, and so is its rounding (most lines have no allowances)
        return ZERO
    total = ZERO
    for amount in amounts:
        value = to_decimal(amount)
        if value is None:
            return None
        total += value
    return _round_half_up_cents(total)


_LINE_AMOUNT, _INVOICED, _CREDITED = f"{_CBC}LineExtensionAmount", f"{_CBC}InvoicedQuantity", f"{_CBC}CreditedQuantity"
_PRICE, _PRICE_AMOUNT, _BASE_QUANTITY = f"{_CAC}Price", f"{_CBC}PriceAmount", f"{_CBC}BaseQuantity"
_ALLOWANCE_CHARGE, _INDICATOR, _AMOUNT = f"{_CAC}AllowanceCharge", f"{_CBC}ChargeIndicator", f"{_CBC}Amount"


def _r120(node, doc) -> bool:
    """R120 with the schematron's lets: missing values default (0, 1), a failed cast fires the rule.

    One pass over the line's children (this runs once per line of possibly very long invoices).
    """
    quantity_tag = _INVOICED if is_invoice(doc) else _CREDITED
    line_amount = quantity = None
    prices: list[etree._Element] = []
    allowances: list[etree._Element] = []
    charges: list[etree._Element] = []
    for child in node:
        tag = child.tag
        if tag == _LINE_AMOUNT:
            line_amount = child if line_amount is None else line_amount
        elif tag == quantity_tag:
            quantity = child if quantity is None else quantity
        elif tag == _PRICE:
            prices.append(child)
        elif tag == _ALLOWANCE_CHARGE:
            indicator = norm(child.find(_INDICATOR))
            if indicator == "false":
                allowances.extend(child.iterchildren(_AMOUNT))
            elif indicator == "true":
                charges.extend(child.iterchildren(_AMOUNT))
    price_node = next((p for price in prices for p in price.iterchildren(_PRICE_AMOUNT)), None)
    base_node = next((b for price in prices for b in price.iterchildren(_BASE_QUANTITY)), None)
    values = (
        ZERO if line_amount is None else to_decimal(line_amount),
        Decimal(1) if quantity is None else to_decimal(quantity),
        ZERO if price_node is None else to_decimal(price_node),
        Decimal(1) if base_node is None else to_decimal(base_node),
        _sum_cents(allowances),
        _sum_cents(charges),
    )
    if None in values:
        return False
    line_value, quantity_value, price, base_quantity, allowance_total, charge_total = values
    if base_quantity == 0:
        base_quantity = Decimal(1)
    expected = quantity_value * (price / base_quantity) + charge_total - allowance_total  # type: ignore[operator]
    return slack(line_value, expected, Decimal("0.02"))  # type: ignore[arg-type]


def _r130(node, doc) -> bool:
    """R130 on ``cac:Price/cbc:BaseQuantity[@unitCode]``: the unit is the (invoiced) quantity's."""
    unit = node.get("unitCode")
    line = node.getparent().getparent() if node.getparent() is not None else None
    if unit is None or line is None:
        return True
    invoiced = line.findall(f"{_CBC}InvoicedQuantity")
    credited = line.findall(f"{_CBC}CreditedQuantity")
    if not invoiced and not credited:
        return True
    return any(quantity.get("unitCode") == unit for quantity in (invoiced if is_invoice(doc) else credited))


def _r101(node, doc) -> bool:
    """``not(cac:DocumentReference) or cac:DocumentReference/cbc:DocumentTypeCode = '130'``."""
    references = node.findall(f"{_CAC}DocumentReference")
    return not references or any(
        string_value(code) == "130" for ref in references for code in ref.iterfind(f"{_CBC}DocumentTypeCode")
    )


def _r121(node, doc) -> bool:
    # the first cac:Price/cbc:BaseQuantity in document order, as find() would give, without ElementPath
    base = next((b for price in node.iterchildren(_PRICE) for b in price.iterchildren(_BASE_QUANTITY)), None)
    if base is None:
        return True
    value = to_decimal(base)
    return value is not None and value > 0


def _date_within(upper: bool) -> Callable[[etree._Element, Document], bool]:
    """R110/R111: a line period date against the document's invoice period date."""
    tag = f"{_CAC}InvoicePeriod/{_CBC}{'EndDate' if upper else 'StartDate'}"
    name = f"invoice period {'end' if upper else 'start'}"

    def document_date(doc: Document) -> tuple[bool, object]:
        other = doc.root.find(tag)  # searched once per document: the root has a child per line
        return other is not None, to_date(other) if other is not None else None

    def test(node, doc) -> bool:
        present, limit = doc.let(name, document_date)
        if not present:  # the schematron context requires the document period date
            return True
        own = to_date(node.text or "")
        if own is None or limit is None:
            return False
        return own <= limit if upper else own >= limit  # type: ignore[operator]

    return test


# --- identifiers (ICD) ----------------------------------------------------------------------------------


#: Every identifier the ICD rules look at, in one pass: each of the schematron's ICD contexts selects
#: one schemeID, so at most one of them claims a node and merging them keeps first-match semantics.
_ICD_CONTEXT = "//cbc:EndpointID | //cac:PartyIdentification/cbc:ID | //cbc:CompanyID"


def _for_scheme(scheme: str, test, endpoint_only: bool = False) -> Callable[[etree._Element, Document], bool]:
    """An ICD assert that applies to ids of one scheme (and for 9907 only to endpoint ids)."""
    compiled = xpath(test) if isinstance(test, str) else test

    def check(node, doc) -> bool:
        if node.get("schemeID") != scheme or (endpoint_only and node.tag != _ENDPOINT):
            return True
        return bool(compiled(node)) if isinstance(test, str) else bool(compiled(node, doc))

    return check


_ENDPOINT = f"{_CBC}EndpointID"


def _digits(count: str) -> Callable[[str], bool]:
    """``matches(value, '^[0-9]{n}$')``."""
    compiled = re.compile(rf"[0-9]{count}")
    return lambda value: bool(compiled.fullmatch(value))


_NINE, _TEN, _ELEVEN, _DIGITS = _digits("{9}"), _digits("{10}"), _digits("{11}"), _digits("+")


def _r040_gln(node, doc) -> bool:
    value = norm(node)
    return _DIGITS(value) and gln(value)


def r041_test(node, doc) -> bool:
    """PEPPOL-COMMON-R041: a 0192 id is 9 digits and passes the organisation number MOD11."""
    value = norm(node)
    return _NINE(value) and mod11(value)


def _r043(node, doc) -> bool:
    value = norm(node)
    return _TEN(value) and mod97_0208(value)


def _r049(node, doc) -> bool:
    value = norm(node)
    return len(value) == 10 and str(xpath_number(value)) != "nan" and check_se_orgnr(value)


def _r050(node, doc) -> bool:
    value = norm(node)
    return _ELEVEN(value) and abn(value)



_ROOT = "/ubl-invoice:Invoice | /ubl-creditnote:CreditNote"
_DOC_ALLOWANCES = (
    "/ubl-invoice:Invoice/cac:AllowanceCharge | /ubl-invoice:Invoice/cac:InvoiceLine/cac:AllowanceCharge"
    " | /ubl-creditnote:CreditNote/cac:AllowanceCharge"
    " | /ubl-creditnote:CreditNote/cac:CreditNoteLine/cac:AllowanceCharge"
)
_R061_CODES = " or ".join(f"normalize-space(cbc:PaymentMeansCode) = '{c}'" for c in lists.CONTEXT_PEPPOL_EN16931_R061)


EMPTY_ELEMENTS = pattern(
    "Empty elements",
    [
        group(
            "//*[not(*) and not(normalize-space())]",
            rule(
                "PEPPOL-EN16931-R008", FATAL, "false()",
                "An element is empty. Remove empty elements or give them a value.",
                "Et element er tomt. Fjern tomme elementer eller gi dem en verdi.",
            ),
        )
    ],
)

PROJECT_REFERENCE = pattern(
    "Credit note project reference",
    [
        group(
            "/ubl-creditnote:CreditNote",
            rule(
                "PEPPOL-EN16931-R080", FATAL,
                "count(cac:AdditionalDocumentReference[cbc:DocumentTypeCode='50']) <= 1",
                "Only one project reference (document type code 50) is allowed on a credit note.",
                "Kun én prosjektreferanse (dokumenttypekode 50) er tillatt på en kreditnota.",
                "BT-11",
            ),
        )
    ],
)

TRANSACTION = pattern(
    "Transaction rules",
    [
        group(
            _ROOT,
            rule(
                "PEPPOL-EN16931-R001", FATAL, "cbc:ProfileID",
                "The business process (cbc:ProfileID) is missing; use urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
                "Forretningsprosess (cbc:ProfileID) mangler; bruk urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
                "BT-23",
            ),
            rule(
                "PEPPOL-EN16931-R007", FATAL, _r007,
                "The business process must have the form urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0.",
                "Forretningsprosessen må ha formen urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0.",
                "BT-23",
            ),
            rule(
                "PEPPOL-EN16931-R002", FATAL, _r002,
                "Only one invoice note is allowed (several only when both seller and buyer are German).",
                "Kun én fakturamerknad er tillatt (flere bare når både selger og kjøper er tyske).",
                "BT-22",
            ),
            rule(
                "PEPPOL-EN16931-R003", FATAL, "cbc:BuyerReference or cac:OrderReference/cbc:ID",
                "Give the buyer reference (BT-10, e.g. «Deres ref») or the purchase order reference (BT-13).",
                "Oppgi kjøpers referanse (BT-10, f.eks. «Deres ref») eller innkjøpsordrereferanse (BT-13).",
                "BT-10", "BT-13",
            ),
            rule(
                "PEPPOL-EN16931-R004", FATAL,
                "starts-with(normalize-space(cbc:CustomizationID/text()),"
                " 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0')",
                "The specification identifier must be"
                " urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0.",
                "Spesifikasjonsidentifikatoren må være"
                " urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0.",
                "BT-24",
            ),
            rule(
                "PEPPOL-EN16931-R053", FATAL, "count(cac:TaxTotal[cac:TaxSubtotal]) = 1",
                "Give exactly one VAT total (cac:TaxTotal) with the VAT breakdown.",
                "Oppgi nøyaktig én MVA-total (cac:TaxTotal) med MVA-spesifikasjon.",
                "BT-110", "BG-23",
            ),
            rule(
                "PEPPOL-EN16931-R054", FATAL,
                "count(cac:TaxTotal[not(cac:TaxSubtotal)]) = number(boolean(cbc:TaxCurrencyCode))",
                "Give one VAT total without breakdown (the VAT in accounting currency) exactly when the VAT"
                " accounting currency is given, and otherwise none.",
                "Oppgi én MVA-total uten spesifikasjon (MVA i regnskapsvaluta) nøyaktig når MVA-regnskapsvaluta"
                " er oppgitt, ellers ingen.",
                "BT-111", "BT-6",
            ),
            rule(
                "PEPPOL-EN16931-R055", FATAL,
                "not(cbc:TaxCurrencyCode)"
                " or (cac:TaxTotal/cbc:TaxAmount[@currencyID=normalize-space(../../cbc:TaxCurrencyCode)] <= 0"
                " and cac:TaxTotal/cbc:TaxAmount[@currencyID=normalize-space(../../cbc:DocumentCurrencyCode)] <= 0)"
                " or (cac:TaxTotal/cbc:TaxAmount[@currencyID=normalize-space(../../cbc:TaxCurrencyCode)] >= 0"
                " and cac:TaxTotal/cbc:TaxAmount[@currencyID=normalize-space(../../cbc:DocumentCurrencyCode)] >= 0)",
                "The total VAT in invoice currency and in accounting currency must have the same sign.",
                "Total MVA i fakturavaluta og i regnskapsvaluta må ha samme fortegn.",
                "BT-110", "BT-111",
            ),
        ),
        group(
            "//cbc:TaxCurrencyCode",
            rule(
                "PEPPOL-EN16931-R005", FATAL,
                "not(normalize-space(text()) = normalize-space(../cbc:DocumentCurrencyCode/text()))",
                "The VAT accounting currency must differ from the invoice currency; leave it out otherwise.",
                "MVA-regnskapsvalutaen må være ulik fakturavalutaen; utelat den ellers.",
                "BT-6", "BT-5",
            ),
        ),
        group(
            "//cac:AccountingCustomerParty/cac:Party",
            rule(
                "PEPPOL-EN16931-R010", FATAL, "cbc:EndpointID",
                "The buyer's electronic address (cbc:EndpointID, e.g. 0192 + organisation number) is missing.",
                "Kjøpers elektroniske adresse (cbc:EndpointID, f.eks. 0192 + organisasjonsnummer) mangler.",
                "BT-49",
            ),
        ),
        group(
            "//cac:AccountingSupplierParty/cac:Party",
            rule(
                "PEPPOL-EN16931-R020", FATAL, "cbc:EndpointID",
                "The seller's electronic address (cbc:EndpointID, e.g. 0192 + organisation number) is missing.",
                "Selgers elektroniske adresse (cbc:EndpointID, f.eks. 0192 + organisasjonsnummer) mangler.",
                "BT-34",
            ),
        ),
        # R041, R042 and R040/R043 are three schematron rules over the same nodes: an allowance or
        # charge claimed by the R041 (or R042) context is not seen by the later ones. One group whose
        # tests say which of the three contexts would have claimed the node gives the same verdicts.
        group(
            _DOC_ALLOWANCES,
            rule(
                "PEPPOL-EN16931-R041", FATAL, lambda node, doc: _allowance_shape(node) != "R041",
                "An allowance or charge percentage is given without its base amount; add the base amount.",
                "En prosentsats for rabatt eller gebyr er oppgitt uten grunnlagsbeløp; legg til grunnlaget.",
                "BT-93", "BT-100", "BT-137", "BT-142",
            ),
            rule(
                "PEPPOL-EN16931-R042", FATAL, lambda node, doc: _allowance_shape(node) != "R042",
                "An allowance or charge base amount is given without its percentage; add the percentage.",
                "Et grunnlagsbeløp for rabatt eller gebyr er oppgitt uten prosentsats; legg til satsen.",
                "BT-94", "BT-101", "BT-138", "BT-143",
            ),
            rule(
                "PEPPOL-EN16931-R040", FATAL, lambda node, doc: _allowance_shape(node) is not None or _r040(node, doc),
                "The allowance or charge amount must equal base amount × percentage / 100 (±0.02).",
                "Rabatt- eller gebyrbeløpet må være grunnlag × prosentsats / 100 (±0,02).",
                "BT-92", "BT-99", "BT-136", "BT-141",
            ),
            rule(
                "PEPPOL-EN16931-R043",
                FATAL,
                lambda node, doc: _allowance_shape(node) is not None or _charge_indicator_ok(node),
                "The charge indicator must be exactly 'true' (charge) or 'false' (allowance).",
                "Gebyrindikatoren må være nøyaktig 'true' (gebyr) eller 'false' (rabatt).",
                "BG-20", "BG-21",
            ),
        ),
        group(
            f"//cac:PaymentMeans[{_R061_CODES}]",
            rule(
                "PEPPOL-EN16931-R061", FATAL, "cac:PaymentMandate/cbc:ID",
                "Direct debit (payment means 49 or 59) needs the mandate reference.",
                "Direkte belastning (betalingsmåte 49 eller 59) krever mandatreferanse.",
                "BT-89",
            ),
        ),
        group(
            anywhere(
                "cbc:Amount | cbc:BaseAmount | cbc:PriceAmount | cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount"
                " | cac:TaxSubtotal/cbc:TaxAmount | cbc:TaxableAmount | cbc:LineExtensionAmount"
                " | cbc:TaxExclusiveAmount"
                " | cbc:TaxInclusiveAmount | cbc:AllowanceTotalAmount | cbc:ChargeTotalAmount | cbc:PrepaidAmount"
                " | cbc:PayableRoundingAmount | cbc:PayableAmount"
            ),
            rule(
                "PEPPOL-EN16931-R051", FATAL, _r051,
                "Every amount must be in the invoice currency (currencyID = BT-5); only the VAT total in"
                " accounting currency (BT-111) may differ.",
                "Alle beløp må være i fakturavalutaen (currencyID = BT-5); bare total MVA i regnskapsvaluta"
                " (BT-111) kan avvike.",
                "BT-5",
            ),
        ),
        group(
            # The schematron's [cac:InvoicePeriod/cbc:StartDate] on the root is checked in the test.
            "/ubl-invoice:Invoice/cac:InvoiceLine/cac:InvoicePeriod/cbc:StartDate"
            " | /ubl-creditnote:CreditNote/cac:CreditNoteLine/cac:InvoicePeriod/cbc:StartDate",
            rule(
                "PEPPOL-EN16931-R110", FATAL, _date_within(upper=False),
                "The line period start date is before the invoice period start date.",
                "Linjeperiodens startdato er før fakturaperiodens startdato.",
                "BT-134", "BT-73",
            ),
        ),
        group(
            "/ubl-invoice:Invoice/cac:InvoiceLine/cac:InvoicePeriod/cbc:EndDate"
            " | /ubl-creditnote:CreditNote/cac:CreditNoteLine/cac:InvoicePeriod/cbc:EndDate",
            rule(
                "PEPPOL-EN16931-R111", FATAL, _date_within(upper=True),
                "The line period end date is after the invoice period end date.",
                "Linjeperiodens sluttdato er etter fakturaperiodens sluttdato.",
                "BT-135", "BT-74",
            ),
        ),
        group(
            "//cac:InvoiceLine | //cac:CreditNoteLine",
            rule(
                "PEPPOL-EN16931-R120", FATAL, _r120,
                "The line net amount must equal quantity × (net price / price base quantity) + line charges"
                " − line allowances (±0.02).",
                "Linjens nettobeløp må være antall × (nettopris / prisgrunnlag) + linjegebyrer − linjerabatter"
                " (±0,02).",
                "BT-131", "BT-129", "BT-146", "BT-149",
            ),
            rule(
                "PEPPOL-EN16931-R121", FATAL, _r121,
                "The price base quantity must be a number above zero.",
                "Prisgrunnlaget (antall) må være et tall større enn null.",
                "BT-149",
            ),
            rule(
                "PEPPOL-EN16931-R100", FATAL, lambda node, doc: len(node.findall(f"{_CAC}DocumentReference")) <= 1,
                "Only one invoiced object reference is allowed per line.",
                "Kun én objektreferanse er tillatt per linje.",
                "BT-128",
            ),
            rule(
                "PEPPOL-EN16931-R101", FATAL, _r101,
                "A line document reference may only be an invoiced object (document type code 130).",
                "En dokumentreferanse på linjen kan bare være et fakturert objekt (dokumenttypekode 130).",
                "BT-128",
            ),
        ),
        group(
            "//cac:Price/cac:AllowanceCharge",
            rule(
                "PEPPOL-EN16931-R044", FATAL, lambda node, doc: norm(node.find(f"{_CBC}ChargeIndicator")) == "false",
                "Only a discount is allowed on the price (charge indicator 'false').",
                "Bare rabatt er tillatt på prisen (gebyrindikator 'false').",
                "BT-147",
            ),
            rule(
                "PEPPOL-EN16931-R046", FATAL, _r046,
                "The net price must equal the gross price minus the price discount.",
                "Nettoprisen må være bruttopris minus prisrabatt.",
                "BT-146", "BT-148", "BT-147",
            ),
        ),
        group(
            "//cac:Price/cbc:BaseQuantity",  # [@unitCode] of the schematron context: in the test
            rule(
                "PEPPOL-EN16931-R130", FATAL, _r130,
                "The unit of the price base quantity must be the unit of the invoiced quantity.",
                "Enheten for prisgrunnlaget må være samme enhet som fakturert antall.",
                "BT-150", "BT-130",
            ),
        ),
        group(
            _ICD_CONTEXT,
            rule(
                "PEPPOL-COMMON-R040", FATAL, _for_scheme("0088", _r040_gln),
                "A GLN (scheme 0088) must be digits with a valid GS1 check digit.",
                "Et GLN (skjema 0088) må være sifre med gyldig GS1-kontrollsiffer.",
                "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R041", FATAL, _for_scheme("0192", r041_test),
                "A Norwegian organisation number (scheme 0192) must be exactly 9 digits with a valid MOD11"
                " check digit, without spaces or the MVA suffix.",
                "Et norsk organisasjonsnummer (skjema 0192) må være nøyaktig 9 sifre med gyldig MOD11-kontrollsiffer,"
                " uten mellomrom eller MVA.",
                "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R042",
                FATAL,
                _for_scheme(
                    "0184",
                    "(string-length(string()) = 10 and substring(string(), 1, 2) = 'DK'"
                    " and string-length(translate(substring(string(), 3, 8), '1234567890', '')) = 0)"
                    " or (string-length(string()) = 8)"
                    " and (string-length(translate(substring(string(), 1, 8),'1234567890', '')) = 0)",
                ),
                "A Danish CVR number (scheme 0184) must be 8 digits, optionally prefixed DK.",
                "Et dansk CVR-nummer (skjema 0184) må være 8 sifre, eventuelt med prefiks DK.",
                "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R043", FATAL, _for_scheme("0208", _r043),
                "A Belgian enterprise number (scheme 0208) must be 10 digits with a valid mod 97 check.",
                "Et belgisk foretaksnummer (skjema 0208) må være 10 sifre med gyldig mod 97-kontroll.",
                "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R044", WARNING, _for_scheme("0201", lambda node, doc: check_codice_ipa(norm(node))),
                "An Italian IPA code (scheme 0201) should be 6 letters or digits.",
                "En italiensk IPA-kode (skjema 0201) bør være 6 bokstaver eller sifre.",
                "BT-29", "BT-34", "BT-46", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R045", WARNING, _for_scheme("0210", lambda node, doc: check_cf(norm(node))),
                "An Italian tax code (Codice Fiscale, scheme 0210) should have 16 characters or 11 digits.",
                "En italiensk skattekode (Codice Fiscale, skjema 0210) bør ha 16 tegn eller 11 sifre.",
                "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R046",
                WARNING,
                _for_scheme("9907", lambda node, doc: check_cf(norm(node)), endpoint_only=True),
                "An Italian tax code (Codice Fiscale, scheme 9907) should have 16 characters or 11 digits.",
                "En italiensk skattekode (Codice Fiscale, skjema 9907) bør ha 16 tegn eller 11 sifre.",
                "BT-34", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R047", WARNING, _for_scheme("0211", lambda node, doc: check_piva_se_it(norm(node))),
                "An Italian VAT code (Partita IVA, scheme 0211) should be IT + 11 digits with a valid check digit.",
                "En italiensk MVA-kode (Partita IVA, skjema 0211) bør være IT + 11 sifre med gyldig kontrollsiffer.",
                "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R049", FATAL, _for_scheme("0007", _r049),
                "A Swedish organisation number (scheme 0007) must be 10 digits with a valid Luhn check digit.",
                "Et svensk organisasjonsnummer (skjema 0007) må være 10 sifre med gyldig Luhn-kontrollsiffer.",
                "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49",
            ),
            rule(
                "PEPPOL-COMMON-R050", FATAL, _for_scheme("0151", _r050),
                "An Australian Business Number (scheme 0151) must be 11 digits with a valid check.",
                "Et australsk ABN (skjema 0151) må være 11 sifre med gyldig kontroll.",
                "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49",
            ),
        ),
    ],
)

PATTERNS = (EMPTY_ELEMENTS, PROJECT_REFERENCE, TRANSACTION)
