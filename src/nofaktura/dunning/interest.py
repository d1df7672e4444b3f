"""Late-payment interest (forsinkelsesrente) and the B2B standard compensation.

Interest (forsinkelsesrenteloven §§ 2, 3) runs from the due date when it was fixed in advance. The rate
changes every half-year, so a period is split at 1 January and 1 July and each part uses its own rate.

Convention (norway.md §5.6 marks the day count as common practice [?]): **simple interest, actual days /
365**, never compounded, also in leap years. The days counted are the half-open interval
``[start, end)``: a claim paid on its due date (``end == start``) carries no interest; paid the day after,
one day. Each day takes the rate of the half-year it lies in. The total is rounded once, half up to øre;
the exact (unrounded) value of each part is kept so sums over split periods are exact.

The standard compensation (§ 3a) is owed only by businesses and public bodies, never by consumers, and
any reminder or collection fee already charged for the claim is deducted from it (never below zero).
[?] Which half-year's amount applies is not settled in norway.md; this module takes the half-year in
which the claim fell due (when interest started to run).

>>> from datetime import date
>>> r = interest(Decimal("10000"), date(2025, 6, 1), date(2025, 7, 31))
>>> [(str(p.period.start), p.days, str(p.rate)) for p in r.parts]
[('2025-01-01', 30, '12.50'), ('2025-07-01', 30, '12.25')]
>>> r.amount
Decimal('203.42')
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from nofaktura.dunning.tables import (
    FORSINKELSESRENTE,
    STANDARDKOMPENSASJON,
    LawOverrides,
    LawValue,
    Period,
    half_year,
)
from nofaktura.money import round_money

__all__ = [
    "DAY_COUNT_BASIS",
    "CustomerKind",
    "InterestPart",
    "InterestResult",
    "compensation",
    "interest",
]

#: Days in the interest year (actual/365).
DAY_COUNT_BASIS = 365
_ZERO = Decimal(0)


class CustomerKind(str, enum.Enum):
    """Who owes: the law treats consumers and businesses differently."""

    #: A private person (forbruker): no standard compensation; the statutory rate is the ceiling.
    CONSUMER = "consumer"
    #: A business or public body (næringsdrivende / offentlig): standard compensation applies.
    BUSINESS = "business"


@dataclass(frozen=True)
class InterestPart:
    """Interest for the days of one half-year."""

    period: Period
    start: date  # first day counted
    end: date  # day after the last day counted
    days: int
    rate: Decimal  # percent per year
    rate_source: LawValue
    exact: Decimal  # principal * rate * days / 36500, unrounded

    @property
    def amount(self) -> Decimal:
        return round_money(self.exact)


@dataclass(frozen=True)
class InterestResult:
    principal: Decimal
    start: date
    end: date
    parts: tuple[InterestPart, ...]

    @property
    def days(self) -> int:
        return sum(p.days for p in self.parts)

    @property
    def exact(self) -> Decimal:
        return sum((p.exact for p in self.parts), _ZERO)

    @property
    def amount(self) -> Decimal:
        """The total rounded once to øre (not the sum of rounded parts)."""
        return round_money(self.exact)


def interest(
    principal: Decimal,
    start: date,
    end: date,
    overrides: LawOverrides | None = None,
) -> InterestResult:
    """Simple late-payment interest on ``principal`` for the days ``[start, end)``.

    ``start`` is the due date (or the day interest was last charged up to), ``end`` the day of payment
    or of the notice. ``end <= start`` gives zero interest. Raises
    :class:`~nofaktura.exceptions.LawTableError` when a half-year's rate is unknown and not supplied.
    """
    if not isinstance(principal, Decimal):
        raise TypeError("principal must be a Decimal")
    if not principal.is_finite():
        raise ValueError(f"principal must be a finite amount, not {principal}")
    parts: list[InterestPart] = []
    day = start
    while day < end:
        period = half_year(day)
        part_end = min(end, period.end + timedelta(days=1))
        days = (part_end - day).days
        rate_row = FORSINKELSESRENTE.lookup(day, overrides)
        exact = principal * rate_row.value * days / (100 * DAY_COUNT_BASIS)
        parts.append(InterestPart(period, day, part_end, days, rate_row.value, rate_row, exact))
        day = part_end
    return InterestResult(principal, start, end, tuple(parts))


def compensation(
    due_date: date,
    customer_kind: CustomerKind,
    fees_charged: Decimal = _ZERO,
    overrides: LawOverrides | None = None,
) -> Decimal:
    """The standard compensation still claimable for a claim that fell due on ``due_date``.

    Zero for consumers. For businesses: the half-year's amount minus fees (and compensation) already
    charged for the claim, never negative.
    """
    if customer_kind is CustomerKind.CONSUMER:
        return _ZERO
    standard = STANDARDKOMPENSASJON.lookup(due_date, overrides).value
    return max(_ZERO, round_money(standard - fees_charged))
