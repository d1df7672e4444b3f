"""Hostile XML against every XML reader of the library: refused with a typed error, nothing fetched.

The quality bar: "Received XML is hostile until parsed safely: no external entities, no network,
bounded size." Each attack below is fed to every entry point in :data:`readers.XML_READERS` (the UBL
readers, the streaming camt reader and the SMP answer parser), wrapped in the root element that reader
expects, so a reader that skipped :mod:`nofaktura.xml` (or copied its hardening incompletely) shows up
here by name. Every refusal must be a :class:`~nofaktura.exceptions.UnsafeDocument` naming the source;
external files must never be opened (a named pipe proves it) and no TCP connection may be made.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import traceback
from pathlib import Path

import pytest
from lxml import etree

from nofaktura.bank.camt import CamtReader
from nofaktura.bank.channel import MAX_FILE_BYTES
from nofaktura.exceptions import DocumentError, NofakturaError, UnsafeDocument
from nofaktura.xml import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH

from .conftest import SECRET_MARK, Fifo, Listener, Secret, run_guarded
from .readers import SMP_NS, SMP_URL, XML_READERS, ReadBeyondLimit, Reader, smp_service_group, unwrap

SOURCE = "hostile.xml"
#: ``bank.open_reader`` sniffs the first 8 KB for a camt namespace; a document whose DOCTYPE pushes the
#: namespace out of that window (or is UTF-16) is refused before any parsing. That is a safe refusal too.
DETECTION_REFUSAL = "neither a Nets OCR giro file"


def readers_except(xfail: dict[str, str] | None = None) -> list[object]:
    """Every XML reader as a test parameter; the ones named in ``xfail`` carry a strict xfail with the reason."""
    xfail = xfail or {}
    params = []
    for reader in XML_READERS:
        marks = [pytest.mark.xfail(strict=True, reason=xfail[reader.name])] if reader.name in xfail else []
        params.append(pytest.param(reader, id=reader.name, marks=marks))
    return params


def root_name(reader: Reader) -> str:
    return re.match(r"<(\w+)", reader.shell).group(1)  # type: ignore[union-attr]


def document(reader: Reader, body: str, doctype: str = "", prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n'):
    """The bytes of a document with ``reader``'s root around ``body``, after ``doctype``."""
    return (prolog + doctype + reader.shell.format(body=body)).encode("utf-8")


def messages(exc: BaseException) -> str:
    """Every message and traceback line of ``exc`` and its causes, to search for leaked content."""
    return "".join(traceback.format_exception(exc))


def refused(reader: Reader, data: bytes, *, unsafe: bool = True) -> DocumentError:
    """Call ``reader`` and return the DocumentError it refused ``data`` with; fail on anything else."""
    with pytest.raises(NofakturaError) as caught:
        reader.call(data, SOURCE)
    error = unwrap(caught.value)
    assert isinstance(error, DocumentError), f"{reader}: {type(caught.value).__name__}: {caught.value}"
    if unsafe and not (reader.name == "bank.open_reader(camt)" and DETECTION_REFUSAL in str(error)):
        assert isinstance(error, UnsafeDocument), f"{reader}: not UnsafeDocument but {type(error).__name__}: {error}"
    where = SMP_URL if reader.family == "smp" else SOURCE
    assert where in str(error), f"{reader}: the message does not name the source: {error}"
    return error


# -- entity expansion ------------------------------------------------------------------------------------

LAUGHS = "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' if i else '<!ENTITY lol0 "lol">' for i in range(10)
)


@pytest.mark.parametrize("reader", readers_except())
def test_billion_laughs_is_refused_unexpanded(reader: Reader):
    data = document(reader, "<x>&lol9;</x>", f"<!DOCTYPE {root_name(reader)} [{LAUGHS}]>")
    error = refused(reader, data)
    assert "lollol" not in messages(error)


@pytest.mark.parametrize("reader", readers_except())
def test_quadratic_blowup_is_refused(reader: Reader):
    payload = "A" * 20_000
    data = document(reader, f'<x a="{"&a;" * 2000}"/>', f'<!DOCTYPE {root_name(reader)} [<!ENTITY a "{payload}">]>')
    error = refused(reader, data)
    assert payload[:200] not in messages(error)


@pytest.mark.parametrize("reader", readers_except())
def test_undeclared_entity_is_a_document_error(reader: Reader):
    refused(reader, document(reader, "<x>&undeclared;</x>"), unsafe=False)


# -- external entities: a secret file, a named pipe ---------------------------------------------------------

EXTERNAL = {
    "element": ('<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{uri}">]>', "<x>&xxe;</x>"),
    "attribute-default": ('<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{uri}"><!ATTLIST x a CDATA "&xxe;">]>', "<x/>"),
    "parameter-entity": ('<!DOCTYPE {root} [<!ENTITY % xxe SYSTEM "{uri}"> %xxe;]>', "<x/>"),
    "external-dtd": ('<!DOCTYPE {root} SYSTEM "{uri}">', "<x/>"),
    "public-dtd": ('<!DOCTYPE {root} PUBLIC "-//nofaktura//x//EN" "{uri}">', "<x/>"),
}


@pytest.mark.parametrize("where", sorted(EXTERNAL))
@pytest.mark.parametrize("reader", readers_except())
def test_external_file_is_not_disclosed(reader: Reader, where: str, secret: Secret):
    doctype, body = EXTERNAL[where]
    data = document(reader, body, doctype.format(root=root_name(reader), uri=secret.uri))
    error = refused(reader, data)
    assert secret.text not in messages(error)


@pytest.mark.parametrize("where", sorted(EXTERNAL))
@pytest.mark.parametrize("reader", readers_except())
def test_external_file_is_never_opened(reader: Reader, where: str, fifo: Fifo):
    doctype, body = EXTERNAL[where]
    data = document(reader, body, doctype.format(root=root_name(reader), uri=fifo.uri))
    outcome = run_guarded(lambda: reader.call(data, SOURCE), timeout=3)
    opened = fifo.someone_is_reading()
    assert not opened, f"{reader} opened the external entity {fifo.path}"
    assert outcome.finished, f"{reader} hangs"
    assert outcome.error is not None, f"{reader} accepted a DOCTYPE with an external entity"
    error = unwrap(outcome.error)
    assert isinstance(error, UnsafeDocument), f"{reader}: {type(error).__name__}: {error}"
    assert SECRET_MARK not in messages(error)


# -- the network ----------------------------------------------------------------------------------------------

NETWORK = {
    "entity": ('<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{url}/secret">]>', "<x>&xxe;</x>"),
    "parameter-entity": ('<!DOCTYPE {root} [<!ENTITY % xxe SYSTEM "{url}/evil.dtd"> %xxe;]>', "<x/>"),
    "external-dtd": ('<!DOCTYPE {root} SYSTEM "{url}/evil.dtd">', "<x/>"),
    "public-dtd": ('<!DOCTYPE {root} PUBLIC "-//nofaktura//x//EN" "{url}/evil.dtd">', "<x/>"),
}
#: Not DTD features, so no reason to refuse them, but they must stay inert: never fetched.
INERT = {
    "xinclude": '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/x.xml"/>',
    "xinclude-text": '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/x.txt" parse="text"/>',
    "schema-location": '<x xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="urn:x {url}/x.xsd"/>',
}


@pytest.mark.parametrize("attack", sorted(NETWORK))
@pytest.mark.parametrize("reader", readers_except())
def test_network_is_never_contacted_and_dtd_refused(reader: Reader, attack: str, listener: Listener):
    doctype, body = NETWORK[attack]
    data = document(reader, body, doctype.format(root=root_name(reader), url=listener.url))
    outcome = run_guarded(lambda: reader.call(data, SOURCE), timeout=3)
    assert listener.connections() == 0, f"{reader} connected to {listener.url}"
    assert outcome.finished, f"{reader} hangs"
    assert isinstance(unwrap(outcome.error), UnsafeDocument), f"{reader}: {outcome.error!r}"


@pytest.mark.parametrize("attack", sorted(INERT))
@pytest.mark.parametrize("reader", readers_except())
def test_xinclude_and_schema_location_stay_inert(reader: Reader, attack: str, listener: Listener):
    data = document(reader, INERT[attack].format(url=listener.url))
    outcome = run_guarded(lambda: reader.call(data, SOURCE), timeout=3)
    assert listener.connections() == 0, f"{reader} connected to {listener.url}"
    assert outcome.finished, f"{reader} hangs"
    if outcome.error is not None:  # refusing is fine (a UBL reader misses required elements), if typed
        assert isinstance(outcome.error, NofakturaError), f"{reader}: {outcome.error!r}"


@pytest.mark.parametrize("reader", readers_except())
def test_xinclude_of_a_local_file_is_not_processed(reader: Reader, secret: Secret):
    body = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret.uri}" parse="text"/>'
    outcome = run_guarded(lambda: reader.call(document(reader, body), SOURCE), timeout=3)
    assert outcome.finished
    seen = repr(outcome.result) + ("" if outcome.error is None else messages(outcome.error))
    if hasattr(outcome.result, "getroot"):
        seen += etree.tostring(outcome.result).decode()
    assert secret.text not in seen


# -- DOCTYPE in all its disguises -------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", readers_except())
def test_plain_doctype_is_refused(reader: Reader):
    error = refused(reader, document(reader, "<x/>", f"<!DOCTYPE {root_name(reader)}>"))
    assert "DOCTYPE" in str(error)


@pytest.mark.parametrize("reader", readers_except())
def test_internal_dtd_without_entities_is_refused(reader: Reader):
    refused(reader, document(reader, "<x/>", f"<!DOCTYPE {root_name(reader)} [<!ELEMENT x ANY>]>"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("reader", readers_except())
def test_doctype_in_utf16_is_refused(reader: Reader, encoding: str):
    text = (
        f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE {root_name(reader)} [<!ENTITY a "b">]>'
        + reader.shell.format(body="<x>&a;</x>")
    )
    data = text.encode(encoding)
    if encoding != "utf-16":
        data = ("\ufeff" + text).encode(encoding)  # with a byte order mark, as UTF-16 files carry one
    refused(reader, data)


@pytest.mark.parametrize("reader", readers_except())
def test_doctype_after_a_long_prolog_is_refused(reader: Reader):
    """Past the first 64 KB (where a streaming sniffer might stop looking), after comments and a PI."""
    prolog = '<?xml version="1.0"?>\n<!--' + "x" * 70_000 + "-->\n<?pi y?>\n"
    error = refused(reader, document(reader, "<x/>", f"<!DOCTYPE {root_name(reader)}>", prolog=prolog))
    assert "DOCTYPE" in str(error) or DETECTION_REFUSAL in str(error)


# -- size and depth ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", [r for r in readers_except() if r.values[0].family != "camt"])
def test_input_over_the_size_limit_is_refused(reader: Reader):
    data = document(reader, "") + b" " * DEFAULT_MAX_BYTES
    error = refused(reader, data)
    assert "limit" in str(error)


class EndlessStream(io.RawIOBase):
    """A camt message followed by whitespace without end; raises ReadBeyondLimit once ``limit`` bytes are read."""

    def __init__(self, head: bytes, limit: int) -> None:
        self.head, self.limit, self.sent = head, limit, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.sent > self.limit:
            raise ReadBeyondLimit(f"the reader read more than {self.limit} bytes and still goes on")
        size = 1 << 16 if size is None or size < 0 else size
        chunk = self.head[:size] or b" " * size
        self.head = self.head[len(chunk) :] if self.head else b""
        self.sent += len(chunk)
        return chunk


def test_camt_stream_is_not_read_without_bound():
    """A bank file may legitimately be 60 MB (100,000 payments), so the bound is the bank channel's own limit.

    ``EndlessStream`` raises ReadBeyondLimit (and fails the test) if the reader reads past it.
    """
    head = document(XML_READERS[[r.name for r in XML_READERS].index("bank.CamtReader")], "")
    stream = EndlessStream(head, MAX_FILE_BYTES + (1 << 20))
    with pytest.raises(UnsafeDocument):
        list(CamtReader(stream, SOURCE))  # type: ignore[arg-type]


@pytest.mark.parametrize("reader", readers_except())
def test_nesting_deeper_than_the_limit_is_refused(reader: Reader):
    depth = DEFAULT_MAX_DEPTH + 10
    refused(reader, document(reader, "<x>" * depth + "</x>" * depth))


@pytest.mark.parametrize("reader", readers_except())
def test_very_deep_nesting_is_refused(reader: Reader):
    refused(reader, document(reader, "<x>" * 100_000 + "</x>" * 100_000))


@pytest.mark.parametrize("reader", readers_except())
def test_text_node_over_the_parser_limit_is_refused(reader: Reader):
    error = refused(reader, document(reader, "<x>" + "a" * (11 * 1024 * 1024) + "</x>"))
    assert "aaaaaaaaaa" not in str(error)


@pytest.mark.parametrize("reader", readers_except())
def test_too_deep_nesting_is_refused_by_every_reader(reader: Reader):
    """Whatever the error class, a too-deep document is refused by every reader (never half-read)."""
    depth = DEFAULT_MAX_DEPTH + 10
    refused(reader, document(reader, "<x>" * depth + "</x>" * depth), unsafe=False)


def test_smp_answer_is_not_read_past_the_size_limit():
    """A hostile SMP that streams without end is cut off at a bound, not held in memory to the end."""
    chunk = b" " * (1 << 20)
    limit = DEFAULT_MAX_BYTES + len(chunk)

    def endless():
        sent = 0
        yield f'<ServiceGroup xmlns="{SMP_NS}"/>'.encode()
        while True:
            if sent > limit:
                raise ReadBeyondLimit(f"the client read more than {limit} bytes")
            sent += len(chunk)
            yield chunk

    with pytest.raises(NofakturaError) as caught:
        smp_service_group(endless)
    assert isinstance(unwrap(caught.value), UnsafeDocument)


# -- the harness itself, and the interpreter Odoo runs ----------------------------------------------------------

_UNSAFE = Reader(
    "unsafe lxml parser (harness check)",
    "ubl",
    lambda d, s: etree.fromstring(d, etree.XMLParser(resolve_entities=True, no_network=False, load_dtd=True)),
    "<r>{body}</r>",
)


def test_the_harness_sees_a_parser_that_opens_files(fifo: Fifo, secret: Secret):
    """The pipe and the secret file do catch a parser that resolves external entities (else: vacuous tests)."""
    data = document(_UNSAFE, "<x>&xxe;</x>", f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{fifo.uri}">]>')
    run_guarded(lambda: _UNSAFE.call(data, SOURCE), timeout=1)
    assert fifo.someone_is_reading()
    data = document(_UNSAFE, "<x>&xxe;</x>", f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{secret.uri}">]>')
    assert secret.text in etree.tostring(_UNSAFE.call(data, SOURCE)).decode()


def test_the_harness_sees_a_parser_that_fetches_over_http(listener: Listener):
    data = document(_UNSAFE, "<x/>", f'<!DOCTYPE r SYSTEM "{listener.url}/evil.dtd">')
    run_guarded(lambda: _UNSAFE.call(data, SOURCE), timeout=2)
    if listener.connections() == 0:
        pytest.skip(
            f"libxml2 {etree.LIBXML_VERSION} has no HTTP client: here the network tests cannot fail; "
            "test_attacks_under_odoo_python covers them with Odoo's libxml2"
        )


# The Python Odoo runs with, named as for the test runner (ODOO_PYTHON); absent: the probe is skipped.
ODOO_PYTHON = Path(os.environ.get("ODOO_PYTHON") or os.environ.get("NOFAKTURA_ODOO_PYTHON") or "/nonexistent")
PROBE = Path(__file__).with_name("odoo_python_probe.py")


@pytest.mark.skipif(not ODOO_PYTHON.exists(), reason="no Odoo Python named (set ODOO_PYTHON)")
def test_attacks_under_odoo_python():
    """File and network attacks (also in UTF-16) under Odoo's lxml/libxml2, which still has an HTTP client."""
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [str(ODOO_PYTHON), str(PROBE)], capture_output=True, text=True, timeout=180, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    harness, rows = lines[0]["harness"], lines[1:]
    if not harness["unsafe_parser_connects"]:
        pytest.skip(f"libxml2 {harness['libxml2']} of {ODOO_PYTHON} has no HTTP client either")
    assert len(rows) >= 7 * 14, f"the probe stopped early: {len(rows)} results"
    bad = [
        row
        for row in rows
        if row["connections"]
        or row["fifo_opened"]
        or not row["finished"]
        or (row["must_refuse"] and not row["unsafe"])
        or (not row["must_refuse"] and row["error"] not in (None, "DocumentError", "UnsafeDocument"))
    ]
    assert not bad, "\n".join(json.dumps(row) for row in bad)
