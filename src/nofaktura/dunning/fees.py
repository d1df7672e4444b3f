"""Fees a creditor may charge for its own notices, as fractions of the inkassosats.

inkassoforskriften § 1-2 sets the reminder fee (purregebyr) and the fee for an inkassovarsel sent by
the creditor, and § 1-3 the fee for a betalingsoppfordring the creditor sends itself (egeninkasso).
Since 1 October 2020 these are 1/20, 1/20 and 3/20 of the inkassosats; before, 1/10, 1/10 and 3/10
(norway.md §5.2, §5.4, §5.5: 70 → 35 and 210 → 105 at sats 700).

The fraction and the sats are both taken on the day the notice is sent. [?] One secondary source
(lindorff.no) describes the 2020 halving as applying to claims *falling due* after 1 Oct 2020; the
tables here follow the sending day, as norway.md's table does ("70 until 30 Sep 2020, then 35").

Rounding: the product is rounded half up to whole øre (``nofaktura.money.round_money``). All current
values are exact (750 / 20 = 37.50); the rounding matters only for a company-supplied sats.

>>> from datetime import date
>>> fee_for(FeeKind.REMINDER, date(2026, 2, 1))
Decimal('37.50')
>>> fee_for(FeeKind.BETALINGSOPPFORDRING, date(2025, 2, 1))
Decimal('105.00')
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from nofaktura.dunning.tables import INKASSOSATS, LawOverrides
from nofaktura.money import round_money

__all__ = ["FRACTION_CHANGE", "FeeFraction", "FeeKind", "fee_for", "fee_fraction"]

#: First day of the 1/20 regime (forskrift amending inkassoforskriften §§ 1-2, 1-3, in force 1 Oct 2020).
FRACTION_CHANGE = date(2020, 10, 1)


class FeeKind(str, enum.Enum):
    """Which creditor fee; each has its own fraction of the inkassosats."""

    #: Purregebyr, inkassoforskriften § 1-2 first paragraph.
    REMINDER = "reminder"
    #: Fee for the creditor's own inkassovarsel, inkassoforskriften § 1-2.
    INKASSOVARSEL = "inkassovarsel"
    #: Betalingsoppfordring sent by the creditor itself (egeninkasso), inkassoforskriften § 1-3.
    BETALINGSOPPFORDRING = "betalingsoppfordring"


@dataclass(frozen=True)
class FeeFraction:
    numerator: int
    denominator: int

    def of(self, amount: Decimal) -> Decimal:
        return amount * self.numerator / self.denominator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


_BEFORE = {
    FeeKind.REMINDER: FeeFraction(1, 10),
    FeeKind.INKASSOVARSEL: FeeFraction(1, 10),
    FeeKind.BETALINGSOPPFORDRING: FeeFraction(3, 10),
}
_SINCE = {
    FeeKind.REMINDER: FeeFraction(1, 20),
    FeeKind.INKASSOVARSEL: FeeFraction(1, 20),
    FeeKind.BETALINGSOPPFORDRING: FeeFraction(3, 20),
}


def fee_fraction(kind: FeeKind, day: date) -> FeeFraction:
    """The fraction of the inkassosats for ``kind`` on the sending day ``day``."""
    return (_SINCE if day >= FRACTION_CHANGE else _BEFORE)[kind]


def fee_for(kind: FeeKind, day: date, overrides: LawOverrides | None = None) -> Decimal:
    """The maximum fee of ``kind`` for a notice sent on ``day``, rounded to øre.

    Raises :class:`~nofaktura.exceptions.LawTableError` when the inkassosats of that year is unknown
    and not supplied in ``overrides``.
    """
    sats = INKASSOSATS.lookup(day, overrides).value
    return round_money(fee_fraction(kind, day).of(sats))
