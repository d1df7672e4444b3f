"""Every full example in the corpora that claims Peppol BIS Billing 3.0 passes the Peppol rule set.

The examples of the Peppol repository (examples, national examples, snippets) and the Norwegian EHF
billing example must give no fatal Peppol finding. The CEN repository's BIS 3 test files are older
than two identifier checks and use made-up identifiers: there the only fatal findings allowed are
PEPPOL-COMMON-R049 and SE-R-013 (Swedish organisation number, Luhn) and PEPPOL-COMMON-R040 (GLN), and each one
is cross-checked with python-stdnum's independent implementation, so an allowance cannot hide a bug.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from stdnum import ean, luhn

from nofaktura.ehf.rules import validate_root
from nofaktura.xml import parse_untrusted_file
from tests.conftest import CORPORA

BIS3 = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
P3 = CORPORA / "peppol-bis-invoice-3" / "rules"
CEN_REPO = CORPORA / "eInvoicing-EN16931"
#: rule -> (independent check, where the value is relative to the finding's location)
CROSS_CHECK = {
    "PEPPOL-COMMON-R049": (luhn.is_valid, "."),
    "SE-R-013": (luhn.is_valid, "cbc:CompanyID"),
    "PEPPOL-COMMON-R040": (ean.is_valid, "."),
}
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def bis3_examples() -> list[Path]:
    files = [
        *sorted((P3 / "examples").glob("*.xml")),
        *sorted((P3 / "national-examples").glob("*/*.xml")),
        *sorted((P3 / "snippets").glob("*.xml")),
        CORPORA / "ehf-norway" / "g3" / "docs" / "billing-3.0" / "norway" / "files" / "ehf-3-faktura-1.xml",
        *sorted((CEN_REPO / "ubl" / "examples").glob("*")),
        *sorted((CEN_REPO / "test" / "testfiles").glob("*.xml")),
    ]
    chosen = []
    for path in files:
        root = parse_untrusted_file(path).getroot()
        customization = root.findtext("{*}CustomizationID") or ""
        if customization.strip() == BIS3:
            chosen.append(path)
    return chosen


EXAMPLES = bis3_examples() if CORPORA.is_dir() else []


def test_enough_examples_are_in_scope() -> None:
    assert len(EXAMPLES) >= 50
    assert P3 / "national-examples" / "NO" / "Norwegian-example-1.xml" in EXAMPLES


@pytest.mark.parametrize("ruleset", ["peppol", "peppol-3.0.19"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(CORPORA).as_posix())
def test_no_fatal_peppol_finding(path: Path, ruleset: str) -> None:
    root = parse_untrusted_file(path).getroot()
    fatal = [f for f in validate_root(root, (ruleset,)) if str(f.flag) == "fatal"]
    if CEN_REPO not in path.parents:
        assert fatal == []
        return
    for finding in fatal:
        assert finding.rule in CROSS_CHECK, finding
        check, relative = CROSS_CHECK[finding.rule]
        location = "/*/" + finding.location.split("/", 2)[2]  # /Invoice/a/b -> /*/a/b
        [node] = root.getroottree().xpath(f"{location}/{relative}", namespaces=NS)
        assert not check("".join(node.itertext()).strip()), finding


@pytest.mark.parametrize(("ruleset", "count"), [("peppol-3.0.19", 156), ("peppol", 165)])
def test_every_peppol_rule_is_declared_with_both_languages_and_a_business_term(ruleset: str, count: int) -> None:
    from nofaktura.ehf.rules import patterns
    from nofaktura.ehf.rules.engine import iter_rules

    rules = list(iter_rules(patterns(ruleset)))
    assert len({rule.id for rule in rules}) == count  # every assert id of PEPPOL-EN16931-UBL.sch (3.0.19 / 3.0.21)
    for rule in rules:
        assert rule.en and rule.nb and rule.en != rule.nb, rule.id
        if rule.id != "PEPPOL-EN16931-R008":  # "no empty elements" is about every element, no one term
            assert rule.terms and all(term.startswith(("BT-", "BG-")) for term in rule.terms), rule.id
