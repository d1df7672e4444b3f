"""An access point in memory: the public fake used by tests, demo mode and the Odoo addon's tests.

It keeps the contract of :class:`~.base.AccessPointTransport` strictly, so code tested against it
behaves the same against a real access point:

- the same idempotency key returns the first receipt (``duplicate=True``) and sends nothing new;
- failures can be scripted: ``fail_next(2, ServiceUnavailable())`` makes the next two calls of any
  operation fail (``operation="send"`` to target one), and ``lose_next_response()`` makes the next send
  *succeed at the access point* but raise a timeout to the caller, the case idempotency exists for;
- ``strict=True`` (or ``allowed={"send"}``) makes any other call fail loudly with
  :class:`UnexpectedCall`, and :meth:`assert_all_used` fails when scripted failures were never hit.

>>> ap = InMemoryAccessPoint()
>>> from nofaktura.peppol.ids import ParticipantId, INVOICE
>>> doc = OutgoingDocument(b"<Invoice/>", ParticipantId.parse("0192:987654325"),
...                        ParticipantId.parse("0192:123456785"), INVOICE, "inv-1-v1")
>>> first = ap.send(doc); again = ap.send(doc)
>>> (again.message_id == first.message_id, again.duplicate, len(ap.sent))
(True, True, 1)
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from nofaktura.exceptions import TransportError, TransportTimeout
from nofaktura.messages import msg
from nofaktura.peppol.ids import ParticipantId
from nofaktura.peppol.transports.base import (
    AccessPointTransport,
    DeliveryState,
    DeliveryStatus,
    IncomingDocument,
    OutgoingDocument,
    Receipt,
)

__all__ = ["InMemoryAccessPoint", "SentMessage", "UnexpectedCall"]

OPERATIONS = frozenset({"send", "fetch_incoming", "acknowledge", "status"})


class UnexpectedCall(AssertionError):
    """A strict fake was called for an operation the test did not allow."""


@dataclass
class SentMessage:
    message_id: str
    document: OutgoingDocument
    state: DeliveryState = DeliveryState.SENT
    detail: str = ""


class InMemoryAccessPoint(AccessPointTransport):
    name = "memory"

    def __init__(
        self,
        *,
        strict: bool = False,
        allowed: Iterable[str] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.allowed = frozenset(allowed) if allowed is not None else (frozenset() if strict else OPERATIONS)
        unknown = self.allowed - OPERATIONS
        if unknown:
            raise ValueError(f"unknown operations {sorted(unknown)}")
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.sent: list[SentMessage] = []
        self._by_key: dict[str, SentMessage] = {}
        self._by_id: dict[str, SentMessage] = {}
        self.inbox: dict[str, IncomingDocument] = {}
        self.acknowledged: list[str] = []
        self.calls: list[tuple[str, str]] = []
        self._failures: list[tuple[str | None, TransportError]] = []
        self._lose_responses = 0
        self.closed = False

    # --- scripting ------------------------------------------------------------------------------

    def fail_next(self, times: int, error: TransportError, *, operation: str | None = None) -> None:
        """The next ``times`` calls (of ``operation``, or of any operation) raise ``error``."""
        if operation is not None and operation not in OPERATIONS:
            raise ValueError(f"unknown operation {operation!r}")
        self._failures.extend([(operation, error)] * times)

    def lose_next_response(self, times: int = 1) -> None:
        """The next sends reach the access point, but the caller gets a timeout instead of the receipt."""
        self._lose_responses += times

    def push_incoming(
        self,
        content: bytes,
        *,
        sender: ParticipantId | None = None,
        receiver: ParticipantId | None = None,
        document_type: str | None = None,
        filename: str | None = None,
    ) -> str:
        """Put a document in our inbox as if it had arrived from the network; returns its id."""
        incoming_id = f"in-{next(self._ids)}"
        self.inbox[incoming_id] = IncomingDocument(
            incoming_id, content, sender, receiver, document_type, self._clock(), filename
        )
        return incoming_id

    def set_state(self, message_id: str, state: DeliveryState, detail: str = "") -> None:
        """Move a sent message on (e.g. DELIVERED, or FAILED with a reason)."""
        message = self._by_id[message_id]
        message.state, message.detail = state, detail

    def assert_all_used(self) -> None:
        if self._failures or self._lose_responses:
            raise AssertionError(
                f"scripted failures never triggered: {len(self._failures)} failures, "
                f"{self._lose_responses} lost responses"
            )

    # --- the contract ---------------------------------------------------------------------------

    def _enter(self, operation: str, argument: str) -> None:
        if self.closed:
            raise TransportError(msg("ap.memory_closed"))
        if operation not in self.allowed:
            raise UnexpectedCall(f"unexpected call {operation}({argument}) on a strict InMemoryAccessPoint")
        self.calls.append((operation, argument))
        for index, (target, error) in enumerate(self._failures):
            if target in (None, operation):
                del self._failures[index]
                raise error

    def send(self, document: OutgoingDocument) -> Receipt:
        with self._lock:
            self._enter("send", document.idempotency_key)
            existing = self._by_key.get(document.idempotency_key)
            if existing is not None:
                return Receipt(existing.message_id, document.idempotency_key, self._clock(), duplicate=True)
            message = SentMessage(f"mem-{next(self._ids)}", document)
            self.sent.append(message)
            self._by_key[document.idempotency_key] = message
            self._by_id[message.message_id] = message
            if self._lose_responses:
                self._lose_responses -= 1
                raise TransportTimeout(msg("ap.memory_lost"))
            return Receipt(message.message_id, document.idempotency_key, self._clock())

    def fetch_incoming(self) -> list[IncomingDocument]:
        with self._lock:
            self._enter("fetch_incoming", "")
            return list(self.inbox.values())

    def acknowledge(self, incoming_id: str) -> None:
        with self._lock:
            self._enter("acknowledge", incoming_id)
            if self.inbox.pop(incoming_id, None) is not None:
                self.acknowledged.append(incoming_id)

    def status(self, message_id: str) -> DeliveryStatus:
        with self._lock:
            self._enter("status", message_id)
            message = self._by_id.get(message_id)
            if message is None:
                return DeliveryStatus(message_id, DeliveryState.UNKNOWN, "no such message")
            return DeliveryStatus(message_id, message.state, message.detail, self._clock())

    def close(self) -> None:
        self.closed = True
