"""camt.053/054 shapes real banks send that the reader once got wrong (issue 11 item 1).

Each file is written here to the ISO 20022 schemas (camt.053.001.02 and .08, validated against the
XSDs in the corpora): foreign-currency and net-of-charges entries whose details carry other amounts,
details without an amount, pending entries, non-KID creditor references, a message without a
statement, and ISO 20022 messages we do not read.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from nofaktura.bank import open_reader
from nofaktura.bank.camt import read_camt
from nofaktura.cli import main
from nofaktura.exceptions import DocumentError, FileTotalsError

IBAN = "NO9386011117947"


def _status(version: str, code: str) -> str:
    return f"<Sts>{code}</Sts>" if version == "02" else f"<Sts><Cd>{code}</Cd></Sts>"


def _ref(ref: str, code: str = "SCOR") -> str:
    return (f"<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Ref>{ref}</Ref>"
            "</CdtrRefInf></Strd></RmtInf>")  # fmt: skip


def entry(version: str, amount: str, details: list[str], *, status: str = "BOOK", credit: bool = True,
          charges: str = "", ref: str = "ACCT-1", batch: int | None = None) -> str:  # fmt: skip
    """One Ntry; ``details`` are the inner XML of its TxDtls (in schema order for ``version``)."""
    btch = f"<Btch><NbOfTxs>{batch}</NbOfTxs></Btch>" if batch else ""
    ntry_dtls = f"<NtryDtls>{btch}{''.join(f'<TxDtls>{d}</TxDtls>' for d in details)}</NtryDtls>" if details else ""
    return (
        f"<Ntry><Amt Ccy=\"NOK\">{amount}</Amt><CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd>"
        f"{_status(version, status)}<BookgDt><Dt>2026-12-01</Dt></BookgDt><ValDt><Dt>2026-12-01</Dt></ValDt>"
        f"<AcctSvcrRef>{ref}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>XBCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        f"{charges}{ntry_dtls}</Ntry>"
    )


def statement(version: str, entries: list[str], summary: tuple[int, str] | None = None) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">'
        "<BkToCstmrStmt><GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-12-02T06:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>S1</Id><CreDtTm>2026-12-02T06:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>NOK</Ccy></Acct>"
        "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"NOK\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
        "<Dt><Dt>2026-12-01</Dt></Dt></Bal>"
        + (f"<TxsSummry><TtlNtries><NbOfNtries>{summary[0]}</NbOfNtries><Sum>{summary[1]}</Sum></TtlNtries></TxsSummry>"
           if summary else "")
        + f"{''.join(entries)}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def _charges(version: str, amount: str) -> str:
    if version == "02":
        return f'<Chrgs><Amt Ccy="NOK">{amount}</Amt></Chrgs>'
    return (f'<Chrgs><TtlChrgsAndTaxAmt Ccy="NOK">{amount}</TtlChrgsAndTaxAmt>'
            f'<Rcrd><Amt Ccy="NOK">{amount}</Amt></Rcrd></Chrgs>')


def test_foreign_currency_payment_is_the_booked_nok_amount(version, valid):
    # 100 EUR instructed, 1 150.40 NOK booked (after 25 NOK charges): the payment is what the account got.
    amt_dtls = ('<AmtDtls><InstdAmt><Amt Ccy="EUR">100.00</Amt><CcyXchg><SrcCcy>EUR</SrcCcy><TrgtCcy>NOK</TrgtCcy>'
                '<XchgRate>11.7540</XchgRate></CcyXchg></InstdAmt><TxAmt><Amt Ccy="EUR">100.00</Amt></TxAmt>'
                '<CntrValAmt><Amt Ccy="NOK">1175.40</Amt></CntrValAmt></AmtDtls>')  # fmt: skip
    tx = f"<Refs><EndToEndId>E2E-FX</EndToEndId></Refs>{amt_dtls}{_charges(version, '25.00')}{_ref('123456782')}"
    payments, summary = read_camt(io.BytesIO(valid(statement(version, [entry(version, "1150.40", [tx])]))))
    (payment,) = payments
    assert (payment.amount, payment.currency, payment.kid) == (Decimal("1150.40"), "NOK", "123456782")
    assert payment.extra["instructed_amount"] == "100.00" and payment.extra["instructed_currency"] == "EUR"
    assert payment.extra["counter_value_amount"] == "1175.40" and payment.extra["exchange_rate"] == "11.7540"
    assert (payment.charges, payment.charges_currency) == (Decimal("25.00"), "NOK")
    assert summary.credit_total == Decimal("1150.40")
    assert payment.as_json()["charges"] == "25.00"


def test_amount_net_of_charges_is_the_entry_amount(valid):
    # camt.053.001.08: TxDtls/Amt is the gross 1 000.00, the account was credited 995.00.
    tx = f'<Refs><EndToEndId>E2E-NET</EndToEndId></Refs><Amt Ccy="NOK">1000.00</Amt>{_charges("08", "5.00")}'
    payments, _summary = read_camt(io.BytesIO(valid(statement("08", [entry("08", "995.00", [tx])]))))
    (payment,) = payments
    assert payment.amount == Decimal("995.00")
    assert (payment.extra["details_amount"], payment.charges) == ("1000.00", Decimal("5.00"))


def test_entry_level_charges_on_an_entry_without_details(version, valid):
    data = valid(statement(version, [entry(version, "490.00", [], charges=_charges(version, "10.00"))]))
    (payment,), _summary = read_camt(io.BytesIO(data))
    assert (payment.amount, payment.charges) == (Decimal("490.00"), Decimal("10.00"))


def test_details_without_an_amount_use_the_entry_amount(version, valid):
    details = [f"<Refs><EndToEndId>E1</EndToEndId></Refs>{_ref('123456782')}"]
    data = valid(statement(version, [entry(version, "300.00", details, batch=1)]))
    (payment,), _summary = read_camt(io.BytesIO(data))
    assert (payment.amount, payment.kid, payment.end_to_end_id) == (Decimal("300.00"), "123456782", "E1")


def test_batch_is_split_by_the_account_currency_amounts_not_instructed_ones(valid):
    # Two transfers of 600 and 400 NOK, instructed as 60 and 40 EUR: the NOK amounts split the entry.
    def tx(nok: str, eur: str, ref: str) -> str:
        return (f'<Refs><AcctSvcrRef>{ref}</AcctSvcrRef></Refs><Amt Ccy="NOK">{nok}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                f'<AmtDtls><InstdAmt><Amt Ccy="EUR">{eur}</Amt></InstdAmt><TxAmt><Amt Ccy="EUR">{eur}</Amt></TxAmt>'
                "</AmtDtls>")  # fmt: skip
    data = valid(statement("08", [entry("08", "1000.00", [tx("600.00", "60.00", "T1"), tx("400.00", "40.00", "T2")],
                                        batch=2)]))  # fmt: skip
    payments, summary = read_camt(io.BytesIO(data))
    assert [(p.amount, p.currency, p.extra["instructed_amount"]) for p in payments] == [
        (Decimal("600.00"), "NOK", "60.00"), (Decimal("400.00"), "NOK", "40.00")]  # fmt: skip
    assert summary.credit_total == Decimal("1000.00")


def test_batch_without_account_currency_amounts_is_refused(valid):
    def tx(eur: str) -> str:
        return f'<AmtDtls><InstdAmt><Amt Ccy="EUR">{eur}</Amt></InstdAmt></AmtDtls>'
    data = valid(statement("02", [entry("02", "1000.00", [tx("60.00"), tx("40.00")], batch=2)]))
    with pytest.raises(DocumentError, match=r"without an amount in NOK .*cannot be split") as info:
        read_camt(io.BytesIO(data), source="fx.xml")
    assert info.value.path == "/Document/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]"


def test_pending_and_information_entries_are_not_booked(version, valid):
    data = valid(statement(version, [
        entry(version, "100.00", [], ref="A1"),
        entry(version, "250.00", [], status="PDNG", ref="A2"),
        entry(version, "75.00", [], status="INFO", credit=False, ref="A3"),
    ]))  # fmt: skip
    payments, summary = read_camt(io.BytesIO(data))
    assert [(p.amount, p.status, p.booked) for p in payments] == [
        (Decimal("100.00"), "BOOK", True), (Decimal("250.00"), "PDNG", False),
        (Decimal("-75.00"), "INFO", False)]  # fmt: skip
    assert (summary.count, summary.credit_total, summary.debit_total) == (1, Decimal("100.00"), Decimal("0.00"))
    assert (summary.unbooked_count, summary.unbooked_total) == (2, Decimal("175.00"))


@pytest.mark.parametrize("declared", [(2, "350.00"), (1, "100.00")])
def test_summary_may_count_all_entries_or_only_the_booked_ones(version, valid, declared):
    entries = [entry(version, "100.00", [], ref="A1"), entry(version, "250.00", [], status="PDNG", ref="A2")]
    payments, summary = read_camt(io.BytesIO(valid(statement(version, entries, declared))))
    assert (len(payments), summary.count, summary.declared_count) == (2, 1, declared[0])
    with pytest.raises(FileTotalsError, match=r"TxsSummry declares 1 entries but there are 2"):
        read_camt(io.BytesIO(statement(version, entries, (1, "250.00"))))


def test_entry_amount_details_without_transaction_details_are_kept(valid):
    data = statement("02", [entry("02", "1175.40", []).replace(
        "</BkTxCd>", '</BkTxCd><AmtDtls><InstdAmt><Amt Ccy="EUR">100.00</Amt></InstdAmt></AmtDtls>')])  # fmt: skip
    (payment,), _summary = read_camt(io.BytesIO(valid(data)))
    assert (payment.amount, payment.extra["instructed_amount"], payment.extra["instructed_currency"]) == (
        Decimal("1175.40"), "100.00", "EUR")  # fmt: skip


def test_only_mod10_or_mod11_references_are_kids(version, valid):
    refs = ["RF18539007547034", "123456789", "0010012026006-", "000004226000174"]
    data = valid(statement(version, [entry(version, "1.00", [_ref(r)], ref=f"R{i}") for i, r in enumerate(refs)]))
    payments, _summary = read_camt(io.BytesIO(data))
    # RF creditor reference and a digit string failing both check digits: references, not KIDs.
    assert [(p.kid, p.reference) for p in payments] == [
        (None, "RF18539007547034"), (None, "123456789"), ("0010012026006-", "0010012026006-"),
        ("000004226000174", "000004226000174")]  # fmt: skip


def test_message_without_a_statement_is_refused(version):
    data = (f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"><BkToCstmrStmt>'
            "<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-12-02T06:00:00</CreDtTm></GrpHdr>"
            "</BkToCstmrStmt></Document>")  # fmt: skip
    with pytest.raises(DocumentError, match=r"holds no Stmt") as info:
        read_camt(io.BytesIO(data.encode()), source="empty.xml")
    assert info.value.path == "/Document/BkToCstmrStmt"


@pytest.mark.parametrize(("message", "root"), [
    ("camt.055.001.08", "CstmrPmtCxlReq"), ("camt.052.001.01", "BkToCstmrAcctRptV01"),
    ("camt.056.001.08", "FIToFIPmtCxlReq"),
])  # fmt: skip
def test_other_iso20022_messages_are_named(message, root, tmp_path, capsys):
    ns = f"urn:iso:std:iso:20022:tech:xsd:{message}"
    data = f'<?xml version="1.0"?><Document xmlns="{ns}"><{root}/></Document>'.encode()
    with pytest.raises(DocumentError, match=rf"{message} is not supported \(we read camt\.052/053/054"):
        read_camt(io.BytesIO(data))
    with pytest.raises(DocumentError, match=rf"{message} is not supported"):
        list(open_reader(io.BytesIO(data)))
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    assert main(["camt", "show", str(path)]) == 2
    assert f"{message} is not supported" in capsys.readouterr().err


def test_the_readers_kid_check_agrees_with_nofaktura_kid():
    import random

    from nofaktura import kid
    from nofaktura.bank.camt.reader import _is_kid

    rng = random.Random(11)
    samples = ["", "0", "00", "0-", "-", "12 34", "1234567-", "RF18539007547034", "１２３", "12a4", "9" * 26]
    for _ in range(5000):
        length = rng.randint(1, 26)
        samples.append("".join(rng.choice("0123456789") for _ in range(length)) + rng.choice(["", "", "-"]))
    samples += [kid.make(str(rng.randint(1, 10**12)), alg) for alg in ("mod10", "mod11") for _ in range(500)]
    assert [s for s in samples if _is_kid(s) != kid.is_valid(s)] == []


def test_cli_flags_entries_that_are_not_booked(tmp_path, capsys):
    path = tmp_path / "pdng.xml"
    path.write_bytes(statement("08", [entry("08", "100.00", [], ref="A1"),
                                      entry("08", "250.00", [], status="PDNG", ref="A2")]))  # fmt: skip
    assert main(["camt", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Count:      1\n" in out and "Credits:    100.00 NOK" in out
    assert "Not booked: 1 (pending/information, not in the totals)" in out and "NOT BOOKED (PDNG)" in out
    assert main(["camt", "show", "--json", str(path)]) == 0
    totals = json.loads(capsys.readouterr().out)["totals"]
    assert (totals["count"], totals["unbooked_count"], totals["unbooked_total"]) == (1, 1, "250.00")
