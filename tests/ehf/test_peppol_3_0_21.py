"""The rules BIS Billing 3.0.21 added or changed, each on a small document, against both releases.

3.0.21 brings no official unit tests, so each change in the schematron diff gets a case here whose
verdict differs between the releases (3.0.19 stays selectable); and every example of both releases
must give the official verdict (no fatal finding) under its own release.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf.rules import validate_root
from nofaktura.ehf.validation import validate
from tests.conftest import CORPORA

EX21 = CORPORA / "peppol-bis-3.0.21" / "examples" / "billing"
EX19 = CORPORA / "peppol-bis-invoice-3" / "rules" / "examples"
BASE = EX21 / "base-example.xml"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _fired(text: bytes, ruleset: str) -> set[str]:
    root = etree.fromstring(text)
    return {f.rule for f in validate_root(root, (ruleset,))}


def _edit(old: str, new: str) -> bytes:
    text = BASE.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1).encode()


CASES = [
    # (rule, old text in base-example.xml, replacement, fires on 3.0.21, fires on 3.0.19)
    ("PEPPOL-EN16931-R007", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", "urn:peppol:bis:billing_with_response",
     False, True),
    ("PEPPOL-EN16931-R007", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
     "urn:fdc:peppol.eu:2017:poacc:billing:07:1.0", True, False),
    ("PEPPOL-EN16931-R004", "poacc:billing:3.0</cbc:CustomizationID>", "poacc:billing:3.0::x</cbc:CustomizationID>",
     True, False),
    ("PEPPOL-COMMON-R052", '<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
     '<cbc:EndpointID schemeID="0096">12345</cbc:EndpointID>', True, False),
    ("PEPPOL-COMMON-R053", '<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
     '<cbc:EndpointID schemeID="0198">12345678</cbc:EndpointID>', True, False),
    ("PEPPOL-COMMON-R054", '<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
     '<cbc:EndpointID schemeID="0106">1234567</cbc:EndpointID>', True, False),
    ("PEPPOL-COMMON-R057", '<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
     '<cbc:EndpointID schemeID="0217">1234</cbc:EndpointID>', True, False),
]


@pytest.mark.parametrize(
    ("rule", "old", "new", "on_21", "on_19"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_changed_rule_verdicts_per_release(rule: str, old: str, new: str, on_21: bool, on_19: bool) -> None:
    text = _edit(old, new)
    assert (rule in _fired(text, "peppol")) is on_21
    assert (rule in _fired(text, "peppol-3.0.19")) is on_19


def test_base_example_uses_the_texts_the_cases_edit() -> None:
    root = etree.parse(str(BASE)).getroot()
    assert root.findtext(f"{{{CBC}}}ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def _examples(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xml")) if folder.is_dir() else []


@pytest.mark.parametrize("path", _examples(EX21), ids=lambda p: p.name)
def test_every_3_0_21_example_is_valid_under_3_0_21(path: Path) -> None:
    result = validate(path.read_bytes(), source=path.name)
    assert result.fatal == (), result.fatal


@pytest.mark.parametrize("path", _examples(EX19), ids=lambda p: p.name)
def test_every_3_0_19_example_is_valid_under_3_0_19(path: Path) -> None:
    result = validate(path.read_bytes(), source=path.name, release="3.0.19")
    assert result.fatal == (), result.fatal


def test_profile_02_example_needs_3_0_21() -> None:
    data = (EX21 / "base-example_profile02.xml").read_bytes()
    assert validate(data).valid
    assert [f.rule for f in validate(data, release="3.0.19").fatal] == ["PEPPOL-EN16931-R007"]


def test_unknown_release_is_refused() -> None:
    with pytest.raises(ValueError, match=r"3\.0\.18"):
        validate(BASE.read_bytes(), release="3.0.18")
