"""Reader for the official vefa-validator unit test files (``<testSet>``) and their expectations.

Semantics, from vefa-validator (see ``peppol-bis-invoice-3/SOURCE.txt`` in the corpora):

* the set-level ``<assert><scope>`` lists are merged into every test; only findings whose rule
  id is in scope count;
* ``<success>ID</success>``: the rule must not fire;
* ``<error>``/``<fatal>`` ID: the rule must fire as *fatal* exactly ``number`` times (default 1);
  ``<warning>`` ID: it must fire as *warning* exactly ``number`` times.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

VEFA = "http://difi.no/xsd/vefa/validator/1.0"


@dataclass
class Expectation:
    rule: str
    kind: str  # success | fatal | warning
    number: int = 1


@dataclass
class UnitCase:
    file: Path
    number: int  # 1-based position of the <test> in the file
    configuration: str
    scope: set[str]
    expectations: list[Expectation]
    document: etree._Element
    description: str = ""
    name: str = field(default="")

    def check(self, findings: list) -> list[str]:
        """Problems with ``findings`` against the expectations; empty when the case passes."""
        fired: Counter[tuple[str, str]] = Counter()
        for finding in findings:
            if finding.rule in self.scope:
                fired[(finding.rule, str(finding.flag))] += 1
        problems: list[str] = []
        for expectation in self.expectations:
            if expectation.kind == "success":
                count = fired[(expectation.rule, "fatal")] + fired[(expectation.rule, "warning")]
                if count:
                    problems.append(f"{expectation.rule} must not fire but fired {count} time(s)")
            else:
                count = fired[(expectation.rule, expectation.kind)]
                if count != expectation.number:
                    problems.append(
                        f"{expectation.rule} must fire as {expectation.kind} {expectation.number} time(s),"
                        f" fired {count}"
                        + (
                            f" (and {fired[(expectation.rule, 'warning' if expectation.kind == 'fatal' else 'fatal')]}"
                            " with the other flag)"
                        )
                    )
        return problems


def _texts(element: etree._Element, tag: str) -> list[etree._Element]:
    return element.findall(f"{{{VEFA}}}{tag}")


def _read_assert(assert_el: etree._Element | None) -> tuple[set[str], list[Expectation], str]:
    scope: set[str] = set()
    expectations: list[Expectation] = []
    description = ""
    if assert_el is None:
        return scope, expectations, description
    for child in assert_el:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        text = (child.text or "").strip()
        if local == "scope":
            scope.add(text)
        elif local == "description":
            description = text
        elif local == "success":
            expectations.append(Expectation(text, "success"))
        elif local in ("error", "fatal", "warning"):
            kind = "warning" if local == "warning" else "fatal"
            expectations.append(Expectation(text, kind, int(child.get("number", "1"))))
    return scope, expectations, description


def read_test_set(path: Path, base: Path) -> Iterator[UnitCase]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.parse(str(path), parser).getroot()
    configuration = root.get("configuration", "")
    set_scope, set_expectations, set_description = _read_assert(root.find(f"{{{VEFA}}}assert"))
    for number, test in enumerate(_texts(root, "test"), start=1):
        scope, expectations, description = _read_assert(test.find(f"{{{VEFA}}}assert"))
        documents = [c for c in test if isinstance(c.tag, str) and etree.QName(c).namespace != VEFA]
        if not documents:
            continue
        document = copy.deepcopy(documents[0])
        all_expectations = set_expectations + expectations
        all_scope = set_scope | scope | {e.rule for e in all_expectations}
        yield UnitCase(
            file=path,
            number=number,
            configuration=test.get("configuration", configuration),
            scope=all_scope,
            expectations=all_expectations,
            document=etree.ElementTree(document).getroot(),
            description=description or set_description,
            name=f"{path.relative_to(base).as_posix()}#{number}",
        )
