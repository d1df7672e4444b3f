"""Peppol BIS Self-Billing 3.0 rules (``PEPPOL-EN16931-UBL-SB.sch`` of BIS release 3.0.21).

A self-billing invoice (the buyer issues it on the seller's behalf) claims
``urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0``. Its schematron
is the billing one (:mod:`.peppol`, 3.0.21) without the national patterns and without P0112, and
with: R004 for the self-billing CustomizationID, ``$profile`` for
``urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0`` (and the French and billing-with-response
processes), P0100/P0101 for the self-billing type codes (389, 527 / 261) in profile 01 only, R051
without the context ``cac:TaxSubtotal/cbc:TaxAmount``, and its own ISO 4217 and EAS lists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from lxml import etree

from nofaktura.ehf.rules import peppol
from nofaktura.ehf.rules.data import peppol_sch_lists_3_0_21_sb as lists
from nofaktura.ehf.rules.engine import Document, Pattern
from nofaktura.ehf.rules.peppol_functions import anywhere, norm, own_text

__all__ = ["PATTERNS", "SELF_BILLING", "VERSION"]

VERSION = lists.VERSION
#: The CustomizationID of Peppol BIS Self-Billing 3.0.
SELF_BILLING = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"

_PROFILE_01 = (
    "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0",
    "urn:peppol:france:billing:regulated",
    "urn:peppol:france:billing:non-regulated",
)


def _let_profile(doc: Document) -> str:
    text = norm(doc.root.find("{*}ProfileID"))
    if text in _PROFILE_01:
        return "01"
    return "02" if text == "urn:peppol:bis:billing_with_response" else "Unknown"


def profile_sb(doc: Document) -> str:
    """``$profile`` of the self-billing schematron, once per document."""
    return doc.let("profile-sb-3.0.21", _let_profile)


def _profile_01_codes(codes: tuple[str, ...]) -> Callable[[etree._Element, Document], bool]:
    allowed = frozenset(codes)
    return lambda node, doc: profile_sb(doc) != "01" or own_text(node) in allowed


def _attribute_in(name: str, tokens: tuple[str, ...]) -> Callable[[etree._Element, Document], bool]:
    allowed = frozenset(tokens)
    return lambda node, doc: node.get(name) in allowed


_R051_CONTEXT = anywhere(
    "cbc:Amount | cbc:BaseAmount | cbc:PriceAmount | cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount"
    " | cbc:TaxableAmount | cbc:LineExtensionAmount | cbc:TaxExclusiveAmount | cbc:TaxInclusiveAmount"
    " | cbc:AllowanceTotalAmount | cbc:ChargeTotalAmount | cbc:PrepaidAmount | cbc:PayableRoundingAmount"
    " | cbc:PayableAmount"
)


def _is_peppol_wide(item: Pattern) -> bool:
    """The transaction and code-list patterns (not a national one)."""
    return all(rule.id.startswith("PEPPOL-") for group in item.groups for rule in group.rules)


def _build() -> tuple[Pattern, ...]:
    kept = tuple(item for item in peppol.PATTERNS if _is_peppol_wide(item))
    result = peppol.edit_rules(
        kept,
        {
            "PEPPOL-EN16931-R004": {
                "test": f"starts-with(normalize-space(cbc:CustomizationID/text()), '{SELF_BILLING}')"
                " and not(contains(normalize-space(cbc:CustomizationID/text()), '::'))",
                "en": f"The specification identifier must be {SELF_BILLING} (self-billing).",
                "nb": f"Spesifikasjonsidentifikatoren må være {SELF_BILLING} (selvfakturering).",
            },
            "PEPPOL-EN16931-R007": {
                "test": lambda node, doc: profile_sb(doc) != "Unknown",
                "en": "The business process must be urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0 or another"
                " approved one.",
                "nb": "Forretningsprosessen må være urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0 eller en"
                " annen godkjent.",
            },
            "PEPPOL-EN16931-P0100": {
                "test": _profile_01_codes(lists.PEPPOL_EN16931_P0100),
                "en": "A self-billing invoice must have type code 389 or 527.",
                "nb": "En selvfaktura må ha typekode 389 eller 527.",
            },
            "PEPPOL-EN16931-P0101": {
                "test": _profile_01_codes(lists.PEPPOL_EN16931_P0101),
                "en": "A self-billing credit note must have type code 261.",
                "nb": "En selvkreditnota må ha typekode 261.",
            },
            "PEPPOL-EN16931-CL007": {"test": _attribute_in("currencyID", lists.ISO4217)},
            "PEPPOL-EN16931-CL008": {"test": _attribute_in("schemeID", lists.EAID)},
        },
    )
    result = peppol.edit_groups(
        result, "PEPPOL-EN16931-R051", lambda group: (dataclasses.replace(group, context=_R051_CONTEXT),)
    )
    result = tuple(
        dataclasses.replace(
            item,
            groups=tuple(
                dataclasses.replace(group, rules=tuple(r for r in group.rules if r.id != "PEPPOL-EN16931-P0112"))
                for group in item.groups
            ),
        )
        for item in result
    )
    return tuple(
        dataclasses.replace(item, groups=tuple(group for group in item.groups if group.rules)) for item in result
    )


PATTERNS = _build()
