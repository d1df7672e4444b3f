"""Nets OCR giro shapes real banks send that once made the reader refuse a whole day's file (issue 11 item 2).

* an amount item 1 (30) whose sign (position 32) is ``-``: a negative amount, by agreement with the
  bank (OCR giro system specification, record 30 field "Fortegn"); the end-of-assignment (88) and
  end-of-transmission (89) totals are then written net of it, with a ``-`` in the first position
  of the total when the net is negative;
* an AvtaleGiro agreements file (service code 21, assignment type 24) lists its agreements;
* a UTF-8 byte-order mark before the first record.

The files are built record by record here; netsgiro (the test oracle) must read the same files.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import Decimal

import netsgiro
import pytest

from nofaktura.bank import open_reader
from nofaktura.bank.ocr import OcrReader, read_ocr
from nofaktura.bank.ocr import records as r
from nofaktura.cli import main
from nofaktura.exceptions import FileTotalsError

DAY = datetime.date(2026, 12, 1)
ACCOUNT = "86011117947"


def _transaction(number: int, ore: int, sign: str = "0", kid: str = "123456782") -> list[str]:
    return [
        r.AmountItem1(10, number, DAY, "13", 1, 1, "00001", sign, ore, kid).to_line(),
        r.AmountItem2(10, number, "0000000000", "123456789", "0000000", DAY, "12345678903").to_line(),
    ]


def ocr_file(amounts: list[tuple[int, str]], *, total: int | None = None, transmission_total: int | None = None) -> str:
    """A transmission with one assignment of ``(øre, sign)`` transactions; totals net unless given."""
    net = sum(-ore if sign == "-" else ore for ore, sign in amounts)
    body = [line for n, (ore, sign) in enumerate(amounts, start=1) for line in _transaction(n, ore, sign)]
    assignment = [
        r.AssignmentStart(9, 0, "001008566", "0000001", ACCOUNT).to_line(), *body,
        r.AssignmentEnd(9, 0, len(amounts), len(body) + 2, net if total is None else total, DAY, DAY, DAY).to_line(),
    ]  # fmt: skip
    lines = [
        r.TransmissionStart("00008080", "0000001", "00012345").to_line(), *assignment,
        r.TransmissionEnd(len(amounts), len(assignment) + 2,
                          net if transmission_total is None else transmission_total, DAY).to_line(),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def test_signed_amount_with_totals_net_of_it_is_read():
    text = ocr_file([(150000, "0"), (20000, "-"), (5000, "0")])
    assert "NY09103000000020112261301100001-" in text  # the sign in position 32, as the bank writes it
    payments, summary = read_ocr(io.StringIO(text))
    assert [p.amount for p in payments] == [Decimal("1500.00"), Decimal("-200.00"), Decimal("50.00")]
    assert (summary.credit_total, summary.debit_total) == (Decimal("1550.00"), Decimal("200.00"))
    assert summary.declared_total == Decimal("1350.00")
    # netsgiro, the oracle, reads the same file (it takes the amount field and leaves the sign aside).
    transmission = netsgiro.parse(text)
    assert transmission.get_num_transactions() == 3
    assert [t.amount for t in transmission.assignments[0].transactions] == [
        Decimal("1500"), Decimal("200"), Decimal("50")]  # fmt: skip


def test_negative_net_total_written_with_a_minus_is_read():
    text = ocr_file([(10000, "0"), (30000, "-")])
    assert "-0000000000020000" in text  # 88 and 89: '-' replaces the first zero of the 17-digit total
    payments, summary = read_ocr(io.StringIO(text))
    assert [p.amount for p in payments] == [Decimal("100.00"), Decimal("-300.00")]
    assert summary.declared_total == Decimal("-200.00")
    assert r.AssignmentEnd.from_line(text.splitlines()[-2]).total_amount == -20000


def test_gross_totals_are_still_accepted():
    # The specification's reading (every amount added): a file whose totals ignore the sign.
    payments, _summary = read_ocr(io.StringIO(ocr_file([(10000, "0"), (2500, "-")], total=12500,
                                                       transmission_total=12500)))  # fmt: skip
    assert [p.amount for p in payments] == [Decimal("100.00"), Decimal("-25.00")]


@pytest.mark.parametrize(("total", "transmission_total", "record"), [
    (9999, None, "end-of-assignment record (88)"),
    (None, 12499, "end-of-transmission record (89)"),  # 88 is right (net 7 500), 89 is neither net nor gross
    (-7500, -7500, "end-of-assignment record (88)"),  # the sign the wrong way round
])  # fmt: skip
def test_totals_that_are_neither_net_nor_gross_are_refused(total, transmission_total, record):
    text = ocr_file([(10000, "0"), (2500, "-")], total=total, transmission_total=transmission_total)
    with pytest.raises(FileTotalsError, match=f"the {re.escape(record)} declares total amount"):
        read_ocr(io.StringIO(text), source="day.ocr")


def test_utf8_byte_order_mark_does_not_break_the_first_record(tmp_path, capsys):
    data = b"\xef\xbb\xbf" + ocr_file([(150000, "0")]).encode("iso-8859-1")
    payments, _summary = read_ocr(io.BytesIO(data))
    assert [p.amount for p in payments] == [Decimal("1500.00")]
    assert len(list(open_reader(io.BytesIO(data)))) == 1
    assert len(list(OcrReader(io.StringIO(data.decode("utf-8"))))) == 1  # decoded: U+FEFF
    path = tmp_path / "bom.ocr"
    path.write_bytes(data)
    assert main(["ocr", "show", str(path)]) == 0


def test_avtalegiro_agreements_file_lists_its_agreements(corpora, capsys):
    path = corpora / "nets-ocr-avtalegiro/tests/data/avtalegiro_agreements.txt"
    with path.open("rb") as stream:
        reader = OcrReader(stream, str(path))
        assert list(reader) == []  # no payments in it ...
    summary = reader.summary
    assert summary.format == "avtalegiro-agreements"
    assert len(summary.agreements) == 16 == summary.declared_count  # ... but 16 agreements
    first = summary.agreements[0]
    assert first == {"kid": "000112000507155", "registration_type": 1, "change": "new or changed", "notify": True,
                     "account": "99991042764", "line": 3}  # fmt: skip
    assert main(["ocr", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Agreements: 16" in out and "000112000507155" in out and "new or changed" in out
    assert main(["ocr", "show", "--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["totals"]["agreements"]) == 16
