"""KID (kundeidentifikasjonsnummer): check digits and OCR-agreement layouts.

- :mod:`nofaktura.kid.mod10` and :mod:`nofaktura.kid.mod11`: the two Nets check-digit algorithms,
  each with the python-stdnum API (``compact``, ``validate``, ``is_valid``, ``calc_check_digit``,
  ``format``) plus ``make`` (base + check digit).
- :class:`KidLayout`: one KID structure of a bank agreement; ``build`` / ``parse`` / ``validate``.
- :func:`validate`, :func:`is_valid`, :func:`satisfied_algorithms`: check a KID with a known
  algorithm, or — for a vendor's KID — with whichever algorithm it satisfies.

>>> from nofaktura import kid
>>> kid.make('12345678', 'mod11')
'123456785'
>>> sorted(kid.satisfied_algorithms('123456785'))
[<Algorithm.MOD11: 'mod11'>]

Sources: Nets "OCR giro – System manual" §5 and "AvtaleGiro systemspesifikasjon" §4 (the
algorithms, the 25-digit field); Mastercard Payment Services' KID page (4–25 digits, composition).
"""

from __future__ import annotations

from nofaktura.kid import mod10, mod11
from nofaktura.kid._common import MAX_LENGTH, MIN_CHECK_LENGTH, MIN_LAYOUT_LENGTH, compact
from nofaktura.kid.algorithm import (
    Algorithm,
    check_format,
    is_valid,
    looks_like_kid,
    module_for,
    satisfied_algorithms,
    validate,
)
from nofaktura.kid.layout import KidLayout, KidParts

__all__ = [
    "MAX_LENGTH",
    "MIN_CHECK_LENGTH",
    "MIN_LAYOUT_LENGTH",
    "Algorithm",
    "KidLayout",
    "KidParts",
    "calc_check_digit",
    "check_format",
    "compact",
    "is_valid",
    "looks_like_kid",
    "make",
    "mod10",
    "mod11",
    "module_for",
    "satisfied_algorithms",
    "validate",
]


def calc_check_digit(base: str, algorithm: Algorithm | str) -> str:
    """Return the check character of ``base`` with ``algorithm``."""
    return module_for(algorithm).calc_check_digit(base)


def make(base: str, algorithm: Algorithm | str) -> str:
    """Return ``base`` followed by its check character with ``algorithm``."""
    return module_for(algorithm).make(base)
