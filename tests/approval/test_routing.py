"""Every rule of the approval circulation, one test (or a few) each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nofaktura.approval import (
    AttestantRule,
    Authority,
    Bill,
    Level,
    Matrix,
    MatrixError,
    NotEligible,
    Role,
    Substitution,
    actors,
    check_may_act,
    effective_limit,
    may_forward_to,
    next_step,
    preset,
    route,
    substitute_for,
)
from nofaktura.approval.model import ApprovalError

TODAY = date(2026, 12, 3)
A, V = Role.ATTEST, Role.ANVIS


def people(**limits: Decimal | None) -> tuple[Authority, ...]:
    """Attest authority for ``att*`` names, anvis for the rest; level 2 for names ending in 2."""
    result = []
    for name, limit in limits.items():
        role = A if name.startswith("att") else V
        level = 2 if name.endswith("2") else 1
        result.append(Authority(person=name, role=role, level=level, limit=limit))
    return tuple(result)


def bill(amount: str = "1000", **kwargs: object) -> Bill:
    return Bill(amount=Decimal(amount), registered_by=kwargs.pop("registered_by", "clerk"), **kwargs)  # type: ignore[arg-type]


def labels(steps):
    return [(s.level.label, sorted(s.eligible)) for s in steps]


# --- the matrix itself ---------------------------------------------------------------------------


def test_matrix_needs_attest_and_anvis():
    with pytest.raises(MatrixError, match="at least one attest level and one anvis level"):
        Matrix(levels=(Level(role=A),))


def test_matrix_refuses_duplicate_levels_float_and_negative_limits():
    with pytest.raises(MatrixError, match="once"):
        Matrix(levels=(Level(role=A), Level(role=V), Level(role=V)))
    with pytest.raises(MatrixError, match="Decimal"):
        Authority(person="x", role=V, limit=100.0)  # type: ignore[arg-type]
    with pytest.raises(MatrixError, match="negative"):
        Authority(person="x", role=V, limit=Decimal(-1))
    with pytest.raises(MatrixError, match="at least one day"):
        preset(escalate_after_days=0)
    with pytest.raises(MatrixError, match="start at 1"):
        Level(role=V, level=0)


def test_substitution_and_rule_shapes():
    with pytest.raises(MatrixError, match="own substitute"):
        Substitution(person="a", substitute="a", start=TODAY, end=TODAY)
    with pytest.raises(MatrixError, match="before it starts"):
        Substitution(person="a", substitute="b", start=TODAY, end=date(2026, 12, 1))
    with pytest.raises(MatrixError, match="either a vendor or a dimension"):
        AttestantRule(person="a", vendor="v", dimension="department", value="1")
    with pytest.raises(MatrixError, match="both the dimension and its value"):
        AttestantRule(person="a", dimension="department")


def test_bill_amount_is_decimal():
    with pytest.raises(ApprovalError, match="Decimal"):
        Bill(amount=10.5)  # type: ignore[arg-type]


# --- steps and bands -----------------------------------------------------------------------------


def test_preset_two_steps_attest_then_anvis():
    m = preset(authorities=people(att=None, boss=None))
    assert labels(route(m, bill())) == [("attest 1", ["att"]), ("anvis 1", ["boss"])]


def test_amount_band_adds_a_second_anvis_level():
    m = preset(bands=(Decimal(100000),), authorities=people(att=None, boss=None, cfo2=None))
    assert [s.level.label for s in route(m, bill("100000"))] == ["attest 1", "anvis 1"]
    steps = route(m, bill("100000.01"))
    assert labels(steps) == [("attest 1", ["att"]), ("anvis 1", ["boss"]), ("anvis 2", ["cfo2"])]


def test_sole_person_of_a_step_leaves_the_other_steps():
    both = (
        *people(att=None, boss=None),
        Authority(person="cfo", role=V, level=1),
        Authority(person="cfo", role=V, level=2),
    )
    m = preset(bands=(Decimal(100),), authorities=both)
    steps = route(m, bill("1000"))
    assert labels(steps) == [("attest 1", ["att"]), ("anvis 1", ["boss"]), ("anvis 2", ["cfo"])]
    assert "cfo is the only one who can act on anvis 2" in steps[1].notes


def test_refund_routes_by_absolute_amount():
    m = preset(bands=(Decimal(100),), authorities=people(att=None, boss=None, cfo2=None))
    assert len(route(m, bill("-500"))) == 3


# --- limits --------------------------------------------------------------------------------------


def test_personal_limit():
    m = preset(authorities=people(att=None, small=Decimal(5000), big=Decimal(50000)))
    steps = route(m, bill("20000"))
    assert steps[1].eligible == {"big"}
    assert any("limit of small is below 20000" in n for n in steps[1].notes)


def test_company_limit_caps_personal_limits():
    m = preset(authorities=people(att=None, big=None), company_limit=Decimal(1000000))
    assert effective_limit(m, m.authorities[1]) == Decimal(1000000)
    steps = route(m, bill("2000000"))
    assert steps[1].eligible == frozenset()
    a = actors(m, bill("2000000"), steps, 1, acted={0: "att"}, today=TODAY)
    assert "above the company limit 1000000" in a.reason


def test_attest_limit_applies_to_general_attestants():
    m = preset(authorities=(Authority(person="junior", role=A, limit=Decimal(1000)), *people(boss=None)))
    assert route(m, bill("5000"))[0].eligible == frozenset()


# --- designated attestants -----------------------------------------------------------------------


def test_vendor_attestant_wins_over_dimension_and_pool():
    rules = (
        AttestantRule(person="vendor_att", vendor="ACME"),
        AttestantRule(person="dept_att", dimension="department", value="IT"),
    )
    m = preset(authorities=people(att=None, boss=None), attestant_rules=rules)
    b = bill(vendor="ACME", dimensions=(("department", "IT"),))
    assert route(m, b)[0].eligible == {"vendor_att"}


def test_dimension_attestant_department_and_project_leader():
    rules = (
        AttestantRule(person="it_head", dimension="department", value="IT"),
        AttestantRule(person="pl", dimension="project", value="P7"),
    )
    m = preset(authorities=people(att=None, boss=None), attestant_rules=rules)
    assert route(m, bill(dimensions=(("project", "P7"),)))[0].eligible == {"pl"}
    both = bill(dimensions=(("project", "P7"), ("department", "IT")))
    assert route(m, both)[0].eligible == {"pl", "it_head"}
    assert route(m, bill(dimensions=(("project", "P8"),)))[0].eligible == {"att"}


def test_coded_attestant_wins():
    m = preset(authorities=people(att=None, boss=None), attestant_rules=(AttestantRule(person="va", vendor="X"),))
    assert route(m, bill(vendor="X", attestant="coded"))[0].eligible == {"coded"}


def test_excluded_designated_attestant_falls_back_to_pool_with_a_note():
    m = preset(authorities=people(att=None, boss=None), attestant_rules=(AttestantRule(person="va", vendor="X"),))
    step = route(m, bill(vendor="X", registered_by="va"))[0]
    assert step.eligible == {"att"}
    assert "va registered the bill, so may not attest although the vendor's attestant rule names them" in step.notes


# --- self-approval, four eyes --------------------------------------------------------------------


def test_registered_by_never_eligible():
    m = preset(authorities=people(att=None, boss=None, boss_b=None))
    steps = route(m, bill(registered_by="boss"))
    assert steps[1].eligible == {"boss_b"}
    with pytest.raises(NotEligible, match="boss registered the bill; nobody may approve their own bill"):
        check_may_act(m, bill(registered_by="boss"), steps, "boss", acted={0: "att"}, today=TODAY)


def test_beneficiary_never_eligible():
    m = preset(authorities=people(att=None, boss=None))
    b = bill(beneficiaries=frozenset({"boss"}))
    steps = route(m, b)
    assert steps[1].eligible == frozenset()
    a = actors(m, b, steps, 1, acted={0: "att"}, today=TODAY)
    assert a.persons == frozenset()
    assert "boss is paid by or benefits from the bill" in a.reason


def test_attestant_is_not_the_anviser():
    both = (Authority(person="x", role=A), Authority(person="x", role=V), Authority(person="y", role=V))
    m = preset(authorities=both)
    steps = route(m, bill())
    assert steps[0].eligible == {"x"}
    assert steps[1].eligible == {"y"}  # x must attest, so x leaves anvis
    m2 = preset(authorities=(*both, Authority(person="z", role=A)))
    steps2 = route(m2, bill())
    assert check_may_act(m2, bill(), steps2, "x", acted={}, today=TODAY) == 0
    with pytest.raises(NotEligible, match="attestant and anviser must be different persons"):
        check_may_act(m2, bill(), steps2, "x", acted={0: "x"}, today=TODAY)


def test_two_anvis_levels_are_two_people():
    m = preset(bands=(Decimal(10),), authorities=people(att=None, boss2=None, cfo2=None))
    b = bill("100")
    steps = route(m, b)
    with pytest.raises(NotEligible, match="already acted"):
        check_may_act(m, b, steps, "boss2", acted={0: "att", 1: "boss2"}, today=TODAY)
    assert check_may_act(m, b, steps, "cfo2", acted={0: "att", 1: "boss2"}, today=TODAY) == 2


def test_order_is_enforced():
    m = preset(authorities=people(att=None, boss=None))
    with pytest.raises(NotEligible, match="boss may not act on attest 1"):
        check_may_act(m, bill(), route(m, bill()), "boss", acted={}, today=TODAY)
    assert next_step(route(m, bill()), {0: "att"}) == 1
    assert next_step(route(m, bill()), {0: "att", 1: "boss"}) is None
    with pytest.raises(NotEligible, match="already fully approved"):
        check_may_act(m, bill(), route(m, bill()), "boss", acted={0: "att", 1: "boss"}, today=TODAY)


def test_nobody_reason_when_matrix_is_empty():
    m = preset()
    steps = route(m, bill())
    a = actors(m, bill(), steps, 0, acted={}, today=TODAY)
    assert a.reason == "Nobody may act on attest 1: the matrix gives nobody attest authority at level 1."


# --- substitutes ---------------------------------------------------------------------------------


def test_substitute_in_range_and_back_after():
    sub = Substitution(person="boss", substitute="deputy", start=date(2026, 7, 1), end=date(2026, 7, 21))
    m = preset(authorities=people(att=None, boss=None), substitutions=(sub,))
    b = bill()
    steps = route(m, b)
    during = actors(m, b, steps, 1, acted={0: "att"}, today=date(2026, 7, 10))
    assert during.persons == {"deputy"}
    assert during.substituted == (("boss", "deputy"),)
    with pytest.raises(NotEligible, match="boss is away today; deputy acts on anvis 1 instead"):
        check_may_act(m, b, steps, "boss", acted={0: "att"}, today=date(2026, 7, 10))
    assert actors(m, b, steps, 1, acted={0: "att"}, today=date(2026, 7, 21)).persons == {"deputy"}
    assert actors(m, b, steps, 1, acted={0: "att"}, today=date(2026, 7, 22)).persons == {"boss"}
    assert actors(m, b, steps, 1, acted={0: "att"}, today=date(2026, 6, 30)).persons == {"boss"}


def test_substitute_chain_and_loop():
    subs = (
        Substitution(person="a", substitute="b", start=TODAY, end=TODAY),
        Substitution(person="b", substitute="c", start=TODAY, end=TODAY),
        Substitution(person="c", substitute="a", start=TODAY, end=TODAY),
    )
    m = preset(substitutions=subs)
    assert substitute_for(m, "a", TODAY) == "c"
    assert substitute_for(m, "a", date(2026, 12, 4)) == "a"


def test_substitute_is_still_bound_by_self_approval_and_four_eyes():
    sub = Substitution(person="boss", substitute="att", start=TODAY, end=TODAY)
    m = preset(authorities=people(att=None, boss=None), substitutions=(sub,))
    b = bill()
    steps = route(m, b)
    a = actors(m, b, steps, 1, acted={0: "att"}, today=TODAY)
    assert a.persons == frozenset()
    assert "att has already acted on another step of this bill" in a.reason
    b2 = bill(registered_by="att")
    m2 = preset(authorities=people(att=None, att_b=None, boss=None), substitutions=(sub,))
    assert actors(m2, b2, route(m2, b2), 1, acted={0: "att_b"}, today=TODAY).persons == frozenset()


# --- escalation ----------------------------------------------------------------------------------


def test_escalation_after_n_days_opens_to_higher_level():
    m = preset(bands=(Decimal(10**6),), authorities=people(att=None, boss=None, cfo2=None), escalate_after_days=5)
    b = bill()
    steps = route(m, b)
    assert [s.level.label for s in steps] == ["attest 1", "anvis 1"]
    acted = {0: "att"}
    four = actors(m, b, steps, 1, acted=acted, today=TODAY, pending_since=date(2026, 11, 29))
    assert four.persons == {"boss"} and not four.escalated
    five = actors(m, b, steps, 1, acted=acted, today=TODAY, pending_since=date(2026, 11, 28))
    assert five.persons == {"boss", "cfo2"} and five.escalated
    assert check_may_act(m, b, steps, "cfo2", acted=acted, today=TODAY, pending_since=date(2026, 11, 28)) == 1


def test_escalation_of_attest_goes_to_anvisers_but_never_to_excluded():
    m = preset(authorities=people(att=None, boss=None), escalate_after_days=3)
    b = bill(registered_by="boss")
    steps = route(m, b)
    late = actors(m, b, steps, 0, acted={}, today=TODAY, pending_since=date(2026, 11, 1))
    assert late.persons == {"att"} and not late.escalated


def test_escalation_respects_limits():
    m = preset(authorities=people(att=None, boss=None, cfo2=Decimal(10)), escalate_after_days=1)
    b = bill("100")
    assert actors(m, b, route(m, b), 1, acted={0: "att"}, today=TODAY, pending_since=date(2026, 1, 1)).persons == {
        "boss"
    }


# --- forwarding ----------------------------------------------------------------------------------


def test_forward_narrows_to_an_eligible_person():
    m = preset(authorities=people(att=None, att_b=None, boss=None))
    b = bill()
    steps = route(m, b)
    assert may_forward_to(m, b, steps, "att_b", acted={}, today=TODAY)
    assert not may_forward_to(m, b, steps, "boss", acted={}, today=TODAY)
    assert not may_forward_to(m, b, steps, "boss", acted={0: "att", 1: "boss"}, today=TODAY)
    fw = actors(m, b, steps, 0, acted={}, today=TODAY, forwarded_to="att_b")
    assert fw.persons == {"att_b"}
    with pytest.raises(NotEligible, match="forwarded to att_b"):
        check_may_act(m, b, steps, "att", acted={}, today=TODAY, forwarded_to="att_b")
    # forwarding to someone not eligible changes nothing
    assert actors(m, b, steps, 0, acted={}, today=TODAY, forwarded_to="boss").persons == {"att", "att_b"}


def test_forwarded_person_on_holiday_goes_to_their_substitute():
    sub = Substitution(person="att_b", substitute="deputy", start=TODAY, end=TODAY)
    m = preset(authorities=people(att=None, att_b=None, boss=None), substitutions=(sub,))
    b = bill()
    assert actors(m, b, route(m, b), 0, acted={}, today=TODAY, forwarded_to="att_b").persons == {"deputy"}
