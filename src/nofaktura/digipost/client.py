"""The Digipost API client: identify a recipient, send a message, ask a document's status.

Every request is signed (:mod:`.signing`); every answer is parsed with :func:`nofaktura.xml.parse_untrusted`
(no DTD, no entities, bounded size) and, when Digipost's certificate is known, its signature, content hash
and Date are verified before it is believed — an answer saying "delivered" is what the dispatch queue turns
into "sent, do not send again", so a forged or corrupted one must not count.

Errors are :class:`~nofaktura.exceptions.TransportError` subclasses; ``retryable`` tells the queue whether
trying later may pass, ``code`` carries Digipost's ``error-code`` and ``http_status`` the status. The table is
:func:`error_from_response`. Nothing here logs or raises with a key, a password or a fødselsnummer.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import httpx
from lxml import etree

from nofaktura.digipost.message import (
    NS,
    XML_MEDIA_TYPE,
    Message,
    Recipient,
    build_identification_xml,
    build_multipart,
)
from nofaktura.digipost.signing import (
    DATE_TOLERANCE,
    SenderKey,
    canonical_request,
    canonical_response,
    check_date_window,
    content_hash,
    http_date,
    load_public_key,
    verify_signature,
)
from nofaktura.exceptions import (
    AuthenticationFailed,
    DocumentError,
    DuplicateSubmission,
    RateLimited,
    RecipientRejected,
    ServiceUnavailable,
    TransportError,
    TransportTimeout,
    UnknownRecipient,
)
from nofaktura.messages import msg
from nofaktura.peppol.transports.base import translate_errors
from nofaktura.xml import element_path, expect_root, parse_untrusted

__all__ = [
    "PRODUCTION_URL",
    "TEST_URL",
    "DeliveryChannel",
    "DigipostClient",
    "DocumentStatus",
    "Identification",
    "IdentificationResult",
    "MessageDelivery",
    "MessageStatus",
    "error_from_response",
    "parse_document_status",
    "parse_identification",
    "parse_message_delivery",
    "redact",
]

PRODUCTION_URL = "https://api.digipost.no"
TEST_URL = "https://api.test.digipost.no"
#: Largest answer read (answers are small XML; anything bigger is not Digipost talking).
MAX_ANSWER_BYTES = 1024 * 1024

_log = logging.getLogger(__name__)
_ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{11}(?!\d)")


def redact(text: str, limit: int = 500) -> str:
    """Server text made safe for an exception or log: 11-digit numbers (fødselsnummer) masked, cut short."""
    return _ELEVEN_DIGITS.sub(lambda m: m.group()[:6] + "*****", text)[:limit]


class IdentificationResult(str, enum.Enum):
    #: A Digipost user: digital delivery will reach them.
    DIGIPOST = "DIGIPOST"
    #: A known person without a Digipost mailbox: only print reaches them.
    IDENTIFIED = "IDENTIFIED"
    #: Not found, or several matches (``reason``).
    UNIDENTIFIED = "UNIDENTIFIED"
    #: The identifier itself is invalid (``reason``).
    INVALID = "INVALID"


@dataclass(frozen=True)
class Identification:
    result: IdentificationResult
    reason: str | None = None
    digipost_address: str | None = None

    @property
    def is_digipost_user(self) -> bool:
        return self.result is IdentificationResult.DIGIPOST


class DeliveryChannel(str, enum.Enum):
    PRINT = "PRINT"
    DIGIPOST = "DIGIPOST"
    PEPPOL = "PEPPOL"
    EPOST = "EPOST"
    PENDING = "PENDING"


class MessageStatus(str, enum.Enum):
    NOT_COMPLETE = "NOT_COMPLETE"
    COMPLETE = "COMPLETE"
    DELIVERED = "DELIVERED"
    DELIVERED_TO_PRINT = "DELIVERED_TO_PRINT"


@dataclass(frozen=True)
class MessageDelivery:
    """Digipost's answer to a send: by which channel and how far it went."""

    message_id: str
    channel: DeliveryChannel
    status: MessageStatus
    sender_id: int
    delivery_time: datetime | None
    document_uuids: tuple[str, ...]
    #: True when Digipost had this message id already (a retry after a lost answer): nothing new was sent.
    duplicate: bool = False


@dataclass(frozen=True)
class DocumentStatus:
    uuid: str
    delivered: bool
    channel: DeliveryChannel | None
    created: datetime | None
    delivered_at: datetime | None
    read: bool | None


# --- errors -----------------------------------------------------------------------------------------------

_AUTH_CODES = {"INVALID_SIGNATURE", "MISSING_CERTIFICATE", "DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL",
               "UNAUTHORIZED", "NOT_AUTHORIZED", "INVALID_BROKER", "MISSING_HEADER"}  # fmt: skip
_RETRYABLE_CODES = {"SERVER_ERROR", "API_UNAVAILABLE"}
_DUPLICATE_CODES = {"DUPLICATE_MESSAGE", "DUPLICATE_DOCUMENT_ID"}
#: Refusals that are about the sender's agreement or the content, whatever the status (Digipost may send 403).
_FINAL_CODES = {"NOT_APPROVED_FOR_PRINT", "CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF", "INVALID_PDF_CONTENT",
                "INVALID_RECIPIENT_PRINT_ADDRESS", "INVALID_RETURN_ADDRESS", "FILE_TOO_LARGE"}  # fmt: skip


def _error_fields(body: bytes) -> tuple[str | None, str, str | None]:
    """(error-code, error-message, error-type) from an ``<error>`` body; ``(None, '', None)`` if not one."""
    if not body.lstrip().startswith(b"<"):
        return None, "", None
    try:
        root = parse_untrusted(body, max_bytes=MAX_ANSWER_BYTES, source="Digipost error").getroot()
    except DocumentError:
        return None, "", None
    if root.tag != f"{{{NS}}}error":
        return None, "", None
    code = root.findtext(f"{{{NS}}}error-code")
    message = root.findtext(f"{{{NS}}}error-message") or ""
    kind = root.findtext(f"{{{NS}}}error-type")
    return (code.strip() if code else None), message.strip(), (kind.strip() if kind else None)


def error_from_response(status: int, body: bytes, *, message_id: str | None = None) -> TransportError:
    """The typed error for a Digipost answer that is not a success.

    Retryable: 5xx, 429, 408/504 and server-side error codes. Final: the rest; among them
    :class:`UnknownRecipient` (404 / ``UNKNOWN_RECIPIENT``: move on to the next channel),
    :class:`DuplicateSubmission` (the message id was used: it *was* sent), :class:`AuthenticationFailed`
    (signature, certificate, clock). The message keeps Digipost's text, redacted.
    """
    code, text, kind = _error_fields(body)
    detail = f"HTTP {status}" + (f" {code}" if code else "") + (f": {redact(text)}" if text else "")
    error: TransportError
    if code in _DUPLICATE_CODES:
        duplicate = msg("digipost.duplicate", message_id=message_id, detail=detail)
        error = DuplicateSubmission(duplicate, message_id=message_id)
    elif code == "UNKNOWN_RECIPIENT" or (status == 404 and code is None and message_id is not None):
        error = UnknownRecipient(msg("digipost.unknown_recipient", detail=detail))
    elif code == "DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL":
        error = AuthenticationFailed(msg("digipost.clock", detail=detail))
    elif code in _FINAL_CODES:
        error = RecipientRejected(msg("digipost.refused_message", detail=detail))
    elif status in (401, 403) or code in _AUTH_CODES:
        error = AuthenticationFailed(msg("digipost.credentials", detail=detail))
    elif status == 429:
        error = RateLimited(msg("digipost.slow_down", detail=detail))
    elif status in (408, 504):
        error = TransportTimeout(msg("digipost.timed_out", detail=detail))
    elif status >= 500 or code in _RETRYABLE_CODES or kind == "SERVER":
        error = ServiceUnavailable(msg("digipost.unavailable", detail=detail))
    else:
        error = RecipientRejected(msg("digipost.refused_request", detail=detail))
    error.code = code
    error.http_status = status
    return error


# --- answers ----------------------------------------------------------------------------------------------


class _Answer:
    """Reads one answer; every problem is a DocumentError naming the source and the element, raised as the
    cause of a TransportError (an unusable answer is the transport's failure, the detail says where)."""

    def __init__(self, body: bytes, expected: str, what: str, source: str | None) -> None:
        self.what = what
        self.source = source or f"Digipost {what}"
        try:
            tree = parse_untrusted(body, max_bytes=MAX_ANSWER_BYTES, source=self.source)
            self.root = expect_root(tree, [f"{{{NS}}}{expected}"], source=self.source)
        except DocumentError as exc:
            raise TransportError(msg("digipost.unusable", what=what, detail=exc)) from exc

    def fail(self, node: etree._Element, message: str) -> TransportError:
        cause = DocumentError(message, source=self.source, path=element_path(node))
        error = TransportError(msg("digipost.unusably", what=self.what, detail=cause))
        error.__cause__ = cause
        return error

    def text(self, name: str, *, required: bool = False) -> str | None:
        node = self.root.find(f"{{{NS}}}{name}")
        value = node.text.strip() if node is not None and node.text else None
        if required and not value:
            raise self.fail(self.root, f"the element {name} is missing or empty")
        return value

    def enum(self, cls: type[enum.Enum], value: str | None, node: etree._Element, what: str) -> Any:
        try:
            return cls((value or "").strip())
        except ValueError:
            error = self.fail(node, f"unknown {what}: {(value or '')[:40]!r}")
            raise error from error.__cause__

    def time(self, value: str | None, node: etree._Element) -> datetime | None:
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            error = self.fail(node, f"a time that is not ISO 8601: {value[:40]!r}")
            raise error from error.__cause__
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_identification(body: bytes, source: str | None = None) -> Identification:
    """An ``<identification-result>`` answer; TransportError (caused by a DocumentError) when unusable."""
    answer = _Answer(body, "identification-result", "the identification", source)
    result = answer.enum(IdentificationResult, answer.text("result", required=True), answer.root,
                         "identification result")  # fmt: skip
    reason = answer.text("unidentified-reason") or answer.text("invalid-reason")
    return Identification(result, reason, answer.text("digipost-address"))


def parse_message_delivery(body: bytes, source: str | None = None) -> MessageDelivery:
    """A ``<message-delivery>`` answer; TransportError (caused by a DocumentError) when unusable."""
    answer = _Answer(body, "message-delivery", "the sending", source)
    root = answer.root
    sender = answer.text("sender-id", required=True) or ""
    if not sender.isdigit() or len(sender) > 18:
        raise answer.fail(root, f"the sender-id is not a number: {sender[:40]!r}")
    documents = list(root.iterchildren(f"{{{NS}}}primary-document", f"{{{NS}}}attachment"))
    if not documents:
        raise answer.fail(root, "the primary-document is missing")
    uuids = []
    for node in documents:
        uuid = (node.findtext(f"{{{NS}}}uuid") or "").strip()
        if not uuid:
            raise answer.fail(node, "a document has no uuid")
        uuids.append(uuid)
    return MessageDelivery(
        message_id=answer.text("message-id") or "",
        channel=answer.enum(DeliveryChannel, answer.text("delivery-method", required=True), root, "delivery method"),
        status=answer.enum(MessageStatus, answer.text("status", required=True), root, "message status"),
        sender_id=int(sender),
        delivery_time=answer.time(answer.text("delivery-time"), root),
        document_uuids=tuple(uuids),
    )


def parse_document_status(body: bytes, source: str | None = None) -> DocumentStatus:
    """A ``<document-status>`` answer; TransportError (caused by a DocumentError) when unusable."""
    answer = _Answer(body, "document-status", "the status request", source)
    root = answer.root
    status = root.get("status")
    if status not in ("DELIVERED", "NOT_DELIVERED"):
        raise answer.fail(root, f"unknown document status: {(status or '')[:40]!r}")
    channel = root.get("channel")
    read = root.get("read")
    return DocumentStatus(
        uuid=root.get("uuid") or "",
        delivered=status == "DELIVERED",
        channel=answer.enum(DeliveryChannel, channel, root, "channel") if channel else None,
        created=answer.time(root.get("created"), root),
        delivered_at=answer.time(root.get("delivered"), root),
        read=None if read is None else read == "Y",
    )


# --- client -----------------------------------------------------------------------------------------------


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class DigipostClient:
    """Talks to one Digipost environment as one sender.

    ``user_id``: our Digipost account id (``X-Digipost-UserId``; the broker's when we send for others — the
    message's ``on_behalf_of`` names the sender). ``key``: the certificate key registered with Digipost.
    ``server_certificate``: Digipost's certificate (PEM or Base64 DER) to verify answers; when None and
    ``verify_responses`` is True it is read once from the entry point (``GET /``). ``transport`` is any
    httpx transport (tests pass a fake); ``clock`` gives the Date header's time.
    """

    def __init__(
        self,
        user_id: int | str,
        key: SenderKey,
        *,
        base_url: str = PRODUCTION_URL,
        server_certificate: bytes | str | None = None,
        verify_responses: bool = True,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 60.0,
        clock: Callable[[], datetime] = _utcnow,
        user_agent: str = "nofaktura-digipost/1",
    ) -> None:
        if not str(user_id).isdigit():
            raise ValueError("the Digipost user id is the numeric sender id from digipost.no/bedrift")
        if not isinstance(key, SenderKey):
            raise TypeError("key must be a SenderKey (SenderKey.from_pkcs12 or .from_pem)")
        self.user_id = str(user_id)
        self.base_url = base_url.rstrip("/")
        self._key = key
        self._server_key = load_public_key(server_certificate) if server_certificate else None
        self.verify_responses = verify_responses
        self._clock = clock
        self._http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout,
                                  headers={"User-Agent": user_agent})  # fmt: skip

    def __repr__(self) -> str:
        return f"DigipostClient(user_id={self.user_id!r}, base_url={self.base_url!r})"

    # -- public operations --------------------------------------------------------------------------------

    def identify(self, recipient: Recipient) -> Identification:
        """Is the recipient a Digipost user (``DIGIPOST``), a known non-user (``IDENTIFIED``), or neither?

        An error here is an error, never "not a user": the caller must not fall back to paid print because
        the identification call failed (Digipost's own advice).
        """
        response = self._request("POST", "/identification", build_identification_xml(recipient), XML_MEDIA_TYPE)
        if response.status_code != 200:
            raise error_from_response(response.status_code, response.content)
        result = parse_identification(response.content)
        _log.debug("Digipost identification of %r: %s", recipient, result.result.value)
        return result

    def send(self, message: Message) -> MessageDelivery:
        """Send ``message`` (XML + documents in one signed multipart request).

        A retry with the same ``message_id`` builds the same bytes; if Digipost already has the message it
        answers DUPLICATE_MESSAGE, raised as :class:`~nofaktura.exceptions.DuplicateSubmission` — the caller
        treats that as "sent before", never as a failure to send again.
        """
        content_type, body = build_multipart(message)
        response = self._request("POST", "/messages", body, content_type)
        if response.status_code not in (200, 201):
            error = error_from_response(response.status_code, response.content, message_id=message.message_id)
            if isinstance(error, DuplicateSubmission) and self.verify_responses and self._server_key is not None:
                self._verify(response, response.request.url.path)
            raise error
        delivery = parse_message_delivery(response.content)
        expected = tuple(d.uuid for d in message.documents)
        if set(delivery.document_uuids) - set(expected):
            raise TransportError(msg("digipost.foreign_documents"))
        if delivery.message_id and delivery.message_id != message.message_id:
            raise TransportError(msg("digipost.other_message"))
        _log.info("Digipost message %s to %r: %s via %s", message.message_id, message.recipient,
                  delivery.status.value, delivery.channel.value)  # fmt: skip
        return delivery

    def document_status(self, document_uuid: str, *, sender_id: int | str | None = None) -> DocumentStatus:
        """Status of a sent document (delivered or not, channel, read) by its UUID."""
        if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", document_uuid or ""):
            raise ValueError("a document UUID is lower-case hexadecimal 8-4-4-4-12")
        sender = str(sender_id or self.user_id)
        if not sender.isdigit():
            raise ValueError("a Digipost sender id is numeric")
        response = self._request("GET", f"/documents/{sender}/{document_uuid}/status", None, None)
        if response.status_code != 200:
            raise error_from_response(response.status_code, response.content)
        return parse_document_status(response.content)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DigipostClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- signing and verification -------------------------------------------------------------------------

    def signed_headers(self, method: str, path: str, body: bytes | None) -> dict[str, str]:
        """The security headers of one request (public for tests and for diffing against Digipost's echo)."""
        headers = {"Date": http_date(self._clock()), "X-Digipost-UserId": self.user_id}
        if body:
            headers["X-Content-SHA256"] = content_hash(body)
        headers["X-Digipost-Signature"] = self._key.sign(canonical_request(method, path, headers))
        return headers

    def _request(self, method: str, path: str, body: bytes | None, content_type: str | None) -> httpx.Response:
        if self.verify_responses and self._server_key is None and path != "/":
            self._load_entrypoint()
        headers = {"Accept": XML_MEDIA_TYPE}
        if content_type:
            headers["Content-Type"] = content_type
        request = self._http.build_request(method, path, content=body, headers=headers)
        # Signed over the path actually requested (a base URL with a path prefix is part of it).
        request.headers.update(self.signed_headers(method, request.url.path, body))
        with translate_errors(f"{method} Digipost {path.split('/')[1] or 'entry point'}"):
            response = self._http.send(request, stream=True)
            try:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        raise TransportError(msg("digipost.too_large", limit=MAX_ANSWER_BYTES))
                    chunks.append(chunk)
            finally:
                response.close()
        # The body is decoded already: keep the headers that describe it, not the ones of its encoding.
        kept = [(k, v) for k, v in response.headers.multi_items()
                if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]  # fmt: skip
        response = httpx.Response(response.status_code, headers=kept, content=b"".join(chunks), request=request)
        if self.verify_responses and self._server_key is not None and 200 <= response.status_code < 300:
            self._verify(response, request.url.path)
        return response

    def _verify(self, response: httpx.Response, path: str) -> None:
        """Check an answer's Date, content hash and signature.

        Every success is checked, and so is a "duplicate" refusal (it means "sent before", which the queue
        believes). Other errors are not: a forged error can only make us retry or give up, never mark an
        invoice sent, and a proxy's 502 page is never signed.
        """
        headers = response.headers
        signature = headers.get("X-Digipost-Signature")
        if not signature:
            raise AuthenticationFailed(msg("digipost.unsigned", status=response.status_code))
        date = headers.get("Date", "")
        try:
            check_date_window(date, self._clock(), DATE_TOLERANCE)
        except ValueError as exc:
            raise AuthenticationFailed(msg("digipost.bad_date", detail=exc)) from exc
        if response.content and headers.get("X-Content-SHA256") != content_hash(response.content):
            raise AuthenticationFailed(msg("digipost.hash_mismatch"))
        signed = {"date": date}
        if "X-Content-SHA256" in headers:
            signed["x-content-sha256"] = headers["X-Content-SHA256"]
        canonical = canonical_response(response.status_code, path, signed)
        if self._server_key is None or not verify_signature(self._server_key, canonical, signature):
            raise AuthenticationFailed(msg("digipost.bad_signature"))

    def _load_entrypoint(self) -> None:
        response = self._request("GET", "/", None, None)
        if response.status_code != 200:
            raise error_from_response(response.status_code, response.content)
        certificate = _Answer(response.content, "entrypoint", "the entry point", None).text("certificate") or ""
        if not certificate:
            raise AuthenticationFailed(msg("digipost.no_certificate"))
        self._server_key = load_public_key(certificate)
        # The entry point was read before the key was known; checking it now proves only that it is consistent
        # (trust in the certificate itself rests on TLS to the configured host), but catches a corrupted answer.
        self._verify(response, response.request.url.path)
