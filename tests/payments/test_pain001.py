"""pain.001 writer: every field read back with plain lxml, the ISO XSDs of both versions, KID/IBAN/BBAN,
grouping by execution date / account / currency, PmtTpInf per payment kind, exact control sums."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nofaktura import kid
from nofaktura.bank.pain001 import NAMESPACES, write_pain001
from nofaktura.bank.payment_order import CreditTransfer, PaymentKind, PaymentOrder, PostalAddress
from nofaktura.exceptions import PaymentOrderError

from .helpers import CREATED, DAY, DEBTOR_ACCOUNT, account, assert_valid, read_back, sample_order, schema

VERSIONS = ["03", "09"]


@pytest.mark.parametrize("version", VERSIONS)
def test_round_trip_every_field(version):
    order = sample_order(bank_customer_id="NDEA-SVC-1", initiating_party_name="Regnskapskontoret AS")
    xml = write_pain001(order, created=CREATED, version=version)
    assert_valid(xml, version)
    back = read_back(xml, version)
    assert back["msg_id"] == "PAY-2026-0042"
    assert back["created"] == "2026-11-27T09:30:00+01:00"
    assert back["nb"] == "3"
    assert back["ctrl_sum"] == "1749.50"
    assert back["initiator"] == "Regnskapskontoret AS"
    assert back["initiator_ids"] == [("NDEA-SVC-1", "BANK"), ("988077917", "CUST")]
    first, second = back["batches"]
    # KID and free-text payments share date/account/currency/kind; the SUPP transfer gets its own block.
    assert (first["id"], first["nb"], first["ctrl_sum"], first["purpose"]) == ("PAY-2026-0042-1", "2", "1349.50", None)
    assert (second["id"], second["nb"], second["ctrl_sum"], second["purpose"]) == ("PAY-2026-0042-2", "1", "400.00",
                                                                                    "SUPP")
    for batch in back["batches"]:
        assert batch["method"] == "TRF"
        assert batch["batch_booking"] == "true"
        assert batch["service_level"] == "NURG"  # domestic NOK: never SEPA
        assert batch["date"] == "2026-12-01"
        assert batch["debtor"] == "Betaler Ærlig AS"
        assert batch["debtor_town"] == "Oslo"
        assert (batch["debtor_bban"], batch["debtor_bban_scheme"], batch["debtor_iban"]) == (DEBTOR_ACCOUNT, "BBAN",
                                                                                            None)
        assert batch["debtor_bic"] == "DNBANOKK"
        assert batch["charge_bearer"] is None
    kid_tx, text_tx = first["txs"]
    assert kid_tx == {
        "instr_id": "INS-1", "e2e": "E2E-1", "amount": "1250.00", "currency": "NOK", "creditor_bic": None,
        "creditor": "Kraft AS",
        "address": [("StrtNm", "Strømgata"), ("BldgNb", "12"), ("PstCd", "5015"), ("TwnNm", "Bergen"), ("Ctry", "NO")],
        "iban": None, "bban": "15035684279", "bban_scheme": "BBAN", "ref_type": "SCOR", "kid": "12345674",
        "ustrd": [], "invoices": [],
    }
    assert text_tx == {
        "instr_id": None, "e2e": "E2E-2", "amount": "99.50", "currency": "NOK", "creditor_bic": "DNBANOKK",
        "creditor": "Vask og Rens AS", "address": [], "iban": "NO9386011117947", "bban": None, "bban_scheme": None,
        "ref_type": None, "kid": None, "ustrd": ["Faktura 2026-118, takk!"], "invoices": [],
    }
    (invoice_tx,) = second["txs"]
    assert invoice_tx["e2e"] == "E2E-3" and invoice_tx["instr_id"] == "INS-3"
    assert invoice_tx["bban"] == account(1)
    assert invoice_tx["invoices"] == [("CINV", "F-9", "2026-11-01", "RmtdAmt", "500.00"),
                                      ("CREN", "K-2", None, "CdtNoteAmt", "100.00")]
    assert invoice_tx["kid"] is None and invoice_tx["ustrd"] == []


@pytest.mark.parametrize("version", VERSIONS)
def test_namespace_and_declaration(version):
    xml = write_pain001(sample_order(), created=CREATED, version=version)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert f'xmlns="{NAMESPACES[version]}"'.encode() in xml
    assert "Strømgata".encode() in xml  # UTF-8, not character references


def test_same_input_same_bytes():
    assert write_pain001(sample_order(), created=CREATED) == write_pain001(sample_order(), created=CREATED)


def test_naive_created_and_microseconds():
    xml = write_pain001(sample_order(), created=datetime.datetime(2026, 1, 2, 3, 4, 5, 999999))
    assert read_back(xml, "03")["created"] == "2026-01-02T03:04:05"


def test_unknown_version_refused():
    with pytest.raises(PaymentOrderError, match="version"):
        write_pain001(sample_order(), created=CREATED, version="08")


def test_created_must_be_a_datetime():
    with pytest.raises(PaymentOrderError, match="created"):
        write_pain001(sample_order(), created=datetime.date(2026, 1, 1))  # type: ignore[arg-type]


@pytest.mark.parametrize("version", VERSIONS)
def test_grouping_by_date_account_and_currency(version):
    other_account = account(7)
    late = datetime.date(2026, 12, 3)

    def tx(e2e, amount, **kw):
        kw.setdefault("creditor_account", account(2))
        return CreditTransfer(end_to_end_id=e2e, amount=Decimal(amount), creditor_name="C", **kw)

    transfers = [
        tx("A", "1.00"),
        tx("B", "2.00", execution_date=late),
        tx("C", "3.00", execution_date=DAY),  # explicit default date: same block as A
        tx("D", "4.00", debtor_account=other_account),
        tx("E", "5.00", execution_date=late),
        tx("F", "6.00", currency="EUR", creditor_account="DE89370400440532013000"),
        tx("G", "7.00", currency="EUR", creditor_account="DE89370400440532013000", execution_date=late),
        tx("H", "8.00", currency="USD", creditor_account="GB82WEST12345698765432",
           creditor_address=PostalAddress(country="GB")),
    ]
    order = PaymentOrder(message_id="M", debtor_name="D", debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                         transfers=transfers)
    xml = write_pain001(order, created=CREATED, version=version)
    assert_valid(xml, version)
    back = read_back(xml, version)
    blocks = [(b["id"], b["date"], b["debtor_bban"], [t["e2e"] for t in b["txs"]], b["ctrl_sum"], b["service_level"],
               b["charge_bearer"]) for b in back["batches"]]  # fmt: skip
    assert blocks == [
        ("M-1", "2026-12-01", DEBTOR_ACCOUNT, ["A", "C"], "4.00", "NURG", None),
        ("M-2", "2026-12-03", DEBTOR_ACCOUNT, ["B", "E"], "7.00", "NURG", None),
        ("M-3", "2026-12-01", other_account, ["D"], "4.00", "NURG", None),
        ("M-4", "2026-12-01", DEBTOR_ACCOUNT, ["F"], "6.00", "SEPA", "SLEV"),
        ("M-5", "2026-12-03", DEBTOR_ACCOUNT, ["G"], "7.00", "SEPA", "SLEV"),
        ("M-6", "2026-12-01", DEBTOR_ACCOUNT, ["H"], "8.00", None, "SHAR"),
    ]
    assert back["nb"] == "8" and back["ctrl_sum"] == "36.00"
    assert order.batch_ids() == {"A": "M-1", "C": "M-1", "B": "M-2", "E": "M-2", "D": "M-3", "F": "M-4", "G": "M-5",
                                 "H": "M-6"}  # fmt: skip


def test_payment_kinds():
    domestic_iban = CreditTransfer(end_to_end_id="a", amount=Decimal(1), creditor_name="x",
                                   creditor_account="NO9386011117947")  # fmt: skip
    eur_to_norway = CreditTransfer(end_to_end_id="b", amount=Decimal(1), currency="EUR", creditor_name="x",
                                   creditor_account="NO9386011117947")  # fmt: skip
    nok_abroad = CreditTransfer(end_to_end_id="c", amount=Decimal(1), creditor_name="x",
                                creditor_account="SE4550000000058398257466", creditor_address=PostalAddress("SE"))
    eur_outside_sepa = CreditTransfer(end_to_end_id="d", amount=Decimal(1), currency="EUR", creditor_name="x",
                                      creditor_account="TR330006100519786457841326",
                                      creditor_address=PostalAddress("TR"))  # fmt: skip
    assert domestic_iban.kind is PaymentKind.DOMESTIC
    assert eur_to_norway.kind is PaymentKind.SEPA  # Norway is in SEPA
    assert nok_abroad.kind is PaymentKind.INTERNATIONAL
    assert eur_outside_sepa.kind is PaymentKind.INTERNATIONAL


@pytest.mark.parametrize("version", VERSIONS)
def test_debtor_iban_no_bic_and_no_batch_booking(version):
    order = sample_order(debtor_account="NO93 8601 1117 947", debtor_bic=None, batch_booking=False,
                         charge_bearer="DEBT", debtor_orgnr=None, debtor_address=None)
    xml = write_pain001(order, created=CREATED, version=version)
    assert_valid(xml, version)
    back = read_back(xml, version)
    assert back["initiator_ids"] == []
    for batch in back["batches"]:
        assert (batch["debtor_iban"], batch["debtor_bban"]) == ("NO9386011117947", None)
        assert batch["debtor_bic"] is None and batch["debtor_agent_other"] == "NOTPROVIDED"
        assert batch["batch_booking"] == "false"
        assert batch["charge_bearer"] == "DEBT"


@pytest.mark.parametrize("algorithm", ["mod10", "mod11"])
def test_kid_payments_both_algorithms(algorithm):
    kids = [kid.make(str(base), algorithm) for base in (1, 42, 1234567890123, 10**23 + 7)]
    transfers = [CreditTransfer(end_to_end_id=f"K{n}", amount=Decimal("10.00"), creditor_name="Kreditor",
                                creditor_account=account(n), kid=value) for n, value in enumerate(kids)]  # fmt: skip
    order = PaymentOrder(message_id="KID", debtor_name="D", debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                         transfers=transfers)
    for version in VERSIONS:
        back = read_back(assert_valid_xml(order, version), version)
        txs = back["batches"][0]["txs"]
        assert [(t["ref_type"], t["kid"]) for t in txs] == [("SCOR", k) for k in kids]


def test_kid_with_spaces_is_written_compact():
    transfer = CreditTransfer(end_to_end_id="S", amount=Decimal(5), creditor_name="K", creditor_account=account(0),
                              kid="1234 5674")  # fmt: skip
    assert transfer.kid == "12345674"


def assert_valid_xml(order, version):
    xml = write_pain001(order, created=CREATED, version=version)
    assert_valid(xml, version)
    return xml


# -- CtrlSum exactness (Hypothesis) ------------------------------------------------------------------------

ore = st.integers(min_value=1, max_value=99_999_999_99)


@settings(max_examples=60, deadline=None)
@given(amounts=st.lists(ore, min_size=1, max_size=60), dates=st.lists(st.integers(0, 3), min_size=60, max_size=60))
def test_control_sums_are_exact(amounts, dates):
    transfers = [
        CreditTransfer(end_to_end_id=f"T{n}", amount=Decimal(value).scaleb(-2), creditor_name="K",
                       creditor_account=account(n % 5), execution_date=DAY + datetime.timedelta(days=dates[n]))
        for n, value in enumerate(amounts)
    ]  # fmt: skip
    order = PaymentOrder(message_id="H", debtor_name="D", debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                         transfers=transfers)
    xml = write_pain001(order, created=CREATED)
    back = read_back(xml, "03")
    total_ore = sum(amounts)
    assert back["ctrl_sum"] == f"{total_ore // 100}.{total_ore % 100:02d}"
    assert back["nb"] == str(len(amounts))
    seen = []
    for batch in back["batches"]:
        batch_ore = sum(int(t["amount"].replace(".", "")) for t in batch["txs"])
        assert batch["ctrl_sum"] == f"{batch_ore // 100}.{batch_ore % 100:02d}"
        assert batch["nb"] == str(len(batch["txs"]))
        assert len({batch["date"]}) == 1
        seen += [(t["e2e"], batch["date"]) for t in batch["txs"]]
    # every transfer once, in its own execution date's block
    assert sorted(seen) == sorted((f"T{n}", (DAY + datetime.timedelta(days=dates[n])).isoformat())
                                  for n in range(len(amounts)))  # fmt: skip
    assert len(back["batches"]) == len(set(dates[: len(amounts)]))


# Names and texts drawn from ISO-8859-1 letters, so the XSD sees Norwegian and other Latin-1 characters.
latin_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_categories=("Cc",)),
                     min_size=1, max_size=140).filter(lambda s: s.strip())  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(name=latin_text, text=latin_text, version=st.sampled_from(VERSIONS))
def test_any_latin1_texts_stay_schema_valid(name, text, version):
    order = PaymentOrder(message_id="X", debtor_name=name, debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                         transfers=[CreditTransfer(end_to_end_id="1", amount=Decimal("1.01"), creditor_name=name,
                                                   creditor_account=account(0), text=text)])  # fmt: skip
    xml = write_pain001(order, created=CREATED, version=version)
    assert_valid(xml, version)
    back = read_back(xml, version)
    assert back["batches"][0]["txs"][0]["ustrd"] == [text]
    assert back["batches"][0]["txs"][0]["creditor"] == name


def test_schemas_are_the_real_ones():
    # The schema in use really checks content (a wrong code list value is refused), so passing means something.
    from lxml import etree

    xml = write_pain001(sample_order(), created=CREATED)
    broken = xml.replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>XXX</PmtMtd>")
    assert not schema("03").validate(etree.fromstring(broken))
