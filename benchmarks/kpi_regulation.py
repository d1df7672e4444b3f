"""Regulating 10,000 agreements by KPI with the library: what the yearly run's library part costs.

One series of 36 months (fetched once, as the run does), then for 10,000 agreements of random rent, last
setting and clause: ``residential_rent`` for half (notice 3 December 2025 for 3 January 2026, so those set
less than 12 months before are refused with a reason), ``commercial_lease`` (October index, 1 January, random
share and floor) for the other half, each with its ``text("nb")`` (the line a notice letter shows). Prints
wall and CPU microseconds per agreement beside the floor of drawing the inputs alone. Nothing is asserted.

    .venv/bin/python benchmarks/kpi_regulation.py
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from nofaktura.kpi import CommercialClause, IndexSeries, IndexValue, Period, commercial_lease, residential_rent

AGREEMENTS = 10_000


def series() -> IndexSeries:
    first, value = Period(2023, 1), Decimal("128.0")
    values = []
    for i in range(36):
        values.append(IndexValue(first.shift(i), value, 2015, "03013"))
        value += Decimal("0.3")
    return IndexSeries("03013", 2015, values)


def inputs(rnd: random.Random) -> list[tuple]:
    rows = []
    for i in range(AGREEMENTS):
        rent = Decimal(rnd.randint(500_000, 50_000_000)).scaleb(-2)
        if i % 2:
            last_set = date(2023, 1, 1) + timedelta(days=rnd.randint(0, 1000))
            rows.append(("residential", rent, last_set, date(2025, 12, 3)))
        else:
            clause = CommercialClause(share_percent=Decimal(rnd.choice([100, 80, 75])), floor=rnd.random() < 0.5)
            rows.append(("commercial", rent, Period(2023, 10), clause))
    return rows


def run(rows: list[tuple], index: IndexSeries) -> int:
    allowed = 0
    for kind, rent, a, b in rows:
        if kind == "residential":
            result = residential_rent(rent, last_set=a, notice_date=b, series=index, effective_date=date(2026, 1, 3))
        else:
            result = commercial_lease(rent, agreed_rent=rent, index_from=a, year=2025, series=index, clause=b)
        result.text("nb")
        allowed += result.allowed
    return allowed


def main() -> None:
    index = series()
    wall, cpu = time.perf_counter(), time.process_time()
    rows = inputs(random.Random(15))
    floor_wall, floor_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    allowed = run(rows, index)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    per = 1e6 / AGREEMENTS
    print(f"{AGREEMENTS} agreements, {allowed} regulated, {AGREEMENTS - allowed} refused with a reason")
    print(f"regulation: {wall * per:.1f} µs wall, {cpu * per:.1f} µs CPU per agreement")
    print(f"inputs alone (floor): {floor_wall * per:.1f} µs wall, {floor_cpu * per:.1f} µs CPU per agreement")
    print(f"ratio regulation / floor (CPU): {cpu / floor_cpu:.1f}")


if __name__ == "__main__":
    main()
