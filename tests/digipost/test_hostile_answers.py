"""Whatever Digipost (or something in its place) answers, the client raises one of our errors or returns a
parsed result: never an lxml/httpx exception, never an entity expanded, never a crash."""

from __future__ import annotations

import contextlib

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofaktura.digipost import DigipostClient, Recipient
from nofaktura.digipost.client import error_from_response
from nofaktura.exceptions import TransportError

from .conftest import PERSON_USER, USER_ID, invoice_message

#: function-scoped fixtures are fine here (no state between examples); speed is never judged
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

NS = "http://api.digipost.no/schema/v8"


def client_answering(sender_key, status: int, body: bytes, content_type: str = "application/vnd.digipost-v8+xml"):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"Content-Type": content_type})

    return DigipostClient(USER_ID, sender_key, transport=httpx.MockTransport(handler), verify_responses=False)


HOSTILE = [
    b"",
    b"not xml at all",
    b"<html><body>502 Bad Gateway</body></html>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    b'<message-delivery xmlns="' + NS.encode() + b'">&b;</message-delivery>',
    b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><error/>',
    b'<message-delivery xmlns="' + NS.encode() + b'"><delivery-method>CARRIER_PIGEON</delivery-method>'
    b"<sender-id>1</sender-id><status>DELIVERED</status><primary-document><uuid>x</uuid></primary-document>"
    b"</message-delivery>",
    b'<message-delivery xmlns="' + NS.encode() + b'"><delivery-method>DIGIPOST</delivery-method>'
    b"<sender-id>abc</sender-id><status>DELIVERED</status></message-delivery>",
    b'<message-delivery xmlns="' + NS.encode() + b'"><delivery-method>DIGIPOST</delivery-method>'
    b"<sender-id>1</sender-id><status>DELIVERED</status></message-delivery>",  # no documents
    b'<message-delivery xmlns="' + NS.encode() + b'"><delivery-method>DIGIPOST</delivery-method>'
    b"<sender-id>1</sender-id><status>DELIVERED</status><delivery-time>yesterday</delivery-time>"
    b"<primary-document><uuid>x</uuid></primary-document></message-delivery>",
    b'<message-delivery xmlns="' + NS.encode() + b'"><delivery-method>DIGIPOST</delivery-method>'
    b"<sender-id>1</sender-id><status>DELIVERED</status>"
    b"<primary-document><uuid>00000000-0000-4000-8000-000000000000</uuid></primary-document></message-delivery>",
    b"<identification-result xmlns='" + NS.encode() + b"'><result>MAYBE</result></identification-result>",
    b"<a>" * 10_000 + b"</a>" * 10_000,
    b"<x>" + b"A" * (2 * 1024 * 1024) + b"</x>",
    b'<message-delivery xmlns="urn:other"/>',
]


@pytest.mark.parametrize("body", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("status", [200, 400, 403, 404, 500])
def test_hostile_answers_become_transport_errors(sender_key, body, status):
    with client_answering(sender_key, status, body) as client:
        with pytest.raises(TransportError) as info:
            client.send(invoice_message())
        assert len(str(info.value)) < 2000
        with pytest.raises(TransportError):
            client.identify(Recipient.by_national_id(PERSON_USER))


def test_an_answer_naming_documents_we_did_not_send_is_refused(sender_key):
    body = HOSTILE[9]
    with client_answering(sender_key, 200, body) as client, pytest.raises(TransportError, match="not in the message"):
        client.send(invoice_message())


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE_OK)
@given(status=st.integers(100, 599), body=st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_any_answer_gives_a_result_or_our_error(sender_key, status, body):
    with client_answering(sender_key, status, body) as client, contextlib.suppress(TransportError):
        result = client.identify(Recipient.by_national_id(PERSON_USER))
        assert result.result.value in ("DIGIPOST", "IDENTIFIED", "UNIDENTIFIED", "INVALID")


@settings(max_examples=300, deadline=None)
@given(status=st.integers(300, 599), code=st.text(max_size=40), text=st.text(max_size=200))
def test_error_table_is_total(status, code, text):
    from xml.sax.saxutils import escape

    body = (f"<error xmlns='{NS}'><error-code>{escape(code)}</error-code><error-message>{escape(text)}"
            f"</error-message><error-type>CLIENT_DATA</error-type></error>").encode()  # fmt: skip
    error = error_from_response(status, body, message_id="m")
    assert isinstance(error, TransportError)
    assert error.http_status == status
    xml_code = code.replace("\r\n", "\n").replace("\r", "\n").strip()  # XML normalises line ends
    assert error.code in (None, xml_code)  # None only when the body was not readable XML
    final_codes = {"DUPLICATE_MESSAGE", "DUPLICATE_DOCUMENT_ID", "UNKNOWN_RECIPIENT", "NOT_APPROVED_FOR_PRINT",
                   "INVALID_SIGNATURE", "MISSING_CERTIFICATE", "DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL",
                   "CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF", "INVALID_PDF_CONTENT", "INVALID_RECIPIENT_PRINT_ADDRESS",
                   "INVALID_RETURN_ADDRESS", "FILE_TOO_LARGE", "UNAUTHORIZED", "NOT_AUTHORIZED", "INVALID_BROKER",
                   "MISSING_HEADER"}  # fmt: skip
    if error.code in final_codes or status in (401, 403):
        expected = False
    else:
        expected = status >= 500 or status in (408, 429) or error.code in ("SERVER_ERROR", "API_UNAVAILABLE")
    assert error.retryable is expected, (status, error.code, type(error))
