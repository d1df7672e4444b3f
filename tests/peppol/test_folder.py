from __future__ import annotations

import logging
from pathlib import Path

import pytest

from nofaktura.exceptions import AuthenticationFailed, TransportError
from nofaktura.peppol.transports import (
    DeliveryState,
    FolderExchange,
    LocalFilesystem,
    RetryingTransport,
    SftpFilesystem,
)
from nofaktura.peppol.transports.folder import safe_filename

from .conftest import make_document
from .sftp_server import PASSWORD, USER, SftpTestServer


def exercise(exchange: FolderExchange, root: Path) -> None:
    """The same behaviour on every filesystem."""
    doc = make_document("db1/inv 7:v1")
    receipt = exchange.send(doc)
    assert receipt.message_id == safe_filename("db1/inv 7:v1") + ".xml"
    assert (root / "outbox" / receipt.message_id).read_bytes() == doc.content
    assert not [p for p in (root / "outbox").iterdir() if p.name.endswith(".tmp")]
    # idempotency by file name
    again = exchange.send(doc)
    assert again.duplicate and again.message_id == receipt.message_id
    assert exchange.status(receipt.message_id).state is DeliveryState.PENDING
    # the AP picks it up ...
    (root / "outbox" / receipt.message_id).unlink()
    assert exchange.status(receipt.message_id).state is DeliveryState.SENT
    # ... and writes a receipt; a re-send after pickup is still refused by the receipt
    (root / "receipts" / f"{receipt.message_id}.error").write_text("receiver unknown in SMP")
    status = exchange.status(receipt.message_id)
    assert (status.state, status.detail) == (DeliveryState.FAILED, "receiver unknown in SMP")
    assert exchange.send(doc).duplicate
    (root / "receipts" / f"{receipt.message_id}.error").unlink()
    (root / "receipts" / f"{receipt.message_id}.ok").write_text("")
    assert exchange.status(receipt.message_id).state is DeliveryState.DELIVERED

    # receiving
    (root / "inbox" / "b.xml").write_bytes(b"<Invoice>b</Invoice>")
    (root / "inbox" / "a.xml").write_bytes(b"<Invoice>a</Invoice>")
    (root / "inbox" / ".c.xml.tmp").write_bytes(b"half")
    (root / "inbox" / "notes.txt").write_bytes(b"x")
    incoming = exchange.fetch_incoming()
    assert [d.incoming_id for d in incoming] == ["a.xml", "b.xml"]
    assert incoming[0].content == b"<Invoice>a</Invoice>" and incoming[0].received_at is not None
    exchange.acknowledge("a.xml")
    assert [d.incoming_id for d in exchange.fetch_incoming()] == ["b.xml"]
    assert (root / "inbox" / "processed" / "a.xml").exists()
    with pytest.raises(TransportError):
        exchange.acknowledge("../outbox/x.xml")


def test_local_folder(tmp_path):
    with FolderExchange(LocalFilesystem(tmp_path)) as exchange:
        exercise(exchange, tmp_path)


def test_safe_filename_is_injective_and_safe():
    assert safe_filename("a/b") != safe_filename("a_b")
    assert safe_filename("../x").startswith("_")
    assert "/" not in safe_filename("a/../../b")


def test_local_path_cannot_escape(tmp_path):
    fs = LocalFilesystem(tmp_path / "root")
    with pytest.raises(TransportError):
        fs.read("../secret")


def test_unwritable_outbox_is_a_transport_error(tmp_path):
    (tmp_path / "outbox").write_text("not a directory")
    exchange = FolderExchange(LocalFilesystem(tmp_path), create_dirs=False)
    with pytest.raises(TransportError) as info:
        exchange.send(make_document())
    assert info.value.__cause__ is not None


@pytest.fixture(scope="module")
def sftp_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("sftp")
    with SftpTestServer(str(root)) as server:
        yield root, server


def test_sftp_folder_against_a_local_sftp_server(sftp_root, caplog):
    root, server = sftp_root
    caplog.set_level(logging.DEBUG)
    fs = SftpFilesystem(
        host="127.0.0.1", port=server.port, username=USER, password=PASSWORD, host_key=server.host_key, root="."
    )
    assert PASSWORD not in repr(fs)
    with RetryingTransport(FolderExchange(fs), attempts=1) as exchange:
        exercise(exchange.inner, root)
    assert PASSWORD not in caplog.text


def test_sftp_wrong_password(sftp_root):
    _root, server = sftp_root
    fs = SftpFilesystem(host="127.0.0.1", port=server.port, username=USER, password="wrong", host_key=server.host_key)
    with pytest.raises(AuthenticationFailed):
        FolderExchange(fs).fetch_incoming()


def test_sftp_unknown_host_key_refused(sftp_root):
    _root, server = sftp_root
    fs = SftpFilesystem(host="127.0.0.1", port=server.port, username=USER, password=PASSWORD)
    with pytest.raises(TransportError):
        FolderExchange(fs).fetch_incoming()
