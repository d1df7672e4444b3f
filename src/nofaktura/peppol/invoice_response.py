"""Peppol Invoice Response 3 (BIS 63A): the buyer tells the seller what became of an invoice.

A UBL 2.1 ``ApplicationResponse`` with CustomizationID ``urn:fdc:peppol.eu:poacc:trns:invoice_response:3``
and ProfileID ``urn:fdc:peppol.eu:poacc:bis:invoice_response:3``, sent over Peppol like the invoice, from
the buyer (``SenderParty``) to the seller (``ReceiverParty``). Specification:
https://docs.peppol.eu/poacc/upgrade-3/profiles/63-invoiceresponse/ and
https://docs.peppol.eu/poacc/upgrade-3/syntax/InvoiceResponse/tree/ (norway.md §1.8).

Response codes (``cbc:ResponseCode listID="UNCL4343OpSubset"``), the subset BIS 63A allows:

====  ======================  ==================================================================
Code  Name                    Meaning
====  ======================  ==================================================================
AB    Message acknowledgement The invoice was received (technical acknowledgement).
IP    In process              It is being processed.
UQ    Under query             Something must be clarified before it can be processed.
CA    Conditionally accepted  Accepted on conditions given in the status.
RE    Rejected                It will not be processed; the reason is **mandatory** here.
AP    Accepted                It will be paid per its terms (final).
PD    Fully paid              Payment was initiated (final).
====  ======================  ==================================================================

Status reason codes (``cbc:StatusReasonCode listID="OPStatusReason"``) — why:
NON no issue, REF references incorrect, LEG legal information incorrect, REC receiver unknown,
QUA item quality insufficient, DEL delivery issues, PRI prices incorrect, QTY quantity incorrect,
ITM items incorrect, PAY payment terms incorrect, UNR not recognized, FIN finance terms incorrect,
PPD partially paid, OTH other.

Status action codes (``listID="OPStatusAction"``) — what the seller should do: NOA no action,
PIN provide information, NIN issue new invoice, CNF credit fully, CNP credit partially, CNA credit the
amount, OTH other.

We write RE (with reason and, usually, action NIN or CNF) and AP; the other codes are accepted too.
The writer builds the XML with lxml's element factory (writing is safe; only received XML goes through
:func:`nofaktura.xml.parse_untrusted`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from nofaktura.ehf import namespaces as ns
from nofaktura.exceptions import InvalidComponent, InvalidFormat
from nofaktura.messages import msg
from nofaktura.peppol.ids import (
    INVOICE_RESPONSE_CUSTOMIZATION,
    INVOICE_RESPONSE_PROCESS,
    ParticipantId,
)

__all__ = [
    "ACTION_CODES",
    "REASON_CODES",
    "Party",
    "ResponseCode",
    "StatusReason",
    "build_invoice_response",
]


class ResponseCode(str, enum.Enum):
    #: Message acknowledgement.
    ACKNOWLEDGED = "AB"
    #: In process.
    IN_PROCESS = "IP"
    #: Under query.
    UNDER_QUERY = "UQ"
    #: Conditionally accepted.
    CONDITIONALLY_ACCEPTED = "CA"
    #: Rejected (a reason is mandatory).
    REJECTED = "RE"
    #: Accepted (final).
    ACCEPTED = "AP"
    #: Fully paid (final).
    PAID = "PD"


#: OPStatusReason code list (BIS 63A).
REASON_CODES = {
    "NON": "No issue",
    "REF": "References incorrect",
    "LEG": "Legal information incorrect",
    "REC": "Receiver unknown",
    "QUA": "Item quality insufficient",
    "DEL": "Delivery issues",
    "PRI": "Prices incorrect",
    "QTY": "Quantity incorrect",
    "ITM": "Items incorrect",
    "PAY": "Payment terms incorrect",
    "UNR": "Not recognized",
    "FIN": "Finance terms incorrect",
    "PPD": "Partially paid",
    "OTH": "Other",
}
#: OPStatusAction code list (BIS 63A).
ACTION_CODES = {
    "NOA": "No action required",
    "PIN": "Provide information",
    "NIN": "Issue new invoice",
    "CNF": "Credit fully",
    "CNP": "Credit partially",
    "CNA": "Credit the amount",
    "OTH": "Other",
}


@dataclass(frozen=True)
class Party:
    endpoint: ParticipantId
    name: str


@dataclass(frozen=True)
class StatusReason:
    """One ``cac:Status``: a reason code, a text a person reads, optionally an action code."""

    reason_code: str
    text: str = ""
    action_code: str | None = None

    def __post_init__(self) -> None:
        if self.reason_code not in REASON_CODES:
            choices = ", ".join(REASON_CODES)
            raise InvalidComponent(msg("peppol.bad_reason_code", code=self.reason_code, choices=choices))
        if self.action_code is not None and self.action_code not in ACTION_CODES:
            raise InvalidComponent(msg("peppol.bad_action_code", code=self.action_code))
        # PEPPOL-T111-R004 (fatal) and R002 (warning): "partially paid" and "other" must be said in words
        if not self.text.strip() and "OTH" in (self.reason_code, self.action_code):
            raise InvalidComponent(msg("peppol.oth_needs_text"))
        if not self.text.strip() and self.reason_code == "PPD":
            raise InvalidComponent(msg("peppol.ppd_needs_text"))


@dataclass(frozen=True)
class InvoiceResponse:
    response_id: str
    issue_date: date
    sender: Party  # the buyer, who answers
    receiver: Party  # the seller, who sent the invoice
    code: ResponseCode
    invoice_id: str
    invoice_type_code: str = "380"
    invoice_issue_date: date | None = None
    statuses: tuple[StatusReason, ...] = field(default=())
    note: str | None = None


def _cbc(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns.CBC}}}{tag}", attrib)
    element.text = text
    return element


def _cac(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns.CAC}}}{tag}")


def _party(parent: etree._Element, tag: str, party: Party) -> None:
    node = _cac(parent, tag)
    _cbc(node, "EndpointID", party.endpoint.value, schemeID=party.endpoint.icd)
    legal = _cac(node, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)


def build_invoice_response(response: InvoiceResponse) -> bytes:
    """The ApplicationResponse XML (UTF-8 bytes) for ``response``.

    A rejection (RE), under query (UQ) or conditional acceptance (CA) without a status reason is
    refused: the seller must be told why (BIS 63A rules on status reasons for these codes). What we
    write passes the UBL 2.1 schema and the Peppol T111 rules (``nofaktura validate`` checks an
    ApplicationResponse against them; ``tests/peppol/test_invoice_response.py`` keeps that so).
    """
    if not response.response_id or not response.invoice_id:
        raise InvalidFormat(msg("peppol.response_ids"))
    code = ResponseCode(response.code)
    if code in (ResponseCode.REJECTED, ResponseCode.UNDER_QUERY, ResponseCode.CONDITIONALLY_ACCEPTED) and not (
        response.statuses and any(s.text or s.reason_code != "NON" for s in response.statuses)
    ):
        raise InvalidComponent(msg("peppol.response_needs_reason", code=code.value))
    if code is not ResponseCode.PAID and any(s.reason_code == "PPD" for s in response.statuses):
        # what PEPPOL-T111-R005 means (the official test of it never fires, see nofaktura.ehf.rules.peppol_t111)
        raise InvalidComponent(msg("peppol.ppd_only_paid"))
    nsmap = {None: ns.APPLICATION_RESPONSE, "cac": ns.CAC, "cbc": ns.CBC}
    root = etree.Element(f"{{{ns.APPLICATION_RESPONSE}}}ApplicationResponse", nsmap=nsmap)
    _cbc(root, "CustomizationID", INVOICE_RESPONSE_CUSTOMIZATION)
    _cbc(root, "ProfileID", INVOICE_RESPONSE_PROCESS)
    _cbc(root, "ID", response.response_id)
    _cbc(root, "IssueDate", response.issue_date.isoformat())
    if response.note:
        _cbc(root, "Note", response.note)
    _party(root, "SenderParty", response.sender)
    _party(root, "ReceiverParty", response.receiver)
    document_response = _cac(root, "DocumentResponse")
    resp = _cac(document_response, "Response")
    _cbc(resp, "ResponseCode", code.value, listID="UNCL4343OpSubset")
    for status in response.statuses:
        node = _cac(resp, "Status")
        if status.action_code:
            _cbc(node, "StatusReasonCode", status.action_code, listID="OPStatusAction")
            if status.action_code == "OTH":
                _cbc(node, "StatusReason", status.text)  # R002: "other" is said in words on its own status
            node = _cac(resp, "Status")
        _cbc(node, "StatusReasonCode", status.reason_code, listID="OPStatusReason")
        if status.text:
            _cbc(node, "StatusReason", status.text)
    reference = _cac(document_response, "DocumentReference")
    _cbc(reference, "ID", response.invoice_id)
    if response.invoice_issue_date:
        _cbc(reference, "IssueDate", response.invoice_issue_date.isoformat())
    _cbc(reference, "DocumentTypeCode", response.invoice_type_code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
