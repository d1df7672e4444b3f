"""Digipost (Posten's digital mailbox with print fallback): a client for API v8 written from its public docs.

Typical use (see docs/architecture.md, "Digipost and print channels")::

    key = SenderKey.from_pkcs12(p12_bytes, password)
    with DigipostClient(user_id, key, base_url=TEST_URL) as client:
        if client.identify(Recipient.by_national_id(fnr)).is_digipost_user: ...
        delivery = client.send(Message(message_id=queue_key, recipient=..., primary=Document(pdf, "Faktura 1"),
                                       print_details=PrintDetails(...)))

Modules: :mod:`.signing` (content hash, canonical string, SHA256withRSA, Date window), :mod:`.message`
(recipients, print details, invoice data type, XML and multipart), :mod:`.client` (HTTP, answers, typed
errors), :mod:`.testing` (a fake Digipost for tests and benchmarks).
"""

from nofaktura.digipost.client import (
    PRODUCTION_URL,
    TEST_URL,
    DeliveryChannel,
    DigipostClient,
    DocumentStatus,
    Identification,
    IdentificationResult,
    MessageDelivery,
    MessageStatus,
    error_from_response,
)
from nofaktura.digipost.message import (
    AuthenticationLevel,
    Document,
    ForeignAddress,
    InvoiceData,
    Message,
    NameAndAddress,
    NondeliverableHandling,
    NorwegianAddress,
    PostalAddress,
    PrintColor,
    PrintDetails,
    PrintIfUnread,
    Recipient,
    RecipientKind,
    SensitivityLevel,
    build_identification_xml,
    build_message_xml,
    build_multipart,
    validate_national_id,
)
from nofaktura.digipost.signing import SenderKey

__all__ = [
    "PRODUCTION_URL",
    "TEST_URL",
    "AuthenticationLevel",
    "DeliveryChannel",
    "DigipostClient",
    "Document",
    "DocumentStatus",
    "ForeignAddress",
    "Identification",
    "IdentificationResult",
    "InvoiceData",
    "Message",
    "MessageDelivery",
    "MessageStatus",
    "NameAndAddress",
    "NondeliverableHandling",
    "NorwegianAddress",
    "PostalAddress",
    "PrintColor",
    "PrintDetails",
    "PrintIfUnread",
    "Recipient",
    "RecipientKind",
    "SenderKey",
    "SensitivityLevel",
    "build_identification_xml",
    "build_message_xml",
    "build_multipart",
    "error_from_response",
    "validate_national_id",
]
