"""What a REST access point answers is received input too: any body must end in a TransportError.

The Storecove client talks JSON to a service on the internet; a proxy, a maintenance page or a broken
deployment can answer ``200`` with HTML, an empty body, a JSON list or a JSON string. The contract of
:class:`~nofaktura.peppol.transports.base.AccessPointTransport` is that callers (the Odoo queue) see
only :class:`~nofaktura.exceptions.TransportError`, so they can retry or report; a
``JSONDecodeError`` or ``AttributeError`` escapes that contract and ends the queue job with a traceback.
Served by ``httpx.MockTransport``: nothing leaves the machine.
"""

from __future__ import annotations

import httpx
import pytest

from nofaktura.exceptions import NofakturaError, TransportError
from nofaktura.peppol.ids import INVOICE, ParticipantId
from nofaktura.peppol.transports import OutgoingDocument, StorecoveAccessPoint

BODIES = {
    "html": b"<html><body>502 Bad Gateway</body></html>",
    "empty": b"",
    "truncated-json": b'{"guid": "abc',
    "json-list": b"[1, 2]",
    "json-string": b'"ok"',
    "json-number": b"42",
    "wrong-types": b'{"guid": 7, "body": 8, "ubl": 9, "evidence": "x"}',
}

OPERATIONS = {
    "fetch_incoming": lambda ap: ap.fetch_incoming(),
    "status": lambda ap: ap.status("message-1"),
    "send": lambda ap: ap.send(
        OutgoingDocument(
            b"<Invoice/>", ParticipantId.parse("0192:123456785"), ParticipantId.parse("0192:987654325"), INVOICE,
            "db1-inv-1-v1",
        )
    ),
}  # fmt: skip


def answer_with(body: bytes) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_storecove_garbage_answers_are_transport_errors(operation: str):
    problems = []
    for name, body in BODIES.items():
        with StorecoveAccessPoint(api_key="k", legal_entity_id=1, transport=answer_with(body)) as ap:
            try:
                OPERATIONS[operation](ap)
            except TransportError:
                continue
            except NofakturaError as exc:
                problems.append(f"{name}: {type(exc).__name__} is not a TransportError: {exc}")
            except Exception as exc:
                problems.append(f"{name}: {type(exc).__name__}: {exc}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("body", ["html", "empty", "json-list", "json-string"])
def test_storecove_fetch_never_returns_a_document_from_garbage(body: str):
    """Whatever is raised, garbage is never turned into an incoming invoice."""
    with StorecoveAccessPoint(api_key="k", legal_entity_id=1, transport=answer_with(BODIES[body])) as ap:
        try:
            documents = ap.fetch_incoming()
        except Exception:
            return
    assert documents == []
