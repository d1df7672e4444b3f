"""A client for Statistics Norway's PxWebApi v2 that reads one monthly index series as JSON-stat 2.0.

Why so small: regulation needs a handful of months of one series (the total KPI), so the client asks for
exactly that — ``valueCodes`` for the contents code, the group and the months — and reads the answer with
:func:`~nofaktura.kpi.jsonstat.parse_index_response`, which refuses another table or base year. The table id,
contents code and base year come from an :class:`~nofaktura.kpi.index.IndexTable` (settings, never assumed).

HTTP goes through an injected httpx transport (tests pass :class:`~nofaktura.kpi.testing.FakeSsb`); answers
are read at most ``max_bytes``. Errors are typed: :class:`~nofaktura.exceptions.IndexQueryRejected` for 400 /
403 / 404 (final), :class:`~nofaktura.exceptions.RateLimited` for 429 (SSB allows 30 calls a minute),
:class:`~nofaktura.exceptions.ServiceUnavailable` / ``TransportTimeout`` for the rest (retryable), and
:class:`~nofaktura.exceptions.IndexDataError` for an answer that is not the index asked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from nofaktura.exceptions import (
    IndexDataError,
    IndexQueryRejected,
    RateLimited,
    ServiceUnavailable,
    TransportError,
    TransportTimeout,
)
from nofaktura.kpi.index import IndexSeries, IndexTable, Period
from nofaktura.kpi.jsonstat import _BASE_IN_LABEL, MAX_RESPONSE_BYTES, parse_index_response
from nofaktura.messages import msg
from nofaktura.peppol.transports.base import translate_errors

__all__ = ["SSB_URL", "SsbClient", "TableInfo", "error_from_response"]

#: PxWebApi v2 at Statistics Norway (launched 2025-10-01).
SSB_URL = "https://data.ssb.no/api/pxwebapi/v2"
#: The most months one call asks for: 03013 has ~560 months since 1979; SSB serves 800 000 cells a call.
MAX_MONTHS = 1200


@dataclass(frozen=True)
class TableInfo:
    """``GET /tables/{id}``: what the table is and how far it reaches.

    ``base_year`` is read from the label's ``(2015=100)`` when it has one: compare it with the settings
    before trusting a table that may have been re-based; ``last_period`` tells whether the table still
    continues (03013 may end at 2025M12 and continue in a new table).
    """

    table: str
    label: str
    first_period: Period | None
    last_period: Period | None
    updated: str | None
    base_year: int | None


def _problem_detail(body: bytes) -> str:
    """The ``title``/``detail`` of an application/problem+json answer, cut short; '' if it is not one."""
    try:
        doc = json.loads(body[:65536])
    except (ValueError, RecursionError):
        return ""
    if not isinstance(doc, dict):
        return ""
    parts = [str(doc[k]) for k in ("title", "detail") if isinstance(doc.get(k), (str, int))]
    return ": ".join(parts)[:300]


def error_from_response(status: int, body: bytes, what: str) -> TransportError:
    """The typed error for an answer of Statistics Norway that is not 200 (see the module docstring)."""
    detail = _problem_detail(body)
    text = f"HTTP {status}" + (f" {detail}" if detail else "")
    error: TransportError
    if status == 400:
        error = IndexQueryRejected(msg("kpi.query_rejected", what=what, detail=text))
    elif status == 403:
        error = IndexQueryRejected(msg("kpi.too_many_cells", what=what, detail=text))
    elif status == 404:
        error = IndexQueryRejected(msg("kpi.no_such_table", what=what, detail=text))
    elif status == 429:
        error = RateLimited(msg("kpi.slow_down", detail=text))
    elif status in (408, 504):
        error = TransportTimeout(msg("kpi.timed_out", detail=text))
    elif status >= 500:
        error = ServiceUnavailable(msg("kpi.unavailable", detail=text))
    else:
        error = TransportError(msg("kpi.unexpected", what=what, detail=text))
    error.http_status = status
    return error


class SsbClient:
    """Reads one index series (``table``) from PxWebApi v2.

    ``transport``: any httpx transport (tests: ``FakeSsb(...).transport``; None: the network). ``lang``: the
    language of labels (``en`` or ``no``; values do not depend on it). ``max_bytes``: the largest answer read.
    """

    def __init__(
        self,
        table: IndexTable,
        *,
        base_url: str = SSB_URL,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        lang: str = "en",
        max_bytes: int = MAX_RESPONSE_BYTES,
        user_agent: str = "nofaktura-kpi/1",
    ) -> None:
        if not isinstance(table, IndexTable):
            raise TypeError("table must be an IndexTable (e.g. nofaktura.kpi.TABLE_03013)")
        if lang not in ("en", "no"):
            raise ValueError("Statistics Norway answers in 'en' or 'no'")
        self.table = table
        self.lang = lang
        self.max_bytes = max_bytes
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout,
                                  headers={"User-Agent": user_agent, "Accept": "application/json"})  # fmt: skip

    def __repr__(self) -> str:
        return f"SsbClient(table={self.table.table!r}, base_url={self.base_url!r})"

    # -- public operations --------------------------------------------------------------------------------

    def fetch(self, first: Period, last: Period | None = None) -> IndexSeries:
        """The months from ``first`` to ``last`` (inclusive; None: up to the newest published).

        Two calls: :meth:`table_info` first, so the range asked for is clamped to the months the table has
        (PxWebApi's ``range(a,b)`` names value codes; a month not yet published is not one) and a table whose
        label states another base year than the settings is refused before any value is read. A month
        outside the table is then simply absent from the series (asking the series for it raises
        IndexNotPublished), so fetching "up to now" is safe on any day.
        """
        if last is not None and last < first:
            raise ValueError(f"the range {first}..{last} runs backwards")
        info = self.table_info()
        if info.base_year is not None and info.base_year != self.table.base_year:
            raise IndexDataError(
                msg("kpi.table_base_year", table=self.table.table, found=info.base_year,
                    expected=self.table.base_year),
                source=msg("kpi.source_table", table=self.table.table),
            )  # fmt: skip
        start = max(first, info.first_period) if info.first_period else first
        end = min(last, info.last_period) if last and info.last_period else (last or info.last_period)
        if end is None or end < start:
            return IndexSeries(self.table.table, self.table.base_year, [])
        if start.months_until(end) >= MAX_MONTHS:
            raise ValueError(f"at most {MAX_MONTHS} months in one call")
        # A selection expression with a comma goes in brackets in a GET query (PxApiSpecs, "valueCodes").
        return self._data(f"[range({start.code},{end.code})]", f"{start}..{end}")

    def fetch_latest(self, months: int = 13) -> IndexSeries:
        """The newest ``months`` months published (13: this month's index and the same month a year before)."""
        if not 1 <= months <= MAX_MONTHS:
            raise ValueError(f"between 1 and {MAX_MONTHS} months")
        return self._data(f"top({months})", msg("kpi.what_newest", months=months))

    def fetch_months(self, periods: Iterable[Period]) -> IndexSeries:
        """Exactly these months. SSB refuses (IndexQueryRejected, 400) a month the table does not have."""
        codes = sorted({p.code for p in periods})
        if not codes or len(codes) > MAX_MONTHS:
            raise ValueError(f"between 1 and {MAX_MONTHS} months")
        return self._data(",".join(codes), ", ".join(codes))

    def table_info(self) -> TableInfo:
        """``GET /tables/{id}``: label, first and last month, last update, the base year its label states."""
        body = self._get(f"/tables/{self.table.table}", {"lang": self.lang},
                         msg("kpi.what_table", table=self.table.table))  # fmt: skip
        source = msg("kpi.source_table", table=self.table.table)
        try:
            doc = json.loads(body)
        except (ValueError, RecursionError):
            raise IndexDataError(msg("kpi.info_not_json"), source=source) from None
        if not isinstance(doc, dict) or doc.get("id") != self.table.table:
            found = doc.get("id") if isinstance(doc, dict) else None
            raise IndexDataError(msg("kpi.info_other_table", found=found), source=source, path="id")
        raw_label, raw_updated = doc.get("label"), doc.get("updated")
        label = raw_label if isinstance(raw_label, str) else ""
        base = _BASE_IN_LABEL.search(label)

        def period(key: str) -> Period | None:
            value = doc.get(key)
            if value is None:
                return None
            try:
                return Period.parse(value)
            except ValueError:
                raise IndexDataError(msg("kpi.info_not_month", key=key, value=str(value)[:20]), source=source,
                                     path=key) from None  # fmt: skip

        return TableInfo(
            table=self.table.table,
            label=label,
            first_period=period("firstPeriod"),
            last_period=period("lastPeriod"),
            updated=raw_updated if isinstance(raw_updated, str) else None,
            base_year=int(base.group(1)) if base else None,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SsbClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- HTTP -----------------------------------------------------------------------------------------------

    def _data(self, time_selection: str, what: str) -> IndexSeries:
        table = self.table
        params = {
            "lang": self.lang,
            "outputFormat": "json-stat2",
            f"valueCodes[{table.contents_dimension}]": table.contents_code,
            f"valueCodes[{table.time_dimension}]": time_selection,
        }
        if table.group_dimension is not None and table.group_code is not None:
            params[f"valueCodes[{table.group_dimension}]"] = table.group_code
        what_data = msg("kpi.what_table_data", table=table.table, months=what)
        body = self._get(f"/tables/{table.table}/data", params, what_data)
        return parse_index_response(body, table, source=msg("kpi.source_table", table=table.table),
                                    max_bytes=self.max_bytes)  # fmt: skip

    def _get(self, path: str, params: dict[str, str], what: str) -> bytes:
        if not re.fullmatch(r"/tables/[A-Za-z0-9_]+(/data)?", path):
            raise ValueError(f"unexpected path {path!r}")
        with translate_errors(msg("kpi.asking", what=what)):
            request = self._http.build_request("GET", path, params=params)
            response = self._http.send(request, stream=True)
            try:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise IndexDataError(msg("kpi.too_large", limit=self.max_bytes),
                                             source=msg("kpi.source_answer", what=what))  # fmt: skip
                    chunks.append(chunk)
            finally:
                response.close()
        body = b"".join(chunks)
        if response.status_code != 200:
            raise error_from_response(response.status_code, body, what)
        return body
