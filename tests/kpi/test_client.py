"""The PxWebApi v2 client against the fake Statistics Norway (no network), and the fake against the corpus."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from nofaktura.exceptions import (
    IndexDataError,
    IndexNotPublished,
    IndexQueryRejected,
    RateLimited,
    ServiceUnavailable,
    TransportError,
    TransportTimeout,
)
from nofaktura.kpi import TABLE_03013, IndexTable, Period, SsbClient
from nofaktura.kpi.testing import FakeSsb, FakeTable

from .conftest import DEFAULT_2025M02, INFO_03013, KPI_2024M02, sample


def _client(fake: FakeSsb, table: IndexTable = TABLE_03013, **kwargs) -> SsbClient:
    return SsbClient(table, transport=fake.transport, **kwargs)


def test_fetch_a_range_asks_for_exactly_one_series(fake_ssb: FakeSsb) -> None:
    with _client(fake_ssb) as ssb:
        series = ssb.fetch(Period(2024, 2), Period(2025, 2))
    assert [p.code for p in series] == ["2024M02", "2024M03", "2024M10", "2025M02"]
    assert series[Period(2024, 2)].value == KPI_2024M02 and series[Period(2025, 2)].value == Decimal("137.0")
    request = fake_ssb.requests[-1]
    assert request.url.path == "/api/pxwebapi/v2/tables/03013/data"
    params = request.url.params
    assert params["valueCodes[ContentsCode]"] == "KpiIndMnd" and params["valueCodes[Konsumgrp]"] == "TOTAL"
    assert params["valueCodes[Tid]"] == "[range(2024M02,2025M02)]" and params["outputFormat"] == "json-stat2"


def test_a_month_published_without_a_value_is_missing_not_zero(fake_ssb: FakeSsb) -> None:
    with _client(fake_ssb) as ssb:
        series = ssb.fetch(Period(2025, 2))  # up to the table's last month: 2025M02 and 2025M03 (published "..")
    assert series.last.period == Period(2025, 2)
    with pytest.raises(IndexNotPublished, match="2025M03"):
        series[Period(2025, 3)]
    assert fake_ssb.requests[-1].url.params["valueCodes[Tid]"] == "[range(2025M02,2025M03)]"


def test_fetch_clamps_the_range_to_the_months_the_table_has(fake_ssb: FakeSsb) -> None:
    with _client(fake_ssb) as ssb:
        series = ssb.fetch(Period(2020, 1), Period(2030, 12))
        assert fake_ssb.requests[-2].url.path.endswith("/tables/03013")  # the table information first
        assert fake_ssb.requests[-1].url.params["valueCodes[Tid]"] == "[range(2023M10,2025M03)]"
        assert len(series) == 5
        calls = len(fake_ssb.requests)
        assert len(ssb.fetch(Period(2026, 1))) == 0  # nothing published yet: an empty series, no data call
        assert len(fake_ssb.requests) == calls + 1


def test_fetch_refuses_a_table_rebased_behind_the_settings_back(fake_ssb: FakeSsb) -> None:
    # The fake serves 03013 on 2015 = 100; settings saying 2025 are stale.
    with _client(fake_ssb, IndexTable("03013", "KpiIndMnd", 2025)) as ssb, pytest.raises(
        IndexDataError, match="on 2015=100, the settings say 2025=100"
    ):
        ssb.fetch(Period(2024, 1))


def test_fetch_latest_and_fetch_months(fake_ssb: FakeSsb) -> None:
    with _client(fake_ssb) as ssb:
        latest = ssb.fetch_latest(3)  # top(3): the newest three codes, 2024M10 .. 2025M03 (the last one "..")
        months = ssb.fetch_months([Period(2024, 3), Period(2024, 2)])
    assert [p.code for p in latest] == ["2024M10", "2025M02"]
    assert [p.code for p in months] == ["2024M02", "2024M03"]
    assert fake_ssb.requests[-1].url.params["valueCodes[Tid]"] == "2024M02,2024M03"


def test_a_month_not_in_the_table_is_refused_by_ssb(fake_ssb: FakeSsb) -> None:
    with _client(fake_ssb) as ssb, pytest.raises(IndexQueryRejected, match="2026M01") as caught:
        ssb.fetch_months([Period(2026, 1)])
    assert caught.value.http_status == 400 and not caught.value.retryable
    assert "SSB avviste" in caught.value.text("nb")


def test_an_unknown_table_is_404(fake_ssb: FakeSsb) -> None:
    with _client(fake_ssb, IndexTable("14700", "KpiIndMnd", 2025)) as ssb, pytest.raises(
        IndexQueryRejected, match="no such table"
    ) as caught:
        ssb.fetch_latest()
    assert caught.value.http_status == 404


@pytest.mark.parametrize(
    ("status", "error", "retryable"),
    [(429, RateLimited, True), (503, ServiceUnavailable, True), (504, TransportTimeout, True),
     (403, IndexQueryRejected, False), (418, TransportError, False)],
)  # fmt: skip
def test_http_errors_are_typed(fake_ssb: FakeSsb, status: int, error: type, retryable: bool) -> None:
    fake_ssb.fail_next(status)
    with _client(fake_ssb) as ssb:
        with pytest.raises(error) as caught:
            ssb.fetch_latest()
        assert caught.value.retryable is retryable and caught.value.http_status == status
        assert len(ssb.fetch_latest()) == 5  # the next call is served again (all five months with a value)


def test_connection_failures_become_transport_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with SsbClient(TABLE_03013, transport=httpx.MockTransport(refuse)) as ssb, pytest.raises(ServiceUnavailable):
        ssb.fetch_latest()
    with SsbClient(TABLE_03013, transport=httpx.MockTransport(slow)) as ssb, pytest.raises(TransportTimeout):
        ssb.fetch_latest()


def test_the_answer_size_is_bounded(fake_ssb: FakeSsb) -> None:
    with _client(fake_ssb, max_bytes=500) as ssb, pytest.raises(IndexDataError, match="larger than 500 bytes"):
        ssb.fetch(Period(2023, 10))


def test_an_answer_for_another_table_is_refused() -> None:
    # A proxy or a wrong base URL answering the 03013 sample to a query for the successor table.
    body = sample(DEFAULT_2025M02).read_bytes()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    ssb = SsbClient(IndexTable("14700", "KpiIndMnd", 2025), transport=transport)
    with ssb, pytest.raises(IndexDataError, match="table 03013, not table 14700"):
        ssb.fetch_latest()


def test_table_info_reads_the_real_info_answer() -> None:
    body = sample(INFO_03013).read_bytes()
    with SsbClient(TABLE_03013, transport=httpx.MockTransport(lambda r: httpx.Response(200, content=body))) as ssb:
        info = ssb.table_info()
    assert (info.first_period, info.last_period) == (Period(1979, 1), Period(2024, 10))
    assert info.base_year == 2015 and info.updated == "2024-11-11T07:00:00Z"
    other = SsbClient(IndexTable("14700", "KpiIndMnd", 2025),
                      transport=httpx.MockTransport(lambda r: httpx.Response(200, content=body)))  # fmt: skip
    with other, pytest.raises(IndexDataError, match="about table '03013'"):
        other.table_info()


def test_table_info_of_the_fake_tells_a_rebased_successor(fake_ssb: FakeSsb) -> None:
    new = IndexTable("14700", "KpiIndMnd", 2025)  # made-up successor
    fake_ssb.tables.append(FakeTable(new, {Period(2026, 1): Decimal("101.2")}))
    with _client(fake_ssb, new) as ssb:
        info = ssb.table_info()
        assert info.base_year == 2025 and info.last_period == Period(2026, 1)
        assert ssb.fetch_latest(1)[Period(2026, 1)].base_year == 2025


def test_the_fake_answers_in_the_shape_of_the_documented_default_selection(fake_ssb: FakeSsb) -> None:
    """Compare the fake's answer with the reconstructed 03013 answer: same dimension order (the v2 layout,
    not the metadata order), same roles and category structure, so the client is tested against that shape."""
    documented = json.loads(sample(DEFAULT_2025M02).read_text(encoding="utf-8"))
    answer = httpx.Client(transport=fake_ssb.transport).get(
        "https://data.ssb.no/api/pxwebapi/v2/tables/03013/data?lang=no&valueCodes[Tid]=2025M02"
    ).json()
    assert answer["id"] == documented["id"] == ["ContentsCode", "Tid", "Konsumgrp"]
    assert answer["role"] == documented["role"]
    assert {k for k in documented if k != "note"} <= set(answer)
    for dim in documented["id"]:
        assert set(documented["dimension"][dim]["category"]) <= set(answer["dimension"][dim]["category"])
    assert answer["dimension"]["ContentsCode"]["category"]["label"]["KpiIndMnd"] == "Konsumprisindeks (2015=100)"
    assert answer["value"] == [137.0]


def test_the_fake_understands_the_documented_selection_expressions(fake_ssb: FakeSsb) -> None:
    http = httpx.Client(transport=fake_ssb.transport)

    def months(expression: str) -> list[str]:
        response = http.get("https://data.ssb.no/api/pxwebapi/v2/tables/03013/data",
                            params={"valueCodes[Tid]": expression})  # fmt: skip
        assert response.status_code == 200, response.text
        return list(response.json()["dimension"]["Tid"]["category"]["index"])

    assert months("top(2)") == ["2025M02", "2025M03"]
    assert months("[TOP(2,1)]") == ["2024M10", "2025M02"]
    assert months("bottom(1)") == ["2023M10"]
    assert months("2024*") == ["2024M02", "2024M03", "2024M10"]
    assert months("????M10") == ["2023M10", "2024M10"]
    assert months("to(2024M02)") == ["2023M10", "2024M02"]
    assert months("[range(2024M03,2024M10)],2023M10") == ["2023M10", "2024M03", "2024M10"]
    unbracketed = http.get("https://data.ssb.no/api/pxwebapi/v2/tables/03013/data",
                           params={"valueCodes[Tid]": "range(2024M03,2024M10)"})  # fmt: skip
    assert unbracketed.status_code == 400  # a comma outside brackets separates items
    problem = http.get("https://data.ssb.no/api/pxwebapi/v2/tables/03013/data", params={"valueCodes[Tid]": "1999M01"})
    assert problem.status_code == 400 and "not a valid value code" in problem.json()["detail"]
    fake_ssb.max_cells = 1
    assert http.get("https://data.ssb.no/api/pxwebapi/v2/tables/03013/data",
                    params={"valueCodes[Tid]": "*"}).status_code == 403  # fmt: skip
