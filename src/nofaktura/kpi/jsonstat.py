"""Reading a JSON-stat 2.0 answer of Statistics Norway into an :class:`~nofaktura.kpi.index.IndexSeries`.

Why a reader of our own (no pyjstat/pandas): the library needs ~100 lines of it, must read numbers as
Decimal (never through float: 137.0 must stay 137.0), must refuse an answer that is not the table,
contents and base year configured, and must not trust the dimension order: PxWebApi v2 orders ``id`` by the
output layout, which differs from the metadata's (see ../shared/corpora/ssb-kpi/NOTES.md). ``value`` is
row-major over ``id``, the last dimension varying fastest; a missing cell is ``null`` (with a ``status``
symbol such as ``..``) and stays missing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nofaktura.exceptions import IndexDataError
from nofaktura.kpi.index import IndexSeries, IndexTable, IndexValue, Period
from nofaktura.messages import Message, msg

__all__ = ["MAX_RESPONSE_BYTES", "Dataset", "load_dataset", "parse_index_response"]

#: Largest answer read. A year of months of one series is ~2 kB; even all of 03013's months for every group
#: and contents code stays far below this. Bigger is not the answer asked for.
MAX_RESPONSE_BYTES = 4 * 1024 * 1024

#: An index value outside these bounds (or with more than 10 decimals) is not an index: refused before it can
#: reach the arithmetic (a JSON number such as 1e999999999 is a valid Decimal).
_PLAUSIBLE_MIN, _PLAUSIBLE_MAX = Decimal(0), Decimal(10) ** 7
_BASE_IN_LABEL = re.compile(r"(?<!\d)(\d{4})\s*=\s*100(?!\d)")


def _fail(message: Message, source: str | None, path: str | None = None) -> IndexDataError:
    """The error for ``message`` (a catalogue message: it reaches an agreement's regulation run in Odoo)."""
    return IndexDataError(message, source=source, path=path)


def _number(raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
        raise TypeError
    return Decimal(raw)


@dataclass(frozen=True)
class Dataset:
    """A JSON-stat 2.0 dataset checked for shape: dimension ids, their categories (code → position), values.

    ``cell(Tid="2024M10", ContentsCode="KpiIndMnd", Konsumgrp="TOTAL")`` is the value at those codes (None when
    the cell is null); every dimension must be named.
    """

    ids: tuple[str, ...]
    sizes: tuple[int, ...]
    categories: Mapping[str, Mapping[str, int]]
    labels: Mapping[str, Mapping[str, str]]
    values: Mapping[int, Decimal | None]
    label: str
    table_id: str | None
    updated: str | None
    source: str | None

    def cell(self, **codes: str) -> Decimal | None:
        """The value at one code per dimension (row-major over ``ids``, the last varying fastest)."""
        if set(codes) != set(self.ids):
            raise _fail(msg("kpi.cell_codes", dims=list(self.ids)), self.source)
        position = 0
        for dim, size in zip(self.ids, self.sizes, strict=True):
            index = self.categories[dim].get(codes[dim])
            if index is None:
                raise _fail(msg("kpi.no_code", code=codes[dim], dim=dim), self.source, f"dimension/{dim}")
            position = position * size + index
        return self.values.get(position)


def _categories(dim: str, spec: object, size: int, source: str | None) -> tuple[dict[str, int], dict[str, str]]:
    where = f"dimension/{dim}/category"
    category = spec.get("category") if isinstance(spec, dict) else None
    if not isinstance(category, dict):
        raise _fail(msg("kpi.no_category"), source, where)
    index = category.get("index")
    raw_labels = category.get("label")
    labels: dict[Any, Any] = raw_labels if isinstance(raw_labels, dict) else {}
    if index is None and len(labels) == 1:
        index = {next(iter(labels)): 0}  # JSON-stat allows a lone category to have a label only
    if isinstance(index, list):
        if not all(isinstance(code, str) for code in index):
            raise _fail(msg("kpi.index_not_codes"), source, where)
        index = {code: position for position, code in enumerate(index)}
    if not isinstance(index, dict) or not all(isinstance(c, str) and isinstance(p, int) for c, p in index.items()):
        raise _fail(msg("kpi.index_shape"), source, where)
    if sorted(index.values()) != list(range(size)):
        raise _fail(msg("kpi.positions_size", size=size), source, where)
    return index, {str(k): str(v) for k, v in labels.items()}


def load_dataset(body: bytes | str | Mapping[str, Any], *, source: str | None = None,
                 max_bytes: int = MAX_RESPONSE_BYTES) -> Dataset:  # fmt: skip
    """Check and index a JSON-stat 2.0 dataset (bytes, text or an already-parsed mapping).

    Numbers are read as Decimal. Every problem is an :class:`~nofaktura.exceptions.IndexDataError` naming the
    source and the JSON path.
    """
    if isinstance(body, (bytes, str)):
        if len(body) > max_bytes:
            raise _fail(msg("kpi.too_large", limit=max_bytes), source)
        try:
            doc = json.loads(body, parse_float=Decimal)
        except (ValueError, RecursionError) as exc:
            raise _fail(msg("kpi.not_json", detail=str(exc)[:120]), source) from None
    else:
        doc = body
    if not isinstance(doc, dict):
        raise _fail(msg("kpi.not_object"), source)
    if doc.get("class") != "dataset" or str(doc.get("version")) != "2.0":
        raise _fail(msg("kpi.not_jsonstat2"), source)
    ids, sizes, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if (
        not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(set(ids)) != len(ids)
        or not isinstance(sizes, list) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
                                                   for n in sizes)
        or len(ids) != len(sizes) or not isinstance(dims, dict)
    ):  # fmt: skip
        raise _fail(msg("kpi.dims_mismatch"), source, "id")
    categories: dict[str, dict[str, int]] = {}
    labels: dict[str, dict[str, str]] = {}
    for dim, size in zip(ids, sizes, strict=True):
        if dim not in dims:
            raise _fail(msg("kpi.dim_undescribed", dim=dim), source, "dimension")
        categories[dim], labels[dim] = _categories(dim, dims[dim], size, source)
    cells = math.prod(sizes)
    raw = doc.get("value")
    values: dict[int, Decimal | None] = {}
    try:
        if isinstance(raw, list):
            if len(raw) != cells:
                raise _fail(msg("kpi.value_count", count=len(raw), cells=cells), source, "value")
            values = {i: (None if v is None else _number(v)) for i, v in enumerate(raw)}
        elif isinstance(raw, dict):  # the sparse form JSON-stat allows: {"position": value}
            for key, v in raw.items():
                if not key.isdigit() or int(key) >= cells:
                    raise _fail(msg("kpi.value_position", key=key[:20], cells=cells), source, "value")
                values[int(key)] = None if v is None else _number(v)
        else:
            raise _fail(msg("kpi.no_values"), source, "value")
    except TypeError:
        raise _fail(msg("kpi.value_not_number"), source, "value") from None
    extension = doc.get("extension")
    px = extension.get("px") if isinstance(extension, dict) else None
    table_id = px.get("tableid") if isinstance(px, dict) and isinstance(px.get("tableid"), str) else None
    raw_label, raw_updated = doc.get("label"), doc.get("updated")
    label = raw_label if isinstance(raw_label, str) else ""
    updated = raw_updated if isinstance(raw_updated, str) else None
    return Dataset(tuple(ids), tuple(sizes), categories, labels, values, label, table_id, updated, source)


def parse_index_response(
    body: bytes | str | Mapping[str, Any] | Dataset,
    table: IndexTable,
    *,
    source: str | None = None,
    max_bytes: int = MAX_RESPONSE_BYTES,
) -> IndexSeries:
    """The months of ``table``'s series in a JSON-stat 2.0 answer, each value with the table's base year.

    Refused (IndexDataError): another table (``extension.px.tableid`` or the ``NNNNN:`` label prefix), no
    such contents code, a contents label stating another base year than the settings (``(2025=100)`` when
    2015 is configured: the settings are stale, not the data), a group or time dimension missing, time codes
    that are not months, another dimension with several categories (the answer holds several series). Null
    cells are left out: asking the series for that month raises IndexNotPublished.
    """
    data = body if isinstance(body, Dataset) else load_dataset(body, source=source, max_bytes=max_bytes)
    src = data.source or source
    label_table = re.match(r"\s*([A-Za-z0-9_]+):", data.label)
    found = data.table_id or (label_table.group(1) if label_table else None)
    if found is not None and found != table.table:
        raise _fail(msg("kpi.other_table", found=found, table=table.table), src, "extension/px/tableid")
    contents = table.contents_dimension
    if contents not in data.categories or table.contents_code not in data.categories[contents]:
        known = sorted(data.categories.get(contents, {}))
        raise _fail(msg("kpi.no_contents", code=table.contents_code, known=known), src,
                    f"dimension/{contents}")  # fmt: skip
    base = _BASE_IN_LABEL.search(data.labels.get(contents, {}).get(table.contents_code, ""))
    if base and int(base.group(1)) != table.base_year:
        raise _fail(msg("kpi.answer_base_year", found=base.group(1), expected=table.base_year),
                    src, f"dimension/{contents}/category/label")  # fmt: skip
    fixed = {contents: table.contents_code}
    if table.group_dimension is not None and table.group_code is not None:
        if table.group_code not in data.categories.get(table.group_dimension, {}):
            raise _fail(msg("kpi.no_group", dim=table.group_dimension, code=table.group_code), src,
                        f"dimension/{table.group_dimension}")  # fmt: skip
        fixed[table.group_dimension] = table.group_code
    time = table.time_dimension
    if time not in data.categories:
        raise _fail(msg("kpi.no_time", dim=time), src, "dimension")
    for dim in data.ids:
        if dim not in fixed and dim != time:
            if len(data.categories[dim]) != 1:
                raise _fail(msg("kpi.several_series", dim=dim), src,
                            f"dimension/{dim}")  # fmt: skip
            fixed[dim] = next(iter(data.categories[dim]))
    values = []
    for code in data.categories[time]:
        try:
            period = Period.parse(code)
        except ValueError:
            raise _fail(msg("kpi.not_monthly", code=code[:20], table=table.table), src,
                        f"dimension/{time}") from None  # fmt: skip
        value = data.cell(**fixed, **{time: code})
        if value is None:
            continue
        if not _PLAUSIBLE_MIN < value < _PLAUSIBLE_MAX or value.as_tuple().exponent < -10:  # type: ignore[operator]
            raise _fail(msg("kpi.implausible", period=period, value=str(value)[:30]), src, "value")
        values.append(IndexValue(period, value, table.base_year, table.table))
    return IndexSeries(table.table, table.base_year, values)
