"""Conformance with the official unit tests of the CEN and Peppol validation artefacts.

Every ``<test>`` of the UBL unit test sets runs through our engine with the rule sets of its
configuration; within the set's scope the expected rules fire the stated number of times with the
stated flag and the others do not. A case may only fail if it is listed, with a reason, in
``conformance-exceptions.tsv`` (then it is an xfail that must keep failing: a listed case that
starts passing fails the run, so the list stays true).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf.rules import CONFIGURATIONS, RELEASES, validate_root
from tests.conftest import CORPORA
from tests.ehf.vefa import UnitCase, read_test_set

UNIT_FOLDERS = [
    *sorted((CORPORA / "peppol-bis-invoice-3" / "rules").glob("unit-UBL-*")),
    CORPORA / "eInvoicing-EN16931" / "test" / "Invoice-unit-UBL",
    CORPORA / "eInvoicing-EN16931" / "test" / "CreditNote-unit-UBL",
]
EXCEPTIONS_FILE = Path(__file__).with_name("conformance-exceptions.tsv")


def _exceptions() -> dict[str, str]:
    reasons: dict[str, str] = {}
    with EXCEPTIONS_FILE.open(encoding="utf-8") as handle:
        for row in csv.reader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t"):
            case, reason = row[0].strip(), row[1].strip()
            if not reason:
                raise ValueError(f"{EXCEPTIONS_FILE.name}: {case} has no reason")
            reasons[case] = reason
    return reasons


def _cases() -> list[UnitCase]:
    cases: list[UnitCase] = []
    for folder in UNIT_FOLDERS:
        for path in sorted(folder.glob("*.xm*")):
            cases.extend(read_test_set(path, CORPORA))
    return cases


CASES = _cases() if CORPORA.is_dir() else []
EXCEPTIONS = _exceptions()


def _param(case: UnitCase):
    file_key = case.name.split("#", 1)[0] + "#*"
    reason = EXCEPTIONS.get(case.name) or EXCEPTIONS.get(file_key)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, id=case.name, marks=marks)


def test_corpora_present():
    assert CASES, f"no official unit tests found under {CORPORA}"


P3019 = CORPORA / "peppol-bis-invoice-3"
SCH = "{http://purl.oclc.org/dsdl/schematron}"


def _release_rulesets(case: UnitCase, release: str) -> tuple[str, ...]:
    """The case's configuration with the Peppol rules of ``release``."""
    return tuple(RELEASES[release] if name == "peppol" else name for name in CONFIGURATIONS[case.configuration])


def _asserts(path: Path) -> dict[str, tuple[str, str, str]]:
    """Assert id -> (context, flag, normalised test) of a Peppol schematron."""
    found: dict[str, tuple[str, str, str]] = {}
    for rule in etree.parse(str(path)).iter(f"{SCH}rule"):
        for node in rule.iter(f"{SCH}assert"):
            found[node.get("id")] = (" ".join(rule.get("context", "").split()), node.get("flag"),
                                     " ".join(node.get("test", "").split()))
    return found


def _unchanged_in_3_0_21() -> set[str]:
    """Peppol rule ids whose context, flag and test are the same in 3.0.19 and 3.0.21 (and that do not
    use ``$profile``, the ``<let>`` lists or the DE regex values, which changed)."""
    old = _asserts(P3019 / "rules" / "sch" / "PEPPOL-EN16931-UBL.sch")
    new = _asserts(CORPORA / "peppol-bis-3.0.21" / "sch" / "PEPPOL-EN16931-UBL.sch")
    changed_lets = ("$profile", "$ISO4217", "$eaid", "$XR-")
    return {
        rule for rule, value in old.items()
        if new.get(rule) == value and not any(let in value[0] + value[2] for let in changed_lets)
    }


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_official_unit_case(case: UnitCase) -> None:
    # the Peppol unit tests in the corpora are those of release 3.0.19: run them on its rules
    release = "3.0.19" if P3019 in case.file.parents else next(iter(RELEASES))
    rulesets = _release_rulesets(case, release)
    findings = validate_root(case.document, rulesets)
    problems = case.check(findings)
    assert not problems, f"{case.name} ({case.description}): " + "; ".join(problems)


UNCHANGED = _unchanged_in_3_0_21() if CORPORA.is_dir() else set()
CARRIED_OVER = [
    c for c in CASES
    if P3019 in c.file.parents and c.scope and c.scope <= UNCHANGED and c.name not in EXCEPTIONS
]


def test_most_peppol_unit_cases_carry_over_to_3_0_21() -> None:
    assert len(CARRIED_OVER) > 400, len(CARRIED_OVER)


@pytest.mark.parametrize("case", CARRIED_OVER, ids=lambda c: c.name)
def test_unit_case_of_an_unchanged_rule_passes_on_3_0_21(case: UnitCase) -> None:
    """3.0.21 brings no unit tests; a 3.0.19 case about a rule 3.0.21 did not change must still pass."""
    problems = case.check(validate_root(case.document, _release_rulesets(case, "3.0.21")))
    assert not problems, f"{case.name} ({case.description}): " + "; ".join(problems)


def test_exceptions_name_real_cases() -> None:
    names = {c.name for c in CASES} | {c.name.split("#", 1)[0] + "#*" for c in CASES}
    unknown = sorted(set(EXCEPTIONS) - names)
    assert not unknown, f"conformance-exceptions.tsv lists cases that do not exist: {unknown}"
