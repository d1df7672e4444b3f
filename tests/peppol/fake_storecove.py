"""A fake Storecove API v2, built from its public documentation (see the docstring of
``nofaktura.peppol.transports.storecove``), as an ``httpx.MockTransport`` handler.

It implements what the documentation says of the endpoints we use, including the parts that make a
client wrong if it ignores them: Bearer authentication, the 422 on a re-used ``idempotencyGuid``,
required ``processId``/``documentTypeId`` when ``parse`` is false, the pull queue whose GET answers the
head until it is DELETEd and 204 when empty, and 404 on evidence before delivery.
"""

from __future__ import annotations

import base64
import itertools
import json
import uuid

import httpx


class FakeStorecove:
    def __init__(self, api_key: str = "sk-test-123", legal_entity_id: int = 4711) -> None:
        self.api_key = api_key
        self.legal_entity_id = legal_entity_id
        self.submissions: dict[str, dict] = {}
        self.by_idempotency: dict[str, str] = {}
        self.evidence: dict[str, dict] = {}
        self.queue: list[dict] = []
        self.purchase_invoices: dict[str, bytes] = {}
        self.requests: list[httpx.Request] = []
        self.fail_next: list[int] = []
        self._n = itertools.count(1)

    # --- scripting ---
    def deliver(self, guid: str) -> None:
        self.evidence[guid] = {
            "network": "peppol",
            "evidence": {
                "transmission_id": f"tx-{guid[:8]}",
                "receiving_accesspoint": "CN=PNO000123",
                "timestamp": "2026-03-01T12:00:05Z",
            },
        }

    def receive_invoice(self, ubl: bytes) -> str:
        guid = str(uuid.uuid4())
        self.purchase_invoices[guid] = ubl
        body = json.dumps(
            {
                "event_type": "received_document",
                "event_group": "received_documents",
                "document_guid": guid,
                "legal_entity_id": self.legal_entity_id,
            }
        )
        self.queue.append({"guid": str(uuid.uuid4()), "body": body})
        return guid

    def push_event(self, body: dict) -> None:
        self.queue.append({"guid": str(uuid.uuid4()), "body": json.dumps(body)})

    # --- the API ---
    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_next:
            return httpx.Response(self.fail_next.pop(0), json=[{"source": "server", "details": "scripted"}])
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return httpx.Response(401)
        path = request.url.path
        if not path.startswith("/api/v2/"):
            return httpx.Response(404)
        path = path[len("/api/v2") :]
        if request.method == "POST" and path == "/document_submissions":
            return self._submit(json.loads(request.content))
        if request.method == "GET" and path.startswith("/document_submissions/") and path.endswith("/evidence/sending"):
            guid = path.split("/")[2]
            if guid in self.evidence:
                return httpx.Response(200, json=self.evidence[guid])
            return httpx.Response(404)
        if request.method == "GET" and path == "/webhook_instances/":
            if not self.queue:
                return httpx.Response(204)
            return httpx.Response(200, json=self.queue[0])
        if request.method == "DELETE" and path.startswith("/webhook_instances/"):
            guid = path.rsplit("/", 1)[1]
            before = len(self.queue)
            self.queue = [i for i in self.queue if i["guid"] != guid]
            return httpx.Response(204 if len(self.queue) < before else 404)
        if request.method == "GET" and path.startswith("/purchase_invoices/") and path.endswith("/ubl"):
            guid = path.split("/")[2]
            if guid not in self.purchase_invoices:
                return httpx.Response(404)
            return httpx.Response(
                200,
                json={
                    "guid": guid,
                    "legal_entity_id": self.legal_entity_id,
                    "ubl": base64.b64encode(self.purchase_invoices[guid]).decode(),
                },
            )
        return httpx.Response(404)

    def _submit(self, body: dict) -> httpx.Response:
        errors = []
        if body.get("legalEntityId") != self.legal_entity_id:
            errors.append({"source": "legalEntityId", "details": "unknown LegalEntity"})
        key = body.get("idempotencyGuid")
        if key in self.by_idempotency:
            return httpx.Response(
                422,
                json=[
                    {
                        "source": "idempotencyGuid",
                        "details": "A document with this idempotencyGuid was already submitted",
                    }
                ],
            )
        document = body.get("document") or {}
        raw = document.get("rawDocumentData") or {}
        if document.get("documentType") not in ("invoice", "invoice_response", "order"):
            errors.append({"source": "documentType", "details": "invalid"})
        if raw.get("parse") is False and not (raw.get("processId") and raw.get("documentTypeId")):
            errors.append({"source": "rawDocumentData", "details": "processId and documentTypeId required"})
        try:
            base64.b64decode(raw.get("document", ""), validate=True)
        except ValueError:
            errors.append({"source": "document", "details": "not base64"})
        identifiers = (body.get("routing") or {}).get("eIdentifiers") or []
        if not identifiers or not all(i.get("scheme") and i.get("id") for i in identifiers):
            errors.append({"source": "routing", "details": "eIdentifiers required"})
        if errors:
            return httpx.Response(422, json=errors)
        guid = str(uuid.uuid4())
        self.submissions[guid] = body
        if key:
            self.by_idempotency[key] = guid
        return httpx.Response(200, json={"guid": guid})
