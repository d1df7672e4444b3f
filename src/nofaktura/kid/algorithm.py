"""Which check-digit algorithm a KID uses, and checking a KID when nobody told us.

A bank's OCR agreement fixes MOD10 or MOD11 for the KIDs *we* issue. A vendor's KID on a bill
comes without that information, so :func:`satisfied_algorithms` says which algorithms it passes
and :func:`validate` with ``algorithm=None`` accepts a KID that passes any of them.

>>> sorted(satisfied_algorithms('123456782'))
[<Algorithm.MOD10: 'mod10'>]
>>> validate('123456785')
'123456785'
"""

from __future__ import annotations

from enum import Enum
from types import ModuleType

from nofaktura.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, LayoutError, ValidationError
from nofaktura.kid import mod10, mod11
from nofaktura.kid._common import MAX_LENGTH, MIN_CHECK_LENGTH, compact
from nofaktura.messages import msg

__all__ = [
    "Algorithm",
    "check_format",
    "is_valid",
    "looks_like_kid",
    "module_for",
    "satisfied_algorithms",
    "validate",
]


class Algorithm(str, Enum):
    """The check-digit algorithms Nets defines for KID."""

    #: Luhn: weights 2,1,2,1… and digit sums; check digit 0–9.
    MOD10 = "mod10"
    #: Weights 2..7 repeated; remainder 1 gives the check character ``-``.
    MOD11 = "mod11"

    def __str__(self) -> str:
        return self.value


_MODULES: dict[Algorithm, ModuleType] = {Algorithm.MOD10: mod10, Algorithm.MOD11: mod11}


def module_for(algorithm: Algorithm | str) -> ModuleType:
    """Return the check-digit module (``mod10`` or ``mod11``) for ``algorithm``.

    An unknown name is a configuration mistake, not an invalid KID, so it raises ``LayoutError``
    (which ``is_valid`` does not swallow).
    """
    try:
        return _MODULES[Algorithm(str(algorithm).lower())]
    except ValueError:
        raise LayoutError(
            msg("kid.unknown_algorithm", algorithm=algorithm, choices=", ".join(a.value for a in Algorithm))
        ) from None


def check_format(kid: str) -> str:
    """Check what every KID shares (digits, an optional final ``-``, 2–25 characters); return it compacted.

    This is the line between "not a KID at all" (unusable input) and "a KID whose check digit is
    wrong" (checked and invalid), which the command line reports with different exit codes.
    """
    kid = compact(kid)
    base, check = kid[:-1], kid[-1:]
    if not check or not (base.isdigit() or base == "") or not base.isascii() or not (
        check == "-" or (check.isdigit() and check.isascii())
    ):
        raise InvalidFormat(msg("kid.digits_only", kid=kid))
    if not MIN_CHECK_LENGTH <= len(kid) <= MAX_LENGTH:
        raise InvalidLength(msg("kid.length_range", low=MIN_CHECK_LENGTH, high=MAX_LENGTH, kid=kid, length=len(kid)))
    return kid


def looks_like_kid(reference: str | None) -> bool:
    """Whether a payment reference is *meant* as a KID: digits (spaces allowed), the last may be ``-``.

    A vendor's payment reference can be a KID or a free message ("Faktura 2026-17"); only the
    first should be checked, and flagged when its check digit is wrong. Length is not looked at:
    a KID with a wrong length is still a (wrong) KID.
    """
    text = compact(reference or "")
    base = text[:-1] if text.endswith("-") else text
    return bool(base) and base.isdigit() and base.isascii()


def satisfied_algorithms(kid: str) -> set[Algorithm]:
    """Return the algorithms whose check digit ``kid`` carries; empty when none (or not a KID)."""
    return {algorithm for algorithm, module in _MODULES.items() if module.is_valid(kid)}


def validate(kid: str, algorithm: Algorithm | str | None = None) -> str:
    """Check ``kid`` with ``algorithm``, or with any algorithm when it is ``None``; return it compacted."""
    if algorithm is not None:
        return module_for(algorithm).validate(kid)
    kid = check_format(kid)
    if not satisfied_algorithms(kid):
        raise InvalidChecksum(msg("kid.no_valid_check_digit", kid=kid))
    return kid


def is_valid(kid: str, algorithm: Algorithm | str | None = None) -> bool:
    """Whether ``kid`` is valid (with ``algorithm``, or with any when ``None``); never raises."""
    try:
        return bool(validate(kid, algorithm))
    except ValidationError:
        return False
