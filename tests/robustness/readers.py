"""Every public entry point that reads received input, as one table the robustness tests walk.

Each :class:`Reader` takes the raw bytes and a source name, reads *everything* (a streaming reader
is exhausted, so its end-of-file checks run) and returns what the library returned. Adding a reader
to the library means adding a row here; ``test_cli_unusable_input`` does the same for commands.

SMP answers come over HTTP: the reader serves the bytes from an ``httpx.MockTransport`` (nothing
leaves the machine) and unwraps :class:`~nofaktura.exceptions.LookupFailed`, which is how the
lookup reports an unusable answer, to the :class:`~nofaktura.exceptions.DocumentError` it carries.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import httpx

from nofaktura.bank import open_reader, read_camt, read_ocr
from nofaktura.bank.camt import CamtReader
from nofaktura.bank.generate import CamtEntry, CamtTx, write_camt054
from nofaktura.bank.pain002 import read_pain002, read_pain002_file
from nofaktura.cli.show import load_document
from nofaktura.digipost.client import parse_document_status, parse_identification, parse_message_delivery
from nofaktura.ehf.jsonform import to_json
from nofaktura.ehf.reader import read as read_ehf
from nofaktura.ehf.validation import validate
from nofaktura.exceptions import DocumentError, NofakturaError, TransportError
from nofaktura.peppol.ids import ParticipantId
from nofaktura.peppol.lookup import SmpClient
from nofaktura.xml import load_ubl, parse_untrusted, parse_untrusted_file

from ..conftest import CORPORA

SMP_URL = "https://smp.example.no/smp"
PARTICIPANT = ParticipantId.parse("0192:987654325")

UBL_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"
PAIN002_NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
SMP_NS = "http://busdox.org/serviceMetadata/publishing/1.0/"
DIGIPOST_NS = "http://api.digipost.no/schema/v8"
DIGIPOST_SAMPLES = CORPORA / "digipost" / "samples"

NORWEGIAN_EXAMPLE = CORPORA / "peppol-bis-invoice-3" / "rules" / "national-examples" / "NO" / "Norwegian-example-1.xml"
CREDIT_NOTE = CORPORA / "peppol-bis-invoice-3" / "rules" / "examples" / "base-creditnote-correction.xml"
CAMT053 = CORPORA / "iso20022" / "oca-bank-statement-import" / "account_statement_import_camt" / "test_files"
OCR_GIRO = CORPORA / "nets-ocr-avtalegiro" / "tests" / "data" / "ocr_giro_transactions.txt"
PAIN002_SAMPLES = (
    CORPORA / "iso20022" / "iso20022js" / "test" / "assets" / "goldman_sachs" / "pain_002_v3_accepted.xml",
    CORPORA / "iso20022" / "moov-iso20022" / "test" / "testdata" / "pain002-epo_p_0_0_0_2018031510491259.xml",
)
OCR_AGREEMENTS = CORPORA / "nets-ocr-avtalegiro" / "tests" / "data" / "avtalegiro_agreements.txt"


class ReadBeyondLimit(Exception):
    """Raised by a streamed SMP answer when the client keeps reading past the size limit."""


@dataclass(frozen=True)
class Reader:
    """One entry point. ``shell`` wraps a body in the root element this reader expects."""

    name: str
    family: str  # "ubl" | "camt" | "pain002" | "smp" | "ocr" | "json"
    call: Callable[[bytes, str], Any]
    shell: str = "{body}"

    def __str__(self) -> str:
        return self.name


def unwrap(exc: BaseException) -> BaseException:
    """The DocumentError behind a TransportError (SMP LookupFailed, a Digipost answer); else as it is."""
    if isinstance(exc, TransportError) and isinstance(exc.__cause__, DocumentError):
        return exc.__cause__
    return exc


def _consume(reader: Any) -> list[Any]:
    return list(reader)


def _smp_client(data: bytes | Callable[[], Any]) -> SmpClient:
    def answer(request: httpx.Request) -> httpx.Response:
        content = data() if callable(data) else data
        return httpx.Response(200, content=content, headers={"Content-Type": "application/xml"})

    return SmpClient(transport=httpx.MockTransport(answer))


def smp_service_group(data: bytes | Callable[[], Any], source: str = "") -> Any:
    with _smp_client(data) as client:
        return client.service_group(SMP_URL, PARTICIPANT)


def smp_service_metadata(data: bytes | Callable[[], Any], source: str = "") -> Any:
    href = f"{SMP_URL}/iso6523-actorid-upis%3A%3A0192%3A987654325/services/busdox-docid-qns%3A%3Ax"
    with _smp_client(data) as client:
        return client.service_metadata(href, PARTICIPANT, "busdox-docid-qns::x")


def _via_file(read_path: Callable[[str], Any]) -> Callable[[bytes, str], Any]:
    """A reader of paths as a reader of bytes: the bytes go to a file named like ``source``."""

    def call(data: bytes, source: str) -> Any:
        with tempfile.TemporaryDirectory(prefix="nofaktura-robustness-") as folder:
            path = Path(folder) / Path(source).name
            path.write_bytes(data)
            return read_path(str(path))

    return call


def _load_document_bytes(data: bytes, source: str) -> Any:
    """``nofaktura.cli.show.load_document`` (what show/convert read files with) on a file named ``source``."""
    with tempfile.TemporaryDirectory(prefix="nofaktura-robustness-") as folder:
        path = Path(folder) / Path(source).name
        path.write_bytes(data)
        return load_document(str(path))


_UBL_SHELL = f'<Invoice xmlns="{UBL_NS}">{{body}}</Invoice>'
_CAMT_SHELL = f'<Document xmlns="{CAMT_NS}"><BkToCstmrDbtCdtNtfctn>{{body}}</BkToCstmrDbtCdtNtfctn></Document>'

XML_READERS = [
    Reader("xml.parse_untrusted", "ubl", lambda d, s: parse_untrusted(d, source=s), _UBL_SHELL),
    Reader("xml.parse_untrusted_file", "ubl", _via_file(parse_untrusted_file), _UBL_SHELL),
    Reader("xml.load_ubl", "ubl", load_ubl, _UBL_SHELL),
    Reader("ehf.reader.read", "ubl", lambda d, s: read_ehf(d, source=s), _UBL_SHELL),
    Reader("ehf.validation.validate", "ubl", lambda d, s: validate(d, source=s), _UBL_SHELL),
    Reader("bank.read_camt", "camt", lambda d, s: read_camt(io.BytesIO(d), s), _CAMT_SHELL),
    Reader("bank.CamtReader", "camt", lambda d, s: _consume(CamtReader(io.BytesIO(d), s)), _CAMT_SHELL),
    Reader("bank.open_reader(camt)", "camt", lambda d, s: _consume(open_reader(io.BytesIO(d), s)), _CAMT_SHELL),
    Reader("bank.pain002.read_pain002", "pain002", read_pain002,
           f'<Document xmlns="{PAIN002_NS}"><CstmrPmtStsRpt>{{body}}</CstmrPmtStsRpt></Document>'),
    Reader("bank.pain002.read_pain002_file", "pain002", _via_file(read_pain002_file),
           f'<Document xmlns="{PAIN002_NS}"><CstmrPmtStsRpt>{{body}}</CstmrPmtStsRpt></Document>'),
    Reader("peppol.SmpClient.service_group", "smp", smp_service_group,
           f'<ServiceGroup xmlns="{SMP_NS}">{{body}}</ServiceGroup>'),
    Reader("peppol.SmpClient.service_metadata", "smp", smp_service_metadata,
           f'<SignedServiceMetadata xmlns="{SMP_NS}">{{body}}</SignedServiceMetadata>'),
    Reader("digipost.parse_message_delivery", "digipost-delivery", parse_message_delivery,
           f'<message-delivery xmlns="{DIGIPOST_NS}">{{body}}</message-delivery>'),
    Reader("digipost.parse_identification", "digipost-identification", parse_identification,
           f'<identification-result xmlns="{DIGIPOST_NS}">{{body}}</identification-result>'),
    Reader("digipost.parse_document_status", "digipost-status", parse_document_status,
           f'<document-status xmlns="{DIGIPOST_NS}">{{body}}</document-status>'),
]  # fmt: skip

OCR_READERS = [
    Reader("bank.read_ocr", "ocr", lambda d, s: read_ocr(io.BytesIO(d), s)),
    Reader("bank.open_reader(ocr)", "ocr", lambda d, s: _consume(open_reader(io.BytesIO(d), s))),
]

#: Readers of JSON *bytes*. ``ehf.jsonform.from_json`` takes parsed JSON values and has its own tests.
JSON_READERS = [
    Reader("cli.show.load_document", "json", _load_document_bytes),
]

#: The library's own error families a reader may raise on bad input; anything else is a defect.
TYPED_ERRORS: tuple[type[BaseException], ...] = (NofakturaError,)


# -- valid samples the garbage tests start from ---------------------------------------------------


def norwegian_camt054() -> bytes:
    out = io.StringIO()
    entries = [
        CamtEntry([CamtTx(Decimal("1250.00"), kid="0012345678903", payer_name="Ola Nordmann",
                          payer_account="12345678903", bank_reference="REF-1")], entry_reference="E1"),
        CamtEntry([CamtTx(Decimal("10.50"), kid="123455", bank_reference="REF-2"),
                   CamtTx(Decimal("20.25"), text="faktura 7", bank_reference="REF-3")],
                  entry_reference="E2"),
    ]  # fmt: skip
    write_camt054(out, entries)
    return out.getvalue().encode("utf-8")


@cache
def samples(family: str) -> tuple[bytes, ...]:
    """Valid inputs of a family (each is read without error by that family's readers)."""
    if family == "ubl":
        return (NORWEGIAN_EXAMPLE.read_bytes(), CREDIT_NOTE.read_bytes())
    if family == "camt":
        return (norwegian_camt054(), (CAMT053 / "test-camt053-txdtls").read_bytes())
    if family == "pain002":
        return tuple(path.read_bytes() for path in PAIN002_SAMPLES)
    if family == "ocr":
        return (OCR_GIRO.read_bytes(), OCR_AGREEMENTS.read_bytes())
    if family == "json":
        document = read_ehf(NORWEGIAN_EXAMPLE.read_bytes())
        return (json.dumps(to_json(document)).encode("utf-8"),)
    if family == "smp":
        return (
            f'<ServiceGroup xmlns="{SMP_NS}"><ServiceMetadataReferenceCollection>'
            f'<ServiceMetadataReference href="{SMP_URL}/x/services/busdox-docid-qns%3A%3Ax"/>'
            "</ServiceMetadataReferenceCollection></ServiceGroup>".encode(),
        )
    if family == "digipost-delivery":
        return ((DIGIPOST_SAMPLES / "upstream" / "SendMessageMessageDelivery.xml").read_bytes(),
                (DIGIPOST_SAMPLES / "derived" / "message-delivery-print.xml").read_bytes())  # fmt: skip
    if family == "digipost-identification":
        return ((DIGIPOST_SAMPLES / "upstream" / "IdentificationResult.xml").read_bytes(),)
    if family == "digipost-status":
        return (
            f'<document-status xmlns="{DIGIPOST_NS}" uuid="6d99008e-2672-4b55-9b09-996b09a06e47" sender-id="1" '
            'status="DELIVERED" created="2026-12-03T09:00:00+01:00" delivered="2026-12-03T09:00:01+01:00" '
            'read="N" channel="DIGIPOST" is-primary-document="true"/>'.encode(),
        )
    raise KeyError(family)
