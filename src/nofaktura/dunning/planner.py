"""The dunning planner: for each open claim, the next step the law and the company policy allow.

Pure and deterministic: it takes the claims, the policy and ``today`` and returns one
:class:`Decision` per claim — either ``READY`` with the step, its fee, interest, compensation and
deadline, or a :class:`Reason` saying why nothing may be sent yet and, where known, from which day.

The history of a claim (``Claim.history``) lists the steps already taken **under this policy, in
order**; the next policy step is ``policy.steps[len(history)]``.

How the rules of :mod:`nofaktura.dunning.rules` shape a step:

- the step waits for its ``days`` (after the due date or after the previous step) and for every earlier
  notice's deadline to expire;
- a step configured with a fee waits until the fee is lawful (sent ≥ 14 days after the due date); if the
  fee cap of inkassoforskriften § 1-3 is reached, or an earlier fee-bearing notice had a deadline shorter
  than 14 days, the step goes out **without** fee and a note says why;
- a betalingsoppfordring or hand-over needs an inkassovarsel whose deadline has expired;
- B2B standard compensation, when the step claims it, is reduced by the fees charged, and fees after a
  claimed compensation are reduced by it (no double recovery, forsinkelsesrenteloven § 3a).

Letters: :func:`letters` groups ready decisions per customer into one notice. The fee is charged
once per letter (the highest fee among its claims: one notice, one fee); it is recorded on every claim
the letter covers, which counts it against each claim's cap — the conservative reading of § 1-3.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from nofaktura.dunning.fees import FeeKind, fee_for
from nofaktura.dunning.interest import CustomerKind, InterestResult, interest
from nofaktura.dunning.rules import (
    MIN_DEADLINE_DAYS,
    FeeCount,
    StepKind,
    earliest_fee_date,
    fee_allowed_by_cap,
    fee_kind_of,
)
from nofaktura.dunning.tables import STANDARDKOMPENSASJON, LawOverrides
from nofaktura.exceptions import LawTableError, NofakturaError
from nofaktura.messages import msg
from nofaktura.money import round_money

__all__ = [
    "Anchor",
    "Claim",
    "Decision",
    "DunningPolicy",
    "DunningPolicyError",
    "Letter",
    "PastStep",
    "PolicyStep",
    "Reason",
    "letters",
    "plan",
    "plan_claim",
]

_ZERO = Decimal(0)
_LEVEL = {kind: i for i, kind in enumerate(StepKind)}


class DunningPolicyError(NofakturaError, ValueError):
    """A dunning policy that the law does not allow (e.g. an inkassovarsel deadline under 14 days)."""

    message = "The dunning policy is not lawful."
    message_key = "error.dunning_policy"


class Anchor(str, enum.Enum):
    """What a step's ``days`` count from."""

    DUE_DATE = "due_date"
    PREVIOUS = "previous"


@dataclass(frozen=True)
class PolicyStep:
    """One configured step: kind, when, and what it may charge."""

    kind: StepKind
    days: int
    after: Anchor = Anchor.PREVIOUS
    fee: bool = False
    deadline_days: int = MIN_DEADLINE_DAYS
    charge_interest: bool = False
    claim_compensation: bool = False
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.kind.value


@dataclass(frozen=True)
class DunningPolicy:
    """The company's sequence of steps, checked against the law when built."""

    steps: tuple[PolicyStep, ...]
    overrides: LawOverrides | None = None
    min_amount: Decimal = _ZERO

    def __post_init__(self) -> None:
        if not self.steps:
            raise DunningPolicyError(msg("dunning.no_steps"))
        seen: list[StepKind] = []
        for position, step in enumerate(self.steps, 1):
            where = msg("dunning.where", position=position, label=step.label)
            kind = msg(f"dunning.kind.{step.kind.value}")
            if step.days < 0 or step.deadline_days < 0:
                raise DunningPolicyError(msg("dunning.negative_days", where=where))
            if step.fee and fee_kind_of(step.kind) is None:
                raise DunningPolicyError(msg("dunning.no_fee_for_kind", where=where, kind=kind))
            if step.kind in (StepKind.INKASSOVARSEL, StepKind.BETALINGSOPPFORDRING):
                if step.deadline_days < MIN_DEADLINE_DAYS:
                    raise DunningPolicyError(msg("dunning.deadline_too_short", where=where, days=MIN_DEADLINE_DAYS))
                if step.kind in seen:
                    raise DunningPolicyError(msg("dunning.only_one", where=where, kind=kind))
            if step.kind in (StepKind.BETALINGSOPPFORDRING, StepKind.HANDOVER) and (
                StepKind.INKASSOVARSEL not in seen
            ):
                raise DunningPolicyError(msg("dunning.needs_varsel", where=where))
            if StepKind.HANDOVER in seen:
                raise DunningPolicyError(msg("dunning.after_handover", where=where))
            if seen and _LEVEL[step.kind] < _LEVEL[seen[-1]] and step.kind is not StepKind.SOFT_REMINDER:
                raise DunningPolicyError(
                    msg("dunning.wrong_order", where=where, kind=kind, previous=msg(f"dunning.kind.{seen[-1].value}"))
                )
            seen.append(step.kind)


@dataclass(frozen=True)
class PastStep:
    """A step already taken for a claim: what, when, what it charged, and its deadline."""

    kind: StepKind
    sent_on: date
    fee: Decimal = _ZERO
    deadline: date | None = None
    compensation: Decimal = _ZERO


@dataclass(frozen=True)
class Claim:
    """An open receivable as the planner sees it."""

    id: Hashable
    customer_id: Hashable
    due_date: date
    open_amount: Decimal
    customer_kind: CustomerKind
    history: tuple[PastStep, ...] = ()
    disputed: bool = False
    blocked: bool = False
    payment_pending: bool = False
    handed_over: bool = False
    #: Interest was already charged up to (excluding) this day; it runs again from here.
    interest_charged_until: date | None = None


class Reason(str, enum.Enum):
    """Why a decision is what it is. ``READY`` means: send the step today."""

    READY = "ready"
    PAID = "paid"
    NOT_DUE = "not_due"
    DISPUTED = "disputed"
    BLOCKED = "blocked"
    PAYMENT_PENDING = "payment_pending"
    HANDED_OVER = "handed_over"
    FINISHED = "finished"
    WAITING_DAYS = "waiting_days"
    DEADLINE_RUNNING = "deadline_running"
    WAITING_FEE_DATE = "waiting_fee_date"
    MISSING_INKASSOVARSEL = "missing_inkassovarsel"
    BELOW_MINIMUM = "below_minimum"
    LAW_VALUE_UNKNOWN = "law_value_unknown"


@dataclass(frozen=True)
class Decision:
    """The planner's answer for one claim."""

    claim: Claim
    reason: Reason
    text: str
    step_index: int | None = None
    step: PolicyStep | None = None
    date: date | None = None
    fee: Decimal = _ZERO
    fee_kind: FeeKind | None = None
    interest: InterestResult | None = None
    compensation: Decimal = _ZERO
    deadline: date | None = None
    notes: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return self.reason is Reason.READY

    @property
    def interest_amount(self) -> Decimal:
        return self.interest.amount if self.interest else _ZERO

    def as_past_step(self) -> PastStep:
        """What to record in the claim's history once this decision was sent."""
        if not self.ready or self.step is None or self.date is None:
            raise ValueError("only a ready decision can be recorded")
        return PastStep(self.step.kind, self.date, self.fee, self.deadline, self.compensation)


def _blocked(claim: Claim, reason: Reason, text: str, day: date | None = None) -> Decision:
    return Decision(claim, reason, text, date=day)


def plan_claim(claim: Claim, policy: DunningPolicy, today: date) -> Decision:
    """The next allowed step for one claim on ``today``, or why there is none."""
    if claim.open_amount <= 0:
        return _blocked(claim, Reason.PAID, msg("dunning.paid"))
    history = claim.history
    if claim.handed_over or (history and history[-1].kind is StepKind.HANDOVER):
        return _blocked(claim, Reason.HANDED_OVER, msg("dunning.handed_over"))
    if claim.disputed:
        return _blocked(claim, Reason.DISPUTED, msg("dunning.disputed"))
    if claim.blocked:
        return _blocked(claim, Reason.BLOCKED, msg("dunning.blocked"))
    if claim.payment_pending:
        return _blocked(claim, Reason.PAYMENT_PENDING, msg("dunning.payment_pending"))
    first_day = claim.due_date + timedelta(days=1)
    if today < first_day:
        return _blocked(claim, Reason.NOT_DUE, msg("dunning.not_due"), first_day)
    index = len(history)
    if index >= len(policy.steps):
        return _blocked(claim, Reason.FINISHED, msg("dunning.finished"))
    if claim.open_amount < policy.min_amount:
        return _blocked(claim, Reason.BELOW_MINIMUM, msg("dunning.below_minimum"))
    step = policy.steps[index]
    notes: list[str] = []

    # When: the step's own days, then every earlier deadline.
    if step.after is Anchor.DUE_DATE or not history:
        earliest = claim.due_date + timedelta(days=step.days)
    else:
        earliest = history[-1].sent_on + timedelta(days=step.days)
    earliest = max(earliest, first_day)
    reason_wait = Reason.WAITING_DAYS
    deadlines = [past.deadline for past in history if past.deadline is not None]
    if deadlines and max(deadlines) + timedelta(days=1) > earliest:
        earliest = max(deadlines) + timedelta(days=1)
        reason_wait = Reason.DEADLINE_RUNNING
    if step.kind in (StepKind.BETALINGSOPPFORDRING, StepKind.HANDOVER):
        varsel = [p for p in history if p.kind is StepKind.INKASSOVARSEL]
        if not varsel:
            return Decision(
                claim, Reason.MISSING_INKASSOVARSEL,
                msg("dunning.missing_varsel"), index, step,
            )

    # Fee: lawful only ≥ 14 days after due, within the cap, after a ≥14-day deadline of the earlier fee.
    fee_kind = fee_kind_of(step.kind) if step.fee else None
    if fee_kind is not None:
        charged = [(fee_kind_of(p.kind) or FeeKind.REMINDER, p.fee) for p in history]
        if not fee_allowed_by_cap(FeeCount.of(charged), fee_kind):
            notes.append(msg("dunning.fee_cap"))
            fee_kind = None
        elif any(
            p.fee > 0 and (p.deadline is None or (p.deadline - p.sent_on).days < MIN_DEADLINE_DAYS)
            for p in history
        ):
            notes.append(msg("dunning.fee_no_deadline"))
            fee_kind = None
        elif earliest_fee_date(claim.due_date) > earliest:
            earliest = earliest_fee_date(claim.due_date)
            reason_wait = Reason.WAITING_FEE_DATE
    if today < earliest:
        texts = {
            Reason.WAITING_DAYS: msg("dunning.waiting_days"),
            Reason.DEADLINE_RUNNING: msg("dunning.deadline_running"),
            Reason.WAITING_FEE_DATE: msg("dunning.waiting_fee_date"),
        }
        return Decision(
            claim, reason_wait, texts[reason_wait], index, step, earliest, notes=tuple(notes)
        )

    overrides = policy.overrides
    try:
        fee = fee_for(fee_kind, today, overrides) if fee_kind is not None else _ZERO
        interest_result = None
        if step.charge_interest:
            start = max(claim.due_date, claim.interest_charged_until or claim.due_date)
            interest_result = interest(claim.open_amount, start, today, overrides)
        fees_before = sum((p.fee for p in history), _ZERO)
        comp_before = sum((p.compensation for p in history), _ZERO)
        comp = _ZERO
        if comp_before > 0 and fee > 0:
            # The compensation already covers recovery costs up to its amount (§ 3a).
            reduced = max(_ZERO, fee - comp_before)
            if reduced < fee:
                notes.append(msg("dunning.fee_reduced"))
            fee = reduced
        elif step.claim_compensation and claim.customer_kind is CustomerKind.BUSINESS and comp_before == 0:
            standard = STANDARDKOMPENSASJON.lookup(claim.due_date, overrides).value
            comp = max(_ZERO, round_money(standard - fees_before - fee))
    except LawTableError as exc:
        return Decision(claim, Reason.LAW_VALUE_UNKNOWN, exc.message, index, step, today, notes=tuple(notes))

    deadline = None
    if step.kind is not StepKind.HANDOVER and step.deadline_days:
        deadline = today + timedelta(days=step.deadline_days)
    return Decision(
        claim,
        Reason.READY,
        msg("dunning.send_today", label=step.label),
        index,
        step,
        today,
        fee,
        fee_kind if fee > 0 else None,
        interest_result,
        comp,
        deadline,
        tuple(notes),
    )


def plan(claims: Iterable[Claim], policy: DunningPolicy, today: date) -> list[Decision]:
    """:func:`plan_claim` for every claim, in the given order."""
    return [plan_claim(claim, policy, today) for claim in claims]


@dataclass(frozen=True)
class Letter:
    """One notice to one customer covering its ready claims."""

    customer_id: Hashable
    kind: StepKind
    decisions: tuple[Decision, ...]
    fee: Decimal
    fee_kind: FeeKind | None
    deadline: date | None
    interest: Decimal = field(default=_ZERO)
    compensation: Decimal = field(default=_ZERO)

    @property
    def principal(self) -> Decimal:
        return sum((d.claim.open_amount for d in self.decisions), _ZERO)

    @property
    def total(self) -> Decimal:
        return self.principal + self.fee + self.interest + self.compensation


def letters(decisions: Sequence[Decision]) -> list[Letter]:
    """Group ready decisions into one letter per customer (in first-seen order).

    The letter's kind is the most advanced step among its claims, its deadline the latest, its fee the
    highest single fee (one notice, one fee), interest and compensation the sums over its claims.
    """
    by_customer: dict[Hashable, list[Decision]] = {}
    for decision in decisions:
        if decision.ready:
            by_customer.setdefault(decision.claim.customer_id, []).append(decision)
    result = []
    for customer_id, group in by_customer.items():
        top = max(group, key=lambda d: _LEVEL[d.step.kind])  # type: ignore[union-attr]
        fee_decision = max(group, key=lambda d: d.fee)
        deadlines = [d.deadline for d in group if d.deadline is not None]
        result.append(
            Letter(
                customer_id,
                top.step.kind,  # type: ignore[union-attr]
                tuple(group),
                fee_decision.fee,
                fee_decision.fee_kind,
                max(deadlines) if deadlines else None,
                sum((d.interest_amount for d in group), _ZERO),
                sum((d.compensation for d in group), _ZERO),
            )
        )
    return result
