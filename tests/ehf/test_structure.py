"""The BIS 3 structure rule set: generated from the syntax binding, quiet on every official example.

Every full example in the corpora that claims Peppol BIS Billing 3.0 must give no fatal structure
finding; constructed documents show each of the four findings with the element, its business term
and the parent's location.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf.rules import validate_root
from nofaktura.ehf.rules.structure import MISSING, PATTERNS, REPEATED, REQUIRED, TOO_MANY, UNKNOWN
from nofaktura.xml import parse_untrusted_file
from tests.conftest import CORPORA

P3 = CORPORA / "peppol-bis-invoice-3" / "rules"
NORWEGIAN = P3 / "national-examples" / "NO" / "Norwegian-example-1.xml"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}


def full_examples() -> list[Path]:
    """Every full UBL example the corpora ship (BIS 3 ones and others, which are out of scope)."""
    files = [
        *sorted((P3 / "examples").glob("*.xml")),
        *sorted((P3 / "national-examples").glob("*/*.xml")),
        *sorted((P3 / "snippets").glob("*.xml")),
        *sorted((CORPORA / "eInvoicing-EN16931" / "ubl" / "examples").glob("*")),
        *sorted((CORPORA / "eInvoicing-EN16931" / "test" / "testfiles").glob("*.xml")),
        *sorted((CORPORA / "ehf-norway" / "g3" / "docs" / "billing-3.0" / "norway" / "files").glob("*.xml")),
    ]
    return [path for path in files if path.suffix.lower() == ".xml"]


#: Examples upstream ships although the official validation rejects them, with the check we expect.
UPSTREAM_INVALID: dict[str, set[tuple[str, str]]] = {}


def _root(path: Path) -> etree._Element:
    # The Italian G2G example is 3.2 MB; the default limit of the safe parser is larger.
    return parse_untrusted_file(path).getroot()


def _fatal(root: etree._Element) -> set[tuple[str, str]]:
    return {(f.rule, f.location) for f in validate_root(root, ("structure",)) if str(f.flag) == "fatal"}


@pytest.mark.parametrize("path", full_examples(), ids=lambda p: p.relative_to(CORPORA).as_posix())
def test_no_fatal_structure_finding_on_full_examples(path: Path) -> None:
    key = path.relative_to(P3).as_posix() if P3 in path.parents else ""
    assert _fatal(_root(path)) == UPSTREAM_INVALID.get(key, set())


def test_examples_are_found(corpora: Path) -> None:
    names = {p.name for p in full_examples()}
    assert {"Norwegian-example-1.xml", "base-example.xml", "ehf-3-faktura-1.xml", "Invoice-Max_content.xml"} <= names


def _norwegian() -> etree._Element:
    return copy.deepcopy(_root(NORWEGIAN))


def _findings(root: etree._Element) -> list:
    return validate_root(root, ("structure",))


def test_norwegian_example_is_clean() -> None:
    assert _findings(_norwegian()) == []


def test_missing_mandatory_element_is_fatal_and_named() -> None:
    root = _norwegian()
    line = root.find("cac:InvoiceLine", NS)
    line.remove(line.find("cbc:ID", NS))
    [finding] = _findings(root)
    assert (finding.rule, str(finding.flag), finding.location) == (MISSING, "fatal", "/Invoice/cac:InvoiceLine[1]")
    assert "cbc:ID" in finding.message and "BT-126" in finding.message and "cac:InvoiceLine" in finding.message
    assert "mangler" in finding.message_nb


def test_mandatory_in_bis3_only_is_a_warning() -> None:
    # The GR example without a seller legal entity: the schema allows that, BR-06 (CEN) rejects it.
    root = _root(P3 / "national-examples" / "GR" / "GR-base-example-TaxRepresentative.xml")
    [finding] = [f for f in _findings(root) if f.rule != UNKNOWN]
    assert (finding.rule, str(finding.flag)) == (REQUIRED, "warning")
    assert finding.location == "/Invoice/cac:AccountingSupplierParty/cac:Party"
    assert "cac:PartyLegalEntity" in finding.message


def test_missing_in_credit_note() -> None:
    root = _root(P3 / "examples" / "base-creditnote-correction.xml")
    root.remove(root.find("cac:LegalMonetaryTotal", NS))
    assert {(f.rule, f.location) for f in _findings(root)} == {(MISSING, "/CreditNote")}


def test_too_many_where_the_schema_limits_it_too_is_fatal() -> None:
    root = _norwegian()
    order = root.find("cac:OrderReference", NS)
    order.addnext(copy.deepcopy(order))
    [finding] = _findings(root)
    assert (finding.rule, str(finding.flag), finding.location) == (TOO_MANY, "fatal", "/Invoice")
    assert "cac:OrderReference" in finding.message and "at most 1" in finding.message


def test_repetition_the_schema_allows_is_only_a_warning() -> None:
    # BIS 3 allows one note, UBL any number; PEPPOL-EN16931-R002 gives the verdict (DE <-> DE may repeat).
    root = _norwegian()
    note = root.find("cbc:Note", NS)
    note.addnext(copy.deepcopy(note))
    [finding] = _findings(root)
    assert (finding.rule, str(finding.flag), finding.location) == (REPEATED, "warning", "/Invoice")
    assert "BT-22" in finding.message


def test_unknown_element_is_a_warning_at_the_element() -> None:
    root = _norwegian()
    party = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    etree.SubElement(party, f"{{{CBC}}}WebsiteURI").text = "https://example.no"
    etree.SubElement(root, f"{{{CBC}}}UBLVersionID").text = "2.1"
    found = {(f.rule, str(f.flag), f.location) for f in _findings(root)}
    assert found == {
        (UNKNOWN, "warning", "/Invoice/cac:AccountingSupplierParty/cac:Party/cbc:WebsiteURI"),
        (UNKNOWN, "warning", "/Invoice/cbc:UBLVersionID"),
    }


def test_children_of_an_unknown_element_are_not_examined() -> None:
    root = _norwegian()
    extra = etree.SubElement(root, f"{{{CAC}}}Signature")
    etree.SubElement(extra, f"{{{CBC}}}ID").text = "x"
    assert [(f.rule, f.location) for f in _findings(root)] == [(UNKNOWN, "/Invoice/cac:Signature")]


def test_other_specifications_are_out_of_scope() -> None:
    root = _norwegian()
    root.find("cbc:CustomizationID", NS).text = "urn:cen.eu:en16931:2017"
    line = root.find("cac:InvoiceLine", NS)
    line.remove(line.find("cbc:ID", NS))
    assert _findings(root) == []


def test_every_rule_has_both_languages() -> None:
    rules = [rule for pattern in PATTERNS for group in pattern.groups for rule in group.rules]
    assert len(rules) > 400
    assert all(rule.en and rule.nb and rule.en != rule.nb for rule in rules)
    assert {rule.id for rule in rules} == {MISSING, REQUIRED, TOO_MANY, REPEATED, UNKNOWN}


def test_revalidating_a_changed_tree_sees_the_change() -> None:
    # The walk behind the contexts is made once per evaluation; it must not outlive it.
    root = _norwegian()
    assert _findings(root) == []
    line = root.find("cac:InvoiceLine", NS)
    line.remove(line.find("cbc:ID", NS))
    assert [f.rule for f in _findings(root)] == [MISSING]
    etree.SubElement(root, f"{{{CBC}}}UBLVersionID").text = "2.1"
    assert sorted(f.rule for f in _findings(root)) == [MISSING, UNKNOWN]


def test_children_of_a_leaf_element_are_unknown() -> None:
    root = _norwegian()
    note = root.find("cbc:Note", NS)
    etree.SubElement(note, f"{{{CBC}}}Text").text = "x"
    assert [(f.rule, f.location) for f in _findings(root)] == [(UNKNOWN, "/Invoice/cbc:Note/cbc:Text")]
