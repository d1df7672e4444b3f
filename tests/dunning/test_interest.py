"""Late-payment interest split per half-year, and the B2B standard compensation."""

from datetime import date
from decimal import Decimal

import pytest

from nofaktura.dunning.interest import CustomerKind, compensation, interest
from nofaktura.dunning.tables import LawOverrides
from nofaktura.exceptions import LawTableError


def test_no_interest_when_paid_on_due_date():
    result = interest(Decimal("1000"), date(2026, 3, 1), date(2026, 3, 1))
    assert result.amount == Decimal("0.00")
    assert result.parts == ()


def test_one_day_actual_365():
    result = interest(Decimal("36500"), date(2026, 3, 1), date(2026, 3, 2))
    assert result.days == 1
    assert result.amount == Decimal("12.00")  # 36500 * 12 % / 365


def test_split_at_half_years_each_with_its_rate():
    result = interest(Decimal("10000"), date(2025, 6, 1), date(2026, 2, 1))
    assert [(p.start, p.end, p.days, p.rate) for p in result.parts] == [
        (date(2025, 6, 1), date(2025, 7, 1), 30, Decimal("12.50")),
        (date(2025, 7, 1), date(2026, 1, 1), 184, Decimal("12.25")),
        (date(2026, 1, 1), date(2026, 2, 1), 31, Decimal("12.00")),
    ]
    # 10000*(12.5*30 + 12.25*184 + 12*31)/36500 = 822.1917...
    assert result.amount == Decimal("822.19")
    assert result.days == 245


def test_simple_not_compounded_over_a_year():
    result = interest(Decimal("1000"), date(2025, 1, 1), date(2026, 1, 1))
    # 1000*(12.5*181 + 12.25*184)/36500 = 123.74 — simple; compounding would be higher
    assert result.amount == Decimal("123.74")


def test_leap_year_still_365():
    overrides = LawOverrides(forsinkelsesrente={date(2024, 1, 1): Decimal("10")})
    result = interest(Decimal("3650"), date(2024, 1, 1), date(2024, 7, 1), overrides)
    assert result.days == 182  # 2024 is a leap year: Jan–Jun has 182 days
    assert result.amount == Decimal("182.00")


def test_unknown_rate_raises_unless_supplied():
    with pytest.raises(LawTableError):
        interest(Decimal("1000"), date(2026, 6, 1), date(2026, 8, 1))
    overrides = LawOverrides(forsinkelsesrente={date(2026, 7, 1): Decimal("11.75")})
    result = interest(Decimal("1000"), date(2026, 6, 1), date(2026, 8, 1), overrides)
    assert [p.rate for p in result.parts] == [Decimal("12.00"), Decimal("11.75")]


def test_float_refused():
    with pytest.raises(TypeError):
        interest(1000.0, date(2026, 1, 1), date(2026, 2, 1))  # type: ignore[arg-type]


def test_compensation_consumer_gets_none():
    assert compensation(date(2026, 2, 1), CustomerKind.CONSUMER) == Decimal(0)


def test_compensation_business_minus_fees_never_negative():
    assert compensation(date(2026, 2, 1), CustomerKind.BUSINESS) == Decimal("460")
    assert compensation(date(2025, 2, 1), CustomerKind.BUSINESS, Decimal("35")) == Decimal("435.00")
    assert compensation(date(2026, 2, 1), CustomerKind.BUSINESS, Decimal("500")) == Decimal(0)


def test_compensation_unknown_half_year():
    with pytest.raises(LawTableError):
        compensation(date(2025, 8, 1), CustomerKind.BUSINESS)
    supplied = LawOverrides(standardkompensasjon={date(2025, 7, 1): Decimal("465")})
    assert compensation(date(2025, 8, 1), CustomerKind.BUSINESS, overrides=supplied) == Decimal("465")


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_interest_refuses_amounts_that_are_not_finite(amount: str) -> None:
    with pytest.raises(ValueError, match="finite"):
        interest(Decimal(amount), date(2025, 1, 1), date(2025, 2, 1))
