"""Approval circulation of purchase bills (attestasjon and anvisning), without Odoo.

``model`` holds the matrix and the bill, ``routing`` the pure functions: :func:`route` computes the
ordered steps and who is eligible on each; :func:`actors` says who may act on a step today
(substitutes, escalation, forwarding); :func:`check_may_act` is the gate an ERP calls before it
records an approval. ``today`` is always passed in.

>>> from datetime import date
>>> from decimal import Decimal
>>> m = preset(authorities=(Authority(person="ann", role=Role.ATTEST), Authority(person="bob", role=Role.ANVIS)))
>>> bill = Bill(amount=Decimal("1200"), registered_by="clerk")
>>> [(s.level.label, sorted(s.eligible)) for s in route(m, bill)]
[('attest 1', ['ann']), ('anvis 1', ['bob'])]
>>> check_may_act(m, bill, route(m, bill), "bob", acted={}, today=date(2026, 12, 3))
Traceback (most recent call last):
...
nofaktura.approval.model.NotEligible: bob may not act on attest 1.
"""

from __future__ import annotations

from decimal import Decimal

from nofaktura.approval.model import (
    Actors,
    ApprovalError,
    AttestantRule,
    Authority,
    Bill,
    Level,
    Matrix,
    MatrixError,
    NotEligible,
    Person,
    Role,
    Step,
    Substitution,
    Text,
)
from nofaktura.approval.routing import (
    actors,
    check_may_act,
    effective_limit,
    may_forward_to,
    next_step,
    route,
    substitute_for,
)

__all__ = [
    "Actors",
    "ApprovalError",
    "AttestantRule",
    "Authority",
    "Bill",
    "Level",
    "Matrix",
    "MatrixError",
    "NotEligible",
    "Person",
    "Role",
    "Step",
    "Substitution",
    "Text",
    "actors",
    "check_may_act",
    "effective_limit",
    "may_forward_to",
    "next_step",
    "preset",
    "route",
    "substitute_for",
]


def preset(
    *,
    bands: tuple[Decimal, ...] = (),
    authorities: tuple[Authority, ...] = (),
    attestant_rules: tuple[AttestantRule, ...] = (),
    substitutions: tuple[Substitution, ...] = (),
    company_limit: Decimal | None = None,
    escalate_after_days: int | None = None,
) -> Matrix:
    """The Norwegian preset: attest, then anvis; each amount in ``bands`` adds one more anvis level.

    ``preset(bands=(Decimal(100000),))`` makes bills above NOK 100 000 need two anvisers.
    """
    levels = [Level(role=Role.ATTEST, level=1), Level(role=Role.ANVIS, level=1)]
    for number, above in enumerate(sorted(bands), start=2):
        levels.append(Level(role=Role.ANVIS, level=number, above=above))
    return Matrix(
        levels=tuple(levels),
        authorities=authorities,
        attestant_rules=attestant_rules,
        substitutions=substitutions,
        company_limit=company_limit,
        escalate_after_days=escalate_after_days,
    )
