from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from nofaktura.exceptions import InvalidComponent
from nofaktura.peppol.ids import ParticipantId
from nofaktura.peppol.invoice_response import (
    InvoiceResponse,
    Party,
    ResponseCode,
    StatusReason,
    build_invoice_response,
)
from nofaktura.xml import parse_untrusted

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
BUYER = Party(ParticipantId.parse("0192:987654325"), "Kjøper AS")
SELLER = Party(ParticipantId.parse("0192:123456785"), "Selger AS")


@pytest.fixture(scope="module")
def schema(corpora):
    path = corpora / "ubl-2.1-xsd" / "xsd" / "maindoc" / "UBL-ApplicationResponse-2.1.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def rejection(**kw):
    values = dict(
        response_id="IR-2026-1",
        issue_date=date(2026, 3, 2),
        sender=BUYER,
        receiver=SELLER,
        code=ResponseCode.REJECTED,
        invoice_id="INV-77",
        invoice_issue_date=date(2026, 3, 1),
        statuses=(StatusReason("REF", "Ordrenummer mangler", action_code="NIN"),),
    )
    values.update(kw)
    return InvoiceResponse(**values)


def test_rejection_is_schema_valid_and_carries_the_reason(schema):
    xml = build_invoice_response(rejection())
    tree = parse_untrusted(xml)
    schema.assertValid(tree)
    root = tree.getroot()
    assert root.findtext("cbc:CustomizationID", namespaces=NS) == "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
    assert root.findtext("cbc:ProfileID", namespaces=NS) == "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"
    code = root.find("cac:DocumentResponse/cac:Response/cbc:ResponseCode", NS)
    assert (code.text, code.get("listID")) == ("RE", "UNCL4343OpSubset")
    reasons = {(e.get("listID"), e.text) for e in root.iterfind(".//cac:Status/cbc:StatusReasonCode", NS)}
    assert reasons == {("OPStatusReason", "REF"), ("OPStatusAction", "NIN")}
    assert root.findtext(".//cac:Status/cbc:StatusReason", namespaces=NS) == "Ordrenummer mangler"
    assert root.findtext("cac:DocumentResponse/cac:DocumentReference/cbc:ID", namespaces=NS) == "INV-77"
    sender = root.find("cac:SenderParty/cbc:EndpointID", NS)
    assert (sender.get("schemeID"), sender.text) == ("0192", "987654325")
    assert root.findtext("cac:ReceiverParty/cac:PartyLegalEntity/cbc:RegistrationName", namespaces=NS) == "Selger AS"


def test_acceptance_needs_no_reason(schema):
    xml = build_invoice_response(rejection(code=ResponseCode.ACCEPTED, statuses=(), invoice_type_code="381"))
    schema.assertValid(parse_untrusted(xml))
    assert b">AP<" in xml and b"<cbc:DocumentTypeCode>381<" in xml


def test_rejection_without_reason_is_refused():
    with pytest.raises(InvalidComponent):
        build_invoice_response(rejection(statuses=()))
    with pytest.raises(InvalidComponent):
        build_invoice_response(rejection(statuses=(StatusReason("NON"),)))


def test_unknown_codes_are_refused():
    with pytest.raises(InvalidComponent):
        StatusReason("XXX")
    with pytest.raises(InvalidComponent):
        StatusReason("REF", action_code="ZZZ")
    with pytest.raises(ValueError):
        build_invoice_response(rejection(code="ZZ"))
