"""Streaming reader for Nets OCR giro files (incoming payments, AvtaleGiro settlements and agreements).

Why our own reader and not netsgiro's ``parse``: netsgiro builds the whole transmission in memory
before anyone sees a transaction (about 9 s for 100,000 transactions). This reader walks the file
line by line, keeps one pending transaction, and yields each :class:`~nofaktura.bank.model.Payment`
as soon as its last record is read, so memory stays flat whatever the file size. netsgiro stays as
the test oracle (tests/bank/test_ocr_oracle.py).

Control totals are checked at every end-of-assignment (88) and at the end-of-transmission (89)
record: counts of transactions and records and the total amount (reversals 18/20 are *added*, as
Nets writes them). An amount item whose sign (position 32) is ``-`` is a negative amount (by
agreement with the bank); banks then write the total *net* of those amounts (a negative net with a
``-`` in the total's first position), while files without signed amounts have net = gross. A total
is accepted when it equals the gross sum (every amount added, the spec's reading) or the net sum;
anything else is refused. A mismatch raises :class:`~nofaktura.exceptions.FileTotalsError` naming the line
and the record. Because payments are yielded before the totals that cover them are checked, a
caller that stores them must do so all-or-nothing (the Odoo addon uses a savepoint); use
:func:`read_ocr` to get a checked list in one call.

The file is read as ISO-8859-1, the encoding Nets uses.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from nofaktura.bank.model import FileSummary, Payment, make_key
from nofaktura.bank.ocr import records as r
from nofaktura.exceptions import DocumentError, FileTotalsError
from nofaktura.messages import msg

__all__ = [
    "REVERSAL_TYPES",
    "TEXT_TYPES",
    "TRANSACTION_TYPES",
    "Agreement",
    "OcrReader",
    "read_ocr",
]

ENCODING = "iso-8859-1"

#: Nets OCR transaction types (field 3 of records 30/31/32).
TRANSACTION_TYPES: dict[int, str] = {
    10: "Giro debited account",
    11: "Standing order",
    12: "Direct remittance",
    13: "Business terminal giro (BTG)",
    14: "Counter giro",
    15: "AvtaleGiro",
    16: "TeleGiro",
    17: "Giro paid in cash",
    18: "Reversing with KID",
    19: "Purchase with KID",
    20: "Reversing with free text",
    21: "Purchase with free text",
}
#: Types that take money back from the payee: the amount is negative in :class:`Payment`.
REVERSAL_TYPES = frozenset({18, 20})
#: Types that may carry an amount item 3 (free text).
TEXT_TYPES = frozenset({20, 21})

_RECORD_NAMES = {
    "10": "start of transmission (10)",
    "20": "start of assignment (20)",
    "30": "amount item 1 (30)",
    "31": "amount item 2 (31)",
    "32": "amount item 3 (32)",
    "70": "AvtaleGiro agreement (70)",
    "88": "end of assignment (88)",
    "89": "end of transmission (89)",
}


@dataclass(frozen=True, slots=True)
class Agreement:
    """An AvtaleGiro agreement (FBO) change reported by Nets."""

    kid: str | None
    #: 0 = all active agreements, 1 = new or changed, 2 = deleted.
    registration_type: int
    notify: bool
    account: str
    line: int

    @property
    def change(self) -> str:
        """The registration type in words."""
        return REGISTRATION_TYPES.get(self.registration_type, str(self.registration_type))

    def as_json(self) -> dict[str, object]:
        return {"kid": self.kid, "registration_type": self.registration_type, "change": self.change,
                "notify": self.notify, "account": self.account, "line": self.line}  # fmt: skip


#: AvtaleGiro agreement registration types (record 70, position 16).
REGISTRATION_TYPES = {0: "active (full list)", 1: "new or changed", 2: "deleted"}


class _Pending:
    """The transaction being read: its records 30, 31 and maybe 32."""

    __slots__ = ("item1", "item2", "item3", "line")

    def __init__(self, item1: r.AmountItem1, line: int) -> None:
        self.item1 = item1
        self.item2: r.AmountItem2 | None = None
        self.item3: r.AmountItem3 | None = None
        self.line = line


class OcrReader:
    """Iterate a Nets OCR giro file; ``summary`` is complete once iteration ends without error.

    ``stream`` is a binary or text stream, or any iterable of lines (bytes or str).
    """

    def __init__(self, stream: IO[bytes] | IO[str] | Iterable[bytes | str], source: str | None = None) -> None:
        self._stream = stream
        self.source = source or getattr(stream, "name", None)
        self.summary = FileSummary(format="ocr", source=self.source)
        self.transmission: r.TransmissionStart | None = None
        self.agreements_seen = 0

    # -- public ---------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Payment]:
        return self.payments()

    def payments(self) -> Iterator[Payment]:
        """Only the payments (agreement records are counted and checked, not yielded)."""
        for item in self.items():
            if isinstance(item, Payment):
                yield item

    def agreements(self) -> Iterator[Agreement]:
        for item in self.items():
            if isinstance(item, Agreement):
                yield item

    def items(self) -> Iterator[Payment | Agreement]:
        """Every payment and agreement, in file order, with all control records checked."""
        lines = self._lines()
        summary = self.summary
        # Transmission-level state.
        tx_transactions = tx_records = tx_amount = 0
        ended = False
        # Assignment-level state.
        assignment: r.AssignmentStart | None = None
        as_transactions = as_records = as_amount = 0
        # Totals net of '-' signed amounts (banks that use the sign write these).
        tx_net = as_net = 0
        pending: _Pending | None = None
        number = 0
        for number, line in lines:
            if ended:
                raise self._error(msg("ocr.after_end"), number, line)
            if len(line) != r.LINE_LENGTH:
                raise self._error(msg("ocr.line_length", length=len(line)), number, line)
            kind = line[6:8]
            if not line.startswith("NY"):
                raise self._error(msg("ocr.no_ny"), number, line)
            if pending is not None and kind not in ("31", "32"):
                if pending.item2 is None:
                    raise self._error(msg("ocr.no_item2", number=pending.item1.transaction_number), number, line)
                yield self._payment(pending, assignment)  # type: ignore[arg-type]
                pending = None
            if number == 1 and kind != "10":
                raise self._error(msg("ocr.no_start"), number, line)
            record = self._parse(kind, line, number)
            tx_records += 1  # noqa: SIM113 - counts records, not the (blank-skipping) lines
            if kind == "30":
                if assignment is None or assignment.service_code != r.SERVICE_OCR_GIRO:
                    raise self._error(msg("ocr.item_outside"), number, line)
                pending = _Pending(record, number)  # type: ignore[arg-type]
                as_records += 1
                as_transactions += 1
                tx_transactions += 1
                as_amount += record.amount  # type: ignore[union-attr]
                as_net += -record.amount if record.sign == "-" else record.amount  # type: ignore[union-attr]
            elif kind == "31":
                if pending is None or pending.item2 is not None:
                    raise self._error(msg("ocr.item2_order"), number, line)
                self._same_transaction(pending.item1, record, number, line)  # type: ignore[arg-type]
                pending.item2 = record  # type: ignore[assignment]
                as_records += 1
            elif kind == "32":
                if pending is None or pending.item2 is None or pending.item3 is not None:
                    raise self._error(msg("ocr.item3_order"), number, line)
                self._same_transaction(pending.item1, record, number, line)  # type: ignore[arg-type]
                pending.item3 = record  # type: ignore[assignment]
                as_records += 1
            elif kind == "70":
                if assignment is None or assignment.assignment_type != 24:
                    raise self._error(msg("ocr.agreement_outside"), number, line)
                as_records += 1
                as_transactions += 1
                tx_transactions += 1
                self.agreements_seen += 1
                agreement = Agreement(
                    record.kid, record.registration_type, record.notify,  # type: ignore[union-attr]
                    assignment.assignment_account, number,
                )  # fmt: skip
                summary.agreements.append(agreement.as_json())
                yield agreement
            elif kind == "20":
                if self.transmission is None or assignment is not None:
                    raise self._error(msg("ocr.start_misplaced"), number, line)
                assignment = record  # type: ignore[assignment]
                if assignment.service_code == r.SERVICE_AVTALEGIRO and assignment.assignment_type != 24:  # type: ignore[union-attr]
                    raise self._error(msg("ocr.avtalegiro_claims"), number, line)
                if assignment.service_code == r.SERVICE_AVTALEGIRO:  # type: ignore[union-attr]
                    self.summary.format = "avtalegiro-agreements"
                if assignment.assignment_account not in summary.accounts:  # type: ignore[union-attr]
                    summary.accounts.append(assignment.assignment_account)  # type: ignore[union-attr]
                as_records, as_transactions, as_amount, as_net = 1, 0, 0, 0
            elif kind == "88":
                if assignment is None:
                    raise self._error(msg("ocr.end_without_start"), number, line)
                as_records += 1
                end: r.AssignmentEnd = record  # type: ignore[assignment]
                if (end.service_code, end.assignment_type) != (assignment.service_code, assignment.assignment_type):
                    raise self._error(msg("ocr.end_mismatch"), number, line)
                self._check_totals(
                    msg("ocr.rec.end88"), number, line,
                    (end.num_transactions, as_transactions), (end.num_records, as_records),
                    (end.total_amount, as_net if end.total_amount == as_net else as_amount),
                )  # fmt: skip
                tx_amount += as_amount
                tx_net += as_net
                assignment = None
            elif kind == "89":
                if assignment is not None:
                    raise self._error(msg("ocr.assignment_open", number=assignment.assignment_number), number, line)
                tend: r.TransmissionEnd = record  # type: ignore[assignment]
                self._check_totals(
                    msg("ocr.rec.end89"), number, line,
                    (tend.num_transactions, tx_transactions), (tend.num_records, tx_records),
                    (tend.total_amount, tx_net if tend.total_amount == tx_net else tx_amount),
                )  # fmt: skip
                summary.declared_count = tend.num_transactions
                summary.declared_total = Decimal(tend.total_amount).scaleb(-2)
                summary.created = tend.nets_date
                ended = True
            elif kind == "10":
                if self.transmission is not None:
                    raise self._error(msg("ocr.second_start"), number, line)
                self.transmission = record  # type: ignore[assignment]
                summary.message_id = record.transmission_number  # type: ignore[union-attr]
        if not ended:
            if number == 0:
                raise DocumentError(msg("xml.empty"), source=self.source)
            raise DocumentError(
                msg("ocr.truncated"),
                source=self.source,
                line=number,
            )

    # -- helpers --------------------------------------------------------------------------------

    def _lines(self) -> Iterator[tuple[int, str]]:
        stream = self._stream
        if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or hasattr(stream, "readinto"):
            stream = io.TextIOWrapper(stream, encoding=ENCODING, newline=None)  # type: ignore[arg-type]
        number = 0
        for raw in stream:  # type: ignore[union-attr]
            text = raw.decode(ENCODING) if isinstance(raw, bytes) else raw
            text = text.rstrip("\r\n")
            number += 1
            if number == 1:
                # A UTF-8 byte-order mark (an editor or a Windows tool adds one) is not part of record 10:
                # read as ISO-8859-1 it is "ï»¿", decoded as text it is U+FEFF.
                text = text.removeprefix("\xef\xbb\xbf").removeprefix("\ufeff")
            if not text.strip():
                continue  # blank lines (a trailing newline, an empty last line) carry nothing
            yield number, text

    def _parse(self, kind: str, line: str, number: int) -> r.Record:
        cls = r.RECORD_CLASSES.get(kind)
        if cls is None:
            raise self._error(msg("ocr.unknown_record", kind=kind), number, line)
        try:
            return cls.from_line(line)  # type: ignore[attr-defined,no-any-return]
        except r.RecordError as exc:
            record_name = msg(f"ocr.rec.{kind}") if kind in _RECORD_NAMES else kind
            raise self._error(msg("ocr.invalid_record", record=record_name, detail=str(exc)), number, line) from None

    def _same_transaction(
        self, item1: r.AmountItem1, record: r.AmountItem2 | r.AmountItem3, number: int, line: str
    ) -> None:
        if (record.transaction_type, record.transaction_number) != (item1.transaction_type, item1.transaction_number):
            raise self._error(
                msg("ocr.other_transaction", number=record.transaction_number, type=record.transaction_type,
                    above=item1.transaction_number, above_type=item1.transaction_type),
                number,
                line,
            )

    def _check_totals(self, name: str, number: int, line: str, *pairs: tuple[int, int]) -> None:
        labels = (msg("ocr.label.transactions"), msg("ocr.label.records"), msg("ocr.label.amount"))
        for label, (declared, counted) in zip(labels, pairs, strict=False):
            if declared != counted:
                raise FileTotalsError(
                    msg("ocr.totals_mismatch", record=name, label=label, declared=declared, counted=counted, line=line),
                    source=self.source,
                    line=number,
                )

    def _error(self, message: str, number: int, line: str) -> DocumentError:
        return DocumentError(msg("ocr.record", problem=message, line=line), source=self.source, line=number)

    def _payment(self, pending: _Pending, assignment: r.AssignmentStart) -> Payment:
        i1 = pending.item1
        i2: r.AmountItem2 = pending.item2  # type: ignore[assignment]
        ore = i1.amount
        reversal = i1.transaction_type in REVERSAL_TYPES
        amount = Decimal(-ore if (reversal or i1.sign == "-") else ore).scaleb(-2)
        account = assignment.assignment_account
        nets_date = i1.nets_date
        payment = Payment(
            amount=amount,
            currency="NOK",
            kid=i1.kid,
            key=make_key(
                "ocr", account, nets_date, i1.centre_id, i1.day_code, i1.partial_settlement_number,
                i1.partial_settlement_serial_number, i1.transaction_number, i1.transaction_type, ore,
                i1.kid, i2.form_number, i2.reference,
            ),
            text=pending.item3.text if pending.item3 is not None else None,
            booking_date=nets_date,
            value_date=nets_date,
            payer_account=i2.debit_account,
            bank_reference=i2.reference,
            transaction_type=f"{i1.transaction_type:02d}",
            is_reversal=reversal,
            account=account,
            line=pending.line,
            entry=assignment.assignment_number,
            extra={
                "transaction_number": str(i1.transaction_number),
                "form_number": i2.form_number,
                "bank_date": i2.bank_date.isoformat() if i2.bank_date else "",
                "assignment_number": assignment.assignment_number,
                "agreement_id": assignment.agreement_id or "",
                "settlement": f"{i1.centre_id}{i1.day_code:02d}{i1.partial_settlement_number}"
                f"{i1.partial_settlement_serial_number}",
            },
        )
        self.summary.add(payment)
        return payment


def read_ocr(
    stream: IO[bytes] | IO[str] | Iterable[bytes | str], source: str | None = None
) -> tuple[list[Payment], FileSummary]:
    """All payments of a file, returned only once every control total has been checked."""
    reader = OcrReader(stream, source)
    payments = list(reader.payments())
    return payments, reader.summary
