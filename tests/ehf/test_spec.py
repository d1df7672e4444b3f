"""A document that is not BIS Billing 3 gets one clear NOFAKTURA-SPEC finding, first."""

from __future__ import annotations

from pathlib import Path

import pytest

from nofaktura.ehf.rules.spec import BIS_BILLING_3, claimed_specification
from nofaktura.ehf.validation import validate
from tests.conftest import CORPORA

EHF = CORPORA / "ehf-norway"
BASE = CORPORA / "peppol-bis-3.0.21" / "examples" / "billing" / "base-example.xml"


def _with_customization(value: str | None) -> bytes:
    text = BASE.read_text(encoding="utf-8")
    old = f"<cbc:CustomizationID>{BIS_BILLING_3}</cbc:CustomizationID>"
    assert old in text
    return text.replace(old, "" if value is None else f"<cbc:CustomizationID>{value}</cbc:CustomizationID>").encode()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (EHF / "g2" / "rules" / "ehf-invoice-2.0" / "example" / "T10 BII05 gyldig faktura.xml", "EHF 2.x invoice"),
        (EHF / "g3" / "src" / "payment-request-3.0" / "rules" / "example" / "PaymentRequest-example-1.xml",
         "EHF Payment Request 3.0"),
        (CORPORA / "eInvoicing-EN16931" / "test" / "testfiles" / "ubl-tc434-test-1.xml", "EN 16931 without a CIUS"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_another_specification_is_the_first_finding(path: Path, name: str) -> None:
    result = validate(path.read_bytes(), source=path.name)
    first = result.findings[0]
    assert (first.rule, str(first.flag)) == ("NOFAKTURA-SPEC-01", "fatal")
    assert first.location.endswith("/cbc:CustomizationID")
    assert name in first.message and "BIS Billing 3 / EHF 3" in first.message
    assert name in first.message_nb and "BIS Billing 3 / EHF 3" in first.message_nb
    assert [f.rule for f in result.findings].count("NOFAKTURA-SPEC-01") == 1


def test_xrechnung_and_missing_customization() -> None:
    xrechnung = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    first = validate(_with_customization(xrechnung)).findings[0]
    assert first.rule == "NOFAKTURA-SPEC-01" and "XRechnung" in first.message and xrechnung in first.message
    first = validate(_with_customization(None)).findings[0]
    assert first.rule == "NOFAKTURA-SPEC-01" and "missing" in first.message and first.location == "/Invoice"


def test_bis_extension_gets_a_warning_only() -> None:
    path = EHF / "g3" / "src" / "reminder-3.0" / "rules" / "example" / "Reminder-Example-with-REM.xml"
    first = validate(path.read_bytes()).findings[0]
    assert (first.rule, str(first.flag)) == ("NOFAKTURA-SPEC-02", "warning")
    assert "EHF Reminder 3.0" in first.message


def test_bis_billing_3_gets_no_spec_finding() -> None:
    assert validate(BASE.read_bytes()).findings == ()
    assert not any(f.rule.startswith("NOFAKTURA-SPEC") for f in validate(BASE.read_bytes(), release="3.0.19").findings)


def test_cen_only_validation_does_not_judge_the_specification() -> None:
    data = _with_customization("urn:cen.eu:en16931:2017")
    assert not any(f.rule.startswith("NOFAKTURA-SPEC") for f in validate(data, rulesets=("cen",)).findings)


def test_names() -> None:
    assert claimed_specification("  ") == "no specification (cbc:CustomizationID is missing)"
    assert claimed_specification("urn:example:other") == "an unknown specification"


SELF_BILLING = EHF / "g3" / "src" / "self-billing-3.0" / "rules" / "example"


def test_self_billing_is_judged_by_its_own_rules_where_the_release_has_them() -> None:
    data = (SELF_BILLING / "SB-Allowance-example.xml").read_bytes()
    assert validate(data).findings == ()  # 3.0.21: the self-billing schematron, no SPEC finding
    old = validate(data, release="3.0.19")  # 3.0.19 here has no self-billing rules
    assert old.findings[0].rule == "NOFAKTURA-SPEC-01" and "Peppol BIS Self-Billing 3.0" in old.findings[0].message
    assert "PEPPOL-EN16931-R004" in {f.rule for f in old.fatal}
