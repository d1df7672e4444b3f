"""KPI regulation: the consumer price index from Statistics Norway, and the rules of regulating by it.

Typical use (see docs/architecture.md, "KPI regulation (issue 15, library)"); here on the fake Statistics
Norway of :mod:`.testing` — without ``transport`` the client asks the real one:

>>> from datetime import date
>>> from decimal import Decimal
>>> from nofaktura.kpi.testing import FakeSsb, FakeTable
>>> fake = FakeSsb([FakeTable(TABLE_03013, {Period(2024, 2): Decimal("132.3"), Period(2025, 2): Decimal("137.0")})])
>>> with SsbClient(TABLE_03013, transport=fake.transport) as ssb:
...     series = ssb.fetch(Period(2024, 1))
>>> result = residential_rent(Decimal("12000.00"), last_set=date(2024, 2, 1), notice_date=date(2025, 3, 20),
...                           series=series)
>>> result.allowed, result.new_amount, result.effective_date
(True, Decimal('12426.30'), datetime.date(2025, 4, 20))
>>> print(result.text("nb"))
12 000,00 → 12 426,30 fra 20.04.2025; KPI 2024M02 132,3 → 2025M02 137,0 (2015=100), 3,55 %
>>> residential_rent(Decimal("12000.00"), last_set=date(2024, 6, 1), notice_date=date(2025, 3, 20),
...                  series=series, effective_date=date(2025, 5, 1)).reason.text("nb")
'mindre enn 12 måneder siden 2024-06-01, da leien sist ble fastsatt: ny leie kan tidligst gjelde fra 2025-06-01'

Modules: :mod:`.index` (months, values with their base year, series, chaining across a change of base),
:mod:`.jsonstat` (reading a JSON-stat 2.0 answer), :mod:`.client` (PxWebApi v2 over httpx, typed errors),
:mod:`.regulation` (the maths and the clauses), :mod:`.testing` (a fake Statistics Norway for tests).
"""

from nofaktura.kpi.client import SSB_URL, SsbClient, TableInfo
from nofaktura.kpi.index import TABLE_03013, IndexSeries, IndexTable, IndexValue, Period, add_months, chain
from nofaktura.kpi.jsonstat import parse_index_response
from nofaktura.kpi.regulation import (
    ROUND_TO_KRONE,
    ROUND_TO_ORE,
    CommercialClause,
    Regulation,
    Rounding,
    Rule,
    commercial_lease,
    index_change_percent,
    latest_notice_date,
    percentage,
    regulate_amount,
    residential_rent,
)

__all__ = [
    "ROUND_TO_KRONE",
    "ROUND_TO_ORE",
    "SSB_URL",
    "TABLE_03013",
    "CommercialClause",
    "IndexSeries",
    "IndexTable",
    "IndexValue",
    "Period",
    "Regulation",
    "Rounding",
    "Rule",
    "SsbClient",
    "TableInfo",
    "add_months",
    "chain",
    "commercial_lease",
    "index_change_percent",
    "latest_notice_date",
    "parse_index_response",
    "percentage",
    "regulate_amount",
    "residential_rent",
]
