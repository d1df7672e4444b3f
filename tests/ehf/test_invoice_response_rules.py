"""Peppol Invoice Response (transaction T111, ``PEPPOLBIS-T111.sch`` of release 3.0.21).

The official examples must validate with no finding at all (their own header says "Errors: None,
Warnings: None"); our writer's responses too. The corpus has no official unit-test files for T111, so
each rule is tested here on an official example edited the way the rule is about, with the findings
the schematron gives for that edit (read off its contexts and tests, first matching rule per pattern).

Cross-checked once (2026-12-03) against the official schematron evaluated by SaxonC-HE 13.1 (XPath 3.1,
first matching rule per pattern; the ``u:`` check-digit functions left out, those asserts are the
billing rules' own): the 13 examples, the edits below, our writer's responses and 1,358 mechanical
mutants of the examples (each element dropped, duplicated, its text set to X / empty / OTH / PPD, its
attribute dropped or set to X) gave the same findings, except where the official run stops with a
dynamic error (27 mutants with a repeated element) and the 4 GLN mutants, whose assert calls u:gln (ours
fires on them, as the official test's own ``matches(., '^[0-9]+$')`` part already requires).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf.rules import CONFIGURATIONS, INVOICE_RESPONSE_RULESETS, patterns
from nofaktura.ehf.rules.engine import Flag, iter_rules
from nofaktura.ehf.validation import validate, validate_element
from nofaktura.exceptions import InvalidComponent
from nofaktura.peppol.ids import ParticipantId
from nofaktura.peppol.invoice_response import (
    InvoiceResponse,
    Party,
    ResponseCode,
    StatusReason,
    build_invoice_response,
)
from tests.conftest import CORPORA

RELEASE = CORPORA / "peppol-bis-3.0.21"
EXAMPLES = RELEASE / "examples" / "invoice-response"
REJECTED = EXAMPLES / "T111-uc004a-Invoice is rejected.xml"
SCH = RELEASE / "sch" / "PEPPOLBIS-T111.sch"


def _examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.xml")) if EXAMPLES.is_dir() else []


def _fired(data: bytes) -> set[str]:
    return {finding.rule for finding in validate(data, source="edited.xml").findings}


def _edit(old: str, new: str) -> bytes:
    text = REJECTED.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new).encode("utf-8")


def test_the_examples_are_there() -> None:
    assert len(_examples()) == 13


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.name)
def test_official_examples_have_no_finding(path: Path) -> None:
    result = validate(path.read_bytes(), source=path.name)
    assert (result.document, result.findings) == ("ApplicationResponse", ())


def test_every_official_assert_is_implemented_and_nothing_else() -> None:
    official = set(re.findall(r'id="(PEPPOL-[A-Z0-9-]+)"', SCH.read_text(encoding="utf-8")))
    ours = {rule.id for rule in iter_rules(patterns("peppol-t111"))}
    assert ours - {"BIS3-XSD"} == official
    assert len(official) == 82  # 20 common (R001, R003, R030, R040..R057), 54 B-rules, 8 business rules


ONE_STATUS = (
    '<cbc:StatusReasonCode listID="OPStatusReason">REF</cbc:StatusReasonCode>\n'
    "\t\t\t\t<cbc:StatusReason>A textual explanation for why the invoice is being rejected."
    " E.g. PO reference is missing.</cbc:StatusReason>"
)
SENDER_END = "<cbc:RegistrationName>Buyer organization</cbc:RegistrationName>\n\t\t</cac:PartyLegalEntity>"
RECEIVER_END = "<cbc:RegistrationName>Seller company</cbc:RegistrationName>\n\t\t</cac:PartyLegalEntity>"
REFERENCE_END = "<cbc:DocumentTypeCode>380</cbc:DocumentTypeCode>\n\t\t</cac:DocumentReference>"

CASES = [
    # identifiers of the transaction and the process
    ("customization", "invoice_response:3</cbc:Cust", "invoice_response:2</cbc:Cust", {"PEPPOL-T111-R003"}),
    ("profile-billing", "bis:invoice_response:3</cbc:Prof", "2017:poacc:billing:01:1.0</cbc:Prof",
     {"PEPPOL-T111-R008"}),
    ("profile-billing-with-response", "urn:fdc:peppol.eu:poacc:bis:invoice_response:3</cbc:Prof",
     "urn:peppol:bis:billing_with_response</cbc:Prof", set()),
    # required elements (ID is required by the UBL schema as well)
    ("no-id", "<cbc:ID>imrid001</cbc:ID>", "", {"PEPPOL-T111-B00103", "BIS3-XSD"}),
    ("no-type-code", "<cbc:DocumentTypeCode>380</cbc:DocumentTypeCode>", "", {"PEPPOL-T111-B03902"}),
    ("type-code", ">380<", ">9999<", {"PEPPOL-T111-B04201"}),
    # response and clarification codes
    ("response-code", "<cbc:ResponseCode>RE<", "<cbc:ResponseCode>XX<", {"PEPPOL-T111-B03001"}),
    ("accepted-with-reason", "<cbc:ResponseCode>RE<", "<cbc:ResponseCode>AP<", set()),
    ("rejected-without-reason", ONE_STATUS, "<cbc:StatusReason>Wrong order</cbc:StatusReason>",
     {"PEPPOL-T111-R001"}),
    ("other-with-text", ">REF<", ">OTH<", set()),
    ("other-without-text", ONE_STATUS, '<cbc:StatusReasonCode listID="OPStatusReason">OTH</cbc:StatusReasonCode>',
     {"PEPPOL-T111-R002"}),
    ("partially-paid-without-text", ONE_STATUS,
     '<cbc:StatusReasonCode listID="OPStatusReason">PPD</cbc:StatusReasonCode>', {"PEPPOL-T111-R004"}),
    # R005 is exists(/cbc:ResponseCode='PD') officially: always true, so PPD with RE is not a finding
    ("partially-paid-with-rejection", ">REF<", ">PPD<", set()),
    ("reason-code-in-action-list", 'listID="OPStatusReason">REF', 'listID="OPStatusAction">REF',
     {"PEPPOL-T111-R006"}),
    ("action-code", 'listID="OPStatusReason">REF', 'listID="OPStatusAction">NIN', set()),
    ("unknown-reason-code", ">REF<", ">XYZ<", {"PEPPOL-T111-B03301", "PEPPOL-T111-R007"}),
    ("no-list-id", ' listID="OPStatusReason">', ">", {"PEPPOL-T111-B03302"}),
    ("unknown-list-id", 'listID="OPStatusReason"', 'listID="Reasons"', {"PEPPOL-T111-B03303"}),
    # parties
    ("no-endpoint-scheme", '<cbc:EndpointID schemeID="0196">6963495890', "<cbc:EndpointID>6963495890",
     {"PEPPOL-T111-B00901"}),
    ("unknown-endpoint-scheme", '<cbc:EndpointID schemeID="0196">6841569459',
     '<cbc:EndpointID schemeID="9999">6841569459', {"PEPPOL-T111-B02102"}),
    ("norwegian-org-number", '<cbc:EndpointID schemeID="0196">6963495890',
     '<cbc:EndpointID schemeID="0192">123456789', {"PEPPOL-COMMON-R041"}),
    ("sender-contact", SENDER_END, SENDER_END + "<cac:Contact><cbc:Name>Ola</cbc:Name></cac:Contact>", set()),
    ("receiver-contact", RECEIVER_END, RECEIVER_END + "<cac:Contact><cbc:Name>Kari</cbc:Name></cac:Contact>",
     {"PEPPOL-T111-B02003"}),
    ("sender-contact-extra", SENDER_END,
     SENDER_END + "<cac:Contact><cbc:Name>Ola</cbc:Name><cbc:Note>x</cbc:Note></cac:Contact>",
     {"PEPPOL-T111-B01601"}),
    ("sender-name", "6963495890</cbc:EndpointID>",
     "6963495890</cbc:EndpointID><cac:PartyName><cbc:Name>B</cbc:Name></cac:PartyName>", {"PEPPOL-T111-B00803"}),
    ("sender-company-id", "<cbc:RegistrationName>Buyer organization</cbc:RegistrationName>",
     "<cbc:RegistrationName>Buyer organization</cbc:RegistrationName><cbc:CompanyID>1</cbc:CompanyID>",
     {"PEPPOL-T111-B01402"}),
    ("sender-id-scheme", "6963495890</cbc:EndpointID>",
     '6963495890</cbc:EndpointID><cac:PartyIdentification><cbc:ID schemeID="ZZZZ">1</cbc:ID>'
     "</cac:PartyIdentification>", {"PEPPOL-T111-B01201"}),
    ("issuer-party", REFERENCE_END,
     REFERENCE_END + '<cac:IssuerParty><cac:PartyIdentification><cbc:ID schemeID="ZZZZ">1</cbc:ID>'
     "</cac:PartyIdentification></cac:IssuerParty>", {"PEPPOL-T111-B04301", "PEPPOL-T111-B04501"}),
    ("recipient-party", REFERENCE_END,
     REFERENCE_END + "<cac:RecipientParty><cac:PartyName><cbc:Name>R</cbc:Name></cac:PartyName>"
     "<cac:Person><cbc:FirstName>R</cbc:FirstName></cac:Person></cac:RecipientParty>", {"PEPPOL-T111-B04902"}),
    # elements outside the data model
    ("note", "<cbc:IssueDate>2017-12-01</cbc:IssueDate>",
     "<cbc:IssueDate>2017-12-01</cbc:IssueDate><cbc:Note>Hei</cbc:Note>", set()),
    ("ubl-version", "<cbc:CustomizationID>", "<cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:CustomizationID>",
     {"PEPPOL-T111-B00109"}),
    ("response-reference", "<cbc:ResponseCode>", "<cbc:ReferenceID>1</cbc:ReferenceID><cbc:ResponseCode>",
     {"PEPPOL-T111-B02902"}),
    ("status-condition-code", '<cbc:StatusReasonCode listID="OPStatusReason">REF',
     '<cbc:ConditionCode>1</cbc:ConditionCode><cbc:StatusReasonCode listID="OPStatusReason">REF',
     {"PEPPOL-T111-B03201"}),
    ("condition", "PO reference is missing.</cbc:StatusReason>",
     "PO reference is missing.</cbc:StatusReason><cac:Condition><cbc:AttributeID>A</cbc:AttributeID>"
     '<cbc:Measure unitCode="C62">1</cbc:Measure></cac:Condition>', {"PEPPOL-T111-B03602"}),
    ("reference-date", "<cbc:ID>inv021</cbc:ID>", "<cbc:ID>inv021</cbc:ID><cbc:IssueDate>2017-11-30</cbc:IssueDate>",
     set()),
    ("reference-uuid", "<cbc:ID>inv021</cbc:ID>", "<cbc:ID>inv021</cbc:ID><cbc:UUID>u</cbc:UUID>",
     {"PEPPOL-T111-B03903"}),
    # common rules and the schema
    ("empty-note", "<cbc:IssueDate>2017-12-01</cbc:IssueDate>",
     "<cbc:IssueDate>2017-12-01</cbc:IssueDate><cbc:Note></cbc:Note>", {"PEPPOL-COMMON-R001"}),
    ("date-with-zone", "<cbc:IssueDate>2017-12-01<", "<cbc:IssueDate>2017-12-01+01:00<", {"PEPPOL-COMMON-R030"}),
    ("schema-location", 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="a b">',
     {"PEPPOL-COMMON-R003", "PEPPOL-T111-B00108"}),
    ("element-order", "<cbc:ID>imrid001</cbc:ID>\n\t<cbc:IssueDate>2017-12-01</cbc:IssueDate>",
     "<cbc:IssueDate>2017-12-01</cbc:IssueDate>\n\t<cbc:ID>imrid001</cbc:ID>", {"BIS3-XSD"}),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), CASES, ids=[case[0] for case in CASES])
def test_each_rule_on_an_edited_official_example(name: str, old: str, new: str, expected: set[str]) -> None:
    assert _fired(_edit(old, new)) == expected


def test_warnings_do_not_make_it_invalid() -> None:
    result = validate(_edit(ONE_STATUS, '<cbc:StatusReasonCode listID="OPStatusReason">OTH</cbc:StatusReasonCode>'))
    assert result.valid and [f.flag for f in result.findings] == [Flag.WARNING]
    result = validate(_edit(">REF<", ">XYZ<"))
    assert not result.valid


def test_messages_are_ours_in_both_languages() -> None:
    finding = validate(_edit("invoice_response:3</cbc:Cust", "invoice_response:2</cbc:Cust")).findings[0]
    assert finding.location == "/ApplicationResponse/cbc:CustomizationID"
    assert "urn:fdc:peppol.eu:poacc:trns:invoice_response:3" in finding.message
    assert finding.message_nb.startswith("Spesifikasjonsidentifikatoren")


def test_an_application_response_gets_its_own_rules_whatever_was_asked() -> None:
    data = _edit("invoice_response:3</cbc:Cust", "invoice_response:2</cbc:Cust")
    for kwargs in ({}, {"release": "3.0.19"}, {"rulesets": CONFIGURATIONS["tc434-ubl"]}):
        assert {f.rule for f in validate(data, **kwargs).findings} == {"PEPPOL-T111-R003"}
    root = etree.fromstring(data)
    assert {f.rule for f in validate_element(root).findings} == {"PEPPOL-T111-R003"}
    assert INVOICE_RESPONSE_RULESETS == ("peppol-t111",)
    invoice = CORPORA / "peppol-bis-3.0.21" / "examples" / "billing" / "base-example.xml"
    with pytest.raises(ValueError, match="not an invoice"):
        validate(invoice.read_bytes(), rulesets=INVOICE_RESPONSE_RULESETS)


def test_inside_an_sbdh_envelope() -> None:
    payload = REJECTED.read_bytes().split(b"?>", 1)[1]
    envelope = (
        b'<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">'
        b"<StandardBusinessDocumentHeader><HeaderVersion>1.0</HeaderVersion></StandardBusinessDocumentHeader>"
        + payload + b"</StandardBusinessDocument>"
    )
    result = validate(envelope)
    assert (result.document, result.findings) == ("ApplicationResponse", ())


# --- our own Invoice Responses ------------------------------------------------------------------------

BUYER = Party(ParticipantId.parse("0192:987654325"), "Kjøper AS")
SELLER = Party(ParticipantId.parse("0192:123456785"), "Selger AS")


def _response(code: ResponseCode, *statuses: StatusReason, note: str | None = None) -> InvoiceResponse:
    return InvoiceResponse(
        response_id="IR-2026-1", issue_date=date(2026, 3, 2), sender=BUYER, receiver=SELLER, code=code,
        invoice_id="INV-77", invoice_issue_date=date(2026, 3, 1), statuses=statuses, note=note,
    )


OURS = [
    _response(ResponseCode.ACCEPTED),
    _response(ResponseCode.ACKNOWLEDGED, note="Mottatt"),
    _response(ResponseCode.IN_PROCESS),
    _response(ResponseCode.REJECTED, StatusReason("REF", "Ordrenummer mangler", action_code="NIN")),
    _response(ResponseCode.REJECTED, StatusReason("PRI", "Feil pris", action_code="CNF")),
    _response(ResponseCode.REJECTED, StatusReason("OTH", "Annet", action_code="OTH")),
    _response(ResponseCode.UNDER_QUERY, StatusReason("QTY", "Antall?", action_code="PIN")),
    _response(ResponseCode.CONDITIONALLY_ACCEPTED, StatusReason("NON", "Godkjent med forbehold")),
    _response(ResponseCode.PAID, StatusReason("PPD", "Delbetalt 500 kr")),
]


@pytest.mark.parametrize("response", OURS, ids=lambda r: f"{r.code.value}-{len(r.statuses)}")
def test_our_invoice_responses_pass_t111(response: InvoiceResponse) -> None:
    result = validate(build_invoice_response(response), source="ours.xml")
    assert (result.document, result.findings) == ("ApplicationResponse", ())


def test_the_writer_refuses_what_t111_rejects_or_warns_about() -> None:
    with pytest.raises(InvalidComponent, match="PPD"):
        StatusReason("PPD")  # R004
    with pytest.raises(InvalidComponent, match="OTH"):
        StatusReason("REF", action_code="OTH")  # R002 on the action's own status
    with pytest.raises(InvalidComponent, match="only for response code PD"):
        build_invoice_response(_response(ResponseCode.REJECTED, StatusReason("PPD", "Delbetalt")))


# --- the command line ----------------------------------------------------------------------------------


def test_cli_validate_checks_an_invoice_response(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from nofaktura.cli import main

    broken = tmp_path / "response.xml"
    broken.write_bytes(_edit("invoice_response:3</cbc:Cust", "invoice_response:2</cbc:Cust"))
    assert main(["validate", str(REJECTED)]) == 0
    assert "valid (ApplicationResponse)" in capsys.readouterr().out
    assert main(["validate", str(broken), "--json", "--rules", "3.0.19"]) == 1
    (entry,) = json.loads(capsys.readouterr().out)
    assert (entry["document"], [f["rule"] for f in entry["findings"]]) == ("ApplicationResponse", ["PEPPOL-T111-R003"])


def test_cli_show_shows_an_invoice_response(capsys: pytest.CaptureFixture[str]) -> None:
    from nofaktura.cli import main

    assert main(["show", str(REJECTED)]) == 0
    out = capsys.readouterr().out
    assert "Response: RE (rejected)" in out and "Answers document: inv021" in out
    assert "REF (References incorrect) - A textual explanation" in out
    assert main(["show", str(REJECTED), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["invoice_response"]
    assert (shown["From endpoint"], shown["Document type"]) == ("0196:6963495890", "380")


def test_cli_show_of_an_incomplete_invoice_response_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from nofaktura.cli import main

    path = tmp_path / "empty.xml"
    path.write_bytes(b'<ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2">'
                     b"<cbc:ID xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'>R1"
                     b"</cbc:ID></ApplicationResponse>")
    assert main(["show", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "Number: R1" in out
    assert err == f"nofaktura: error: {path}: not a complete Invoice Response (no response and no answers document)\n"
