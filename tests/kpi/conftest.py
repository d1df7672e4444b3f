"""Fixtures of the KPI tests: the corpus samples (read in place, never copied) and a fake Statistics Norway."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from nofaktura.kpi import TABLE_03013, Period
from nofaktura.kpi.testing import FakeSsb, FakeTable

from ..conftest import CORPORA

SAMPLES = CORPORA / "ssb-kpi" / "samples"
#: SSB's v2 default selection of 03013 as published 2025-03-10: real codes and values (137.0, 1.4, 3.6, 1000.0).
DEFAULT_2025M02 = "DERIVED-03013-default-2025M02-jsonstat2-reconstructed.json"
#: 03013-shaped, made-up numbers (100.1 / 100.2 / 100.3), one null cell with status "..".
SYNTHETIC = "DERIVED-03013-data-jsonstat2-synthetic.json"
#: A verbatim SSB answer of another table (11118, annual, by delivery sector).
TABLE_11118 = "v2-table-11118-data-jsonstat2.json"
TABLE_11118_META = "v2-table-11118-metadata-jsonstat2.json"
INFO_03013 = "v2-table-03013-info-response.json"

#: Published KPI values (SSB, CC BY 4.0) named in ../shared/corpora/ssb-kpi/NOTES.md "Known published values":
#: 08183 (the total KPI, monthly, same figures as 03013 TOTAL) 2024M02 = 132.3, 2024M03 = 132.6. 2025M02 = 137.0
#: is read from the reconstructed 03013 sample in the tests themselves.
KPI_2024M02 = Decimal("132.3")
KPI_2024M03 = Decimal("132.6")


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_file():
        pytest.fail(f"the SSB corpus sample is missing: {path} (set NOFAKTURA_CORPORA)")
    return path


@pytest.fixture
def fake_ssb() -> FakeSsb:
    """03013 with the three real months above, one month published without a value (2025M03 '..'), and
    made-up October values for the commercial-lease clause (marked: not SSB data)."""
    values: dict[Period, Decimal | None] = {
        Period(2023, 10): Decimal("131.0"),  # made up
        Period(2024, 2): KPI_2024M02,
        Period(2024, 3): KPI_2024M03,
        Period(2024, 10): Decimal("134.5"),  # made up
        Period(2025, 2): Decimal("137.0"),
        Period(2025, 3): None,
    }
    return FakeSsb([FakeTable(TABLE_03013, values)])
