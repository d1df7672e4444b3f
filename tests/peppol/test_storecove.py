from __future__ import annotations

import base64
import json
import logging

import httpx
import pytest

from nofaktura.exceptions import (
    AuthenticationFailed,
    DuplicateSubmission,
    RecipientRejected,
    ServiceUnavailable,
    TransportError,
    TransportTimeout,
)
from nofaktura.peppol import ids
from nofaktura.peppol.transports import DeliveryState, RetryingTransport, StorecoveAccessPoint
from nofaktura.peppol.transports.storecove import idempotency_guid

from .conftest import make_document
from .fake_storecove import FakeStorecove


@pytest.fixture
def fake():
    return FakeStorecove()


@pytest.fixture
def ap(fake):
    with StorecoveAccessPoint(
        api_key=fake.api_key, legal_entity_id=fake.legal_entity_id, transport=httpx.MockTransport(fake)
    ) as client:
        yield client


def test_send_as_documented(fake, ap, document):
    receipt = ap.send(document)
    body = fake.submissions[receipt.message_id]
    assert body["idempotencyGuid"] == idempotency_guid(document.idempotency_key)
    assert body["routing"] == {"eIdentifiers": [{"scheme": "NO:ORGNR", "id": "987654325"}]}
    raw = body["document"]["rawDocumentData"]
    assert body["document"]["documentType"] == "invoice"
    assert base64.b64decode(raw["document"]) == document.content
    assert raw["parse"] is False and raw["documentTypeId"] == ids.INVOICE
    assert raw["processId"] == ids.BILLING_PROCESS
    assert fake.requests[0].url == "https://api.storecove.com/api/v2/document_submissions"


def test_same_key_twice_is_a_duplicate_not_a_second_send(fake, ap, document):
    ap.send(document)
    with pytest.raises(DuplicateSubmission):
        ap.send(document)
    assert len(fake.submissions) == 1


def test_retry_after_5xx_keeps_the_guid(fake, ap, document):
    fake.fail_next = [503, 502]
    receipt = RetryingTransport(ap, attempts=3, sleep=lambda s: None).send(document)
    assert len(fake.submissions) == 1 and receipt.message_id in fake.submissions
    guids = {json.loads(r.content)["idempotencyGuid"] for r in fake.requests}
    assert guids == {idempotency_guid(document.idempotency_key)}


def test_errors_are_typed(fake, ap, document):
    fake.fail_next = [429]
    with pytest.raises(ServiceUnavailable):  # RateLimited is a ServiceUnavailable: retryable
        ap.send(document)
    bad = StorecoveAccessPoint(api_key="wrong", legal_entity_id=1, transport=httpx.MockTransport(fake))
    with pytest.raises(AuthenticationFailed) as info:
        bad.send(document)
    assert not info.value.retryable
    wrong_entity = StorecoveAccessPoint(api_key=fake.api_key, legal_entity_id=1, transport=httpx.MockTransport(fake))
    with pytest.raises(RecipientRejected, match="legalEntityId"):
        wrong_entity.send(document)


def test_timeout_is_translated(document):
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    ap = StorecoveAccessPoint(api_key="k", legal_entity_id=1, transport=httpx.MockTransport(handler))
    with pytest.raises(TransportTimeout) as info:
        ap.send(document)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


def test_status_pending_then_delivered(fake, ap, document):
    receipt = ap.send(document)
    assert ap.status(receipt.message_id).state is DeliveryState.PENDING
    fake.deliver(receipt.message_id)
    status = ap.status(receipt.message_id)
    assert status.state is DeliveryState.DELIVERED and "tx-" in status.detail and status.at


def test_incoming_through_the_pull_queue(fake, ap):
    fake.push_event({"event": "document_submission_failed", "guid": "sub-1", "details": "receiver not found"})
    first = fake.receive_invoice(b"<Invoice>1</Invoice>")
    fake.receive_invoice(b"<Invoice>2</Invoice>")
    docs = ap.fetch_incoming()
    assert len(docs) == 1 and docs[0].content == b"<Invoice>1</Invoice>"
    assert docs[0].metadata["document_guid"] == first
    # the failure event was taken off the queue and is known to status()
    assert ap.status("sub-1").state is DeliveryState.FAILED
    # not acknowledged: offered again
    assert ap.fetch_incoming()[0].incoming_id == docs[0].incoming_id
    ap.acknowledge(docs[0].incoming_id)
    second = ap.fetch_incoming()
    assert second[0].content == b"<Invoice>2</Invoice>"
    ap.acknowledge(second[0].incoming_id)
    ap.acknowledge(second[0].incoming_id)  # twice is harmless (404 → done)
    assert ap.fetch_incoming() == []


def test_api_key_never_in_repr_or_logs(fake, document, caplog):
    caplog.set_level(logging.DEBUG)
    ap = StorecoveAccessPoint(
        api_key=fake.api_key, legal_entity_id=fake.legal_entity_id, transport=httpx.MockTransport(fake)
    )
    ap.send(document)
    fake.fail_next = [500]
    with pytest.raises(ServiceUnavailable) as info:
        ap.send(make_document("other"))
    assert fake.api_key not in repr(ap)
    assert fake.api_key not in caplog.text
    assert fake.api_key not in str(info.value)


GARBAGE = {
    "html": b"<html><body>502 Bad Gateway</body></html>",
    "empty": b"",
    "truncated": b'{"guid": "abc',
    "list": b"[1, 2]",
    "string": b'"ok"',
    "wrong-types": b'{"guid": 7, "body": 8, "ubl": 9, "evidence": "x"}',
}


@pytest.mark.parametrize("body", sorted(GARBAGE))
@pytest.mark.parametrize("operation", ["send", "status", "fetch_incoming"])
def test_a_200_that_is_not_the_documented_json_is_a_transport_error(operation, body, document):
    """A proxy or maintenance page answering 200 must not escape as JSONDecodeError/AttributeError."""

    def handler(request):
        return httpx.Response(204 if request.method == "DELETE" else 200, content=GARBAGE[body])

    ap = StorecoveAccessPoint(api_key="k", legal_entity_id=1, transport=httpx.MockTransport(handler))
    call = {
        "send": lambda: ap.send(document),
        "status": lambda: ap.status("sub-1"),
        "fetch_incoming": ap.fetch_incoming,
    }[operation]
    with pytest.raises(TransportError):
        call()


def test_ids_from_answers_never_reach_a_url_path_unchecked(fake, ap):
    fake.queue.append({"guid": "wh-1", "body": '{"event_type": "received_document", "document_guid": "../../x"}'})
    assert ap.fetch_incoming() == []  # not a GUID: treated as an unknown event and taken off the queue
    assert not [r for r in fake.requests if "purchase_invoices" in r.url.path]
    with pytest.raises(TransportError):
        ap.acknowledge("../legal_entities/1")
    with pytest.raises(TransportError):
        ap.status("a/b")
