"""Default coding (standardkontering) of vendor bill lines, with no Odoo inside.

A Norwegian bookkeeper codes every purchase line with an expense account, a VAT code, the dimensions
(department, project, ...) and the person who attests it. Most lines are coded the same way every time
— paper from the office supplier goes to 6800 with full deduction and the office department — so the
coding is written once, as a rule per product and per vendor, and applied to every bill however it
arrives (typed in, uploaded, received as EHF).

Each field is resolved on its own, in a fixed order: the product rule, then the vendor rule, then
whatever the accounting system would do by itself (for the analytic distribution: its distribution
models; for the account: the product's or journal's default). A product rule may therefore give the
account and the tax while the vendor rule gives the department. The result says, per field, which rule
coded it, so the user sees why a line is coded the way it is, and gives a reason in words when a line
cannot be coded, so the bill can stay in draft with that reason instead of being posted wrong.

Analytic distributions are ``{account key: percentage}`` with Decimal percentages. A key names one
analytic account, or several joined by commas (one per analytic plan, the way Odoo writes a row of
its distribution widget). Within each plan the percentages sum to exactly 100: a default coding that
leaves part of a line undistributed, or distributes it twice, is refused when the rule is made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Generic, Literal, TypeVar

from nofaktura.exceptions import NofakturaError
from nofaktura.messages import Message, msg

__all__ = [
    "HUNDRED",
    "BillLine",
    "CodedValue",
    "CodingError",
    "CodingRule",
    "LineCoding",
    "Source",
    "code_line",
    "normalize_distribution",
    "split_amount",
]

HUNDRED = Decimal(100)
PERCENT_EXPONENT = Decimal("0.01")

Source = Literal["product", "vendor", "model", "default", "none"]
"""Who coded a field: the product rule, the vendor rule, the system's distribution model, the system's
default account, or nobody."""

T = TypeVar("T")


class CodingError(NofakturaError, ValueError):
    """A coding rule or a bill line given to the coder is not usable as it stands."""

    message = "The coding rule is not valid."
    message_key = "error.coding"


def _percent(value: object, key: str) -> Decimal:
    """A percentage as Decimal; floats go through their shortest text so 33.33 stays 33.33."""
    if isinstance(value, bool):
        raise CodingError(msg("coding.percent_not_number", key=key, value=value))
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise CodingError(msg("coding.percent_not_number", key=key, value=value)) from exc
    if not number.is_finite():
        raise CodingError(msg("coding.percent_not_number", key=key, value=value))
    return number


def normalize_distribution(
    distribution: Mapping[str, object],
    plan_of: Callable[[str], str] | Mapping[str, str] | None = None,
) -> dict[str, Decimal]:
    """Check an analytic distribution and return it with Decimal percentages rounded to 0.01.

    ``plan_of`` maps an analytic account to its plan, so a distribution over two plans (department
    100 %, project 100 %) is accepted; without it every account counts in one plan. Refused, with the
    account named: an empty key, a percentage that is not a number, not above zero or above 100, and a
    plan whose percentages do not add up to exactly 100 — a rule must distribute the whole line, once.
    """
    if not distribution:
        raise CodingError(msg("coding.empty_distribution"))
    if isinstance(plan_of, Mapping):
        plans = plan_of

        def plan_of(account: str) -> str:
            return plans.get(account, "")

    result: dict[str, Decimal] = {}
    totals: dict[str, Decimal] = {}
    for raw_key, raw_value in distribution.items():
        key = str(raw_key).strip()
        accounts = [part.strip() for part in key.split(",")]
        if not key or not all(accounts):
            raise CodingError(msg("coding.key_not_account", key=raw_key))
        value = _percent(raw_value, key)
        if value <= 0 or value > HUNDRED:
            raise CodingError(msg("coding.percent_range", key=key, value=value))
        rounded = value.quantize(PERCENT_EXPONENT)
        if rounded != value:
            raise CodingError(msg("coding.percent_decimals", key=key, value=value))
        normalized = ",".join(accounts)
        if normalized in result:
            raise CodingError(msg("coding.account_twice", key=normalized))
        result[normalized] = rounded
        seen_plans = set()
        for account in accounts:
            plan = plan_of(account) if plan_of else ""
            if plan in seen_plans:
                raise CodingError(msg("coding.same_plan", key=key))
            seen_plans.add(plan)
            totals[plan] = totals.get(plan, Decimal(0)) + rounded
    for plan, total in sorted(totals.items()):
        if total != HUNDRED:
            if plan:
                raise CodingError(msg("coding.total_in_plan", plan=plan, total=total))
            raise CodingError(msg("coding.total", total=total))
    return result


def split_amount(
    amount: Decimal, distribution: Mapping[str, Decimal], exponent: Decimal = PERCENT_EXPONENT
) -> dict[str, Decimal]:
    """Split an amount over a one-plan distribution so the parts add up to the amount exactly.

    Each part is rounded down to the currency's unit and the øre left over go, one by one, to the
    accounts with the largest remainders (ties in key order) — the way a ledger must split a line so
    the analytic entries reconcile with the line to the øre.
    """
    if not amount.is_finite():
        raise CodingError(msg("coding.amount_not_number", amount=amount))
    sign = -1 if amount < 0 else 1
    absolute = abs(amount).quantize(exponent)
    total = sum(distribution.values(), Decimal(0))
    if total <= 0:
        raise CodingError(msg("coding.empty_distribution"))
    parts: dict[str, Decimal] = {}
    remainders: list[tuple[Decimal, str]] = []
    for key, percent in distribution.items():
        exact = absolute * percent / total
        part = exact.quantize(exponent, rounding=ROUND_DOWN)
        parts[key] = part
        remainders.append((exact - part, key))
    left = int((absolute - sum(parts.values(), Decimal(0))) / exponent)
    for _, key in sorted(remainders, key=lambda item: (-item[0], item[1]))[:left]:
        parts[key] += exponent
    return {key: sign * part for key, part in parts.items()}


@dataclass(frozen=True, slots=True)
class CodingRule:
    """One default coding: what it sets on the lines it codes. ``None`` means "not coded by this rule".

    ``name`` is what the user sees as the origin of a line's coding ("Product rule: Paper A4").
    """

    name: str
    account: str | None = None
    taxes: tuple[str, ...] | None = None
    distribution: Mapping[str, Decimal] | None = None
    attestant: str | None = None
    plan_of: Mapping[str, str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise CodingError(msg("coding.rule_no_name"))
        if self.taxes is not None:
            object.__setattr__(self, "taxes", tuple(self.taxes))
        if self.distribution is not None:
            try:
                distribution = normalize_distribution(self.distribution, self.plan_of)
            except CodingError as exc:
                raise CodingError(msg("coding.rule_problem", name=self.name, problem=exc.message)) from exc
            object.__setattr__(self, "distribution", distribution)
        if self.account is None and self.taxes is None and self.distribution is None and self.attestant is None:
            raise CodingError(msg("coding.rule_codes_nothing", name=self.name))


@dataclass(frozen=True, slots=True)
class BillLine:
    """What the coder needs to know about a bill line. ``product``/``vendor`` are the keys of the rules."""

    description: str
    amount: Decimal
    product: str | None = None
    vendor: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.amount, float) or not isinstance(self.amount, Decimal):
            raise CodingError(msg("coding.line_amount_type", description=self.description, amount=self.amount))
        if not self.amount.is_finite():
            raise CodingError(msg("coding.line_amount_nan", description=self.description, amount=self.amount))


@dataclass(frozen=True, slots=True)
class CodedValue(Generic[T]):
    """One coded field: its value, who coded it, and the rule's name when a rule did."""

    value: T | None
    source: Source
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class LineCoding:
    """The coding of one line, field by field, and why it cannot be used when it cannot."""

    account: CodedValue[str]
    taxes: CodedValue[tuple[str, ...]]
    distribution: CodedValue[Mapping[str, Decimal]]
    attestant: CodedValue[str]
    problem: str | None = None

    @property
    def coded(self) -> bool:
        """Whether the line may be posted as coded."""
        return self.problem is None

    @property
    def fields(self) -> dict[str, CodedValue]:
        return {
            "account": self.account,
            "taxes": self.taxes,
            "distribution": self.distribution,
            "attestant": self.attestant,
        }

    @property
    def source(self) -> Source:
        """The strongest origin among the fields: product rule, vendor rule, distribution model, default."""
        order: tuple[Source, ...] = ("product", "vendor", "model", "default")
        sources = {value.source for value in self.fields.values()}
        return next((source for source in order if source in sources), "none")

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules that coded at least one field, product rule first."""
        names: list[str] = []
        for value in self.fields.values():
            if value.rule and value.rule not in names:
                names.append(value.rule)
        return tuple(names)

    def summary(self, labels: Mapping[str, str] | None = None) -> str:
        """Which rule coded which fields, e.g. for the line's tooltip: "account, taxes: Product rule: Paper"."""
        labels = labels or {}
        by_origin: dict[str, list[str]] = {}
        for name, value in self.fields.items():
            if value.source in ("none", "default"):
                continue
            origin = value.rule or labels.get(value.source, value.source)
            by_origin.setdefault(origin, []).append(labels.get(name, name))
        return "; ".join(f"{', '.join(names)}: {origin}" for origin, names in by_origin.items())


def _pick(attribute: str, rules: tuple[tuple[Source, CodingRule | None], ...]) -> CodedValue:
    for source, rule in rules:
        if rule is not None and getattr(rule, attribute) is not None:
            return CodedValue(getattr(rule, attribute), source, rule.name)
    return CodedValue(None, "none")


def code_line(
    line: BillLine,
    product_rules: Mapping[str, CodingRule],
    vendor_rules: Mapping[str, CodingRule],
    *,
    model_distribution: Mapping[str, Decimal] | None = None,
    default_account: str | None = None,
    required: bool = False,
) -> LineCoding:
    """Code one line: per field the product rule, then the vendor rule, then the system's own choice.

    ``model_distribution`` is what the system's analytic distribution models give for the line (used
    only when no rule gives a distribution); ``default_account`` the account the system would use
    anyway (product or journal default). A line cannot be coded when it ends up with no account at
    all, or — when ``required`` — when nothing but the system's default coded it; the reason names the
    line, its product and vendor, so the user knows which rule is missing.
    """
    chain: tuple[tuple[Source, CodingRule | None], ...] = (
        ("product", product_rules.get(line.product) if line.product is not None else None),
        ("vendor", vendor_rules.get(line.vendor) if line.vendor is not None else None),
    )
    account = _pick("account", chain)
    if account.value is None and default_account:
        account = CodedValue(default_account, "default")
    taxes = _pick("taxes", chain)
    distribution = _pick("distribution", chain)
    if distribution.value is None and model_distribution:
        distribution = CodedValue(dict(model_distribution), "model")
    attestant = _pick("attestant", chain)

    problem = None
    what = {"description": line.description, "amount": line.amount}
    if account.value is None:
        problem = msg("coding.no_account", **what, missing=_missing(line))
    elif required and all(v.source in ("none", "default") for v in (account, taxes, distribution, attestant)):
        problem = msg("coding.not_coded", **what, missing=_missing(line))
    return LineCoding(account, taxes, distribution, attestant, problem)


def _missing(line: BillLine) -> Message:
    product = msg("coding.no_product_rule", product=line.product) if line.product else msg("coding.no_product")
    vendor = msg("coding.no_vendor_rule", vendor=line.vendor) if line.vendor else msg("coding.no_vendor")
    return msg("coding.missing", product=product, vendor=vendor)
