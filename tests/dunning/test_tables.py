"""The law tables against docs/norway.md §5.5–5.6 for 2024–2026, and the lookup contract."""

from datetime import date
from decimal import Decimal

import pytest

from nofaktura.dunning.tables import (
    FORSINKELSESRENTE,
    INKASSOSATS,
    STANDARDKOMPENSASJON,
    TABLES,
    Certainty,
    ImplausibleLawValue,
    LawOverrides,
    LawTable,
    LawValue,
    check_plausible,
    half_year,
)
from nofaktura.exceptions import LawTableError, ValidationError

# (day, expected) straight from norway.md §5.5 / §5.6
INKASSOSATS_NORWAY_MD = [
    (date(2017, 6, 1), "700"),
    (date(2020, 9, 30), "700"),
    (date(2023, 12, 31), "700"),
    (date(2024, 1, 1), "700"),
    (date(2024, 12, 31), "700"),
    (date(2025, 6, 30), "700"),
    (date(2026, 1, 1), "750"),
    (date(2026, 12, 31), "750"),
]
RATE_NORWAY_MD = [
    (date(2024, 1, 1), "12.50", Certainty.COMPUTED),
    (date(2024, 7, 1), "12.50", Certainty.COMPUTED),
    (date(2025, 1, 1), "12.5", Certainty.PRIMARY),
    (date(2025, 6, 30), "12.5", Certainty.PRIMARY),
    (date(2025, 7, 1), "12.25", Certainty.UNCERTAIN),
    (date(2025, 12, 31), "12.25", Certainty.UNCERTAIN),
    (date(2026, 1, 1), "12.00", Certainty.SECONDARY),
    (date(2026, 6, 30), "12.00", Certainty.SECONDARY),
]
COMPENSATION_NORWAY_MD = [(date(2025, 3, 1), "470"), (date(2026, 3, 1), "460")]


@pytest.mark.parametrize(("day", "expected"), INKASSOSATS_NORWAY_MD)
def test_inkassosats_matches_norway_md(day, expected):
    assert INKASSOSATS.lookup(day).value == Decimal(expected)


@pytest.mark.parametrize(("day", "expected", "certainty"), RATE_NORWAY_MD)
def test_forsinkelsesrente_matches_norway_md(day, expected, certainty):
    row = FORSINKELSESRENTE.lookup(day)
    assert row.value == Decimal(expected)
    assert row.certainty is certainty
    assert row.source


@pytest.mark.parametrize(("day", "expected"), COMPENSATION_NORWAY_MD)
def test_standardkompensasjon_matches_norway_md(day, expected):
    assert STANDARDKOMPENSASJON.lookup(day).value == Decimal(expected)


@pytest.mark.parametrize(
    ("table", "day"),
    [
        (FORSINKELSESRENTE, date(2026, 7, 1)),  # 2026 H2 unknown
        (FORSINKELSESRENTE, date(2023, 12, 31)),  # before the table
        (STANDARDKOMPENSASJON, date(2025, 7, 1)),  # 2025 H2 unknown
        (STANDARDKOMPENSASJON, date(2024, 3, 1)),
        (STANDARDKOMPENSASJON, date(2026, 7, 1)),
        (INKASSOSATS, date(2027, 1, 1)),
        (INKASSOSATS, date(2016, 12, 31)),
    ],
)
def test_unknown_period_raises_and_names_the_period(table, day):
    with pytest.raises(LawTableError) as info:
        table.lookup(day)
    assert table.name in str(info.value)
    assert half_year(day).start.isoformat() in str(info.value) or str(day.year) in str(info.value)


def test_company_override_fills_an_unknown_period():
    overrides = LawOverrides(forsinkelsesrente={date(2026, 7, 1): Decimal("11.75")})
    row = FORSINKELSESRENTE.lookup(date(2026, 9, 15), overrides)
    assert row.value == Decimal("11.75")
    assert row.certainty is Certainty.SUPPLIED
    assert (row.valid_from, row.valid_to) == (date(2026, 7, 1), date(2026, 12, 31))
    # an override keyed on the wrong day (not a period start) does not silently apply
    wrong = LawOverrides(forsinkelsesrente={date(2026, 8, 1): Decimal("11.75")})
    with pytest.raises(LawTableError):
        FORSINKELSESRENTE.lookup(date(2026, 9, 15), wrong)


def test_override_wins_and_is_marked_supplied():
    overrides = LawOverrides(inkassosats={date(2026, 1, 1): Decimal("760")})
    row = INKASSOSATS.lookup(date(2026, 5, 5), overrides)
    assert row.value == Decimal("760")
    assert row.source == "supplied by the company"


def test_uncertain_rows_are_flagged():
    assert FORSINKELSESRENTE.lookup(date(2025, 8, 1)).uncertain
    assert not FORSINKELSESRENTE.lookup(date(2025, 2, 1)).uncertain


def test_overlapping_rows_are_refused():
    rows = (
        LawValue(date(2025, 1, 1), date(2025, 6, 30), Decimal(1), "x", Certainty.PRIMARY),
        LawValue(date(2025, 6, 1), date(2025, 12, 31), Decimal(2), "x", Certainty.PRIMARY),
    )
    with pytest.raises(ValueError, match="overlap"):
        LawTable("t", "NOK", "half-year", rows)


def test_all_values_are_decimal_with_sources():
    for table in (INKASSOSATS, FORSINKELSESRENTE, STANDARDKOMPENSASJON):
        for row in table.rows:
            assert isinstance(row.value, Decimal)
            assert row.source
            assert row.valid_from <= row.valid_to


@pytest.mark.parametrize(
    ("table", "value"),
    [
        ("forsinkelsesrente", "30.01"),
        ("forsinkelsesrente", "-0.5"),
        ("forsinkelsesrente", "125"),
        ("standardkompensasjon", "46"),
        ("standardkompensasjon", "46000"),
        ("inkassosats", "0"),
        ("inkassosats", "75000"),
        ("inkassosats", "NaN"),
    ],
)
def test_implausible_supplied_value_refused(table: str, value: str) -> None:
    with pytest.raises(ImplausibleLawValue, match=table):  # also a nofaktura ValidationError
        assert issubclass(ImplausibleLawValue, ValidationError)
        LawOverrides(**{table: {date(2026, 7, 1): Decimal(value)}})
    with pytest.raises(ImplausibleLawValue, match=r"not plausible|not a number"):
        check_plausible(table, value)


@pytest.mark.parametrize(
    ("table", "value"), [("forsinkelsesrente", "0"), ("forsinkelsesrente", "30"), ("standardkompensasjon", "460"),
                         ("inkassosats", "750")],
)
def test_plausible_values_pass(table: str, value: str) -> None:
    assert check_plausible(table, value) == Decimal(value)


def test_every_table_row_is_plausible() -> None:
    for name, table in TABLES.items():
        for row in table.rows:
            assert check_plausible(name, row.value) == row.value
