"""The folder and SFTP channels (against a real SFTP server on 127.0.0.1) and the allocation rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nofaktura.bank.channel import FolderSource, SftpSource, parse_host_key
from nofaktura.bank.matching import OVERPAID, PAID, PARTIAL, OpenItem, allocate
from nofaktura.bank.testing import local_sftp_server
from nofaktura.exceptions import AuthenticationFailed, ServiceUnavailable, TransportError

D = Decimal


def test_folder_source_lists_reads_and_moves_done_files(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"B")
    (tmp_path / "a.txt").write_bytes(b"A")
    (tmp_path / ".hidden").write_bytes(b"x")
    source = FolderSource(tmp_path)
    assert sorted(source.names()) == ["a.txt", "b.txt"]
    assert source.read("a.txt") == b"A"
    source.done("a.txt")
    (tmp_path / "a.txt").write_bytes(b"A again")
    source.done("a.txt")
    assert source.names() == ["b.txt"]
    assert sorted(p.name for p in (tmp_path / "processed").iterdir()) == ["a.txt", "a.txt.1"]
    with pytest.raises(TransportError):
        source.read("../etc/passwd")
    with pytest.raises(TransportError, match="does not exist"):
        FolderSource(tmp_path / "nope")


def test_sftp_source_against_a_local_server(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ocr1.txt").write_bytes(b"NY000010...")
    with local_sftp_server(tmp_path) as server:
        source = SftpSource(server.host, port=server.port, username=server.username, password=server.password,
                            host_key=server.host_key, directory="inbox", timeout=10)  # fmt: skip
        try:
            assert source.names() == ["ocr1.txt"]
            assert source.read("ocr1.txt") == b"NY000010..."
            source.done("ocr1.txt")
            assert source.names() == []
        finally:
            source.close()
        assert (inbox / "processed" / "ocr1.txt").read_bytes() == b"NY000010..."

        with pytest.raises(AuthenticationFailed, match="refused the credentials"):
            SftpSource(server.host, port=server.port, username=server.username, password="wrong",
                       host_key=server.host_key, timeout=10)  # fmt: skip
        other_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
        with pytest.raises(AuthenticationFailed, match="different host key"):
            SftpSource(server.host, port=server.port, username=server.username, password=server.password,
                       host_key=other_key, timeout=10)  # fmt: skip


def test_sftp_server_unreachable():
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    with pytest.raises(ServiceUnavailable):
        SftpSource("127.0.0.1", port=1, username="u", password="p", host_key=key, timeout=2)


def test_host_key_must_be_an_openssh_line():
    with pytest.raises(TransportError):
        parse_host_key("not a key")


ITEMS = [
    OpenItem("new", D("300.00"), datetime.date(2026, 3, 1), datetime.date(2026, 2, 1)),
    OpenItem("old", D("200.00"), datetime.date(2026, 2, 1), datetime.date(2026, 1, 1)),
]


def test_exact_payment_pays_everything():
    result = allocate(D("500.00"), ITEMS)
    assert result.outcome == PAID and result.settled == [("old", D("200.00")), ("new", D("300.00"))]
    assert result.write_off == 0 and result.left_open == 0


def test_partial_payment_settles_the_oldest_first():
    result = allocate(D("250.00"), ITEMS)
    assert result.outcome == PARTIAL
    assert result.settled == [("old", D("200.00")), ("new", D("50.00"))]


def test_overpayment_leaves_the_rest_open():
    result = allocate(D("520.00"), ITEMS)
    assert result.outcome == OVERPAID and result.left_open == D("20.00")


@pytest.mark.parametrize(("amount", "write_off"), [("499.50", "0.50"), ("500.99", "-0.99"), ("499.00", "1.00")])
def test_tolerance_writes_off_small_differences(amount, write_off):
    result = allocate(D(amount), ITEMS, tolerance=D("1.00"))
    assert result.outcome == PAID and result.write_off == D(write_off)


def test_beyond_tolerance_is_partial():
    assert allocate(D("498.99"), ITEMS, tolerance=D("1.00")).outcome == PARTIAL


def test_refused_inputs():
    with pytest.raises(ValueError, match="positive"):
        allocate(D("-1"), ITEMS)
    with pytest.raises(ValueError, match="no open item"):
        allocate(D("1"), [])
    with pytest.raises(ValueError, match="negative"):
        allocate(D("1"), ITEMS, tolerance=D("-1"))


def test_folder_deliver_writes_whole_files_and_never_overwrites(tmp_path):
    source = FolderSource(tmp_path)
    path = source.deliver("pain001-PAY1.xml", b"<Document/>")
    assert (tmp_path / "outbox" / "pain001-PAY1.xml").read_bytes() == b"<Document/>"
    assert path.endswith("outbox/pain001-PAY1.xml")
    assert not list((tmp_path / "outbox").glob(".*"))  # no part file left
    assert source.names() == []  # the outbox is not an incoming file
    with pytest.raises(TransportError, match="never overwritten"):
        source.deliver("pain001-PAY1.xml", b"other")
    assert (tmp_path / "outbox" / "pain001-PAY1.xml").read_bytes() == b"<Document/>"
    for bad in ("../x.xml", ".hidden", ""):
        with pytest.raises(TransportError, match="plain"):
            source.deliver(bad, b"x")


def test_sftp_deliver_uploads_to_the_outbox(tmp_path):
    with local_sftp_server(tmp_path) as server:
        source = SftpSource(server.host, port=server.port, username=server.username, password=server.password,
                            host_key=server.host_key, timeout=10)  # fmt: skip
        try:
            source.deliver("pain001-PAY2.xml", b"<Document>2</Document>", directory="to-bank")
            with pytest.raises(TransportError, match="never overwritten"):
                source.deliver("pain001-PAY2.xml", b"again", directory="to-bank")
        finally:
            source.close()
    assert (tmp_path / "to-bank" / "pain001-PAY2.xml").read_bytes() == b"<Document>2</Document>"
    assert sorted(p.name for p in (tmp_path / "to-bank").iterdir()) == ["pain001-PAY2.xml"]
