"""The 14-day rules and the fee cap of inkassoforskriften § 1-3."""

from datetime import date

import pytest

from nofaktura.dunning.fees import FeeKind
from nofaktura.dunning.rules import (
    FeeCount,
    StepKind,
    deadline_expired,
    earliest_fee_date,
    fee_allowed_by_cap,
    fee_kind_of,
    minimum_deadline,
)

R, V, B = FeeKind.REMINDER, FeeKind.INKASSOVARSEL, FeeKind.BETALINGSOPPFORDRING


def test_fee_only_14_days_after_due():
    assert earliest_fee_date(date(2026, 1, 31)) == date(2026, 2, 14)


def test_minimum_deadline_14_days_from_sending():
    assert minimum_deadline(date(2026, 2, 20)) == date(2026, 3, 6)


def test_deadline_expires_the_day_after():
    assert not deadline_expired(date(2026, 3, 6), date(2026, 3, 6))
    assert deadline_expired(date(2026, 3, 6), date(2026, 3, 7))
    assert deadline_expired(None, date(2026, 3, 6))


@pytest.mark.parametrize(
    ("history", "kind", "allowed"),
    [
        ([], R, True),
        ([R], R, True),
        ([R, R], R, False),  # no third reminder fee
        ([R, R], B, True),  # two reminders + betalingsoppfordring
        ([R, R], V, False),  # two reminders leave no room for a varsel fee
        ([R], V, True),  # one reminder + varsel
        ([R, V], B, True),
        ([R, V], R, False),
        ([V], R, True),  # varsel then one reminder: still within "one of each"
        ([V], V, False),
        ([R, V, B], B, False),
        ([B], B, False),
    ],
)
def test_fee_cap(history, kind, allowed):
    count = FeeCount.of((k, 1) for k in history)
    assert fee_allowed_by_cap(count, kind) is allowed


def test_zero_fees_do_not_count():
    count = FeeCount.of([(R, 0), (R, 0), (R, 35)])
    assert count.reminders == 1


def test_fee_kind_of_steps():
    assert fee_kind_of(StepKind.SOFT_REMINDER) is None
    assert fee_kind_of(StepKind.HANDOVER) is None
    assert fee_kind_of(StepKind.REMINDER) is R
    assert fee_kind_of(StepKind.INKASSOVARSEL) is V
    assert fee_kind_of(StepKind.BETALINGSOPPFORDRING) is B
