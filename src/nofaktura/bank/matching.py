"""How a payment settles the open invoices that carry its KID: paid, partial, overpaid, tolerance.

Why in the library: the decision is a business rule (what counts as paid, which invoice first,
when a small difference is written off) and must be the same for the Odoo addon, its XML-RPC
callers and any other ERP. The addon only maps its records to :class:`OpenItem` and carries out
the :class:`Allocation`.

Rules:

* several open invoices with the same KID are settled **oldest first**: by due date, then invoice
  date, then the order given (Odoo's own reconciliation order is the same);
* the payment equals the open total → ``paid``;
* it differs by no more than the agreement's ``tolerance`` → ``paid`` and the difference is
  written off (``write_off`` > 0: the customer paid too little, < 0: too much);
* it is less → ``partial``: the oldest invoices are settled in full as far as the money goes;
* it is more → ``overpaid``: every invoice is paid and ``left_open`` stays as a credit on the
  customer.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["OVERPAID", "PAID", "PARTIAL", "Allocation", "OpenItem", "allocate"]

PAID = "paid"
PARTIAL = "partial"
OVERPAID = "overpaid"


@dataclass(frozen=True)
class OpenItem:
    """An open invoice (its receivable residual), identified by ``ref`` (e.g. an Odoo id)."""

    ref: Hashable
    residual: Decimal
    due_date: datetime.date | None = None
    date: datetime.date | None = None


@dataclass
class Allocation:
    outcome: str
    #: (ref, amount settled) oldest first; only invoices that receive money are listed.
    settled: list[tuple[Hashable, Decimal]] = field(default_factory=list)
    #: Difference written off within the tolerance: > 0 underpaid, < 0 overpaid.
    write_off: Decimal = Decimal("0.00")
    #: Overpayment left as a credit on the customer.
    left_open: Decimal = Decimal("0.00")


def _order(items: Sequence[OpenItem]) -> list[OpenItem]:
    indexed = list(enumerate(items))
    indexed.sort(key=lambda pair: (pair[1].due_date or pair[1].date or datetime.date.max,
                                   pair[1].date or datetime.date.max, pair[0]))  # fmt: skip
    return [item for _, item in indexed]


def allocate(amount: Decimal, items: Sequence[OpenItem], tolerance: Decimal = Decimal(0)) -> Allocation:
    """Decide how ``amount`` (> 0) settles ``items``; see the module rules."""
    if amount <= 0:
        raise ValueError("only money in (a positive amount) settles invoices")
    if tolerance < 0:
        raise ValueError("the tolerance cannot be negative")
    ordered = [item for item in _order(items) if item.residual > 0]
    if not ordered:
        raise ValueError("no open item to settle")
    total = sum((item.residual for item in ordered), Decimal(0))
    difference = total - amount
    if difference == 0 or abs(difference) <= tolerance:
        return Allocation(PAID, [(item.ref, item.residual) for item in ordered], write_off=difference)
    if difference < 0:
        return Allocation(OVERPAID, [(item.ref, item.residual) for item in ordered], left_open=-difference)
    settled = []
    remaining = amount
    for item in ordered:
        if remaining <= 0:
            break
        part = min(item.residual, remaining)
        settled.append((item.ref, part))
        remaining -= part
    return Allocation(PARTIAL, settled)
