"""Fixtures of the Digipost tests: the corpus schemas, a sender key, the fake service and a client on it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives import serialization

from nofaktura.digipost import (
    DigipostClient,
    Document,
    InvoiceData,
    Message,
    NorwegianAddress,
    PostalAddress,
    PrintDetails,
    Recipient,
    SenderKey,
)
from nofaktura.digipost.testing import FakeDigipost, load_schema, make_test_key

from ..conftest import CORPORA

DIGIPOST = CORPORA / "digipost"
USER_ID = "123456"
# Valid check digits (MOD11 twice); synthetic, no real person.
PERSON_USER = "01043100358"
PERSON_NON_USER = "15076500565"
ORGNR = "974760673"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="session")
def schema():
    if not (DIGIPOST / "xsd" / "api_v8.xsd").is_file():
        pytest.fail(f"the Digipost corpus is missing at {DIGIPOST}")
    return load_schema(DIGIPOST / "xsd")


@pytest.fixture(scope="session")
def rsa_key():
    return make_test_key()


@pytest.fixture(scope="session")
def sender_key(rsa_key) -> SenderKey:
    pem = rsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(b"hemmelig"))  # fmt: skip
    return SenderKey.from_pem(pem, "hemmelig")


@pytest.fixture
def fake(schema, rsa_key) -> FakeDigipost:
    service = FakeDigipost(schema)
    service.register_sender(USER_ID, rsa_key.public_key())
    service.add_user(PERSON_USER, "ola.nordmann#AB12")
    service.add_user(ORGNR, "kunde.as#CD34")
    service.add_person(PERSON_NON_USER)
    return service


@pytest.fixture
def client(fake, sender_key):
    with DigipostClient(USER_ID, sender_key, base_url="https://api.test.digipost.no", transport=fake.transport) as c:
        yield c


def address(name: str = "Kari Nordmann", line: str = "Storgata 1", zip_code: str = "0155") -> PostalAddress:
    return PostalAddress(name, NorwegianAddress((line,), zip_code, "Oslo"))


def print_details() -> PrintDetails:
    return PrintDetails(recipient=address(), return_address=address("Norgesbedriften AS", "Postboks 1 Sentrum", "0101"))


def invoice_message(message_id: str = "db1-inv-7-v1", recipient: Recipient | None = None, **kwargs) -> Message:
    invoice = InvoiceData(amount=Decimal("1250.00"), account="12345678903", due_date=date(2026, 12, 20),
                          kid="1234567890128")  # fmt: skip
    return Message(
        message_id=message_id,
        recipient=recipient or Recipient.by_national_id(PERSON_USER),
        primary=Document(PDF, "Faktura 2026-7 fra Norgesbedriften AS", invoice=invoice),
        invoice_reference="2026-7",
        **kwargs,
    )


NOW = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
