"""Can this participant receive EHF? The Peppol SML (DNS NAPTR) and SMP (HTTP) lookup.

Two steps (norway.md §1.6):

1. **SML**: the DNS name of a participant is
   ``lower(base32(sha256(lowercase("0192:<orgnr>"))))`` without ``=`` padding, then
   ``.iso6523-actorid-upis.`` and the SML zone. Only ``ICD:value`` is hashed, not the
   ``iso6523-actorid-upis::`` prefix. The name carries U-NAPTR records; the one with flag ``U`` and
   service ``Meta:SMP`` has a regexp ``!.*!https://smp.example/!`` whose replacement is the base URL of
   the participant's SMP. This scheme replaced the ``B-<md5>`` CNAME one on 2025-11-01.
2. **SMP** (Peppol SMP 1.x, ``http://busdox.org/serviceMetadata/publishing/1.0/``):
   ``GET {smp}/iso6523-actorid-upis%3A%3A0192%3A<orgnr>`` answers a ``ServiceGroup`` whose
   ``ServiceMetadataReference/@href`` list the document types; each href answers a
   ``SignedServiceMetadata`` with, per process, the endpoints (URL, transport profile, activation and
   expiration dates).

The DNS resolver and the HTTP transport are injected, so tests run against a fake resolver and an
``httpx.MockTransport`` and never touch the network. SMP answers are parsed with
:func:`nofaktura.xml.parse_untrusted` like every received XML. The XML-DSig signature of the SMP answer
is *not* verified here: the result only decides whether EHF is *offered* for a customer, the access
point does the authoritative lookup when it delivers.

>>> sml_hostname(ParticipantId.parse("0192:987654325"), "participant.sml.prod.tech.peppol.org")
'llrwfsubsgcviaamu5dkyrpuoizyjglyqwpucm4jd7lbaedozxja.iso6523-actorid-upis.participant.sml.prod.tech.peppol.org'
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol
from urllib.parse import quote, unquote

import dns.exception
import dns.resolver
import httpx

from nofaktura.exceptions import DocumentError, LookupFailed, ParticipantNotFound, UnsafeDocument
from nofaktura.messages import msg
from nofaktura.peppol.ids import (
    BILLING_PROCESS,
    CREDIT_NOTE,
    DOCTYPE_SCHEME,
    DOCTYPE_WILDCARD_SCHEME,
    INVOICE,
    PARTICIPANT_SCHEME,
    ParticipantId,
)
from nofaktura.xml import parse_untrusted

__all__ = [
    "AS4_PROFILE",
    "SML_PRODUCTION",
    "SML_TEST",
    "Endpoint",
    "Reachability",
    "Resolver",
    "ServiceMetadata",
    "SmpClient",
    "check_reachability",
    "find_smp",
    "sml_hash",
    "sml_hostname",
]

#: OpenPeppol-operated SML zones (norway.md §1.6).
SML_PRODUCTION = "participant.sml.prod.tech.peppol.org"
SML_TEST = "participant.sml.test.tech.peppol.org"
#: The only active Peppol transport profile (norway.md §1.8).
AS4_PROFILE = "peppol-transport-as4-v2_0"
SMP_NS = "http://busdox.org/serviceMetadata/publishing/1.0/"
SMP_ID_NS = "http://busdox.org/transport/identifiers/1.0/"
WSA_NS = "http://www.w3.org/2005/08/addressing"
_NS = {"smp": SMP_NS, "id": SMP_ID_NS, "wsa": WSA_NS}
DEFAULT_TTL = timedelta(days=1)
FAILED_TTL = timedelta(hours=1)
DEFAULT_TIMEOUT = 10.0
#: SMP answers are small (a signed service metadata with its certificate is a few kB); refuse big ones.
SMP_MAX_BYTES = 4 * 1024 * 1024


class Resolver(Protocol):
    """What we need of ``dns.resolver.Resolver``: ``resolve(name, "NAPTR")`` returning an iterable of
    NAPTR rdata (``order``, ``preference``, ``flags``, ``service``, ``regexp``)."""

    def resolve(self, qname: str, rdtype: str) -> Iterable[Any]: ...


def sml_hash(participant: ParticipantId) -> str:
    """The hashed label of the NAPTR scheme: lower base32(sha256(lowercase("ICD:value"))), no padding."""
    digest = hashlib.sha256(str(participant).lower().encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def sml_hostname(participant: ParticipantId, zone: str = SML_PRODUCTION) -> str:
    return f"{sml_hash(participant)}.{PARTICIPANT_SCHEME}.{zone.strip('.')}"


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _apply_naptr_regexp(regexp: str, subject: str) -> str | None:
    """Apply a NAPTR substitution expression (RFC 3402 §3.2: ``<delim>ere<delim>repl<delim>flags``)."""
    if len(regexp) < 4:
        return None
    delim = regexp[0]
    parts = regexp[1:].split(delim)
    if len(parts) != 3:
        return None
    pattern, replacement, flags = parts
    try:
        compiled = re.compile(pattern, re.IGNORECASE if "i" in flags else 0)
    except re.error:
        return None
    match = compiled.match(subject)
    if not match:
        return None
    # RFC 3402 back-references are \1..\9, as in Python's expand().
    return match.expand(replacement)


def find_smp(participant: ParticipantId, *, resolver: Resolver | None = None, zone: str = SML_PRODUCTION) -> str:
    """The SMP base URL of ``participant`` from its U-NAPTR record (flag ``U``, service ``Meta:SMP``).

    Raises :class:`ParticipantNotFound` when the SML has no such name or no SMP record, and
    :class:`LookupFailed` when DNS cannot be asked (timeout, no name servers): then the answer is unknown.
    """
    name = sml_hostname(participant, zone)
    resolver = resolver or dns.resolver.Resolver()
    try:
        answer = list(resolver.resolve(name, "NAPTR"))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer) as exc:
        raise ParticipantNotFound(msg("peppol.not_in_sml", participant=participant, zone=zone, name=name)) from exc
    except (dns.resolver.NoNameservers, dns.exception.Timeout, dns.resolver.LifetimeTimeout) as exc:
        raise LookupFailed(msg("peppol.dns_failed", name=name, detail=exc)) from exc
    except dns.exception.DNSException as exc:
        raise LookupFailed(msg("peppol.dns_failed", name=name, detail=exc)) from exc
    records = sorted(answer, key=lambda r: (getattr(r, "order", 0), getattr(r, "preference", 0)))
    for record in records:
        if _text(record.flags).upper() != "U" or _text(record.service).lower() != "meta:smp":
            continue
        url = _apply_naptr_regexp(_text(record.regexp), name)
        if url and url.lower().startswith(("https://", "http://")):
            return url
    raise ParticipantNotFound(msg("peppol.no_naptr", participant=participant, name=name))


# --- SMP ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One access point endpoint of an SMP ``Process`` (times are timezone-aware, or None if absent)."""

    process: str
    transport_profile: str
    url: str
    activation: datetime | None = None
    expiration: datetime | None = None

    def active_at(self, now: datetime) -> bool:
        return (self.activation is None or self.activation <= now) and (
            self.expiration is None or now < self.expiration
        )


@dataclass(frozen=True)
class ServiceMetadata:
    document_type: str
    endpoints: tuple[Endpoint, ...] = ()


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:  # a bare xs:date
            value = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _decode_fully(text: str, rounds: int = 3) -> str:
    """Undo percent-encoding, also when an SMP encoded twice (``%253A``)."""
    for _ in range(rounds):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _doc_id_from_href(href: str) -> str | None:
    decoded = _decode_fully(href)
    marker = "/services/"
    pos = decoded.lower().rfind(marker)
    return decoded[pos + len(marker) :] if pos >= 0 else None


def _doctype_matches(registered: str, wanted: str) -> bool:
    """Compare ``scheme::value`` document type ids tolerantly (scheme case, wildcard scheme)."""
    scheme, _, value = registered.partition("::")
    scheme = scheme.lower()
    if scheme == DOCTYPE_SCHEME:
        return value == wanted
    if scheme == DOCTYPE_WILDCARD_SCHEME:
        if "*" in value:
            return wanted.startswith(value.split("*", 1)[0])
        return value == wanted
    return False


class SmpClient:
    """Reads an SMP with httpx; ``transport`` lets tests answer with ``httpx.MockTransport``."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = SMP_MAX_BYTES,
    ) -> None:
        self._client = httpx.Client(transport=transport, timeout=timeout, follow_redirects=False)
        self.max_bytes = max_bytes

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> SmpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _get_xml(self, url: str, participant: ParticipantId) -> Any:
        try:
            with self._client.stream("GET", url, headers={"Accept": "application/xml, text/xml"}) as response:
                if response.status_code == 404:
                    raise ParticipantNotFound(msg("peppol.smp_unknown", participant=participant, url=url))
                if response.status_code != 200:
                    raise LookupFailed(msg("peppol.smp_http", status=response.status_code, url=url))
                content = self._read_limited(response, url)
        except httpx.TimeoutException as exc:
            raise LookupFailed(msg("peppol.smp_timeout", url=url)) from exc
        except httpx.HTTPError as exc:
            raise LookupFailed(msg("peppol.smp_unreachable", url=url, detail=exc)) from exc
        try:
            return parse_untrusted(content, source=url, max_bytes=self.max_bytes).getroot()
        except DocumentError as exc:
            raise LookupFailed(msg("peppol.smp_bad_xml", detail=exc)) from exc

    def _read_limited(self, response: httpx.Response, url: str) -> bytes:
        """The body, read in chunks and never past ``max_bytes``: a hostile or broken SMP cannot make
        us hold gigabytes before the XML parser's own size check."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large(url)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large(url)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, url: str) -> LookupFailed:
        cause = UnsafeDocument(msg("peppol.smp_too_large", limit=self.max_bytes), source=url)
        error = LookupFailed(msg("peppol.smp_bad_xml", detail=cause))
        error.__cause__ = cause
        return error

    def service_group(self, smp_url: str, participant: ParticipantId) -> list[tuple[str, str]]:
        """``(document type id "scheme::value", href)`` for every service the participant registered."""
        url = smp_url.rstrip("/") + "/" + quote(participant.uri, safe="")
        root = self._get_xml(url, participant)
        refs = []
        for ref in root.iterfind(".//smp:ServiceMetadataReference", _NS):
            href = ref.get("href") or ""
            doc_id = _doc_id_from_href(href)
            if doc_id:
                refs.append((doc_id, href))
        return refs

    def service_metadata(self, href: str, participant: ParticipantId, document_type: str) -> ServiceMetadata:
        url = href
        pos = href.lower().rfind("/services/")
        if "%25" in href and pos >= 0:
            # Double-encoded document type: send it encoded once, as the SMP expects; the part before
            # "/services/" stays as the SMP wrote it.
            url = href[: pos + len("/services/")] + quote(_decode_fully(href[pos + len("/services/") :]), safe="")
        root = self._get_xml(url, participant)
        redirect = root.find(".//smp:Redirect", _NS)
        if redirect is not None and redirect.get("href"):
            root = self._get_xml(redirect.get("href"), participant)
        endpoints = []
        for process in root.iterfind(".//smp:Process", _NS):
            process_id = (process.findtext("id:ProcessIdentifier", default="", namespaces=_NS) or "").strip()
            for ep in process.iterfind(".//smp:Endpoint", _NS):
                address = ep.findtext("smp:EndpointURI", namespaces=_NS) or ep.findtext(
                    "wsa:EndpointReference/wsa:Address", namespaces=_NS
                )
                endpoints.append(
                    Endpoint(
                        process=process_id,
                        transport_profile=ep.get("transportProfile", ""),
                        url=(address or "").strip(),
                        activation=_parse_time(ep.findtext("smp:ServiceActivationDate", namespaces=_NS)),
                        expiration=_parse_time(ep.findtext("smp:ServiceExpirationDate", namespaces=_NS)),
                    )
                )
        return ServiceMetadata(document_type=document_type, endpoints=tuple(endpoints))


# --- The answer ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reachability:
    """Whether ``participant`` can receive EHF invoices and credit notes, as checked at ``checked_at``.

    ``expires_at`` says until when the answer may be cached: ``checked_at`` + TTL, but never past the
    expiration of an endpoint it relies on. ``error`` is set when the lookup failed (the answer is
    then *unknown*, both flags are False and the TTL is short); a participant that is simply not
    registered has ``error`` None.
    """

    participant: ParticipantId
    can_receive_invoice: bool
    can_receive_credit_note: bool
    smp_url: str | None
    checked_at: datetime
    expires_at: datetime
    error: str | None = None
    endpoints: tuple[Endpoint, ...] = field(default=(), compare=False)

    @property
    def can_receive(self) -> bool:
        return self.can_receive_invoice


def _usable(metadata: ServiceMetadata, now: datetime, process: str) -> list[Endpoint]:
    return [
        ep
        for ep in metadata.endpoints
        if ep.process == process and ep.transport_profile == AS4_PROFILE and ep.url and ep.active_at(now)
    ]


def check_reachability(
    participant: ParticipantId,
    *,
    now: datetime,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
    zone: str = SML_PRODUCTION,
    ttl: timedelta = DEFAULT_TTL,
    raise_on_failure: bool = False,
) -> Reachability:
    """Look ``participant`` up in the SML and its SMP for the BIS Billing 3 invoice and credit note.

    ``now`` must be timezone-aware (time is an argument, style.md §7.6). A participant that is not
    registered gives a negative answer. A failed lookup raises :class:`LookupFailed` when
    ``raise_on_failure`` is set, else gives an answer with ``error`` set and a one-hour expiry, so a
    cache does not keep a network hiccup for a day.
    """
    if now.tzinfo is None:
        raise ValueError("check_reachability needs a timezone-aware 'now'")
    smp_url: str | None = None
    try:
        smp_url = find_smp(participant, resolver=resolver, zone=zone)
        found: dict[str, list[Endpoint]] = {}
        with SmpClient(transport=transport) as smp:
            refs = smp.service_group(smp_url, participant)
            for wanted in (INVOICE, CREDIT_NOTE):
                for doc_id, href in refs:
                    if not _doctype_matches(doc_id, wanted):
                        continue
                    try:
                        metadata = smp.service_metadata(href, participant, wanted)
                    except ParticipantNotFound:
                        continue
                    usable = _usable(metadata, now, BILLING_PROCESS)
                    if usable:
                        found[wanted] = usable
                        break
    except ParticipantNotFound:
        return Reachability(participant, False, False, smp_url, now, now + ttl)
    except LookupFailed as exc:
        if raise_on_failure:
            raise
        return Reachability(participant, False, False, smp_url, now, now + FAILED_TTL, error=str(exc))
    endpoints = tuple(ep for eps in found.values() for ep in eps)
    expires = now + ttl
    expirations = [ep.expiration for ep in endpoints if ep.expiration]
    if expirations:
        expires = min(expires, *expirations)
    return Reachability(
        participant,
        can_receive_invoice=INVOICE in found,
        can_receive_credit_note=CREDIT_NOTE in found,
        smp_url=smp_url,
        checked_at=now,
        expires_at=expires,
        endpoints=endpoints,
    )
