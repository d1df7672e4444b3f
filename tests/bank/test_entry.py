"""Which bank entry booked a payment (``Payment.entry``): payments of one entry are credited as one
amount, and the Odoo import books them on one statement line as the bank statement shows them."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

from nofaktura.bank import open_reader
from nofaktura.bank.generate import CamtEntry, CamtTx, OcrTx, write_camt054, write_ocr

KIDS = ("0000000000000017", "0000000000000025", "0000000000000033")


def _read(data: bytes, name: str) -> list:
    return list(open_reader(io.BytesIO(data), source=name))


def test_ocr_payments_carry_their_assignment_number() -> None:
    out = io.StringIO()
    write_ocr(out, [("86011117947", [OcrTx(amount_ore=10000, kid=KIDS[0]), OcrTx(amount_ore=20000, kid=KIDS[1])]),
                    ("86011117955", [OcrTx(amount_ore=30000, kid=KIDS[2])])])  # fmt: skip
    payments = _read(out.getvalue().encode("iso-8859-1"), "ocr.txt")
    assert len(payments) == 3
    assert payments[0].entry == payments[1].entry
    assert payments[2].entry and payments[2].entry != payments[0].entry


def test_camt_batch_details_share_their_entry_and_entries_differ() -> None:
    out = io.StringIO()
    write_camt054(out, [
        CamtEntry([CamtTx(Decimal("100.00"), kid=KIDS[0]), CamtTx(Decimal("200.00"), kid=KIDS[1])]),
        CamtEntry([CamtTx(Decimal("300.00"), kid=KIDS[2])]),
    ])  # fmt: skip
    payments = _read(out.getvalue().encode(), "camt.xml")
    assert [p.entry for p in payments] == ["1/1", "1/1", "1/2"]
    # Where the bank put it is not part of what the payment is (a re-sent file may batch differently).
    assert dataclasses.replace(payments[0], entry="other") == payments[0]
