"""Properties over random matrices and bills: whatever the configuration, whoever acts, whenever,
no route ever lets a person approve their own bill or act twice (attestant = anviser)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nofaktura.approval import (
    AttestantRule,
    Authority,
    Bill,
    NotEligible,
    Role,
    Substitution,
    actors,
    check_may_act,
    next_step,
    preset,
    route,
)

PEOPLE = [f"p{i}" for i in range(6)]
person = st.sampled_from(PEOPLE)
amount = st.decimals(min_value=-500000, max_value=500000, places=2, allow_nan=False, allow_infinity=False)
limit = st.none() | st.decimals(min_value=0, max_value=400000, places=0, allow_nan=False, allow_infinity=False)
day = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))

authority = st.builds(Authority, person=person, role=st.sampled_from(list(Role)), level=st.integers(1, 3), limit=limit)
attestant_rule = st.one_of(
    st.builds(AttestantRule, person=person, vendor=st.sampled_from(["v1", "v2"])),
    st.builds(AttestantRule, person=person, dimension=st.just("department"), value=st.sampled_from(["d1", "d2"])),
)


@st.composite
def substitution(draw: st.DrawFn) -> Substitution:
    who, stand_in = draw(st.lists(person, min_size=2, max_size=2, unique=True))
    start = draw(day)
    return Substitution(
        person=who, substitute=stand_in, start=start, end=start + timedelta(days=draw(st.integers(0, 60)))
    )


@st.composite
def matrix_and_bill(draw: st.DrawFn):
    m = preset(
        bands=tuple(draw(st.lists(st.decimals(1, 300000, places=0), max_size=2, unique=True))),
        authorities=tuple(draw(st.lists(authority, max_size=12))),
        attestant_rules=tuple(draw(st.lists(attestant_rule, max_size=4))),
        substitutions=tuple(draw(st.lists(substitution(), max_size=3))),
        company_limit=draw(limit),
        escalate_after_days=draw(st.none() | st.integers(1, 10)),
    )
    b = Bill(
        amount=draw(amount),
        vendor=draw(st.sampled_from(["v1", "v2", "v3"])),
        dimensions=tuple(("department", d) for d in draw(st.lists(st.sampled_from(["d1", "d2"]), max_size=2))),
        registered_by=draw(person),
        beneficiaries=frozenset(draw(st.lists(person, max_size=2))),
        attestant=draw(st.none() | person),
    )
    return m, b


@settings(max_examples=300, deadline=None)
@given(matrix_and_bill(), day, st.randoms(use_true_random=False), st.integers(0, 30))
def test_no_route_ever_yields_self_approval_or_the_same_person_twice(mb, today, rnd, waited):
    m, b = mb
    steps = route(m, b)
    acted: dict[int, str] = {}
    for step in steps:
        assert not (step.eligible & b.excluded)
        index = next_step(steps, acted)
        assert index == step.index
        forwarded = rnd.choice([None, *PEOPLE])
        now = actors(
            m,
            b,
            steps,
            index,
            acted=acted,
            today=today,
            pending_since=today - timedelta(days=waited),
            forwarded_to=forwarded,
        )
        assert not (now.persons & b.excluded)
        assert not (now.persons & set(acted.values()))
        if not now.persons:
            assert now.reason.startswith("Nobody may act on ")
            break
        chosen = rnd.choice(sorted(now.persons))
        assert (
            check_may_act(
                m,
                b,
                steps,
                chosen,
                acted=acted,
                today=today,
                pending_since=today - timedelta(days=waited),
                forwarded_to=forwarded,
            )
            == index
        )
        acted[index] = chosen
    assert len(set(acted.values())) == len(acted)
    assert not (set(acted.values()) & b.excluded)


@settings(max_examples=300, deadline=None)
@given(matrix_and_bill(), day, person)
def test_check_may_act_refuses_every_excluded_or_repeated_person(mb, today, who):
    m, b = mb
    steps = route(m, b)
    acted = {0: who} if len(steps) > 1 else {}
    for candidate in (b.registered_by, *b.beneficiaries, *acted.values()):
        try:
            check_may_act(m, b, steps, candidate, acted=acted, today=today, pending_since=today)
        except NotEligible as exc:
            assert str(exc)
        else:
            raise AssertionError(f"{candidate} was allowed to act")


@settings(max_examples=200, deadline=None)
@given(matrix_and_bill())
def test_anvis_eligibility_respects_limits(mb):
    m, b = mb
    for step in route(m, b):
        if step.role is not Role.ANVIS:
            continue
        for who in step.eligible:
            limits = [
                a for a in m.authorities if a.person == who and a.role is Role.ANVIS and a.level == step.level.level
            ]
            assert any(
                (a.limit is None or abs(b.amount) <= a.limit)
                and (m.company_limit is None or abs(b.amount) <= m.company_limit)
                for a in limits
            )


def test_amount_is_decimal_not_a_coincidence():
    assert Decimal("0.1") + Decimal("0.2") == Decimal("0.3")
