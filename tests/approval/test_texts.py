"""Every refusal, matrix error and routing note of the approval library exists in English and bokmål.

The Odoo addon shows ``exc.text(lang)`` / ``note.text(lang)`` to the user, so a message raised or
written with only English would reach a Norwegian user untranslated: each raising path is listed
here and checked for a real Norwegian version, while ``str()`` stays English for library users.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from nofaktura.approval import (
    ApprovalError,
    AttestantRule,
    Authority,
    Bill,
    Level,
    Matrix,
    MatrixError,
    NotEligible,
    Role,
    Substitution,
    Text,
    actors,
    check_may_act,
    preset,
    route,
)

TODAY = date(2026, 12, 3)
A, V = Role.ATTEST, Role.ANVIS
ENGLISH_WORDS = {"the", "may", "not", "nobody", "bill", "is", "was", "and", "of", "cannot", "must", "already"}


def _authorities(*names: str) -> tuple[Authority, ...]:
    return tuple(
        Authority(person=n, role=A if n.startswith("att") else V, level=2 if n.endswith("2") else 1) for n in names
    )


def _bill(**kwargs: object) -> Bill:
    return Bill(
        amount=Decimal(kwargs.pop("amount", "1000")), registered_by=kwargs.pop("registered_by", "clerk"), **kwargs
    )  # type: ignore[arg-type]


def _act(matrix: Matrix, bill: Bill, person: str, **kwargs: object) -> None:
    check_may_act(matrix, bill, route(matrix, bill), person, today=kwargs.pop("today", TODAY), **kwargs)  # type: ignore[arg-type]


ONE = preset(authorities=_authorities("att", "boss"))
AWAY = preset(
    authorities=_authorities("att", "boss"),
    substitutions=(Substitution(person="boss", substitute="deputy", start=TODAY, end=TODAY),),
)
TWO_ATTESTANTS = preset(authorities=_authorities("att", "att_b", "boss"))

RAISING: dict[str, tuple[type[ApprovalError], Callable[[], object]]] = {
    "level role": (MatrixError, lambda: Level(role="attest")),  # type: ignore[arg-type]
    "level number": (MatrixError, lambda: Level(role=A, level=0)),
    "level above not decimal": (MatrixError, lambda: Level(role=A, above=1.5)),  # type: ignore[arg-type]
    "level above negative": (MatrixError, lambda: Level(role=A, above=Decimal(-1))),
    "authority role": (MatrixError, lambda: Authority(person="x", role="anvis")),  # type: ignore[arg-type]
    "authority level": (MatrixError, lambda: Authority(person="x", role=V, level=0)),
    "authority limit negative": (MatrixError, lambda: Authority(person="x", role=V, limit=Decimal(-5))),
    "authority limit float": (MatrixError, lambda: Authority(person="x", role=V, limit=5.0)),  # type: ignore[arg-type]
    "attestant rule both": (MatrixError, lambda: AttestantRule(person="x", vendor="v", dimension="d", value=1)),
    "attestant rule half dimension": (MatrixError, lambda: AttestantRule(person="x", dimension="d")),
    "own substitute": (MatrixError, lambda: Substitution(person="x", substitute="x", start=TODAY, end=TODAY)),
    "substitution dates": (
        MatrixError,
        lambda: Substitution(person="x", substitute="y", start="2026-01-01", end=TODAY),
    ),  # type: ignore[arg-type]
    "substitution backwards": (
        MatrixError,
        lambda: Substitution(person="x", substitute="y", start=TODAY, end=date(2026, 1, 1)),
    ),
    "matrix roles": (MatrixError, lambda: Matrix(levels=(Level(role=A),))),
    "matrix duplicate level": (MatrixError, lambda: Matrix(levels=(Level(role=A), Level(role=V), Level(role=V)))),
    "company limit": (MatrixError, lambda: preset(company_limit=Decimal(-1))),
    "escalation days": (MatrixError, lambda: preset(escalate_after_days=0)),
    "bill amount": (ApprovalError, lambda: Bill(amount=100.0)),  # type: ignore[arg-type]
    "fully approved": (NotEligible, lambda: _act(ONE, _bill(), "boss", acted={0: "att", 1: "boss"})),
    "own bill registered": (NotEligible, lambda: _act(ONE, _bill(registered_by="boss"), "boss", acted={0: "att"})),
    "own bill beneficiary": (
        NotEligible,
        lambda: _act(ONE, _bill(beneficiaries=frozenset({"boss"})), "boss", acted={0: "att"}),
    ),
    "four eyes": (NotEligible, lambda: _act(ONE, _bill(), "att", acted={0: "att"})),
    "away": (NotEligible, lambda: _act(AWAY, _bill(), "boss", acted={0: "att"})),
    "forwarded": (NotEligible, lambda: _act(TWO_ATTESTANTS, _bill(), "att", acted={}, forwarded_to="att_b")),
    "not eligible": (NotEligible, lambda: _act(ONE, _bill(), "stranger", acted={})),
    "not eligible, nobody may": (NotEligible, lambda: _act(preset(), _bill(), "stranger", acted={})),
}


def _assert_bilingual(en: str, nb: str) -> None:
    assert en and nb, (en, nb)
    assert nb != en
    leftovers = set(re.findall(r"[a-zæøå]+", nb.lower())) & ENGLISH_WORDS
    assert not leftovers, f"English words {leftovers} in the Norwegian text {nb!r}"


@pytest.mark.parametrize("path", sorted(RAISING))
def test_every_raised_message_has_english_and_bokmal(path: str) -> None:
    kind, call = RAISING[path]
    with pytest.raises(kind) as info:
        call()
    exc = info.value
    assert str(exc) == exc.text() == exc.text("en")
    assert exc.text("nb") == exc.text("nb_NO")
    _assert_bilingual(exc.text("en"), exc.text("nb"))


@pytest.mark.parametrize("kind", [ApprovalError, MatrixError, NotEligible])
def test_default_messages_are_bilingual(kind: type[ApprovalError]) -> None:
    _assert_bilingual(kind().text("en"), kind().text("nb"))


def test_plain_string_falls_back_to_english() -> None:
    """A caller that raises with a plain str still gets its text back in both languages (no crash)."""
    exc = NotEligible("custom")
    assert exc.text("nb") == exc.text("en") == str(exc) == "custom"


def _notes_and_reasons() -> dict[str, Text]:
    vendor_rule = (AttestantRule(person="va", vendor="X"),)
    dimension_rule = (AttestantRule(person="va", dimension="dept", value="it"),)
    limited = preset(authorities=(*_authorities("att", "big"), Authority(person="small", role=V, limit=Decimal(10))))
    capped = preset(authorities=_authorities("att", "boss"), company_limit=Decimal(100))
    banded = preset(
        bands=(Decimal(100),),
        authorities=(
            *_authorities("att", "boss"),
            Authority(person="cfo", role=V),
            Authority(person="cfo", role=V, level=2),
        ),
    )
    sub = (Substitution(person="boss", substitute="att", start=TODAY, end=TODAY),)
    covered = preset(authorities=_authorities("att", "boss"), substitutions=sub)
    empty = preset()
    benefits = _bill(beneficiaries=frozenset({"boss"}))
    return {
        "excluded coded attestant": route(ONE, _bill(attestant="clerk"))[0].notes[0],
        "excluded vendor attestant": route(
            preset(authorities=_authorities("att", "boss"), attestant_rules=vendor_rule),
            _bill(vendor="X", registered_by="va"),
        )[0].notes[0],
        "excluded dimension attestant": route(
            preset(authorities=_authorities("att", "boss"), attestant_rules=dimension_rule),
            _bill(dimensions=(("dept", "it"),), registered_by="va"),
        )[0].notes[0],
        "limit below": route(limited, _bill())[1].notes[0],
        "company limit": route(capped, _bill())[1].notes[0],
        "only one": route(banded, _bill(amount="1000"))[1].notes[0],
        "beneficiary": route(ONE, benefits)[1].notes[0],
        "reason beneficiary": actors(ONE, benefits, route(ONE, benefits), 1, acted={0: "att"}, today=TODAY).reason,
        "reason already acted": actors(
            covered, _bill(), route(covered, _bill()), 1, acted={0: "att"}, today=TODAY
        ).reason,
        "reason empty matrix": actors(empty, _bill(), route(empty, _bill()), 0, acted={}, today=TODAY).reason,
    }


@pytest.mark.parametrize("name", sorted(_notes_and_reasons()))
def test_every_note_and_reason_has_english_and_bokmal(name: str) -> None:
    note = _notes_and_reasons()[name]
    assert isinstance(note, Text)
    assert note.text() == note.text("en") == str(note)
    assert type(note.text("nb")) is str
    _assert_bilingual(note.text("en"), note.text("nb"))


def test_refusal_carries_the_norwegian_reason_of_the_step() -> None:
    with pytest.raises(NotEligible) as info:
        _act(preset(), _bill(), "stranger", acted={})
    assert info.value.text("nb") == (
        "stranger kan ikke behandle attest 1. Ingen kan behandle attest 1: matrisen gir ingen "
        "attestasjonsfullmakt på nivå 1."
    )
    assert str(info.value) == (
        "stranger may not act on attest 1. Nobody may act on attest 1: "
        "the matrix gives nobody attest authority at level 1."
    )


def test_no_reason_when_someone_may_act() -> None:
    assert actors(ONE, _bill(), route(ONE, _bill()), 0, acted={}, today=TODAY).reason == ""
