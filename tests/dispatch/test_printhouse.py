"""The print-house channel on a local folder and on a real local SFTP server: layout, manifests, and that a
retry never prints twice."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from nofaktura.digipost import ForeignAddress, NorwegianAddress, PostalAddress
from nofaktura.dispatch import ManifestFormat, PrintHouse, PrintHouseConfig, PrintJob
from nofaktura.exceptions import AuthenticationFailed, TransportError, ValidationError
from nofaktura.peppol.transports import LocalFilesystem, SftpFilesystem
from nofaktura.peppol.transports.folder import safe_filename

from ..peppol.sftp_server import PASSWORD, USER, SftpTestServer

#: function-scoped fixtures are fine here (no state between examples); speed is never judged
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

PDF = b"%PDF-1.4\n%fake letter\n%%EOF\n"


def jobs(n: int = 3) -> list[PrintJob]:
    def address(i: int) -> PostalAddress:
        return PostalAddress(f"Kunde {i} AS", NorwegianAddress((f"Storgata {i}", "c/o Ola; Kari"), "0155", "Oslo"))

    out = [PrintJob(f"db1/inv {i}:v1", PDF + str(i).encode(), address(i)) for i in range(n)]
    out.append(PrintJob("abroad", PDF, PostalAddress("Svensk AB", ForeignAddress(("Drottninggatan 1", "Stockholm"),
                                                                                 country_code="SE")),
                        color=True, duplex=False))  # fmt: skip
    return out


class Flaky(LocalFilesystem):
    """Fails the n-th write: a connection lost mid-batch."""

    def __init__(self, root: Path, fail_at: int) -> None:
        super().__init__(root)
        self.writes, self.fail_at = 0, fail_at

    def write(self, path: str, data: bytes) -> None:
        self.writes += 1
        if self.writes == self.fail_at:
            raise ConnectionResetError("connection lost")
        super().write(path, data)


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_batch_layout_and_csv_manifest(tmp_path):
    house = PrintHouse(LocalFilesystem(tmp_path), PrintHouseConfig(directory="out", prefix="K123-"))
    receipt = house.submit("batch 2026-12-03/1", jobs())
    out = tmp_path / "out"
    assert receipt.manifest == "K123-batch_20_2026-12-03_2f_1.csv"
    assert visible(out) == sorted([receipt.manifest, *receipt.files])
    assert receipt.written == 4 and not receipt.duplicate
    assert (out / receipt.files[0]).read_bytes() == PDF + b"0"
    rows = list(csv.DictReader(io.StringIO((out / receipt.manifest).read_text("utf-8")), delimiter=";"))
    assert [r["file"] for r in rows] == list(receipt.files)
    assert rows[0]["address2"] == "c/o Ola; Kari" and rows[0]["postcode"] == "0155" and rows[0]["country"] == "NO"
    assert rows[3]["country"] == "SE" and rows[3]["color"] == "color" and rows[3]["duplex"] == "simplex"
    assert len(rows[0]["sha256"]) == 64


def test_xml_manifest_and_latin1_csv(tmp_path):
    house = PrintHouse(LocalFilesystem(tmp_path), PrintHouseConfig(manifest=ManifestFormat.XML))
    receipt = house.submit("b1", jobs(1))
    root = etree.fromstring((tmp_path / receipt.manifest).read_bytes())
    letters = root.findall("{urn:nofaktura:print-manifest:1}letter")
    assert root.get("id") == "b1" and len(letters) == 2
    assert letters[1].findtext("{urn:nofaktura:print-manifest:1}country") == "SE"
    latin = PrintHouse(LocalFilesystem(tmp_path / "l"), PrintHouseConfig(encoding="latin-1", csv_delimiter=","))
    job = PrintJob("æøå", PDF, PostalAddress("Bjørn Ærlig", NorwegianAddress(("Åsveien 1",), "7030", "Trondheim")))
    receipt = latin.submit("b1", [job])
    assert "Bjørn Ærlig" in (tmp_path / "l" / receipt.manifest).read_bytes().decode("latin-1")
    greek = PrintJob("g", PDF, PostalAddress("Ωmega", NorwegianAddress(("Vei 1",), "7030", "Trondheim")))
    with pytest.raises(ValidationError):
        latin.submit("b2", [greek])
    assert not (tmp_path / "l" / latin.file_names("b2", [greek])[0]).exists()


def test_retry_after_success_writes_nothing(tmp_path):
    house = PrintHouse(LocalFilesystem(tmp_path))
    first = house.submit("b1", jobs())
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = house.submit("b1", jobs())
    assert again.duplicate and again.files == first.files and again.written == 0
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamps


def test_retry_after_the_print_house_moved_the_batch_away(tmp_path):
    house = PrintHouse(LocalFilesystem(tmp_path), PrintHouseConfig(directory="in", check_dirs=("in/done",)))
    receipt = house.submit("b1", jobs())
    (tmp_path / "in" / "done").mkdir()
    for name in (receipt.manifest, *receipt.files):
        (tmp_path / "in" / name).rename(tmp_path / "in" / "done" / name)
    assert house.submit("b1", jobs()).duplicate
    assert visible(tmp_path / "in") == ["done"]


@pytest.mark.parametrize("fail_at", [1, 2, 3, 4, 5])
def test_crash_mid_batch_leaves_no_manifest_and_the_retry_completes_it(tmp_path, fail_at):
    flaky = Flaky(tmp_path, fail_at)
    house = PrintHouse(flaky)
    with pytest.raises(TransportError) as info:
        house.submit("b1", jobs())
    assert info.value.retryable
    manifest, files = house.file_names("b1", jobs())
    assert manifest not in visible(tmp_path)  # nothing is picked up for printing
    receipt = PrintHouse(LocalFilesystem(tmp_path)).submit("b1", jobs())
    assert receipt.written == 4 - (fail_at - 1) and not receipt.duplicate
    assert visible(tmp_path) == sorted([manifest, *files])


def test_same_job_id_with_other_content_is_refused(tmp_path):
    house = PrintHouse(LocalFilesystem(tmp_path))
    manifest, files = house.file_names("b1", jobs(1))
    (tmp_path / files[0]).write_bytes(PDF + b"another letter")
    with pytest.raises(TransportError, match="other content"):
        house.submit("b1", jobs(1))
    assert manifest not in visible(tmp_path)


@pytest.mark.parametrize(
    "build",
    [
        lambda: PrintJob("x", b"not a pdf", PostalAddress("A", NorwegianAddress(("v",), "0155", "Oslo"))),
        lambda: PrintJob("", PDF, PostalAddress("A", NorwegianAddress(("v",), "0155", "Oslo"))),
        lambda: PrintHouseConfig(csv_delimiter=";;"),
        lambda: PrintHouseConfig(prefix="../x"),
        lambda: PrintHouse(LocalFilesystem(".")).submit("b", []),
        lambda: PrintHouse(LocalFilesystem(".")).submit("b", jobs(1) + jobs(1)),
        lambda: PrintHouse(LocalFilesystem(".")).submit("", jobs(1)),
    ],
)
def test_bad_batches_are_refused_before_writing(build):
    with pytest.raises(ValidationError):
        build()


def test_long_ids_give_short_distinct_names(tmp_path):
    house = PrintHouse(LocalFilesystem(tmp_path))
    a = PrintJob("x" * 190 + "a", PDF, PostalAddress("A", NorwegianAddress(("v",), "0155", "Oslo")))
    b = PrintJob("x" * 190 + "b", PDF, PostalAddress("A", NorwegianAddress(("v",), "0155", "Oslo")))
    _manifest, files = house.file_names("b" * 200, [a, b])
    assert files[0] != files[1] and all(len(f) < 200 for f in files)


def test_address_never_in_repr():
    job = jobs(1)[0]
    assert "Storgata" not in repr(job) and "Kunde" not in repr(job)


@pytest.fixture(scope="module")
def sftp(tmp_path_factory):
    root = tmp_path_factory.mktemp("printhouse")
    with SftpTestServer(str(root)) as server:
        yield root, server


def test_batch_over_sftp_with_pinned_host_key(sftp):
    root, server = sftp
    fs = SftpFilesystem(host="127.0.0.1", port=server.port, username=USER, password=PASSWORD,
                        host_key=server.host_key, root=".")  # fmt: skip
    house = PrintHouse(fs, PrintHouseConfig(directory="upload", check_dirs=("upload/archive",)))
    try:
        receipt = house.submit("sftp-batch", jobs())
        assert visible(root / "upload") == sorted([receipt.manifest, *receipt.files])
        assert (root / "upload" / receipt.files[1]).read_bytes() == PDF + b"1"
        assert house.submit("sftp-batch", jobs()).duplicate
        assert PASSWORD not in repr(house)
    finally:
        fs.close()


def test_sftp_wrong_host_key_or_password_is_refused(sftp):
    import paramiko

    _root, server = sftp
    impostor = SftpFilesystem(host="127.0.0.1", port=server.port, username=USER, password=PASSWORD,
                              host_key=paramiko.RSAKey.generate(1024))  # fmt: skip
    with pytest.raises(TransportError):
        PrintHouse(impostor).submit("b", jobs(1))
    wrong = SftpFilesystem(host="127.0.0.1", port=server.port, username=USER, password="wrong",
                           host_key=server.host_key)  # fmt: skip
    with pytest.raises(AuthenticationFailed):
        PrintHouse(wrong).submit("b", jobs(1))


letters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
ids = st.text(letters, min_size=1, max_size=80).filter(str.isprintable)
names = st.text(letters, min_size=1, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(batch=ids, job_ids=st.lists(ids, min_size=1, max_size=5, unique=True), name=names.filter(str.strip),
       fmt=st.sampled_from(list(ManifestFormat)))  # fmt: skip
def test_any_batch_is_written_once_and_read_back(tmp_path_factory, batch, job_ids, name, fmt):
    root = tmp_path_factory.mktemp("ph")
    address = PostalAddress(name, NorwegianAddress(("Storgata 1",), "0155", "Oslo"))
    batch_jobs = [PrintJob(j, PDF + j.encode(), address) for j in job_ids]
    house = PrintHouse(LocalFilesystem(root), PrintHouseConfig(manifest=fmt))
    manifest, files = house.file_names(batch, batch_jobs)
    assert len(set(files)) == len(files) and manifest not in files
    assert all(f == safe_filename(f) and len(f) < 220 for f in (manifest, *files))
    receipt = house.submit(batch, batch_jobs)
    assert receipt.written == len(batch_jobs) and house.submit(batch, batch_jobs).duplicate
    assert visible(root) == sorted([manifest, *files])
    data = (root / manifest).read_bytes()
    if fmt is ManifestFormat.CSV:
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))
        got = [(r["file"], r["job_id"], r["name"]) for r in rows]
    else:
        ns = "{urn:nofaktura:print-manifest:1}"
        got = [(x.findtext(f"{ns}file"), x.findtext(f"{ns}job-id"), x.findtext(f"{ns}name"))
               for x in etree.fromstring(data).iter(f"{ns}letter")]  # fmt: skip
    assert got == [(f, j.job_id, j.recipient.name) for f, j in zip(files, batch_jobs, strict=True)]
