"""``nofaktura convert`` between UBL and the JSON form, and the bundled example that it produces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stdnum.no import kontonr, orgnr

from nofaktura import kid
from nofaktura.cli import main
from nofaktura.ehf.jsonform import from_json, to_json
from nofaktura.ehf.reader import read
from nofaktura.ehf.writer import write

from ..conftest import REPO
from .test_reader import CN_MAX, NORWEGIAN
from .test_writer import assert_schema_valid

EXAMPLE_JSON = REPO / "examples" / "invoice-no.json"
EXAMPLE_XML = REPO / "examples" / "invoice-no.xml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- the bundled example ---------------------------------------------------------------------------


def test_committed_example_xml_is_what_the_writer_makes_from_the_json():
    """Regenerate with: nofaktura convert examples/invoice-no.json examples/invoice-no.xml"""
    document = from_json(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")), source=str(EXAMPLE_JSON))
    assert EXAMPLE_XML.read_bytes() == write(document)


def test_example_json_is_in_canonical_form():
    """The JSON is what to_json writes, so it never carries keys the model would ignore or reorder."""
    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    assert to_json(from_json(data)) == data


def test_example_is_schema_valid_and_has_no_findings():
    from nofaktura.ehf.validation import validate

    data = EXAMPLE_XML.read_bytes()
    assert_schema_valid(data, "Invoice")
    result = validate(data, source=str(EXAMPLE_XML))
    assert [(f.rule, f.location) for f in result.findings] == []


def test_example_is_a_realistic_norwegian_invoice():
    document = read(EXAMPLE_XML.read_bytes())
    seller, buyer = document.seller, document.buyer
    assert orgnr.is_valid(seller.org_number) and orgnr.is_valid(buyer.org_number)
    assert seller.vat_id == f"NO{seller.org_number}MVA"
    assert seller.foretaksregisteret
    assert buyer.endpoint is not None and buyer.endpoint.scheme == "0192"
    assert document.buyer_reference
    assert {line.item.vat_rate for line in document.lines} == {25, 15}
    (means,) = document.payment_means
    assert means.code == "30"
    assert kid.is_valid(means.payment_id, "mod10")
    assert kontonr.is_valid(means.account_id) and len(means.account_id) == 11
    assert document.due_date is not None and document.due_date > document.issue_date
    assert document.currency == "NOK"


# -- the command -------------------------------------------------------------------------------------


def test_xml_to_json_to_xml(capsys, tmp_path: Path):
    as_json = tmp_path / "f.json"
    as_xml = tmp_path / "f.xml"
    assert run(capsys, "convert", str(NORWEGIAN), str(as_json))[0] == 0
    data = json.loads(as_json.read_text(encoding="utf-8"))
    assert data["number"] == "TOSL108"
    assert data["attachments"][1]["content"] == "VGVzdCBiYXNlIDY0IGVuY29kaW5n"
    assert run(capsys, "convert", str(as_json), str(as_xml))[0] == 0
    assert_schema_valid(as_xml.read_bytes(), "Invoice")
    assert read(as_xml.read_bytes()) == read(NORWEGIAN.read_bytes())


def test_credit_note_converts(capsys, tmp_path: Path):
    out = tmp_path / "cn.xml"
    assert run(capsys, "convert", str(CN_MAX), str(out))[0] == 0
    assert_schema_valid(out.read_bytes(), "CreditNote")


def test_json_example_to_stdout(capsys):
    code, out, _ = run(capsys, "convert", str(EXAMPLE_JSON), "-", "--to", "xml")
    assert code == 0
    assert out.encode("utf-8") == EXAMPLE_XML.read_bytes()


def test_unknown_output_extension_exits_2(capsys, tmp_path: Path):
    code, _, err = run(capsys, "convert", str(NORWEGIAN), str(tmp_path / "out.txt"))
    assert code == 2
    assert "name it .xml or .json" in err
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{\"format\": \"nofaktura.ehf/1\", \"kind\": \"Invoice\"}", "missing required key"),
        (b"[1, 2]", "not well-formed XML"),
        (b"{broken", "not valid JSON"),
        (b"", "the file is empty"),
    ],
)  # fmt: skip
def test_unusable_input_exits_2_and_writes_nothing(capsys, tmp_path: Path, content: bytes, message: str):
    source = tmp_path / "in.json"
    source.write_bytes(content)
    target = tmp_path / "out.xml"
    code, _, err = run(capsys, "convert", str(source), str(target))
    assert code == 2
    assert message in err
    assert not target.exists()


def test_json_error_names_the_path(capsys, tmp_path: Path):
    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    data["lines"][0]["quantity"] = 7.5
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "convert", str(source), str(tmp_path / "out.xml"))
    assert code == 2
    assert "$.lines[0].quantity" in err
