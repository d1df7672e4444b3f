"""Request signing against the scheme in the corpus notes, with hand-written expected strings."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofaktura.digipost import DigipostClient
from nofaktura.digipost.signing import (
    SenderKey,
    canonical_request,
    canonical_response,
    check_date_window,
    content_hash,
    http_date,
    load_public_key,
    verify_signature,
)
from nofaktura.exceptions import AuthenticationFailed

from .conftest import NOW, USER_ID

#: function-scoped fixtures are fine here (no state between examples); speed is never judged
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def test_content_hash_is_base64_sha256_of_the_raw_body():
    assert content_hash(b"") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    assert content_hash(b"abc") == base64.b64encode(hashlib.sha256(b"abc").digest()).decode()


def test_http_date_is_rfc1123_gmt():
    assert http_date(datetime(2011, 6, 29, 16, 58, 11, tzinfo=timezone(timedelta(hours=2)))) == (
        "Wed, 29 Jun 2011 14:58:11 GMT"
    )
    with pytest.raises(ValueError):
        http_date(datetime(2011, 6, 29, 14, 58, 11))  # naive


def test_canonical_request_with_body_has_six_lines_each_ending_in_lf():
    headers = {"Date": "Wed, 29 Jun 2011 14:58:11 GMT", "X-Content-SHA256": "abc=", "X-Digipost-UserId": "123456",
               "Content-Type": "not signed", "X-Digipost-Signature": "not signed"}  # fmt: skip
    assert canonical_request("post", "/Messages", headers) == (
        "POST\n/messages\ndate: Wed, 29 Jun 2011 14:58:11 GMT\nx-content-sha256: abc=\nx-digipost-userid: 123456\n\n"
    )


def test_canonical_request_without_body_leaves_the_hash_out_and_keeps_the_query_line():
    headers = {"date": "Wed, 29 Jun 2011 14:58:11 GMT", "x-digipost-userid": "123456"}
    assert canonical_request("GET", "https://api.digipost.no/documents/1/a/status?Foo=Bar", headers) == (
        "GET\n/documents/1/a/status\ndate: Wed, 29 Jun 2011 14:58:11 GMT\nx-digipost-userid: 123456\nfoo=bar\n"
    )


def test_canonical_response():
    assert canonical_response(200, "/messages", {"Date": "d", "X-Content-SHA256": "h"}) == (
        "200\n/messages\ndate: d\nx-content-sha256: h\n"
    )


def test_signature_is_pkcs1v15_sha256_and_verifies_with_the_public_key(sender_key, rsa_key):
    canonical = "GET\n/\ndate: x\nx-digipost-userid: 1\n\n"
    signature = sender_key.sign(canonical)
    # verified with cryptography directly, not with our helper
    rsa_key.public_key().verify(base64.b64decode(signature), canonical.encode(), padding.PKCS1v15(), hashes.SHA256())
    assert verify_signature(rsa_key.public_key(), canonical, signature)
    assert not verify_signature(rsa_key.public_key(), canonical.replace("1", "2"), signature)
    assert not verify_signature(rsa_key.public_key(), canonical, "not base64!")


def _p12(key, password: bytes) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Norgesbedriften AS")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=9))
            .sign(key, hashes.SHA256()))  # fmt: skip
    return pkcs12.serialize_key_and_certificates(b"digipost", key, cert, None,
                                                 serialization.BestAvailableEncryption(password))  # fmt: skip


def test_pkcs12_loads_and_never_shows_the_key(rsa_key):
    key = SenderKey.from_pkcs12(_p12(rsa_key, b"pw"), "pw")
    private_pem = rsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()  # fmt: skip
    body = private_pem.splitlines()[1]
    for shown in (repr(key), str(key), f"{key}", repr(vars(key))):
        assert body not in shown
        assert "BEGIN" not in shown
    assert "Norgesbedriften AS" in repr(key)
    assert verify_signature(rsa_key.public_key(), "x\n", key.sign("x\n"))


def test_key_is_not_pickled(sender_key):
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(sender_key)


def test_wrong_pkcs12_password_or_garbage_is_authentication_failed(rsa_key):
    with pytest.raises(AuthenticationFailed) as info:
        SenderKey.from_pkcs12(_p12(rsa_key, b"right"), "wrong")
    assert "wrong" not in str(info.value).replace("(wrong password?)", "")
    with pytest.raises(AuthenticationFailed):
        SenderKey.from_pem(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")


def test_non_rsa_key_is_refused():
    with pytest.raises(AuthenticationFailed):
        SenderKey(ec.generate_private_key(ec.SECP256R1()))  # type: ignore[arg-type]


def test_date_window_five_minutes_both_ways():
    assert check_date_window(http_date(NOW + timedelta(minutes=4, seconds=59)), NOW)
    assert check_date_window(http_date(NOW - timedelta(minutes=5)), NOW)
    for off in (timedelta(minutes=5, seconds=1), -timedelta(minutes=6)):
        with pytest.raises(ValueError):
            check_date_window(http_date(NOW + off), NOW)
    for bad in ("", "yesterday", "Wed, 29 Jun 2011 14:58:11"):
        with pytest.raises(ValueError):
            check_date_window(bad, NOW)


def test_load_public_key_from_pem_and_bare_der(fake):
    der = fake.certificate.public_bytes(serialization.Encoding.DER)
    assert load_public_key(fake.certificate_pem).public_numbers() == load_public_key(
        base64.b64encode(der).decode()).public_numbers()  # fmt: skip
    with pytest.raises(AuthenticationFailed):
        load_public_key("bm90IGEgY2VydA==")


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    path=st.from_regex(r"\A(/[A-Za-z0-9._~-]{0,12}){1,4}\Z"),
    body=st.none() | st.binary(min_size=1, max_size=300),
)
def test_our_signature_verifies_under_the_fakes_independent_canonical_string(fake, sender_key, method, path, body):
    """The client's canonical string and the fake's (written separately from the notes) agree on any request."""
    client = DigipostClient(USER_ID, sender_key, transport=fake.transport, clock=lambda: NOW)
    # As the client does: sign the path httpx will actually send (it removes dot segments: "/." is "/").
    request = httpx.Request(method, "https://api.digipost.no" + path, content=body)
    headers = client.signed_headers(method, request.url.path, body)
    request.headers.update(headers)
    canonical = fake.expected_canonical(request)
    assert canonical == canonical_request(method, request.url.path, headers)
    assert verify_signature(fake.senders[USER_ID], canonical, headers["X-Digipost-Signature"])
    assert ("X-Content-SHA256" in headers) == bool(body)
