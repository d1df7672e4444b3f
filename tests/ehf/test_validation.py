"""``nofaktura.ehf.validation.validate``: bytes in, findings out; DocumentError only without a document."""

from __future__ import annotations

import pytest
from lxml import etree

from nofaktura.ehf.namespaces import NSMAP
from nofaktura.ehf.validation import ValidationResult, validate, validate_element
from nofaktura.exceptions import DocumentError, UnsafeDocument
from tests.conftest import CORPORA

P3 = CORPORA / "peppol-bis-invoice-3" / "rules"
NORWEGIAN = P3 / "national-examples" / "NO" / "Norwegian-example-1.xml"
CREDIT_NOTE = P3 / "examples" / "base-creditnote-correction.xml"
SBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"


def _without_invoice_number() -> bytes:
    root = etree.fromstring(NORWEGIAN.read_bytes())
    number = root.find("cbc:ID", NSMAP)
    root.remove(number)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_the_norwegian_example_is_valid() -> None:
    result = validate(NORWEGIAN.read_bytes(), source="Norwegian-example-1.xml")
    assert isinstance(result, ValidationResult)
    assert result.valid and result.document == "Invoice"
    assert not result.fatal
    assert result.as_dict()["file"] == "Norwegian-example-1.xml"


def test_a_credit_note_is_recognised() -> None:
    result = validate(CREDIT_NOTE.read_bytes())
    assert result.document == "CreditNote" and result.valid


def test_a_broken_invoice_gives_findings_not_an_exception() -> None:
    result = validate(_without_invoice_number(), source="x.xml")
    assert not result.valid
    br02 = [f for f in result.findings if f.rule == "BR-02"]
    assert len(br02) == 1 and br02[0].location == "/Invoice" and str(br02[0].flag) == "fatal"
    as_dict = result.as_dict("nb")
    assert set(as_dict) == {"file", "valid", "document", "findings"}
    entry = next(f for f in as_dict["findings"] if f["rule"] == "BR-02")
    assert set(entry) == {"rule", "flag", "location", "message"}
    assert "Fakturanummer" in entry["message"] and "BT-1" in entry["message"]
    assert "invoice number" in next(f for f in result.as_dict("en")["findings"] if f["rule"] == "BR-02")["message"]


def test_rulesets_can_be_chosen() -> None:
    data = _without_invoice_number()
    cen_only = validate(data, rulesets=("cen",))
    assert {f.rule for f in cen_only.findings} == {"BR-02", "UBL-CR-679"}
    everything = validate(data)
    assert {f.rule for f in everything.findings} > {f.rule for f in cen_only.findings}


def test_an_sbdh_envelope_is_unwrapped() -> None:
    invoice = NORWEGIAN.read_bytes().split(b"?>", 1)[1]
    envelope = (
        f'<?xml version="1.0" encoding="UTF-8"?><StandardBusinessDocument xmlns="{SBDH}">'
        f"<StandardBusinessDocumentHeader><HeaderVersion>1.0</HeaderVersion></StandardBusinessDocumentHeader>"
    ).encode() + invoice + b"</StandardBusinessDocument>"
    result = validate(envelope)
    assert result.document == "Invoice" and result.valid
    assert result.findings == validate(NORWEGIAN.read_bytes()).findings


def test_validate_element_on_a_parsed_root() -> None:
    root = etree.fromstring(NORWEGIAN.read_bytes())
    assert validate_element(root, source="n").valid


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml at all",
        b"<Invoice><unclosed></Invoice>",
        b'<?xml version="1.0"?><Foo xmlns="urn:x"/>',
        b'<Invoice xmlns="urn:wrong"/>',  # an Invoice without the UBL namespace is not UBL
    ],
)
def test_no_usable_document_raises_document_error(data: bytes) -> None:
    with pytest.raises(DocumentError):
        validate(data, source="bad.xml")


def test_hostile_xml_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>'
    with pytest.raises(UnsafeDocument):
        validate(bomb)
