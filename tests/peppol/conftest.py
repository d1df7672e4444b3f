from __future__ import annotations

import pytest

from nofaktura.peppol.ids import INVOICE, ParticipantId
from nofaktura.peppol.transports import OutgoingDocument

SELLER = ParticipantId.parse("0192:123456785")
BUYER = ParticipantId.parse("0192:987654325")


def make_document(key: str = "db1-inv-7-v1", content: bytes = b"<Invoice>1</Invoice>") -> OutgoingDocument:
    return OutgoingDocument(content, SELLER, BUYER, INVOICE, key, filename="INV-7.xml")


@pytest.fixture
def document() -> OutgoingDocument:
    return make_document()
