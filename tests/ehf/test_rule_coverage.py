"""Every official rule id has an implementation or a documented reason why not.

The official ids are read from the schematron files in the corpora (CEN EN 16931 UBL and Peppol
BIS 3 UBL). A rule counts as implemented when a registered rule set declares it with the same flag
as the official assert. ``rules-not-implemented.tsv`` lists the others, each with its reason.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf.rules import RULESET_MODULES, patterns
from nofaktura.ehf.rules.engine import iter_rules
from tests.conftest import CORPORA

SCH = "http://purl.oclc.org/dsdl/schematron"
CEN_SCH = (
    CORPORA / "eInvoicing-EN16931" / "ubl" / "schematron" / "preprocessed" / "EN16931-UBL-validation-preprocessed.sch"
)
#: each BIS Billing release: its Peppol schematron and the rule sets that implement it
RELEASE_SCHEMATRONS = {
    "3.0.19": (CORPORA / "peppol-bis-invoice-3" / "rules" / "sch" / "PEPPOL-EN16931-UBL.sch", "peppol-3.0.19"),
    "3.0.21": (CORPORA / "peppol-bis-3.0.21" / "sch" / "PEPPOL-EN16931-UBL.sch", "peppol"),
    "3.0.21-self-billing": (CORPORA / "peppol-bis-3.0.21" / "sch" / "PEPPOL-EN16931-UBL-SB.sch", "peppol-sb"),
}
SCHEMATRONS = [CEN_SCH, *(sch for sch, _ in RELEASE_SCHEMATRONS.values())]
NOT_IMPLEMENTED = Path(__file__).with_name("rules-not-implemented.tsv")


def official_rules(schematrons: list[Path] = SCHEMATRONS) -> dict[str, str]:
    """Official rule id -> flag, from the schematron asserts."""
    rules: dict[str, str] = {}
    for path in schematrons:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        for node in tree.iter(f"{{{SCH}}}assert"):
            rule_id = node.get("id")
            if rule_id:
                rules[rule_id] = node.get("flag", "fatal")
    return rules


def documented_gaps() -> dict[str, str]:
    gaps: dict[str, str] = {}
    with NOT_IMPLEMENTED.open(encoding="utf-8") as handle:
        for row in csv.reader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t"):
            assert len(row) >= 2 and row[1].strip(), f"{NOT_IMPLEMENTED.name}: {row[0]} has no reason"
            gaps[row[0].strip()] = row[1].strip()
    return gaps


def implemented_rules(rulesets: tuple[str, ...] = tuple(RULESET_MODULES)) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name in rulesets:
        for rule in iter_rules(patterns(name)):
            found.setdefault(rule.id, set()).add(str(rule.flag))
    return found


def test_every_official_rule_is_implemented_or_documented() -> None:
    official = official_rules()
    implemented = implemented_rules()
    gaps = documented_gaps()
    missing = sorted(rule for rule in official if rule not in implemented and rule not in gaps)
    assert not missing, f"{len(missing)} official rules have no implementation and no documented reason: {missing}"


@pytest.mark.parametrize("release", sorted(RELEASE_SCHEMATRONS))
def test_flags_match_the_official_ones(release: str) -> None:
    # per release: DK-R-003 is a warning in 3.0.19 and fatal in 3.0.21
    sch, peppol = RELEASE_SCHEMATRONS[release]
    official = official_rules([CEN_SCH, sch])
    wrong = sorted(
        f"{rule}: ours {sorted(flags)}, official {official[rule]}"
        for rule, flags in implemented_rules(("structure", "cen", peppol)).items()
        if rule in official and flags != {official[rule]}
    )
    assert not wrong, wrong


@pytest.mark.parametrize("release", sorted(RELEASE_SCHEMATRONS))
def test_each_release_implements_exactly_its_own_peppol_rules(release: str) -> None:
    sch, peppol = RELEASE_SCHEMATRONS[release]
    assert set(implemented_rules((peppol,))) == set(official_rules([sch]))


def test_documented_gaps_are_real_and_not_implemented() -> None:
    official = official_rules()
    implemented = implemented_rules()
    gaps = documented_gaps()
    stale = sorted(rule for rule in gaps if rule not in official or rule in implemented)
    assert not stale, f"rules-not-implemented.tsv lists rules that are implemented or unknown: {stale}"
