"""Hand-over providers: the export file carries everything an agency needs."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from nofaktura.dunning.handover import (
    CSV_COLUMNS,
    Debtor,
    DebtorKind,
    ExportFileProvider,
    HandoverClaim,
    InMemoryProvider,
    Notice,
)
from nofaktura.exceptions import ServiceUnavailable


def _claim():
    return HandoverClaim(
        Debtor("Fjord AS", DebtorKind.ORGANISATION, org_number="974760673", address_lines=("Kaia 2", "Bygg B"),
               postcode="5003", city="Bergen", email="post@fjord.example", customer_number="C-7"),
        "INV/2026/00042", date(2026, 1, 1), date(2026, 1, 15), Decimal("12500.00"), Decimal("104.11"),
        Decimal("187.50"), kid="000004200000045", interest_rate=Decimal("12.00"), interest_from=date(2026, 1, 15),
        notices=(
            Notice("reminder", date(2026, 1, 29), date(2026, 2, 12), Decimal("37.50"), "email"),
            Notice("inkassovarsel", date(2026, 2, 13), date(2026, 2, 27), Decimal("37.50"), "post"),
        ),
    )


def test_csv_has_all_agency_fields(tmp_path):
    provider = ExportFileProvider(tmp_path, format="csv")
    receipt = provider.hand_over([_claim()], reference="handover-1")
    assert receipt.reference == "handover-1.csv"
    assert receipt.claim_numbers == ("INV/2026/00042",)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "handover-1.csv").read_text()), delimiter=";"))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    row = rows[0]
    assert row["org_number"] == "974760673"
    assert row["address"] == "Kaia 2, Bygg B"
    assert row["principal"] == "12500.00"
    assert row["interest"] == "104.11"
    assert row["fees"] == "187.50"
    assert row["total"] == "12791.61"
    assert row["kid"] == "000004200000045"
    assert row["due_date"] == "2026-01-15"
    assert "inkassovarsel 2026-02-13 deadline 2026-02-27" in row["notices"]


def test_json_round_trips_values():
    data = json.loads(ExportFileProvider(format="json").render([_claim()]))
    assert data[0]["debtor"]["kind"] == "organisation"
    assert data[0]["notices"][1]["channel"] == "post"
    assert data[0]["total"] == "12791.61"
    assert data[0]["interest_from"] == "2026-01-15"


def test_bad_format():
    with pytest.raises(ValueError):
        ExportFileProvider(format="xml")


def test_in_memory_fake_records_and_fails_on_demand():
    fake = InMemoryProvider()
    with fake as provider:
        provider.hand_over([_claim()], reference="b1")
    assert fake.batches[0][0] == "b1"

    def refuse(_claims):
        raise ServiceUnavailable("agency down")

    with pytest.raises(ServiceUnavailable):
        InMemoryProvider(refuse).hand_over([_claim()], reference="b2")
