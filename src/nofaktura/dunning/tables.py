"""Dated Norwegian law tables for dunning: inkassosats, forsinkelsesrente, standardkompensasjon.

The values are data, one row per period, each with the source it was taken from and how sure we are
(the legend of ``docs/norway.md``: [P] primary, [S] secondary, [C] computed, [?] uncertain). A date that
falls in no known period raises :class:`~nofaktura.exceptions.LawTableError`; the caller may then supply
the value itself (a company that has read the new forskrift) through :class:`LawOverrides`. The library
never extrapolates a rate from the previous period.

Periods:

- inkassosats (inkassoforskriften § 1-1): one value per calendar year, set by the ministry;
- forsinkelsesrente (forsinkelsesrenteloven § 3): one rate per half-year, in force from 1 January and
  1 July (Norges Bank's policy rate on those dates + 8 percentage points);
- standardkompensasjon (forsinkelsesrenteloven § 3a, B2B only): a NOK amount per half-year, set together
  with the rate.

>>> from datetime import date
>>> INKASSOSATS.lookup(date(2026, 3, 1)).value
Decimal('750')
>>> FORSINKELSESRENTE.lookup(date(2025, 1, 15)).value
Decimal('12.50')
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from nofaktura.exceptions import LawTableError, ValidationError
from nofaktura.messages import msg

__all__ = [
    "FORSINKELSESRENTE",
    "INKASSOSATS",
    "PLAUSIBLE_RANGES",
    "STANDARDKOMPENSASJON",
    "TABLES",
    "Certainty",
    "ImplausibleLawValue",
    "LawOverrides",
    "LawTable",
    "LawValue",
    "Period",
    "check_plausible",
    "half_year",
    "year",
]


class Certainty(str, enum.Enum):
    """How well a value is sourced, as in the legend of ``docs/norway.md``."""

    #: An official text (Lovdata, regjeringen.no, Norges Bank) states it.
    PRIMARY = "P"
    #: A secondary source (collection agency, accounting association) states it.
    SECONDARY = "S"
    #: Computed from other values (policy rate + 8, sats / 20).
    COMPUTED = "C"
    #: Sources disagree or the value is derived without confirmation: check before relying on it.
    UNCERTAIN = "?"
    #: Supplied by the company through :class:`LawOverrides`, not part of the library's data.
    SUPPLIED = "supplied"


@dataclass(frozen=True)
class Period:
    """A closed date interval ``[start, end]`` (both days included)."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}–{self.end.isoformat()}"


def year(day: date) -> Period:
    """The calendar year containing ``day`` (the inkassosats period)."""
    return Period(date(day.year, 1, 1), date(day.year, 12, 31))


def half_year(day: date) -> Period:
    """The half-year containing ``day`` (the forsinkelsesrente period, from 1 Jan or 1 Jul)."""
    if day.month <= 6:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30))
    return Period(date(day.year, 7, 1), date(day.year, 12, 31))


@dataclass(frozen=True)
class LawValue:
    """One value of a law table with the period it holds for and where it comes from."""

    valid_from: date
    valid_to: date
    value: Decimal
    source: str
    certainty: Certainty

    @property
    def uncertain(self) -> bool:
        """True for values marked [?] in norway.md: usable, but to be confirmed."""
        return self.certainty is Certainty.UNCERTAIN


@dataclass(frozen=True)
class LawTable:
    """A dated table: rows that must not overlap, looked up by day.

    ``period_of`` names how the law cuts time for this value (year or half-year); it is used to name the
    missing period in the error and to find a company-supplied value.
    """

    name: str
    unit: str
    period_of: str  # "year" or "half-year"
    rows: tuple[LawValue, ...]

    def __post_init__(self) -> None:
        ordered = sorted(self.rows, key=lambda r: r.valid_from)
        for before, after in itertools.pairwise(ordered):
            if after.valid_from <= before.valid_to:
                raise ValueError(f"{self.name}: rows {before.valid_from} and {after.valid_from} overlap")

    def period(self, day: date) -> Period:
        return year(day) if self.period_of == "year" else half_year(day)

    def lookup(self, day: date, overrides: LawOverrides | None = None) -> LawValue:
        """The value in force on ``day``; a company-supplied value wins over the table.

        Raises :class:`LawTableError` when neither the table nor ``overrides`` know the period.
        """
        period = self.period(day)
        if overrides is not None:
            supplied = overrides.for_table(self.name).get(period.start)
            if supplied is not None:
                return LawValue(
                    period.start,
                    period.end,
                    Decimal(supplied),
                    "supplied by the company",
                    Certainty.SUPPLIED,
                )
        for row in self.rows:
            if row.valid_from <= day <= row.valid_to:
                return row
        raise LawTableError(msg(
            "dunning.law_value_unknown", table=self.name, day=day.isoformat(), period=str(period),
            start=period.start.isoformat(),
        ))


class ImplausibleLawValue(ValidationError):
    """A supplied law value outside the plausible range of its table (a typing error, not a law)."""

    message = "The law value is not plausible."
    message_key = "error.implausible_law_value"


#: Closed ranges a law value must fall in, by table. A value outside is a typing error (a rate of 125
#: for 12.5, a compensation of 46 for 460), never a real law value: the forsinkelsesrente has been
#: between 7 % and 17 % since 1976, the compensation about NOK 400-500 and the inkassosats NOK 500-1000.
#: The bounds are generous so a real change of the law never trips them.
PLAUSIBLE_RANGES: Mapping[str, tuple[Decimal, Decimal]] = {
    "forsinkelsesrente": (Decimal("0"), Decimal("30")),
    "standardkompensasjon": (Decimal("100"), Decimal("2000")),
    "inkassosats": (Decimal("300"), Decimal("3000")),
}


def check_plausible(table: str, value: Decimal | int | str) -> Decimal:
    """``value`` as a Decimal if it is a plausible value of law table ``table``.

    Raises :class:`~nofaktura.exceptions.ValidationError` naming the table, the value and the allowed
    range otherwise: a mistyped company-supplied value would otherwise be charged to every debtor.
    """
    if table not in PLAUSIBLE_RANGES:
        raise ImplausibleLawValue(msg("dunning.unknown_table", table=table, known=", ".join(sorted(PLAUSIBLE_RANGES))))
    try:
        amount = Decimal(value)
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ImplausibleLawValue(msg("dunning.not_a_number", table=table, value=value)) from exc
    low, high = PLAUSIBLE_RANGES[table]
    if not amount.is_finite() or not low <= amount <= high:
        raise ImplausibleLawValue(msg("dunning.implausible", table=table, value=value, low=low, high=high))
    return amount


@dataclass(frozen=True)
class LawOverrides:
    """Values a company supplies for periods the library does not know (or wants to replace).

    Each mapping is keyed by the first day of the period (1 January for the inkassosats, 1 January or
    1 July for the rate and the compensation), e.g. ``{date(2026, 7, 1): Decimal("12.25")}``.
    """

    inkassosats: Mapping[date, Decimal] = field(default_factory=dict)
    forsinkelsesrente: Mapping[date, Decimal] = field(default_factory=dict)
    standardkompensasjon: Mapping[date, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # refused when built, so an implausible supplied value never reaches a letter
        for name in ("inkassosats", "forsinkelsesrente", "standardkompensasjon"):
            for start, value in self.for_table(name).items():
                try:
                    check_plausible(name, value)
                except ImplausibleLawValue as exc:
                    problem = msg("dunning.implausible_period", problem=exc.message, start=start)
                    raise ImplausibleLawValue(problem) from None

    def for_table(self, name: str) -> Mapping[date, Decimal]:
        return getattr(self, name)


def _row(start: date, end: date, value: str, source: str, certainty: Certainty) -> LawValue:
    return LawValue(start, end, Decimal(value), source, certainty)


P, S, C, Q = Certainty.PRIMARY, Certainty.SECONDARY, Certainty.COMPUTED, Certainty.UNCERTAIN

#: Inkassosats (inkassoforskriften § 1-1), NOK, per calendar year. norway.md §5.5.
INKASSOSATS = LawTable(
    "inkassosats",
    "NOK",
    "year",
    (
        _row(date(2017, 1, 1), date(2017, 12, 31), "700",
             "norway.md §5.5: pluss-ok.no, sergel.no (NOK 700 2017–2023)", S),
        _row(date(2018, 1, 1), date(2023, 12, 31), "700",
             "forskrift 20 Dec 2018 nr. 2050 (sats frozen); Prop. 3 L (2025–2026) ch. 13", P),
        _row(date(2024, 1, 1), date(2024, 12, 31), "700",
             "regnskapnorge.no 'Satser – inkasso' (pr. 1. januar 2024 kr 700)", S),
        _row(date(2025, 1, 1), date(2025, 12, 31), "700", "kred.no 'Nye satser fra 1. januar 2025'", S),
        _row(date(2026, 1, 1), date(2026, 12, 31), "750",
             "kred.no 'Nye satser fra 1. januar 2026'; blog.amili.no", S),
    ),
)

#: Forsinkelsesrente (forsinkelsesrenteloven § 3), percent per year, per half-year. norway.md §5.6.
FORSINKELSESRENTE = LawTable(
    "forsinkelsesrente",
    "percent p.a.",
    "half-year",
    (
        _row(date(2024, 1, 1), date(2024, 6, 30), "12.50",
             "policy rate 4.50 % (Norges Bank, Dec 2023) + 8 pp", C),
        _row(date(2024, 7, 1), date(2024, 12, 31), "12.50",
             "policy rate 4.50 % (Norges Bank, Aug 2024 decision) + 8 pp", C),
        _row(date(2025, 1, 1), date(2025, 6, 30), "12.50", "FOR-2024-12-19-3279 (Lovdata)", P),
        _row(date(2025, 7, 1), date(2025, 12, 31), "12.25",
             "policy rate 4.25 % from 19 Jun 2025 + 8 pp; FOR-2025-06-23-1321 value not retrieved "
             "(norway.md §8 point 2)", Q),
        _row(date(2026, 1, 1), date(2026, 6, 30), "12.00",
             "kred.no 2026 (policy rate 4.0 % from 18 Sep 2025 + 8 pp)", S),
    ),
)

#: Standardkompensasjon (forsinkelsesrenteloven § 3a, B2B only), NOK, per half-year. norway.md §5.6.
STANDARDKOMPENSASJON = LawTable(
    "standardkompensasjon",
    "NOK",
    "half-year",
    (
        _row(date(2025, 1, 1), date(2025, 6, 30), "470", "FOR-2024-12-19-3279 (Lovdata)", P),
        _row(date(2026, 1, 1), date(2026, 6, 30), "460", "kred.no 2026", S),
    ),
)

TABLES: Mapping[str, LawTable] = {
    t.name: t for t in (INKASSOSATS, FORSINKELSESRENTE, STANDARDKOMPENSASJON)
}
