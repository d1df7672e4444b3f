"""A fake Digipost API for tests and benchmarks, built from the same public documentation as the client.

Why in the library (like :mod:`nofaktura.bank.testing`): the Odoo addon's tests and the benchmark need the
same fake. It is an ``httpx`` handler (``FakeDigipost(...).transport`` is an ``httpx.MockTransport``), so
no socket is opened and nothing can reach the real service.

What it checks on every request, as Digipost does (NOTES.md "Request headers", "Canonical string"):

- ``X-Digipost-UserId`` names a registered sender, ``Date`` is an HTTP date within the 5-minute window,
  ``X-Content-SHA256`` is the hash of the body, and ``X-Digipost-Signature`` verifies with the sender's
  *public* key over a canonical string this module builds **itself** (not with the client's function, so a
  shared mistake cannot pass unseen); a bad signature answers 403 with the expected canonical string between
  ``===START===`` and ``===SLUTT===``, as Digipost does;
- the message and identification XML validate against the XSD given (``api_v8.xsd`` + ``datatypes.xsd``);
- the multipart body has the message part first and one part per document whose filename is its UUID; a
  message that may be printed carries only PDFs; a message id is used once.

It answers like Digipost: ``message-delivery`` (DIGIPOST for users, PRINT for non-users with print
details, 404 ``UNKNOWN_RECIPIENT`` otherwise), ``identification-result``, ``document-status``, signed with its
own key whose certificate ``GET /`` publishes. Every answer it builds is validated against the schema too.
Failures can be queued (:meth:`FakeDigipost.fail_next`) to test retries.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree

__all__ = ["FakeDigipost", "ReceivedMessage", "load_schema", "make_test_key", "serve_over_http"]

NS = "http://api.digipost.no/schema/v8"
DT = "http://api.digipost.no/schema/datatypes"
XML = "application/vnd.digipost-v8+xml"


def load_schema(xsd_dir: str | Path) -> etree.XMLSchema:
    """Both Digipost schemas as one validator (a wrapper that imports the two namespaces)."""
    folder = Path(xsd_dir).resolve()
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:nofaktura:wrapper">
      <xsd:import namespace="{NS}" schemaLocation="{(folder / 'api_v8.xsd').as_uri()}"/>
      <xsd:import namespace="{DT}" schemaLocation="{(folder / 'datatypes.xsd').as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=folder.as_uri() + "/"))


def make_test_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _self_signed(key: rsa.RSAPrivateKey, name: str) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(timezone.utc)
    return (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365)).sign(key, hashes.SHA256())
    )  # fmt: skip


@dataclass
class ReceivedMessage:
    message_id: str
    sender: str
    xml: etree._Element
    files: dict[str, bytes]
    channel: str
    status: str
    delivered_at: datetime


@dataclass
class _Failure:
    status: int
    code: str | None
    error_type: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


class _Reject(Exception):  # internal control flow: becomes an <error> answer
    def __init__(self, status: int, code: str, message: str, error_type: str = "CLIENT_DATA") -> None:
        super().__init__(message)
        self.status, self.code, self.text, self.error_type = status, code, message, error_type


class FakeDigipost:
    """The fake service. Register senders with :meth:`register_sender`, recipients with :meth:`add_user`
    (Digipost users) and :meth:`add_person` (known persons without a mailbox); use :attr:`transport`."""

    def __init__(
        self,
        schema: etree.XMLSchema,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        tolerance: timedelta = timedelta(minutes=5),
        print_approved: bool = True,
        sign_answers: bool = True,
    ) -> None:
        self.schema = schema
        self.clock = clock
        self.tolerance = tolerance
        self.print_approved = print_approved
        self.sign_answers = sign_answers
        self._key = make_test_key()
        self.certificate = _self_signed(self._key, "fake Digipost")
        self.senders: dict[str, rsa.RSAPublicKey] = {}
        self.users: dict[str, str] = {}
        self.persons: set[str] = set()
        self.messages: dict[str, ReceivedMessage] = {}
        self.documents: dict[str, tuple[ReceivedMessage, bool]] = {}
        self.requests: list[httpx.Request] = []
        self._failures: list[_Failure] = []
        self.transport = httpx.MockTransport(self)

    # -- set-up ------------------------------------------------------------------------------------------

    def register_sender(self, user_id: int | str, public_key: rsa.RSAPublicKey) -> None:
        self.senders[str(user_id)] = public_key

    def add_user(self, identifier: str, digipost_address: str = "test.person#ABCD") -> None:
        """A Digipost user reachable by ``identifier`` (fødselsnummer, organisation number or address)."""
        self.users[identifier] = digipost_address

    def add_person(self, identifier: str) -> None:
        """A person Digipost can identify who has no mailbox (identification answers IDENTIFIED)."""
        self.persons.add(identifier)

    def fail_next(self, status: int, code: str | None = None, error_type: str = "SERVER", *,
                  body: bytes | None = None, headers: dict[str, str] | None = None) -> None:  # fmt: skip
        """Answer the next request with this error (or raw ``body``) before looking at it."""
        self._failures.append(_Failure(status, code, error_type, body, headers or {}))

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    # -- the handler -------------------------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request.read()
        path = request.url.path
        if self._failures:
            failure = self._failures.pop(0)
            if failure.body is None:
                error = self._error_xml(failure.code or "SERVER_ERROR", "injected failure", failure.error_type)
                return self._answer(failure.status, path, error)
            response = httpx.Response(failure.status, content=failure.body, headers=failure.headers)
            return self._sign(response, path)
        try:
            self._authenticate(request)
            if request.method == "GET" and path == "/":
                return self._answer(200, path, self._entrypoint())
            if request.method == "POST" and path == "/identification":
                return self._answer(200, path, self._identify(request))
            if request.method == "POST" and path == "/messages":
                return self._answer(200, path, self._send(request))
            match = re.fullmatch(r"/documents/(\d+)/([0-9a-f-]{36})/status", path)
            if request.method == "GET" and match:
                return self._answer(200, path, self._status(match.group(1), match.group(2)))
            raise _Reject(404, "GENERAL_ERROR", "no such resource", "CLIENT_TECHNICAL")
        except _Reject as reject:
            return self._answer(reject.status, path, self._error_xml(reject.code, reject.text, reject.error_type))

    # -- security ----------------------------------------------------------------------------------------

    @staticmethod
    def expected_canonical(request: httpx.Request) -> str:
        """The canonical string as the security documentation writes it, built independently of the client."""
        h = request.headers
        out = request.method.upper() + "\n" + request.url.path.lower() + "\n"
        out += "date: " + h.get("date", "") + "\n"
        if request.content:
            out += "x-content-sha256: " + h.get("x-content-sha256", "") + "\n"
        out += "x-digipost-userid: " + h.get("x-digipost-userid", "") + "\n"
        out += request.url.query.decode("ascii").lower() + "\n"
        return out

    def _authenticate(self, request: httpx.Request) -> None:
        h = request.headers
        for name in ("date", "x-digipost-userid", "x-digipost-signature"):
            if not h.get(name):
                raise _Reject(400, "MISSING_HEADER", f"missing header {name}", "CLIENT_TECHNICAL")
        public_key = self.senders.get(h["x-digipost-userid"])
        if public_key is None:
            raise _Reject(403, "MISSING_CERTIFICATE", "no certificate is registered for this sender", "CONFIGURATION")
        try:
            sent = parsedate_to_datetime(h["date"])
        except (TypeError, ValueError, IndexError):
            sent = None
        if sent is None or sent.tzinfo is None or not h["date"].endswith("GMT"):
            raise _Reject(400, "DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL", "the Date header is not an RFC 1123 date",
                          "CLIENT_TECHNICAL")  # fmt: skip
        if abs(sent - self.clock()) > self.tolerance:
            raise _Reject(400, "DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL", "the Date header is outside the window",
                          "CLIENT_TECHNICAL")  # fmt: skip
        if request.content:
            digest = base64.b64encode(hashlib.sha256(request.content).digest()).decode()
            if h.get("x-content-sha256") != digest:
                raise _Reject(400, "INVALID_SHA256", "X-Content-SHA256 does not match the body", "CLIENT_TECHNICAL")
        canonical = self.expected_canonical(request)
        try:
            public_key.verify(base64.b64decode(h["x-digipost-signature"], validate=True), canonical.encode(),
                              padding.PKCS1v15(), hashes.SHA256())  # fmt: skip
        except (InvalidSignature, ValueError) as exc:
            raise _Reject(403, "INVALID_SIGNATURE", f"invalid signature ===START==={canonical}===SLUTT===",
                          "CLIENT_TECHNICAL") from exc  # fmt: skip

    def _sign(self, response: httpx.Response, path: str) -> httpx.Response:
        if not self.sign_answers:
            return response
        date = format_datetime(self.clock().astimezone(timezone.utc), usegmt=True)
        response.headers["Date"] = date
        canonical = f"{response.status_code}\n{path.lower()}\ndate: {date}\n"
        if response.content:
            digest = base64.b64encode(hashlib.sha256(response.content).digest()).decode()
            response.headers["X-Content-SHA256"] = digest
            canonical += f"x-content-sha256: {digest}\n"
        signature = self._key.sign(canonical.encode(), padding.PKCS1v15(), hashes.SHA256())
        response.headers["X-Digipost-Signature"] = base64.b64encode(signature).decode()
        return response

    def _answer(self, status: int, path: str, root: etree._Element) -> httpx.Response:
        if not self.schema.validate(root):  # the fake must answer what the schema allows
            raise AssertionError(f"fake Digipost built an invalid answer: {self.schema.error_log}")
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return self._sign(httpx.Response(status, content=body, headers={"Content-Type": XML}), path)

    # -- resources ---------------------------------------------------------------------------------------

    @staticmethod
    def _e(parent: etree._Element | None, name: str, text: str | None = None) -> etree._Element:
        node = etree.Element(f"{{{NS}}}{name}", nsmap={None: NS}) if parent is None else etree.SubElement(
            parent, f"{{{NS}}}{name}")
        if text is not None:
            node.text = text
        return node

    def _error_xml(self, code: str, message: str, error_type: str) -> etree._Element:
        root = self._e(None, "error")
        self._e(root, "error-code", code)
        self._e(root, "error-message", message)
        self._e(root, "error-type", error_type)
        return root

    def _entrypoint(self) -> etree._Element:
        root = self._e(None, "entrypoint")
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        self._e(root, "certificate", base64.b64encode(der).decode())
        for rel, uri in (("create_message", "/messages"), ("identify_recipient", "/identification")):
            link = self._e(root, "link")
            link.set("rel", f"https://api.digipost.no/relations/{rel}")
            link.set("uri", uri)
            link.set("media-type", XML)
        return root

    def _validated(self, data: bytes, expected: str) -> etree._Element:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise _Reject(400, "SCHEMA_VALIDATION_ERROR", f"not XML: {exc}", "CLIENT_TECHNICAL") from exc
        if root.tag != f"{{{NS}}}{expected}" or not self.schema.validate(root):
            raise _Reject(400, "SCHEMA_VALIDATION_ERROR", str(self.schema.error_log.last_error), "CLIENT_TECHNICAL")
        return root

    @staticmethod
    def _identifier(node: etree._Element) -> str:
        for name in ("personal-identification-number", "organisation-number", "digipost-address"):
            text = node.findtext(f"{{{NS}}}{name}")
            if text:
                return text
        na = node.find(f"{{{NS}}}name-and-address")
        if na is not None:
            return "|".join((na.findtext(f"{{{NS}}}fullname") or "", na.findtext(f"{{{NS}}}postalcode") or ""))
        return ""

    def _identify(self, request: httpx.Request) -> etree._Element:
        if request.headers.get("content-type", "").split(";")[0] != XML:
            raise _Reject(415, "GENERAL_ERROR", "unsupported media type", "CLIENT_TECHNICAL")
        identifier = self._identifier(self._validated(request.content, "identification"))
        root = self._e(None, "identification-result")
        if identifier in self.users:
            self._e(root, "result", "DIGIPOST")
            self._e(root, "digipost-address", self.users[identifier])
        elif identifier in self.persons:
            self._e(root, "result", "IDENTIFIED")
        else:
            self._e(root, "result", "UNIDENTIFIED")
            self._e(root, "unidentified-reason", "NOT_FOUND")
        return root

    @staticmethod
    def _parts(request: httpx.Request) -> list[tuple[dict[str, str], bytes]]:
        content_type = request.headers.get("content-type", "")
        match = re.fullmatch(r'multipart/vnd\.digipost-v8\+xml;\s*boundary="?([^";]+)"?', content_type)
        if not match:
            raise _Reject(415, "GENERAL_ERROR", "expected multipart/vnd.digipost-v8+xml", "CLIENT_TECHNICAL")
        delimiter = b"--" + match.group(1).encode()
        chunks = request.content.split(delimiter)
        if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
            raise _Reject(400, "GENERAL_ERROR", "malformed multipart body", "CLIENT_TECHNICAL")
        parts = []
        for chunk in chunks[1:-1]:
            head, sep, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
            if not sep or not data.endswith(b"\r\n"):
                raise _Reject(400, "GENERAL_ERROR", "malformed multipart part", "CLIENT_TECHNICAL")
            headers = {}
            for line in head.decode("ascii").split("\r\n"):
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            parts.append((headers, data[:-2]))
        return parts

    def _send(self, request: httpx.Request) -> etree._Element:
        parts = self._parts(request)
        names = []
        for headers, _data in parts:
            found = re.search(r'filename="?([^";]+)"?', headers.get("content-disposition", ""))
            if not found:
                raise _Reject(400, "MISSING_BODYPART_FILENAME", "a body part has no filename", "CLIENT_DATA")
            names.append(found.group(1))
        if names[0] != "message" or parts[0][0].get("content-type") != XML:
            raise _Reject(400, "GENERAL_ERROR", "the first part must be the message XML", "CLIENT_TECHNICAL")
        message = self._validated(parts[0][1], "message")
        message_id = message.findtext(f"{{{NS}}}message-id") or ""
        if message_id and message_id in self.messages:
            raise _Reject(409, "DUPLICATE_MESSAGE", "a message with this id was sent before", "CLIENT_DATA")
        docs = [*message.iterchildren(f"{{{NS}}}primary-document", f"{{{NS}}}attachment")]
        uuids = [d.findtext(f"{{{NS}}}uuid") for d in docs]
        files = {name: data for name, (_h, data) in zip(names[1:], parts[1:], strict=True)}
        if sorted(uuids) != sorted(names[1:]) or len(files) != len(names) - 1:  # type: ignore[type-var]
            raise _Reject(400, "DOCUMENTS_AND_FILES_MISMATCH", "documents and files do not match", "CLIENT_DATA")
        if any(u in self.documents for u in uuids):
            raise _Reject(409, "DUPLICATE_DOCUMENT_ID", "a document with this uuid was sent before", "CLIENT_DATA")
        if any(not (d.findtext(f"{{{NS}}}subject") or "").strip() for d in docs):
            raise _Reject(400, "MISSING_SUBJECT", "a document has no subject", "CLIENT_DATA")
        recipient = message.find(f"{{{NS}}}recipient")
        if recipient is None:  # required by the schema, which was checked
            raise _Reject(400, "SCHEMA_VALIDATION_ERROR", "no recipient", "CLIENT_TECHNICAL")
        fallback = recipient.find(f"{{{NS}}}print-details") is not None
        if_unread = message.find(f"{{{NS}}}print-if-unread") is not None
        if (fallback or if_unread) and not self.print_approved:
            raise _Reject(403, "NOT_APPROVED_FOR_PRINT", "the sender has no print agreement", "CONFIGURATION")
        if (fallback or if_unread) and any(not data.startswith(b"%PDF-") for data in files.values()):
            raise _Reject(400, "CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF", "print needs PDF", "CLIENT_DATA")
        identifier = self._identifier(recipient)
        if identifier in self.users:
            channel, status = "DIGIPOST", "DELIVERED"
        elif fallback:
            channel, status = "PRINT", "DELIVERED_TO_PRINT"
        else:
            raise _Reject(404, "UNKNOWN_RECIPIENT", "The recipient does not have a Digipost account.", "CLIENT_DATA")
        sender = message.findtext(f"{{{NS}}}sender-id") or request.headers["x-digipost-userid"]
        received = ReceivedMessage(message_id, sender, message, files, channel, status, self.clock())
        self.messages[message_id or f"anonymous-{len(self.messages)}"] = received
        for index, uuid in enumerate(uuids):
            self.documents[uuid] = (received, index == 0)  # type: ignore[index]
        root = self._e(None, "message-delivery")
        if message_id:
            self._e(root, "message-id", message_id)
        self._e(root, "delivery-method", channel)
        self._e(root, "sender-id", sender)
        self._e(root, "status", status)
        self._e(root, "delivery-time", received.delivered_at.isoformat())
        for doc in docs:
            copy = self._e(root, etree.QName(doc).localname)
            for name in ("uuid", "subject", "file-type", "authentication-level", "sensitivity-level"):
                text = doc.findtext(f"{{{NS}}}{name}")
                if text is not None:
                    self._e(copy, name, text)
            digest = base64.b64encode(hashlib.sha256(files[doc.findtext(f"{{{NS}}}uuid")]).digest()).decode()
            self._e(copy, "content-hash", digest).set("hash-algorithm", "SHA256")
        return root

    def _status(self, sender: str, uuid: str) -> etree._Element:
        found = self.documents.get(uuid)
        if found is None or found[0].sender != sender:
            raise _Reject(404, "GENERAL_ERROR", "no such document", "CLIENT_DATA")
        received, primary = found
        root = self._e(None, "document-status")
        root.set("uuid", uuid)
        root.set("sender-id", sender)
        root.set("status", "DELIVERED")
        root.set("created", received.delivered_at.isoformat())
        root.set("delivered", received.delivered_at.isoformat())
        root.set("read", "N")
        root.set("channel", received.channel)
        root.set("is-primary-document", "true" if primary else "false")
        return root


@contextlib.contextmanager
def serve_over_http(fake: FakeDigipost) -> Iterator[str]:
    """Serve ``fake`` on a real socket at 127.0.0.1 (ephemeral port) and yield its base URL.

    For tests that must go through httpx's real network stack (or a process that cannot take an httpx
    transport); the checks and answers are the same as with :attr:`FakeDigipost.transport`.
    """

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = httpx.Request(self.command, f"http://{self.headers.get('Host')}{self.path}",
                                    headers=list(self.headers.items()), content=body)  # fmt: skip
            response = fake(request)
            self.send_response_only(response.status_code)  # no second Date header: ours is signed
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = _handle

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="fake-digipost", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
