"""The engine's one-walk context dispatch selects exactly the nodes lxml's XPath selects.

Verdicts depend on which nodes each context matches, so for every context of every registered
rule set that the engine matches itself, the walk must return the XPath node set, in document
order, on the official examples and a spread of the official unit-test fragments.
"""

from __future__ import annotations

from functools import cache

import pytest
from lxml import etree

from nofaktura.ehf.namespaces import NSMAP
from nofaktura.ehf.rules import RULESET_MODULES, patterns
from nofaktura.ehf.rules.engine import (
    Document,
    Flag,
    Rule,
    _compile_context,
    _Plan,
    descendant_steps,
    evaluate,
    xpath,
)
from nofaktura.ehf.rules.engine import group as make_group
from nofaktura.ehf.rules.engine import pattern as make_pattern
from nofaktura.xml import load_ubl
from tests.conftest import CORPORA
from tests.ehf.test_rules_cen import full_examples
from tests.ehf.vefa import read_test_set

UNIT_FOLDERS = [
    CORPORA / "eInvoicing-EN16931" / "test" / "Invoice-unit-UBL",
    CORPORA / "eInvoicing-EN16931" / "test" / "CreditNote-unit-UBL",
    *sorted((CORPORA / "peppol-bis-invoice-3" / "rules").glob("unit-UBL-*")),
]


@cache
def _documents() -> list[tuple[str, etree._Element]]:
    documents = [(p.name, load_ubl(p.read_bytes())[0]) for p in full_examples()]
    for folder in UNIT_FOLDERS:
        for index, path in enumerate(sorted(folder.glob("*.xml"))):
            if index % 3 == 0:
                documents.extend((case.name, case.document) for case in read_test_set(path, CORPORA))
    return documents


@pytest.mark.parametrize("ruleset", sorted(RULESET_MODULES))
def test_walk_selects_what_xpath_selects(ruleset: str) -> None:
    rule_patterns = patterns(ruleset)
    plan = _Plan(rule_patterns)
    if ruleset == "cen":
        assert len(plan.keys) > 100, "the CEN contexts should all be matched by the walk"
    for name, root in _documents():
        matched = plan.match(root)
        for key in plan.keys:
            context = rule_patterns[key[0]].groups[key[1]].context
            expected = [n for n in xpath(context)(root) if isinstance(n, etree._Element)]
            assert matched[key] == expected, f"{name}: {context}"


def test_contexts_the_walk_cannot_do_are_left_to_lxml() -> None:
    assert _compile_context("//*[not(*)]") is None  # wildcard with a predicate: lxml is faster
    assert _compile_context("//cac:Item//cbc:Name") is None  # '//' inside a path
    assert _compile_context("//cac:InvoiceLine[1]") is None  # positional predicate
    assert _compile_context("//cac:X/../cbc:Y") is None
    branches = _compile_context("/ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = 'a]b'] | //cbc:Note")
    assert branches is not None and len(branches) == 2 and branches[0].anchored


def _xpath_strings() -> set[str]:
    expressions: set[str] = set()
    for ruleset in RULESET_MODULES:
        for pattern in patterns(ruleset):
            for group in pattern.groups:
                expressions.add(group.context)
                expressions.update(rule.test for rule in group.rules if isinstance(rule.test, str))
    return {e for e in expressions if descendant_steps(e) != e}


def test_descendant_rewrite_selects_the_same() -> None:
    rewritten = _xpath_strings()
    assert len(rewritten) > 20
    for name, root in _documents()[::4]:
        for expression in rewritten:
            plain = etree.XPath(expression, namespaces=NSMAP, smart_strings=False)(root)
            assert xpath(expression)(root) == plain, f"{name}: {expression}"


def test_descendant_rewrite_leaves_positional_predicates() -> None:
    assert descendant_steps("//cac:X[1]") == "//cac:X[1]"
    assert descendant_steps("//cac:X[cbc:Y + 1]") == "//cac:X[cbc:Y + 1]"
    assert descendant_steps("count(//cac:X[last()])") == "count(//cac:X[last()])"
    assert descendant_steps("'//cac:X[a=b]'") == "'//cac:X[a=b]'"
    assert descendant_steps("//cac:X[cbc:Y = 'a]b']/cbc:Z") == "/descendant::cac:X[cbc:Y = 'a]b']/cbc:Z"


@pytest.mark.parametrize("ruleset", sorted(RULESET_MODULES))
def test_group_nodes_select_what_the_context_selects(ruleset: str) -> None:
    """A group's Python ``nodes`` function (used instead of its XPath context) gives the same nodes."""
    # a group with a ``report`` (the UBL schema check) has no context nodes: its findings come whole
    groups = [group for pattern in patterns(ruleset) for group in pattern.groups if group.report is None]
    with_nodes = [group for group in groups if group.nodes is not None]
    if ruleset == "structure":
        assert len(with_nodes) == len(groups)
    found = 0
    for name, root in _documents():
        doc = Document(root)
        for group in groups:  # in order: the structure XPath functions scan at the first group
            expected = [n for n in xpath(group.context)(root) if isinstance(n, etree._Element)]
            if group.nodes is not None:
                assert list(group.nodes(doc)) == expected, f"{name}: {group.context}"
                found += len(expected)
    if with_nodes:
        assert found > 0, "the documents should exercise the structure groups"


def test_a_node_is_handled_by_the_first_group_of_its_pattern_that_selects_it() -> None:
    """Schematron semantics the engine keeps while remembering only the nodes a later group of the
    pattern could select: a later group (walked, or evaluated by lxml) never sees them again."""
    root = etree.fromstring(
        f'<Invoice xmlns="{NSMAP["ubl"]}" xmlns:cac="{NSMAP["cac"]}" xmlns:cbc="{NSMAP["cbc"]}">'
        "<cac:A><cbc:ID>1</cbc:ID></cac:A><cbc:ID>2</cbc:ID><cbc:Note>x</cbc:Note></Invoice>".encode()
    )

    def failing(rule_id: str) -> Rule:
        return Rule(rule_id, Flag.FATAL, "false()", rule_id, rule_id)

    rules = (
        make_pattern("p", [
            make_group("//cac:A/cbc:ID", failing("FIRST")),
            make_group("//cbc:Note", failing("NOTE")),
            make_group("//cbc:ID", failing("SECOND")),
            make_group("//*[self::cbc:Note or self::cbc:ID]", failing("ANY")),  # left to lxml: could be anything
        ]),
    )
    found = [(finding.rule, finding.location.rsplit("/", 2)[-2:]) for finding in evaluate(root, rules)]
    assert [rule for rule, _location in found] == ["FIRST", "NOTE", "SECOND"]
    assert found[0][1][0] == "cac:A" and found[2][1][0] != "cac:A"
