"""XPath 2.0 semantics the CEN EN 16931 schematron relies on, in Python, exactly.

The official rules are XSLT 2.0 schematron. Most tests translate to XPath 1.0 (lxml evaluates
those in C), but a few need what XPath 1.0 has not: ``xs:decimal`` arithmetic (no binary floating
point), XPath 2.0 ``round`` (half *towards positive infinity*: ``round(-2.5) = -2``) and
``xs:date``. Those tests are Python callables built from the helpers here.

Where the official XSLT would stop with a dynamic error (an amount that is not an ``xs:decimal``,
two values where one is expected), the document is broken anyway; our callables then report the
rule as failed instead of raising (:func:`decimal_test`), so validation never raises.

>>> xround(Decimal("-2.5")), xround(Decimal("2.5")), round2(Decimal("1.005"))
(Decimal('-2'), Decimal('3'), Decimal('1.01'))
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Callable
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from lxml import etree

from nofaktura.ehf.namespaces import NSMAP
from nofaktura.ehf.rules.engine import Document, Flag, Rule

__all__ = [
    "CastError",
    "decimal_test",
    "normalize_space",
    "one",
    "one_decimal",
    "round2",
    "rule",
    "string_value",
    "to_date",
    "to_decimal",
    "xround",
]

_XML_SPACE = re.compile(r"[ \t\r\n]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")
_HALF = Decimal("0.5")
_HUNDRED = Decimal(100)


class CastError(ValueError):
    """Where XPath 2.0 raises a dynamic error (bad cast, a sequence where one item is expected)."""


def rule(rule_id: str, flag: str, test: Any, en: str, nb: str, *terms: str) -> Rule:
    """Declare one official assert: id and flag as in the schematron, our messages, business terms."""
    return Rule(rule_id, Flag(flag), test, en, nb, tuple(terms))


def normalize_space(text: str) -> str:
    """XPath ``normalize-space``: only space, tab, CR and LF count as white space."""
    if text.isalnum():  # codes and numbers without any space: the common case, no regex needed
        return text
    return _XML_SPACE.sub(" ", text).strip(" ")


def string_value(node: etree._Element) -> str:
    """XPath string value of an element: all its descendant text."""
    if len(node) == 0:
        return node.text or ""
    return "".join(node.itertext())


_STEP = re.compile(r"([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)")


@functools.lru_cache(maxsize=512)
def _child_steps(path: str) -> tuple[str, ...] | None:
    """``a:b/c:d`` as Clark names, or None for any other ElementPath (predicates, ``//``, ``.``)."""
    steps = []
    for step in path.split("/"):
        found = _STEP.fullmatch(step)
        if found is None or found.group(1) not in NSMAP:
            return None
        steps.append(f"{{{NSMAP[found.group(1)]}}}{found.group(2)}")
    return tuple(steps)


def _children_at(node: etree._Element, steps: tuple[str, ...]) -> list[etree._Element]:
    """The elements at a path of child steps, in document order (as ``findall`` returns them)."""
    found = list(node.iterchildren(steps[0]))
    for tag in steps[1:]:
        found = [child for parent in found for child in parent.iterchildren(tag)]
    return found


def one(node: etree._Element, path: str) -> etree._Element | None:
    """The only element at ``path`` (ElementPath with the library prefixes), or None; two is an error."""
    steps = _child_steps(path)
    # Plain child paths are followed with iterchildren (in C, by Clark name): findall with a
    # namespace map costs three times as much per call, and these run once per line and rule.
    found = _children_at(node, steps) if steps is not None else node.findall(path, NSMAP)
    if len(found) > 1:
        raise CastError(f"more than one {path}")
    return found[0] if found else None


def to_decimal(text: str) -> Decimal:
    """``xs:decimal(text)``: digits with an optional sign and point; no exponent, NaN or infinity."""
    value = text.strip(" \t\r\n")
    if not _DECIMAL.fullmatch(value):
        raise CastError(f"{text!r} is not a decimal")
    return Decimal(value)


def one_decimal(node: etree._Element, path: str) -> Decimal | None:
    """``xs:decimal(path)``: None for the empty sequence."""
    found = one(node, path)
    return None if found is None else to_decimal(string_value(found))


def xround(value: Decimal) -> Decimal:
    """XPath 2.0 ``round``: to the nearest integer, halves towards positive infinity."""
    return (value + _HALF).to_integral_value(rounding=ROUND_FLOOR)


def round2(value: Decimal) -> Decimal:
    """The schematron idiom ``round(x * 10 * 10) div 100``."""
    return xround(value * _HUNDRED) / _HUNDRED


def to_date(text: str) -> tuple[_dt.date, str]:
    """``xs:date(text)`` as (date, timezone text); CastError when it is not a date."""
    found = _DATE.fullmatch(text.strip(" \t\r\n"))
    if not found:
        raise CastError(f"{text!r} is not a date")
    try:
        return _dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3))), found.group(4) or ""
    except ValueError as exc:
        raise CastError(str(exc)) from exc


def decimal_test(
    fn: Callable[[etree._Element, Document], bool],
) -> Callable[[etree._Element, Document], bool]:
    """Wrap a Python test so that an XPath dynamic error (CastError) counts as the rule failing."""

    @functools.wraps(fn)
    def test(node: etree._Element, doc: Document) -> bool:
        try:
            return bool(fn(node, doc))
        except CastError:
            return False

    return test
