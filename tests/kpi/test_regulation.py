"""Worked examples of the regulation rules, each computed by hand in its comment.

Real figures (SSB, CC BY 4.0): 2025M02 = 137.0 read from the reconstructed 03013 sample; 2024M02 = 132.3 and
2024M03 = 132.6 from NOTES.md's known values. Figures marked "made up" are not SSB data.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_DOWN, Decimal

import pytest

from nofaktura.exceptions import IndexNotPublished, RegulationError
from nofaktura.kpi import (
    ROUND_TO_KRONE,
    TABLE_03013,
    CommercialClause,
    IndexSeries,
    IndexValue,
    Period,
    Rounding,
    Rule,
    SsbClient,
    commercial_lease,
    index_change_percent,
    latest_notice_date,
    parse_index_response,
    percentage,
    regulate_amount,
    residential_rent,
)
from nofaktura.kpi.testing import FakeSsb

from .conftest import DEFAULT_2025M02, KPI_2024M02, KPI_2024M03, sample

D = Decimal


@pytest.fixture
def real() -> IndexSeries:
    """2024M02, 2024M03 and 2025M02 (137.0 parsed from the corpus sample)."""
    published = parse_index_response(sample(DEFAULT_2025M02).read_bytes(), TABLE_03013)
    known = IndexSeries("03013", 2015, [IndexValue(Period(2024, 2), KPI_2024M02, 2015, "03013"),
                                        IndexValue(Period(2024, 3), KPI_2024M03, 2015, "03013")])  # fmt: skip
    return published.merged(known)


@pytest.fixture
def fetched(fake_ssb: FakeSsb) -> IndexSeries:
    with SsbClient(TABLE_03013, transport=fake_ssb.transport) as ssb:
        return ssb.fetch(Period(2023, 1))


def test_the_sample_s_own_12_month_change_agrees_with_the_two_real_values(real: IndexSeries) -> None:
    # 137.0 / 132.3 = 1.035525… → +3.55 %, published rounded as 3.6 (the sample's Tolvmanedersendring).
    change = index_change_percent(real[Period(2024, 2)], real[Period(2025, 2)])
    assert change.quantize(D("0.1")) == D("3.6")
    assert change.quantize(D("0.0001")) == D("3.5525")


# --- residential rent, husleieloven § 4-2 -----------------------------------------------------------------


def test_residential_rent_regulated_by_the_newest_published_index(real: IndexSeries) -> None:
    # Rent 12 000.00 set 1 February 2024 (index 2024M02 = 132.3). Notice 20 March 2025: the newest index then
    # is 2025M02 = 137.0 (published 10 March). 12 000 × 137.0 / 132.3 = 1 644 000 / 132.3 = 12 426.3038… →
    # 12 426.30. Earliest: max(20 March + 1 month, 1 February 2024 + 12 months) = 20 April 2025.
    result = residential_rent(D("12000.00"), last_set=date(2024, 2, 1), notice_date=date(2025, 3, 20), series=real)
    assert result.allowed and result.rule is Rule.RESIDENTIAL
    assert result.new_amount == D("12426.30") and result.difference == D("426.30")
    assert result.effective_date == result.earliest_effective_date == date(2025, 4, 20)
    assert result.notice_deadline == date(2025, 3, 20)
    assert result.index_from is not None and result.index_to is not None
    assert (result.index_from.period, result.index_from.value, result.index_from.base_year) == (
        Period(2024, 2), D("132.3"), 2015)  # fmt: skip
    assert (result.index_to.period, result.index_to.value) == (Period(2025, 2), D("137.0"))
    assert result.text() == (
        "12,000.00 → 12,426.30 from 2025-04-20; KPI 2024M02 132.3 → 2025M02 137.0 (2015=100), 3.55 %")  # fmt: skip
    assert result.text("nb") == (
        "12 000,00 → 12 426,30 fra 20.04.2025; KPI 2024M02 132,3 → 2025M02 137,0 (2015=100), 3,55 %")  # fmt: skip


def test_the_twelve_months_decide_when_the_notice_comes_early(real: IndexSeries) -> None:
    # Rent 9 500.00 set 15 March 2024 (2024M03 = 132.6); notice 12 March 2025 → earliest max(12 April 2025,
    # 15 March 2025) = 12 April. 9 500 × 137.0 / 132.6 = 1 301 500 / 132.6 = 9 815.2337… → 9 815.23.
    result = residential_rent(D("9500"), last_set=date(2024, 3, 15), notice_date=date(2025, 3, 12), series=real)
    assert result.allowed and result.new_amount == D("9815.23") and result.effective_date == date(2025, 4, 12)
    # Asked for 1 March 2025: less than 12 months since 15 March 2024.
    early = residential_rent(D("9500"), last_set=date(2024, 3, 15), notice_date=date(2025, 1, 20),
                             series=real, effective_date=date(2025, 3, 1))  # fmt: skip
    assert not early.allowed and early.new_amount == early.old_amount == D("9500")
    assert str(early.reason).startswith("less than 12 months since 2024-03-15")
    assert early.earliest_effective_date == date(2025, 3, 15)
    assert early.reason is not None and "mindre enn 12 måneder siden 2024-03-15" in early.reason.text("nb")
    assert early.text("nb").startswith("Ingen regulering: mindre enn 12 måneder")


def test_one_month_s_notice(real: IndexSeries) -> None:
    # Notice 12 March 2025 for 1 April 2025: the deadline for 1 April was 1 March.
    result = residential_rent(D("9500"), last_set=date(2024, 3, 15), notice_date=date(2025, 3, 12),
                              series=real, effective_date=date(2025, 4, 1))  # fmt: skip
    assert not result.allowed and result.notice_deadline == date(2025, 3, 1)
    assert "less than one month's written notice" in str(result.reason)
    assert result.earliest_effective_date == date(2025, 4, 12)


def test_the_index_runs_from_the_month_of_the_last_setting_and_no_newer_index_means_no_regulation(
    fetched: IndexSeries,
) -> None:
    # Rent set 1 February 2025, notice 5 March 2026: the newest index before March 2026 in the fetched series is
    # 2025M02 (2025M03 was published as ".."): nothing to regulate by.
    result = residential_rent(D("10000"), last_set=date(2025, 2, 1), notice_date=date(2026, 3, 5), series=fetched)
    assert not result.allowed and "no index newer than 2025M02" in str(result.reason)
    # The month of the last setting itself missing is an error, not a zero.
    with pytest.raises(IndexNotPublished, match="2024M05"):
        residential_rent(D("10000"), last_set=date(2024, 5, 1), notice_date=date(2025, 6, 5), series=fetched)


def test_explicit_index_months_and_contradictions(real: IndexSeries) -> None:
    # index_from override (the agreement names the month): 2024M03 → 2025M02 on 12 000: 12 000 × 137.0 / 132.6
    # = 1 644 000 / 132.6 = 12 398.1900… → 12 398.19.
    result = residential_rent(D("12000"), last_set=date(2024, 2, 20), notice_date=date(2025, 3, 20), series=real,
                              index_from=Period(2024, 3), index_to=Period(2025, 2))  # fmt: skip
    assert result.new_amount == D("12398.19")
    with pytest.raises(RegulationError, match="not published before the notice"):
        residential_rent(D("12000"), last_set=date(2024, 2, 1), notice_date=date(2025, 2, 20), series=real,
                         index_to=Period(2025, 2))  # fmt: skip
    with pytest.raises(RegulationError, match="before the rent was last set"):
        residential_rent(D("12000"), last_set=date(2024, 2, 1), notice_date=date(2024, 1, 20), series=real)
    with pytest.raises(RegulationError, match="Decimal, not float") as caught:
        residential_rent(12000.0, last_set=date(2024, 2, 1), notice_date=date(2025, 3, 20), series=real)  # type: ignore[arg-type]
    assert "må være en Decimal" in caught.value.text("nb")


def test_a_falling_index_lowers_a_residential_rent() -> None:
    # Made up: 140.0 → 138.6; 10 000 × 138.6 / 140.0 = 9 900.00 (either party may demand the change).
    series = IndexSeries("03013", 2015, [IndexValue(Period(2030, 1), D("140.0"), 2015, "03013"),
                                         IndexValue(Period(2031, 1), D("138.6"), 2015, "03013")])  # fmt: skip
    result = residential_rent(D("10000"), last_set=date(2030, 1, 10), notice_date=date(2031, 2, 1), series=series)
    assert result.allowed and result.new_amount == D("9900.00") and result.difference == D("-100.00")


# --- commercial leases --------------------------------------------------------------------------------------


def test_the_october_index_applied_from_1_january(fetched: IndexSeries) -> None:
    # Made-up October values: 2023M10 = 131.0 (the lease's base), 2024M10 = 134.5. Rent 300 000.00 a year;
    # from 1 January 2025: 300 000 × 134.5 / 131.0 = 40 350 000 / 131 = 308 015.2671… → 308 015.27.
    result = commercial_lease(D("300000"), agreed_rent=D("300000"), index_from=Period(2023, 10), year=2025,
                              series=fetched)  # fmt: skip
    assert result.allowed and result.rule is Rule.COMMERCIAL
    assert result.new_amount == D("308015.27") and result.effective_date == date(2025, 1, 1)
    assert result.index_to is not None and result.index_to.period == Period(2024, 10)
    assert result.notice_deadline is None and not result.floor_applied
    # 80 % of the change: 300 000 × (131.0 + 0.8 × 3.5) / 131.0 = 300 000 × 133.8 / 131 = 306 412.2137… → 306 412.21.
    share = commercial_lease(D("300000"), agreed_rent=D("300000"), index_from=Period(2023, 10), year=2025,
                             series=fetched, clause=CommercialClause(share_percent=D(80)))  # fmt: skip
    assert share.new_amount == D("306412.21")
    assert share.applied_percent == share.change_percent * D("0.8")  # type: ignore[operator]
    assert "% applied" in share.text()


def test_a_commercial_clause_on_real_february_values_with_80_percent(real: IndexSeries) -> None:
    # The February index applied from 1 April, 80 %: 250 000 × (132.3 + 0.8 × 4.7) / 132.3
    #   = 250 000 × 136.06 / 132.3 = 34 015 000 / 132.3 = 257 105.0642… → 257 105.06.
    clause = CommercialClause(index_month=2, effective_month=4, share_percent=D(80))
    result = commercial_lease(D("250000"), agreed_rent=D("250000"), index_from=Period(2024, 2), year=2025,
                              series=real, clause=clause)  # fmt: skip
    assert result.allowed and result.new_amount == D("257105.06") and result.effective_date == date(2025, 4, 1)


def test_the_floor_keeps_the_agreed_rent_when_the_index_falls() -> None:
    # Made up: 2024M10 = 134.5, 2025M10 = 133.9. 300 000 × 133.9 / 134.5 = 40 170 000 / 134.5 = 298 661.71
    # without the floor; with it the agreed 300 000.00 stays.
    series = IndexSeries("03013", 2015, [IndexValue(Period(2024, 10), D("134.5"), 2015, "03013"),
                                         IndexValue(Period(2025, 10), D("133.9"), 2015, "03013")])  # fmt: skip
    floored = commercial_lease(D("300000"), agreed_rent=D("300000"), index_from=Period(2024, 10), year=2026,
                               series=series)  # fmt: skip
    assert floored.allowed and floored.floor_applied and floored.new_amount == D("300000.00")
    assert floored.text().endswith("not below the agreed amount") and "ikke under avtalt leie" in floored.text("nb")
    free = commercial_lease(D("300000"), agreed_rent=D("300000"), index_from=Period(2024, 10), year=2026,
                            series=series, clause=CommercialClause(floor=False))  # fmt: skip
    assert free.new_amount == D("298661.71") and not free.floor_applied


def test_already_regulated_and_late_notice_are_refused_with_the_next_possible_date(fetched: IndexSeries) -> None:
    again = commercial_lease(D("308015.27"), agreed_rent=D("300000"), index_from=Period(2024, 10), year=2025,
                             series=fetched)  # fmt: skip
    assert not again.allowed and again.new_amount == D("308015.27")
    assert "2024M10 is not later than 2024M10" in str(again.reason)
    assert again.earliest_effective_date == date(2026, 1, 1)
    clause = CommercialClause(notice_months=1)
    late = commercial_lease(D("300000"), agreed_rent=D("300000"), index_from=Period(2023, 10), year=2025,
                            series=fetched, clause=clause, notice_date=date(2024, 12, 15))  # fmt: skip
    assert not late.allowed and late.notice_deadline == date(2024, 12, 1)
    assert "after the deadline 2024-12-01" in str(late.reason) and "etter fristen" in late.reason.text("nb")  # type: ignore[union-attr]
    on_time = commercial_lease(D("300000"), agreed_rent=D("300000"), index_from=Period(2023, 10), year=2025,
                               series=fetched, clause=clause, notice_date=date(2024, 11, 20))  # fmt: skip
    assert on_time.allowed and on_time.new_amount == D("308015.27")
    with pytest.raises(IndexNotPublished, match="2025M10"):
        commercial_lease(D("300000"), agreed_rent=D("300000"), index_from=Period(2023, 10), year=2026,
                         series=fetched)  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"share_percent": D(0)}, "above 0"), ({"share_percent": D(120)}, "at most 100"),
     ({"share_percent": 0.8}, "Decimal"), ({"index_month": 13}, "months"), ({"notice_months": -1}, "notice")],
)  # fmt: skip
def test_clause_settings_are_checked(kwargs: dict, message: str) -> None:
    with pytest.raises(RegulationError, match=message):
        CommercialClause(**kwargs)


def test_a_clause_with_an_impossible_day_is_refused() -> None:
    with pytest.raises(ValueError, match="day is out of range"):
        CommercialClause(effective_month=2, effective_day=30)


# --- plain percentage, rounding, notice deadlines -----------------------------------------------------------


def test_plain_percentage_and_rounding() -> None:
    # 1 000.00 + 3.5 % = 1 035.00; 999.99 × 1.025 = 1 024.98975 → 1 024.99 (half up) or 1 024.98 (down).
    assert percentage(D("1000"), D("3.5"), effective_date=date(2026, 1, 1)).new_amount == D("1035.00")
    assert percentage(D("999.99"), D("2.5"), effective_date=date(2026, 1, 1)).new_amount == D("1024.99")
    down = percentage(D("999.99"), D("2.5"), effective_date=date(2026, 1, 1), rounding=Rounding(mode=ROUND_DOWN))
    assert down.new_amount == D("1024.98")
    assert percentage(D("1000"), D("-2"), effective_date=date(2026, 1, 1)).new_amount == D("980.00")
    late = percentage(D("1000"), D("3"), effective_date=date(2026, 1, 1), notice_date=date(2025, 11, 2),
                      notice_months=2)  # fmt: skip
    assert not late.allowed and late.notice_deadline == date(2025, 11, 1) and late.new_amount == D("1000")
    with pytest.raises(RegulationError, match="finite Decimal"):
        percentage(D("1000"), 3.5, effective_date=date(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(RegulationError, match="leaves nothing"):
        percentage(D("1000"), D("-100"), effective_date=date(2026, 1, 1))


def test_whole_kroner_when_the_agreement_says_so(real: IndexSeries) -> None:
    # 12 426.3038… rounded to whole kroner half up: 12 426.
    assert regulate_amount(D("12000"), real[Period(2024, 2)], real[Period(2025, 2)], rounding=ROUND_TO_KRONE) == D(
        "12426")


@pytest.mark.parametrize(
    ("effective", "months", "deadline"),
    [(date(2025, 4, 1), 1, date(2025, 3, 1)), (date(2025, 2, 28), 1, date(2025, 1, 31)),
     (date(2025, 3, 30), 1, date(2025, 2, 28)), (date(2025, 3, 31), 1, date(2025, 2, 28)),
     (date(2025, 1, 1), 3, date(2024, 10, 1))],
)  # fmt: skip
def test_latest_notice_date(effective: date, months: int, deadline: date) -> None:
    assert latest_notice_date(effective, months) == deadline


def test_the_dates_are_judged_before_the_index_is_looked_up() -> None:
    # A run over many agreements: one set 1 March 2026 asked for 1 January 2027 is "not yet", whatever the
    # fetched series holds (here nothing).
    empty = IndexSeries("03013", 2015, [])
    result = residential_rent(D("8000"), last_set=date(2026, 3, 1), notice_date=date(2026, 11, 20), series=empty,
                              effective_date=date(2027, 1, 1))  # fmt: skip
    assert not result.allowed and str(result.reason).startswith("less than 12 months since 2026-03-01")
    with pytest.raises(IndexNotPublished):
        residential_rent(D("8000"), last_set=date(2026, 3, 1), notice_date=date(2027, 2, 20), series=empty)


def test_a_result_as_json_keeps_everything_a_letter_needs(real: IndexSeries, fetched: IndexSeries) -> None:
    result = residential_rent(D("12000.00"), last_set=date(2024, 2, 1), notice_date=date(2025, 3, 20), series=real)
    data = result.as_json()
    assert json.loads(json.dumps(data)) == data
    assert data["new_amount"] == "12426.30" and data["effective_date"] == "2025-04-20" and data["reason"] is None
    assert data["index_to"] == {"period": "2025M02", "value": "137.0", "base_year": 2015, "table": "03013"}
    assert data["rounding"] == {"exponent": "0.01", "mode": "ROUND_HALF_UP"}
    refused = commercial_lease(D("1"), agreed_rent=D("1"), index_from=Period(2024, 10), year=2025, series=fetched)
    assert refused.as_json()["reason"]["nb"].startswith("indeksen for 2024M10 er ikke senere")  # type: ignore[index]
