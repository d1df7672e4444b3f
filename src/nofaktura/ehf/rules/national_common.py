"""Helpers shared by the national rule modules of Peppol BIS 3.

The national patterns guard their contexts with document-level values (``$supplierCountry``,
``$supplierCountryIsNL`` ...). Where XPath 1.0 can state the guard exactly it stays in the context
(``SUPPLIER_COUNTRY``, ``upper()``); where it needs a Python value (the VAT-prefix based
``$supplierCountry``) the context keeps its node test and every assert is wrapped in
:func:`guard`, which lets it pass when the guard is false. That is the same verdict as long as no
other group of the pattern could claim the same node, which each module checks for its pattern.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from nofaktura.ehf.rules.engine import Document, xpath
from nofaktura.ehf.rules.peppol_functions import let_customer_country, let_supplier_country, rule

__all__ = [
    "CUSTOMER_COUNTRY",
    "SUPPLIER_COUNTRY",
    "customer_country",
    "document_flag",
    "guard",
    "rule",
    "supplier_country",
    "upper",
]

#: The seller's / buyer's postal country code, as an absolute XPath (``/*/...``).
SUPPLIER_COUNTRY = "/*/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
CUSTOMER_COUNTRY = "/*/cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def upper(expression: str) -> str:
    """``upper-case(expression)`` in XPath 1.0 (ASCII; exact for comparisons with ASCII country codes)."""
    return f"translate({expression}, '{_LOWER}', '{_UPPER}')"


def supplier_country(doc: Document) -> str:
    """``$supplierCountry`` of the Peppol schematron (computed once per document)."""
    return doc.let("supplierCountry", let_supplier_country)


def customer_country(doc: Document) -> str:
    """``$customerCountry`` of the Peppol schematron (computed once per document)."""
    return doc.let("customerCountry", let_customer_country)


Test = Any  # an XPath 1.0 string or a callable (node, doc) -> bool


def document_flag(name: str, expression: str) -> Callable[[Document], bool]:
    """A document-level condition written in XPath, evaluated once per document.

    Used for guards such as "the seller is Swedish" that the schematron writes inside a context's
    predicate with an absolute path: evaluated per candidate node that repeats a whole-document
    search, which is quadratic on invoices with many lines.
    """
    compiled = xpath(f"boolean({expression})")
    return lambda doc: doc.let(name, lambda d: bool(compiled(d.root)))


def guard(condition: Callable[[Document], bool], test: Test) -> Callable[[etree._Element, Document], bool]:
    """``test`` where ``condition(doc)`` holds; passes (does not apply) elsewhere."""
    if isinstance(test, str):
        compiled = xpath(test)

        def check(node: etree._Element, doc: Document) -> bool:
            return not condition(doc) or bool(compiled(node))

    else:

        def check(node: etree._Element, doc: Document) -> bool:
            return not condition(doc) or bool(test(node, doc))

    return check


