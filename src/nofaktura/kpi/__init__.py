"""KPI regulation: the consumer price index from Statistics Norway, and the rules of regulating by it.

Typical use (see docs/architecture.md, "KPI regulation (issue 15, library)")::

    with SsbClient(TABLE_03013) as ssb:                     # or transport=FakeSsb(...).transport in tests
        series = ssb.fetch(Period(2024, 1), Period(2025, 2))
    result = residential_rent(Decimal("12000"), last_set=date(2024, 3, 1), notice_date=date(2025, 3, 20),
                              series=series)
    result.allowed, result.new_amount, result.effective_date, result.text("nb")

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
