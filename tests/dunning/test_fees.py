"""Fees as fractions of the inkassosats (inkassoforskriften §§ 1-2, 1-3; norway.md §5.5)."""

from datetime import date
from decimal import Decimal

import pytest

from nofaktura.dunning.fees import FeeKind, fee_for, fee_fraction
from nofaktura.dunning.tables import LawOverrides
from nofaktura.exceptions import LawTableError

R, V, B = FeeKind.REMINDER, FeeKind.INKASSOVARSEL, FeeKind.BETALINGSOPPFORDRING


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        (R, date(2020, 9, 30), "70.00"),  # 1/10 before 1 Oct 2020
        (R, date(2020, 10, 1), "35.00"),
        (B, date(2020, 9, 30), "210.00"),
        (B, date(2020, 10, 1), "105.00"),
        (R, date(2024, 5, 1), "35.00"),
        (V, date(2024, 5, 1), "35.00"),
        (B, date(2024, 5, 1), "105.00"),
        (R, date(2025, 12, 31), "35.00"),
        (V, date(2025, 12, 31), "35.00"),
        (B, date(2025, 12, 31), "105.00"),
        (R, date(2026, 1, 1), "37.50"),
        (V, date(2026, 6, 1), "37.50"),
        (B, date(2026, 6, 1), "112.50"),
    ],
)
def test_fee_per_norway_md(kind, day, expected):
    assert fee_for(kind, day) == Decimal(expected)


def test_fractions():
    assert str(fee_fraction(R, date(2026, 1, 1))) == "1/20"
    assert str(fee_fraction(V, date(2026, 1, 1))) == "1/20"
    assert str(fee_fraction(B, date(2026, 1, 1))) == "3/20"
    assert str(fee_fraction(R, date(2019, 1, 1))) == "1/10"


def test_rounding_half_up_to_ore_for_supplied_sats():
    overrides = LawOverrides(inkassosats={date(2027, 1, 1): Decimal("755")})
    assert fee_for(R, date(2027, 3, 1), overrides) == Decimal("37.75")
    overrides = LawOverrides(inkassosats={date(2027, 1, 1): Decimal("755.10")})
    assert fee_for(R, date(2027, 3, 1), overrides) == Decimal("37.76")  # 37.755 → 37.76


def test_unknown_year_raises():
    with pytest.raises(LawTableError):
        fee_for(R, date(2027, 1, 2))
