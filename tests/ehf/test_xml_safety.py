"""Hostile and unusable XML is refused by nofaktura.xml with a clear error, and never reaches out.

External entities are proven not to be *opened*, not merely not to be shown: the "secret file" is a
named pipe (opening a FIFO for reading blocks until a writer appears, so a parser that tried would
hang and the test sees a reader waiting), and the "remote" entity points at a local socket that
records every connection.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
from pathlib import Path

import pytest

from nofaktura import xml as safe_xml
from nofaktura.exceptions import DocumentError, UnsafeDocument
from nofaktura.xml import (
    UBL_ROOTS,
    expect_root,
    load_ubl,
    parse_untrusted,
    parse_untrusted_file,
    unwrap_sbdh,
)

from ..conftest import CORPORA

NORWEGIAN = CORPORA / "peppol-bis-invoice-3" / "rules" / "national-examples" / "NO" / "Norwegian-example-1.xml"
CREDIT_NOTE = CORPORA / "peppol-bis-invoice-3" / "rules" / "examples" / "base-creditnote-correction.xml"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol9;</Invoice>
"""


_PRESCAN = safe_xml.declares_doctype  # the real one, before the fixture below replaces it


@pytest.fixture(autouse=True, params=["prescan", "parser-only"])
def layer(request, monkeypatch):
    """Run every test twice: with the DOCTYPE pre-scan, and with only the hardened parser behind it.

    Defence in depth: if the pre-scan ever misses a DOCTYPE (an encoding it does not decode), the
    parser settings and the post-parse checks must still refuse the document without side effects.
    """
    if request.param == "parser-only":
        monkeypatch.setattr(safe_xml, "declares_doctype", lambda data: False)
    return request.param


# -- entity expansion and DTDs -----------------------------------------------------------------


def test_billion_laughs_is_refused_without_expansion():
    with pytest.raises(DocumentError) as caught:
        parse_untrusted(BILLION_LAUGHS, source="lol.xml")
    message = str(caught.value)
    assert message.startswith("lol.xml")
    assert "lollol" not in message


def test_billion_laughs_is_refused_by_load_ubl_too():
    with pytest.raises(DocumentError):
        load_ubl(BILLION_LAUGHS, "lol.xml")


def test_doctype_in_utf16_is_refused():
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    with pytest.raises(UnsafeDocument, match="DOCTYPE"):
        parse_untrusted(data.encode("utf-16"))


def test_doctype_after_comments_and_bom_is_refused():
    data = b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a <comment> -->\n<?pi x?><!DOCTYPE r><r/>'
    with pytest.raises(UnsafeDocument, match="DOCTYPE"):
        parse_untrusted(data)


def test_doctype_word_in_ordinary_text_is_not_refused():
    data = b"<r><![CDATA[<!DOCTYPE html>]]> and &lt;!DOCTYPE&gt;</r>"
    assert parse_untrusted(data).getroot().text.startswith("<!DOCTYPE")


def test_quadratic_blowup_in_an_attribute_is_refused():
    payload = b"A" * 10_000
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + payload + b'">]><r x="' + b"&a;" * 1000 + b'"/>'
    with pytest.raises(DocumentError) as caught:
        parse_untrusted(data)
    assert payload[:100] not in str(caught.value).encode()


def test_plain_internal_dtd_is_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ELEMENT Invoice ANY>]><Invoice/>'
    with pytest.raises(UnsafeDocument, match="DTD"):
        parse_untrusted(data)


def test_external_dtd_reference_is_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/x.dtd"><Invoice/>'
    with pytest.raises(UnsafeDocument, match="DTD"):
        parse_untrusted(data)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "secret"
    os.mkfifo(path)
    return path


def _someone_is_reading(path: Path) -> bool:
    """Opening a FIFO for writing without blocking fails with ENXIO when nobody has it open to read."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            return False
        raise
    os.write(fd, b"x")  # unblock the reader so the thread can finish
    os.close(fd)
    return True


def _parse_in_thread(data: bytes) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            parse_untrusted(data, source="xxe.xml")
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=5)
    return thread, errors


@pytest.mark.parametrize("where", ["element", "attribute-default", "parameter-entity"])
def test_external_file_entity_is_never_opened(fifo: Path, where: str):
    url = fifo.as_uri()
    documents = {
        "element": f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{url}">]><r>&xxe;</r>',
        "attribute-default": f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{url}"><!ATTLIST r a CDATA "&xxe;">]><r/>',
        "parameter-entity": f'<!DOCTYPE r [<!ENTITY % xxe SYSTEM "{url}"> %xxe;]><r/>',
    }
    thread, errors = _parse_in_thread(documents[where].encode())
    opened = _someone_is_reading(fifo)
    thread.join(timeout=5)
    assert not opened, "the parser opened the external entity file"
    assert not thread.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], DocumentError)
    assert str(errors[0]).startswith("xxe.xml")


@pytest.fixture
def listener():
    """A local TCP server that records whether anybody connected."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    connections: list[tuple[str, int]] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except OSError:
                continue
            connections.append(addr)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.mark.parametrize(
    "template",
    [
        '<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/secret">]><r>&xxe;</r>',
        '<!DOCTYPE r [<!ENTITY % xxe SYSTEM "http://127.0.0.1:{port}/evil.dtd"> %xxe;]><r/>',
        '<!DOCTYPE r SYSTEM "http://127.0.0.1:{port}/evil.dtd"><r/>',
        '<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://127.0.0.1:{port}/x"/></r>',
    ],
)
def test_network_is_never_contacted(listener, template: str):
    port, connections = listener
    data = template.format(port=port).encode()
    try:
        tree = parse_untrusted(data)
    except DocumentError:
        tree = None
    if tree is not None:
        # XInclude is not processed by parsing; the element stays an inert element.
        assert tree.getroot().tag == "r"
    assert connections == []


# -- size, depth, junk ---------------------------------------------------------------------------


def test_document_over_the_size_limit_is_refused_before_parsing():
    data = b"<Invoice>" + b" " * 2000 + b"</Invoice>"
    with pytest.raises(UnsafeDocument, match="more than the limit of 1000 bytes"):
        parse_untrusted(data, max_bytes=1000, source="big.xml")
    with pytest.raises(UnsafeDocument):
        load_ubl(data, "big.xml", max_bytes=1000)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.xml"
    path.write_bytes(b"<a>" + b"x" * 5000 + b"</a>")
    with pytest.raises(UnsafeDocument, match=str(path)):
        parse_untrusted_file(path, max_bytes=1000)


def test_size_limit_is_configurable_upwards():
    data = b"<a>" + b"x" * 5000 + b"</a>"
    assert parse_untrusted(data, max_bytes=10_000).getroot().tag == "a"


def test_deep_nesting_beyond_our_limit_is_refused():
    data = b"<a>" * 60 + b"</a>" * 60
    with pytest.raises(UnsafeDocument, match="deeper than 50"):
        parse_untrusted(data, max_depth=50, source="deep.xml")


def test_depth_limit_is_exact():
    assert parse_untrusted(b"<a>" * 50 + b"</a>" * 50, max_depth=50).getroot().tag == "a"
    with pytest.raises(UnsafeDocument, match="deeper than 50"):
        parse_untrusted(b"<a>" * 51 + b"</a>" * 51, max_depth=50)


def test_deep_nesting_beyond_libxml2_limit_is_refused():
    data = b"<a>" * 5000 + b"</a>" * 5000
    with pytest.raises(UnsafeDocument):
        parse_untrusted(data)


def test_non_xml_is_a_clear_document_error():
    with pytest.raises(DocumentError, match=r"^notes\.txt, line 1: not well-formed XML") as caught:
        parse_untrusted(b"Dette er ikke XML, bare tekst.", source="notes.txt")
    assert not isinstance(caught.value, UnsafeDocument)


def test_pdf_given_as_ehf_is_a_clear_document_error():
    with pytest.raises(DocumentError, match="not well-formed XML"):
        load_ubl(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "faktura.pdf")


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_file_is_a_clear_document_error(data: bytes):
    with pytest.raises(DocumentError, match=r"^empty\.xml: the file is empty$"):
        load_ubl(data, "empty.xml")


def test_text_instead_of_bytes_is_a_type_error():
    with pytest.raises(TypeError):
        parse_untrusted("<a/>")  # type: ignore[arg-type]


# -- roots and the SBDH envelope ----------------------------------------------------------------


def test_wrong_root_names_file_and_root():
    data = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>'
    with pytest.raises(DocumentError) as caught:
        load_ubl(data, "kontoutskrift.xml")
    message = str(caught.value)
    assert message.startswith("kontoutskrift.xml: ")
    assert "Document (namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.02)" in message
    assert "Invoice" in message and "CreditNote" in message


def test_invoice_without_namespace_is_the_wrong_root():
    with pytest.raises(DocumentError, match=r"found Invoice$"):
        load_ubl(b"<Invoice><ID>1</ID></Invoice>", "x.xml")


def test_expect_root_accepts_an_allowed_root():
    tree = parse_untrusted(NORWEGIAN.read_bytes())
    assert expect_root(tree, UBL_ROOTS).tag.endswith("}Invoice")
    assert expect_root(tree.getroot(), UBL_ROOTS).tag.endswith("}Invoice")


def test_load_ubl_reports_invoice_and_credit_note():
    root, kind = load_ubl(NORWEGIAN.read_bytes(), str(NORWEGIAN))
    assert kind == "Invoice"
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    _, kind = load_ubl(CREDIT_NOTE.read_bytes())
    assert kind == "CreditNote"


def _wrap_in_sbdh(document: bytes) -> bytes:
    body = document.split(b"?>", 1)[1] if document.lstrip().startswith(b"<?xml") else document
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">'
        b"<StandardBusinessDocumentHeader><HeaderVersion>1.0</HeaderVersion>"
        b'<Sender><Identifier Authority="iso6523-actorid-upis">0192:123456785</Identifier></Sender>'
        b'<Receiver><Identifier Authority="iso6523-actorid-upis">0192:987654325</Identifier></Receiver>'
        b"<DocumentIdentification><Standard>urn:oasis:names:specification:ubl:schema:xsd:Invoice-2</Standard>"
        b"<TypeVersion>2.1</TypeVersion><InstanceIdentifier>1</InstanceIdentifier><Type>Invoice</Type>"
        b"<CreationDateAndTime>2026-01-01T00:00:00</CreationDateAndTime></DocumentIdentification>"
        b"</StandardBusinessDocumentHeader>" + body + b"</StandardBusinessDocument>"
    )


def test_sbdh_envelope_is_unwrapped():
    data = _wrap_in_sbdh(NORWEGIAN.read_bytes())
    root, kind = load_ubl(data, "sbd.xml")
    assert kind == "Invoice"
    assert root.findtext("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID") == "TOSL108"


def test_unwrap_sbdh_returns_a_bare_root_itself():
    tree = parse_untrusted(NORWEGIAN.read_bytes())
    assert unwrap_sbdh(tree) is tree.getroot()


def test_sbdh_with_no_payload_is_refused():
    data = (
        b'<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">'
        b"<StandardBusinessDocumentHeader/></StandardBusinessDocument>"
    )
    with pytest.raises(DocumentError, match="holds 0 documents"):
        load_ubl(data, "sbd.xml")


def test_sbdh_around_something_else_is_the_wrong_root():
    data = _wrap_in_sbdh(b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>')
    with pytest.raises(DocumentError, match="found Order"):
        load_ubl(data, "sbd.xml")


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (b"<!DOCTYPE a><a/>", True),
        (b'<?xml version="1.0"?>\n<!-- c -->\n<?pi x?> <!DOCTYPE r><r/>', True),
        (b"<!-- <!DOCTYPE x> --><a/>", False),
        (b"<a><![CDATA[<!DOCTYPE]]></a>", False),
        (b"<!-- unterminated", False),
    ],
)
def test_doctype_prescan_reads_only_the_prolog(data: bytes, declared: bool):
    assert _PRESCAN(data) is declared
