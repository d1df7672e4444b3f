"""SML/SMP lookup against a fake resolver (real dnspython NAPTR rdata) and an httpx.MockTransport SMP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import dns.exception
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import httpx
import pytest

from nofaktura.exceptions import LookupFailed, ParticipantNotFound
from nofaktura.peppol import ids
from nofaktura.peppol.ids import ParticipantId
from nofaktura.peppol.lookup import (
    SML_PRODUCTION,
    SML_TEST,
    check_reachability,
    find_smp,
    sml_hash,
    sml_hostname,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
BUYER = ParticipantId.parse("0192:987654325")
SMP = "https://smp.example.no/smp/"


# --- norway.md §1.6 test vectors --------------------------------------------------------------------


def test_hash_vector_9915_test():
    assert sml_hash(ParticipantId("9915", "test")) == "eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a"


def test_hash_vector_norwegian_tool():
    assert sml_hash(ParticipantId.parse("0192:986252932")) == (
        "JGPA45E5TP5QNMA3C3XUXV6V4ZE4LHDYW6AL2HZYU3NRLUFX3D3A".lower()
    )


def test_hostname_vector_987654325():
    assert sml_hostname(BUYER, SML_PRODUCTION) == (
        "llrwfsubsgcviaamu5dkyrpuoizyjglyqwpucm4jd7lbaedozxja.iso6523-actorid-upis.participant.sml.prod.tech.peppol.org"
    )


def test_hash_lowercases_the_value_only_icd_colon_value_is_hashed():
    assert sml_hash(ParticipantId("0088", "ABC")) == sml_hash(ParticipantId("0088", "abc"))
    assert sml_hostname(BUYER, SML_TEST).endswith(".iso6523-actorid-upis.participant.sml.test.tech.peppol.org")


# --- fakes --------------------------------------------------------------------------------------------


def naptr(text: str):
    return dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.NAPTR, text)


class FakeResolver:
    def __init__(self, answers=None, error=None):
        self.answers = answers or {}
        self.error = error
        self.asked = []

    def resolve(self, qname, rdtype):
        self.asked.append((qname, rdtype))
        if self.error:
            raise self.error
        if qname not in self.answers:
            raise dns.resolver.NXDOMAIN()
        return self.answers[qname]


def resolver_for(participant=BUYER, url=SMP):
    return FakeResolver(
        {
            sml_hostname(participant): [
                naptr('100 10 "U" "Meta:SMP" "!.*!https://other.example/!" .'.replace("100", "200")),
                naptr(f'100 10 "U" "Meta:SMP" "!.*!{url}!" .'),
                naptr('50 10 "S" "SIP+D2U" "" _sip._udp.example.'),
            ]
        }
    )


def service_group(participant, doc_ids, double=False):
    base = SMP.rstrip("/") + "/" + quote(participant.uri, safe="")
    refs = []
    for doc in doc_ids:
        enc = quote(f"busdox-docid-qns::{doc}", safe="")
        if double:
            enc = quote(enc, safe="")
        refs.append(f'<ServiceMetadataReference href="{base}/services/{enc}"/>')
    return (
        '<?xml version="1.0"?><ServiceGroup xmlns="http://busdox.org/serviceMetadata/publishing/1.0/" '
        'xmlns:id="http://busdox.org/transport/identifiers/1.0/">'
        f'<id:ParticipantIdentifier scheme="iso6523-actorid-upis">{participant}</id:ParticipantIdentifier>'
        f"<ServiceMetadataReferenceCollection>{''.join(refs)}</ServiceMetadataReferenceCollection>"
        "</ServiceGroup>"
    ).encode()


def signed_metadata(
    doc,
    *,
    process=ids.BILLING_PROCESS,
    profile="peppol-transport-as4-v2_0",
    activation="2020-01-01T00:00:00Z",
    expiration="2030-01-01T00:00:00Z",
):
    act = f"<ServiceActivationDate>{activation}</ServiceActivationDate>" if activation else ""
    exp = f"<ServiceExpirationDate>{expiration}</ServiceExpirationDate>" if expiration else ""
    return (
        '<SignedServiceMetadata xmlns="http://busdox.org/serviceMetadata/publishing/1.0/" '
        'xmlns:id="http://busdox.org/transport/identifiers/1.0/"><ServiceMetadata><ServiceInformation>'
        f'<id:DocumentIdentifier scheme="busdox-docid-qns">{doc}</id:DocumentIdentifier><ProcessList><Process>'
        f'<id:ProcessIdentifier scheme="cenbii-procid-ubl">{process}</id:ProcessIdentifier>'
        f'<ServiceEndpointList><Endpoint transportProfile="{profile}">'
        "<EndpointURI>https://ap.example.no/as4</EndpointURI><RequireBusinessLevelSignature>false"
        f"</RequireBusinessLevelSignature>{act}{exp}<Certificate>MIIB</Certificate>"
        "<ServiceDescription>AP</ServiceDescription><TechnicalContactUrl>x</TechnicalContactUrl>"
        "</Endpoint></ServiceEndpointList></Process></ProcessList></ServiceInformation></ServiceMetadata>"
        "</SignedServiceMetadata>"
    ).encode()


class FakeSmp:
    """Answers like an SMP 1.x: the service group, then one SignedServiceMetadata per document type."""

    def __init__(self, docs, *, double=False, metadata=None, status=200):
        self.docs = docs
        self.double = double
        self.metadata = metadata or {}
        self.status = status
        self.requests = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.raw_path.decode()
        if self.status != 200:
            return httpx.Response(self.status)
        group_path = "/smp/" + quote(BUYER.uri, safe="")
        if path == group_path:
            return httpx.Response(200, content=service_group(BUYER, self.docs, self.double))
        prefix = group_path + "/services/"
        if path.startswith(prefix):
            from urllib.parse import unquote

            doc = unquote(path[len(prefix) :]).split("::", 1)[1]
            if doc in self.metadata:
                return httpx.Response(200, content=self.metadata[doc])
            if doc in self.docs:
                return httpx.Response(200, content=signed_metadata(doc))
        return httpx.Response(404)


# --- SML --------------------------------------------------------------------------------------------


def test_find_smp_uses_the_u_meta_smp_record_with_lowest_order():
    resolver = resolver_for()
    assert find_smp(BUYER, resolver=resolver) == SMP
    assert resolver.asked == [(sml_hostname(BUYER), "NAPTR")]


def test_find_smp_not_registered():
    with pytest.raises(ParticipantNotFound):
        find_smp(BUYER, resolver=FakeResolver())


def test_find_smp_without_meta_smp_record():
    resolver = FakeResolver({sml_hostname(BUYER): [naptr('100 10 "U" "Meta:Other" "!.*!https://x/!" .')]})
    with pytest.raises(ParticipantNotFound):
        find_smp(BUYER, resolver=resolver)


def test_find_smp_dns_failure_is_retryable():
    with pytest.raises(LookupFailed) as info:
        find_smp(BUYER, resolver=FakeResolver(error=dns.exception.Timeout()))
    assert info.value.retryable


# --- SMP ----------------------------------------------------------------------------------------------


def test_reachable_for_invoice_and_credit_note():
    smp = FakeSmp([ids.INVOICE, ids.CREDIT_NOTE])
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp))
    assert result.can_receive_invoice and result.can_receive_credit_note
    assert result.smp_url == SMP and result.error is None
    assert result.checked_at == NOW and result.expires_at == NOW + timedelta(days=1)
    assert {ep.url for ep in result.endpoints} == {"https://ap.example.no/as4"}
    # the participant path is percent-encoded as the SMP spec shows
    assert smp.requests[0].url.raw_path.decode() == "/smp/iso6523-actorid-upis%3A%3A0192%3A987654325"


def test_double_encoded_hrefs_are_understood():
    smp = FakeSmp([ids.INVOICE], double=True)
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp))
    assert result.can_receive_invoice and not result.can_receive_credit_note


def test_invoice_only_and_other_document_types_ignored():
    smp = FakeSmp([ids.INVOICE, "urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order##x::2.1"])
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp))
    assert (result.can_receive_invoice, result.can_receive_credit_note) == (True, False)


def test_expired_endpoint_or_old_transport_profile_does_not_count():
    smp = FakeSmp(
        [ids.INVOICE, ids.CREDIT_NOTE],
        metadata={
            ids.INVOICE: signed_metadata(ids.INVOICE, expiration="2025-01-01T00:00:00Z"),
            ids.CREDIT_NOTE: signed_metadata(ids.CREDIT_NOTE, profile="busdox-transport-as2-ver1p0"),
        },
    )
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp))
    assert (result.can_receive_invoice, result.can_receive_credit_note) == (False, False)


def test_wrong_process_does_not_count():
    smp = FakeSmp([ids.INVOICE], metadata={ids.INVOICE: signed_metadata(ids.INVOICE, process="urn:other")})
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp))
    assert not result.can_receive_invoice


def test_expiry_capped_by_endpoint_expiration():
    smp = FakeSmp(
        [ids.INVOICE], metadata={ids.INVOICE: signed_metadata(ids.INVOICE, expiration="2026-03-01T18:00:00Z")}
    )
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp))
    assert result.can_receive_invoice
    assert result.expires_at == datetime(2026, 3, 1, 18, 0, tzinfo=timezone.utc)


def test_not_registered_is_a_negative_answer_without_error():
    result = check_reachability(
        BUYER,
        now=NOW,
        resolver=FakeResolver(),
        transport=httpx.MockTransport(lambda r: pytest.fail("no SMP call expected")),
    )
    assert not result.can_receive_invoice and result.error is None and result.smp_url is None


def test_smp_404_for_group_is_not_registered():
    smp = FakeSmp([ids.INVOICE], status=404)
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp))
    assert not result.can_receive_invoice and result.error is None


def test_smp_down_gives_unknown_with_short_expiry_or_raises():
    smp = FakeSmp([ids.INVOICE], status=503)
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp))
    assert result.error and "503" in result.error
    assert result.expires_at == NOW + timedelta(hours=1)
    with pytest.raises(LookupFailed):
        check_reachability(
            BUYER, now=NOW, resolver=resolver_for(), transport=httpx.MockTransport(smp), raise_on_failure=True
        )


def test_hostile_smp_answer_is_refused_safely():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ServiceGroup>&e;</ServiceGroup>'
    )
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=evil))
    result = check_reachability(BUYER, now=NOW, resolver=resolver_for(), transport=transport)
    assert result.error and not result.can_receive_invoice


def test_naive_now_refused():
    with pytest.raises(ValueError):
        check_reachability(BUYER, now=datetime(2026, 1, 1), resolver=FakeResolver())


def test_smp_answer_is_read_only_up_to_the_limit():
    from nofaktura.exceptions import UnsafeDocument
    from nofaktura.peppol.lookup import SmpClient

    read = []

    def endless():
        yield b'<ServiceGroup xmlns="http://busdox.org/serviceMetadata/publishing/1.0/">'
        while True:
            read.append(1)
            if len(read) > 100:
                pytest.fail("the client kept reading past its limit")
            yield b" " * 65536

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=endless()))
    with SmpClient(transport=transport, max_bytes=1 << 20) as smp, pytest.raises(LookupFailed) as info:
        smp.service_group(SMP, BUYER)
    assert isinstance(info.value.__cause__, UnsafeDocument)
    assert len(read) <= 17
    declared = httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"Content-Length": str(10 << 20)}, content=b"<x/>")
    )
    with SmpClient(transport=declared, max_bytes=1 << 20) as smp, pytest.raises(LookupFailed):
        smp.service_group(SMP, BUYER)
