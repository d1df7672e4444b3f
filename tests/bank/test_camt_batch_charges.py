"""Charges on a camt batch entry split into its transaction details (issue 11).

Each file is written to the ISO 20022 schemas (camt.053.001.02 and .08, checked against the XSDs in
the corpora) and to the shapes banks send: charges per transaction or for the whole batch, taken
from the entry amount or booked elsewhere. The rule: the items of an entry (payments plus charges
items) add up to the booked entry amount; charges are never lost or counted twice; anything that
does not reconcile is refused, naming the amounts. Plus the FI camt.054 sample from the corpora, whose
batch carries per-transaction charges booked elsewhere.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from nofaktura.bank.camt import read_camt
from nofaktura.exceptions import FileTotalsError
from tests.bank.test_camt_real_files import _ref, entry, statement
from tests.conftest import CORPORA


def _charges(version: str, amount: str, credit: bool = False) -> str:
    indicator = "CRDT" if credit else "DBIT"
    if version == "02":
        return f'<Chrgs><Amt Ccy="NOK">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd></Chrgs>'
    return (f'<Chrgs><TtlChrgsAndTaxAmt Ccy="NOK">{amount}</TtlChrgsAndTaxAmt>'
            f'<Rcrd><Amt Ccy="NOK">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd></Rcrd></Chrgs>')  # fmt: skip


def tx(version: str, amount: str, ref: str, kid: str, charges: str = "") -> str:
    """A TxDtls (inner XML) in schema order: the amount in NOK, then charges, then the KID."""
    if version == "02":
        money = f'<AmtDtls><TxAmt><Amt Ccy="NOK">{amount}</Amt></TxAmt></AmtDtls>'
    else:
        money = f'<Amt Ccy="NOK">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
    return f"<Refs><AcctSvcrRef>{ref}</AcctSvcrRef></Refs>{money}{charges}{_ref(kid)}"


def _read(valid, version: str, entries: list[str]):
    return read_camt(io.BytesIO(valid(statement(version, entries))), source="charges.xml")


def _rows(payments) -> list[tuple[Decimal, str | None, bool, Decimal | None]]:
    return [(p.amount, p.kid, p.is_charges, p.charges) for p in payments]


def test_batch_charges_taken_from_the_entry_become_one_item(version, valid):
    # 600 + 400 paid in, the bank kept 15 for the batch: 985 booked.
    details = [tx(version, "600.00", "T1", "123456782"), tx(version, "400.00", "T2", "00000000026")]
    payments, summary = _read(valid, version, [entry(version, "985.00", details, batch=2,
                                                     charges=_charges(version, "15.00"))])  # fmt: skip
    assert _rows(payments) == [
        (Decimal("600.00"), "123456782", False, None),
        (Decimal("400.00"), "00000000026", False, None),
        (Decimal("-15.00"), None, True, Decimal("15.00")),
    ]
    assert sum(p.amount for p in payments) == Decimal("985.00")
    assert (summary.count, summary.credit_total, summary.debit_total) == (3, Decimal("1000.00"), Decimal("15.00"))
    charges = payments[2]
    assert charges.text == "Bank charges for the batch" and charges.bank_reference == "ACCT-1"
    assert len({p.key for p in payments}) == 3
    assert summary.batch_charges == [{
        "entry": "/Document/Stmt[1]/Ntry[1]", "entry_ref": "ACCT-1", "amount": "15.00", "currency": "NOK",
        "in_entry_amount": True, "booked": True, "status": "BOOK",
    }]  # fmt: skip


def test_batch_charges_booked_elsewhere_are_listed_not_booked(version, valid):
    details = [tx(version, "600.00", "T1", "123456782"), tx(version, "400.00", "T2", "00000000026")]
    payments, summary = _read(valid, version, [entry(version, "1000.00", details, batch=2,
                                                     charges=_charges(version, "15.00"))])  # fmt: skip
    assert _rows(payments) == [
        (Decimal("600.00"), "123456782", False, None), (Decimal("400.00"), "00000000026", False, None)]
    (listed,) = summary.batch_charges
    assert (listed["amount"], listed["in_entry_amount"]) == ("15.00", False)


def test_charges_per_transaction_taken_from_the_entry_follow_their_payment(version, valid):
    details = [
        tx(version, "600.00", "T1", "123456782", _charges(version, "10.00")),
        tx(version, "400.00", "T2", "00000000026"),
        tx(version, "200.00", "T3", "00000000034", _charges(version, "5.00")),
    ]
    payments, summary = _read(valid, version, [entry(version, "1185.00", details, batch=3)])
    assert _rows(payments) == [
        (Decimal("600.00"), "123456782", False, Decimal("10.00")),
        (Decimal("-10.00"), None, True, Decimal("10.00")),
        (Decimal("400.00"), "00000000026", False, None),
        (Decimal("200.00"), "00000000034", False, Decimal("5.00")),
        (Decimal("-5.00"), None, True, Decimal("5.00")),
    ]
    assert payments[1].extra["charges_for"] == payments[0].key and payments[4].extra["charges_for"] == payments[3].key
    assert "T1" in payments[1].text
    assert sum(p.amount for p in payments) == Decimal("1185.00") and summary.batch_charges == []


def test_charges_per_transaction_booked_elsewhere_stay_on_the_payment(version, valid):
    details = [tx(version, "600.00", "T1", "123456782", _charges(version, "10.00")),
               tx(version, "400.00", "T2", "00000000026")]  # fmt: skip
    payments, _summary = _read(valid, version, [entry(version, "1000.00", details, batch=2)])
    assert _rows(payments) == [
        (Decimal("600.00"), "123456782", False, Decimal("10.00")), (Decimal("400.00"), "00000000026", False, None)]


def test_batch_and_per_transaction_charges_that_agree_count_once(version, valid):
    details = [tx(version, "600.00", "T1", "123456782", _charges(version, "10.00")),
               tx(version, "400.00", "T2", "00000000026", _charges(version, "5.00"))]  # fmt: skip
    payments, summary = _read(valid, version, [entry(version, "985.00", details, batch=2,
                                                     charges=_charges(version, "15.00"))])  # fmt: skip
    assert [p.amount for p in payments] == [Decimal("600.00"), Decimal("-10.00"), Decimal("400.00"), Decimal("-5.00")]
    assert sum(p.amount for p in payments) == Decimal("985.00") and summary.batch_charges == []


def test_batch_and_per_transaction_charges_that_disagree_are_refused(version, valid):
    details = [tx(version, "600.00", "T1", "123456782", _charges(version, "10.00")),
               tx(version, "400.00", "T2", "00000000026")]  # fmt: skip
    data = [entry(version, "985.00", details, batch=2, charges=_charges(version, "15.00"))]
    with pytest.raises(FileTotalsError, match=r"charges of 15\.00 but its transaction details report charges of 10"):
        _read(valid, version, data)


def test_a_charges_refund_is_a_credit(version, valid):
    details = [tx(version, "600.00", "T1", "123456782"), tx(version, "400.00", "T2", "00000000026")]
    payments, _summary = _read(valid, version, [entry(version, "1003.00", details, batch=2,
                                                      charges=_charges(version, "3.00", credit=True))])  # fmt: skip
    assert (payments[-1].amount, payments[-1].is_charges) == (Decimal("3.00"), True)


def test_an_entry_that_does_not_reconcile_with_its_charges_is_refused(version, valid):
    details = [tx(version, "600.00", "T1", "123456782"), tx(version, "400.00", "T2", "00000000026")]
    data = [entry(version, "980.00", details, batch=2, charges=_charges(version, "15.00"))]
    with pytest.raises(FileTotalsError, match=r"entry amount is 980\.00 but its transaction details add up to "
                                              r"1000\.00 and its charges to -15\.00") as info:  # fmt: skip
        _read(valid, version, data)
    assert info.value.path == "/Document/Stmt[1]/Ntry[1]"


def test_a_re_sent_file_gives_the_same_keys(version, valid):
    details = [tx(version, "600.00", "T1", "123456782"), tx(version, "400.00", "T2", "00000000026")]
    entries = [entry(version, "985.00", details, batch=2, charges=_charges(version, "15.00"))]
    first, _ = _read(valid, version, entries)
    again, _ = _read(valid, version, entries)
    assert [p.key for p in first] == [p.key for p in again]


def test_fi_sample_per_transaction_charges_booked_elsewhere():
    # Entry 5 of the Finnish camt.054 sample: 2 x 500 EUR debited as 1 000, each with 20 EUR charges
    # that are not in the entry amount: they stay on the payments, nothing is added.
    path = CORPORA / "iso20022" / "moov-iso20022" / "test" / "testdata" / "FI_camt_054_sample.xml.xml"
    payments, summary = read_camt(io.BytesIO(path.read_bytes()), source=path.name)
    debits = [p for p in payments if p.end_to_end_id in ("ISSRBKREF12345678", "ISSRBKREF12345679")]
    assert [(p.amount, p.charges, p.charges_currency) for p in debits] == [
        (Decimal("-500.00"), Decimal("20.00"), "EUR"), (Decimal("-500.00"), Decimal("20.00"), "EUR")]
    assert not any(p.is_charges for p in payments) and summary.batch_charges == []


def test_cli_shows_the_charges(tmp_path, capsys, valid):
    from nofaktura.cli import main

    details = [tx("08", "600.00", "T1", "123456782"), tx("08", "400.00", "T2", "00000000026")]
    path = tmp_path / "charges.xml"
    path.write_bytes(valid(statement("08", [entry("08", "985.00", details, batch=2, charges=_charges("08", "15.00"))])))
    assert main(["camt", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Charges:    15.00 NOK for the batch ACCT-1, taken from the entry" in out
    assert "-15.00  NOK" in out and "Bank charges for the batch CHARGES" in out


def test_the_total_with_taxes_on_the_charges_is_what_is_taken(valid):
    # camt.053.001.08: a 15.00 charge plus 3.75 VAT on it, 18.75 in all taken from the 1 000.00 batch
    charges = ('<Chrgs><TtlChrgsAndTaxAmt Ccy="NOK">18.75</TtlChrgsAndTaxAmt><Rcrd><Amt Ccy="NOK">15.00</Amt>'
               '<CdtDbtInd>DBIT</CdtDbtInd><Tax><Amt Ccy="NOK">3.75</Amt></Tax></Rcrd></Chrgs>')  # fmt: skip
    details = [tx("08", "600.00", "T1", "123456782"), tx("08", "400.00", "T2", "00000000026")]
    payments, _summary = _read(valid, "08", [entry("08", "981.25", details, batch=2, charges=charges)])
    assert [(p.amount, p.is_charges, p.charges) for p in payments][-1] == (Decimal("-18.75"), True, Decimal("18.75"))
