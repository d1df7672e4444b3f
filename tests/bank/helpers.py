"""Small helpers shared by the bank tests: build OCR / camt files in memory."""

from __future__ import annotations

import io
from collections.abc import Iterable

from nofaktura.bank.generate import CamtEntry, OcrTx, write_camt054, write_ocr


def ocr_text(transactions: Iterable[OcrTx], account: str = "99991042764", **kwargs) -> str:
    out = io.StringIO()
    write_ocr(out, [(account, transactions)], **kwargs)
    return out.getvalue()


def camt_bytes(entries: list[CamtEntry], **kwargs) -> bytes:
    out = io.StringIO()
    write_camt054(out, entries, **kwargs)
    return out.getvalue().encode("utf-8")


def replace_line(text: str, number: int, line: str) -> str:
    lines = text.splitlines()
    lines[number - 1] = line
    return "\n".join(lines) + "\n"
