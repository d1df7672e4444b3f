"""Limits and the cleaning step shared by the KID check-digit modules.

The numbers come from the Nets OCR giro system manual (field 13 of the amount item: 25 positions,
right-aligned, blank padded) and from Mastercard Payment Services (ex-Nets), which says a KID is 4 to
25 digits and must match the agreement. Other sources allow 2 or 3 digits, so *checking* a KID
accepts 2–25 characters (rejecting a valid vendor KID is worse than accepting an odd one), while a
*layout* we issue must be 4–25 (see ``layout.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from stdnum.util import clean

from nofaktura.exceptions import ValidationError

__all__ = ["MAX_LENGTH", "MIN_CHECK_LENGTH", "MIN_LAYOUT_LENGTH", "compact", "passes"]

#: Longest KID, check digit included (OCR giro field 13, AvtaleGiro field 9).
MAX_LENGTH = 25
#: Shortest KID we accept when checking a number somebody else issued.
MIN_CHECK_LENGTH = 2
#: Shortest KID layout we let a company configure (Mastercard Payment Services: 4–25).
MIN_LAYOUT_LENGTH = 4


def compact(number: str) -> str:
    """Remove the spaces payers type and OCR fields pad with; keep everything else for validation."""
    return clean(str(number), " ").strip()


def passes(validate: Callable[[str], object], number: str) -> bool:
    """Whether ``validate(number)`` accepts ``number``: the never-raising ``is_valid`` of each module."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False
