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

from nofaktura.ehf.rules import CONFIGURATIONS, validate_root
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


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_official_unit_case(case: UnitCase) -> None:
    rulesets = CONFIGURATIONS[case.configuration]
    findings = validate_root(case.document, rulesets)
    problems = case.check(findings)
    assert not problems, f"{case.name} ({case.description}): " + "; ".join(problems)


def test_exceptions_name_real_cases() -> None:
    names = {c.name for c in CASES} | {c.name.split("#", 1)[0] + "#*" for c in CASES}
    unknown = sorted(set(EXCEPTIONS) - names)
    assert not unknown, f"conformance-exceptions.tsv lists cases that do not exist: {unknown}"
