"""KID check digit MOD11, as Nets defines it (OCR giro system manual §5, AvtaleGiro spec §4).

Weights 2, 3, 4, 5, 6, 7, 2, 3 … from the rightmost digit of the base; r = sum of the products
mod 11; the check digit is 11 − r, except r = 0 gives ``0`` and r = 1 gives a minus sign ``-``.
This differs from the organisation-number MOD11 (where r = 1 makes the number invalid), so
python-stdnum has no module for it and the few lines are here.

>>> calc_check_digit('12345678')
'5'
>>> calc_check_digit('0010012026006')
'-'
>>> validate('0010012026006-')
'0010012026006-'
"""

from __future__ import annotations

from itertools import cycle

from nofaktura.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from nofaktura.kid._common import MAX_LENGTH, MIN_CHECK_LENGTH, compact, passes
from nofaktura.messages import msg

__all__ = ["calc_check_digit", "checksum_remainder", "compact", "format", "is_valid", "make", "validate"]

_WEIGHTS = (2, 3, 4, 5, 6, 7)


def _digits(number: str) -> str:
    number = compact(number)
    if not number.isdigit() or not number.isascii():
        raise InvalidFormat(msg("kid.base_digits_only", number=number))
    return number


def checksum_remainder(number: str) -> int:
    """Return the weighted sum of the base digits mod 11 (1 means the check character is ``-``)."""
    number = _digits(number)
    return sum(w * int(d) for w, d in zip(cycle(_WEIGHTS), reversed(number))) % 11


def calc_check_digit(number: str) -> str:
    """Return the MOD11 check character (``0``–``9`` or ``-``) for the base digits ``number``."""
    remainder = checksum_remainder(number)
    if remainder == 0:
        return "0"
    if remainder == 1:
        return "-"
    return str(11 - remainder)


def make(number: str) -> str:
    """Return ``number`` followed by its MOD11 check character."""
    number = _digits(number)
    return number + calc_check_digit(number)


def validate(number: str) -> str:
    """Check a MOD11 KID and return it compacted; raise a ``ValidationError`` subclass if it is not one."""
    number = compact(number)
    base, check = number[:-1], number[-1:]
    if not (base.isdigit() and base.isascii()) or not (check == "-" or (check.isdigit() and check.isascii())):
        raise InvalidFormat(msg("kid.mod11_digits_only", number=number))
    if not MIN_CHECK_LENGTH <= len(number) <= MAX_LENGTH:
        raise InvalidLength(
            msg("kid.length_range", low=MIN_CHECK_LENGTH, high=MAX_LENGTH, kid=number, length=len(number))
        )
    if calc_check_digit(base) != check:
        raise InvalidChecksum(msg("kid.mod11_check_digit"))
    return number


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid MOD11 KID; never raises."""
    return passes(validate, number)


def format(number: str) -> str:
    """Return the KID as it is printed on a giro: compact, without grouping."""
    return compact(number)
