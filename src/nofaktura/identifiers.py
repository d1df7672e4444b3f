"""Norwegian business identifiers, thin over python-stdnum and schwifty.

- **Organisation number** (organisasjonsnummer, 9 digits, MOD11 from Brønnøysundregistrene):
  ``stdnum.no.orgnr``.
- **MVA number** (``NO`` + org. number + ``MVA``): ``stdnum.no.mva``, plus the ``NO`` prefix that
  EHF rule NO-R-001 requires (``stdnum.no.mva`` also accepts the number without it).
- **Account number** (kontonummer, 11 digits, MOD11): ``stdnum.no.kontonr`` restricted to 11 digits
  (it also accepts 7-digit postgiro numbers, which no longer exist), and BBAN ↔ IBAN conversion.
- **IBAN**: schwifty (structure, length and check digits per country; BIC from its bank registry).
  Not ``stdnum.iban``: it loads its country table through ``importlib.resources``, which fails inside
  Odoo 19, whose import hook wraps stdnum's loader (``Can't open orphan path``).
- **Peppol participant id**: ``0192:<orgnr>`` (ICD 0192 = Brønnøysund), also written
  ``iso6523-actorid-upis::0192:<orgnr>``.

Every family has the stdnum API (``compact_*``, ``validate_*`` returning the compact form,
``is_valid_*``, ``format_*``). stdnum's exceptions are translated to ``nofaktura.exceptions`` in
one place (:func:`_translated`), so callers catch one tree.

>>> validate_orgnr('988 077 917')
'988077917'
>>> validate_mva('988077917MVA')
'NO988077917MVA'
>>> account_number_to_iban('8601 11 17947')
'NO9386011117947'
>>> format_peppol_id('988077917')
'0192:988077917'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from stdnum import ean
from stdnum import exceptions as std_exc
from stdnum.iso7064 import mod_97_10
from stdnum.no import kontonr as std_kontonr
from stdnum.no import mva as std_mva
from stdnum.no import orgnr as std_orgnr
from stdnum.util import clean

from nofaktura.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from nofaktura.messages import msg

__all__ = [
    "PEPPOL_SCHEME",
    "PEPPOL_SCHEME_NO_ORGNR",
    "PeppolId",
    "account_number_to_iban",
    "compact_account_number",
    "compact_iban",
    "compact_mva",
    "compact_orgnr",
    "format_account_number",
    "format_iban",
    "format_mva",
    "format_orgnr",
    "format_peppol_id",
    "iban_bic",
    "iban_to_account_number",
    "is_valid_account_number",
    "is_valid_iban",
    "is_valid_mva",
    "is_valid_orgnr",
    "is_valid_peppol_id",
    "mva_from_orgnr",
    "parse_peppol_id",
    "validate_account_number",
    "validate_iban",
    "validate_mva",
    "validate_orgnr",
    "validate_peppol_id",
]

T = TypeVar("T")

# stdnum class -> ours. Order matters: InvalidLength subclasses InvalidFormat in both trees.
_STDNUM_ERRORS: tuple[tuple[type[Exception], type[ValidationError]], ...] = (
    (std_exc.InvalidLength, InvalidLength),
    (std_exc.InvalidFormat, InvalidFormat),
    (std_exc.InvalidChecksum, InvalidChecksum),
    (std_exc.InvalidComponent, InvalidComponent),
)


@contextmanager
def _translated(what: str, number: object) -> Iterator[None]:
    # ``what`` is a catalogue message ("Kontonummer" in Bokmål), the problem the class's own text.
    """Turn python-stdnum's errors into ours, naming the identifier and the value."""
    try:
        yield
    except std_exc.ValidationError as exc:
        for theirs, ours in _STDNUM_ERRORS:
            if isinstance(exc, theirs):
                raise ours(msg("id.invalid_number", what=what, number=number, problem=msg(ours.message_key))) from exc
        raise InvalidFormat(msg("id.invalid_number", what=what, number=number, problem=str(exc))) from exc


def _is_valid(validate: Callable[[str], object], number: str) -> bool:
    try:
        return bool(validate(number))
    except ValidationError:
        return False


# -- organisation number -----------------------------------------------------------------------


def compact_orgnr(number: str) -> str:
    """Remove spaces and separators from an organisation number."""
    return std_orgnr.compact(number)


def validate_orgnr(number: str) -> str:
    """Check a Norwegian organisation number (9 digits, MOD11); return it compact."""
    with _translated(msg("id.what_org"), number):
        return std_orgnr.validate(number)


def is_valid_orgnr(number: str) -> bool:
    return _is_valid(validate_orgnr, number)


def format_orgnr(number: str) -> str:
    """Return the organisation number grouped as printed: ``988 077 917``."""
    return std_orgnr.format(validate_orgnr(number))


# -- MVA number --------------------------------------------------------------------------------


def compact_mva(number: str) -> str:
    """Return the canonical ``NO<orgnr>MVA`` form without checking the check digit."""
    return "NO" + std_mva.compact(number)


def validate_mva(number: str, *, require_prefix: bool = False) -> str:
    """Check an MVA number and return it as ``NO<orgnr>MVA``.

    ``require_prefix=True`` also refuses the number without ``NO``, as EHF rule NO-R-001 does for
    the seller's VAT identifier (``stdnum.no.mva`` accepts ``988077917MVA``).
    """
    if require_prefix and not clean(str(number), " -").upper().strip().startswith("NO"):
        raise InvalidFormat(msg("id.mva_prefix", number=number))
    with _translated(msg("id.what_mva"), number):
        return "NO" + std_mva.validate(number)


def is_valid_mva(number: str, *, require_prefix: bool = False) -> bool:
    try:
        return bool(validate_mva(number, require_prefix=require_prefix))
    except ValidationError:
        return False


def format_mva(number: str) -> str:
    """Return the MVA number as printed: ``NO 988 077 917 MVA``."""
    return std_mva.format(validate_mva(number))


def mva_from_orgnr(orgnr: str) -> str:
    """Return the MVA number of a VAT-registered organisation: ``NO`` + org. number + ``MVA``."""
    return f"NO{validate_orgnr(orgnr)}MVA"


# -- account number and IBAN -------------------------------------------------------------------


def compact_account_number(number: str) -> str:
    """Remove spaces and dots from a Norwegian account number."""
    return std_kontonr.compact(number)


def validate_account_number(number: str) -> str:
    """Check a Norwegian account number (11 digits, MOD11); return it compact."""
    compact = compact_account_number(number)
    if compact.isdigit() and len(compact) != 11:
        raise InvalidLength(msg("id.account_length", number=number))
    with _translated(msg("id.what_account"), number):
        return std_kontonr.validate(number)


def is_valid_account_number(number: str) -> bool:
    return _is_valid(validate_account_number, number)


def format_account_number(number: str) -> str:
    """Return the account number grouped 4.2.5 as printed: ``8601.11.17947``."""
    return std_kontonr.format(validate_account_number(number))


def compact_iban(number: str) -> str:
    return clean(str(number), " -").upper().strip()


def _schwifty_iban(number: str):  # -> schwifty.IBAN
    from schwifty import IBAN  # noqa: PLC0415 - loaded only when an IBAN is met
    from schwifty import exceptions as sw_exc  # noqa: PLC0415

    try:
        return IBAN(compact_iban(number))
    except (sw_exc.InvalidChecksumDigits, sw_exc.InvalidBBANChecksum) as exc:
        raise InvalidChecksum(
            msg("id.invalid_number", what="IBAN", number=number, problem=msg("error.invalid_checksum"))
        ) from exc
    except sw_exc.InvalidLength as exc:
        raise InvalidLength(
            msg("id.invalid_number", what="IBAN", number=number, problem=msg("error.invalid_length"))
        ) from exc
    except sw_exc.InvalidCountryCode as exc:
        raise InvalidComponent(msg("id.iban_unknown_country", number=number)) from exc
    except sw_exc.SchwiftyException as exc:
        raise InvalidFormat(msg("id.invalid_number", what="IBAN", number=number, problem=str(exc))) from exc


def validate_iban(number: str) -> str:
    """Check an IBAN (any country); return it compact."""
    return str(_schwifty_iban(number).compact)


def is_valid_iban(number: str) -> bool:
    return _is_valid(validate_iban, number)


def format_iban(number: str) -> str:
    """Return the IBAN in groups of four: ``NO93 8601 1117 947``."""
    return str(_schwifty_iban(number).formatted)


def account_number_to_iban(number: str) -> str:
    """Convert a Norwegian account number (BBAN) to its IBAN (ISO 13616 check digits, MOD 97-10)."""
    bban = validate_account_number(number)
    # Check digits over BBAN + country letters as numbers (N=23, O=24) + "00", as ISO 13616 says.
    return f"NO{mod_97_10.calc_check_digits(bban + '2324')}{bban}"


def iban_to_account_number(number: str) -> str:
    """Convert a Norwegian IBAN to the 11-digit account number (BBAN) inside it."""
    compact = validate_iban(number)
    if not compact.startswith("NO"):
        raise InvalidComponent(msg("id.iban_not_norwegian", number=number))
    return validate_account_number(compact[4:])


def iban_bic(number: str) -> str | None:
    """Return the BIC of the IBAN's bank from schwifty's registry, or ``None`` when it is unknown."""
    bic = _schwifty_iban(number).bic
    return str(bic) if bic else None


# -- Peppol participant id ---------------------------------------------------------------------

#: ``iso6523-actorid-upis``: the identifier scheme of Peppol participant ids.
PEPPOL_SCHEME = "iso6523-actorid-upis"
#: ICD 0192: Norwegian organisation number (Enhetsregisteret).
PEPPOL_SCHEME_NO_ORGNR = "0192"

# ICD -> validator of the identifier, for the schemes we can check; others are checked for form only.
_ICD_VALIDATORS: dict[str, Callable[[str], str]] = {
    "0192": validate_orgnr,
    "9908": validate_orgnr,  # the retired Norwegian ICD, still met in old SMP registrations
    "0088": lambda value: _std(ean.validate, "GLN", value),
}


def _std(func: Callable[[str], T], what: str, value: str) -> T:
    with _translated(what, value):
        return func(value)


@dataclass(frozen=True)
class PeppolId:
    """A Peppol participant id: the ICD (``0192``) and the identifier within it."""

    icd: str
    identifier: str

    def __str__(self) -> str:
        return f"{self.icd}:{self.identifier}"

    @property
    def with_scheme(self) -> str:
        """The form SMP lookups use: ``iso6523-actorid-upis::0192:…``."""
        return f"{PEPPOL_SCHEME}::{self}"


def parse_peppol_id(value: str) -> PeppolId:
    """Read ``0192:988077917`` or ``iso6523-actorid-upis::0192:988077917`` and check it.

    Peppol ids compare case-insensitively; the result is lower-cased and compact.
    """
    text = str(value).strip()
    if "::" in text:
        scheme, _, text = text.partition("::")
        if scheme.strip().lower() != PEPPOL_SCHEME:
            raise InvalidComponent(msg("id.peppol_scheme", value=value, scheme=scheme))
    icd, sep, identifier = text.partition(":")
    icd, identifier = icd.strip(), identifier.strip().lower()
    if not sep or not (icd.isdigit() and len(icd) == 4):
        raise InvalidFormat(msg("id.peppol_format", value=value))
    if not identifier:
        raise InvalidFormat(msg("id.peppol_empty", value=value))
    validator = _ICD_VALIDATORS.get(icd)
    if validator is not None:
        identifier = validator(identifier)
    return PeppolId(icd=icd, identifier=identifier)


def validate_peppol_id(value: str) -> str:
    """Check a Peppol participant id and return it as ``<icd>:<identifier>``."""
    return str(parse_peppol_id(value))


def is_valid_peppol_id(value: str) -> bool:
    return _is_valid(validate_peppol_id, value)


def format_peppol_id(orgnr: str, *, with_scheme: bool = False) -> str:
    """Return the Peppol id of a Norwegian organisation: ``0192:<orgnr>`` (or the ``iso6523…::`` form)."""
    pid = PeppolId(PEPPOL_SCHEME_NO_ORGNR, validate_orgnr(orgnr))
    return pid.with_scheme if with_scheme else str(pid)
