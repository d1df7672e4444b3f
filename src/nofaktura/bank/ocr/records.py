"""Nets OCR giro records: one class per 80-character record type.

Why a layer of its own: the file format is a list of fixed-width records, and each record type
declares its grammar once (a ``re.VERBOSE`` pattern, one named group per field, as netsgiro does)
and writes itself back (``to_line``). The reader above it (:mod:`nofaktura.bank.ocr.reader`) only
deals with the order of records and the control totals.

Positions follow Nets' "System specification OCR giro" v2.0 (see docs/norway.md §3.2) and the
AvtaleGiro specification v3.3 for the agreement records (type 70).

Records hold integers in øre and ``datetime.date`` values; ``from_line`` raises :class:`RecordError`
(a ``ValueError``) naming the record type when a line does not fit its grammar.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

__all__ = [
    "RECORD_CLASSES",
    "AmountItem1",
    "AmountItem2",
    "AmountItem3",
    "AssignmentEnd",
    "AssignmentStart",
    "AvtaleGiroAgreement",
    "RecordError",
    "TransmissionEnd",
    "TransmissionStart",
    "format_date",
    "parse_date",
    "record_class_for",
]

#: Length of every record.
LINE_LENGTH = 80
#: Service codes.
SERVICE_NONE = 0
SERVICE_OCR_GIRO = 9
SERVICE_AVTALEGIRO = 21


class RecordError(ValueError):
    """A line does not match the grammar of its record type."""


@lru_cache(maxsize=4096)
def parse_date(value: str) -> datetime.date | None:
    """DDMMYY to a date; ``000000`` is "no date". Years 69–99 are 19xx, 00–68 20xx (as ``strptime``).

    Cached because a file carries few distinct dates and many records.
    """
    if value == "000000":
        return None
    day, month, year = int(value[0:2]), int(value[2:4]), int(value[4:6])
    year += 1900 if year >= 69 else 2000
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise RecordError(f"{value!r} is not a valid DDMMYY date") from exc


def _total(ore: int) -> str:
    """A control total in its 17 positions: a leading ``-`` replaces the first zero when it is negative."""
    return f"-{-ore:016d}" if ore < 0 else f"{ore:017d}"


def format_date(value: datetime.date | None) -> str:
    return "000000" if value is None else value.strftime("%d%m%y")


def _required_date(value: str, name: str) -> datetime.date:
    parsed = parse_date(value)
    if parsed is None:
        raise RecordError(f"{name} must be a date, got {value!r}")
    return parsed


def _text_or_none(value: str) -> str | None:
    value = value.strip()
    return value or None


def _match(cls: type, line: str) -> re.Match[str]:
    match = cls.PATTERN.match(line)  # type: ignore[attr-defined]
    if match is None:
        raise RecordError(f"{line!r} does not match the {cls.__name__} record format")
    return match


@dataclass(frozen=True, slots=True)
class TransmissionStart:
    """Record 10: opens a transmission (a file)."""

    RECORD_TYPE: ClassVar[int] = 10
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"""
        NY                              # format code
        00                              # service code: none
        00                              # transmission type
        10                              # record type
        (?P<data_transmitter>\d{8})     # 00008080 when Nets sends
        (?P<transmission_number>\d{7})
        (?P<data_recipient>\d{8})       # customer unit id
        0{49}                           # filler
        \Z""",
        re.VERBOSE,
    )

    data_transmitter: str
    transmission_number: str
    data_recipient: str

    @classmethod
    def from_line(cls, line: str) -> TransmissionStart:
        return cls(*_match(cls, line).groups())

    def to_line(self) -> str:
        return f"NY000010{self.data_transmitter:8}{self.transmission_number:7}{self.data_recipient:8}" + "0" * 49


@dataclass(frozen=True, slots=True)
class TransmissionEnd:
    """Record 89: closes a transmission with its control counts and total."""

    RECORD_TYPE: ClassVar[int] = 89
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"""
        NY
        00                              # service code: none
        00                              # transmission type
        89                              # record type
        (?P<num_transactions>\d{8})
        (?P<num_records>\d{8})          # all records, start and end records included
        (?P<total_amount>-\d{16}|\d{17}) # øre; reversals are added; a '-' first when the net is negative
        (?P<nets_date>\d{6})            # DDMMYY
        0{33}                           # filler
        \Z""",
        re.VERBOSE,
    )

    num_transactions: int
    num_records: int
    total_amount: int
    nets_date: datetime.date | None

    @classmethod
    def from_line(cls, line: str) -> TransmissionEnd:
        m = _match(cls, line)
        return cls(int(m[1]), int(m[2]), int(m[3]), parse_date(m[4]))

    def to_line(self) -> str:
        return (
            f"NY000089{self.num_transactions:08d}{self.num_records:08d}{_total(self.total_amount)}"
            f"{format_date(self.nets_date)}" + "0" * 33
        )


@dataclass(frozen=True, slots=True)
class AssignmentStart:
    """Record 20: opens an assignment (one agreement, one payee account)."""

    RECORD_TYPE: ClassVar[int] = 20
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"""
        NY
        (?P<service_code>09|21)         # 09 OCR giro, 21 AvtaleGiro
        (?P<assignment_type>00|24|36)   # 00 transactions, 24 AvtaleGiro agreements, 36 cancellations
        20                              # record type
        (?P<agreement_id>\d{9}|0{9}|[ ]{9})
        (?P<assignment_number>\d{7})
        (?P<assignment_account>\d{11})  # the payee's account
        0{45}                           # filler
        \Z""",
        re.VERBOSE,
    )

    service_code: int
    assignment_type: int
    agreement_id: str | None
    assignment_number: str
    assignment_account: str

    @classmethod
    def from_line(cls, line: str) -> AssignmentStart:
        m = _match(cls, line)
        agreement = m["agreement_id"]
        return cls(
            int(m["service_code"]),
            int(m["assignment_type"]),
            None if agreement.strip("0 ") == "" else agreement,
            m["assignment_number"],
            m["assignment_account"],
        )

    def to_line(self) -> str:
        agreement = self.agreement_id or "0" * 9
        return (
            f"NY{self.service_code:02d}{self.assignment_type:02d}20{agreement:9}"
            f"{self.assignment_number:7}{self.assignment_account:11}" + "0" * 45
        )


@dataclass(frozen=True, slots=True)
class AssignmentEnd:
    """Record 88: closes an assignment with its control counts, total and date range."""

    RECORD_TYPE: ClassVar[int] = 88
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"""
        NY
        (?P<service_code>09|21)
        (?P<assignment_type>00|24|36)
        88                              # record type
        (?P<num_transactions>\d{8})
        (?P<num_records>\d{8})          # records of the assignment, start and end included
        (?P<total_amount>-\d{16}|\d{17}) # øre; 0 for agreements; '-' first when the net is negative
        (?P<nets_date>\d{6})            # settlement date
        (?P<nets_date_earliest>\d{6})
        (?P<nets_date_latest>\d{6})
        0{21}                           # filler
        \Z""",
        re.VERBOSE,
    )

    service_code: int
    assignment_type: int
    num_transactions: int
    num_records: int
    total_amount: int
    nets_date: datetime.date | None
    nets_date_earliest: datetime.date | None
    nets_date_latest: datetime.date | None

    @classmethod
    def from_line(cls, line: str) -> AssignmentEnd:
        m = _match(cls, line)
        return cls(
            int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]),
            parse_date(m[6]), parse_date(m[7]), parse_date(m[8]),
        )  # fmt: skip

    def to_line(self) -> str:
        return (
            f"NY{self.service_code:02d}{self.assignment_type:02d}88{self.num_transactions:08d}"
            f"{self.num_records:08d}{_total(self.total_amount)}{format_date(self.nets_date)}"
            f"{format_date(self.nets_date_earliest)}{format_date(self.nets_date_latest)}" + "0" * 21
        )


@dataclass(frozen=True, slots=True)
class AmountItem1:
    """Record 30: first record of an OCR giro transaction (date, settlement batch, amount, KID)."""

    RECORD_TYPE: ClassVar[int] = 30
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"""
        NY
        09                                  # service code: OCR giro
        (?P<transaction_type>1[0-9]|2[01])  # 10-21, see TRANSACTION_TYPES
        30                                  # record type
        (?P<transaction_number>\d{7})
        (?P<nets_date>\d{6})                # DDMMYY, when Nets settled it
        (?P<centre_id>\d{2})
        (?P<day_code>\d{2})
        (?P<partial_settlement_number>\d)
        (?P<partial_settlement_serial_number>\d{5})
        (?P<sign>[-0])                      # '-' = negative amount (by agreement only)
        (?P<amount>\d{17})                  # øre
        (?P<kid>[0-9 \-]{25})               # right-aligned, blank-padded; MOD11 may end in '-'
        (?P<card_drawer>\d{2})              # card drawer (terminal transactions), else 00
        0{4}                                # filler
        \Z""",
        re.VERBOSE,
    )

    transaction_type: int
    transaction_number: int
    nets_date: datetime.date
    centre_id: str
    day_code: int
    partial_settlement_number: int
    partial_settlement_serial_number: str
    sign: str
    amount: int
    kid: str | None
    card_drawer: str = "00"

    @classmethod
    def from_line(cls, line: str) -> AmountItem1:
        m = _match(cls, line)
        return cls(
            int(m[1]), int(m[2]), _required_date(m[3], "nets_date"), m[4], int(m[5]), int(m[6]), m[7],
            m[8], int(m[9]), m[10].strip() or None, m[11],
        )  # fmt: skip

    def to_line(self) -> str:
        return (
            f"NY09{self.transaction_type:02d}30{self.transaction_number:07d}{format_date(self.nets_date)}"
            f"{self.centre_id:2}{self.day_code:02d}{self.partial_settlement_number:01d}"
            f"{self.partial_settlement_serial_number:5}{self.sign:1}{self.amount:017d}"
            f"{self.kid or '':>25}{self.card_drawer:2}0000"
        )


@dataclass(frozen=True, slots=True)
class AmountItem2:
    """Record 31: second record (form number, archive reference, bank date, payer's account)."""

    RECORD_TYPE: ClassVar[int] = 31
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"""
        NY
        09
        (?P<transaction_type>1[0-9]|2[01])
        31                                  # record type
        (?P<transaction_number>\d{7})
        (?P<form_number>\d{10})
        (?P<reference>\d{9})                # agreement id / archive reference (18-21: BAX 6 + session 3)
        (?P<filler>.{7})                    # documented as zeros; carries data in Nets' own sample
        (?P<bank_date>\d{6})                # DDMMYY or 000000
        (?P<debit_account>\d{11})           # payer's account, zeros if unknown
        0{22}                               # filler
        \Z""",
        re.VERBOSE,
    )

    transaction_type: int
    transaction_number: int
    form_number: str
    reference: str | None
    filler: str
    bank_date: datetime.date | None
    debit_account: str | None

    @classmethod
    def from_line(cls, line: str) -> AmountItem2:
        m = _match(cls, line)
        reference = m[4]
        account = m[7]
        return cls(
            int(m[1]), int(m[2]), m[3], None if reference.strip("0") == "" else reference, m[5],
            parse_date(m[6]), None if account == "00000000000" else account,
        )  # fmt: skip

    def to_line(self) -> str:
        return (
            f"NY09{self.transaction_type:02d}31{self.transaction_number:07d}{self.form_number:10}"
            f"{self.reference or '0' * 9:9}{self.filler:7}{format_date(self.bank_date)}"
            f"{self.debit_account or '0' * 11:11}" + "0" * 22
        )


@dataclass(frozen=True, slots=True)
class AmountItem3:
    """Record 32: free text from the payment terminal, only for transaction types 20 and 21."""

    RECORD_TYPE: ClassVar[int] = 32
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"""
        NY
        09
        (?P<transaction_type>20|21)
        32                                  # record type
        (?P<transaction_number>\d{7})
        (?P<text>.{40})                     # free text, left-aligned, blank-padded
        0{25}                               # filler
        \Z""",
        re.VERBOSE,
    )

    transaction_type: int
    transaction_number: int
    text: str | None

    @classmethod
    def from_line(cls, line: str) -> AmountItem3:
        m = _match(cls, line)
        return cls(int(m[1]), int(m[2]), _text_or_none(m[3]))

    def to_line(self) -> str:
        return f"NY09{self.transaction_type:02d}32{self.transaction_number:07d}{self.text or '':40}" + "0" * 25


@dataclass(frozen=True, slots=True)
class AvtaleGiroAgreement:
    """Record 70: an AvtaleGiro agreement (FBO) created, changed or deleted by a payer."""

    RECORD_TYPE: ClassVar[int] = 70
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"""
        NY
        21                                  # service code: AvtaleGiro
        94                                  # transaction type: agreement
        70                                  # record type
        (?P<transaction_number>\d{7})
        (?P<registration_type>[012])        # 0 all active, 1 new/changed, 2 deleted
        (?P<kid>[0-9 \-]{25})
        (?P<notify>[JN])                    # J = the payer wants a written notice from the bank
        0{38}                               # filler
        \Z""",
        re.VERBOSE,
    )

    transaction_number: int
    registration_type: int
    kid: str | None
    notify: bool

    @classmethod
    def from_line(cls, line: str) -> AvtaleGiroAgreement:
        m = _match(cls, line)
        return cls(int(m[1]), int(m[2]), m[3].strip() or None, m[4] == "J")

    def to_line(self) -> str:
        return (
            f"NY219470{self.transaction_number:07d}{self.registration_type:01d}{self.kid or '':>25}"
            f"{'J' if self.notify else 'N'}" + "0" * 38
        )


Record = (
    TransmissionStart | TransmissionEnd | AssignmentStart | AssignmentEnd
    | AmountItem1 | AmountItem2 | AmountItem3 | AvtaleGiroAgreement
)  # fmt: skip

RECORD_CLASSES: dict[str, type] = {
    str(cls.RECORD_TYPE): cls
    for cls in (
        TransmissionStart, TransmissionEnd, AssignmentStart, AssignmentEnd,
        AmountItem1, AmountItem2, AmountItem3, AvtaleGiroAgreement,
    )
}  # fmt: skip


def record_class_for(line: str) -> type:
    """The record class for a line, by its record type (positions 7–8)."""
    try:
        return RECORD_CLASSES[line[6:8]]
    except KeyError:
        raise RecordError(f"unknown record type {line[6:8]!r} in {line!r}") from None
