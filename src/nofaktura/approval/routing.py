"""Routing a bill through the matrix: the steps, who may act on each today, and the checks.

Everything is a pure function of the matrix, the bill, what has been done so far and ``today``
(never the clock), so the Odoo addon can recompute reviewers every night and a test can walk a
holiday or an escalation by changing one date.

The invariants every function keeps, whatever the matrix says:

* nobody acts on a bill they registered or that pays or benefits themselves (``Bill.excluded``);
* a person acts at most once on a bill, so the attestant is never the anviser and two anvis
  levels are two people;
* an anviser's amount limit, capped by the company limit, covers the bill;
* a substitute inherits the absent person's place only while the substitution is in force, and
  never a place the rules above forbid them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from nofaktura.approval.model import (
    NO_TEXT,
    Actors,
    Authority,
    Bill,
    Matrix,
    NotEligible,
    Person,
    Role,
    Step,
    Text,
)

_AUTHORITY_NB = {Role.ATTEST: "attestasjonsfullmakt", Role.ANVIS: "anvisningsfullmakt"}


def effective_limit(matrix: Matrix, authority: Authority) -> Decimal | None:
    """The person's limit capped by the company's (None = unlimited)."""
    limits = [limit for limit in (authority.limit, matrix.company_limit) if limit is not None]
    return min(limits) if limits else None


def _covers(matrix: Matrix, authority: Authority, amount: Decimal) -> bool:
    limit = effective_limit(matrix, authority)
    return limit is None or abs(amount) <= limit


def _holders(matrix: Matrix, role: Role, level: int, amount: Decimal) -> set[Person]:
    return {a.person for a in matrix.authorities if a.role is role and a.level == level and _covers(matrix, a, amount)}


def _name(person: Person) -> str:
    return str(person)


def _designated_attestants(matrix: Matrix, bill: Bill) -> tuple[set[Person], Text]:
    """The attestants the coding or the rules designate, most specific first, and where from."""
    if bill.attestant is not None:
        return {bill.attestant}, Text("the bill's coding", "fakturaens kontering")
    by_vendor = {r.person for r in matrix.attestant_rules if r.vendor is not None and r.vendor == bill.vendor}
    if by_vendor:
        return by_vendor, Text("the vendor's attestant rule", "leverandørens attestantregel")
    wanted = set(bill.dimensions)
    by_dimension = {
        r.person for r in matrix.attestant_rules if r.dimension is not None and (r.dimension, r.value) in wanted
    }
    if by_dimension:
        return by_dimension, Text("the dimension attestant rules", "attestantreglene for dimensjonen")
    return set(), NO_TEXT


def _exclusion_note(bill: Bill, person: Person) -> Text:
    name = _name(person)
    if person == bill.registered_by:
        return Text(f"{name} registered the bill", f"{name} registrerte fakturaen")
    return Text(f"{name} is paid by or benefits from the bill", f"{name} får betaling fra eller nytte av fakturaen")


def route(matrix: Matrix, bill: Bill) -> tuple[Step, ...]:
    """The ordered steps for ``bill``: attest levels, then anvis levels, each with its eligible persons.

    A level is part of the route when it starts at 0 or the amount is above where it starts. An
    attest step goes to the designated attestant (coding, then vendor rule, then dimension rules),
    falling back to everyone holding attest authority when the designated one is excluded. A
    person who is the only one eligible on some step is taken off every other step: they will
    have to act there, and a person acts once per bill.
    """
    amount = abs(bill.amount)
    levels = sorted(
        (lv for lv in matrix.levels if lv.above == 0 or amount > lv.above),
        key=lambda lv: (lv.role is Role.ANVIS, lv.level),
    )
    excluded = bill.excluded
    drafts: list[tuple[set[Person], list[Text]]] = []
    for level in levels:
        notes: list[Text] = []
        if level.role is Role.ATTEST:
            designated, source = _designated_attestants(matrix, bill)
            allowed = designated - excluded
            for person in sorted(designated & excluded, key=_name):
                why = _exclusion_note(bill, person)
                notes.append(
                    Text(
                        f"{why}, so may not attest although {source} names them",
                        f"{why.nb}, og kan derfor ikke attestere selv om {source.nb} utpeker vedkommende",
                    )
                )
            if not allowed:
                allowed = _holders(matrix, Role.ATTEST, level.level, amount) - excluded
        else:
            holders = _holders(matrix, Role.ANVIS, level.level, amount)
            below = {
                a.person
                for a in matrix.authorities
                if a.role is Role.ANVIS and a.level == level.level and not _covers(matrix, a, amount)
            }
            for person in sorted(below - holders, key=_name):
                name, money = _name(person), f"{amount} {bill.currency}"
                notes.append(
                    Text(f"the limit of {name} is below {money}", f"beløpsgrensen til {name} er lavere enn {money}")
                    if matrix.company_limit is None or amount <= matrix.company_limit
                    else Text(
                        f"{money} is above the company limit {matrix.company_limit}",
                        f"{money} er over selskapets grense {matrix.company_limit}",
                    )
                )
            for person in sorted(holders & excluded, key=_name):
                notes.append(_exclusion_note(bill, person))
            allowed = holders - excluded
        drafts.append((allowed, notes))
    for index, (allowed, _notes) in enumerate(drafts):
        if len(allowed) != 1:
            continue
        (only,) = allowed
        for other, (other_allowed, other_notes) in enumerate(drafts):
            if other != index and only in other_allowed and len(other_allowed) > 1:
                other_allowed.discard(only)
                name, label = _name(only), levels[index].label
                other_notes.append(
                    Text(
                        f"{name} is the only one who can act on {label}",
                        f"{name} er den eneste som kan behandle {label}",
                    )
                )
    return tuple(
        Step(index=index, level=level, eligible=frozenset(allowed), notes=tuple(notes))
        for index, (level, (allowed, notes)) in enumerate(zip(levels, drafts, strict=True))
    )


def next_step(steps: tuple[Step, ...], acted: Mapping[int, Person]) -> int | None:
    """The index of the first step nobody has acted on yet, or None when the route is done."""
    for step in steps:
        if step.index not in acted:
            return step.index
    return None


def substitute_for(matrix: Matrix, person: Person, today: date) -> Person:
    """Who acts for ``person`` today: follows a chain of substitutions, stops at a loop."""
    seen = {person}
    current = person
    while True:
        nxt = next((s.substitute for s in matrix.substitutions if s.person == current and s.covers(today)), None)
        if nxt is None or nxt in seen:
            return current
        seen.add(nxt)
        current = nxt


def _escalated(matrix: Matrix, step: Step, amount: Decimal, pending_since: date | None, today: date) -> set[Person]:
    if matrix.escalate_after_days is None or pending_since is None:
        return set()
    if (today - pending_since).days < matrix.escalate_after_days:
        return set()
    above = step.level.level + 1 if step.role is Role.ANVIS else 1
    return _holders(matrix, Role.ANVIS, above, amount) - set(step.eligible)


def actors(
    matrix: Matrix,
    bill: Bill,
    steps: tuple[Step, ...],
    index: int,
    *,
    acted: Mapping[int, Person],
    today: date,
    pending_since: date | None = None,
    forwarded_to: Person | None = None,
) -> Actors:
    """Who may act on step ``index`` today.

    Start from the step's eligible persons; after ``escalate_after_days`` add the holders of
    the next level up (anvis level 1 for an attest step, level n+1 for anvis level n); narrow
    to ``forwarded_to`` when the step was forwarded to one of them; replace whoever is away
    today by their substitute; remove the excluded and everyone who has acted on another step
    of this bill.
    """
    step = steps[index]
    base = set(step.eligible)
    extra = _escalated(matrix, step, abs(bill.amount), pending_since, today) - base
    candidates = base | extra
    if forwarded_to is not None and forwarded_to in candidates:
        candidates = {forwarded_to}
    substituted: list[tuple[Person, Person]] = []
    present: set[Person] = set()
    for person in sorted(candidates, key=_name):
        stand_in = substitute_for(matrix, person, today)
        if stand_in != person:
            substituted.append((person, stand_in))
        present.add(stand_in)
    done = {p for i, p in acted.items() if i != index}
    persons = present - bill.excluded - done
    reason = NO_TEXT
    if not persons:
        reason = _nobody_reason(step, candidates, present, bill, done)
    return Actors(
        persons=frozenset(persons),
        substituted=tuple(substituted),
        escalated=bool(extra - bill.excluded - done),
        reason=reason,
    )


def _nobody_reason(
    step: Step, candidates: Iterable[Person], present: set[Person], bill: Bill, done: set[Person]
) -> Text:
    parts: list[Text] = list(step.notes)
    for person in sorted(present, key=_name):
        if person in bill.excluded:
            parts.append(_exclusion_note(bill, person))
        elif person in done:
            name = _name(person)
            parts.append(
                Text(
                    f"{name} has already acted on another step of this bill",
                    f"{name} har allerede behandlet et annet trinn på denne fakturaen",
                )
            )
    if not list(candidates) and not parts:
        role, number = step.level.role, step.level.level
        parts.append(
            Text(
                f"the matrix gives nobody {role.value} authority at level {number}",
                f"matrisen gir ingen {_AUTHORITY_NB[role]} på nivå {number}",
            )
        )
    detail = "; ".join(parts) if parts else "no one is left"
    detail_nb = "; ".join(part.nb for part in parts) if parts else "ingen er igjen"
    label = step.level.label
    return Text(f"Nobody may act on {label}: {detail}.", f"Ingen kan behandle {label}: {detail_nb}.")


def check_may_act(
    matrix: Matrix,
    bill: Bill,
    steps: tuple[Step, ...],
    person: Person,
    *,
    acted: Mapping[int, Person],
    today: date,
    pending_since: date | None = None,
    forwarded_to: Person | None = None,
) -> int:
    """Return the index of the step ``person`` may act on now, or raise ``NotEligible`` saying why."""
    index = next_step(steps, acted)
    if index is None:
        raise NotEligible(Text("The bill is already fully approved.", "Fakturaen er allerede ferdig godkjent."))
    label = steps[index].level.label
    name = _name(person)
    if person in bill.excluded:
        why = _exclusion_note(bill, person)
        raise NotEligible(
            Text(
                f"{why}; nobody may approve their own bill.",
                f"{why.nb}; ingen kan godkjenne sin egen faktura.",
            )
        )
    if person in {p for i, p in acted.items() if i != index}:
        raise NotEligible(
            Text(
                f"{name} has already acted on this bill; attestant and anviser must be different persons.",
                f"{name} har allerede behandlet denne fakturaen; attestant og anviser må være forskjellige personer.",
            )
        )
    now = actors(
        matrix, bill, steps, index, acted=acted, today=today, pending_since=pending_since, forwarded_to=forwarded_to
    )
    if person in now.persons:
        return index
    for absent, stand_in in now.substituted:
        if absent == person:
            deputy = _name(stand_in)
            raise NotEligible(
                Text(
                    f"{name} is away today; {deputy} acts on {label} instead.",
                    f"{name} er borte i dag; {deputy} behandler {label} i stedet.",
                )
            )
    if forwarded_to is not None and person != forwarded_to:
        target = _name(forwarded_to)
        raise NotEligible(Text(f"{label} was forwarded to {target}.", f"{label} ble videresendt til {target}."))
    raise NotEligible(
        Text(
            f"{name} may not act on {label}." + (f" {now.reason}" if now.reason else ""),
            f"{name} kan ikke behandle {label}." + (f" {now.reason.nb}" if now.reason else ""),
        )
    )


def may_forward_to(
    matrix: Matrix,
    bill: Bill,
    steps: tuple[Step, ...],
    person: Person,
    *,
    acted: Mapping[int, Person],
    today: date,
    pending_since: date | None = None,
) -> bool:
    """Whether the current step may be forwarded to ``person`` (they would be allowed to act on it)."""
    index = next_step(steps, acted)
    if index is None:
        return False
    now = actors(matrix, bill, steps, index, acted=acted, today=today, pending_since=pending_since)
    return person in now.persons
