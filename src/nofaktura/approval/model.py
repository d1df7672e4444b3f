"""The approval matrix and the bill it routes: frozen dataclasses, Decimal amounts, plain dates.

Norwegian practice (DFØ, "budsjettdisponeringsmyndighet") splits the control of a purchase bill
in two roles: the *attestant* confirms that the goods or service were received as ordered and that
the price and coding are right; the *anviser* (budget authority) approves the spend. Authority is
delegated person by person with amount limits, and larger amounts need more levels of anvisning.
The matrix below is that delegation written down, for one company.

Persons are opaque hashable ids (an Odoo user id, an e-mail address, …): the library never needs
to know more about them than equality.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from nofaktura.exceptions import NofakturaError

Person = Hashable


def is_nb(lang: str) -> bool:
    """Whether ``lang`` asks for Norwegian bokmål (``nb``, ``nb_NO``, ``nb-NO``)."""
    return lang == "nb" or lang.startswith(("nb_", "nb-"))


class Text(str):
    """An English text that also carries its Norwegian bokmål version.

    It *is* the English ``str``, so library users and existing comparisons see no change, while an
    ERP shows ``text(lang)`` to its user, like ``nofaktura.ehf.rules.engine.Finding.text``.
    """

    nb: str

    def __new__(cls, en: str, nb: str) -> Text:
        obj = super().__new__(cls, en)
        obj.nb = nb
        return obj

    def text(self, lang: str = "en") -> str:
        """The text in ``lang`` (``nb``/``nb_NO`` for bokmål, anything else English), as a plain str."""
        return str(self.nb) if is_nb(lang) and self.nb else str.__str__(self)

    def __reduce__(self) -> tuple[type[Text], tuple[str, str]]:
        return (Text, (str.__str__(self), self.nb))


NO_TEXT = Text("", "")


class ApprovalError(NofakturaError, ValueError):
    """The matrix or the bill is not usable for routing. Raise a subclass.

    Raise it with a :class:`Text` so the user sees the reason in their language: ``str(exc)`` stays
    English for library users, ``exc.text("nb")`` is bokmål.
    """

    message = "The approval matrix or the bill is not valid."
    message_nb = "Godkjenningsmatrisen eller fakturaen er ikke gyldig."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(str.__str__(message) if message else None)
        if message:
            self.message_nb = message.nb if isinstance(message, Text) else ""

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``nb``/``nb_NO`` for bokmål, anything else English)."""
        return self.message_nb if is_nb(lang) and self.message_nb else self.message


class MatrixError(ApprovalError):
    """The approval matrix contradicts itself (negative limit, level without role, …)."""

    message = "The approval matrix is not valid."
    message_nb = "Godkjenningsmatrisen er ikke gyldig."


class NotEligible(ApprovalError):
    """A person tried to act on a step they may not act on; ``reason`` says why."""

    message = "This person may not act on this approval step."
    message_nb = "Denne personen kan ikke behandle dette godkjenningstrinnet."


class Role(str, Enum):
    """The two Norwegian roles, in the order a bill meets them."""

    ATTEST = "attest"
    ANVIS = "anvis"


def _amount(value: Decimal | None, what: Text) -> None:
    if value is None:
        return
    if isinstance(value, float) or not isinstance(value, Decimal):
        kind = type(value).__name__
        raise MatrixError(Text(f"{what} must be a Decimal, not {kind}.", f"{what.nb} må være en Decimal, ikke {kind}."))
    if value < 0:
        raise MatrixError(
            Text(f"{what} cannot be negative ({value}).", f"{what.nb} kan ikke være under null ({value}).")
        )


@dataclass(frozen=True, kw_only=True)
class Level:
    """One step of the route: a role at a level, present when the amount is above ``above``.

    The Norwegian preset is attest (level 1, from 0) and anvis (level 1, from 0); an amount band
    adds a second anvis level above e.g. NOK 100 000, so that a bigger spend has two anvisers.
    """

    role: Role
    level: int = 1
    above: Decimal = Decimal(0)
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.role, Role):
            raise MatrixError(
                Text(
                    f"Level role must be a Role, not {self.role!r}.",
                    f"Rollen til et nivå må være en Role, ikke {self.role!r}.",
                )
            )
        if self.level < 1:
            raise MatrixError(
                Text(f"Level numbers start at 1, not {self.level}.", f"Nivånumre starter på 1, ikke {self.level}.")
            )
        _amount(self.above, Text("The amount a level starts above", "Beløpet et nivå starter over"))

    @property
    def label(self) -> str:
        """The name to show: the configured one, else e.g. ``anvis 2``."""
        return self.name or f"{self.role.value} {self.level}"


@dataclass(frozen=True, kw_only=True)
class Authority:
    """A person's delegated authority: a role at one level, with an amount limit (None = no limit).

    Levels are exact: a CFO who anvises both ordinary bills and the band above NOK 100 000 holds
    two authorities (level 1 and level 2). That keeps "the next level up" meaningful for escalation.
    """

    person: Person
    role: Role
    level: int = 1
    limit: Decimal | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.role, Role):
            raise MatrixError(
                Text(
                    f"Authority role must be a Role, not {self.role!r}.",
                    f"Rollen til en fullmakt må være en Role, ikke {self.role!r}.",
                )
            )
        if self.level < 1:
            raise MatrixError(
                Text(
                    f"Authority levels start at 1, not {self.level}.",
                    f"Fullmaktsnivåer starter på 1, ikke {self.level}.",
                )
            )
        _amount(self.limit, Text(f"The limit of {self.person!r}", f"Beløpsgrensen til {self.person!r}"))


@dataclass(frozen=True, kw_only=True)
class AttestantRule:
    """Who attests bills of a vendor (``vendor`` set) or of a dimension value (``dimension``+``value``).

    A dimension is what the bill is coded to: a department, a project (whose leader attests), a
    cost centre. Exactly one of the two keys is given.
    """

    person: Person
    vendor: Hashable | None = None
    dimension: str | None = None
    value: Hashable | None = None

    def __post_init__(self) -> None:
        by_vendor = self.vendor is not None
        by_dimension = self.dimension is not None or self.value is not None
        if by_vendor == by_dimension:
            raise MatrixError(
                Text(
                    "An attestant rule names either a vendor or a dimension and value, not both.",
                    "En attestantregel angir enten en leverandør eller en dimensjon og verdi, ikke begge.",
                )
            )
        if by_dimension and (self.dimension is None or self.value is None):
            raise MatrixError(
                Text(
                    "A dimension attestant rule needs both the dimension and its value.",
                    "En attestantregel for en dimensjon trenger både dimensjonen og verdien.",
                )
            )


@dataclass(frozen=True, kw_only=True)
class Substitution:
    """``substitute`` acts for ``person`` from ``start`` to ``end`` inclusive (stedfortreder)."""

    person: Person
    substitute: Person
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.person == self.substitute:
            raise MatrixError(
                Text("A person cannot be their own substitute.", "En person kan ikke være sin egen stedfortreder.")
            )
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise MatrixError(
                Text(
                    "A substitution's start and end are dates.",
                    "Start og slutt for en stedfortrederperiode må være datoer.",
                )
            )
        if self.end < self.start:
            raise MatrixError(
                Text(
                    f"A substitution cannot end ({self.end}) before it starts ({self.start}).",
                    f"En stedfortrederperiode kan ikke slutte ({self.end}) før den starter ({self.start}).",
                )
            )

    def covers(self, today: date) -> bool:
        """Whether the substitution is in force on ``today``."""
        return self.start <= today <= self.end


@dataclass(frozen=True, kw_only=True)
class Matrix:
    """One company's approval matrix.

    ``company_limit`` caps every personal limit: no delegation can exceed what the board delegated
    to the company's management. ``escalate_after_days``: a step nobody acted on for that many days
    is opened to the persons holding authority at a higher level as well.
    """

    levels: tuple[Level, ...]
    authorities: tuple[Authority, ...] = ()
    attestant_rules: tuple[AttestantRule, ...] = ()
    substitutions: tuple[Substitution, ...] = ()
    company_limit: Decimal | None = None
    escalate_after_days: int | None = None

    def __post_init__(self) -> None:
        roles = [level.role for level in self.levels]
        if Role.ATTEST not in roles or Role.ANVIS not in roles:
            raise MatrixError(
                Text(
                    "A matrix needs at least one attest level and one anvis level.",
                    "En matrise trenger minst ett attestasjonsnivå og ett anvisningsnivå.",
                )
            )
        keys = [(level.role, level.level) for level in self.levels]
        if len(set(keys)) != len(keys):
            raise MatrixError(
                Text(
                    "Each role and level appears once in a matrix.",
                    "Hver kombinasjon av rolle og nivå kan bare forekomme én gang i en matrise.",
                )
            )
        _amount(self.company_limit, Text("The company limit", "Selskapets grense"))
        if self.escalate_after_days is not None and self.escalate_after_days < 1:
            raise MatrixError(
                Text("Escalation happens after at least one day.", "Eskalering skjer tidligst etter én dag.")
            )


@dataclass(frozen=True, kw_only=True)
class Bill:
    """What routing needs to know about a vendor bill.

    ``amount`` is the total in the company currency (limits are in it); ``currency`` is the bill's
    own, kept for messages. ``beneficiaries`` are the persons the bill pays or benefits (the vendor
    is their own partner or employee record): they may not act on it, nor may ``registered_by``.
    ``attestant`` is the attestant the bill's coding chose, if any; it wins over the matrix rules.
    """

    amount: Decimal
    currency: str = "NOK"
    vendor: Hashable | None = None
    dimensions: tuple[tuple[str, Hashable], ...] = ()
    registered_by: Person | None = None
    beneficiaries: frozenset[Person] = field(default_factory=frozenset)
    attestant: Person | None = None

    def __post_init__(self) -> None:
        if isinstance(self.amount, float) or not isinstance(self.amount, Decimal):
            kind = type(self.amount).__name__
            raise ApprovalError(
                Text(
                    f"The bill amount must be a Decimal, not {kind}.",
                    f"Fakturabeløpet må være en Decimal, ikke {kind}.",
                )
            )

    @property
    def excluded(self) -> frozenset[Person]:
        """Persons who may never act on this bill: who registered it and who benefits from it."""
        registered = {self.registered_by} if self.registered_by is not None else set()
        return frozenset(registered) | frozenset(self.beneficiaries)


@dataclass(frozen=True, kw_only=True)
class Step:
    """One computed step of a bill's route: the persons the matrix allows, and why so few.

    ``notes`` are :class:`Text`: English as str, bokmål by ``note.text("nb")``.
    """

    index: int
    level: Level
    eligible: frozenset[Person]
    notes: tuple[Text, ...] = ()

    @property
    def role(self) -> Role:
        """The step's role (attest or anvis)."""
        return self.level.role


@dataclass(frozen=True, kw_only=True)
class Actors:
    """Who may act on a step today, and how that came about.

    ``reason`` is set when nobody may: it says which rule removed whom, so an administrator can
    fix the matrix instead of guessing. It is a :class:`Text` (bokmål by ``reason.text("nb")``).
    """

    persons: frozenset[Person]
    substituted: tuple[tuple[Person, Person], ...] = ()
    escalated: bool = False
    reason: Text = NO_TEXT
