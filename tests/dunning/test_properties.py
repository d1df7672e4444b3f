"""Hypothesis properties: interest is additive over splits and monotone; the planner respects the cap."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nofaktura.dunning import (
    Anchor,
    Claim,
    CustomerKind,
    DunningPolicy,
    DunningPolicyError,
    PolicyStep,
    StepKind,
    interest,
    plan_claim,
)
from nofaktura.dunning.fees import FeeKind, fee_for
from nofaktura.dunning.rules import FeeCount, fee_kind_of

KNOWN_FROM, KNOWN_TO = date(2024, 1, 1), date(2026, 6, 30)
days_in_table = st.integers(0, (KNOWN_TO - KNOWN_FROM).days)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2)


@given(amounts, days_in_table, days_in_table, days_in_table)
def test_interest_additive_over_splits(amount, a, b, c):
    d1, d2, d3 = (KNOWN_FROM + timedelta(days=x) for x in sorted((a, b, c)))
    whole = interest(amount, d1, d3)
    left, right = interest(amount, d1, d2), interest(amount, d2, d3)
    assert whole.days == left.days + right.days
    assert abs(left.exact + right.exact - whole.exact) < Decimal("1e-15")  # Decimal precision only
    # rounded once each: at most one øre apart
    assert abs(left.amount + right.amount - whole.amount) <= Decimal("0.01")


@given(amounts, days_in_table, days_in_table, days_in_table)
def test_interest_monotone_in_days(amount, a, b, c):
    start = KNOWN_FROM + timedelta(days=min(a, b, c))
    x, y = sorted((b, c))
    near, far = KNOWN_FROM + timedelta(days=max(x, a)), KNOWN_FROM + timedelta(days=max(y, a))
    assert interest(amount, start, near).amount <= interest(amount, start, far).amount


kinds = st.sampled_from([StepKind.SOFT_REMINDER, StepKind.REMINDER, StepKind.INKASSOVARSEL,
                         StepKind.BETALINGSOPPFORDRING, StepKind.HANDOVER])
policy_steps = st.lists(
    st.builds(
        PolicyStep,
        kind=kinds,
        days=st.integers(0, 30),
        after=st.sampled_from(list(Anchor)),
        fee=st.booleans(),
        deadline_days=st.integers(0, 30),
        claim_compensation=st.booleans(),
    ),
    min_size=1,
    max_size=7,
)


def _valid_policy(steps):
    fixed = []
    for step in steps:
        fee = step.fee and fee_kind_of(step.kind) is not None
        deadline = max(step.deadline_days, 14) if step.kind in (
            StepKind.INKASSOVARSEL, StepKind.BETALINGSOPPFORDRING) else step.deadline_days
        fixed.append(PolicyStep(step.kind, step.days, step.after, fee, deadline,
                                claim_compensation=step.claim_compensation))
    try:
        return DunningPolicy(tuple(fixed))
    except DunningPolicyError:
        return None


@settings(max_examples=300)
@given(policy_steps, st.sampled_from(list(CustomerKind)), st.integers(0, 400))
def test_planner_never_exceeds_fee_cap(steps, kind, due_offset):
    policy = _valid_policy(steps)
    if policy is None:
        return
    due = date(2024, 1, 1) + timedelta(days=due_offset)
    claim = Claim("I", "C", due, Decimal("1000"), kind)
    day = due
    while day <= due + timedelta(days=200):
        decision = plan_claim(claim, policy, day)
        if decision.ready:
            claim = Claim("I", "C", due, claim.open_amount, kind, (*claim.history, decision.as_past_step()))
        day += timedelta(days=1)
    charged = [(fee_kind_of(p.kind) or FeeKind.REMINDER, p.fee) for p in claim.history]
    assert FeeCount.of(charged).within_cap()
    for past in claim.history:
        fee_kind = fee_kind_of(past.kind)
        if past.fee:
            assert fee_kind is not None
            assert past.fee <= fee_for(fee_kind, past.sent_on)
            assert past.sent_on >= due + timedelta(days=14)
    total_fees = sum((p.fee for p in claim.history), Decimal(0))
    assert total_fees <= 2 * fee_for(FeeKind.REMINDER, day) + fee_for(FeeKind.BETALINGSOPPFORDRING, day)
    if kind is CustomerKind.CONSUMER:
        assert all(p.compensation == 0 for p in claim.history)
    # steps follow each other only after deadlines expired
    for before, after in itertools.pairwise(claim.history):
        assert before.deadline is None or after.sent_on > before.deadline
