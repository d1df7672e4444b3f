"""The shared functions and derived values of the Peppol BIS 3 schematron, in Python.

``rules/sch/PEPPOL-EN16931-UBL.sch`` declares a few XSLT functions (``u:gln``, ``u:mod11``,
``u:mod97-0208``, ``u:checkCF`` ...) and document-level ``<let>`` values (``$profile``,
``$supplierCountry`` ...) that many asserts use. They are written once here, with the schematron's
exact semantics (including its quirks, e.g. ``u:mod11`` accepting a check digit of 0 for a
remainder of 1), and the rule modules call them.

The ``let_*`` functions take a :class:`~nofaktura.ehf.rules.engine.Document` and are meant for
``doc.let(name, fn)``, so each value is computed once per document.

>>> mod11("123456785"), mod11("123456789")
(True, False)
>>> gln("5790000436101"), mod97_0208("0123456749")
(True, True)
"""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from nofaktura.ehf.namespaces import CAC, CBC, CREDIT_NOTE, INVOICE
from nofaktura.ehf.rules.engine import Document, Flag, Rule

__all__ = [
    "abn",
    "anywhere",
    "both_de",
    "check_cf",
    "check_cf16",
    "check_codice_ipa",
    "check_piva",
    "check_piva_se_it",
    "check_se_orgnr",
    "gln",
    "is_credit_note",
    "is_invoice",
    "let_customer_country",
    "let_customer_country_is_de",
    "let_profile",
    "let_supplier_country",
    "let_supplier_country_is_de",
    "mod11",
    "mod97_0208",
    "norm",
    "own_text",
    "profile",
    "rule",
    "slack",
    "string_value",
    "tin_verification",
    "to_date",
    "to_decimal",
    "xpath_number",
]

_CAC = f"{{{CAC}}}"
_CBC = f"{{{CBC}}}"

# --- XPath 2.0 value semantics ---------------------------------------------------------------------


def string_value(node: etree._Element | str | None) -> str:
    """XPath string value: the concatenated text of an element, '' for nothing."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    if not len(node):  # no children (not even comments): the text is the whole string value
        return node.text or ""
    return "".join(node.itertext())


def norm(value: etree._Element | str | None) -> str:
    """``normalize-space()``: trim, and collapse inner whitespace to one space."""
    return " ".join(string_value(value).split())


_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DOUBLE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN")


def to_decimal(value: etree._Element | str | None) -> Decimal | None:
    """``xs:decimal(value)``, or None where that cast is an error (the rule then fires)."""
    text = string_value(value).strip()
    if not _DECIMAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def xpath_number(value: etree._Element | str | None) -> float:
    """``number(value)`` of XPath 2.0: a double, NaN where the text is no number."""
    text = string_value(value).strip()
    if not _DOUBLE.fullmatch(text):
        return math.nan
    return float(text.replace("INF", "inf"))


_DATE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?")


def to_date(value: etree._Element | str | None) -> datetime.date | None:
    """``xs:date(value)`` (time zone ignored), or None where the cast is an error."""
    match = _DATE.fullmatch(string_value(value).strip())
    if not match:
        return None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def slack(expected: Decimal, value: Decimal, tolerance: Decimal) -> bool:
    """``u:slack``: ``value`` lies within ``expected`` ± ``tolerance``."""
    return expected + tolerance >= value and expected - tolerance <= value


# --- check-digit functions (u:*) ---------------------------------------------------------------------


def _digits_before_last(value: str) -> list[int]:
    """Codepoint - 48 of every character but the last, right to left (the schematron's ``$digits``)."""
    return [ord(char) - 48 for char in reversed(value[:-1])]


def _last_digit(value: str) -> float:
    return xpath_number(value[-1:])


def gln(value: str) -> bool:
    """``u:gln``: GS1 check digit (weights 3,1 from the right)."""
    digits = _digits_before_last(value)
    total = sum(digit * (1 + (((i + 1) % 2) * 2)) for i, digit in enumerate(digits))
    return (10 - (total % 10)) % 10 == _last_digit(value)


def mod11(value: str) -> bool:
    """``u:mod11``: Norwegian organisation number check (weights 2..7 from the right), value > 0."""
    digits = _digits_before_last(value)
    total = sum(digit * ((i % 6) + 2) for i, digit in enumerate(digits))
    return xpath_number(value) > 0 and (11 - (total % 11)) % 11 == _last_digit(value)


def mod97_0208(value: str) -> bool:
    """``u:mod97-0208``: Belgian enterprise number, 97 - (first 8 digits mod 97) = digits 9-10."""
    head = value[:8]
    if not re.fullmatch(r"[+-]?\d+", head.strip()):
        return False
    return xpath_number(value[8:10]) == 97 - (int(head) % 97)


def check_codice_ipa(value: str | None) -> bool:
    """``u:checkCodiceIPA``: exactly 6 ASCII letters or digits."""
    value = value or ""
    return len(value) == 6 and all(char.isascii() and char.isalnum() for char in value)


def _castable_integer(value: str) -> bool:
    return bool(re.fullmatch(r"[+-]?\d+", value.strip()))


def _letters_only(value: str) -> bool:
    return all(char.isascii() and char.isalpha() for char in value)


def check_cf16(value: str | None) -> bool:
    """``u:checkCF16``: the shape of a 16-character Italian Codice Fiscale."""
    value = value or ""
    return (
        _letters_only(value[0:6])
        and _castable_integer(value[6:8])
        and _letters_only(value[8:9])
        and _castable_integer(value[9:11])
        and _castable_integer(value[14:15])
        and _letters_only(value[15:16])
    )


def check_cf(value: str | None) -> bool:
    """``u:checkCF``: a 16-character Codice Fiscale, or 11 characters castable as an integer."""
    value = value or ""
    if len(value) == 16:
        return check_cf16(value)
    if len(value) == 11:
        return _castable_integer(value)
    return False


def check_piva(value: str | None) -> int:
    """``u:checkPIVA``: 0 when an Italian Partita IVA's Luhn-like sum is a multiple of 10."""
    value = value or ""
    if not _castable_integer(value):
        return 1
    total, even = 0, False
    for char in value:  # u:addPIVA walks left to right, doubling every second digit via a table
        if not char.isdigit():  # a sign: the recursion stops where the rest is not an integer
            break
        digit = int(char)
        total += int("0246813579"[digit]) if even else digit
        even = not even
    return total % 10


def check_piva_se_it(value: str) -> bool:
    """``u:checkPIVAseIT``: with an ``IT`` prefix, 11 digits whose check sum is right."""
    country, code = value[:2], value[2:]
    if country in ("IT", "it"):
        return len(code) == 11 and check_piva(code) == 0
    return True


def abn(value: str) -> bool:
    """``u:abn``: Australian Business Number, weighted sum mod 89 (first digit minus 1)."""
    if len(value) < 11:
        return False
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    total = (ord(value[0]) - 49) * weights[0]
    total += sum((ord(char) - 48) * weight for char, weight in zip(value[1:11], weights[1:], strict=True))
    return total % 89 == 0


def tin_verification(value: str) -> bool:
    """``u:TinVerification``: Greek TIN (AFM) check digit over 9 characters."""
    if len(value) < 9:
        return False
    numbers = [xpath_number(char) for char in value[:9]]
    checksum = sum(numbers[7 - i] * (2 ** (i + 1)) for i in range(8))
    if math.isnan(checksum):
        return False
    return (checksum % 11) % 10 == numbers[8]


def check_se_orgnr(value: str) -> bool:
    """``u:checkSEOrgnr``: digits only, Luhn check digit in position 10 over the first 9."""
    if not re.fullmatch(r"\d+", value, re.ASCII) or not re.search(r"\d", value):
        return False
    main = value[:9]
    total = 0
    for pos in range(1, len(main) + 1):
        digit = int(main[len(main) - pos])
        total += (digit * 2) % 10 + (digit * 2) // 10 if pos % 2 == 1 else digit
    return (10 - total % 10) % 10 == xpath_number(value[9:10])


# --- declaring rules ----------------------------------------------------------------------------------


def rule(rule_id: str, flag: Flag, test: Any, en: str, nb: str, *terms: str) -> Rule:
    """A :class:`~nofaktura.ehf.rules.engine.Rule` with the business terms as trailing arguments."""
    return Rule(rule_id, flag, test, en, nb, terms)


def own_text(node: etree._Element) -> str:
    """``normalize-space(text())``: the element's own (first) text, normalised."""
    return " ".join((node.text or "").split())


def anywhere(union: str) -> str:
    """An XSLT match pattern ``a | b/c`` as an XPath from the root: ``//a | //b/c``."""
    return " | ".join(f"//{part.strip()}" for part in union.split("|"))


def profile(doc: Document) -> str | None:
    """``$profile``, once per document."""
    return doc.let("profile", let_profile)


def both_de(doc: Document) -> bool:
    """``$supplierCountryIsDE and $customerCountryIsDE``, once per document."""
    return doc.let("supplierCountryIsDE", let_supplier_country_is_de) and doc.let(
        "customerCountryIsDE", let_customer_country_is_de
    )


# --- document-level values (<let>) -------------------------------------------------------------------


def _party_vat_prefix(party: etree._Element | None) -> str:
    """``PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 1, 2)`` (first)."""
    if party is None:
        return ""
    for scheme in party.iterfind(f"{_CAC}PartyTaxScheme"):
        if any(string_value(tid) == "VAT" for tid in scheme.iterfind(f"{_CAC}TaxScheme/{_CBC}ID")):
            return string_value(scheme.find(f"{_CBC}CompanyID"))[:2]
    return ""


_COUNTRY = f"{_CAC}PostalAddress/{_CAC}Country/{_CBC}IdentificationCode"


def _country_code(party: etree._Element | None) -> str:
    if party is None:
        return ""
    return string_value(party.find(_COUNTRY))


def _supplier(doc) -> etree._Element | None:
    return doc.root.find(f"{_CAC}AccountingSupplierParty/{_CAC}Party")


def _customer(doc) -> etree._Element | None:
    return doc.root.find(f"{_CAC}AccountingCustomerParty/{_CAC}Party")


def let_profile(doc) -> str | None:
    """``$profile``: the NN of a ``...:billing:NN:1.0`` ProfileID, ``Unknown``, or None (no 7th token)."""
    profile = doc.root.find(f"{_CBC}ProfileID")
    text = norm(profile)
    if profile is None or not re.search(r"urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0", text):
        return "Unknown"
    tokens = text.split(":")
    return tokens[6] if len(tokens) > 6 else None


def let_supplier_country(doc) -> str:
    """``$supplierCountry``: seller VAT prefix, else tax representative VAT prefix, else country, else XX."""
    prefix = _party_vat_prefix(_supplier(doc))
    if not prefix:
        prefix = _party_vat_prefix(doc.root.find(f"{_CAC}TaxRepresentativeParty"))
    if not prefix:
        supplier = _supplier(doc)
        if supplier is not None and supplier.find(_COUNTRY) is not None:
            prefix = _country_code(supplier)
        else:
            return "XX"
    return norm(prefix).upper()


def let_customer_country(doc) -> str:
    """``$customerCountry``: buyer VAT prefix, else buyer country, else XX."""
    customer = _customer(doc)
    prefix = _party_vat_prefix(customer)
    if not prefix:
        if customer is not None and customer.find(_COUNTRY) is not None:
            prefix = _country_code(customer)
        else:
            return "XX"
    return norm(prefix).upper()


def let_supplier_country_is_de(doc) -> bool:
    """``$supplierCountryIsDE``: the seller's postal country is DE."""
    return norm(_country_code(_supplier(doc))).upper() == "DE"


def let_customer_country_is_de(doc) -> bool:
    """``$customerCountryIsDE``: the buyer's postal country is DE."""
    return norm(_country_code(_customer(doc))).upper() == "DE"


def is_invoice(doc) -> bool:
    """``/ubl-invoice:Invoice`` exists."""
    return doc.root.tag == f"{{{INVOICE}}}Invoice"


def is_credit_note(doc) -> bool:
    """``/ubl-creditnote:CreditNote`` exists."""
    return doc.root.tag == f"{{{CREDIT_NOTE}}}CreditNote"
