"""Damaged JSON-stat answers give IndexDataError naming the source, never another exception (Hypothesis).

Like tests/robustness/test_garbage_properties.py for the other readers: random bytes, truncated, bit-flipped
and spliced corpus samples, and random JSON documents shaped like a dataset. Derandomized, few examples.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofaktura.exceptions import IndexDataError, NofakturaError
from nofaktura.kpi import TABLE_03013, parse_index_response

from .conftest import DEFAULT_2025M02, SYNTHETIC, TABLE_11118, sample

SOURCE = "garbage.json"
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
SAMPLES = [sample(name).read_bytes() for name in (DEFAULT_2025M02, SYNTHETIC, TABLE_11118)]


def feed(data: bytes) -> None:
    try:
        parse_index_response(data, TABLE_03013, source=SOURCE)
    except NofakturaError as exc:
        assert isinstance(exc, IndexDataError), f"{type(exc).__name__}: {exc}"
        assert SOURCE in str(exc), str(exc)
        assert exc.text("nb")


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(SAMPLES))
    kind = draw(st.sampled_from(["truncate", "flip", "splice"]))
    at = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
    return data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]


@SETTINGS
@given(st.one_of(st.binary(max_size=200), damaged()))
def test_damaged_bytes_raise_only_index_data_errors(data: bytes) -> None:
    feed(data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@SETTINGS
@given(
    field=st.sampled_from(["id", "size", "value", "dimension", "status", "extension", "label", "role"]),
    value=JSON_VALUES,
    sample_index=st.integers(0, 1),
)
def test_a_field_replaced_by_any_json_raises_only_index_data_errors(field: str, value: object, sample_index: int):
    doc = json.loads(SAMPLES[sample_index])
    doc[field] = value
    feed(json.dumps(doc).encode())


@SETTINGS
@given(dim=st.sampled_from(["ContentsCode", "Tid", "Konsumgrp"]), part=st.sampled_from(["index", "label", "unit"]),
       value=JSON_VALUES)  # fmt: skip
def test_a_category_replaced_by_any_json_raises_only_index_data_errors(dim: str, part: str, value: object) -> None:
    doc = json.loads(SAMPLES[0])
    doc["dimension"][dim]["category"][part] = value
    feed(json.dumps(doc).encode())
