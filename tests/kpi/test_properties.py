"""Properties of the rules people sign: the 12-month rule of husleieloven § 4-2 and the floor of a commercial
lease, over generated dates, amounts and index values (Hypothesis, the project's profile: no timing checks)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from nofaktura.kpi import (
    CommercialClause,
    IndexSeries,
    IndexValue,
    Period,
    add_months,
    chain,
    commercial_lease,
    latest_notice_date,
    regulate_amount,
    residential_rent,
)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
#: Index values as SSB publishes them: one decimal, positive.
INDEX = st.integers(min_value=500, max_value=4000).map(lambda n: Decimal(n).scaleb(-1))
AMOUNT = st.integers(min_value=1, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))
SHARE = st.integers(min_value=1, max_value=100).map(Decimal)


def _series(first: Period, months: int, values: list[Decimal]) -> IndexSeries:
    return IndexSeries("03013", 2015, [IndexValue(first.shift(i), values[i % len(values)], 2015, "03013")
                                       for i in range(months)])  # fmt: skip


@given(
    last_set=DAYS,
    notice_after=st.integers(min_value=0, max_value=900),
    effective_after_notice=st.one_of(st.none(), st.integers(min_value=-60, max_value=900)),
    rent=AMOUNT,
    values=st.lists(INDEX, min_size=1, max_size=40),
)
def test_residential_rent_never_changes_within_12_months_or_a_month_of_notice(
    last_set: date, notice_after: int, effective_after_notice: int | None, rent: Decimal, values: list[Decimal]
) -> None:
    notice = last_set + timedelta(days=notice_after)
    effective = None if effective_after_notice is None else notice + timedelta(days=effective_after_notice)
    start = Period.of(last_set)
    series = _series(start, start.months_until(Period.of(notice)) + 1, values)
    result = residential_rent(rent, last_set=last_set, notice_date=notice, series=series, effective_date=effective)
    year_after, month_after_notice = add_months(last_set, 12), add_months(notice, 1)
    assert result.earliest_effective_date == max(year_after, month_after_notice)
    if effective is None:
        assert result.effective_date == result.earliest_effective_date
    if result.allowed:
        assert result.effective_date >= year_after
        assert result.effective_date >= month_after_notice
        assert result.notice_deadline is not None and notice <= result.notice_deadline
        assert result.index_from is not None and result.index_to is not None
        assert result.index_from.period == start < result.index_to.period < Period.of(notice)
        assert result.reason is None
    else:
        assert result.new_amount == result.old_amount == rent
        assert result.reason and result.reason.text("nb") and result.reason.text("nb") != str(result.reason)
    # Allowed exactly when both periods are over and there is a newer index than the month of the last setting.
    newer = start < Period.of(notice).shift(-1)
    assert result.allowed == (result.effective_date >= max(year_after, month_after_notice) and newer)
    if result.effective_date < year_after:
        assert "less than 12 months since" in str(result.reason)


@given(
    first=DAYS,
    gaps=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=6),
    values=st.lists(INDEX, min_size=2, max_size=30),
)
def test_successive_residential_regulations_are_at_least_12_months_apart(
    first: date, gaps: list[int], values: list[Decimal]
) -> None:
    series = _series(Period.of(first), 12 * 20, values)
    last_set, rent, applied = first, Decimal("10000.00"), [first]
    for gap in gaps:
        notice = last_set + timedelta(days=gap)
        result = residential_rent(rent, last_set=last_set, notice_date=notice, series=series)
        if result.allowed:
            applied.append(result.effective_date)
            last_set, rent = result.effective_date, result.new_amount
    for before, after in itertools.pairwise(applied):
        assert after >= add_months(before, 12)


@given(
    rent=AMOUNT,
    agreed=AMOUNT,
    index_from=INDEX,
    index_to=INDEX,
    share=SHARE,
    floor=st.booleans(),
)
def test_the_floor_and_the_direction_of_a_commercial_regulation(
    *, rent: Decimal, agreed: Decimal, index_from: Decimal, index_to: Decimal, share: Decimal, floor: bool
) -> None:
    series = IndexSeries("03013", 2015, [IndexValue(Period(2024, 10), index_from, 2015, "03013"),
                                         IndexValue(Period(2025, 10), index_to, 2015, "03013")])  # fmt: skip
    clause = CommercialClause(share_percent=share, floor=floor)
    result = commercial_lease(rent, agreed_rent=agreed, index_from=Period(2024, 10), year=2026, series=series,
                              clause=clause)  # fmt: skip
    assert result.allowed and result.effective_date == date(2026, 1, 1)
    plain = regulate_amount(rent, series[Period(2024, 10)], series[Period(2025, 10)], share_percent=share)
    if floor:
        assert result.new_amount >= agreed  # never below the agreed rent
        assert result.new_amount == max(plain, agreed)
        assert result.floor_applied == (plain < agreed)
    else:
        assert result.new_amount == plain and not result.floor_applied
    if index_to >= index_from:
        assert result.new_amount >= rent
    elif not floor:
        assert result.new_amount <= rent
    # A smaller share never moves the amount further from where it was.
    assert abs(plain - rent) <= abs(regulate_amount(rent, series[Period(2024, 10)], series[Period(2025, 10)]) - rent)


@given(rent=AMOUNT, values=st.lists(INDEX, min_size=3, max_size=3))
def test_cumulative_and_year_by_year_agree_at_100_percent_up_to_rounding(rent: Decimal, values: list[Decimal]) -> None:
    series = _series(Period(2023, 10), 25, [values[0]] + [values[1]] * 11 + [values[1]] + [values[2]] * 12)
    clause = CommercialClause(floor=False)
    cumulative = commercial_lease(rent, agreed_rent=rent, index_from=Period(2023, 10), year=2026, series=series,
                                  clause=clause)  # fmt: skip
    first = commercial_lease(rent, agreed_rent=rent, index_from=Period(2023, 10), year=2025, series=series,
                             clause=clause)  # fmt: skip
    second = commercial_lease(first.new_amount, agreed_rent=rent, index_from=Period(2024, 10), year=2026,
                              series=series, clause=clause)  # fmt: skip
    # One rounding of at most half an øre in the first year, carried by the second year's factor (< 8 here).
    assert abs(cumulative.new_amount - second.new_amount) <= Decimal("0.05")


@given(effective=DAYS, months=st.integers(min_value=1, max_value=12))
def test_the_notice_deadline_is_the_last_day_that_still_gives_the_full_notice(effective: date, months: int) -> None:
    deadline = latest_notice_date(effective, months)
    assert add_months(deadline, months) <= effective
    assert add_months(deadline + timedelta(days=1), months) > effective


@given(amount=AMOUNT, base=INDEX, low=INDEX, high=INDEX)
def test_a_higher_index_never_gives_a_lower_amount(amount: Decimal, base: Decimal, low: Decimal, high: Decimal) -> None:
    assume(low <= high)
    b = IndexValue(Period(2024, 1), base, 2015, "03013")
    assert regulate_amount(amount, b, IndexValue(Period(2025, 1), low, 2015, "03013")) <= regulate_amount(
        amount, b, IndexValue(Period(2025, 1), high, 2015, "03013"))  # fmt: skip


@given(old_from=INDEX, old_link=INDEX, new_link=INDEX, new_to=INDEX)
def test_a_change_across_the_link_is_the_old_change_times_the_new_one(
    old_from: Decimal, old_link: Decimal, new_link: Decimal, new_to: Decimal
) -> None:
    older = IndexSeries("03013", 2015, [IndexValue(Period(2025, 2), old_from, 2015, "03013"),
                                        IndexValue(Period(2025, 12), old_link, 2015, "03013")])  # fmt: skip
    newer = IndexSeries("14700", 2025, [IndexValue(Period(2025, 12), new_link, 2025, "14700"),
                                        IndexValue(Period(2026, 12), new_to, 2025, "14700")])  # fmt: skip
    chained = chain(older, newer, Period(2025, 12))
    ratio = chained[Period(2026, 12)].value / chained[Period(2025, 2)].value
    expected = (old_link / old_from) * (new_to / new_link)
    assert abs(ratio - expected) < Decimal("1e-20")
    assert chained[Period(2025, 2)].source == older[Period(2025, 2)]
