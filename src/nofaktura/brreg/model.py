"""What the Enhetsregisteret says about a unit, as plain values an invoicing system can act on.

The register answers HAL JSON (``../shared/corpora/brreg/NOTES.md``). Almost every field is optional and
absent keys are normal, address lines may hold ``null`` or ``""``, empty dates come as ``""``. This module
turns one answer into a frozen :class:`Unit` and a search answer into a :class:`SearchPage`, and refuses
(with :class:`~nofaktura.exceptions.RegistryUnavailable`) an answer whose *required* parts are missing or of
the wrong type — a half-read unit must never be written onto a company or a partner.

Why the flags matter to invoicing: a deleted, bankrupt or dissolving counterparty is a credit risk and an
invoice to it goes to a bankruptcy estate or nowhere; a seller's VAT number (``NO<orgnr>MVA``) may only be
printed when the seller is in the VAT register; "Foretaksregisteret" must be printed on invoices of
enterprises registered there (foretaksregisterloven § 10-2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nofaktura.exceptions import RegistryUnavailable
from nofaktura.messages import msg

__all__ = ["Address", "Code", "SearchPage", "Unit", "parse_search", "parse_unit"]

_ORGNR = re.compile(r"^\d{9}$")

#: Reason codes of :meth:`Unit.problems`, in the order a person should read them.
DELETED = "deleted"
BANKRUPT = "bankrupt"
LIQUIDATION = "liquidation"
FORCED_DISSOLUTION = "forced_dissolution"
CLOSED = "closed"


@dataclass(frozen=True)
class Code:
    """A coded value with its Norwegian description (organisation form, NACE business code, sector)."""

    code: str
    description: str = ""


@dataclass(frozen=True)
class Address:
    """A business (``forretningsadresse``/``beliggenhetsadresse``) or postal address; empty lines dropped."""

    lines: tuple[str, ...] = ()
    postcode: str = ""
    city: str = ""
    municipality: str = ""
    municipality_number: str = ""
    country_code: str = ""
    country: str = ""


@dataclass(frozen=True)
class Unit:
    """One main unit (*enhet*) or sub-unit (*underenhet*) of the Enhetsregisteret.

    ``is_subunit`` units are establishments, not legal persons: invoice ``parent_orgnr`` instead.
    ``raw`` is the decoded answer, kept so a cache can store it and :func:`parse_unit` it again.
    """

    orgnr: str
    name: str
    form: Code
    is_subunit: bool = False
    parent_orgnr: str | None = None
    business_address: Address | None = None
    postal_address: Address | None = None
    vat_registered: bool = False
    enterprise_registered: bool = False
    business_codes: tuple[Code, ...] = ()
    sector: Code | None = None
    bankrupt: bool = False
    bankrupt_date: date | None = None
    under_liquidation: bool = False
    liquidation_date: date | None = None
    forced_dissolution: bool = False
    forced_dissolution_dates: tuple[date, ...] = ()
    deleted_date: date | None = None
    closed_date: date | None = None
    registered_date: date | None = None
    founded_date: date | None = None
    employees: int | None = None
    website: str = ""
    email: str = ""
    phone: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def deleted(self) -> bool:
        return self.deleted_date is not None

    @property
    def vat_number(self) -> str | None:
        """``NO<orgnr>MVA`` when the unit is in the VAT register, else ``None``."""
        return f"NO{self.orgnr}MVA" if self.vat_registered else None

    @property
    def business_code(self) -> Code | None:
        """The main NACE code (``naeringskode1``)."""
        return self.business_codes[0] if self.business_codes else None

    def problems(self, today: date | None = None) -> tuple[str, ...]:
        """Why invoicing this unit needs a second look: reason codes ``deleted``, ``bankrupt``,
        ``liquidation``, ``forced_dissolution``, ``closed`` (a sub-unit whose ``nedleggelsesdato`` is past
        ``today``; without ``today`` any closing date counts). Empty when all is well."""
        found = []
        if self.deleted:
            found.append(DELETED)
        if self.bankrupt:
            found.append(BANKRUPT)
        if self.under_liquidation:
            found.append(LIQUIDATION)
        if self.forced_dissolution:
            found.append(FORCED_DISSOLUTION)
        if self.closed_date and (today is None or self.closed_date <= today):
            found.append(CLOSED)
        return tuple(found)


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: ``number`` is 0-based, as the register counts."""

    units: tuple[Unit, ...]
    number: int
    size: int
    total: int
    total_pages: int

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.total_pages


def _malformed(what: str) -> RegistryUnavailable:
    return RegistryUnavailable(msg("brreg.malformed", what=what))


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _malformed(f"{key} is not text")
    return value.strip()


def _bool(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _malformed(f"{key} is not true/false")
    return value


def _date(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise _malformed(f"{key} is not a date")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise _malformed(f"{key} {value!r} is not a date") from exc


def _code(data: Mapping[str, Any], key: str) -> Code | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _malformed(f"{key} is not an object")
    code = _str(value, "kode")
    return Code(code, _str(value, "beskrivelse")) if code else None


def _address(data: Mapping[str, Any], key: str) -> Address | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _malformed(f"{key} is not an object")
    lines = value.get("adresse") or []
    if not isinstance(lines, list) or not all(line is None or isinstance(line, str) for line in lines):
        raise _malformed(f"{key}.adresse is not a list of lines")
    return Address(
        lines=tuple(line.strip() for line in lines if line and line.strip()),
        postcode=_str(value, "postnummer"),
        city=_str(value, "poststed"),
        municipality=_str(value, "kommune"),
        municipality_number=_str(value, "kommunenummer"),
        country_code=_str(value, "landkode").upper(),
        country=_str(value, "land"),
    )


_FORCED_DATES = (
    "tvangsopplostPgaManglendeDagligLederDato",
    "tvangsopplostPgaManglendeRevisorDato",
    "tvangsopplostPgaManglendeRegnskapDato",
    "tvangsopplostPgaMangelfulltStyreDato",
    "tvangsavvikletPgaManglendeSlettingDato",
)


def parse_unit(data: Any, *, subunit: bool | None = None) -> Unit:
    """Read one unit from a decoded answer. ``subunit`` forces the kind; by default a unit with
    ``beliggenhetsadresse`` or a BEDR/AAFY form is a sub-unit. Raises RegistryUnavailable when the
    answer lacks a 9-digit ``organisasjonsnummer``, a ``navn`` or an ``organisasjonsform``."""
    if not isinstance(data, Mapping):
        raise _malformed("the unit is not an object")
    orgnr = _str(data, "organisasjonsnummer")
    if not _ORGNR.match(orgnr):
        raise _malformed(f"organisasjonsnummer {orgnr!r}")
    name = _str(data, "navn")
    form = _code(data, "organisasjonsform")
    if not name or form is None:
        raise _malformed(f"unit {orgnr} has no name or organisation form")
    if subunit is None:
        subunit = "beliggenhetsadresse" in data or form.code in ("BEDR", "AAFY")
    parent = _str(data, "overordnetEnhet") or None
    if parent is not None and not _ORGNR.match(parent):
        raise _malformed(f"overordnetEnhet {parent!r}")
    employees = data.get("antallAnsatte")
    if employees is not None and (isinstance(employees, bool) or not isinstance(employees, int)):
        raise _malformed("antallAnsatte is not a number")
    codes = tuple(c for c in (_code(data, f"naeringskode{i}") for i in (1, 2, 3)) if c is not None)
    return Unit(
        orgnr=orgnr,
        name=name,
        form=form,
        is_subunit=subunit,
        parent_orgnr=parent,
        business_address=_address(data, "beliggenhetsadresse" if subunit else "forretningsadresse"),
        postal_address=_address(data, "postadresse"),
        vat_registered=_bool(data, "registrertIMvaregisteret"),
        enterprise_registered=_bool(data, "registrertIForetaksregisteret"),
        business_codes=codes,
        sector=_code(data, "institusjonellSektorkode"),
        bankrupt=_bool(data, "konkurs"),
        bankrupt_date=_date(data, "konkursdato"),
        under_liquidation=_bool(data, "underAvvikling"),
        liquidation_date=_date(data, "underAvviklingDato"),
        forced_dissolution=_bool(data, "underTvangsavviklingEllerTvangsopplosning"),
        forced_dissolution_dates=tuple(d for d in (_date(data, k) for k in _FORCED_DATES) if d),
        deleted_date=_date(data, "slettedato"),
        closed_date=_date(data, "nedleggelsesdato"),
        registered_date=_date(data, "registreringsdatoEnhetsregisteret"),
        founded_date=_date(data, "stiftelsesdato") or _date(data, "oppstartsdato"),
        employees=employees,
        website=_str(data, "hjemmeside"),
        email=_str(data, "epostadresse"),
        phone=_str(data, "telefon") or _str(data, "mobil"),
        raw=dict(data),
    )


def parse_search(data: Any, *, subunits: bool = False) -> SearchPage:
    """Read a search answer. ``_embedded`` is absent when nothing matched (NOTES.md)."""
    if not isinstance(data, Mapping):
        raise _malformed("the search answer is not an object")
    key = "underenheter" if subunits else "enheter"
    embedded = data.get("_embedded") or {}
    if not isinstance(embedded, Mapping):
        raise _malformed("_embedded is not an object")
    items = embedded.get(key) or []
    if not isinstance(items, list):
        raise _malformed(f"_embedded.{key} is not a list")
    page = data.get("page") or {}
    if not isinstance(page, Mapping):
        raise _malformed("page is not an object")
    numbers = {}
    for name in ("number", "size", "totalElements", "totalPages"):
        value = page.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _malformed(f"page.{name} is not a count")
        numbers[name] = value
    return SearchPage(
        units=tuple(parse_unit(item, subunit=subunits) for item in items),
        number=numbers["number"],
        size=numbers["size"],
        total=numbers["totalElements"],
        total_pages=numbers["totalPages"],
    )
