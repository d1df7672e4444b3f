"""Record layer: Nets' own records parse to the values netsgiro's tests assert, and every record
type survives a write/read round trip for arbitrary field values (Hypothesis)."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nofaktura.bank.ocr import records as r

DIGITS = "0123456789"


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(DIGITS, min_size=n, max_size=n)


dates = st.dates(min_value=datetime.date(1969, 1, 1), max_value=datetime.date(2068, 12, 31))
kids = st.one_of(st.none(), st.text(DIGITS, min_size=1, max_size=25).map(lambda s: "1" + s[1:]))
texts = st.one_of(
    st.none(),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFF, blacklist_categories=("Cc", "Zs")),
            min_size=1, max_size=40),
)  # fmt: skip


P = "tests/test_record_parsing.py::test_"


def _inline(corpora):
    data = json.loads((corpora / "nets-ocr-avtalegiro" / "inline-records-from-tests.json").read_text())
    return {entry["from"]: entry["records"] for entry in data}


def test_nets_sample_records_parse_to_the_asserted_values(corpora):
    inline = _inline(corpora)
    item1 = r.AmountItem1.from_line(inline[P + "transaction_amount_item_1_for_ocr_giro_transactions"][0])
    assert (item1.transaction_type, item1.transaction_number, item1.nets_date) == (10, 1, datetime.date(1992, 1, 20))
    assert (item1.centre_id, item1.day_code, item1.partial_settlement_number) == ("13", 20, 1)
    assert (item1.partial_settlement_serial_number, item1.sign) == ("01464", "0")
    assert (item1.amount, item1.kid) == (102000, "0000531")
    item2 = r.AmountItem2.from_line(inline[P + "transaction_amount_item_2_for_ocr_giro_transactions"][0])
    assert (item2.form_number, item2.reference, item2.bank_date, item2.debit_account) == (
        "9636827194", "099038562", datetime.date(1992, 1, 16), "99990512341"
    )
    item3 = r.AmountItem3.from_line(inline[P + "transaction_amount_item_3_for_ocr_giro_transactions"][0])
    assert item3.text == "Foo bar baz"
    start = r.TransmissionStart.from_line(inline[P + "transmission_start"][0])
    assert (start.data_transmitter, start.transmission_number) == ("55555555", "1000081")
    assert start.data_recipient == "00008080"
    end = r.AssignmentEnd.from_line(inline[P + "assignment_end_for_ocr_giro_transactions"][0])
    assert (end.num_transactions, end.num_records, end.total_amount) == (20, 42, 5144900)
    assert end.nets_date_earliest == end.nets_date_latest == datetime.date(1992, 1, 20)
    agreement = r.AvtaleGiroAgreement.from_line(inline[P + "avtalegiro_active_agreement"][0])
    assert (agreement.registration_type, agreement.kid, agreement.notify) == (0, "008000011688373", True)


@pytest.mark.parametrize(
    "key",
    [
        "tests/test_record_writing.py::test_transmission_start",
        "tests/test_record_writing.py::test_transmission_end",
        "tests/test_record_writing.py::test_assignment_start_for_avtalegiro_agreements",
        "tests/test_record_writing.py::test_assignment_end_for_avtalegiro_agreements",
        "tests/test_record_writing.py::test_transaction_amount_item_1_for_ocr_giro_transactions",
        "tests/test_record_writing.py::test_transaction_amount_item_2_for_ocr_giro_transactions",
        "tests/test_record_writing.py::test_transaction_amount_item_2_for_ocr_giro_without_bank_date",
        "tests/test_record_writing.py::test_transaction_amount_item_3_for_ocr_giro_transactions",
        "tests/test_record_writing.py::test_avtalegiro_agreement",
    ],
)
def test_nets_sample_records_are_written_back_byte_for_byte(corpora, key):
    line = _inline(corpora)[key][0]
    assert r.record_class_for(line).from_line(line).to_line() == line


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("NY09103000000012001921320101464000000000000102000                  0000531", "AmountItem1"),
        ("NY0910300000001200192132010146400000000000010200A                  0000531000000", "AmountItem1"),
        ("NY09103000000013201921320101464000000000000102000                  0000531000000", "DDMMYY"),
        ("NY09313000000012001921320101464000000000000102000                  0000531000000", "AmountItem1"),
    ],
)
def test_lines_that_do_not_fit_are_refused_naming_the_record(line, fragment):
    with pytest.raises(r.RecordError, match=fragment):
        r.AmountItem1.from_line(line)


def test_unknown_record_type_is_refused():
    with pytest.raises(r.RecordError, match="unknown record type '55'"):
        r.record_class_for("NY000055" + "0" * 72)


@given(
    ttype=st.integers(10, 21), number=st.integers(0, 9_999_999), nets_date=dates, centre=digits(2),
    day=st.integers(0, 99), partial=st.integers(0, 9), serial=digits(5), sign=st.sampled_from("0-"),
    amount=st.integers(0, 10**17 - 1), kid=kids, drawer=digits(2),
)  # fmt: skip
def test_amount_item_1_round_trip(  # noqa: PLR0917 - one argument per field
    ttype, number, nets_date, centre, day, partial, serial, sign, amount, kid, drawer):
    record = r.AmountItem1(ttype, number, nets_date, centre, day, partial, serial, sign, amount, kid, drawer)
    line = record.to_line()
    assert len(line) == 80
    assert r.AmountItem1.from_line(line) == record


@given(
    ttype=st.integers(10, 21), number=st.integers(0, 9_999_999), form=digits(10),
    reference=st.one_of(st.none(), digits(9).filter(lambda s: s.strip("0"))), filler=digits(7),
    bank_date=st.one_of(st.none(), dates), account=st.one_of(st.none(), digits(11).filter(lambda s: s.strip("0"))),
)  # fmt: skip
def test_amount_item_2_round_trip(  # noqa: PLR0917
    ttype, number, form, reference, filler, bank_date, account):
    record = r.AmountItem2(ttype, number, form, reference, filler, bank_date, account)
    line = record.to_line()
    assert len(line) == 80
    assert r.AmountItem2.from_line(line) == record


@given(ttype=st.sampled_from([20, 21]), number=st.integers(0, 9_999_999), text=texts)
def test_amount_item_3_round_trip(ttype, number, text):
    record = r.AmountItem3(ttype, number, text)
    line = record.to_line()
    assert len(line) == 80
    assert r.AmountItem3.from_line(line) == record


@given(transmitter=digits(8), number=digits(7), recipient=digits(8))
def test_transmission_start_round_trip(transmitter, number, recipient):
    record = r.TransmissionStart(transmitter, number, recipient)
    assert r.TransmissionStart.from_line(record.to_line()) == record


@given(n=st.integers(0, 10**8 - 1), records=st.integers(0, 10**8 - 1), total=st.integers(0, 10**17 - 1),
       day=st.one_of(st.none(), dates))  # fmt: skip
def test_transmission_end_round_trip(n, records, total, day):
    record = r.TransmissionEnd(n, records, total, day)
    assert r.TransmissionEnd.from_line(record.to_line()) == record


@given(
    service=st.sampled_from([9, 21]), kind=st.sampled_from([0, 24, 36]),
    agreement=st.one_of(st.none(), digits(9).filter(lambda s: s.strip("0"))), number=digits(7), account=digits(11),
)  # fmt: skip
def test_assignment_start_round_trip(service, kind, agreement, number, account):
    record = r.AssignmentStart(service, kind, agreement, number, account)
    assert r.AssignmentStart.from_line(record.to_line()) == record


@given(
    service=st.sampled_from([9, 21]), kind=st.sampled_from([0, 24, 36]), n=st.integers(0, 10**8 - 1),
    records=st.integers(0, 10**8 - 1), total=st.integers(0, 10**17 - 1),
    d1=st.one_of(st.none(), dates), d2=st.one_of(st.none(), dates), d3=st.one_of(st.none(), dates),
)  # fmt: skip
def test_assignment_end_round_trip(  # noqa: PLR0917
    service, kind, n, records, total, d1, d2, d3):
    record = r.AssignmentEnd(service, kind, n, records, total, d1, d2, d3)
    assert r.AssignmentEnd.from_line(record.to_line()) == record


@given(number=st.integers(0, 9_999_999), registration=st.integers(0, 2), kid=kids, notify=st.booleans())
def test_agreement_round_trip(number, registration, kid, notify):
    record = r.AvtaleGiroAgreement(number, registration, kid, notify)
    assert r.AvtaleGiroAgreement.from_line(record.to_line()) == record
