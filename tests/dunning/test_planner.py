"""The planner, with ``today`` fixed: every rule as a scenario."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from nofaktura.dunning import (
    Anchor,
    Claim,
    CustomerKind,
    DunningPolicy,
    DunningPolicyError,
    LawOverrides,
    PastStep,
    PolicyStep,
    Reason,
    StepKind,
    letters,
    plan,
    plan_claim,
)

DUE = date(2026, 1, 10)
D = timedelta


def policy(**kw):
    steps = (
        PolicyStep(StepKind.SOFT_REMINDER, 3, Anchor.DUE_DATE, deadline_days=7),
        PolicyStep(StepKind.REMINDER, 14, Anchor.DUE_DATE, fee=True, deadline_days=14, charge_interest=True),
        PolicyStep(StepKind.INKASSOVARSEL, 0, fee=True, deadline_days=14, charge_interest=True),
        PolicyStep(StepKind.BETALINGSOPPFORDRING, 0, fee=True, deadline_days=14, charge_interest=True),
        PolicyStep(StepKind.HANDOVER, 0),
    )
    return DunningPolicy(kw.pop("steps", steps), **kw)


def claim(history=(), kind=CustomerKind.CONSUMER, amount="1000", **kw):
    return Claim("INV1", "C1", DUE, Decimal(amount), kind, tuple(history), **kw)


def run_until(claim_, policy_, start, end):
    """Apply the planner day by day, recording ready steps, like a daily cron would."""
    day = start
    while day <= end:
        decision = plan_claim(claim_, policy_, day)
        if decision.ready:
            claim_ = Claim(
                claim_.id, claim_.customer_id, claim_.due_date, claim_.open_amount, claim_.customer_kind,
                (*claim_.history, decision.as_past_step()),
                interest_charged_until=decision.interest.end if decision.interest else claim_.interest_charged_until,
            )
        day += D(1)
    return claim_


# -- blocking reasons -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"amount": "0"}, Reason.PAID),
        ({"amount": "-5"}, Reason.PAID),
        ({"disputed": True}, Reason.DISPUTED),
        ({"blocked": True}, Reason.BLOCKED),
        ({"payment_pending": True}, Reason.PAYMENT_PENDING),
        ({"handed_over": True}, Reason.HANDED_OVER),
    ],
)
def test_skips(kw, reason):
    decision = plan_claim(claim(**kw), policy(), DUE + D(60))
    assert decision.reason is reason
    assert not decision.ready
    assert decision.text


def test_not_due_on_due_date():
    decision = plan_claim(claim(), policy(), DUE)
    assert decision.reason is Reason.NOT_DUE
    assert decision.date == DUE + D(1)


def test_below_minimum():
    decision = plan_claim(claim(amount="10"), policy(min_amount=Decimal("50")), DUE + D(30))
    assert decision.reason is Reason.BELOW_MINIMUM


# -- timing -------------------------------------------------------------------------------------------

def test_soft_reminder_waits_its_days_then_is_ready_without_fee():
    early = plan_claim(claim(), policy(), DUE + D(2))
    assert early.reason is Reason.WAITING_DAYS
    assert early.date == DUE + D(3)
    ready = plan_claim(claim(), policy(), DUE + D(3))
    assert ready.ready
    assert ready.step.kind is StepKind.SOFT_REMINDER
    assert ready.fee == 0
    assert ready.deadline == DUE + D(10)


def test_reminder_fee_only_14_days_after_due():
    steps = (PolicyStep(StepKind.REMINDER, 5, Anchor.DUE_DATE, fee=True),)
    decision = plan_claim(claim(), policy(steps=steps), DUE + D(5))
    assert decision.reason is Reason.WAITING_FEE_DATE
    assert decision.date == DUE + D(14)
    ready = plan_claim(claim(), policy(steps=steps), DUE + D(14))
    assert ready.ready
    assert ready.fee == Decimal("37.50")


def test_reminder_without_fee_may_go_early():
    steps = (PolicyStep(StepKind.REMINDER, 1, Anchor.DUE_DATE, fee=False),)
    assert plan_claim(claim(), policy(steps=steps), DUE + D(1)).ready


def test_next_step_waits_for_previous_deadline():
    history = [PastStep(StepKind.SOFT_REMINDER, DUE + D(3), deadline=DUE + D(20))]
    decision = plan_claim(claim(history), policy(), DUE + D(20))
    assert decision.reason is Reason.DEADLINE_RUNNING
    assert decision.date == DUE + D(21)
    assert plan_claim(claim(history), policy(), DUE + D(21)).ready


def test_inkassovarsel_deadline_at_least_14_days():
    with pytest.raises(DunningPolicyError, match="14"):
        DunningPolicy((PolicyStep(StepKind.INKASSOVARSEL, 14, Anchor.DUE_DATE, deadline_days=10),))
    with pytest.raises(DunningPolicyError, match="14"):
        DunningPolicy((
            PolicyStep(StepKind.INKASSOVARSEL, 14, Anchor.DUE_DATE),
            PolicyStep(StepKind.BETALINGSOPPFORDRING, 0, deadline_days=13),
        ))


def test_inkassovarsel_day_after_due_without_fee():
    steps = (PolicyStep(StepKind.INKASSOVARSEL, 1, Anchor.DUE_DATE, fee=False),)
    decision = plan_claim(claim(), policy(steps=steps), DUE + D(1))
    assert decision.ready
    assert decision.fee == 0
    assert decision.deadline == DUE + D(15)


def test_betalingsoppfordring_only_after_varsel_deadline():
    history = [
        PastStep(StepKind.SOFT_REMINDER, DUE + D(3), deadline=DUE + D(10)),
        PastStep(StepKind.REMINDER, DUE + D(14), Decimal("37.50"), DUE + D(28)),
        PastStep(StepKind.INKASSOVARSEL, DUE + D(29), Decimal("37.50"), DUE + D(43)),
    ]
    assert plan_claim(claim(history), policy(), DUE + D(43)).reason is Reason.DEADLINE_RUNNING
    ready = plan_claim(claim(history), policy(), DUE + D(44))
    assert ready.ready
    assert ready.step.kind is StepKind.BETALINGSOPPFORDRING
    assert ready.fee == Decimal("112.50")


def test_betalingsoppfordring_without_varsel_in_history_refused():
    steps = (
        PolicyStep(StepKind.INKASSOVARSEL, 14, Anchor.DUE_DATE),
        PolicyStep(StepKind.BETALINGSOPPFORDRING, 0),
    )
    history = [PastStep(StepKind.REMINDER, DUE + D(14), deadline=DUE + D(28))]  # foreign history
    decision = plan_claim(claim(history), policy(steps=steps), DUE + D(60))
    assert decision.reason is Reason.MISSING_INKASSOVARSEL


@pytest.mark.parametrize(
    "steps",
    [
        (PolicyStep(StepKind.BETALINGSOPPFORDRING, 14, Anchor.DUE_DATE),),
        (PolicyStep(StepKind.HANDOVER, 14, Anchor.DUE_DATE),),
        (PolicyStep(StepKind.SOFT_REMINDER, 1, fee=True),),
        (
            PolicyStep(StepKind.INKASSOVARSEL, 14, Anchor.DUE_DATE),
            PolicyStep(StepKind.HANDOVER, 1),
            PolicyStep(StepKind.REMINDER, 1),
        ),
        (PolicyStep(StepKind.INKASSOVARSEL, 14), PolicyStep(StepKind.REMINDER, 1)),
        (PolicyStep(StepKind.REMINDER, -1),),
        (),
    ],
)
def test_unlawful_policies_refused(steps):
    with pytest.raises(DunningPolicyError):
        DunningPolicy(steps)


# -- fee cap -------------------------------------------------------------------------------------

def test_two_reminders_then_varsel_goes_without_fee():
    steps = (
        PolicyStep(StepKind.REMINDER, 14, Anchor.DUE_DATE, fee=True),
        PolicyStep(StepKind.REMINDER, 0, fee=True),
        PolicyStep(StepKind.INKASSOVARSEL, 0, fee=True),
        PolicyStep(StepKind.BETALINGSOPPFORDRING, 0, fee=True),
    )
    final = run_until(claim(), policy(steps=steps), DUE, DUE + D(120))
    fees = [(p.kind, p.fee) for p in final.history]
    assert fees == [
        (StepKind.REMINDER, Decimal("37.50")),
        (StepKind.REMINDER, Decimal("37.50")),
        (StepKind.INKASSOVARSEL, Decimal(0)),
        (StepKind.BETALINGSOPPFORDRING, Decimal("112.50")),
    ]


def test_full_path_dates_and_fees():
    final = run_until(claim(), policy(), DUE, DUE + D(120))
    assert [(p.kind, p.sent_on, p.fee, p.deadline) for p in final.history] == [
        (StepKind.SOFT_REMINDER, DUE + D(3), 0, DUE + D(10)),
        (StepKind.REMINDER, DUE + D(14), Decimal("37.50"), DUE + D(28)),
        (StepKind.INKASSOVARSEL, DUE + D(29), Decimal("37.50"), DUE + D(43)),
        (StepKind.BETALINGSOPPFORDRING, DUE + D(44), Decimal("112.50"), DUE + D(58)),
        (StepKind.HANDOVER, DUE + D(59), 0, None),
    ]
    assert plan_claim(final, policy(), DUE + D(121)).reason is Reason.HANDED_OVER


def test_second_fee_needs_14_day_deadline_on_the_first():
    history = [PastStep(StepKind.REMINDER, DUE + D(14), Decimal("37.50"), DUE + D(21))]
    steps = (
        PolicyStep(StepKind.REMINDER, 14, Anchor.DUE_DATE, fee=True, deadline_days=7),
        PolicyStep(StepKind.REMINDER, 0, fee=True),
    )
    decision = plan_claim(claim(history), policy(steps=steps), DUE + D(30))
    assert decision.ready
    assert decision.fee == 0
    assert any("14-day" in n for n in decision.notes)


def test_finished_when_all_steps_taken():
    steps = (PolicyStep(StepKind.SOFT_REMINDER, 3, Anchor.DUE_DATE),)
    history = [PastStep(StepKind.SOFT_REMINDER, DUE + D(3))]
    assert plan_claim(claim(history), policy(steps=steps), DUE + D(50)).reason is Reason.FINISHED


# -- interest and compensation -----------------------------------------------------------------

def test_interest_from_due_date_then_from_last_charge():
    history = [
        PastStep(StepKind.SOFT_REMINDER, DUE + D(3), deadline=DUE + D(10)),
    ]
    first = plan_claim(claim(history, amount="36500"), policy(), DUE + D(14))
    assert first.interest.start == DUE and first.interest.end == DUE + D(14)
    assert first.interest_amount == Decimal("168.00")  # 14 days * 12.00
    charged = Claim("INV1", "C1", DUE, Decimal("36500"), CustomerKind.CONSUMER,
                    (*history, first.as_past_step()), interest_charged_until=DUE + D(14))
    second = plan_claim(charged, policy(), DUE + D(29))
    assert second.interest.start == DUE + D(14)
    assert second.interest.days == 15


def test_consumer_gets_no_compensation_business_does_minus_fees():
    steps = (PolicyStep(StepKind.REMINDER, 14, Anchor.DUE_DATE, fee=True, claim_compensation=True),
             PolicyStep(StepKind.REMINDER, 0, fee=True))
    consumer = plan_claim(claim(), policy(steps=steps), DUE + D(14))
    assert consumer.compensation == 0
    assert consumer.fee == Decimal("37.50")
    business = plan_claim(claim(kind=CustomerKind.BUSINESS), policy(steps=steps), DUE + D(14))
    assert business.fee == Decimal("37.50")
    assert business.compensation == Decimal("422.50")  # 460 - 37.50
    # the next reminder fee is absorbed by the compensation already claimed
    history = [business.as_past_step()]
    nxt = plan_claim(claim(history, kind=CustomerKind.BUSINESS), policy(steps=steps), DUE + D(29))
    assert nxt.ready
    assert nxt.fee == 0
    assert nxt.compensation == 0


def test_unknown_rate_is_reported_not_guessed():
    late_due = date(2026, 6, 20)
    c = Claim("X", "C", late_due, Decimal("1000"), CustomerKind.CONSUMER)
    steps = (PolicyStep(StepKind.REMINDER, 14, Anchor.DUE_DATE, fee=True, charge_interest=True),)
    decision = plan_claim(c, policy(steps=steps), date(2026, 7, 10))
    assert decision.reason is Reason.LAW_VALUE_UNKNOWN
    assert "forsinkelsesrente" in decision.text
    supplied = policy(steps=steps, overrides=LawOverrides(forsinkelsesrente={date(2026, 7, 1): Decimal("12")}))
    assert plan_claim(c, supplied, date(2026, 7, 10)).ready


# -- letters --------------------------------------------------------------------------------------

def test_one_letter_per_customer_one_fee():
    claims = [
        Claim("A", "C1", DUE, Decimal("100"), CustomerKind.CONSUMER),
        Claim("B", "C1", DUE - D(10), Decimal("200"), CustomerKind.CONSUMER),
        Claim("C", "C2", DUE, Decimal("300"), CustomerKind.CONSUMER),
        Claim("D", "C2", DUE, Decimal("300"), CustomerKind.CONSUMER, disputed=True),
    ]
    steps = (PolicyStep(StepKind.REMINDER, 14, Anchor.DUE_DATE, fee=True),)
    result = letters(plan(claims, policy(steps=steps), DUE + D(20)))
    assert [(x.customer_id, [d.claim.id for d in x.decisions]) for x in result] == [
        ("C1", ["A", "B"]), ("C2", ["C"]),
    ]
    assert result[0].fee == Decimal("37.50")
    assert result[0].principal == Decimal("300")
    assert result[0].kind is StepKind.REMINDER


def test_decision_not_ready_cannot_be_recorded():
    with pytest.raises(ValueError):
        plan_claim(claim(amount="0"), policy(), DUE + D(30)).as_past_step()
