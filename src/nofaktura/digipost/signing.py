"""Digipost's request signing: content hash, canonical string, SHA256withRSA signature, Date window.

Why hand-rolled: Digipost publishes official clients for the JVM and .NET only; every other language signs
by the security specification (summarised in ``../shared/corpora/digipost/NOTES.md``, "Canonical string to
sign"). The pieces are small and each is a separate function so a test (and the fake server) can check one
at a time:

- :func:`content_hash` — ``X-Content-SHA256``: Base64 of the SHA-256 of the raw body (left out without body).
- :func:`canonical_request` — the lines that are signed: method, lower-cased path, the signed headers
  (``date``, ``x-content-sha256``, ``x-digipost-userid``; lower-case names, alphabetical), then the query
  string lower-cased (an empty line when there is none); every line ends in ``\\n``.
- :class:`SenderKey` — the sender's private key (from the PKCS#12 file Digipost or Buypass issued, or PEM).
  It signs with RSASSA-PKCS1-v1_5 + SHA-256 and never shows itself in ``repr``.
- :func:`canonical_response` / :func:`verify_signature` — the same for answers, verified against Digipost's
  certificate from the entry point.
- :func:`http_date` / :func:`check_date_window` — RFC 1123 dates and the 5-minute tolerance both sides apply.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from nofaktura.exceptions import AuthenticationFailed
from nofaktura.messages import msg

__all__ = [
    "DATE_TOLERANCE",
    "SIGNED_HEADERS",
    "SenderKey",
    "canonical_request",
    "canonical_response",
    "check_date_window",
    "content_hash",
    "http_date",
    "load_public_key",
    "parse_http_date",
    "verify_signature",
]

#: How far the ``Date`` header may be from the receiver's clock (Digipost: 5 minutes, both directions).
DATE_TOLERANCE = timedelta(minutes=5)

#: Headers that take part in the request signature, in the order they are signed (alphabetical).
SIGNED_HEADERS = ("date", "x-content-sha256", "x-digipost-userid")


def content_hash(body: bytes) -> str:
    """``X-Content-SHA256``: Base64 of the SHA-256 digest of the exact bytes sent."""
    return base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def http_date(moment: datetime) -> str:
    """RFC 1123 date in GMT (``Wed, 29 Jun 2011 14:58:11 GMT``), what ``Date`` must carry."""
    if moment.tzinfo is None:
        raise ValueError("the Date header needs an aware datetime")
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def parse_http_date(value: str) -> datetime:
    """Read a ``Date`` header; ValueError when it is not an RFC 1123/822 date with a zone."""
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError) as exc:
        raise ValueError(msg("digipost.date_not_http", value=value[:60])) from exc
    if moment is None or moment.tzinfo is None:
        raise ValueError(msg("digipost.date_no_zone", value=value[:60]))
    return moment


def check_date_window(value: str, now: datetime, tolerance: timedelta = DATE_TOLERANCE) -> datetime:
    """Return the parsed ``Date`` if it is within ``tolerance`` of ``now``; ValueError otherwise."""
    moment = parse_http_date(value)
    if abs(moment - now) > tolerance:
        raise ValueError(msg("digipost.date_window", value=value, tolerance=tolerance, now=http_date(now)))
    return moment


def _path_and_query(url_or_path: str) -> tuple[str, str]:
    if url_or_path.startswith("/"):  # a path: "//x" is a path here, not a network location
        path, _, query = url_or_path.partition("?")
        return path, query.partition("#")[0]
    parts = urlsplit(url_or_path)
    return parts.path or "/", parts.query


def canonical_request(method: str, url_or_path: str, headers: Mapping[str, str]) -> str:
    """The string a request signature covers (see the module docstring).

    ``headers`` is looked up case-insensitively; ``x-content-sha256`` takes part only when present (a
    request without body has none). The query string is URL-encoded and lower-cased, as the spec says.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    path, query = _path_and_query(url_or_path)
    lines = [method.upper(), path.lower()]
    for name in SIGNED_HEADERS:
        if name in lowered:
            lines.append(f"{name}: {lowered[name]}")
    lines.append(quote(query, safe="=&%+").lower())
    return "\n".join(lines) + "\n"


def canonical_response(status: int, request_path: str, headers: Mapping[str, str]) -> str:
    """The string a response signature covers: status, requested path, ``date`` and ``x-content-sha256``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    path, _query = _path_and_query(request_path)
    lines = [str(status), path.lower()]
    for name in ("date", "x-content-sha256"):
        if name in lowered:
            lines.append(f"{name}: {lowered[name]}")
    return "\n".join(lines) + "\n"


class SenderKey:
    """The private key of the sender's certificate registered with Digipost.

    Build it with :meth:`from_pkcs12` (the ``.p12`` Digipost or Buypass issues) or :meth:`from_pem`. The key
    is kept in a name-mangled attribute and left out of ``repr``/``str``, so a traceback or log line with the
    client in it never shows it. Only RSA keys are accepted: the scheme is SHA256withRSA.
    """

    def __init__(self, private_key: rsa.RSAPrivateKey, certificate: x509.Certificate | None = None) -> None:
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise AuthenticationFailed(msg("digipost.key_not_rsa"))
        self.__key = private_key
        self.certificate = certificate

    @classmethod
    def from_pkcs12(cls, data: bytes, password: str | bytes | None) -> SenderKey:
        secret = password.encode() if isinstance(password, str) else password
        try:
            key, cert, _chain = pkcs12.load_key_and_certificates(data, secret)
        except (ValueError, TypeError) as exc:  # wrong password or not PKCS#12; the text names neither
            raise AuthenticationFailed(msg("digipost.p12_unreadable")) from exc
        if key is None:
            raise AuthenticationFailed(msg("digipost.p12_no_key"))
        return cls(key, cert)  # type: ignore[arg-type]

    @classmethod
    def from_pem(cls, data: bytes, password: str | bytes | None = None) -> SenderKey:
        secret = password.encode() if isinstance(password, str) else password
        try:
            key = serialization.load_pem_private_key(data, secret)
        except (ValueError, TypeError) as exc:
            raise AuthenticationFailed(msg("digipost.pem_unreadable")) from exc
        return cls(key)  # type: ignore[arg-type]

    def sign(self, canonical: str) -> str:
        """Base64 of the RSASSA-PKCS1-v1_5/SHA-256 signature of ``canonical`` (UTF-8)."""
        signature = self.__key.sign(canonical.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def public_key(self) -> rsa.RSAPublicKey:
        return self.__key.public_key()

    def __repr__(self) -> str:
        subject = self.certificate.subject.rfc4514_string() if self.certificate is not None else "no certificate"
        return f"SenderKey(RSA {self.__key.key_size} bits, {subject})"

    __str__ = __repr__

    def __reduce__(self):  # a key is not pickled into a job queue or cache by accident
        raise TypeError("a SenderKey is not picklable; load it where it is used")


def load_public_key(data: bytes | str) -> rsa.RSAPublicKey:
    """An RSA public key from a PEM certificate, PEM public key, or the bare Base64 DER certificate the
    Digipost entry point may carry."""
    raw = data.encode("ascii") if isinstance(data, str) else data
    raw = raw.strip()
    try:
        if b"BEGIN CERTIFICATE" in raw:
            key = x509.load_pem_x509_certificate(raw).public_key()
        elif b"BEGIN PUBLIC KEY" in raw:
            key = serialization.load_pem_public_key(raw)
        else:
            key = x509.load_der_x509_certificate(base64.b64decode(raw, validate=False)).public_key()
    except ValueError as exc:
        raise AuthenticationFailed(msg("digipost.their_certificate")) from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise AuthenticationFailed(msg("digipost.their_key_not_rsa"))
    return key


def verify_signature(public_key: rsa.RSAPublicKey, canonical: str, signature_b64: str) -> bool:
    """True when ``signature_b64`` is a valid SHA256withRSA signature of ``canonical`` by ``public_key``."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except ValueError:
        return False
    try:
        public_key.verify(signature, canonical.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
