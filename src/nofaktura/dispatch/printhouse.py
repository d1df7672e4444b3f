"""A print house that takes PDF files plus an address manifest, dropped into its folder or SFTP server.

Why this shape: it is the lowest common denominator of Norwegian print-and-post services (and of an in-house
print room): a batch is some PDFs and one manifest (CSV or XML, per the print house's wish) naming each PDF
and the address it goes to. The print house picks up a batch when its manifest appears.

The file transport is the one the Peppol folder exchange already uses (:class:`~nofaktura.peppol.transports.
folder.Filesystem`: :class:`LocalFilesystem` for a mounted share, :class:`SftpFilesystem` with a pinned host
key), not another SFTP client.

Never twice: a retry must not print a letter again.

- Every name comes from the caller's ``batch_id`` and each job's ``job_id`` (the dispatch queue's idempotency
  keys), so a retried batch writes the same names.
- Files are written as hidden ``.<name>.tmp`` and renamed, so the print house never sees half a file, and
  the manifest is written **last**: a batch without manifest is not picked up, so a crash mid-batch prints
  nothing and the retry completes it.
- Before anything is written, the manifest name is looked for in the upload folder and in ``check_dirs``
  (where the print house moves processed batches): if present, the batch was delivered and nothing is
  written (``duplicate=True``). A PDF already present with the same content is not written again; with
  other content the batch is refused (the same key must not mean two letters).

Residual risk (documented in docs/architecture.md): if the print house deletes processed batches and keeps
no ``check_dirs``, a retry after the manifest was written *and* picked up cannot be detected here; the
queue must record success as soon as :meth:`PrintHouse.submit` returns.
"""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from nofaktura.digipost.message import ForeignAddress, NorwegianAddress, PostalAddress
from nofaktura.exceptions import TransportError, ValidationError
from nofaktura.peppol.transports.base import translate_errors
from nofaktura.peppol.transports.folder import Filesystem, safe_filename

__all__ = ["ManifestFormat", "PrintBatchReceipt", "PrintHouse", "PrintHouseConfig", "PrintJob"]

#: Columns of the CSV manifest, in order.
CSV_COLUMNS = ("file", "job_id", "sha256", "name", "address1", "address2", "address3", "address4", "postcode",
               "city", "country", "color", "duplex")  # fmt: skip
MANIFEST_NS = "urn:nofaktura:print-manifest:1"
MAX_NAME = 150


class ManifestFormat(str, enum.Enum):
    CSV = "csv"
    XML = "xml"


@dataclass(frozen=True)
class PrintJob:
    """One letter: the PDF and where it goes. ``job_id`` is stable across retries (the queue's key)."""

    job_id: str
    pdf: bytes
    recipient: PostalAddress
    color: bool = False
    duplex: bool = True

    def __post_init__(self) -> None:
        if not self.job_id or len(self.job_id) > 200 or not self.job_id.isprintable():
            raise ValidationError("A print job id is 1 to 200 printable characters.")
        if not isinstance(self.pdf, bytes) or not self.pdf.startswith(b"%PDF-"):
            raise ValidationError(f"Print job {self.job_id!r}: the document is not a PDF.")

    def __repr__(self) -> str:  # an address is personal data: not in logs
        return f"PrintJob({self.job_id!r}, {len(self.pdf)} bytes)"


@dataclass(frozen=True)
class PrintHouseConfig:
    """How this print house wants its batches.

    ``directory``: the upload folder (relative to the filesystem root). ``manifest``: CSV or XML.
    ``csv_delimiter``/``encoding``: for the CSV. ``prefix``: put before every file name (e.g. the customer
    number the print house gave us). ``check_dirs``: folders where the print house moves processed files,
    also searched for an earlier delivery of the same batch.
    """

    directory: str = "."
    manifest: ManifestFormat = ManifestFormat.CSV
    csv_delimiter: str = ";"
    encoding: str = "utf-8"
    prefix: str = ""
    check_dirs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.csv_delimiter) != 1 or self.csv_delimiter in "\"\r\n":
            raise ValidationError("The CSV delimiter is one character other than a quote or line break.")
        if self.prefix and safe_filename(self.prefix) != self.prefix:
            raise ValidationError("The file name prefix may only hold letters, digits, '.', '_' and '-'.")
        "x".encode(self.encoding)  # an unknown encoding fails here, not mid-batch


@dataclass(frozen=True)
class PrintBatchReceipt:
    batch_id: str
    manifest: str
    files: tuple[str, ...]
    #: True: the batch had been delivered before; nothing was written now.
    duplicate: bool = False
    #: PDFs written now (a retry after a crash writes only the missing ones).
    written: int = 0


def _name(*parts: str, suffix: str) -> str:
    base = "--".join(safe_filename(p) for p in parts)
    if len(base) > MAX_NAME:  # long keys: a stable digest keeps the name short and unique
        base = base[:60] + "-" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return base + suffix


class PrintHouse:
    """Sends batches of :class:`PrintJob` to one print house over a :class:`Filesystem`."""

    def __init__(self, filesystem: Filesystem, config: PrintHouseConfig | None = None) -> None:
        self.fs = filesystem
        self.config = config or PrintHouseConfig()

    def __repr__(self) -> str:
        return f"PrintHouse({self.fs!r}, {self.config.manifest.value} manifest in {self.config.directory!r})"

    def file_names(self, batch_id: str, jobs: Sequence[PrintJob]) -> tuple[str, tuple[str, ...]]:
        """``(manifest, pdfs)``: the names a batch is written under (the same on every retry)."""
        prefix = self.config.prefix
        manifest = prefix + _name(batch_id, suffix=f".{self.config.manifest.value}")
        pdfs = tuple(prefix + _name(batch_id, job.job_id, suffix=".pdf") for job in jobs)
        return manifest, pdfs

    def submit(self, batch_id: str, jobs: Sequence[PrintJob]) -> PrintBatchReceipt:
        """Deliver one batch; safe to call again with the same ``batch_id`` and jobs after any failure."""
        if not batch_id or len(batch_id) > 200 or not batch_id.isprintable():
            raise ValidationError("A print batch id is 1 to 200 printable characters.")
        if not jobs:
            raise ValidationError("A print batch needs at least one letter.")
        if len({job.job_id for job in jobs}) != len(jobs):
            raise ValidationError("Two letters of the print batch have the same job id.")
        manifest, pdfs = self.file_names(batch_id, jobs)
        if len(set(pdfs)) != len(pdfs):
            raise ValidationError("Two job ids of the batch give the same file name.")
        directory = self.config.directory
        with translate_errors(f"delivering print batch {batch_id!r}"):
            for folder in (directory, *self.config.check_dirs):
                if self.fs.exists(posixpath.join(folder, manifest)):
                    return PrintBatchReceipt(batch_id, manifest, pdfs, duplicate=True)
            self.fs.makedirs(directory)
            written = 0
            for job, name in zip(jobs, pdfs, strict=True):
                path = posixpath.join(directory, name)
                if self.fs.exists(path):
                    if hashlib.sha256(self.fs.read(path)).digest() != hashlib.sha256(job.pdf).digest():
                        raise TransportError(
                            f"print batch {batch_id!r}: {name} is already at the print house with other content; "
                            "a corrected letter needs a new job id"
                        )
                    continue
                self._put(path, job.pdf)
                written += 1
            self._put(posixpath.join(directory, manifest), self.manifest(batch_id, jobs, pdfs))
        return PrintBatchReceipt(batch_id, manifest, pdfs, written=written)

    def _put(self, path: str, data: bytes) -> None:
        folder, name = posixpath.split(path)
        temporary = posixpath.join(folder, f".{name}.tmp")
        self.fs.write(temporary, data)
        self.fs.rename(temporary, path)

    # -- manifests ---------------------------------------------------------------------------------------

    def manifest(self, batch_id: str, jobs: Sequence[PrintJob], pdfs: Sequence[str]) -> bytes:
        rows = [_row(job, name) for job, name in zip(jobs, pdfs, strict=True)]
        if self.config.manifest is ManifestFormat.CSV:
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=self.config.csv_delimiter, quoting=csv.QUOTE_MINIMAL,
                                lineterminator="\r\n")  # fmt: skip
            writer.writerow(CSV_COLUMNS)
            writer.writerows([row[c] for c in CSV_COLUMNS] for row in rows)
            try:
                return buffer.getvalue().encode(self.config.encoding)
            except UnicodeEncodeError as exc:
                raise ValidationError(f"An address cannot be written in {self.config.encoding}: {exc.reason}") from exc
        root = etree.Element(f"{{{MANIFEST_NS}}}print-batch", nsmap={None: MANIFEST_NS}, id=batch_id)
        for row in rows:
            letter = etree.SubElement(root, f"{{{MANIFEST_NS}}}letter")
            for column in CSV_COLUMNS:
                if row[column]:
                    etree.SubElement(letter, f"{{{MANIFEST_NS}}}{column.replace('_', '-')}").text = row[column]
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _row(job: PrintJob, name: str) -> dict[str, str]:
    address = job.recipient.address
    lines = list(address.lines) + [""] * (4 - len(address.lines))
    row = {
        "file": name,
        "job_id": job.job_id,
        "sha256": hashlib.sha256(job.pdf).hexdigest(),
        "name": job.recipient.name,
        "address1": lines[0], "address2": lines[1], "address3": lines[2], "address4": lines[3],
        "postcode": "", "city": "", "country": "NO",
        "color": "color" if job.color else "monochrome",
        "duplex": "duplex" if job.duplex else "simplex",
    }  # fmt: skip
    if isinstance(address, NorwegianAddress):
        row["postcode"], row["city"] = address.zip_code, address.city
    elif isinstance(address, ForeignAddress):
        row["country"] = address.country_code or address.country or ""
    return row
