"""The client against the fake Digipost: signatures, sending, print, identification, status, errors."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from nofaktura.digipost import (
    DeliveryChannel,
    DigipostClient,
    Document,
    IdentificationResult,
    Message,
    MessageStatus,
    NameAndAddress,
    Recipient,
    SenderKey,
)
from nofaktura.digipost.testing import FakeDigipost, make_test_key
from nofaktura.exceptions import (
    AuthenticationFailed,
    DuplicateSubmission,
    RateLimited,
    RecipientRejected,
    ServiceUnavailable,
    TransportError,
    TransportTimeout,
    UnknownRecipient,
)

from .conftest import ORGNR, PDF, PERSON_NON_USER, PERSON_USER, USER_ID, invoice_message, print_details


def test_invoice_to_a_digipost_user_is_delivered_digitally(client, fake, schema):
    delivery = client.send(invoice_message())
    assert delivery.channel is DeliveryChannel.DIGIPOST
    assert delivery.status is MessageStatus.DELIVERED
    assert delivery.message_id == "db1-inv-7-v1"
    received = fake.messages["db1-inv-7-v1"]
    assert received.files[delivery.document_uuids[0]] == PDF
    assert schema.validate(received.xml)
    # the fake fetched nothing but the entry point (for the certificate) and the message
    assert [r.url.path for r in fake.requests] == ["/", "/messages"]


def test_non_user_with_print_fallback_goes_to_print(client, fake):
    message = invoice_message(recipient=Recipient.by_national_id(PERSON_NON_USER), print_details=print_details())
    delivery = client.send(message)
    assert (delivery.channel, delivery.status) == (DeliveryChannel.PRINT, MessageStatus.DELIVERED_TO_PRINT)


def test_non_user_without_print_is_unknown_recipient_final(client):
    with pytest.raises(UnknownRecipient) as info:
        client.send(invoice_message(recipient=Recipient.by_national_id(PERSON_NON_USER)))
    assert info.value.code == "UNKNOWN_RECIPIENT" and info.value.http_status == 404
    assert not info.value.retryable


def test_a_retry_never_sends_twice(client, fake):
    client.send(invoice_message())
    with pytest.raises(DuplicateSubmission) as info:
        client.send(invoice_message())
    assert info.value.message_id == "db1-inv-7-v1" and not info.value.retryable
    assert len(fake.messages) == 1


def test_print_not_approved_is_final(fake, sender_key, schema, rsa_key):
    fake.print_approved = False
    client = DigipostClient(USER_ID, sender_key, transport=fake.transport)
    with client, pytest.raises(RecipientRejected) as info:
        client.send(invoice_message(print_details=print_details()))
    assert info.value.code == "NOT_APPROVED_FOR_PRINT" and not info.value.retryable


def test_identification_results(client):
    assert client.identify(Recipient.by_national_id(PERSON_USER)).is_digipost_user
    assert client.identify(Recipient.by_organisation_number(ORGNR)).digipost_address == "kunde.as#CD34"
    assert client.identify(Recipient.by_national_id(PERSON_NON_USER)).result is IdentificationResult.IDENTIFIED
    other = client.identify(Recipient.by_name_and_address(NameAndAddress("Per Hansen", "Vei 1", "0460", "Oslo")))
    assert (other.result, other.reason) == (IdentificationResult.UNIDENTIFIED, "NOT_FOUND")


def test_document_status_after_send(client):
    delivery = client.send(invoice_message(attachments=(Document(PDF, "Vedlegg"),)))
    status = client.document_status(delivery.document_uuids[0])
    assert status.delivered and status.channel is DeliveryChannel.DIGIPOST and status.read is False
    assert status.uuid == delivery.document_uuids[0]
    with pytest.raises(RecipientRejected):
        client.document_status("00000000-0000-4000-8000-000000000000")
    with pytest.raises(ValueError):
        client.document_status("../../etc")


def test_broker_sends_on_behalf_of_another_sender(client, fake):
    delivery = client.send(invoice_message(on_behalf_of=987654))
    assert delivery.sender_id == 987654
    assert fake.requests[-1].headers["x-digipost-userid"] == USER_ID


# --- the security scheme, as the fake checks it --------------------------------------------------------------


def test_wrong_key_is_refused_with_the_canonical_string_echoed(fake):
    stranger = SenderKey(make_test_key())
    client = DigipostClient(USER_ID, stranger, transport=fake.transport, verify_responses=False)
    with client, pytest.raises(AuthenticationFailed) as info:
        client.send(invoice_message())
    assert info.value.code == "INVALID_SIGNATURE" and info.value.http_status == 403
    assert "===START===POST\n/messages\ndate: " in str(info.value)
    assert not fake.messages


def test_unknown_sender_is_missing_certificate(fake, sender_key):
    with (
        DigipostClient("999", sender_key, transport=fake.transport, verify_responses=False) as client,
        pytest.raises(AuthenticationFailed) as info,
    ):
        client.identify(Recipient.by_national_id(PERSON_USER))
    assert info.value.code == "MISSING_CERTIFICATE"


@pytest.mark.parametrize("skew", [timedelta(minutes=6), -timedelta(minutes=6)])
def test_clock_outside_the_window_is_refused(fake, sender_key, skew):
    clock = lambda: datetime.now(timezone.utc) + skew  # noqa: E731
    with (
        DigipostClient(USER_ID, sender_key, transport=fake.transport, clock=clock, verify_responses=False) as client,
        pytest.raises(AuthenticationFailed) as info,
    ):
        client.send(invoice_message())
    assert info.value.code == "DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL" and "clock" in str(info.value)


def test_clock_within_the_window_passes(fake, sender_key):
    clock = lambda: datetime.now(timezone.utc) + timedelta(minutes=4)  # noqa: E731
    with DigipostClient(USER_ID, sender_key, transport=fake.transport, clock=clock) as client:
        assert client.send(invoice_message()).status is MessageStatus.DELIVERED


def test_body_changed_in_transit_fails_the_hash(fake, sender_key):
    def tamper(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            body = request.read().replace(b"1250.00", b"9250.00")
            request = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        return fake(request)

    with (
        DigipostClient(USER_ID, sender_key, transport=httpx.MockTransport(tamper)) as client,
        pytest.raises(RecipientRejected) as info,
    ):
        client.send(invoice_message())
    assert info.value.code == "INVALID_SHA256"


def test_header_swapped_in_transit_fails_the_signature(fake, sender_key):
    def swap(request: httpx.Request) -> httpx.Response:
        request.headers["X-Digipost-UserId"] = "654321"
        return fake(request)

    fake.register_sender("654321", make_test_key().public_key())
    with (
        DigipostClient(USER_ID, sender_key, transport=httpx.MockTransport(swap)) as client,
        pytest.raises(AuthenticationFailed) as info,
    ):
        client.identify(Recipient.by_national_id(PERSON_USER))
    assert info.value.code == "INVALID_SIGNATURE"


def test_answers_are_verified_with_the_entrypoint_certificate(fake, sender_key):
    def forge(request: httpx.Request) -> httpx.Response:
        response = fake(request)
        if request.method == "POST":  # a "delivered" that Digipost did not sign
            body = response.content.replace(b"DELIVERED", b"DELIVERED_TO_PRINT")
            return httpx.Response(response.status_code, content=body, headers=response.headers)
        return response

    with (
        DigipostClient(USER_ID, sender_key, transport=httpx.MockTransport(forge)) as client,
        pytest.raises(AuthenticationFailed, match="X-Content-SHA256"),
    ):
        client.send(invoice_message())


def test_answer_signed_by_another_key_is_refused(fake, sender_key, schema, rsa_key):
    impostor = FakeDigipost(schema)
    impostor.register_sender(USER_ID, rsa_key.public_key())
    impostor.add_user(PERSON_USER)
    with (
        DigipostClient(USER_ID, sender_key, transport=impostor.transport,
                       server_certificate=fake.certificate_pem) as client,
        pytest.raises(AuthenticationFailed, match="invalid signature"),
    ):
        client.identify(Recipient.by_national_id(PERSON_USER))
    unsigned = FakeDigipost(schema, sign_answers=False)
    unsigned.register_sender(USER_ID, rsa_key.public_key())
    with (
        DigipostClient(USER_ID, sender_key, transport=unsigned.transport,
                       server_certificate=fake.certificate_pem) as client,
        pytest.raises(AuthenticationFailed, match="not signed"),
    ):
        client.identify(Recipient.by_national_id(PERSON_USER))


def test_stale_answer_date_is_refused(fake, sender_key):
    fake.tolerance = timedelta(minutes=10)  # the fake accepts the request; the client must refuse the answer
    fake.clock = lambda: datetime.now(timezone.utc) - timedelta(minutes=3)
    client_clock = lambda: datetime.now(timezone.utc) + timedelta(minutes=3)  # noqa: E731
    with (
        DigipostClient(USER_ID, sender_key, transport=fake.transport, clock=client_clock,
                       server_certificate=fake.certificate_pem) as client,
        pytest.raises(AuthenticationFailed, match="bad Date"),
    ):
        client.identify(Recipient.by_national_id(PERSON_USER))


# --- errors: retryable or final ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "error", "retryable"),
    [
        (503, "API_UNAVAILABLE", ServiceUnavailable, True),
        (500, "SERVER_ERROR", ServiceUnavailable, True),
        (429, None, RateLimited, True),
        (504, None, TransportTimeout, True),
        (400, "SCHEMA_VALIDATION_ERROR", RecipientRejected, False),
        (400, "INVALID_PDF_CONTENT", RecipientRejected, False),
        (409, "DUPLICATE_DOCUMENT_ID", DuplicateSubmission, False),
        (403, "NOT_AUTHORIZED", AuthenticationFailed, False),
    ],
)
def test_error_answers_are_typed(client, fake, status, code, error, retryable):  # noqa: PLR0917 - parametrized
    client.identify(Recipient.by_national_id(PERSON_USER))  # entry point read
    fake.fail_next(status, code, "SERVER" if status >= 500 else "CLIENT_DATA")
    with pytest.raises(error) as info:
        client.send(invoice_message())
    assert info.value.retryable is retryable
    assert info.value.http_status == status and info.value.code == (code or "SERVER_ERROR")
    if retryable:  # and the retry then passes, once
        assert client.send(invoice_message()).status is MessageStatus.DELIVERED


def test_network_errors_are_retryable(sender_key):
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    for handler, error in ((down, ServiceUnavailable), (slow, TransportTimeout)):
        with (
            DigipostClient(USER_ID, sender_key, transport=httpx.MockTransport(handler)) as client,
            pytest.raises(error) as info,
        ):
            client.send(invoice_message())
        assert info.value.retryable and info.value.__cause__ is not None


def test_a_proxy_html_502_is_service_unavailable(client, fake):
    client.identify(Recipient.by_national_id(PERSON_USER))
    fake.fail_next(502, body=b"<html><body>Bad gateway</body></html>")
    with pytest.raises(ServiceUnavailable):
        client.send(invoice_message())


def test_national_id_and_key_never_in_logs_or_errors(fake, sender_key, caplog, rsa_key):
    caplog.set_level(logging.DEBUG)
    with DigipostClient(USER_ID, sender_key, transport=fake.transport) as client:
        client.identify(Recipient.by_national_id(PERSON_USER))
        client.send(invoice_message())
        error = (f"<error xmlns='http://api.digipost.no/schema/v8'><error-code>X</error-code><error-message>"
                 f"bad recipient {PERSON_NON_USER}</error-message><error-type>CLIENT_DATA</error-type></error>")
        fake.fail_next(400, body=error.encode())
        fake.sign_answers = False
        with pytest.raises(TransportError) as info:
            client.send(invoice_message("other", recipient=Recipient.by_national_id(PERSON_NON_USER)))
        assert repr(client) == f"DigipostClient(user_id='{USER_ID}', base_url='https://api.digipost.no')"
    assert caplog.records, "the client logs its sends"
    for text in (caplog.text, str(info.value)):
        assert PERSON_USER not in text and PERSON_NON_USER not in text
    assert "150765*****" in str(info.value)


def test_message_with_txt_attachment_only_digital(client, fake):
    message = Message("m-txt", Recipient.by_national_id(PERSON_USER), Document(PDF, "Faktura"),
                      attachments=(Document(b"plain text", "Notat", file_type="txt"),))  # fmt: skip
    delivery = client.send(message)
    assert len(delivery.document_uuids) == 2
    assert fake.messages["m-txt"].files[message.attachments[0].uuid] == b"plain text"


def test_over_a_real_local_http_server(fake, sender_key):
    """The same exchange through httpx's real network stack: headers survive the wire unchanged."""
    from nofaktura.digipost.testing import serve_over_http

    with serve_over_http(fake) as base_url, DigipostClient(USER_ID, sender_key, base_url=base_url) as client:
        assert client.identify(Recipient.by_national_id(PERSON_USER)).is_digipost_user
        delivery = client.send(invoice_message(recipient=Recipient.by_national_id(PERSON_NON_USER),
                                               print_details=print_details()))  # fmt: skip
        assert delivery.channel is DeliveryChannel.PRINT
        with pytest.raises(DuplicateSubmission):
            client.send(invoice_message(recipient=Recipient.by_national_id(PERSON_NON_USER),
                                        print_details=print_details()))  # fmt: skip
        assert client.document_status(delivery.document_uuids[0]).channel is DeliveryChannel.PRINT


def test_base_url_with_a_path_prefix_signs_the_requested_path(fake, sender_key):
    paths = []

    def behind_proxy(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return fake(request)  # the fake checks the signature over the full path it received

    client = DigipostClient(USER_ID, sender_key, base_url="https://proxy.example.no/api",
                            transport=httpx.MockTransport(behind_proxy), verify_responses=False)  # fmt: skip
    with client, pytest.raises(RecipientRejected) as info:
        client.identify(Recipient.by_national_id(PERSON_USER))
    # not a signature error: the signature covered /api/identification; the fake has no such resource
    assert info.value.http_status == 404 and info.value.code == "GENERAL_ERROR"
    assert paths == ["/api/identification"]


def test_an_oversized_answer_is_not_read(sender_key):
    def huge(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"<x>" + b"A" * 65536] * 40))

    client = DigipostClient(USER_ID, sender_key, transport=httpx.MockTransport(huge), verify_responses=False)
    with client, pytest.raises(TransportError, match="more than"):
        client.identify(Recipient.by_national_id(PERSON_USER))


def test_gzip_encoded_answer_is_read(fake, sender_key):
    import gzip

    def gzipped(request: httpx.Request) -> httpx.Response:
        response = fake(request)
        return httpx.Response(response.status_code, content=gzip.compress(response.content),
                              headers={**response.headers, "Content-Encoding": "gzip"})  # fmt: skip

    with DigipostClient(USER_ID, sender_key, transport=httpx.MockTransport(gzipped)) as client:
        assert client.identify(Recipient.by_national_id(PERSON_USER)).is_digipost_user
