"""A fake Statistics Norway (PxWebApi v2) for tests, built from the documented answers, never the network.

Why in the library (like :mod:`nofaktura.digipost.testing`): the Odoo addon's tests need the same fake as the
library's. ``FakeSsb(...).transport`` is an ``httpx.MockTransport``: no socket is opened.

What it follows (../shared/corpora/ssb-kpi: NOTES.md, docs/ssb-pxwebapi2-brukerhandbok-no.md,
openapi/PxAPI-2.yml, samples/): ``GET /tables/{id}`` answers like ``v2-table-03013-info-response.json``;
``GET /tables/{id}/data`` reads ``valueCodes[VAR]`` selections (codes, ``*``/``?`` wildcards, ``top(n)``
newest first for the time variable, ``bottom``, ``[range(a,b)]``, ``from(a)``, ``to(b)``, case-insensitive;
an expression with a comma in brackets)
and answers JSON-stat 2.0 with the dimension order of the v2 default layout (``ContentsCode, Tid, Konsumgrp``,
as in the reconstructed 03013 sample — deliberately not the metadata order) and ``null`` + status ``..`` for a
month published without a value. Errors are application/problem+json: 400 for an unknown code or an empty
selection, 403 over ``max_cells``, 404 for an unknown table, 429 / 5xx when queued with :meth:`fail_next`.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

from nofaktura.kpi.index import IndexTable, Period

__all__ = ["FakeSsb", "FakeTable"]


@dataclass
class FakeTable:
    """One index table the fake serves: its settings and its months (None = published as ``..``)."""

    settings: IndexTable
    values: Mapping[Period, Decimal | None]
    updated: str = "2025-03-10T07:00:00Z"
    title: str = "Konsumprisindeks, etter konsumgruppe"

    def codes(self) -> list[str]:
        return [p.code for p in sorted(self.values)]


@dataclass
class FakeSsb:
    """Serves :class:`FakeTable` s as PxWebApi v2 does; records every request in ``requests``."""

    tables: list[FakeTable]
    max_cells: int = 800_000
    requests: list[httpx.Request] = field(default_factory=list)
    _failures: list[tuple[int, str]] = field(default_factory=list)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def fail_next(self, status: int, times: int = 1, body: str = "") -> None:
        """Answer the next ``times`` requests with ``status`` (e.g. 429, 503) before serving normally."""
        self._failures.extend([(status, body)] * times)

    # -- routing -------------------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self._failures:
            status, body = self._failures.pop(0)
            return httpx.Response(status, content=body.encode() or _problem(status, "queued failure"),
                                  headers={"Content-Type": "application/problem+json"})  # fmt: skip
        if request.method != "GET":
            return _error(405, "Method Not Allowed", "the fake answers GET only")
        match = re.search(r"/tables/([^/]+)(/data)?$", request.url.path)
        if not match:
            return _error(404, "Not Found", f"no resource {request.url.path}")
        table = next((t for t in self.tables if t.settings.table == match.group(1)), None)
        if table is None:
            return _error(404, "Not Found", f"Node with id, {match.group(1)} can not be found")
        if match.group(2):
            return self._data(table, request.url.params)
        return _json(self._info(table, request.url.params.get("lang", "no")))

    @staticmethod
    def _info(table: FakeTable, lang: str) -> dict[str, Any]:
        codes = table.codes()
        s = table.settings
        first, last = (codes[0], codes[-1]) if codes else ("", "")
        href = f"https://data.ssb.no/api/pxwebapi/v2/tables/{s.table}"
        return {
            "type": "Table", "id": s.table,
            "label": f"{s.table}: {table.title} ({s.base_year}=100) {first}-{last}",
            "description": "", "sortCode": "000010", "updated": table.updated,
            "firstPeriod": first or None, "lastPeriod": last or None, "category": "public",
            "variableNames": ["konsumgruppe", "statistikkvariabel", "måned"],
            "links": [{"rel": "self", "hreflang": lang, "href": f"{href}?lang={lang}"},
                      {"rel": "data", "hreflang": lang, "href": f"{href}/data?lang={lang}&outputFormat=json-stat2"}],
            "language": lang,
        }  # fmt: skip

    # -- data ----------------------------------------------------------------------------------------------

    def _data(self, table: FakeTable, params: httpx.QueryParams) -> httpx.Response:
        s = table.settings
        if params.get("outputFormat", "json-stat2") != "json-stat2":
            return _error(400, "Bad Request", "the fake serves json-stat2 only")
        variables: dict[str, list[str]] = {s.contents_dimension: [s.contents_code], s.time_dimension: table.codes()}
        if s.group_dimension is not None and s.group_code is not None:
            variables[s.group_dimension] = [s.group_code]
        chosen: dict[str, list[str]] = {}
        for key, value in params.multi_items():
            found = re.fullmatch(r"valueCodes\[([^\]]+)\]", key)
            if not found:
                continue
            name = found.group(1)
            if name not in variables:
                return _error(400, "Bad Request", f"{name} is not a variable of table {s.table}")
            try:
                chosen[name] = _select(variables[name], value, is_time=name == s.time_dimension)
            except LookupError as exc:
                return _error(400, "Bad Request", f"Value, {exc.args[0]} is not a valid value code for variable {name}")
        for name, codes in variables.items():
            if name not in chosen:  # the default selection: the newest month, every other code
                chosen[name] = codes[-1:] if name == s.time_dimension else codes
            if not chosen[name]:
                return _error(400, "Bad Request", f"the selection for {name} is empty")
        order = [s.contents_dimension, s.time_dimension] + ([s.group_dimension] if s.group_dimension else [])
        sizes = [len(chosen[d]) for d in order]
        cells = 1
        for n in sizes:
            cells *= n
        if cells > self.max_cells:
            return _error(403, "Forbiden", "The query resulted in cell that exceeds the number of allowed.")
        values: list[float | None] = []
        status: dict[str, str] = {}
        # Row-major, the last dimension fastest: contents × months × group (one contents code, one group).
        for _contents in chosen[s.contents_dimension]:
            for month in chosen[s.time_dimension]:
                for _group in chosen.get(s.group_dimension or "", [""]):
                    cell = table.values[Period.parse(month)]
                    if cell is None:
                        status[str(len(values))] = ".."
                    values.append(None if cell is None else float(cell))  # JSON numbers, as SSB sends
        dimension = {
            s.contents_dimension: {
                "label": "statistikkvariabel",
                "category": {
                    "index": {s.contents_code: 0},
                    "label": {s.contents_code: f"Konsumprisindeks ({s.base_year}=100)"},
                    "unit": {s.contents_code: {"base": "indeks", "decimals": 1}},
                },
                "extension": {"elimination": False, "show": "value"},
            },
            s.time_dimension: {
                "label": "måned",
                "category": {"index": {c: i for i, c in enumerate(chosen[s.time_dimension])},
                             "label": {c: c for c in chosen[s.time_dimension]}},
                "extension": {"elimination": False, "show": "code"},
            },
        }  # fmt: skip
        if s.group_dimension and s.group_code:
            dimension[s.group_dimension] = {
                "label": "konsumgruppe",
                "category": {"index": {s.group_code: 0}, "label": {s.group_code: "Totalindeks"}},
                "extension": {"elimination": False, "show": "value"},
            }
        doc: dict[str, Any] = {
            "version": "2.0", "class": "dataset",
            "label": f"{s.table}: {table.title}, etter statistikkvariabel, måned og konsumgruppe",
            "source": "Statistisk sentralbyrå", "updated": table.updated,
            "role": {"time": [s.time_dimension], "metric": [s.contents_dimension]},
            "id": order, "size": sizes, "dimension": dimension,
            "extension": {"px": {"tableid": s.table, "decimals": 1, "language": params.get("lang", "no")}},
            "value": values,
        }  # fmt: skip
        if status:
            doc["status"] = status
        return _json(doc)


def _select(codes: list[str], expression: str, *, is_time: bool) -> list[str]:
    """The codes an expression of ``valueCodes`` picks, in the table's order (unknown code: LookupError)."""
    picked: set[str] = set()
    for item in _split(expression):
        call = re.fullmatch(r"(?i)(top|bottom|range|from|to)\((.*)\)", item)
        if call:
            name, args = call.group(1).lower(), [a.strip() for a in call.group(2).split(",")]
            if name in ("top", "bottom"):
                n, offset = int(args[0]), int(args[1]) if len(args) > 1 else 0
                ordered = list(reversed(codes)) if (name == "top") == is_time else list(codes)
                picked.update(ordered[offset : offset + n])
            elif name == "range":
                for bound in args:
                    if bound not in codes:
                        raise LookupError(bound)
                picked.update(c for c in codes if args[0] <= c <= args[1])
            elif name == "from":
                if args[0] not in codes:
                    raise LookupError(args[0])
                picked.update(codes[codes.index(args[0]) :])
            else:
                if args[0] not in codes:
                    raise LookupError(args[0])
                picked.update(codes[: codes.index(args[0]) + 1])
        elif "*" in item or "?" in item:
            picked.update(c for c in codes if fnmatch.fnmatchcase(c, item))
        elif item in codes:
            picked.add(item)
        else:
            raise LookupError(item)
    return [c for c in codes if c in picked]


def _split(expression: str) -> list[str]:
    """Comma-separated items; a comma belongs to its item only inside ``[ ]``, as the GET form requires
    (PxApiSpecs: an expression with a comma "should be in brackets", ``[TOP(1,12)]``), so an unbracketed
    ``range(a,b)`` falls apart into two unknown codes and is refused, as a strict server would."""
    items, depth, current = [], 0, ""
    for char in expression:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        if char == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    items.append(current.strip())
    return [i.strip("[]") if i.startswith("[") else i for i in items if i]


def _problem(status: int, detail: str, title: str = "") -> bytes:
    return json.dumps({"title": title or str(status), "status": status, "detail": detail}).encode()


def _error(status: int, title: str, detail: str) -> httpx.Response:
    return httpx.Response(status, content=_problem(status, detail, title),
                          headers={"Content-Type": "application/problem+json"})  # fmt: skip


def _json(doc: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, content=json.dumps(doc, ensure_ascii=False).encode(),
                          headers={"Content-Type": "application/json; charset=UTF-8"})  # fmt: skip
