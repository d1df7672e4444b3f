"""Peppol identifiers: participants (``0192:<orgnr>``), document types and processes.

A Peppol participant is written ``<ICD>:<value>`` in documents (``cbc:EndpointID schemeID="0192"``) and
``iso6523-actorid-upis::<ICD>:<value>`` on the wire (SMP URLs, SBDH, access-point APIs). Norway uses ICD
**0192** (Enhetsregisteret); the old 9908 is dead since 2023 (norway.md §1.5). Participant ids compare
case-insensitively (Peppol Policy for use of identifiers), so :class:`ParticipantId` keeps the value as
given and compares on the lower-cased form.

Document type ids follow ``<UBL namespace>::<root>##<CustomizationID>::2.1`` (norway.md §1.2).

>>> ParticipantId.parse("0192:987654325").uri
'iso6523-actorid-upis::0192:987654325'
>>> ParticipantId.for_orgnr("987 654 325")
ParticipantId(icd='0192', value='987654325')
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import orgnr as stdnum_orgnr

from nofaktura.exceptions import InvalidChecksum, InvalidFormat
from nofaktura.messages import msg

__all__ = [
    "BILLING_CUSTOMIZATION",
    "BILLING_PROCESS",
    "CREDIT_NOTE",
    "DOCTYPE_SCHEME",
    "DOCTYPE_WILDCARD_SCHEME",
    "ICD_NO_ORGNR",
    "INVOICE",
    "INVOICE_RESPONSE",
    "INVOICE_RESPONSE_CUSTOMIZATION",
    "INVOICE_RESPONSE_PROCESS",
    "PARTICIPANT_SCHEME",
    "PROCESS_SCHEME",
    "ParticipantId",
    "document_type_for_root",
]

#: Identifier scheme of participants (``iso6523-actorid-upis``).
PARTICIPANT_SCHEME = "iso6523-actorid-upis"
#: Identifier scheme of document types.
DOCTYPE_SCHEME = "busdox-docid-qns"
#: Scheme for document types registered with a ``*`` wildcard (Peppol Policy for use of identifiers 4.x).
DOCTYPE_WILDCARD_SCHEME = "peppol-doctype-wildcard"
#: Identifier scheme of processes.
PROCESS_SCHEME = "cenbii-procid-ubl"
#: Norwegian organisation number (Enhetsregisteret).
ICD_NO_ORGNR = "0192"

#: BT-24 of Peppol BIS Billing 3.0 (= EHF Billing 3.0).
BILLING_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
#: BT-23 / the Peppol process of BIS Billing 3.0.
BILLING_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE = f"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##{BILLING_CUSTOMIZATION}::2.1"
CREDIT_NOTE = f"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##{BILLING_CUSTOMIZATION}::2.1"
#: Peppol Invoice Response 3 (BIS 63A).
INVOICE_RESPONSE_CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
INVOICE_RESPONSE_PROCESS = "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"
INVOICE_RESPONSE = (
    "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2::ApplicationResponse"
    f"##{INVOICE_RESPONSE_CUSTOMIZATION}::2.1"
)

_BY_ROOT = {"Invoice": INVOICE, "CreditNote": CREDIT_NOTE, "ApplicationResponse": INVOICE_RESPONSE}


def document_type_for_root(root: str) -> str:
    """The Peppol document type id for a UBL root element name (``Invoice``, ``CreditNote``...)."""
    try:
        return _BY_ROOT[root]
    except KeyError:
        raise InvalidFormat(msg("peppol.no_document_type", root=root)) from None


@dataclass(frozen=True)
class ParticipantId:
    """A Peppol participant: an ISO 6523 ICD (``0192``) and the identifier value."""

    icd: str
    value: str

    def __post_init__(self) -> None:
        if not (len(self.icd) == 4 and self.icd.isdigit()):
            raise InvalidFormat(msg("peppol.bad_icd", icd=self.icd))
        if not self.value or any(c.isspace() for c in self.value):
            raise InvalidFormat(msg("peppol.bad_identifier", value=self.value))

    @classmethod
    def parse(cls, text: str) -> ParticipantId:
        """Read ``0192:987654325`` or ``iso6523-actorid-upis::0192:987654325``.

        For ICD 0192 the organisation number is checked (PEPPOL-COMMON-R041: 9 digits, MOD11).
        """
        text = (text or "").strip()
        prefix = PARTICIPANT_SCHEME + "::"
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
        icd, sep, value = text.partition(":")
        if not sep:
            raise InvalidFormat(msg("peppol.bad_participant", text=text))
        if icd == ICD_NO_ORGNR:
            return cls.for_orgnr(value)
        return cls(icd, value)

    @classmethod
    def for_orgnr(cls, orgnr: str) -> ParticipantId:
        """The participant of a Norwegian organisation number (spaces allowed, check digit checked)."""
        try:
            compact = stdnum_orgnr.validate(orgnr)
        except StdnumValidationError as exc:
            # PEPPOL-COMMON-R041: a 0192 identifier must be 9 digits and pass MOD11.
            raise InvalidChecksum(msg("peppol.bad_orgnr", orgnr=orgnr, problem=exc)) from exc
        return cls(ICD_NO_ORGNR, compact)

    @property
    def uri(self) -> str:
        """The wire form, ``iso6523-actorid-upis::0192:987654325``."""
        return f"{PARTICIPANT_SCHEME}::{self}"

    def __str__(self) -> str:
        return f"{self.icd}:{self.value}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParticipantId):
            return NotImplemented
        return (self.icd, self.value.lower()) == (other.icd, other.value.lower())

    def __hash__(self) -> int:
        return hash((self.icd, self.value.lower()))
