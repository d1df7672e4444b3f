"""Every number in a received file, replaced by a value that is not a usable number.

Amounts and counts are where a reader turns text into arithmetic, so this is where ``NaN``,
``Infinity``, a ten-digit exponent or a Unicode digit that ``str.isdigit`` accepts but ``int``
refuses turn into ``decimal.InvalidOperation``, ``decimal.Overflow``, ``ValueError`` deep inside, or,
worse, into a payment of ``Decimal('Infinity')`` that is booked. For each model-building reader, each
numeric element (or attribute) of its valid samples is set to each such value in turn: the reader must
either refuse with a :class:`DocumentError` naming the source and a line or element, or return a
result that holds no non-finite Decimal.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from lxml import etree

from nofaktura.exceptions import DocumentError

from .readers import XML_READERS, Reader, samples

SOURCE = "numbers.xml"
BAD_NUMBERS = ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999999", "²"]
MODEL_READERS = ("ehf.reader.read", "bank.read_camt", "bank.pain002.read_pain002")
#: Readers with a known defect here: name -> strict xfail reason.
XFAIL: dict[str, str] = {}


def numeric_places(data: bytes) -> list[tuple[int, str | None, str]]:
    """(element index, attribute or None, element name) of every numeric text or attribute of a sample."""
    places = []
    elements = [e for e in etree.fromstring(data).iter() if isinstance(e.tag, str)]
    for index, element in enumerate(elements):
        candidates = [(None, element.text)] if len(element) == 0 else []
        candidates += list(element.attrib.items())
        for attribute, value in candidates:
            text = (value or "").strip()
            try:
                Decimal(text)
            except InvalidOperation:
                continue
            if text and text[0] in "+-0123456789.":
                places.append(
                    (index, attribute, etree.QName(element).localname + (f"/@{attribute}" if attribute else ""))
                )
    return places


def with_value(data: bytes, index: int, attribute: str | None, value: str) -> bytes:
    root = etree.fromstring(data)
    element = [e for e in root.iter() if isinstance(e.tag, str)][index]
    if attribute is None:
        element.text = value
    else:
        element.set(attribute, value)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def non_finite(value: Any, path: str = "$") -> str | None:
    """The path of the first non-finite Decimal in a result (dataclasses, sequences, dicts), or None."""
    if isinstance(value, Decimal):
        return None if value.is_finite() else path
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (list, tuple)):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        found = non_finite(item, f"{path}.{key}")
        if found:
            return found
    return None


def params() -> list[object]:
    out = []
    for reader in XML_READERS:
        if reader.name in MODEL_READERS:
            marks = [pytest.mark.xfail(strict=True, reason=XFAIL[reader.name])] if reader.name in XFAIL else []
            out.append(pytest.param(reader, id=reader.name, marks=marks))
    return out


@pytest.mark.parametrize("reader", params())
def test_unusable_numbers_are_refused_with_their_place(reader: Reader):
    problems = []
    tried = 0
    for sample in samples(reader.family):
        for index, attribute, name in numeric_places(sample):
            for value in BAD_NUMBERS:
                tried += 1
                data = with_value(sample, index, attribute, value)
                try:
                    result = reader.call(data, SOURCE)
                except DocumentError as exc:
                    if SOURCE not in str(exc) or (exc.line is None and exc.path is None):
                        problems.append(f"{value!r} in {name}: unlocated: {exc}")
                    continue
                except Exception as exc:  # the defect this test looks for
                    problems.append(f"{value!r} in {name}: {type(exc).__name__}: {exc}")
                    continue
                where = non_finite(result)
                if where:
                    problems.append(f"{value!r} in {name}: accepted as {where}")
    assert tried > 20, "the samples hold too few numbers to prove anything"
    assert not problems, f"{len(problems)} of {tried}:\n" + "\n".join(problems[:15])
