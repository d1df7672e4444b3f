"""``nofaktura validate FILE... [--json] [--lang en|nb]``: output and exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nofaktura.cli import main
from tests.conftest import CORPORA
from tests.ehf.test_validation import NORWEGIAN, _without_invoice_number


@pytest.fixture
def invalid(tmp_path: Path) -> Path:
    path = tmp_path / "invalid.xml"
    path.write_bytes(_without_invoice_number())
    return path


def test_valid_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(NORWEGIAN)]) == 0
    out = capsys.readouterr().out
    assert "valid (Invoice)" in out and "UBL-CR-679" in out


def test_invalid_file_exits_1_and_lists_findings(invalid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(invalid)]) == 1
    out = capsys.readouterr().out
    assert "NOT valid" in out and "BR-02" in out and "invoice number (BT-1)" in out


def test_json_output(invalid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(NORWEGIAN), str(invalid), "--json", "--lang", "nb"]) == 1
    entries = json.loads(capsys.readouterr().out)
    assert [e["valid"] for e in entries] == [True, False]
    assert entries[0]["file"] == str(NORWEGIAN) and entries[0]["document"] == "Invoice"
    for entry in entries:
        assert set(entry) == {"file", "valid", "document", "findings"}
        for finding in entry["findings"]:
            # line and detail only where known (the UBL schema findings)
            assert {"rule", "flag", "location", "message"} <= set(finding) <= {
                "rule", "flag", "location", "message", "line", "detail"
            }
            assert finding["flag"] in ("fatal", "warning")
    br02 = next(f for f in entries[1]["findings"] if f["rule"] == "BR-02")
    assert br02["flag"] == "fatal" and "Fakturanummer" in br02["message"]


@pytest.mark.parametrize("content", [None, b"", b"<not-xml", b'<Foo xmlns="urn:x"/>'])
def test_unreadable_file_exits_2(
    tmp_path: Path, content: bytes | None, invalid: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.xml"
    if content is not None:
        path.write_bytes(content)
    assert main(["validate", str(invalid), str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert "bad.xml" in captured.err
    entries = json.loads(captured.out)
    assert entries[1]["valid"] is False and entries[1]["document"] is None and entries[1]["error"]


def test_configuration_option_limits_the_rules(invalid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(invalid), "--json", "--configuration", "tc434-ubl"]) == 1
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)[0]["findings"]}
    assert rules == {"BR-02", "UBL-CR-679"}


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--help"])
    assert exit_info.value.code == 0
    assert "--json" in capsys.readouterr().out


def test_credit_note(capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPORA / "peppol-bis-invoice-3" / "rules" / "examples" / "base-creditnote-correction.xml"
    assert main(["validate", str(path), "--lang", "nb"]) == 0
    assert "gyldig (CreditNote)" in capsys.readouterr().out


PROFILE_02 = CORPORA / "peppol-bis-3.0.21" / "examples" / "billing" / "base-example_profile02.xml"


def test_rules_option_chooses_the_bis_release(capsys: pytest.CaptureFixture[str]) -> None:
    # billing_with_response (profile 02) is approved from 3.0.21 on, the default
    assert main(["validate", str(PROFILE_02)]) == 0
    capsys.readouterr()
    assert main(["validate", str(PROFILE_02), "--rules", "3.0.19", "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)[0]["findings"]
    assert [f["rule"] for f in findings if f["flag"] == "fatal"] == ["PEPPOL-EN16931-R007"]
    assert main(["validate", str(PROFILE_02), "--rules", "3.0.21"]) == 0


def test_rules_option_refuses_an_unknown_release(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(PROFILE_02), "--rules", "3.0.18"])
    assert exit_info.value.code == 2
    assert "3.0.19" in capsys.readouterr().err


def test_rules_option_applies_to_the_ehf_configuration_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(PROFILE_02), "--rules", "3.0.19", "--configuration", "tc434-ubl"]) == 2
    assert "--rules applies to the ehf configuration only" in capsys.readouterr().err
