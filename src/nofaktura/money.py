"""Money as Decimal, exact from øre.

Bank files carry integer øre; invoices carry kroner with two decimals. Converting through float
loses øre, so every conversion in the library goes through these functions.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_decimal(value: str | int | Decimal) -> Decimal:
    """Parse an amount written as text or integer; refuse floats, which cannot hold øre exactly."""
    if isinstance(value, float):
        raise TypeError("amounts must not be floats; pass a str, int or Decimal")
    try:
        return Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def from_ore(ore: int) -> Decimal:
    """Kroner from integer øre, exactly."""
    return (Decimal(ore) / 100).quantize(CENT)


def to_ore(amount: Decimal) -> int:
    """Integer øre from kroner, rounding half up (never truncating)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_money(amount: Decimal, exponent: Decimal = CENT) -> Decimal:
    """Commercial rounding to øre (or another exponent), the way invoices and the law round."""
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)
