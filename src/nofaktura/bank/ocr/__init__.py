"""Nets OCR giro: fixed-width records (:mod:`.records`) and a streaming reader (:mod:`.reader`)."""

from nofaktura.bank.ocr.reader import (
    REVERSAL_TYPES,
    TEXT_TYPES,
    TRANSACTION_TYPES,
    Agreement,
    OcrReader,
    read_ocr,
)

__all__ = ["REVERSAL_TYPES", "TEXT_TYPES", "TRANSACTION_TYPES", "Agreement", "OcrReader", "read_ocr"]
