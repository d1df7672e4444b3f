"""KID check digit MOD10, as Nets defines it (OCR giro system manual §5, AvtaleGiro spec §4).

Weights 2, 1, 2, 1 … from the rightmost digit of the base; the *digits* of the products are added;
the check digit is 10 minus the last digit of the sum (0 when that is 0). That is the Luhn
algorithm, so the arithmetic is python-stdnum's ``luhn`` and this module only adds the KID rules
(digits only, 2–25 characters) and our typed errors.

>>> calc_check_digit('12345678')
'2'
>>> validate('1234 5678 2')
'123456782'
>>> validate('123456783')
Traceback (most recent call last):
    ...
nofaktura.exceptions.InvalidChecksum: The KID's MOD10 check digit is not correct.
"""

from __future__ import annotations

from stdnum import luhn

from nofaktura.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from nofaktura.kid._common import MAX_LENGTH, MIN_CHECK_LENGTH, compact, passes
from nofaktura.messages import msg

__all__ = ["calc_check_digit", "compact", "format", "is_valid", "make", "validate"]


def calc_check_digit(number: str) -> str:
    """Return the MOD10 check digit for the base digits ``number`` (check digit not included)."""
    number = compact(number)
    if not number.isdigit() or not number.isascii():
        raise InvalidFormat(msg("kid.base_digits_only", number=number))
    return luhn.calc_check_digit(number)


def make(number: str) -> str:
    """Return ``number`` followed by its MOD10 check digit."""
    number = compact(number)
    return number + calc_check_digit(number)


def validate(number: str) -> str:
    """Check a MOD10 KID and return it compacted; raise a ``ValidationError`` subclass if it is not one."""
    number = compact(number)
    if not number.isdigit() or not number.isascii():
        raise InvalidFormat(msg("kid.mod10_digits_only", number=number))
    if not MIN_CHECK_LENGTH <= len(number) <= MAX_LENGTH:
        raise InvalidLength(
            msg("kid.length_range", low=MIN_CHECK_LENGTH, high=MAX_LENGTH, kid=number, length=len(number))
        )
    if calc_check_digit(number[:-1]) != number[-1]:
        raise InvalidChecksum(msg("kid.mod10_check_digit"))
    return number


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid MOD10 KID; never raises."""
    return passes(validate, number)


def format(number: str) -> str:
    """Return the KID as it is printed on a giro: compact, without grouping."""
    return compact(number)
