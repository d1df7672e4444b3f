"""KID layouts as a bank's OCR agreement defines them.

An OCR giro / AvtaleGiro agreement fixes, per bank account, the total KID length (4–25 with the
check digit), the algorithm (MOD10 or MOD11) and — by the payee's own choice, which Mastercard
Payment Services recommends — a composition: an optional fixed prefix, a customer-number part that
stays the same for a payer, an invoice-number part, and the check digit::

    [prefix][customer number][invoice number][check]
     fixed   zero-padded      zero-padded      1

``build`` never truncates: a number too long for its part raises ``LayoutOverflow``, because a
cut-off number is a KID that matches the wrong invoice.

>>> layout = KidLayout(length=14, algorithm='mod10', customer_digits=6, invoice_digits=7)
>>> layout.build(12345, 1001)
'01234500010016'
>>> layout.parse('01234500010016')
KidParts(prefix='', customer_number='012345', invoice_number='0001001', check_digit='6')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nofaktura.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    LayoutError,
    LayoutOverflow,
    ValidationError,
)
from nofaktura.kid._common import MAX_LENGTH, MIN_LAYOUT_LENGTH, compact
from nofaktura.kid.algorithm import Algorithm, module_for
from nofaktura.messages import msg

__all__ = ["KidLayout", "KidParts"]


@dataclass(frozen=True)
class KidParts:
    """The parts of a KID read through a layout; numbers keep their zero padding (``int()`` them)."""

    prefix: str
    customer_number: str
    invoice_number: str
    check_digit: str


def _is_digits(value: str) -> bool:
    return value.isdigit() and value.isascii()


@dataclass(frozen=True)
class KidLayout:
    """One KID structure of an OCR agreement. Inconsistent settings raise ``LayoutError`` at creation.

    ``length`` counts every character including the prefix and the check digit, and must equal
    ``len(prefix) + customer_digits + invoice_digits + 1``: banks check the length, so a layout
    that does not add up would produce KIDs the payer's bank rejects.

    ``zero_padding`` (the usual case) left-pads each number with zeros to its part's width. Without
    it each number must already fill its part exactly (for numbering that is fixed-width itself).
    """

    length: int
    algorithm: Algorithm = Algorithm.MOD10
    customer_digits: int = 0
    invoice_digits: int = 0
    prefix: str = ""
    zero_padding: bool = field(default=True)

    def __post_init__(self) -> None:
        # Frozen: normalise through object.__setattr__, once, at construction.
        if not self.algorithm:
            raise LayoutError(msg("kid.layout_no_algorithm"))
        if not isinstance(self.algorithm, Algorithm):
            module_for(self.algorithm)  # raises LayoutError for an unknown name
            object.__setattr__(self, "algorithm", Algorithm(str(self.algorithm).lower()))
        object.__setattr__(self, "prefix", compact(self.prefix or ""))
        for name in ("length", "customer_digits", "invoice_digits"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise LayoutError(msg("kid.layout_not_whole", name=name, value=value))
        if not MIN_LAYOUT_LENGTH <= self.length <= MAX_LENGTH:
            raise LayoutError(
                msg("kid.layout_total_length", low=MIN_LAYOUT_LENGTH, high=MAX_LENGTH, length=self.length)
            )
        if self.prefix and not _is_digits(self.prefix):
            raise LayoutError(msg("kid.layout_prefix_digits", prefix=self.prefix))
        if self.customer_digits + self.invoice_digits < 1:
            raise LayoutError(msg("kid.layout_empty_parts"))
        parts = len(self.prefix) + self.customer_digits + self.invoice_digits + 1
        if parts != self.length:
            raise LayoutError(msg(
                "kid.layout_sum", prefix=len(self.prefix), customer=self.customer_digits,
                invoice=self.invoice_digits, parts=parts, length=self.length,
            ))

    # -- building -------------------------------------------------------------------------------

    def _part(self, name: str, value: int | str | None, width: int) -> str:
        # ``name`` is a catalogue message, so the errors below read "kundenummer" in Bokmål.
        if width == 0:
            if value not in (None, "", 0, "0"):
                raise LayoutOverflow(msg("kid.layout_no_part", name=name, value=value))
            return ""
        if value is None:
            raise LayoutError(msg("kid.layout_needs", name=name))
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise InvalidFormat(msg("kid.part_not_whole", name=name, value=value))
        text = str(value).strip()
        if not _is_digits(text):
            raise InvalidFormat(msg("kid.part_not_whole_positive", name=name, value=value))
        if len(text) > width:
            # Leading zeros the caller added may be dropped; significant digits never are.
            significant = text.lstrip("0") or "0"
            if len(significant) > width:
                raise LayoutOverflow(
                    msg("kid.part_overflow", name=name, value=significant, digits=len(significant), width=width)
                )
            text = significant
        if len(text) < width:
            if not self.zero_padding:
                raise LayoutError(msg("kid.part_no_padding", name=name, value=text, width=width))
            text = text.zfill(width)
        return text

    def build(self, customer_number: int | str | None, invoice_number: int | str | None) -> str:
        """Return the KID for a customer number and an invoice number; raise rather than truncate."""
        base = (
            self.prefix
            + self._part(msg("kid.part_customer"), customer_number, self.customer_digits)
            + self._part(msg("kid.part_invoice"), invoice_number, self.invoice_digits)
        )
        return module_for(self.algorithm).make(base)

    def max_customer_number(self) -> int:
        """The largest customer number this layout can hold (0 when it has no customer part)."""
        return 10**self.customer_digits - 1

    def max_invoice_number(self) -> int:
        """The largest invoice number this layout can hold (0 when it has no invoice part)."""
        return 10**self.invoice_digits - 1

    # -- reading --------------------------------------------------------------------------------

    def validate(self, kid: str) -> str:
        """Check that ``kid`` follows this layout (length, prefix, check digit); return it compacted."""
        kid = compact(kid)
        module = module_for(self.algorithm)
        if len(kid) != self.length:
            if not (_is_digits(kid[:-1]) or kid[:-1] == "") or not kid:
                raise InvalidFormat(msg("kid.digits_only", kid=kid))
            raise InvalidLength(msg("kid.wrong_length", kid=kid, length=len(kid), expected=self.length))
        kid = module.validate(kid)
        if not kid.startswith(self.prefix):
            raise InvalidComponent(msg("kid.wrong_prefix", kid=kid, prefix=self.prefix))
        return kid

    def is_valid(self, kid: str) -> bool:
        """Whether ``kid`` follows this layout; never raises."""
        try:
            return bool(self.validate(kid))
        except ValidationError:
            return False

    def parse(self, kid: str) -> KidParts:
        """Split a valid KID into its parts; raise a ``ValidationError`` subclass when it does not fit."""
        kid = self.validate(kid)
        start = len(self.prefix)
        middle = start + self.customer_digits
        return KidParts(
            prefix=self.prefix,
            customer_number=kid[start:middle],
            invoice_number=kid[middle:-1],
            check_digit=kid[-1],
        )
