"""Write valid Nets OCR giro files and Norwegian camt.054 messages, for tests, benchmarks and demos.

Why in the library: the readers' property tests, the benchmarks (100,000 transactions) and the
Odoo addon's tests all need files whose control totals are right and whose KIDs are where a
Norwegian bank puts them (camt: NOK, BBAN with ``SchmeNm/Cd = BBAN``, ``SCOR`` + KID). Writers
stream: they take iterables and keep only running totals, so a 100,000-transaction file costs no
memory.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape

from nofaktura.bank.ocr import records as r

__all__ = ["CamtEntry", "CamtTx", "OcrTx", "write_camt054", "write_ocr"]


@dataclass(frozen=True)
class OcrTx:
    """One OCR giro transaction to write (amount in øre, as the file holds it)."""

    amount_ore: int
    kid: str | None = None
    transaction_type: int = 10
    nets_date: datetime.date = datetime.date(2026, 1, 15)
    bank_date: datetime.date | None = None
    debit_account: str | None = None
    reference: str | None = None
    form_number: str = "0000000000"
    text: str | None = None
    centre_id: str = "13"
    day_code: int = 15
    partial_settlement_number: int = 1
    partial_settlement_serial_number: str = "00001"


def write_ocr(
    out: IO[str],
    assignments: Iterable[tuple[str, Iterable[OcrTx]]],
    *,
    transmission_number: str = "0000001",
    data_recipient: str = "00012345",
    agreement_id: str = "001008566",
    nets_date: datetime.date = datetime.date(2026, 1, 15),
) -> int:
    """Write a transmission of OCR giro assignments ``(payee account, transactions)``; return the lines written.

    Every transaction gets records 30 and 31, and 32 when it has ``text`` (types 20/21 only).
    Totals in 88/89 add reversals, as Nets does.
    """
    written = 0

    def emit(line: str) -> None:
        nonlocal written
        out.write(line)
        out.write("\n")
        written += 1

    emit(r.TransmissionStart("00008080", transmission_number, data_recipient).to_line())
    tx_count = tx_total = 0
    for index, (account, transactions) in enumerate(assignments, start=1):
        emit(r.AssignmentStart(9, 0, agreement_id, f"{index:07d}", account).to_line())
        count = total = records = 0
        earliest: datetime.date | None = None
        latest: datetime.date | None = None
        for number, tx in enumerate(transactions, start=1):
            emit(
                r.AmountItem1(
                    tx.transaction_type, number, tx.nets_date, tx.centre_id, tx.day_code,
                    tx.partial_settlement_number, tx.partial_settlement_serial_number, "0", tx.amount_ore, tx.kid,
                ).to_line()
            )
            emit(
                r.AmountItem2(
                    tx.transaction_type, number, tx.form_number, tx.reference, "0000000", tx.bank_date,
                    tx.debit_account,
                ).to_line()
            )
            records += 2
            if tx.text is not None:
                if tx.transaction_type not in (20, 21):
                    raise ValueError("only transaction types 20 and 21 carry free text (amount item 3)")
                emit(r.AmountItem3(tx.transaction_type, number, tx.text).to_line())
                records += 1
            count += 1
            total += tx.amount_ore
            earliest = tx.nets_date if earliest is None or tx.nets_date < earliest else earliest
            latest = tx.nets_date if latest is None or tx.nets_date > latest else latest
        emit(r.AssignmentEnd(9, 0, count, records + 2, total, nets_date, earliest, latest).to_line())
        tx_count += count
        tx_total += total
    emit(r.TransmissionEnd(tx_count, written + 1, tx_total, nets_date).to_line())
    return written


@dataclass(frozen=True)
class CamtTx:
    """One transaction detail (``TxDtls``) of a camt.054 entry."""

    amount: Decimal
    kid: str | None = None
    text: str | None = None
    payer_name: str | None = None
    payer_account: str | None = None
    bank_reference: str | None = None
    end_to_end_id: str | None = None
    return_reason: str | None = None
    #: Write ``CdtrRefInf/Ref`` without ``Tp`` (some banks do).
    reference_without_type: bool = False


@dataclass(frozen=True)
class CamtEntry:
    """One ``Ntry``: a single payment or a batch of several."""

    transactions: Sequence[CamtTx]
    booking_date: datetime.date = datetime.date(2026, 1, 15)
    value_date: datetime.date | None = None
    credit: bool = True
    reversal: bool = False
    entry_reference: str | None = None
    bank_code: tuple[str, str, str] = ("PMNT", "RCDT", "DMCT")
    #: Write a wrong entry amount (for tests of the totals check).
    amount_override: Decimal | None = field(default=None)

    @property
    def amount(self) -> Decimal:
        return sum((t.amount for t in self.transactions), Decimal(0))


def _amt(value: Decimal) -> str:
    return f"{value:.2f}"


def _account_xml(account: str, indent: str) -> str:
    if account[:2].isalpha():
        return f"{indent}<Id><IBAN>{escape(account)}</IBAN></Id>"
    return f"{indent}<Id><Othr><Id>{escape(account)}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id>"


def write_camt054(
    out: IO[str],
    entries: Iterable[CamtEntry],
    *,
    account: str = "86011117947",
    version: str = "02",
    message_id: str = "NOFAKTURA-0001",
    created: datetime.datetime = datetime.datetime(2026, 1, 15, 6, 0, 0),  # noqa: DTZ001 - fixed sample time
    currency: str = "NOK",
    with_summary: bool = True,
) -> None:
    """Write a camt.054.001.02 or .08 credit notification, Norwegian style (NOK, BBAN, SCOR + KID).

    ``with_summary`` writes ``TxsSummry`` and needs ``entries`` to be a sequence (the summary comes
    before the entries in the message); with an iterator pass ``with_summary=False``.
    """
    if version not in ("02", "08"):
        raise ValueError("version must be '02' or '08'")
    v8 = version == "08"
    ns = f"urn:iso:std:iso:20022:tech:xsd:camt.054.001.{version}"
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{ns}">\n<BkToCstmrDbtCdtNtfctn>\n')
    stamp = created.strftime("%Y-%m-%dT%H:%M:%S")
    out.write(f"<GrpHdr><MsgId>{escape(message_id)}</MsgId><CreDtTm>{stamp}</CreDtTm></GrpHdr>\n")
    out.write(f"<Ntfctn><Id>{escape(message_id)}-1</Id><CreDtTm>{stamp}</CreDtTm>\n")
    out.write(f"<Acct>{_account_xml(account, '')}<Ccy>{currency}</Ccy></Acct>\n")
    if with_summary:
        if not isinstance(entries, Sequence):
            raise TypeError("with_summary=True needs a sequence of entries")
        gross = sum((e.amount_override if e.amount_override is not None else e.amount for e in entries), Decimal(0))
        out.write(f"<TxsSummry><TtlNtries><NbOfNtries>{len(entries)}</NbOfNtries><Sum>{_amt(gross)}</Sum>"
                  "</TtlNtries></TxsSummry>\n")  # fmt: skip
    for number, entry in enumerate(entries, start=1):
        amount = entry.amount_override if entry.amount_override is not None else entry.amount
        indicator = "CRDT" if entry.credit else "DBIT"
        parts = [f"<Ntry><NtryRef>{number}</NtryRef><Amt Ccy=\"{currency}\">{_amt(amount)}</Amt>"
                 f"<CdtDbtInd>{indicator}</CdtDbtInd>"]  # fmt: skip
        if entry.reversal:
            parts.append("<RvslInd>true</RvslInd>")
        parts.append("<Sts><Cd>BOOK</Cd></Sts>" if v8 else "<Sts>BOOK</Sts>")
        parts.append(f"<BookgDt><Dt>{entry.booking_date.isoformat()}</Dt></BookgDt>")
        parts.append(f"<ValDt><Dt>{(entry.value_date or entry.booking_date).isoformat()}</Dt></ValDt>")
        if entry.entry_reference:
            parts.append(f"<AcctSvcrRef>{escape(entry.entry_reference)}</AcctSvcrRef>")
        domain, family, sub = entry.bank_code
        parts.append(f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub}</SubFmlyCd>"
                     "</Fmly></Domn></BkTxCd>")  # fmt: skip
        parts.append("<NtryDtls>")
        if len(entry.transactions) > 1:
            parts.append(f"<Btch><NbOfTxs>{len(entry.transactions)}</NbOfTxs></Btch>")
        for tx in entry.transactions:
            parts.append("<TxDtls>")
            refs = ""
            if tx.bank_reference:
                refs += f"<AcctSvcrRef>{escape(tx.bank_reference)}</AcctSvcrRef>"
            if tx.end_to_end_id:
                refs += f"<EndToEndId>{escape(tx.end_to_end_id)}</EndToEndId>"
            if refs:
                parts.append(f"<Refs>{refs}</Refs>")
            if v8:
                parts.append(f"<Amt Ccy=\"{currency}\">{_amt(tx.amount)}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>")
            else:
                parts.append(f"<AmtDtls><TxAmt><Amt Ccy=\"{currency}\">{_amt(tx.amount)}</Amt></TxAmt></AmtDtls>")
            if tx.payer_name or tx.payer_account:
                parts.append("<RltdPties>")
                if tx.payer_name:
                    name = f"<Nm>{escape(tx.payer_name)}</Nm>"
                    parts.append(f"<Dbtr><Pty>{name}</Pty></Dbtr>" if v8 else f"<Dbtr>{name}</Dbtr>")
                if tx.payer_account:
                    parts.append(f"<DbtrAcct>{_account_xml(tx.payer_account, '')}</DbtrAcct>")
                parts.append("</RltdPties>")
            if tx.kid or tx.text:
                parts.append("<RmtInf>")
                if tx.text:
                    parts.append(f"<Ustrd>{escape(tx.text)}</Ustrd>")
                if tx.kid:
                    kind = "" if tx.reference_without_type else "<Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                    parts.append(f"<Strd><CdtrRefInf>{kind}<Ref>{escape(tx.kid)}</Ref></CdtrRefInf></Strd>")
                parts.append("</RmtInf>")
            if tx.return_reason:
                parts.append(f"<RtrInf><Rsn><Cd>{escape(tx.return_reason)}</Cd></Rsn></RtrInf>")
            parts.append("</TxDtls>")
        parts.append("</NtryDtls></Ntry>\n")
        out.write("".join(parts))
    out.write("</Ntfctn>\n</BkToCstmrDbtCdtNtfctn>\n</Document>\n")

