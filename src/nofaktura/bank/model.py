"""One payment model for every incoming-payment file format.

Why one model: the Odoo addon, the CLI and the matching rules should not care whether a payment
came from a Nets OCR giro file or an ISO 20022 camt.053/054 message. Readers map their format to
:class:`Payment`; a file's control data goes to :class:`FileSummary`.

Amounts are ``Decimal`` kroner made exactly from øre (or from the XML decimal text), **signed as
they affect the account**: money in is positive, money out (debits, reversals) negative.

``Payment.key`` is a stable identifier built only from data that belongs to the transaction
itself (account, bank references, settlement batch, amount, KID …), never from the file name or
the time of reading, so the same transaction delivered again in a re-sent file gets the same key.
This is what makes imports idempotent.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

__all__ = ["FileSummary", "Payment", "is_kid_like", "make_key", "normalize_account"]

_KID_RE = re.compile(r"\d{1,24}[\d-]\Z")


def is_kid_like(reference: str | None) -> bool:
    """Whether a structured reference has the shape of a KID (digits, MOD11 may end in ``-``; ≤ 25)."""
    return bool(reference) and len(reference) <= 25 and _KID_RE.match(reference) is not None  # type: ignore[arg-type]


def normalize_account(account: str | None) -> str | None:
    """Compare-ready account number: no spaces or dots; a Norwegian IBAN becomes its 11-digit BBAN.

    Banks name the same account as IBAN (``NO93 8601 1117 947``) in one file and as BBAN
    (``8601.11.17947``) in another; matching a file to a journal must treat both alike.
    """
    if not account:
        return None
    compact = re.sub(r"[\s.\-]", "", account).upper()
    if compact.startswith("NO") and len(compact) == 15 and compact[2:].isdigit():
        return compact[4:]
    return compact or None


def make_key(prefix: str, *parts: object) -> str:
    """A short stable key from transaction data: ``prefix`` + 32 hex digits of SHA-256."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return f"{prefix}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"


@dataclass(frozen=True, slots=True)
class Payment:
    """One transaction as the bank reported it."""

    #: Signed amount in kroner (credit positive).
    amount: Decimal
    currency: str
    #: KID (customer identification number) when the payer gave one.
    kid: str | None
    #: Stable unique key, the same for the same transaction in a re-sent file.
    key: str
    #: Raw structured reference (camt ``CdtrRefInf/Ref``), also when it is not a KID (e.g. RF…).
    reference: str | None = None
    #: Free text (OCR item 3, camt ``Ustrd``).
    text: str | None = None
    booking_date: datetime.date | None = None
    value_date: datetime.date | None = None
    payer_name: str | None = None
    payer_account: str | None = None
    #: The bank's own reference (OCR archive reference, camt ``AcctSvcrRef``).
    bank_reference: str | None = None
    end_to_end_id: str | None = None
    #: OCR: ``"10"``…``"21"``; camt: bank transaction code ``DOMN/FMLY/SUBF`` or proprietary code.
    transaction_type: str | None = None
    is_reversal: bool = False
    is_return: bool = False
    #: The account that received (or paid) the money: the payee's account.
    account: str | None = None
    #: camt entry status (BOOK, PDNG, INFO); None for OCR (always booked).
    status: str | None = None
    #: Where in the file: OCR line number of the first record, or camt entry number (1-based).
    line: int | None = None
    #: Format-specific details kept for people (transaction number, form number, return reason …;
    #: camt: ``instructed_amount``/``instructed_currency``, ``transaction_amount``/``transaction_currency``,
    #: ``counter_value_amount``/``counter_value_currency`` when the details name other amounts).
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    #: Bank charges reported for the transaction (camt ``Chrgs``), a positive number; None when not given.
    charges: Decimal | None = None
    charges_currency: str | None = None
    #: This item is bank charges the bank took out of a batch entry (camt), not a payment: its amount
    #: (a debit) makes the items of the entry add up to what was booked; ``extra['charges_for']`` names
    #: the payment's key when the file gives the charges per transaction.
    is_charges: bool = False
    #: The bank entry that booked this payment, possibly together with others: the Nets assignment
    #: number (OCR) or ``"<statement>/<entry>"`` by position in the file (camt). Payments of one entry
    #: and one date were credited to the account as one amount, as the bank statement shows them.
    entry: str | None = field(default=None, compare=False, hash=False)

    @property
    def booked(self) -> bool:
        """Whether the bank has booked it (camt ``BOOK`` or no status; OCR always): only these are imported."""
        return self.status in (None, "BOOK")

    @property
    def date(self) -> datetime.date | None:
        """The date to book on: booking date, else value date."""
        return self.booking_date or self.value_date

    def as_json(self) -> dict[str, object]:
        """JSON-ready dict: amounts as decimal strings, dates ISO."""
        data = asdict(self)
        data["amount"] = f"{self.amount:.2f}"
        data["charges"] = None if self.charges is None else f"{self.charges:.2f}"
        data["date"] = self.date.isoformat() if self.date else None
        for name in ("booking_date", "value_date"):
            value = data[name]
            data[name] = value.isoformat() if value else None
        return data


@dataclass(slots=True)
class FileSummary:
    """What a file says about itself, filled in as the reader goes (complete once it is exhausted)."""

    #: ``ocr``, ``avtalegiro-agreements``, ``camt.053.001.02``, ``camt.054.001.08`` …
    format: str
    source: str | None = None
    #: Transmission number (OCR) or message id (camt ``GrpHdr/MsgId``).
    message_id: str | None = None
    created: datetime.date | None = None
    accounts: list[str] = field(default_factory=list)
    currency: str | None = None
    count: int = 0
    #: Sum of credit amounts (positive) and of debit amounts (as a positive number).
    credit_total: Decimal = Decimal("0.00")
    debit_total: Decimal = Decimal("0.00")
    #: The control total the file declares (OCR end-of-transmission; camt TxsSummry/TtlNtries/Sum).
    declared_total: Decimal | None = None
    declared_count: int | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    #: camt.053 balances: opening and closing booked balance.
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    #: camt entries not booked (``PDNG``, ``INFO``): listed with their status, never in the totals above.
    unbooked_count: int = 0
    unbooked_total: Decimal = Decimal("0.00")
    #: camt batch entries with charges for the whole batch: entry, entry_ref, amount, currency,
    #: in_entry_amount (taken from the entry: then also an ``is_charges`` item), booked, status.
    batch_charges: list[dict[str, object]] = field(default_factory=list)
    #: AvtaleGiro agreement files: one dict per agreement record (kid, registration_type, notify, account, line).
    agreements: list[dict[str, object]] = field(default_factory=list)

    def add(self, payment: Payment) -> None:
        """Count a payment: booked ones in ``count`` and the totals, others only in ``unbooked_*``."""
        if not payment.booked:
            self.unbooked_count += 1
            self.unbooked_total += payment.amount
            return
        self.count += 1
        if payment.amount >= 0:
            self.credit_total += payment.amount
        else:
            self.debit_total -= payment.amount
        if payment.account and payment.account not in self.accounts:
            self.accounts.append(payment.account)
        if self.currency is None:
            self.currency = payment.currency
        day = payment.date
        if day is not None:
            if self.period_start is None or day < self.period_start:
                self.period_start = day
            if self.period_end is None or day > self.period_end:
                self.period_end = day

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, Decimal):
                data[name] = f"{value:.2f}"
            elif isinstance(value, datetime.date):
                data[name] = value.isoformat()
        data["net_total"] = f"{self.credit_total - self.debit_total:.2f}"
        return data
