"""The EHF / Peppol BIS 3 rule sets and the configurations that combine them.

Each rule-set module exposes ``PATTERNS`` (a sequence of :class:`~.engine.Pattern`) and
``VERSION`` (the official artefact release its rules follow). A *configuration* names the rule sets
one official validation runs, with the ids vefa-validator's test files use.
"""

from __future__ import annotations

import copy
import importlib
import re
from collections.abc import Sequence
from functools import cache

from lxml import etree

from nofaktura.ehf.rules.engine import Finding, Flag, Pattern, evaluate_sets
from nofaktura.ehf.rules.spec import specification_findings

#: rule-set name -> module holding its PATTERNS
RULESET_MODULES: dict[str, str] = {
    "structure": "nofaktura.ehf.rules.structure",  # BIS 3 syntax: elements, order, cardinality
    "cen": "nofaktura.ehf.rules.cen",  # CEN EN 16931 UBL (BR-*, BR-CO-*, BR-DEC-*, BR-CL-*, UBL-*)
    "peppol": "nofaktura.ehf.rules.peppol",  # PEPPOL-EN16931-*, PEPPOL-COMMON-*, national rules (NO-R-*): 3.0.21
    "peppol-3.0.19": "nofaktura.ehf.rules.peppol_3_0_19",  # the same, as in BIS Billing release 3.0.19
    "peppol-sb": "nofaktura.ehf.rules.peppol_sb",  # Peppol BIS Self-Billing 3.0 (of release 3.0.21)
    "peppol-t111": "nofaktura.ehf.rules.peppol_t111",  # Peppol Invoice Response (T111, of release 3.0.21)
}

#: Peppol rule set -> the one that judges a self-billing document instead (a release that has one)
SELF_BILLING_RULESETS: dict[str, str] = {"peppol": "peppol-sb"}
_SELF_BILLING_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"

#: Peppol BIS Billing release -> the rule set holding its Peppol rules. The first is the default.
RELEASES: dict[str, str] = {"3.0.21": "peppol", "3.0.19": "peppol-3.0.19"}
DEFAULT_RELEASE = next(iter(RELEASES))

#: configuration id (as in the official buildconfig / vefa test sets) -> rule sets it runs
CONFIGURATIONS: dict[str, tuple[str, ...]] = {
    "tc434-ubl": ("cen",),
    "tc434-ubl-cn": ("cen",),
    "peppolbis-en16931-base-3.0-ubl": ("peppol",),
    "peppolbis-en16931-01-3.0-ubl-invoice": ("structure", "cen", "peppol"),
    "ehf": ("structure", "cen", "peppol"),
    # the same for an older release (vefa unit tests of 3.0.19 name the configurations above)
    "peppolbis-en16931-base-3.0-ubl@3.0.19": ("peppol-3.0.19",),
    "ehf@3.0.19": ("structure", "cen", "peppol-3.0.19"),
    # a Peppol Invoice Response (UBL ApplicationResponse): its UBL 2.1 schema and the T111 rules
    "peppol-invoice-response": ("peppol-t111",),
}

#: The rule sets that judge an ApplicationResponse (Peppol Invoice Response), whatever was asked for
#: invoices: none of the invoice rules (structure, CEN, Peppol billing) looks at such a document.
INVOICE_RESPONSE_RULESETS: tuple[str, ...] = CONFIGURATIONS["peppol-invoice-response"]


def rulesets_for(release: str) -> tuple[str, ...]:
    """The rule sets of a full EHF validation under one BIS Billing release (``"3.0.19"``)."""
    if release not in RELEASES:
        raise ValueError(f"unknown Peppol BIS Billing release {release!r}; known: {', '.join(RELEASES)}")
    return tuple(RELEASES[release] if name == "peppol" else name for name in CONFIGURATIONS["ehf"])

DEFAULT_RULESETS: tuple[str, ...] = CONFIGURATIONS["ehf"]


#: UBL numeric types by element name: AmountType, QuantityType, PercentType, NumericType
_NUMERIC_NAMES = ("Amount", "Quantity", "Percent", "Numeric")
_PLUS_DECIMAL = re.compile(r"\s*\+(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")


def _signed_numbers(root: etree._Element) -> list[etree._Element]:
    """Number elements whose text is a plus-signed decimal (one pass; text is looked at only there)."""
    found = []
    for node in root.iter(etree.Element):
        text = node.text
        if text and "+" in text[:64] and node.tag.endswith(_NUMERIC_NAMES) and _PLUS_DECIMAL.fullmatch(text):
            found.append(node)
    return found


def _numbers_as_xpath2_reads_them(root: etree._Element) -> etree._Element:
    """The document as the rules' XPath 1.0 tests must see it: ``+25.0`` in a number element as ``25.0``.

    The official rules are XPath 2.0, where ``cbc:Percent > 0`` casts ``+25.0`` to 25 (a leading
    plus sign is valid in xs:decimal and xs:double), while XPath 1.0's ``number('+25.0')`` is NaN:
    BR-S-05, BR-27, BR-28 and others would fire on a valid invoice. So the plus sign is dropped from
    the amounts, quantities, percents and numerics (a copy, only when there is one: rare). Leading
    zeros (``007.50``) need nothing, XPath 1.0 reads them alike; the Python tests read both through
    ``to_decimal``. A ``+`` anywhere else (a code, an identifier) stays: there the official rules
    compare strings and ``+380`` is not ``380``.
    """
    if not _signed_numbers(root):
        return root
    root = copy.deepcopy(root)
    for node in _signed_numbers(root):
        node.text = (node.text or "").replace("+", "", 1)
    return root


@cache
def patterns(ruleset: str) -> tuple[Pattern, ...]:
    module = importlib.import_module(RULESET_MODULES[ruleset])
    return tuple(module.PATTERNS)


def validate_root(root: etree._Element, rulesets: Sequence[str] = DEFAULT_RULESETS) -> list[Finding]:
    """Findings of the named rule sets on a parsed UBL document; never raises on a bad invoice.

    When a Peppol rule set runs (so the document is judged as BIS Billing 3 / EHF 3), a document
    that claims another specification first gets one NOFAKTURA-SPEC finding saying so (see
    :mod:`.spec`): the many rule findings that follow all come from that one cause.
    """
    customization = " ".join((root.findtext("{*}CustomizationID") or "").split())
    if customization.startswith(_SELF_BILLING_ID) and not customization.startswith(_SELF_BILLING_ID + "#"):
        # a self-billing invoice is judged by the self-billing schematron where the release has one
        rulesets = tuple(SELF_BILLING_RULESETS.get(name, name) for name in rulesets)
    findings = evaluate_sets(_numbers_as_xpath2_reads_them(root), [patterns(name) for name in rulesets])
    if any(name in RELEASES.values() for name in rulesets):
        findings[:0] = specification_findings(root)
    return findings


__all__ = [
    "CONFIGURATIONS",
    "DEFAULT_RELEASE",
    "DEFAULT_RULESETS",
    "INVOICE_RESPONSE_RULESETS",
    "RELEASES",
    "Finding",
    "Flag",
    "patterns",
    "rulesets_for",
    "validate_root",
]
