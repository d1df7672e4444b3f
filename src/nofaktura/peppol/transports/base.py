"""The access-point interface: one small contract every transport keeps.

An access point (AP) is the service provider that carries our documents on the Peppol network. Whatever
its API (REST, folder/SFTP exchange, a fake in memory), a transport offers:

- ``send(document) -> Receipt``: hand one document over. ``document.idempotency_key`` is passed on to
  the AP (header, GUID or file name) so that sending the same key twice never sends the document twice;
  the second call answers the first receipt (``duplicate=True``) or raises
  :class:`~nofaktura.exceptions.DuplicateSubmission`.
- ``fetch_incoming() -> list[IncomingDocument]``: documents waiting for us; they stay waiting until
  ``acknowledge(incoming_id)``, so a crash between fetch and booking loses nothing.
- ``status(message_id) -> DeliveryStatus``: what became of a sent document.
- ``close()`` and the context-manager protocol.

Errors are :class:`~nofaktura.exceptions.TransportError` subclasses whose ``retryable`` says whether
trying later may pass; :func:`translate_errors` is the one place where third-party exceptions (httpx,
paramiko, OS errors) become ours. Retrying is a wrapper (:class:`~.retry.RetryingTransport`), not a flag.
"""

from __future__ import annotations

import abc
import contextlib
import enum
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import paramiko

from nofaktura.exceptions import (
    AuthenticationFailed,
    RateLimited,
    RecipientRejected,
    ServiceUnavailable,
    TransportError,
    TransportTimeout,
)
from nofaktura.messages import msg
from nofaktura.peppol.ids import BILLING_PROCESS, ParticipantId

__all__ = [
    "AccessPointTransport",
    "DeliveryState",
    "DeliveryStatus",
    "IncomingDocument",
    "OutgoingDocument",
    "Receipt",
    "error_for_http_status",
    "translate_errors",
]


@dataclass(frozen=True)
class OutgoingDocument:
    """One document to hand to the access point.

    ``idempotency_key`` identifies *this version of this document* (e.g. ``<db>-<move id>-<version>``);
    it must be stable across retries and different for a corrected re-send.
    """

    content: bytes
    sender: ParticipantId
    receiver: ParticipantId
    document_type: str
    idempotency_key: str
    process: str = BILLING_PROCESS
    filename: str | None = None

    def __post_init__(self) -> None:
        if not self.idempotency_key or len(self.idempotency_key) > 200:
            raise ValueError("an outgoing document needs an idempotency key of 1 to 200 characters")
        if not isinstance(self.content, bytes) or not self.content:
            raise ValueError("an outgoing document needs its content as non-empty bytes")

    def __repr__(self) -> str:  # never dump a whole invoice into a log line
        return (
            f"OutgoingDocument(key={self.idempotency_key!r}, {self.sender} -> {self.receiver}, "
            f"{len(self.content)} bytes)"
        )


@dataclass(frozen=True)
class Receipt:
    """The access point took the document. ``message_id`` is its id for :meth:`status`."""

    message_id: str
    idempotency_key: str
    accepted_at: datetime | None = None
    duplicate: bool = False  # True: the AP had this key already; nothing new was sent


class DeliveryState(str, enum.Enum):
    #: Accepted by our access point, not yet passed on.
    PENDING = "pending"
    #: Passed on to the receiver's access point (or picked up from the outbox).
    SENT = "sent"
    #: The receiver's access point confirmed (AS4 receipt / MLS acceptance).
    DELIVERED = "delivered"
    #: It will not arrive; ``detail`` says why.
    FAILED = "failed"
    #: The access point does not know (yet).
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DeliveryStatus:
    message_id: str
    state: DeliveryState
    detail: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class IncomingDocument:
    """A document waiting at the access point. ``incoming_id`` is what :meth:`acknowledge` takes."""

    incoming_id: str
    content: bytes
    sender: ParticipantId | None = None
    receiver: ParticipantId | None = None
    document_type: str | None = None
    received_at: datetime | None = None
    filename: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"IncomingDocument(id={self.incoming_id!r}, from={self.sender}, {len(self.content)} bytes)"


class AccessPointTransport(abc.ABC):
    """The contract of every access point. See the module docstring."""

    #: Short name for logs and configuration (``memory``, ``folder``, ``storecove``...).
    name = "abstract"

    @abc.abstractmethod
    def send(self, document: OutgoingDocument) -> Receipt:
        """Hand over ``document``; the same idempotency key never sends twice."""

    @abc.abstractmethod
    def fetch_incoming(self) -> list[IncomingDocument]:
        """Documents waiting for us, oldest first; they stay until acknowledged."""

    @abc.abstractmethod
    def acknowledge(self, incoming_id: str) -> None:
        """Tell the access point we stored ``incoming_id``; it will not be offered again."""

    @abc.abstractmethod
    def status(self, message_id: str) -> DeliveryStatus:
        """What became of a sent document."""

    def close(self) -> None:  # noqa: B027 - optional for transports that hold nothing
        """Release connections. Safe to call twice."""

    def __enter__(self) -> AccessPointTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def error_for_http_status(status: int, detail: str = "") -> TransportError:
    """The TransportError for an HTTP error status (one table for every REST access point)."""
    text = f"HTTP {status}" + (f": {detail[:500]}" if detail else "")
    if status in (401, 403):
        return AuthenticationFailed(msg("ap.credentials", detail=text))
    if status == 429:
        return RateLimited(msg("ap.slow_down", detail=text))
    if status in (408, 504):
        return TransportTimeout(msg("ap.timed_out", detail=text))
    if status >= 500:
        return ServiceUnavailable(msg("ap.unavailable", detail=text))
    return RecipientRejected(msg("ap.rejected", detail=text))


@contextlib.contextmanager
def translate_errors(what: str) -> Iterator[None]:
    """Turn third-party exceptions into TransportError, chaining the cause (``raise ... from exc``).

    ``what`` names the operation for the message ("sending to Storecove"). Our own errors pass as they
    are. The only place that knows httpx's and paramiko's exception trees.
    """
    try:
        yield
    except TransportError:
        raise
    except Exception as exc:
        mapped = _map(exc, what)
        if mapped is None:
            raise
        raise mapped from exc


def _map(exc: Exception, what: str) -> TransportError | None:
    if isinstance(exc, httpx.TimeoutException):
        return TransportTimeout(msg("ap.no_answer", what=what))
    if isinstance(exc, httpx.TransportError):
        return ServiceUnavailable(msg("ap.connection_failed", what=what, detail=type(exc).__name__))
    if isinstance(exc, httpx.HTTPStatusError):
        return error_for_http_status(exc.response.status_code, exc.response.text)
    if isinstance(exc, paramiko.AuthenticationException):
        return AuthenticationFailed(msg("ap.sftp_credentials", what=what))
    if isinstance(exc, paramiko.SSHException):
        return ServiceUnavailable(msg("ap.ssh_failure", what=what, detail=exc))
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return TransportTimeout(msg("ap.no_answer", what=what))
    if isinstance(exc, (ConnectionError, socket.gaierror)):
        return ServiceUnavailable(msg("ap.connection_failed", what=what, detail=exc))
    if isinstance(exc, PermissionError):
        return AuthenticationFailed(msg("ap.permission_denied", what=what, detail=exc.filename))
    if isinstance(exc, OSError):
        return ServiceUnavailable(msg("ap.os_error", what=what, detail=exc.strerror or exc))
    return None
