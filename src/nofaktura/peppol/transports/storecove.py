"""Storecove, a Peppol access point with a public REST API (v2), implemented from its documentation.

Documentation read (public):

- API reference: https://www.storecove.com/docs/ (and https://www.storecove.com/docs/with_deprecated)
- OpenAPI description: https://www.storecove.com/api/v2/openapi.json, as mirrored by APIs.guru
  (``APIs/storecove.com/2.0.1/openapi.yaml`` and the generated client docs
  ``DocumentSubmissionsApi.md``, ``DocumentSubmission.md``, ``RawDocumentData.md``, ``Routing.md``,
  ``RoutingIdentifier.md``, ``DocumentSubmissionEvidence*.md``, ``WebhookInstancesApi.md``,
  ``WebhookInstance.md``, ``PurchaseInvoicesApi.md``, ``PurchaseInvoiceUbl.md``).

What we use, as documented:

- Authentication: ``Authorization: Bearer <API key>``; base URL ``https://api.storecove.com/api/v2``.
- **Send**: ``POST /document_submissions`` with ``legalEntityId`` (the sender, set up at Storecove),
  ``idempotencyGuid`` ("If you submit multiple documents with the same idempotencyGuid, only the first
  one will be processed and any subsequent ones will trigger an HTTP 422"), ``routing.eIdentifiers``
  (``[{scheme, id}]``) and ``document: {documentType, rawDocumentData: {document (base64), parse,
  processId, documentTypeId}}``. With ``parse: false`` the document "will be sent as is" and
  ``processId``/``documentTypeId`` are required; that is what we want for an EHF we validated ourselves.
  (One version of the reference notes that only ``parse == true`` was supported at the time; set
  ``parse=True`` if your account needs it.) Answer 200 ``{"guid": ...}``; 401/403/422 errors.
  Our idempotency key becomes the GUID through UUID5, so the same key always gives the same GUID.
- **Status**: ``GET /document_submissions/{guid}/evidence/sending`` answers the sending evidence
  (``evidence.transmission_id``, ``timestamp``...) once the document was delivered; 404 before.
- **Receive**: pull-mode webhooks. ``GET /webhook_instances/`` returns the *head* of our queue
  (``{guid, body}``), 204 when empty; "after processing it successfully, DELETE it and GET the next
  one" (``DELETE /webhook_instances/{guid}``, 204). A received invoice's body names its GUID; the UBL is
  fetched with ``GET /purchase_invoices/{guid}/ubl`` (``PurchaseInvoiceUbl.ubl``, base64).
  Because GET always answers the head, :meth:`fetch_incoming` returns at most one document; call it
  again after :meth:`acknowledge`. Webhook instances that are not received documents (e.g. sending
  events) are remembered for :meth:`status` and deleted, so they cannot block the queue.

Gaps, honestly: the exact JSON of the webhook ``body`` is only partly documented in the sources read;
we accept ``document_guid`` or ``guid`` with an ``event_type``/``event`` naming a received document or
invoice. Routing scheme names follow Storecove's receiver identifier list (``NO:ORGNR`` for ICD 0192);
pass ``scheme_map`` to change them.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import datetime
from typing import Any

import httpx

from nofaktura.exceptions import DuplicateSubmission, RecipientRejected, ServiceUnavailable, TransportError
from nofaktura.messages import msg
from nofaktura.peppol.ids import CREDIT_NOTE, INVOICE, INVOICE_RESPONSE, ParticipantId
from nofaktura.peppol.transports.base import (
    AccessPointTransport,
    DeliveryState,
    DeliveryStatus,
    IncomingDocument,
    OutgoingDocument,
    Receipt,
    error_for_http_status,
    translate_errors,
)

__all__ = ["DEFAULT_SCHEME_MAP", "StorecoveAccessPoint", "idempotency_guid"]

BASE_URL = "https://api.storecove.com/api/v2"
SANDBOX_NOTE = "Storecove's sandbox uses the same base URL with a sandbox API key."
#: ISO 6523 ICD → Storecove routing scheme.
DEFAULT_SCHEME_MAP = {
    "0192": "NO:ORGNR",
    "0088": "GLN",
    "0007": "SE:ORGNR",
    "0184": "DK:DIGST",
    "0208": "BE:EN",
    "0106": "NL:KVK",
    "0037": "FI:OVT",
}
_DOCUMENT_TYPE = {INVOICE: "invoice", CREDIT_NOTE: "invoice", INVOICE_RESPONSE: "invoice_response"}
#: What an id from Storecove may look like before it goes into a URL path (GUIDs, numeric ids).
_GUID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
_GUID_NAMESPACE = uuid.UUID("6f7c1a38-2b9e-5d0c-9a43-6e6f66616b74")


def idempotency_guid(key: str) -> str:
    """The idempotencyGuid for our key: a UUID5, so every retry sends the same GUID."""
    return str(uuid.uuid5(_GUID_NAMESPACE, key))


class StorecoveAccessPoint(AccessPointTransport):
    name = "storecove"

    def __init__(
        self,
        *,
        api_key: str,
        legal_entity_id: int,
        base_url: str = BASE_URL,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        parse: bool = False,
        scheme_map: dict[str, str] | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("Storecove needs an API key")
        self.legal_entity_id = int(legal_entity_id)
        self.base_url = base_url.rstrip("/")
        self.parse = parse
        self.scheme_map = dict(scheme_map or DEFAULT_SCHEME_MAP)
        self._client = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
        )
        self._events: dict[str, DeliveryStatus] = {}

    def __repr__(self) -> str:  # the API key is never shown
        return f"StorecoveAccessPoint(base_url={self.base_url!r}, legal_entity_id={self.legal_entity_id})"

    # --- HTTP -----------------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        with translate_errors(f"Storecove {method} {path}"):
            return self._client.request(method, path, **kwargs)

    @staticmethod
    def _object(response: httpx.Response, what: str) -> dict[str, Any]:
        """The JSON object of a successful answer. A proxy or maintenance page can answer 200 with
        HTML or nothing (may pass later: ServiceUnavailable); a JSON value that is not an object means
        the API changed under us (TransportError). Never a JSONDecodeError for the caller."""
        try:
            body = response.json()
        except ValueError as exc:
            raise ServiceUnavailable(msg("storecove.not_json", what=what)) from exc
        if not isinstance(body, dict):
            raise TransportError(msg("storecove.not_object", what=what))
        return body

    @staticmethod
    def _text_field(body: dict[str, Any], key: str, what: str) -> str:
        value = body.get(key)
        if not isinstance(value, str) or not _GUID.fullmatch(value):
            raise TransportError(msg("storecove.no_field", what=what, key=key))
        return value

    @staticmethod
    def _errors(response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text[:500]
        items = body if isinstance(body, list) else body.get("errors", [body]) if isinstance(body, dict) else [body]
        if not isinstance(items, list):
            items = [items]
        parts = []
        for item in items:
            if isinstance(item, dict):
                parts.append(": ".join(str(item[k]) for k in ("source", "details") if item.get(k)))
            else:
                parts.append(str(item))
        return "; ".join(p for p in parts if p) or response.text[:500]

    def _routing(self, receiver: ParticipantId) -> dict[str, Any]:
        scheme = self.scheme_map.get(receiver.icd)
        if scheme is None:
            raise RecipientRejected(msg("storecove.no_routing", icd=receiver.icd))
        return {"eIdentifiers": [{"scheme": scheme, "id": receiver.value}]}

    # --- the contract ---------------------------------------------------------------------------

    def send(self, document: OutgoingDocument) -> Receipt:
        document_type = _DOCUMENT_TYPE.get(document.document_type)
        if document_type is None:
            raise RecipientRejected(msg("storecove.document_type", document_type=document.document_type))
        raw: dict[str, Any] = {
            "document": base64.b64encode(document.content).decode("ascii"),
            "parse": self.parse,
        }
        if self.parse:
            raw["parseStrategy"] = "ubl"
        else:
            raw["processId"] = document.process
            raw["documentTypeId"] = document.document_type
        payload = {
            "legalEntityId": self.legal_entity_id,
            "idempotencyGuid": idempotency_guid(document.idempotency_key),
            "routing": self._routing(document.receiver),
            "document": {"documentType": document_type, "rawDocumentData": raw},
        }
        response = self._request("POST", "/document_submissions", json=payload)
        if response.status_code == 422:
            detail = self._errors(response)
            if "idempotency" in detail.lower():
                raise DuplicateSubmission(msg("storecove.duplicate", detail=detail))
            raise RecipientRejected(msg("storecove.refused", detail=detail))
        if response.status_code != 200:
            raise error_for_http_status(response.status_code, self._errors(response))
        guid = self._text_field(self._object(response, "the submission"), "guid", "the submission")
        return Receipt(guid, document.idempotency_key, None)

    def status(self, message_id: str) -> DeliveryStatus:
        if not _GUID.fullmatch(message_id or ""):
            raise TransportError(msg("storecove.bad_guid", id=message_id))
        if message_id in self._events:
            return self._events[message_id]
        response = self._request("GET", f"/document_submissions/{message_id}/evidence/sending")
        if response.status_code == 404:
            return DeliveryStatus(message_id, DeliveryState.PENDING, "no sending evidence yet")
        if response.status_code != 200:
            raise error_for_http_status(response.status_code, self._errors(response))
        body = self._object(response, "the evidence request")
        evidence = body.get("evidence") or {}
        if not isinstance(evidence, dict):
            raise TransportError(msg("storecove.evidence_not_object"))
        detail = ", ".join(
            f"{k}={evidence[k]}" for k in ("transmission_id", "receiving_accesspoint") if evidence.get(k)
        )
        when = _parse_time(evidence.get("timestamp"))
        network = body.get("network")
        return DeliveryStatus(
            message_id, DeliveryState.DELIVERED, detail or (network if isinstance(network, str) else ""), when
        )

    def fetch_incoming(self) -> list[IncomingDocument]:
        # GET answers the head of the queue until it is deleted: take non-document events off the
        # queue (remembering sending outcomes for status()) until a document or the end (204).
        for _ in range(100):
            response = self._request("GET", "/webhook_instances/")
            if response.status_code == 204:
                return []
            if response.status_code != 200:
                raise error_for_http_status(response.status_code, self._errors(response))
            instance = self._object(response, "the webhook queue")
            instance_guid = self._text_field(instance, "guid", "the webhook queue")
            body = _load_body(instance.get("body"))
            document_guid = _received_document_guid(body)
            if document_guid:
                return [self._download(instance_guid, document_guid, body)]
            self._remember_event(body)
            self.acknowledge(instance_guid)
        return []

    def _download(self, instance_guid: str, document_guid: str, body: dict[str, Any]) -> IncomingDocument:
        response = self._request("GET", f"/purchase_invoices/{document_guid}/ubl")
        if response.status_code != 200:
            raise error_for_http_status(response.status_code, self._errors(response))
        data = self._object(response, f"purchase invoice {document_guid}")
        ubl = data.get("ubl")
        if not isinstance(ubl, str):
            raise TransportError(msg("storecove.no_ubl", guid=document_guid))
        try:
            content = base64.b64decode(ubl, validate=True)
        except ValueError as exc:
            raise TransportError(msg("storecove.bad_base64", guid=document_guid)) from exc
        if not content:
            raise TransportError(msg("storecove.no_ubl", guid=document_guid))
        return IncomingDocument(
            instance_guid,
            content,
            received_at=None,
            filename=f"{document_guid}.xml",
            metadata={"document_guid": document_guid, "legal_entity_id": str(data.get("legal_entity_id", ""))},
        )

    def _remember_event(self, body: dict[str, Any]) -> None:
        guid = body.get("document_submission_guid") or body.get("guid")
        event = str(body.get("event") or body.get("event_type") or "").lower()
        if not guid or not event:
            return
        if "fail" in event or "error" in event:
            self._events[guid] = DeliveryStatus(guid, DeliveryState.FAILED, str(body.get("details") or event))
        elif "succe" in event or "deliver" in event:
            self._events[guid] = DeliveryStatus(guid, DeliveryState.DELIVERED, event)

    def acknowledge(self, incoming_id: str) -> None:
        if not _GUID.fullmatch(incoming_id or ""):
            raise TransportError(msg("storecove.bad_webhook_guid", id=incoming_id))
        response = self._request("DELETE", f"/webhook_instances/{incoming_id}")
        if response.status_code not in (200, 204, 404):  # 404: already deleted, the goal is reached
            raise error_for_http_status(response.status_code, self._errors(response))

    def close(self) -> None:
        self._client.close()


def _load_body(body: Any) -> dict[str, Any]:
    if isinstance(body, dict):
        return body
    if isinstance(body, str) and body.strip():
        try:
            loaded = json.loads(body)
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}
    return {}


def _received_document_guid(body: dict[str, Any]) -> str | None:
    """The GUID of a received document named by a webhook body, or None. Only GUID-shaped values are
    taken: the value goes into a URL path."""
    event = " ".join(str(body.get(k) or "") for k in ("event_type", "event", "event_group")).lower()
    candidate = None
    if body.get("document_guid") and ("received" in event or not event):
        candidate = body["document_guid"]
    elif body.get("guid") and ("received" in event or "purchase_invoice" in event or "incoming" in event):
        candidate = body["guid"]
    if isinstance(candidate, str) and _GUID.fullmatch(candidate):
        return candidate
    return None


def _parse_time(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
