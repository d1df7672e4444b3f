"""The EHF / Peppol BIS 3 rule sets and the configurations that combine them.

Each rule-set module exposes ``PATTERNS`` (a sequence of :class:`~.engine.Pattern`) and
``VERSION`` (the official artefact release its rules follow). A *configuration* names the rule sets
one official validation runs, with the ids vefa-validator's test files use.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache

from lxml import etree

from nofaktura.ehf.rules.engine import Finding, Flag, Pattern, evaluate_sets

#: rule-set name -> module holding its PATTERNS
RULESET_MODULES: dict[str, str] = {
    "structure": "nofaktura.ehf.rules.structure",  # BIS 3 syntax: elements, order, cardinality
    "cen": "nofaktura.ehf.rules.cen",  # CEN EN 16931 UBL (BR-*, BR-CO-*, BR-DEC-*, BR-CL-*, UBL-*)
    "peppol": "nofaktura.ehf.rules.peppol",  # PEPPOL-EN16931-*, PEPPOL-COMMON-*, national rules (NO-R-*)
}

#: configuration id (as in the official buildconfig / vefa test sets) -> rule sets it runs
CONFIGURATIONS: dict[str, tuple[str, ...]] = {
    "tc434-ubl": ("cen",),
    "tc434-ubl-cn": ("cen",),
    "peppolbis-en16931-base-3.0-ubl": ("peppol",),
    "peppolbis-en16931-01-3.0-ubl-invoice": ("structure", "cen", "peppol"),
    "ehf": ("structure", "cen", "peppol"),
}

DEFAULT_RULESETS: tuple[str, ...] = CONFIGURATIONS["ehf"]


@cache
def patterns(ruleset: str) -> tuple[Pattern, ...]:
    module = importlib.import_module(RULESET_MODULES[ruleset])
    return tuple(module.PATTERNS)


def validate_root(root: etree._Element, rulesets: Sequence[str] = DEFAULT_RULESETS) -> list[Finding]:
    """Findings of the named rule sets on a parsed UBL document; never raises on a bad invoice."""
    return evaluate_sets(root, [patterns(name) for name in rulesets])


__all__ = ["CONFIGURATIONS", "DEFAULT_RULESETS", "Finding", "Flag", "patterns", "validate_root"]
