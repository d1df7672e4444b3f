"""The streaming OCR giro reader on Nets' sample file, on generated files and on broken ones."""

from __future__ import annotations

import datetime
import io
import json
import tracemalloc
from decimal import Decimal

import pytest

from nofaktura.bank.generate import OcrTx
from nofaktura.bank.ocr import OcrReader, read_ocr
from nofaktura.exceptions import DocumentError, FileTotalsError

from .helpers import ocr_text, replace_line

DATA = "nets-ocr-avtalegiro/tests/data"


@pytest.fixture
def ocr_file(corpora):
    return corpora / DATA / "ocr_giro_transactions.txt"


def _expected(corpora, name):
    data = json.loads((corpora / "nets-ocr-avtalegiro" / "expected-parse-results.json").read_text())
    entry = next(e for e in data if e["file"].endswith(name))
    return {e["field"]: e["expected"] for e in entry["expected"]}


def test_nets_sample_file_gives_the_expected_results(corpora, ocr_file):
    expected = _expected(corpora, "ocr_giro_transactions.txt")
    with ocr_file.open("rb") as stream:
        reader = OcrReader(stream)
        payments = list(reader)
    summary = reader.summary
    assert reader.transmission.transmission_number == expected["transmission.number"]
    assert reader.transmission.data_transmitter == "00008080"
    assert reader.transmission.data_recipient == expected["transmission.data_recipient"]
    assert summary.created == datetime.date(1992, 1, 20)
    assert summary.accounts == [expected["assignment.account"]]
    assert len(payments) == expected["len(assignment.transactions)"] == summary.count == summary.declared_count
    first = payments[0]
    assert first.transaction_type == "21"
    assert first.extra["transaction_number"] == "1"
    assert first.booking_date == datetime.date(1992, 1, 20)
    assert first.amount * 100 == expected["transaction.amount_in_cents"]
    assert first.amount == Decimal("1020.00")
    assert first.kid == expected["transaction.kid"]
    assert first.bank_reference == expected["transaction.reference"]
    assert first.text == expected["transaction.text"]
    assert first.extra["form_number"] == expected["transaction.form_number"]
    assert first.extra["bank_date"] == "1992-01-16"
    assert first.payer_account == expected["transaction.debit_account"]
    assert first.extra["settlement"] == "13" + "20" + "1" + "01464"
    assert first.line == 3
    assert summary.credit_total == summary.declared_total == Decimal("51449.00")
    assert len({p.key for p in payments}) == 20


def test_agreements_file(corpora):
    expected = _expected(corpora, "avtalegiro_agreements.txt")
    with (corpora / DATA / "avtalegiro_agreements.txt").open("rb") as stream:
        reader = OcrReader(stream)
        agreements = list(reader.agreements())
    assert len(agreements) == expected["len(assignment.transactions)"] == 16
    assert reader.summary.format == "avtalegiro-agreements"
    assert (agreements[0].kid, agreements[0].registration_type, agreements[0].notify) == ("000112000507155", 1, True)
    assert (agreements[1].kid, agreements[1].notify) == ("001006300507304", False)
    assert agreements[0].account == "99991042764"


def test_payment_claim_file_is_refused_as_not_incoming(corpora):
    with (corpora / DATA / "avtalegiro_payment_request.txt").open("rb") as stream, pytest.raises(
        DocumentError, match="payment-claim"
    ) as info:
        list(OcrReader(stream))
    assert info.value.line == 2


def test_text_input_and_line_iterables_work_too(ocr_file):
    text = ocr_file.read_text(encoding="iso-8859-1")
    assert len(list(OcrReader(io.StringIO(text)))) == 20
    assert len(list(OcrReader(text.splitlines()))) == 20
    assert len(list(OcrReader([line.encode("iso-8859-1") + b"\r\n" for line in text.splitlines()]))) == 20


def test_wrong_assignment_total_names_line_and_record(ocr_file):
    text = ocr_file.read_text(encoding="iso-8859-1")
    lines = text.splitlines()
    bad = lines[43][:24] + "00000000005144901" + lines[43][41:]
    with pytest.raises(FileTotalsError) as info:
        list(OcrReader(io.StringIO(replace_line(text, 44, bad)), source="x.ocr"))
    assert info.value.line == 44
    assert "end-of-assignment record (88)" in str(info.value)
    assert "total amount" in str(info.value)
    assert str(info.value).startswith("x.ocr, line 44:")


def test_wrong_transmission_count(ocr_file):
    text = ocr_file.read_text(encoding="iso-8859-1")
    last = text.splitlines()[44]
    bad = last[:8] + "00000021" + last[16:]
    with pytest.raises(FileTotalsError, match=r"end-of-transmission record \(89\) declares number of transactions 21"):
        list(OcrReader(io.StringIO(replace_line(text, 45, bad))))


def test_wrong_record_count():
    text = ocr_text([OcrTx(100, kid="123456782")])
    lines = text.splitlines()
    bad = lines[-1][:16] + "00000099" + lines[-1][24:]
    with pytest.raises(FileTotalsError, match="number of records 99"):
        list(OcrReader(io.StringIO(replace_line(text, len(lines), bad))))


def test_truncated_file_is_refused(ocr_file):
    lines = ocr_file.read_text(encoding="iso-8859-1").splitlines()
    with pytest.raises(DocumentError, match="truncated") as info:
        read_ocr(io.StringIO("\n".join(lines[:30])))
    assert info.value.line == 30
    with pytest.raises(DocumentError, match="80"):
        read_ocr(io.StringIO("\n".join(lines[:30]) + "\n" + lines[30][:40]))


@pytest.mark.parametrize(
    ("mutate", "message", "line"),
    [
        (lambda ls: ls[:3] + ls[4:], "does not follow amount item 2", 4),
        (lambda ls: ls[:6] + ls[7:], "transaction 2 has no amount item 2", 7),
        (lambda ls: [ls[1], *ls], "does not start with a start-of-transmission", 1),
        (lambda ls: [*ls, ls[-1]], "after the end-of-transmission", 46),
        (lambda ls: [*ls[:2], ls[3], ls[2], *ls[4:]], "does not follow an amount item 1", 3),
        (lambda ls: [*ls[:5], ls[5][:10] + "X" + ls[5][11:], *ls[6:]], "not a valid amount item 1", 6),
        (lambda ls: [*ls[:5], ls[5].replace("NY09", "XY09", 1), *ls[6:]], "format code", 6),
        (lambda ls: ls[:43] + ls[44:], "has no end-of-assignment", 44),
        (lambda ls: [*ls[:3], ls[5][:6] + "31" + ls[5][8:], *ls[4:]], "not a valid amount item 2", 4),
    ],
)
def test_broken_structure_is_refused_with_the_line(ocr_file, mutate, message, line):
    lines = mutate(ocr_file.read_text(encoding="iso-8859-1").splitlines())
    with pytest.raises(DocumentError, match=message) as info:
        read_ocr(io.StringIO("\n".join(lines) + "\n"))
    assert info.value.line == line


def test_empty_file():
    with pytest.raises(DocumentError, match="empty"):
        read_ocr(io.BytesIO(b""))


def test_reversals_are_negative_and_the_totals_add_them():
    text = ocr_text([
        OcrTx(100_00, kid="123456782"),
        OcrTx(30_00, kid="123456782", transaction_type=18),
        OcrTx(5_50, transaction_type=20, text="Retur kasse 3"),
        OcrTx(7_25, transaction_type=15, kid="0000067"),
    ])  # fmt: skip
    payments, summary = read_ocr(io.StringIO(text))
    assert [p.amount for p in payments] == [Decimal("100.00"), Decimal("-30.00"), Decimal("-5.50"), Decimal("7.25")]
    assert [p.is_reversal for p in payments] == [False, True, True, False]
    assert payments[2].text == "Retur kasse 3"
    assert payments[3].transaction_type == "15"  # AvtaleGiro settlement
    assert summary.declared_total == Decimal("142.75")  # 100 + 30 + 5.50 + 7.25: reversals added
    assert summary.credit_total == Decimal("107.25") and summary.debit_total == Decimal("35.50")


def test_minus_sign_makes_the_amount_negative():
    text = ocr_text([OcrTx(100, kid="123456782")])
    lines = text.splitlines()
    lines[2] = lines[2][:31] + "-" + lines[2][32:]
    (payment,), _ = read_ocr(io.StringIO("\n".join(lines)))
    assert payment.amount == Decimal("-1.00")


def test_keys_do_not_depend_on_the_transmission(ocr_file):
    text = ocr_file.read_text(encoding="iso-8859-1")
    resent = text.replace("NY000010000080800170031", "NY000010000080800170099", 1)
    first, _ = read_ocr(io.StringIO(text), source="a.txt")
    again, _ = read_ocr(io.StringIO(resent), source="b.txt")
    assert [p.key for p in first] == [p.key for p in again]


def test_reader_streams_payments_before_reading_the_rest():
    text = ocr_text([OcrTx(100 + i, kid="123456782") for i in range(50)])
    consumed = []

    def lines():
        for line in text.splitlines():
            consumed.append(line)
            yield line

    iterator = iter(OcrReader(lines()))
    first = next(iterator)
    assert first.amount == Decimal("1.00")
    assert len(consumed) == 5  # 10, 20, 30, 31 and the next 30 that closes the first transaction


def _lazy_lines(count):
    from nofaktura.bank.ocr import records as r

    yield r.TransmissionStart("00008080", "0000001", "00012345").to_line()
    yield r.AssignmentStart(9, 0, "001008566", "0000001", "99991042764").to_line()
    day = datetime.date(2026, 1, 15)
    for n in range(1, count + 1):
        yield r.AmountItem1(10, n, day, "13", 15, 1, "00001", "0", n, "123456782").to_line()
        yield r.AmountItem2(10, n, "0000000000", None, "0000000", None, None).to_line()
    total = count * (count + 1) // 2
    yield r.AssignmentEnd(9, 0, count, 2 * count + 2, total, day, day, day).to_line()
    yield r.TransmissionEnd(count, 2 * count + 4, total, day).to_line()


def test_memory_stays_flat():
    """Reading 5x more transactions must not need noticeably more memory (constant, not linear)."""

    def peak(count):
        tracemalloc.start()
        n = sum(1 for _ in OcrReader(_lazy_lines(count)))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert n == count
        return top

    small, large = peak(4_000), peak(20_000)
    assert large < small * 1.5 + 64 * 1024
