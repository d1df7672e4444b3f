"""Norwegian dunning law: dated law tables, fees, interest, the 14-day rules and the step planner.

Modules: :mod:`.tables` (inkassosats, forsinkelsesrente, standardkompensasjon as dated data with
sources), :mod:`.fees` (fractions of the inkassosats), :mod:`.interest` (simple interest split per
half-year, B2B compensation), :mod:`.rules` (14-day rules, fee cap of inkassoforskriften § 1-3),
:mod:`.planner` (next allowed step per claim, letters per customer), :mod:`.handover` (debt-collection
agency providers). Nothing here reads the clock: ``today`` is always an argument.
"""

from __future__ import annotations

from nofaktura.dunning.fees import FeeKind, fee_for
from nofaktura.dunning.interest import CustomerKind, InterestResult, compensation, interest
from nofaktura.dunning.planner import (
    Anchor,
    Claim,
    Decision,
    DunningPolicy,
    DunningPolicyError,
    Letter,
    PastStep,
    PolicyStep,
    Reason,
    letters,
    plan,
    plan_claim,
)
from nofaktura.dunning.rules import StepKind
from nofaktura.dunning.tables import (
    FORSINKELSESRENTE,
    INKASSOSATS,
    STANDARDKOMPENSASJON,
    Certainty,
    LawOverrides,
    LawValue,
)

__all__ = [
    "FORSINKELSESRENTE",
    "INKASSOSATS",
    "STANDARDKOMPENSASJON",
    "Anchor",
    "Certainty",
    "Claim",
    "CustomerKind",
    "Decision",
    "DunningPolicy",
    "DunningPolicyError",
    "FeeKind",
    "InterestResult",
    "LawOverrides",
    "LawValue",
    "Letter",
    "PastStep",
    "PolicyStep",
    "Reason",
    "StepKind",
    "compensation",
    "fee_for",
    "interest",
    "letters",
    "plan",
    "plan_claim",
]
