from __future__ import annotations

import pytest

from nofaktura.exceptions import (
    AuthenticationFailed,
    DuplicateSubmission,
    RecipientRejected,
    ServiceUnavailable,
    TransportTimeout,
)
from nofaktura.peppol.transports import (
    DeliveryState,
    InMemoryAccessPoint,
    OutgoingDocument,
    RetryingTransport,
    UnexpectedCall,
    backoff_delay,
)
from nofaktura.peppol.transports.base import AccessPointTransport

from .conftest import make_document


def test_same_key_sends_once(document):
    ap = InMemoryAccessPoint()
    first = ap.send(document)
    second = ap.send(document)
    assert second.message_id == first.message_id and second.duplicate and not first.duplicate
    assert len(ap.sent) == 1
    third = ap.send(make_document("db1-inv-7-v2"))
    assert third.message_id != first.message_id and len(ap.sent) == 2


def test_status_and_incoming_lifecycle(document):
    ap = InMemoryAccessPoint()
    receipt = ap.send(document)
    assert ap.status(receipt.message_id).state is DeliveryState.SENT
    ap.set_state(receipt.message_id, DeliveryState.FAILED, "receiver AP refused")
    status = ap.status(receipt.message_id)
    assert (status.state, status.detail) == (DeliveryState.FAILED, "receiver AP refused")
    assert ap.status("nope").state is DeliveryState.UNKNOWN
    in_id = ap.push_incoming(b"<Invoice/>")
    assert [d.incoming_id for d in ap.fetch_incoming()] == [in_id]
    assert [d.incoming_id for d in ap.fetch_incoming()] == [in_id]  # stays until acknowledged
    ap.acknowledge(in_id)
    assert ap.fetch_incoming() == [] and ap.acknowledged == [in_id]


def test_strict_fake_fails_on_unexpected_calls(document):
    ap = InMemoryAccessPoint(allowed={"send"})
    ap.send(document)
    with pytest.raises(UnexpectedCall):
        ap.fetch_incoming()
    with pytest.raises(UnexpectedCall):
        InMemoryAccessPoint(strict=True).send(document)


def test_scripted_failures_and_assert_all_used(document):
    ap = InMemoryAccessPoint()
    ap.fail_next(1, RecipientRejected("bad"), operation="send")
    ap.fetch_incoming()  # another operation does not consume it
    with pytest.raises(AssertionError):
        ap.assert_all_used()
    with pytest.raises(RecipientRejected):
        ap.send(document)
    ap.assert_all_used()


def test_context_manager_closes():
    with InMemoryAccessPoint() as ap:
        assert isinstance(ap, AccessPointTransport)
    assert ap.closed


def test_repr_does_not_dump_content(document):
    assert "Invoice" not in repr(document) and "db1-inv-7-v1" in repr(document)


def test_outgoing_document_needs_a_key():
    with pytest.raises(ValueError):
        make_document("")


# --- retry ------------------------------------------------------------------------------------------


def test_retry_retries_only_retryable(document):
    sleeps = []
    ap = InMemoryAccessPoint()
    ap.fail_next(2, ServiceUnavailable(), operation="send")
    receipt = RetryingTransport(ap, attempts=3, sleep=sleeps.append).send(document)
    assert receipt.message_id and len(ap.sent) == 1
    assert sleeps == [1.0, 2.0]
    ap.assert_all_used()

    ap2 = InMemoryAccessPoint()
    ap2.fail_next(1, AuthenticationFailed(), operation="send")
    with pytest.raises(AuthenticationFailed):
        RetryingTransport(ap2, attempts=5, sleep=sleeps.append).send(document)
    assert ap2.sent == []


def test_retry_gives_up_after_attempts(document):
    ap = InMemoryAccessPoint()
    ap.fail_next(3, TransportTimeout(), operation="send")
    with pytest.raises(TransportTimeout):
        RetryingTransport(ap, attempts=3, sleep=lambda s: None).send(document)
    assert ap.sent == []


def test_lost_response_is_not_sent_twice(document):
    ap = InMemoryAccessPoint()
    ap.lose_next_response()
    receipt = RetryingTransport(ap, attempts=2, sleep=lambda s: None).send(document)
    assert len(ap.sent) == 1 and receipt.duplicate
    assert receipt.message_id == ap.sent[0].message_id


class DuplicateOnRetry(InMemoryAccessPoint):
    """An access point that answers a re-used key with an error naming the first message."""

    def send(self, document: OutgoingDocument):
        if document.idempotency_key in self._by_key:
            raise DuplicateSubmission(message_id=self._by_key[document.idempotency_key].message_id)
        return super().send(document)


def test_duplicate_submission_on_retry_becomes_the_first_receipt(document):
    ap = DuplicateOnRetry()
    ap.lose_next_response()
    receipt = RetryingTransport(ap, attempts=2, sleep=lambda s: None).send(document)
    assert receipt.duplicate and receipt.message_id == ap.sent[0].message_id
    # but a duplicate on the *first* try is an error the caller must see
    with pytest.raises(DuplicateSubmission):
        RetryingTransport(ap, attempts=2, sleep=lambda s: None).send(document)


def test_backoff_delay():
    assert [backoff_delay(n, base=60).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff_delay(30, base=60, maximum=3600).total_seconds() == 3600
    assert backoff_delay(1, base=100, jitter=0.5, rng=lambda: 1.0).total_seconds() == 50
    with pytest.raises(ValueError):
        backoff_delay(0)
