"""The JSON form (:func:`nofaktura.ehf.jsonform.from_json`) on any JSON value and on damaged documents.

JSON reaches the library from other systems and from ``nofaktura convert``/``show``; a wrong type, a
missing or unknown key, a number where a string belongs, a string that is not a date must each be a
:class:`DocumentError` naming the JSON path (``$.lines[2].quantity``), never a ``TypeError``,
``KeyError`` or ``AttributeError`` from deep inside the model.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofaktura.ehf.jsonform import from_json
from nofaktura.ehf.model import Document
from nofaktura.exceptions import DocumentError

from .readers import samples

SOURCE = "form.json"
EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "20")) * 3
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["", "NaN", "1e400", "2026-02-30", "1,5", "Invoice", "CreditNote", "nofaktura.ehf/1"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)  # fmt: skip


def valid_form() -> dict[str, Any]:
    return json.loads(samples("json")[0])


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path inside a JSON value (the root excluded)."""
    out: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        out.append((*prefix, key))
        out += paths(item, (*prefix, key))
    return out


ALL_PATHS = paths(valid_form())


def check(data: Any) -> None:
    try:
        result = from_json(data, source=SOURCE)
    except DocumentError as exc:
        assert str(exc).startswith(SOURCE), str(exc)
        assert exc.path and exc.path.startswith("$"), f"no JSON path: {exc}"
        return
    assert isinstance(result, Document)


@SETTINGS
@given(json_values)
def test_any_json_value_is_a_document_or_a_located_error(value: Any):
    check(value)


@SETTINGS
@given(st.dictionaries(st.sampled_from([p[0] for p in ALL_PATHS if len(p) == 1] + ["x"]), json_values, max_size=8))
def test_any_object_with_the_top_level_keys_is_a_document_or_a_located_error(value: dict[str, Any]):
    check(value)


@SETTINGS
@given(st.sampled_from(ALL_PATHS), st.one_of(json_values, st.just(KeyError)))
def test_one_damaged_value_in_a_valid_form_is_a_located_error(path: tuple[Any, ...], replacement: Any):
    data = copy.deepcopy(valid_form())
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if replacement is KeyError:  # remove the key (or list item) instead
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    check(data)


def test_the_valid_form_is_read():
    assert isinstance(from_json(valid_form(), source=SOURCE), Document)
