"""Incoming payments: Nets OCR giro and ISO 20022 camt.053/054 files into one payment model.

``read_payments(stream)`` detects the format and returns a streaming reader (iterate it for
:class:`Payment` objects; its ``summary`` is complete once exhausted).
"""

from __future__ import annotations

from typing import IO

from nofaktura.bank.camt import CamtReader, read_camt
from nofaktura.bank.detect import CAMT053, CAMT054, OCR, UNKNOWN, detect_format, iso20022_message
from nofaktura.bank.model import FileSummary, Payment, is_kid_like, make_key, normalize_account
from nofaktura.bank.ocr import OcrReader, read_ocr
from nofaktura.exceptions import DocumentError
from nofaktura.messages import msg

__all__ = [
    "CAMT053",
    "CAMT054",
    "OCR",
    "UNKNOWN",
    "CamtReader",
    "FileSummary",
    "OcrReader",
    "Payment",
    "detect_format",
    "is_kid_like",
    "make_key",
    "normalize_account",
    "open_reader",
    "read_camt",
    "read_ocr",
]

_HEAD = 8192


def open_reader(stream: IO[bytes], source: str | None = None) -> OcrReader | CamtReader:
    """A reader for a seekable binary stream, chosen by :func:`detect_format`.

    Raises :class:`DocumentError` for anything that is neither OCR giro nor camt.052/053/054.
    """
    head = stream.read(_HEAD)
    stream.seek(0)
    kind = detect_format(head)
    if kind == OCR:
        return OcrReader(stream, source)
    if kind.startswith("camt."):
        return CamtReader(stream, source)
    message = iso20022_message(head)
    if message is not None and not message.startswith(("camt.052.", "camt.053.", "camt.054.")):
        raise DocumentError(
            msg("bank.unsupported", message=message),
            source=source or getattr(stream, "name", None),
            line=1,
        )
    if message is not None:  # names a message we read, but its start is damaged: say so, not "unsupported"
        raise DocumentError(
            msg("bank.damaged_iso", message=message),
            source=source or getattr(stream, "name", None),
            line=1,
        )
    raise DocumentError(
        msg("bank.unknown_format"),
        source=source or getattr(stream, "name", None),
        line=1,
    )
