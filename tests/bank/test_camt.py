"""camt.053/054 reader: the ISO 20022 samples in the corpora, our own Norwegian camt.054 files
(validated against the ISO XSDs), batches, returns, reversals, totals checks and hostile XML."""

from __future__ import annotations

import ast
import datetime
import io
import tracemalloc
from decimal import Decimal

import pytest
from lxml import etree

from nofaktura.bank import open_reader
from nofaktura.bank.camt import CamtReader, read_camt
from nofaktura.bank.generate import CamtEntry, CamtTx, write_camt054
from nofaktura.exceptions import DocumentError, FileTotalsError, UnsafeDocument

from .helpers import camt_bytes

ISO = "iso20022"
OCA = f"{ISO}/oca-bank-statement-import/account_statement_import_camt/test_files"
MOOV = f"{ISO}/moov-iso20022/test/testdata"

SAMPLES = [
    f"{MOOV}/FI_camt_054_sample.xml.xml",
    f"{MOOV}/FI_camt_053_sample.xml.xml",
    f"{MOOV}/statement_1.xml",
    f"{MOOV}/camt.053_P_CH2909000000250094239_1110092698_0_2020112503071366.xml",
    f"{MOOV}/200519_camt054-ESR-ASR_P_CH2909000000250094239_1110092704_0_2019042500372179.xml",
    f"{MOOV}/200519_camt054-returns_p_ch2909000000250094239_1109800798_0_2019052023472022.xml",
    f"{MOOV}/200519_camt.054-Debit_P_CH2909000000250094239_1110092692_0_2019042401501580.xml",
    f"{ISO}/iso20022js/test/assets/nordea/example_camt.xml",
    f"{ISO}/iso20022js/test/assets/ing/example_camt.xml",
    f"{ISO}/iso20022js/test/assets/abn_amro/example_camt.xml",
    f"{ISO}/iso20022js/test/assets/goldman_sachs/camt_053_uk_v2_1.xml",
    f"{ISO}/oca-account-payment/account_payment_return_import_iso20022/tests/test_files/test-sepa-camt-unpaid.xml",
    f"{OCA}/test-camt053",
    f"{OCA}/test-camt054",
    f"{OCA}/test-camt053-txdtls",
    f"{OCA}/test-camt053-no-ntry",
]

NORWEGIAN = [
    CamtEntry([CamtTx(Decimal("1234.50"), kid="123456782", payer_name="Ola Nordmann", payer_account="12345678903",
                      bank_reference="NO-REF-1", end_to_end_id="E2E-1")]),
    CamtEntry([
        CamtTx(Decimal("100.00"), kid="000004226000174", payer_name="Kari Nordmann", bank_reference="NO-REF-2"),
        CamtTx(Decimal("50.25"), kid="0010012026006-", bank_reference="NO-REF-3", reference_without_type=True),
        CamtTx(Decimal("75.00"), text="Faktura 2026-17 og 18", bank_reference="NO-REF-4"),
    ], entry_reference="NTRY-2", booking_date=datetime.date(2026, 1, 16), value_date=datetime.date(2026, 1, 17)),
    CamtEntry([CamtTx(Decimal("10.00"), kid="123456782", return_reason="AC04", bank_reference="NO-REF-5")],
              credit=False, reversal=True, bank_code=("PMNT", "RCDT", "RRTN")),
]  # fmt: skip


def _read(path):
    with path.open("rb") as stream:
        reader = CamtReader(stream)
        return list(reader), reader.summary


@pytest.mark.parametrize("name", SAMPLES)
def test_corpora_samples_are_read(corpora, name):
    payments, summary = _read(corpora / name)
    assert summary.format.startswith(("camt.053.001.", "camt.054.001."))
    assert summary.accounts
    for payment in payments:
        assert payment.currency and payment.key and payment.date
    assert len({p.key for p in payments}) == len(payments)


@pytest.mark.parametrize(
    ("sample", "golden"),
    [("test-camt054", "golden-camt054"), ("test-camt053", "golden-camt053"),
     ("test-camt053-txdtls", "golden-camt053-txdtls")],
)  # fmt: skip
def test_agrees_with_the_oca_golden_results(corpora, sample, golden):
    currency, account, statements = ast.literal_eval((corpora / OCA / f"{golden}.pydata").read_text())
    payments, summary = _read(corpora / OCA / sample)
    expected = [t for s in statements for t in s["transactions"]]
    assert summary.accounts == [account]
    assert {p.currency for p in payments} == {currency}
    assert [(p.amount, p.date.isoformat()) for p in payments] == [
        (Decimal(str(t["amount"])).quantize(Decimal("0.01")), t["date"]) for t in expected
    ]
    if statements[0]["balance_start"] or statements[0]["balance_end_real"]:
        assert summary.opening_balance == Decimal(str(statements[0]["balance_start"])).quantize(Decimal("0.01"))
        assert summary.closing_balance == Decimal(str(statements[-1]["balance_end_real"])).quantize(Decimal("0.01"))


def test_finnish_notification_batches_kids_returns_and_reversals(corpora):
    payments, summary = _read(corpora / f"{MOOV}/FI_camt_054_sample.xml.xml")
    assert summary.format == "camt.054.001.02"
    assert summary.message_id == "BANKFILEID219073"
    assert summary.declared_count == 6 and summary.declared_total == Decimal("10830.05")
    first, second = payments[0], payments[1]  # one batch entry of 2000.00 split into its two TxDtls
    # "3900" (first reference) fails MOD10/MOD11: not a KID; the second, "12344", passes MOD10.
    assert (first.amount, first.kid, first.reference, first.payer_name) == (
        Decimal("1900.00"), "12344", "3900", "PAYERS NAME1")  # fmt: skip
    assert (second.amount, second.kid, second.bank_reference) == (Decimal("100.00"), "43216", "D091029N987654321S002")
    assert first.transaction_type == "PMNT/RCDT/DMCT"
    rf = next(p for p in payments if p.reference and p.reference.startswith("RF"))
    assert rf.kid is None  # an ISO 11649 RF reference is not a KID
    returned = [p for p in payments if p.is_return]
    assert [p.extra["return_reason"] for p in returned] == ["AC01", "CUST"]
    assert all(p.is_reversal and p.status == "INFO" for p in returned)
    debit = next(p for p in payments if p.bank_reference == "091029ARCH03001")
    assert debit.amount == Decimal("-2000.02")
    assert debit.payer_account == "29501800020582"  # the creditor's BBAN (Othr/Id) on a debit


@pytest.mark.parametrize("version", ["02", "08"])
def test_norwegian_notification_is_schema_valid_and_read(corpora, version):
    data = camt_bytes(NORWEGIAN, version=version)
    schema = etree.XMLSchema(etree.parse(str(corpora / ISO / "camt-xsd" / f"camt.054.001.{version}.xsd")))
    assert schema.validate(etree.fromstring(data)), schema.error_log
    payments, summary = read_camt(io.BytesIO(data), source="no.xml")
    assert summary.format == f"camt.054.001.{version}"
    assert summary.accounts == ["86011117947"]
    assert summary.declared_count == 3 and summary.declared_total == Decimal("1469.75")
    assert [p.amount for p in payments] == [Decimal(x) for x in ("1234.50", "100.00", "50.25", "75.00", "-10.00")]
    assert [p.kid for p in payments] == ["123456782", "000004226000174", "0010012026006-", None, "123456782"]
    one = payments[0]
    assert (one.payer_name, one.payer_account, one.end_to_end_id) == ("Ola Nordmann", "12345678903", "E2E-1")
    assert one.currency == "NOK" and one.booking_date == datetime.date(2026, 1, 15)
    assert payments[3].text == "Faktura 2026-17 og 18"
    assert payments[1].value_date == datetime.date(2026, 1, 17)
    assert payments[1].booking_date == datetime.date(2026, 1, 16)
    last = payments[4]
    assert last.is_return and last.is_reversal and last.extra["return_reason"] == "AC04"
    assert summary.credit_total == Decimal("1459.75") and summary.debit_total == Decimal("10.00")


def test_same_transaction_same_key_across_files():
    a = read_camt(io.BytesIO(camt_bytes(NORWEGIAN, message_id="A")))[0]
    b = read_camt(io.BytesIO(camt_bytes(NORWEGIAN[1:], message_id="B", version="08")))[0]
    assert [p.key for p in a[1:]] == [p.key for p in b]


def test_fallback_keys_are_unique_for_identical_payments_and_stable():
    entries = [CamtEntry([CamtTx(Decimal("10.00"), kid="123456782")])] * 3
    keys = [p.key for p in read_camt(io.BytesIO(camt_bytes(entries)))[0]]
    assert len(set(keys)) == 3
    assert keys == [p.key for p in read_camt(io.BytesIO(camt_bytes(entries)))[0]]


def test_namespace_free_message_is_read():
    data = camt_bytes(NORWEGIAN).replace(b' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"', b"")
    payments, summary = read_camt(io.BytesIO(data))
    assert summary.format == "camt.054" and len(payments) == 5


def test_wrong_summary_total_is_refused():
    data = camt_bytes(NORWEGIAN).replace(b"<Sum>1469.75</Sum>", b"<Sum>1469.76</Sum>")
    with pytest.raises(FileTotalsError, match=r"TxsSummry declares a sum of 1469\.76") as info:
        read_camt(io.BytesIO(data), source="n.xml")
    assert info.value.path.endswith("TxsSummry/TtlNtries/Sum") and info.value.line


def test_wrong_summary_count_is_refused():
    data = camt_bytes(NORWEGIAN).replace(b"<NbOfNtries>3</NbOfNtries>", b"<NbOfNtries>4</NbOfNtries>")
    with pytest.raises(FileTotalsError, match="declares 4 entries but there are 3"):
        read_camt(io.BytesIO(data))


def test_batch_whose_details_do_not_add_up_is_refused():
    entries = [CamtEntry(NORWEGIAN[1].transactions, amount_override=Decimal("225.00"))]
    with pytest.raises(FileTotalsError, match=r"transaction details add up to 225\.25") as info:
        read_camt(io.BytesIO(camt_bytes(entries)))
    assert info.value.path == "/Document/Ntfctn[1]/Ntry[1]"


def test_batch_count_mismatch_is_refused():
    data = camt_bytes(NORWEGIAN).replace(b"<NbOfTxs>3</NbOfTxs>", b"<NbOfTxs>4</NbOfTxs>")
    with pytest.raises(FileTotalsError, match="declares 4 transactions"):
        read_camt(io.BytesIO(data))


def test_vendor_sample_whose_summary_does_not_add_up_is_refused(corpora):
    """Goldman Sachs' sample declares 14 entries (9 credits + 5 debits) and lists 15."""
    with pytest.raises(FileTotalsError, match="declares 14 entries but there are 15") as info:
        _read(corpora / f"{ISO}/iso20022js/test/assets/goldman_sachs/camt_053_us_v2_sample.xml")
    assert info.value.line == 94


def test_statement_balance_differences_are_reported_not_refused(corpora):
    with (corpora / OCA / "test-camt053").open("rb") as stream:
        reader = CamtReader(stream)
        assert len(list(reader)) == 4
    # 15568.27 - 12.99 (the four entries) = 15555.28, the sample says 15121.12
    assert reader.balance_differences == [("/Document/Stmt[1]", Decimal("434.16"))]
    with (corpora / OCA / "test-camt053-txdtls").open("rb") as stream:
        reader = CamtReader(stream)
        list(reader)
    assert reader.balance_differences == []


def test_truncated_xml_is_refused_with_a_line():
    data = camt_bytes(NORWEGIAN)
    with pytest.raises(DocumentError, match="not well-formed") as info:
        read_camt(io.BytesIO(data[: len(data) // 2]), source="cut.xml")
    assert info.value.line and str(info.value).startswith("cut.xml, line")


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x "y">]><Document>&x;</Document>',
        b'<?xml version="1.0"?><!DOCTYPE Document SYSTEM "http://example.com/evil.dtd"><Document/>',
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<Document><a>&lol2;</a></Document>",
    ],
)
def test_hostile_xml_is_refused(data):
    with pytest.raises(UnsafeDocument):
        read_camt(io.BytesIO(data))


def test_doctype_after_a_long_comment_is_still_refused():
    data = b'<?xml version="1.0"?><!--' + b"x" * 100_000 + b'--><!DOCTYPE d [<!ENTITY e "f">]><Document>&e;</Document>'
    with pytest.raises(DocumentError):
        read_camt(io.BytesIO(data))


def test_utf16_doctype_is_refused_as_unsafe():
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY e "f">]><Document>&e;</Document>'
    with pytest.raises(UnsafeDocument):
        read_camt(io.BytesIO(data.encode("utf-16")))


def test_doctype_named_in_a_comment_is_not_a_doctype():
    data = camt_bytes(NORWEGIAN).replace(b"?>", b"?><!-- not a <!DOCTYPE here, nor <!ENTITY -->", 1)
    assert b"<!DOCTYPE" in data
    assert read_camt(io.BytesIO(data)) == read_camt(io.BytesIO(camt_bytes(NORWEGIAN)))


def test_other_xml_is_refused():
    with pytest.raises(DocumentError, match=r"pain\.001\.001\.03 is not supported"):
        read_camt(io.BytesIO(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>'))
    with pytest.raises(DocumentError, match="not a camt"):
        read_camt(io.BytesIO(b"<Document><Other/></Document>"))


def test_open_reader_detects_the_format(corpora):
    with (corpora / "nets-ocr-avtalegiro/tests/data/ocr_giro_transactions.txt").open("rb") as stream:
        assert len(list(open_reader(stream))) == 20
    assert len(list(open_reader(io.BytesIO(camt_bytes(NORWEGIAN))))) == 5
    with pytest.raises(DocumentError, match="neither"):
        open_reader(io.BytesIO(b"hello"), source="x.bin")


def _entries(count):
    for n in range(count):
        yield CamtEntry([CamtTx(Decimal("100.00"), kid="123456782", bank_reference=f"R{n}", payer_name="Ola")])


def test_memory_stays_flat(tmp_path):
    def peak(count):
        path = tmp_path / f"{count}.xml"
        with path.open("w", encoding="utf-8") as out:
            write_camt054(out, _entries(count), with_summary=False)
        tracemalloc.start()
        with path.open("rb") as stream:
            n = sum(1 for _ in CamtReader(stream))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert n == count
        return top

    small, large = peak(2_000), peak(10_000)
    assert large < small * 1.5 + 256 * 1024
