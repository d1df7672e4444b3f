"""Months, series on one base, and chaining across a change of base (03013 on 2015 = 100 → a table on 2025 = 100)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nofaktura.exceptions import IndexNotPublished, RegulationError
from nofaktura.kpi import (
    TABLE_03013,
    IndexSeries,
    IndexTable,
    IndexValue,
    Period,
    add_months,
    chain,
    parse_index_response,
    regulate_amount,
    residential_rent,
)

from .conftest import DEFAULT_2025M02, KPI_2024M02, sample

D = Decimal
#: A successor table on 2025 = 100. Its id and every value below are MADE UP for the test: the corpus names the
#: successor tables (14700/14710) only from third-party notes [?], so nothing here claims SSB published them.
NEW = IndexTable("14700", "KpiIndMnd", 2025)


def test_period_codes_order_and_arithmetic() -> None:
    assert Period.parse("2024M10") == Period(2024, 10) == Period.parse("2024-10")
    assert Period(2024, 12).shift(1) == Period(2025, 1) and Period(2025, 1).shift(-13) == Period(2023, 12)
    assert Period(2024, 2).months_until(Period(2025, 2)) == 12
    assert sorted([Period(2025, 1), Period(2024, 12)])[0] == Period(2024, 12)
    assert str(Period(2025, 2)) == "2025M02" and Period.of(date(2025, 2, 28)) == Period(2025, 2)
    for bad in ("2024M13", "2024", "24M01", "", "2024M1"):
        with pytest.raises(ValueError, match="month"):
            Period.parse(bad)


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


def test_index_table_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="table id"):
        IndexTable("03013/../x", "KpiIndMnd", 2015)
    with pytest.raises(ValueError, match="base year"):
        IndexTable("03013", "KpiIndMnd", 15)
    with pytest.raises(ValueError, match="both"):
        IndexTable("03013", "KpiIndMnd", 2015, group_code=None)


def test_a_series_holds_one_base_and_says_which_month_is_missing() -> None:
    series = IndexSeries("03013", 2015, [IndexValue(Period(2024, 2), KPI_2024M02, 2015, "03013")])
    with pytest.raises(RegulationError, match="chain"):
        IndexSeries("03013", 2015, [IndexValue(Period(2025, 2), D("100.9"), 2025, "14700")])
    with pytest.raises(IndexNotPublished, match="2024M03"):
        series[Period(2024, 3)]
    assert series.get(Period(2024, 3)) is None
    with pytest.raises(IndexNotPublished):
        series.latest(before=Period(2024, 2))
    with pytest.raises(IndexNotPublished, match="empty"):
        _ = IndexSeries("03013", 2015, []).last
    with pytest.raises(ValueError, match="positive Decimal"):
        IndexValue(Period(2024, 2), D(0), 2015, "03013")
    with pytest.raises(ValueError, match="positive Decimal"):
        IndexValue(Period(2024, 2), 132.3, 2015, "03013")  # type: ignore[arg-type]


def _series(table: IndexTable, values: dict[str, str]) -> IndexSeries:
    items = [IndexValue(Period.parse(p), D(v), table.base_year, table.table) for p, v in values.items()]
    return IndexSeries(table.table, table.base_year, items)


def test_chaining_rebases_the_older_table_at_the_documented_link_month() -> None:
    old = parse_index_response(sample(DEFAULT_2025M02).read_bytes(), TABLE_03013)  # 2025M02 = 137.0 (real)
    old = old.merged(_series(TABLE_03013, {"2025-12": "138.4"}))  # made up: the old table's last month
    new = _series(NEW, {"2025-12": "100.9", "2026-02": "103.0"})  # made up
    chained = chain(old, new, link=Period(2025, 12))
    assert (chained.table, chained.base_year) == ("14700", 2025)
    rebased = chained[Period(2025, 2)]
    # 137.0 × 100.9 / 138.4 = 13823.3 / 138.4 = 99.879335… on 2025 = 100
    assert rebased.value.quantize(D("0.000001")) == D("99.879335")
    assert rebased.link == Period(2025, 12) and rebased.source is not None and rebased.source.value == D("137.0")
    assert "chained at 2025M12" in str(rebased)
    assert chained[Period(2025, 12)].value == D("100.9")  # the link month and after: the new table's own values
    # A rent set in 2025M02 and regulated by 2026M02: 10 000 × 103.0 / 99.879335…
    #   = 10 000 × 103.0 × 138.4 / (137.0 × 100.9) = 142 552 000 / 13 823.3 = 10 312.4434… → 10 312.44;
    # the same as the old table's change to the link (138.4 / 137.0) times the new one's after it (103.0 / 100.9).
    assert regulate_amount(D("10000"), rebased, chained[Period(2026, 2)]) == D("10312.44")
    result = residential_rent(D("10000"), last_set=date(2025, 2, 1), notice_date=date(2026, 3, 15), series=chained)
    assert result.allowed and result.new_amount == D("10312.44") and result.effective_date == date(2026, 4, 15)
    assert result.index_from is not None and result.index_from.source is not None
    assert result.index_from.source.base_year == 2015  # the published figure stays at hand for the letter
    assert result.text() == ("10,000.00 → 10,312.44 from 2026-04-15; KPI 2025M02 99.8793 → 2026M02 103.0 "
                             "(2025=100, chained at 2025M12), 3.12 %")  # fmt: skip
    assert "(2025=100, kjedet i 2025M12)" in result.text("nb")


def test_chaining_needs_the_link_month_in_both_tables_and_two_different_bases() -> None:
    old = _series(TABLE_03013, {"2025-02": "137.0"})
    new = _series(NEW, {"2025-12": "100.9"})
    with pytest.raises(IndexNotPublished, match="2025M12"):
        chain(old, new, link=Period(2025, 12))
    with pytest.raises(RegulationError, match="the same"):
        chain(old, old, link=Period(2025, 2))


def test_mixing_bases_without_chaining_is_refused() -> None:
    old = IndexValue(Period(2025, 2), D("137.0"), 2015, "03013")
    new = IndexValue(Period(2026, 2), D("103.0"), 2025, "14700")
    with pytest.raises(RegulationError, match="different tables or bases") as caught:
        regulate_amount(D("10000"), old, new)
    assert "kjed" in caught.value.text("nb")
    with pytest.raises(RegulationError, match="chain them"):
        _series(TABLE_03013, {"2025-02": "137.0"}).merged(_series(NEW, {"2026-02": "103.0"}))
