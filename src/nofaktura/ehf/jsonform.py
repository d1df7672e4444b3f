"""The JSON form of the EN 16931 model: plain dicts any system can produce without XML or Odoo.

The JSON mirrors the dataclasses of :mod:`nofaktura.ehf.model` field by field (same names), with
values that survive JSON exactly:

* amounts, quantities and rates are **strings** (``"1273.00"``), never JSON numbers, which most
  JSON libraries turn into binary floats;
* dates are ISO strings (``"2026-11-27"``);
* attachment content is base64 (``"content": "JVBERi0..."``);
* fields that have their default value (mostly ``None`` or empty) are left out, so a minimal
  invoice stays small; a ``None`` where the default is not ``None`` is written as ``null``.

:func:`from_json` refuses unknown keys and wrong types with a :class:`DocumentError` that names
the JSON path (``$.lines[2].quantity``), because a silently ignored misspelt key is a wrong invoice.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
import types
import typing
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from nofaktura.ehf import model
from nofaktura.ehf.model import Document
from nofaktura.exceptions import DocumentError

__all__ = ["FORMAT", "from_json", "to_json"]

#: Value of the ``"format"`` key that marks a nofaktura document JSON (and its version).
FORMAT = "nofaktura.ehf/1"

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ALWAYS = {"kind"}  # written even when default, so a reader of the JSON sees it


def to_json(document: Document, *, include_content: bool = True) -> dict[str, Any]:
    """The JSON form of ``document``.

    With ``include_content=False`` attachments carry ``"size"`` (bytes) instead of their content,
    for summaries (``nofaktura show --json``); such a dict cannot restore the attachment bytes.
    """
    data = _dump(document, include_content)
    return {"format": FORMAT, "kind": data.pop("kind"), **data}


def _dump(value: Any, include_content: bool) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.default is not dataclasses.MISSING and item == f.default and f.name not in _ALWAYS:
                continue  # left out: from_json restores the default
            if isinstance(item, bytes) and not include_content:
                out["size"] = len(item)
                continue
            out[f.name] = _dump(item, include_content)
        return out
    if isinstance(value, tuple):
        return [_dump(item, include_content) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def from_json(data: dict[str, Any], *, source: str | None = None) -> Document:
    """Build a :class:`Document` from its JSON form; raise :class:`DocumentError` naming the path."""
    if not isinstance(data, dict):
        raise DocumentError("the JSON document must be an object", source=source, path="$")
    data = dict(data)
    marker = data.pop("format", FORMAT)
    if marker != FORMAT:
        raise DocumentError(f"unknown format {marker!r}, expected {FORMAT!r}", source=source, path="$.format")
    return _load(Document, data, "$", source)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, vars(model), vars(model))
    return _HINTS[cls]


def _load(tp: Any, value: Any, path: str, source: str | None) -> Any:
    def fail(message: str) -> DocumentError:
        return DocumentError(message, source=source, path=path)

    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if value is None:
            return None
        return _load(options[0], value, path, source)
    if origin is tuple:
        (item_type, _ellipsis) = typing.get_args(tp)
        if not isinstance(value, list):
            raise fail("expected a list")
        return tuple(_load(item_type, item, f"{path}[{index}]", source) for index, item in enumerate(value))
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise fail(f"expected an object ({tp.__name__})")
        hints = _hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise fail(f"unknown key(s) {', '.join(unknown)} in {tp.__name__}")
        kwargs = {name: _load(hints[name], item, f"{path}.{name}", source) for name, item in value.items()}
        missing = [
            f.name
            for f in dataclasses.fields(tp)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING and f.name not in kwargs
        ]
        if missing:
            raise fail(f"missing required key(s) {', '.join(missing)} in {tp.__name__}")
        try:
            return tp(**kwargs)
        except (TypeError, ValueError) as exc:
            raise fail(str(exc)) from exc
    if tp is Decimal:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise fail('an amount/quantity must be a string such as "1234.50" (or an integer)')
        text = str(value).strip()
        if not _DECIMAL.match(text):
            raise fail(f'{value!r} is not a number (write e.g. "1234.50")')
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - guarded by the pattern
            raise fail(f"{value!r} is not a number") from exc
    if tp is date:
        if not isinstance(value, str) or len(value) != 10:
            raise fail(f"{value!r} is not a date in the form YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise fail(f"{value!r} is not a date in the form YYYY-MM-DD") from exc
    if tp is bytes:
        if not isinstance(value, str):
            raise fail("attachment content must be a base64 string")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise fail("attachment content is not valid base64") from exc
    if tp is bool:
        if not isinstance(value, bool):
            raise fail(f"expected true or false, got {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise fail(f"expected a string, got {value!r}")
        return value
    raise fail(f"cannot read a value of type {tp!r}")  # pragma: no cover - model types are covered
