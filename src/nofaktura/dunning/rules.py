"""The time and count rules of inkassoloven and inkassoforskriften, as small pure functions.

- A fee may be charged for a written notice only when it is sent at least 14 days after the due date
  (inkassoforskriften § 1-2; norway.md §5.2, §5.3).
- An inkassovarsel gives the debtor at least 14 days from the day it was sent (inkassoloven § 9), and so
  does a betalingsoppfordring (§ 10) and any reminder that is to carry a second fee.
- A second fee requires that the ≥14-day deadline of the earlier fee-bearing notice has expired
  (inkassoforskriften § 1-2, norway.md §5.2).
- A betalingsoppfordring (or hand-over to an agency) only after the inkassovarsel's deadline expired.
- At most: fees for two reminders and a following betalingsoppfordring, **or** for one reminder, one
  inkassovarsel and a betalingsoppfordring (inkassoforskriften § 1-3).

"Expired" means the deadline day itself has passed: payment on the deadline day is in time, so the next
step is allowed from the day after (``today > deadline``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from nofaktura.dunning.fees import FeeKind

__all__ = [
    "FEE_MIN_DAYS_AFTER_DUE",
    "MIN_DEADLINE_DAYS",
    "FeeCount",
    "StepKind",
    "deadline_expired",
    "earliest_fee_date",
    "fee_allowed_by_cap",
    "fee_kind_of",
    "minimum_deadline",
]

#: inkassoforskriften § 1-2: no fee for a notice sent earlier than 14 days after the due date.
FEE_MIN_DAYS_AFTER_DUE = 14
#: inkassoloven §§ 9, 10: the debtor gets at least 14 days from the sending day.
MIN_DEADLINE_DAYS = 14


class StepKind(str, enum.Enum):
    """The kinds of dunning notices, in the order the law lets them follow each other."""

    #: Friendly reminder without fee ("betalingspåminnelse").
    SOFT_REMINDER = "soft_reminder"
    #: Purring; may carry the reminder fee.
    REMINDER = "reminder"
    #: Inkassovarsel (inkassoloven § 9).
    INKASSOVARSEL = "inkassovarsel"
    #: Betalingsoppfordring sent by the creditor itself (inkassoloven § 10, egeninkasso).
    BETALINGSOPPFORDRING = "betalingsoppfordring"
    #: Hand-over to a debt-collection agency.
    HANDOVER = "handover"


_FEE_KIND = {
    StepKind.REMINDER: FeeKind.REMINDER,
    StepKind.INKASSOVARSEL: FeeKind.INKASSOVARSEL,
    StepKind.BETALINGSOPPFORDRING: FeeKind.BETALINGSOPPFORDRING,
}


def fee_kind_of(step: StepKind) -> FeeKind | None:
    """Which fee a step may carry; ``None`` for steps that never carry a creditor fee."""
    return _FEE_KIND.get(step)


def earliest_fee_date(due_date: date) -> date:
    """First sending day on which a notice may carry a fee (due date + 14 days)."""
    return due_date + timedelta(days=FEE_MIN_DAYS_AFTER_DUE)


def minimum_deadline(sent_on: date) -> date:
    """The earliest lawful deadline for a notice sent on ``sent_on`` (sending day + 14 days)."""
    return sent_on + timedelta(days=MIN_DEADLINE_DAYS)


def deadline_expired(deadline: date | None, today: date) -> bool:
    """True once the deadline day has passed; a notice without deadline never blocks."""
    return deadline is None or today > deadline


@dataclass(frozen=True)
class FeeCount:
    """How many fees of each kind a claim already carries."""

    reminders: int = 0
    inkassovarsel: int = 0
    betalingsoppfordring: int = 0

    @classmethod
    def of(cls, charged: Iterable[tuple[FeeKind, Decimal]]) -> FeeCount:
        counts = {kind: 0 for kind in FeeKind}
        for kind, amount in charged:
            if amount > 0:
                counts[kind] += 1
        return cls(
            counts[FeeKind.REMINDER], counts[FeeKind.INKASSOVARSEL], counts[FeeKind.BETALINGSOPPFORDRING]
        )

    def add(self, kind: FeeKind) -> FeeCount:
        return FeeCount(
            self.reminders + (kind is FeeKind.REMINDER),
            self.inkassovarsel + (kind is FeeKind.INKASSOVARSEL),
            self.betalingsoppfordring + (kind is FeeKind.BETALINGSOPPFORDRING),
        )

    def within_cap(self) -> bool:
        """inkassoforskriften § 1-3: two reminders + betalingsoppfordring, or one of each."""
        if self.betalingsoppfordring > 1 or self.inkassovarsel > 1:
            return False
        return self.reminders <= (1 if self.inkassovarsel else 2)


def fee_allowed_by_cap(count: FeeCount, kind: FeeKind) -> bool:
    """Whether one more fee of ``kind`` keeps the claim within inkassoforskriften § 1-3."""
    return count.add(kind).within_cap()
