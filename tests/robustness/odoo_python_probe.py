"""The file and network attacks of ``test_hostile_xml``, runnable by a Python *without* pytest.

Why: the dev venv's libxml2 (2.14) no longer has an HTTP client, so there a DTD or entity fetched over
``http://`` can never reach the test socket and the network tests prove nothing. Odoo's Python (lxml
4.9 / libxml2 2.10), where the library runs in production, still fetches over HTTP when a parser is
told to. ``test_hostile_xml.test_attacks_under_odoo_python`` runs this file with that interpreter::

    $ODOO_PYTHON tests/robustness/odoo_python_probe.py

and checks what it prints: one JSON object per (reader, attack) plus ``{"harness": ...}``, which
says whether an *unsafe* lxml parser reaches the socket there (so a zero count means something).
"""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from nofaktura.bank import read_camt
from nofaktura.bank.pain002 import read_pain002
from nofaktura.digipost.client import parse_message_delivery
from nofaktura.ehf.reader import read
from nofaktura.ehf.validation import validate
from nofaktura.exceptions import LookupFailed, TransportError, UnsafeDocument
from nofaktura.peppol.ids import ParticipantId
from nofaktura.peppol.lookup import SmpClient
from nofaktura.xml import load_ubl, parse_untrusted


def _smp(data: bytes, source: str) -> Any:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=data))
    with SmpClient(transport=transport) as client:
        try:
            return client.service_group("https://smp.example.no", ParticipantId.parse("0192:987654325"))
        except LookupFailed as exc:
            raise exc.__cause__ or exc  # noqa: B904 - report the document error the lookup wraps


def _digipost(data: bytes, source: str) -> Any:
    try:
        return parse_message_delivery(data, source)
    except TransportError as exc:
        raise exc.__cause__ or exc  # noqa: B904 - report the document error the answer reader wraps


UBL = '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">{body}</Invoice>'
READERS = {
    "xml.parse_untrusted": (lambda d, s: parse_untrusted(d, source=s), UBL),
    "xml.load_ubl": (load_ubl, UBL),
    "ehf.reader.read": (lambda d, s: read(d, source=s), UBL),
    "ehf.validation.validate": (lambda d, s: validate(d, source=s), UBL),
    "bank.read_camt": (
        lambda d, s: read_camt(io.BytesIO(d), s),
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">'
        "<BkToCstmrDbtCdtNtfctn>{body}</BkToCstmrDbtCdtNtfctn></Document>",
    ),
    "bank.pain002.read_pain002": (
        read_pain002,
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>{body}</CstmrPmtStsRpt>'
        "</Document>",
    ),
    "peppol.SmpClient.service_group": (
        _smp, '<ServiceGroup xmlns="http://busdox.org/serviceMetadata/publishing/1.0/">{body}</ServiceGroup>'
    ),
    "digipost.parse_message_delivery": (
        _digipost, '<message-delivery xmlns="http://api.digipost.no/schema/v8">{body}</message-delivery>'
    ),
}  # fmt: skip

#: name -> (doctype, body, must be refused as UnsafeDocument). ``{url}`` is the socket, ``{uri}`` the pipe.
ATTACKS = {
    "http-entity": ('<!DOCTYPE r [<!ENTITY x SYSTEM "{url}/e">]>', "<x>&x;</x>", True),
    "http-parameter-entity": ('<!DOCTYPE r [<!ENTITY % x SYSTEM "{url}/p.dtd"> %x;]>', "<x/>", True),
    "http-external-dtd": ('<!DOCTYPE r SYSTEM "{url}/d.dtd">', "<x/>", True),
    "http-public-dtd": ('<!DOCTYPE r PUBLIC "-//x//y//EN" "{url}/d.dtd">', "<x/>", True),
    "http-xinclude": ("", '<i:include xmlns:i="http://www.w3.org/2001/XInclude" href="{url}/i.xml"/>', False),
    "http-schema-location": (
        "", '<x xmlns:s="http://www.w3.org/2001/XMLSchema-instance" s:schemaLocation="urn:x {url}/s.xsd"/>', False
    ),
    "fifo-entity": ('<!DOCTYPE r [<!ENTITY x SYSTEM "{uri}">]>', "<x>&x;</x>", True),
    "fifo-parameter-entity": ('<!DOCTYPE r [<!ENTITY % x SYSTEM "{uri}"> %x;]>', "<x/>", True),
    "fifo-external-dtd": ('<!DOCTYPE r SYSTEM "{uri}">', "<x/>", True),
}  # fmt: skip
# The same in UTF-16, which byte-level DOCTYPE sniffers do not see: only the parser settings stand guard.
ATTACKS.update({f"utf16-{name}": attack for name, attack in list(ATTACKS.items()) if attack[2]})


class Socket:
    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(32)
        self.server.setblocking(False)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.server.accept()
            except (BlockingIOError, InterruptedError):
                return count
            conn.close()  # also lets a parser blocked on the answer go on
            count += 1


def fifo_opened(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            return False
        raise
    os.close(fd)
    return True


def guarded(func: Any, timeout: float = 3.0) -> dict[str, Any]:
    outcome: dict[str, Any] = {"finished": False, "error": None, "unsafe": False}

    def target() -> None:
        try:
            func()
        except BaseException as exc:
            outcome["error"] = type(exc).__name__
            outcome["unsafe"] = isinstance(exc, UnsafeDocument)
        outcome["finished"] = True

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    return outcome


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="nofaktura-probe-"))
    listener = Socket()
    unsafe = etree.XMLParser(resolve_entities=True, no_network=False, load_dtd=True)
    guarded(lambda: etree.fromstring(f'<!DOCTYPE r SYSTEM "{listener.url}/d.dtd"><r/>'.encode(), unsafe))
    print(json.dumps({"harness": {"unsafe_parser_connects": listener.connections() > 0,
                                  "lxml": etree.LXML_VERSION, "libxml2": etree.LIBXML_VERSION}}))  # fmt: skip
    for name, (call, shell) in READERS.items():
        for attack, (doctype, body, must_refuse) in ATTACKS.items():
            pipe = folder / f"{name}-{attack}.fifo"
            os.mkfifo(pipe)
            text = doctype.format(url=listener.url, uri=pipe.as_uri()) + shell.format(
                body=body.format(url=listener.url, uri=pipe.as_uri())
            )
            data = text.encode()
            if attack.startswith("utf16-"):
                data = ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")
            outcome = guarded(lambda data=data, call=call: call(data, "hostile.xml"))
            outcome.update(reader=name, attack=attack, must_refuse=must_refuse,
                           connections=listener.connections(), fifo_opened=fifo_opened(pipe))  # fmt: skip
            print(json.dumps(outcome))
    sys.stdout.flush()
    os._exit(0)  # a parser thread stuck on a pipe must not keep the interpreter alive


if __name__ == "__main__":
    main()
