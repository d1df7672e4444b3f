"""Payment proposal: which vendor bills to pay now, and why each of the others is left out.

Why a pure function: the decision "may this bill be paid?" is where money goes to the wrong
place or is paid twice, so it must be the same in the Odoo addon, the CLI and the benchmark,
and testable without a database. :func:`propose` takes plain :class:`Bill` values and ``today``
(no clock here) and returns a :class:`Proposal`: the lines to pay (one per bill, a credit note
netted into a bill where allowed) and every bill it left out with a :class:`Reason` a person can
read (:func:`reason_text`).

Rules (issue 13, norway.md §2/§4, pain001-no/NOTES.md):

* only bills that are approved, not blocked, and whose payee account is present, valid (IBAN or
  Norwegian 11-digit MOD11) and **confirmed by a person** (an account that arrived on a received
  bill is never trusted by itself);
* due within ``horizon_days`` of ``today`` (overdue bills are paid today) — or chosen by hand;
* a valid KID is the payment's reference (``SCOR``); a bill whose KID fails its check digits is
  paid with its message instead, and left out when it has none; a bill with neither KID nor
  message is left out (the payee could not tell what was paid);
* credit notes are netted only when the bank allows it (``net_credit_notes``), only against a bill
  of the same payee, account and currency **without KID** (a KID names exactly one claim: the
  payee's bank would book the smaller amount as a short payment), and only when the bill stays
  above zero; any other credit note is left out with the reason.

The lines keep the order of the bills given (by due date first), so the same input gives the
same proposal and the same file.

>>> import datetime
>>> bill = Bill(ref=1, payee="P1", payee_name="Kraft AS", due_date=datetime.date(2026, 12, 10),
...             amount=Decimal("100.00"), payee_account="15035684279", account_confirmed=True,
...             kid="123456785")
>>> p = propose([bill], today=datetime.date(2026, 12, 3), horizon_days=7)
>>> [(line.bill.ref, line.amount, line.execution_date.isoformat()) for line in p.lines]
[(1, Decimal('100.00'), '2026-12-10')]
>>> propose([bill], today=datetime.date(2026, 12, 3)).left_out[0].reason.value
'not_due'
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from nofaktura import kid as kid_module
from nofaktura.bank.payment_order import (
    Account,
    CreditTransfer,
    InvoiceReference,
    PaymentOrder,
    PostalAddress,
    parse_account,
)
from nofaktura.exceptions import ValidationError

__all__ = ["REASON_TEXTS", "Bill", "LeftOut", "Proposal", "ProposalLine", "Reason", "propose", "reason_text"]


class Reason(str, Enum):
    """Why a bill is not in the proposal."""

    NOT_APPROVED = "not_approved"
    BLOCKED = "blocked"
    NO_ACCOUNT = "no_account"
    INVALID_ACCOUNT = "invalid_account"
    UNCONFIRMED_ACCOUNT = "unconfirmed_account"
    INVALID_KID = "invalid_kid"
    NO_REFERENCE = "no_reference"
    NOT_DUE = "not_due"
    NOTHING_TO_PAY = "nothing_to_pay"
    NETTING_NOT_ALLOWED = "netting_not_allowed"
    NO_BILL_TO_NET = "no_bill_to_net"


#: The reason in plain English (the Odoo addon translates these texts).
REASON_TEXTS: dict[Reason, str] = {
    Reason.NOT_APPROVED: "Not approved yet (or an approver rejected it)",
    Reason.BLOCKED: "Blocked for payment",
    Reason.NO_ACCOUNT: "The payee has no bank account on the bill",
    Reason.INVALID_ACCOUNT: "The payee's bank account number is not valid",
    Reason.UNCONFIRMED_ACCOUNT: "The payee's bank account is new or changed and nobody has confirmed it",
    Reason.INVALID_KID: "The KID fails its check digit and there is no message to pay with instead",
    Reason.NO_REFERENCE: "Neither a KID nor a message: the payee could not tell what is paid",
    Reason.NOT_DUE: "Not due within the proposal's days",
    Reason.NOTHING_TO_PAY: "Nothing left to pay",
    Reason.NETTING_NOT_ALLOWED: "Credit note: the bank does not net credit notes, settle it by hand",
    Reason.NO_BILL_TO_NET: "Credit note: no bill without KID of the same payee and account is large enough",
}


def reason_text(reason: Reason) -> str:
    """The reason in plain English."""
    return REASON_TEXTS[Reason(reason)]


@dataclass(frozen=True)
class Bill:
    """One open vendor bill or credit note, as the accounting system sees it.

    ``amount`` is what is still open, positive for both bills and credit notes (``credit_note``
    says which way it goes). ``ref`` and ``payee`` are the caller's ids (record ids, numbers).
    """

    ref: Hashable
    payee: Hashable
    payee_name: str
    due_date: datetime.date
    amount: Decimal
    payee_account: str | None
    account_confirmed: bool
    currency: str = "NOK"
    kid: str | None = None
    message: str | None = None
    number: str | None = None
    approved: bool = True
    blocked: bool = False
    credit_note: bool = False
    payee_bic: str | None = None
    payee_address: PostalAddress | None = None
    regulatory_code: str | None = None
    regulatory_text: str | None = None


@dataclass(frozen=True)
class ProposalLine:
    """One payment: a bill, the credit notes netted into it, the amount and the reference."""

    bill: Bill
    amount: Decimal
    execution_date: datetime.date
    account: Account
    kid: str | None
    text: str | None
    credit_notes: tuple[Bill, ...] = ()

    @property
    def bills(self) -> tuple[Bill, ...]:
        return (self.bill, *self.credit_notes)

    def credit_transfer(self, end_to_end_id: str) -> CreditTransfer:
        """The checked library transfer for this line (invoice references when credit notes are netted)."""
        bill = self.bill
        invoices: tuple[InvoiceReference, ...] = ()
        text = self.text
        if self.credit_notes:
            invoices = (
                InvoiceReference(_doc_number(bill), bill.amount),
                *(InvoiceReference(_doc_number(c), c.amount, credit_note=True) for c in self.credit_notes),
            )
            text = None
        return CreditTransfer(
            end_to_end_id=end_to_end_id, amount=self.amount, currency=bill.currency, creditor_name=bill.payee_name,
            creditor_account=self.account, creditor_bic=bill.payee_bic, creditor_address=bill.payee_address,
            kid=self.kid, text=text, invoices=invoices, execution_date=self.execution_date,
            regulatory_code=bill.regulatory_code, regulatory_text=bill.regulatory_text,
        )  # fmt: skip


@dataclass(frozen=True)
class LeftOut:
    """A bill not proposed, and why."""

    bill: Bill
    reason: Reason
    #: A detail for the person (the library's error text for an invalid account or KID).
    detail: str | None = None

    @property
    def text(self) -> str:
        return reason_text(self.reason) + (f": {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class Proposal:
    """What to pay and what not."""

    lines: tuple[ProposalLine, ...]
    left_out: tuple[LeftOut, ...] = field(default=())

    @property
    def total(self) -> dict[str, Decimal]:
        """Amount to pay per currency."""
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.bill.currency] = totals.get(line.bill.currency, Decimal("0.00")) + line.amount
        return totals

    def payment_order(self, *, end_to_end_id: Callable[[ProposalLine], str], **order: object) -> PaymentOrder:
        """A checked :class:`PaymentOrder` of the lines; ``order`` are its other fields (message id, debtor …).

        ``execution_date`` defaults to the earliest line's date; each line keeps its own, so
        the file has one ``PmtInf`` (one batch booking) per requested execution date.
        """
        if "execution_date" not in order:
            order["execution_date"] = min(line.execution_date for line in self.lines) if self.lines else None
        transfers = tuple(line.credit_transfer(end_to_end_id(line)) for line in self.lines)
        return PaymentOrder(transfers=transfers, **order)  # type: ignore[arg-type]


def _doc_number(bill: Bill) -> str:
    return str(bill.number or bill.ref)[:35]


def _checked_kid(kid: str | None) -> tuple[str | None, str | None]:
    """(valid KID, error text)."""
    if not kid:
        return None, None
    try:
        return kid_module.validate(kid), None
    except ValidationError as exc:
        return None, str(exc)


def propose(
    bills: Iterable[Bill],
    *,
    today: datetime.date,
    horizon_days: int = 0,
    chosen: Iterable[Hashable] = (),
    net_credit_notes: bool = False,
) -> Proposal:
    """Decide which of ``bills`` to pay; see the module docstring for the rules.

    ``chosen`` are refs picked by hand: they are proposed whatever their due date (every other
    check still applies). The execution date of a line is its due date, or ``today`` when overdue.
    """
    if isinstance(today, datetime.datetime) or not isinstance(today, datetime.date):
        raise TypeError("today must be a datetime.date")
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, int) or horizon_days < 0:
        raise ValueError("horizon_days must be a whole number of days, 0 or more")
    chosen_refs = set(chosen)
    last_day = today + datetime.timedelta(days=horizon_days)
    left_out: list[LeftOut] = []
    payable: list[tuple[Bill, Account, str | None, str | None]] = []
    credit_notes: list[tuple[Bill, Account]] = []
    given = list(bills)
    if not all(isinstance(bill, Bill) for bill in given):
        raise TypeError("propose takes Bill values")
    ordered = sorted(given, key=lambda b: (b.due_date, str(b.ref)))
    for bill in ordered:
        if not bill.approved:
            left_out.append(LeftOut(bill, Reason.NOT_APPROVED))
            continue
        if bill.blocked:
            left_out.append(LeftOut(bill, Reason.BLOCKED))
            continue
        if bill.amount <= 0:
            left_out.append(LeftOut(bill, Reason.NOTHING_TO_PAY))
            continue
        if not bill.payee_account:
            left_out.append(LeftOut(bill, Reason.NO_ACCOUNT))
            continue
        try:
            account = parse_account(bill.payee_account)
        except ValidationError as exc:
            left_out.append(LeftOut(bill, Reason.INVALID_ACCOUNT, str(exc)))
            continue
        if not bill.account_confirmed:
            left_out.append(LeftOut(bill, Reason.UNCONFIRMED_ACCOUNT))
            continue
        if bill.credit_note:
            credit_notes.append((bill, account))
            continue
        if bill.due_date > last_day and bill.ref not in chosen_refs:
            left_out.append(LeftOut(bill, Reason.NOT_DUE))
            continue
        kid, kid_error = _checked_kid(bill.kid)
        domestic = bill.currency == "NOK" and account.is_norwegian
        message = (bill.message or "").strip() or None
        if kid and not domestic:
            # KID is a Norwegian clearing reference; abroad the payee sees it as text.
            message, kid = message or f"KID {kid}", None
        if kid is None and message is None:
            reason = Reason.INVALID_KID if kid_error else Reason.NO_REFERENCE
            left_out.append(LeftOut(bill, reason, kid_error))
            continue
        payable.append((bill, account, kid, None if kid else message))
    # Netting: each credit note into the largest remaining bill without KID of the same payee/account/currency.
    netted: dict[Hashable, list[Bill]] = {}
    remaining = {bill.ref: bill.amount for bill, _a, _k, _t in payable}
    for note, account in credit_notes:
        if not net_credit_notes:
            left_out.append(LeftOut(note, Reason.NETTING_NOT_ALLOWED))
            continue
        candidates = [
            bill for bill, acc, kid, _t in payable
            if kid is None and bill.payee == note.payee and acc == account and bill.currency == note.currency
            and remaining[bill.ref] > note.amount
        ]  # fmt: skip
        if not candidates:
            left_out.append(LeftOut(note, Reason.NO_BILL_TO_NET))
            continue
        target = max(candidates, key=lambda b: remaining[b.ref])
        remaining[target.ref] -= note.amount
        netted.setdefault(target.ref, []).append(note)
    lines = tuple(
        ProposalLine(
            bill=bill, amount=remaining[bill.ref], execution_date=max(today, bill.due_date), account=account,
            kid=kid, text=text, credit_notes=tuple(netted.get(bill.ref, ())),
        )
        for bill, account, kid, text in payable
    )
    return Proposal(lines=lines, left_out=tuple(left_out))
