"""Index months, index values with their base year, series of them, and chaining across a change of base.

Why a value never travels without its base: Statistics Norway publishes the consumer price index (KPI) on
a reference year (table 03013: 2015 = 100) and re-bases it now and then (a successor on 2025 = 100 is
expected). A ratio between two values is only meaningful when both are on the same base, so every
:class:`IndexValue` carries its base year and table, :class:`IndexSeries` holds one base only, and
crossing a change of base is an explicit :func:`chain` with a named link month — never a silent mix.

A missing month is :class:`~nofaktura.exceptions.IndexNotPublished`, never zero or the nearest month: a
regulation computed with the wrong month is a wrong rent.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from nofaktura.exceptions import IndexNotPublished, RegulationError
from nofaktura.messages import msg

__all__ = [
    "TABLE_03013",
    "IndexSeries",
    "IndexTable",
    "IndexValue",
    "Period",
    "add_months",
    "chain",
]

_PERIOD = re.compile(r"(\d{4})M(\d{2})")


@dataclass(frozen=True, order=True)
class Period:
    """One month of the index, as Statistics Norway codes it (``2024M10``). Ordered by time."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (isinstance(self.year, int) and isinstance(self.month, int)):
            raise TypeError("a period's year and month are integers")
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, code: str) -> Period:
        """``2024M10`` (SSB's time code) or ``2024-10`` → Period(2024, 10); ValueError otherwise."""
        text = code.strip() if isinstance(code, str) else ""
        match = _PERIOD.fullmatch(text) or re.fullmatch(r"(\d{4})-(\d{2})", text)
        if not match:
            raise ValueError(f"not a month code (YYYYMmm): {str(code)[:20]!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Period:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    @property
    def code(self) -> str:
        """SSB's time code, ``2024M10``."""
        return f"{self.year:04d}M{self.month:02d}"

    def shift(self, months: int) -> Period:
        """The month ``months`` later (negative: earlier)."""
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def months_until(self, other: Period) -> int:
        """How many months from this one to ``other`` (negative when ``other`` is earlier)."""
        return (other.year - self.year) * 12 + other.month - self.month

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def __str__(self) -> str:
        return self.code


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 January + 1 month = 28/29 February).

    Why clamped: "one month after the notice" and "12 months since the last setting" are calendar months;
    the clamp is the usual reading (and what dateutil's relativedelta does) and never overshoots into the
    following month, which would give the tenant less than the law's period.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class IndexTable:
    """Where an index lives at Statistics Norway and on which base: settings, never assumptions.

    ``table`` (``03013``), ``contents_code`` (``KpiIndMnd``: the index itself, not a change in per cent),
    ``base_year`` (2015 for 03013: the year the index is 100), and the selection of the one series wanted
    (``group_dimension`` = ``group_code``, e.g. ``Konsumgrp`` = ``TOTAL``). ``time_dimension`` and
    ``contents_dimension`` are the dimension ids of months and contents. A successor table (2025 = 100) is a
    second IndexTable; the two are joined with :func:`chain`.
    """

    table: str
    contents_code: str
    base_year: int
    group_dimension: str | None = "Konsumgrp"
    group_code: str | None = "TOTAL"
    time_dimension: str = "Tid"
    contents_dimension: str = "ContentsCode"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_]{1,20}", self.table or ""):
            raise ValueError(f"not a Statistics Norway table id: {self.table!r}")
        if not re.fullmatch(r"[A-Za-z0-9_.]{1,40}", self.contents_code or ""):
            raise ValueError(f"not a contents code: {self.contents_code!r}")
        if not isinstance(self.base_year, int) or not 1900 <= self.base_year <= 2200:
            raise ValueError(f"not a base year: {self.base_year!r}")
        if (self.group_dimension is None) != (self.group_code is None):
            raise ValueError("give both the group dimension and its code, or neither")
        for name in (self.group_dimension, self.group_code, self.time_dimension, self.contents_dimension):
            if name is not None and not re.fullmatch(r"[A-Za-z0-9_.]{1,40}", name):
                raise ValueError(f"not a dimension id or code: {name!r}")


#: Table 03013, "Konsumprisindeks, etter konsumgruppe (2015=100)", the total index per month. Published
#: around the 10th of the next month; third-party notes say it may stop at 2025M12 (see docs/architecture.md).
TABLE_03013 = IndexTable(table="03013", contents_code="KpiIndMnd", base_year=2015)


@dataclass(frozen=True)
class IndexValue:
    """One month's index on one base year, as published (or as re-based by :func:`chain`).

    ``source`` is the value as published when this one was re-based onto another base (``link`` is the link
    month then): a notice letter can show the figure people can look up at ssb.no next to the one computed.
    """

    period: Period
    value: Decimal
    base_year: int
    table: str
    link: Period | None = None
    source: IndexValue | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.value, Decimal) or not self.value.is_finite() or self.value <= 0:
            raise ValueError(f"an index value is a positive Decimal, not {self.value!r}")

    def as_json(self) -> dict[str, object]:
        """JSON-ready dict (value as a decimal string) — what an ERP stores as "the index used"."""
        data: dict[str, object] = {"period": self.period.code, "value": str(self.value), "base_year": self.base_year,
                                   "table": self.table}  # fmt: skip
        if self.link is not None:
            data["link"] = self.link.code
            data["source"] = self.source.as_json() if self.source is not None else None
        return data

    def __str__(self) -> str:
        if self.link is None:
            return f"{self.period} {self.value} ({self.base_year}=100, table {self.table})"
        shown = self.value.quantize(Decimal("0.0001"))
        return f"{self.period} {shown} ({self.base_year}=100, table {self.table}, chained at {self.link})"


class IndexSeries(Mapping[Period, IndexValue]):
    """The months of one index on one base year; a read-only mapping Period → IndexValue.

    ``series[period]`` raises :class:`~nofaktura.exceptions.IndexNotPublished` (a ``LookupError``, not a
    ``KeyError``) for a month it does not hold; :meth:`get` answers None.
    """

    def __init__(self, table: str, base_year: int, values: Iterable[IndexValue]) -> None:
        self.table = table
        self.base_year = base_year
        items: dict[Period, IndexValue] = {}
        for value in values:
            if value.base_year != base_year:
                raise RegulationError(msg("kpi.mixed_base", period=value.period, table=value.table,
                                          found=value.base_year, expected=base_year))  # fmt: skip
            if value.period in items and items[value.period].value != value.value:
                raise RegulationError(msg("kpi.two_values", period=value.period))
            items[value.period] = value
        self._values = dict(sorted(items.items()))

    def __getitem__(self, period: Period) -> IndexValue:
        try:
            return self._values[period]
        except KeyError:
            raise IndexNotPublished(
                msg("kpi.not_published", period=period, table=self.table, base=self.base_year), period=period
            ) from None

    def get(self, period: Period, default: IndexValue | None = None) -> IndexValue | None:  # type: ignore[override]
        """The month's value, or ``default`` when it is not held (no exception)."""
        return self._values.get(period, default)

    def __iter__(self) -> Iterator[Period]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, period: object) -> bool:
        return period in self._values

    def __repr__(self) -> str:
        span = f"{self.first.period}..{self.last.period}" if self._values else "empty"
        return f"IndexSeries(table={self.table!r}, base_year={self.base_year}, {span}, {len(self)} months)"

    @property
    def first(self) -> IndexValue:
        """The earliest month held; IndexNotPublished when the series is empty."""
        if not self._values:
            raise self._empty()
        return next(iter(self._values.values()))

    @property
    def last(self) -> IndexValue:
        """The latest month held; IndexNotPublished when the series is empty."""
        if not self._values:
            raise self._empty()
        return next(reversed(self._values.values()))

    def _empty(self) -> IndexNotPublished:
        return IndexNotPublished(msg("kpi.series_empty", table=self.table))

    def latest(self, before: Period | None = None) -> IndexValue:
        """The latest month held, or the latest strictly before ``before`` (e.g. the month a notice is given in).

        Why "strictly before": a month's index is published in the following month, so on any day of month
        M the newest index that can have been published is M-1's (or older).
        """
        candidates = [p for p in self._values if before is None or p < before]
        if not candidates:
            message = (msg("kpi.no_index_before", before=before, table=self.table) if before
                       else msg("kpi.no_index", table=self.table))  # fmt: skip
            raise IndexNotPublished(message, period=before)
        return self._values[candidates[-1]]

    def merged(self, other: IndexSeries) -> IndexSeries:
        """Both series' months in one (same table and base year; a month in both must agree)."""
        if (other.table, other.base_year) != (self.table, self.base_year):
            raise RegulationError(msg("kpi.merge_tables", other=other.table, other_base=other.base_year,
                                      table=self.table, base=self.base_year))  # fmt: skip
        return IndexSeries(self.table, self.base_year, [*self.values(), *other.values()])


def chain(older: IndexSeries, newer: IndexSeries, link: Period) -> IndexSeries:
    """One series on ``newer``'s base: ``newer``'s own months from ``link`` on, ``older``'s before it re-based.

    Re-basing multiplies an older value by ``newer[link] / older[link]`` (the ratio method Statistics Norway
    describes for joining series): a change measured across the link is then the older table's change up to
    the link times the newer table's change after it. The link month must be published in both tables
    (choose the last month the old table published, e.g. 2025M12 if 03013 ends there, and write it into the
    agreement's settings); each re-based value keeps the published one in ``source``. The results are not
    rounded to one decimal (rounding again would add a second rounding to the one SSB made).
    """
    if newer.base_year == older.base_year and newer.table == older.table:
        raise RegulationError(msg("kpi.chain_same"))
    old_link, new_link = older[link], newer[link]
    factor = new_link.value / old_link.value
    values = [v for p, v in newer.items() if p >= link]
    for period, value in older.items():
        if period < link:
            values.append(
                IndexValue(period, value.value * factor, newer.base_year, newer.table, link=link, source=value)
            )
    return IndexSeries(newer.table, newer.base_year, values)
