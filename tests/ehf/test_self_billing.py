"""Peppol BIS Self-Billing 3.0 (PEPPOL-EN16931-UBL-SB.sch, release 3.0.21) for self-billing documents.

The verdicts below were cross-checked against the official schematron run by Saxon-HE (examples
and these edits: 32 documents, identical findings); the test keeps ours fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf.rules import patterns, validate_root
from nofaktura.ehf.rules.engine import iter_rules
from nofaktura.ehf.validation import validate
from tests.conftest import CORPORA

EXAMPLES = CORPORA / "ehf-norway" / "g3" / "src" / "self-billing-3.0" / "rules" / "example"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


def _examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.xml")) if EXAMPLES.is_dir() else []


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.name)
def test_self_billing_examples_are_valid(path: Path) -> None:
    result = validate(path.read_bytes(), source=path.name)
    assert result.findings == (), result.findings


def _fired(root: etree._Element) -> set[str]:
    return {f.rule for f in validate_root(root, ("peppol",))}


def test_self_billing_rules_replace_the_billing_ones() -> None:
    root = etree.parse(str(EXAMPLES / "SB-base-example.xml")).getroot()
    assert _fired(root) == set()
    root.find(f"{CBC}ProfileID").text = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"  # a billing process
    assert "PEPPOL-EN16931-R007" in _fired(root)
    root.find(f"{CBC}ProfileID").text = "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0"
    root.find(f"{CBC}InvoiceTypeCode").text = "380"  # a commercial invoice, not a self-billed one
    assert "PEPPOL-EN16931-P0100" in _fired(root)


def test_self_billing_credit_note_type_code() -> None:
    root = etree.parse(str(EXAMPLES / "SB-base-creditnote-correction.xml")).getroot()
    root.find(f"{CBC}CreditNoteTypeCode").text = "381"
    assert "PEPPOL-EN16931-P0101" in _fired(root)


def test_the_rule_set_has_no_national_rules_and_no_p0112() -> None:
    ids = {rule.id for rule in iter_rules(patterns("peppol-sb"))}
    assert all(rule.startswith("PEPPOL-") for rule in ids)
    assert "PEPPOL-EN16931-P0112" not in ids and "PEPPOL-COMMON-R057" in ids
