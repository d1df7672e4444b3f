"""netsgiro is the oracle: our streaming reader and netsgiro's parser must agree, field by field,
on Nets' sample file and on generated files of every OCR transaction type."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import netsgiro
from hypothesis import given, settings
from hypothesis import strategies as st

from nofaktura.bank.generate import OcrTx
from nofaktura.bank.ocr import OcrReader

from .helpers import ocr_text

DIGITS = "0123456789"


def _none_if_zero(value):
    return None if value is None or value.strip("0") == "" else value


def assert_agree(text: str) -> int:
    ours = OcrReader(io.StringIO(text))
    payments = list(ours)
    theirs = netsgiro.parse(text)
    assert ours.transmission.transmission_number == theirs.number
    assert ours.transmission.data_recipient == theirs.data_recipient
    assert ours.summary.created == theirs.date
    expected = [(a, t) for a in theirs.assignments for t in a.transactions]
    assert len(payments) == len(expected) == ours.summary.declared_count
    for payment, (assignment, tx) in zip(payments, expected, strict=True):
        assert payment.account == assignment.account
        assert payment.extra["agreement_id"] == (assignment.agreement_id or "")
        assert payment.transaction_type == f"{int(tx.type):02d}"
        assert int(payment.extra["transaction_number"]) == tx.number
        assert payment.booking_date == tx.date
        assert abs(payment.amount) == tx.amount
        assert payment.is_reversal == (int(tx.type) in (18, 20))
        assert (payment.amount < 0) == (tx.amount > 0 and (payment.is_reversal or tx.sign == "-"))
        assert payment.kid == tx.kid
        assert payment.bank_reference == _none_if_zero(tx.reference)
        assert payment.text == tx.text
        assert payment.extra["form_number"] == tx.form_number
        assert payment.extra["bank_date"] == (tx.bank_date.isoformat() if tx.bank_date else "")
        assert payment.payer_account == _none_if_zero(tx.debit_account)
        assert payment.extra["settlement"] == (
            f"{tx.centre_id}{tx.day_code:02d}{tx.partial_settlement_number}{tx.partial_settlement_serial_number}"
        )
    total = sum((abs(p.amount) for p in payments), Decimal(0))
    assert total == sum((a.get_total_amount() for a in theirs.assignments), Decimal(0))
    assert ours.summary.declared_total == total
    return len(payments)


def test_nets_sample_file(corpora):
    text = (corpora / "nets-ocr-avtalegiro/tests/data/ocr_giro_transactions.txt").read_text(encoding="iso-8859-1")
    assert assert_agree(text) == 20


def test_every_transaction_type():
    txs = []
    for ttype in range(10, 22):
        text = "Kiosk 4 Bergen" if ttype in (20, 21) else None
        txs.append(
            OcrTx(1000 + ttype, kid="123456782", transaction_type=ttype, text=text,
                  bank_date=datetime.date(2026, 1, 14), debit_account="12345678903", reference="123456789")
        )  # fmt: skip
    assert assert_agree(ocr_text(txs)) == 12


ocr_transactions = st.builds(
    lambda ttype, amount, kid, days, bank, account, ref, form, text, centre, serial: OcrTx(
        amount_ore=amount, kid=kid, transaction_type=ttype,
        nets_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=days),
        bank_date=bank, debit_account=account, reference=ref, form_number=form,
        text=text if ttype in (20, 21) else None, centre_id=centre, partial_settlement_serial_number=serial,
    ),
    st.integers(10, 21),
    st.integers(0, 10**15),
    st.one_of(st.none(), st.text(DIGITS, min_size=2, max_size=25)),
    st.integers(0, 400),
    st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2060, 1, 1))),
    st.one_of(st.none(), st.text(DIGITS, min_size=11, max_size=11).filter(lambda s: s.strip("0"))),
    st.one_of(st.none(), st.text(DIGITS, min_size=9, max_size=9).filter(lambda s: s.strip("0"))),
    st.text(DIGITS, min_size=10, max_size=10),
    st.one_of(st.none(), st.text(st.sampled_from("ABCabc æøåÆØÅ0123-/."), min_size=1, max_size=40).filter(str.strip)),
    st.text(DIGITS, min_size=2, max_size=2),
    st.text(DIGITS, min_size=5, max_size=5),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(ocr_transactions, min_size=0, max_size=30), st.text(DIGITS, min_size=7, max_size=7))
def test_generated_files_agree(transactions, number):
    text = ocr_text(transactions, transmission_number=number)
    assert assert_agree(text) == len(transactions)
