"""The UBL 2.1 schema check (``BIS3-XSD``) of the structure rule set.

Mutants of the valid Norwegian example, each breaking the schema in one way access points reject,
must give a fatal finding with our message (English and Norwegian), the element's location and the
line in the received file; libxml2's text stays available as ``detail``. The official examples stay
clean (``test_structure.py`` runs every full example of the corpora through the structure rule set).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf.namespaces import APPLICATION_RESPONSE, CREDIT_NOTE, INVOICE
from nofaktura.ehf.rules import schema
from nofaktura.ehf.rules.structure import XSD
from nofaktura.ehf.validation import ValidationResult, validate
from tests.conftest import CORPORA

P3 = CORPORA / "peppol-bis-invoice-3" / "rules"
NORWEGIAN = P3 / "national-examples" / "NO" / "Norwegian-example-1.xml"
CREDIT = P3 / "examples" / "base-creditnote-correction.xml"
RESPONSES = CORPORA / "peppol-bis-3.0.21" / "examples" / "invoice-response"


def _line_of(data: bytes, text: bytes) -> int:
    return data[: data.index(text)].count(b"\n") + 1


def _mutant(old: bytes, new: bytes, path: Path = NORWEGIAN) -> tuple[bytes, ValidationResult]:
    data = path.read_bytes()
    assert data.count(old) >= 1, old
    changed = data.replace(old, new, 1)
    return changed, validate(changed, source=path.name, rulesets=("structure",))


def _schema_findings(result: ValidationResult) -> list:
    return [f for f in result.findings if f.rule == XSD]


def test_the_examples_used_here_are_schema_valid() -> None:
    for path in (NORWEGIAN, CREDIT):
        result = validate(path.read_bytes(), rulesets=("structure",))
        assert result.valid and _schema_findings(result) == []


def test_element_order_swapped() -> None:
    due = b"\t<cbc:DueDate>2013-07-20</cbc:DueDate>\n"
    issue = b"\t<cbc:IssueDate>2013-06-30</cbc:IssueDate>\n"
    data = NORWEGIAN.read_bytes()
    block = data[data.index(issue): data.index(due) + len(due)]
    swapped = due + block[len(issue): -len(due)] + issue
    changed = data.replace(block, swapped)
    result = validate(changed, rulesets=("structure",))
    assert not result.valid
    [finding] = _schema_findings(result)
    assert (finding.rule, str(finding.flag), finding.location) == (XSD, "fatal", "/Invoice/cbc:DueDate")
    assert finding.line == _line_of(changed, b"<cbc:DueDate>")
    assert "cbc:DueDate is not allowed at this point of /Invoice" in finding.message
    assert "cbc:IssueDate" in finding.message  # what the schema expected there
    assert "cbc:DueDate er ikke tillatt" in finding.message_nb
    assert "This element is not expected" in finding.detail


def test_element_ubl_does_not_define() -> None:
    changed, result = _mutant(b"<cbc:Note>Ordered", b"<cbc:Remark>x</cbc:Remark>\n<cbc:Note>Ordered")
    assert not result.valid
    [finding] = _schema_findings(result)
    assert finding.location == "/Invoice/cbc:Remark"
    assert finding.line == _line_of(changed, b"<cbc:Remark>")
    assert "cbc:Remark is not allowed" in finding.message
    # the BIS 3 "not part of BIS 3" warning is not repeated for an element the schema rejects
    assert [f.rule for f in result.findings] == [XSD]


def test_credit_note_line_in_an_invoice() -> None:
    data = NORWEGIAN.read_bytes()
    changed = re.sub(rb"(</?)cac:InvoiceLine>", rb"\1cac:CreditNoteLine>", data)
    result = validate(changed, rulesets=("structure",))
    assert not result.valid
    finding = _schema_findings(result)[0]
    assert finding.location == "/Invoice/cac:CreditNoteLine[1]"
    assert finding.line == _line_of(changed, b"<cac:CreditNoteLine>")
    assert "belongs to a CreditNote, not to an Invoice" in finding.message
    assert "hører til en CreditNote" in finding.message_nb
    assert "cac:InvoiceLine" in finding.message  # what the schema expected


def test_credited_quantity_in_an_invoice_line() -> None:
    data = NORWEGIAN.read_bytes()
    line = data.index(b"<cac:InvoiceLine>")
    changed = data[:line] + data[line:].replace(b"cbc:InvoicedQuantity", b"cbc:CreditedQuantity", 2)
    result = validate(changed, rulesets=("structure",))
    assert not result.valid
    [finding] = _schema_findings(result)  # the first line only
    assert finding.location == "/Invoice/cac:InvoiceLine[1]/cbc:CreditedQuantity"
    assert finding.line == _line_of(changed, b"<cbc:CreditedQuantity")
    assert "cbc:InvoicedQuantity" in finding.message and "belongs to a CreditNote" in finding.message


def test_invoice_line_in_a_credit_note() -> None:
    data = CREDIT.read_bytes()
    changed = re.sub(rb"(</?)cac:CreditNoteLine>", rb"\1cac:InvoiceLine>", data)
    result = validate(changed, rulesets=("structure",))
    assert not result.valid
    finding = _schema_findings(result)[0]
    assert finding.location.startswith("/CreditNote/cac:InvoiceLine")
    assert "belongs to an Invoice, not to a CreditNote" in finding.message


def test_attribute_ubl_does_not_allow() -> None:
    old = b'<cbc:PayableAmount currencyID="NOK">'
    changed, result = _mutant(old, b'<cbc:PayableAmount currencyID="NOK" currency="NOK">')
    assert not result.valid
    [finding] = _schema_findings(result)
    assert finding.location == "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount/@currency"
    assert finding.line == _line_of(changed, b"<cbc:PayableAmount")
    assert "does not take the attribute currency" in finding.message
    assert "attributtet currency" in finding.message_nb


def test_required_attribute_missing() -> None:
    _changed, result = _mutant(b'<cbc:PayableAmount currencyID="NOK">', b"<cbc:PayableAmount>")
    [finding] = _schema_findings(result)
    assert finding.location == "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"
    assert "needs the attribute currencyID" in finding.message


def test_amount_that_is_not_a_decimal() -> None:
    changed, result = _mutant(b'NOK">802.00</cbc:PayableAmount>', b'NOK">802,00</cbc:PayableAmount>')
    assert not result.valid
    [finding] = _schema_findings(result)
    assert finding.location == "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"
    assert finding.line == _line_of(changed, b"<cbc:PayableAmount")
    assert finding.message == (
        "'802,00' in cbc:PayableAmount is not valid: the UBL 2.1 schema wants a number with '.' as decimal mark."
    )
    assert "desimaltegn" in finding.message_nb
    assert "802,00" in finding.detail


def test_date_in_the_wrong_form() -> None:
    _changed, result = _mutant(b"<cbc:DueDate>2013-07-20<", b"<cbc:DueDate>20.07.2013<")
    [finding] = _schema_findings(result)
    assert finding.location == "/Invoice/cbc:DueDate"
    assert "YYYY-MM-DD" in finding.message and "ÅÅÅÅ-MM-DD" in finding.message_nb


def test_findings_carry_line_and_detail_in_json() -> None:
    _changed, result = _mutant(b"<cbc:DueDate>2013-07-20<", b"<cbc:DueDate>20.07.2013<")
    entry = result.as_dict()["findings"][0]
    assert entry["rule"] == XSD and entry["line"] == 16 and "xs:date" in entry["detail"]
    assert result.as_dict("nb")["findings"][0]["message"].startswith("'20.07.2013' i cbc:DueDate")


def test_default_configuration_reports_the_schema_error() -> None:
    data = NORWEGIAN.read_bytes().replace(b'NOK">802.00</cbc:PayableAmount>', b'NOK">802,00</cbc:PayableAmount>')
    result = validate(data)
    assert not result.valid
    assert XSD in {f.rule for f in result.fatal}


def test_document_in_an_sbdh_envelope_keeps_its_lines() -> None:
    inner = NORWEGIAN.read_bytes().replace(b"<cbc:DueDate>2013-07-20<", b"<cbc:DueDate>20.07.2013<")
    inner = inner[inner.index(b"<Invoice"):]
    envelope = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">\n'
        b"<StandardBusinessDocumentHeader><HeaderVersion>1.0</HeaderVersion></StandardBusinessDocumentHeader>\n"
        + inner
        + b"\n</StandardBusinessDocument>\n"
    )
    result = validate(envelope, rulesets=("structure",))
    [finding] = _schema_findings(result)
    assert finding.location == "/Invoice/cbc:DueDate"
    assert finding.line == _line_of(envelope, b"<cbc:DueDate>")


# --- loading -----------------------------------------------------------------------------------------------


def test_schema_is_compiled_once_per_document_type() -> None:
    invoice = schema.schema_for(f"{{{INVOICE}}}Invoice")
    assert invoice is not None and invoice is schema.schema_for(f"{{{INVOICE}}}Invoice")
    assert schema.schema_for(f"{{{CREDIT_NOTE}}}CreditNote") is not invoice
    assert schema.schema_for("{urn:other}Invoice") is None


def test_shipped_files_import_only_shipped_files() -> None:
    files = sorted(schema.SCHEMA_DIR.rglob("*.xsd"))
    assert {f.name for f in (schema.SCHEMA_DIR / "maindoc").iterdir()} == {
        "UBL-Invoice-2.1.xsd", "UBL-CreditNote-2.1.xsd", "UBL-ApplicationResponse-2.1.xsd"
    }
    for path in files:
        for location in re.findall(r'schemaLocation="([^"]+)"', path.read_text(encoding="utf-8")):
            assert (path.parent / location).resolve().is_file(), (path.name, location)
    assert (schema.SCHEMA_DIR / "OASIS-NOTICES.txt").is_file()


@pytest.mark.parametrize("remote", [True, False], ids=["network", "file-elsewhere"])
def test_imports_outside_the_shipped_folder_are_refused(tmp_path: Path, remote: bool) -> None:
    # The resolver the schema is loaded with: nothing but the shipped files, never the network.
    # (Without it libxml2 skips an unreachable import silently and reads any schema file it is given.)
    other = tmp_path / "other.xsd"
    other.write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x"/>')
    location = "http://127.0.0.1:9/evil.xsd" if remote else other.as_uri()
    path = tmp_path / "t.xsd"
    path.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">'
        f'<xs:import namespace="urn:x" schemaLocation="{location}"/></xs:schema>',
        encoding="utf-8",
    )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(schema._LocalOnly())
    with pytest.raises(etree.XMLSchemaParseError, match="not a shipped file"):
        etree.XMLSchema(etree.parse(str(path), parser))


def test_application_response_schema() -> None:
    examples = sorted(RESPONSES.glob("*.xml"))
    assert examples
    for path in examples:
        root = etree.fromstring(path.read_bytes())
        assert root.tag == f"{{{APPLICATION_RESPONSE}}}ApplicationResponse"
        assert schema.schema_errors(root) == [], path.name
    root = etree.fromstring(examples[0].read_bytes())
    issue = root.find("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}IssueDate")
    issue.text = "yesterday"
    [finding] = schema.schema_findings(root)
    assert (finding.rule, finding.location) == (XSD, "/ApplicationResponse/cbc:IssueDate")



def test_line_numbers_beyond_65535() -> None:
    # Older libxml2 error logs stop counting lines at 65535; the finding prefers the element's own line.
    data = NORWEGIAN.read_bytes()
    start = data.index(b"\t<cac:InvoiceLine>")
    end = data.index(b"</cac:InvoiceLine>", start) + len(b"</cac:InvoiceLine>\n")
    block = data[start:end]
    broken = block.replace(b"<cbc:InvoicedQuantity", b"<cbc:CreditedQuantity", 1).replace(
        b"</cbc:InvoicedQuantity>", b"</cbc:CreditedQuantity>", 1
    )
    copies = 65536 // block.count(b"\n") + 1
    changed = data[:end] + block * copies + broken + data[end:]
    result = validate(changed, rulesets=("structure",))
    [finding] = _schema_findings(result)
    assert finding.line == _line_of(changed, b"<cbc:CreditedQuantity") > 65535
    assert finding.location == f"/Invoice/cac:InvoiceLine[{copies + 2}]/cbc:CreditedQuantity"


def test_cli_prints_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from nofaktura.cli import main

    path = tmp_path / "bad-date.xml"
    path.write_bytes(NORWEGIAN.read_bytes().replace(b"<cbc:DueDate>2013-07-20<", b"<cbc:DueDate>20.07.2013<"))
    assert main(["validate", str(path), "--lang", "nb"]) == 1
    out = capsys.readouterr().out
    assert "BIS3-XSD" in out and "i /Invoice/cbc:DueDate (linje 16)" in out and "ÅÅÅÅ-MM-DD" in out
