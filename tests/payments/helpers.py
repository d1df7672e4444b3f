"""Shared helpers of the outgoing-payment tests: valid numbers, a sample order, reading pain.001 back."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from lxml import etree
from stdnum.no import kontonr

from nofaktura import kid
from nofaktura.bank.payment_order import CreditTransfer, InvoiceReference, PaymentOrder, PostalAddress

from ..conftest import CORPORA

SCHEMAS = CORPORA / "iso20022" / "python-sepaxml" / "sepaxml" / "schemas"
CREATED = datetime.datetime(2026, 11, 27, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
DAY = datetime.date(2026, 12, 1)
DEBTOR_ACCOUNT = "86011117947"


@cache
def schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"pain.001.001.{version}.xsd")))


def assert_valid(xml: bytes, version: str) -> etree._Element:
    document = etree.fromstring(xml)
    xsd = schema(version)
    assert xsd.validate(document), [str(e) for e in xsd.error_log]
    return document


def account(n: int) -> str:
    """The n-th valid Norwegian 11-digit account number (bank 1503)."""
    found = 0
    body = 0
    while True:
        base = f"150300{body:04d}"
        body += 1
        remainder = sum(w * int(d) for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), base, strict=True)) % 11
        check = (11 - remainder) % 11
        if check != 10:  # MOD11 remainder 1: no valid account with this body
            if found == n:
                assert kontonr.is_valid(base + str(check))
                return base + str(check)
            found += 1


def sample_order(**overrides) -> PaymentOrder:
    """Three transfers: a KID payment, a free-text payment to an IBAN, and invoice references."""
    transfers = (
        CreditTransfer(
            end_to_end_id="E2E-1", instruction_id="INS-1", amount=Decimal("1250.00"), creditor_name="Kraft AS",
            creditor_account="1503.56.84279", kid=kid.make("1234567", "mod10"),
            creditor_address=PostalAddress("NO", "Strømgata", "12", "5015", "Bergen"),
        ),
        CreditTransfer(
            end_to_end_id="E2E-2", amount=Decimal("99.5"), creditor_name="Vask og Rens AS",
            creditor_account="NO93 8601 1117 947", creditor_bic="DNBANOKK", text="Faktura 2026-118, takk!",
        ),
        CreditTransfer(
            end_to_end_id="E2E-3", instruction_id="INS-3", amount=Decimal("400"), creditor_name="Papir & Co AS",
            creditor_account=account(1), category_purpose="SUPP",
            invoices=(InvoiceReference("F-9", Decimal("500.00"), date=datetime.date(2026, 11, 1)),
                      InvoiceReference("K-2", Decimal("100.00"), credit_note=True)),
        ),
    )
    data = dict(
        message_id="PAY-2026-0042", debtor_name="Betaler Ærlig AS", debtor_account=DEBTOR_ACCOUNT,
        debtor_orgnr="988077917", debtor_bic="DNBANOKK", execution_date=DAY, transfers=transfers,
        debtor_address=PostalAddress("NO", "Storgata", "1", "0155", "Oslo"),
    )
    data.update(overrides)
    return PaymentOrder(**data)


def ns_of(version: str) -> dict[str, str]:
    return {"p": f"urn:iso:std:iso:20022:tech:xsd:pain.001.001.{version}"}


def read_back(xml: bytes, version: str) -> dict:
    """Everything the writer wrote, read with plain lxml XPath (independent of the writer's code)."""
    root = etree.fromstring(xml)
    ns = ns_of(version)

    def t(node, path):
        found = node.xpath(path + "/text()", namespaces=ns)
        return found[0] if found else None

    bic = "BICFI" if version == "09" else "BIC"
    date_path = "p:ReqdExctnDt/p:Dt" if version == "09" else "p:ReqdExctnDt"
    result = {
        "msg_id": t(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId"),
        "created": t(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CreDtTm"),
        "nb": t(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs"),
        "ctrl_sum": t(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum"),
        "initiator": t(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:InitgPty/p:Nm"),
        "initiator_ids": [
            (t(o, "p:Id"), t(o, "p:SchmeNm/p:Cd"))
            for o in root.xpath("p:CstmrCdtTrfInitn/p:GrpHdr/p:InitgPty/p:Id/p:OrgId/p:Othr", namespaces=ns)
        ],
        "batches": [],
    }
    for pmt in root.xpath("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=ns):
        batch = {
            "id": t(pmt, "p:PmtInfId"), "method": t(pmt, "p:PmtMtd"), "batch_booking": t(pmt, "p:BtchBookg"),
            "nb": t(pmt, "p:NbOfTxs"), "ctrl_sum": t(pmt, "p:CtrlSum"),
            "service_level": t(pmt, "p:PmtTpInf/p:SvcLvl/p:Cd"), "purpose": t(pmt, "p:PmtTpInf/p:CtgyPurp/p:Cd"),
            "date": t(pmt, date_path), "debtor": t(pmt, "p:Dbtr/p:Nm"),
            "debtor_town": t(pmt, "p:Dbtr/p:PstlAdr/p:TwnNm"),
            "debtor_iban": t(pmt, "p:DbtrAcct/p:Id/p:IBAN"),
            "debtor_bban": t(pmt, "p:DbtrAcct/p:Id/p:Othr/p:Id"),
            "debtor_bban_scheme": t(pmt, "p:DbtrAcct/p:Id/p:Othr/p:SchmeNm/p:Cd"),
            "debtor_bic": t(pmt, f"p:DbtrAgt/p:FinInstnId/p:{bic}"),
            "debtor_agent_other": t(pmt, "p:DbtrAgt/p:FinInstnId/p:Othr/p:Id"),
            "charge_bearer": t(pmt, "p:ChrgBr"),
            "txs": [],
        }
        for tx in pmt.xpath("p:CdtTrfTxInf", namespaces=ns):
            amount = tx.xpath("p:Amt/p:InstdAmt", namespaces=ns)[0]
            batch["txs"].append({
                "instr_id": t(tx, "p:PmtId/p:InstrId"), "e2e": t(tx, "p:PmtId/p:EndToEndId"),
                "amount": amount.text, "currency": amount.get("Ccy"),
                "creditor_bic": t(tx, f"p:CdtrAgt/p:FinInstnId/p:{bic}"),
                "creditor": t(tx, "p:Cdtr/p:Nm"),
                "address": [(etree.QName(e).localname, e.text)
                            for e in tx.xpath("p:Cdtr/p:PstlAdr/*", namespaces=ns)],
                "iban": t(tx, "p:CdtrAcct/p:Id/p:IBAN"), "bban": t(tx, "p:CdtrAcct/p:Id/p:Othr/p:Id"),
                "bban_scheme": t(tx, "p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Cd"),
                "ref_type": t(tx, "p:RmtInf/p:Strd/p:CdtrRefInf/p:Tp/p:CdOrPrtry/p:Cd"),
                "kid": t(tx, "p:RmtInf/p:Strd/p:CdtrRefInf/p:Ref"),
                "ustrd": [e.text for e in tx.xpath("p:RmtInf/p:Ustrd", namespaces=ns)],
                "invoices": [
                    (t(s, "p:RfrdDocInf/p:Tp/p:CdOrPrtry/p:Cd"), t(s, "p:RfrdDocInf/p:Nb"),
                     t(s, "p:RfrdDocInf/p:RltdDt"), etree.QName(s.xpath("p:RfrdDocAmt/*", namespaces=ns)[0]).localname,
                     t(s, "p:RfrdDocAmt/*"))
                    for s in tx.xpath("p:RmtInf/p:Strd[p:RfrdDocInf]", namespaces=ns)
                ],
            })
        result["batches"].append(batch)
    return result


def corpus(path: str) -> Path:
    return CORPORA / "iso20022" / path
