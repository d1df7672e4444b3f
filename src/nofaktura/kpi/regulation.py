"""Price regulation by the consumer price index, with the rules people actually sign.

Three rules, one result type (:class:`Regulation`), all pure (every date is an argument, nothing reads the
clock or the network):

- :func:`residential_rent` — husleieloven § 4-2: either party may demand the rent changed by the change in
  KPI since the rent was last set; at most once every 12 months since the last setting (the agreed rent or the
  last regulation); one month's written notice; the new rent applies one month after the notice at the earliest.
  The index runs from the month of the last setting to the most recent month published when the notice is
  given. The rent may go down as well as up (either party may demand it).
- :func:`commercial_lease` — the usual clause of commercial leases: every year from a fixed date (1 January)
  by a fixed index month (the October index before it), optionally only a share of the change (80 %) and
  optionally never below the agreed starting rent (the floor).
- :func:`percentage` — a plain agreed percentage.

Amounts are Decimal (floats refused) and the new amount is rounded once, at the end, to øre with
ROUND_HALF_UP — the commercial rounding Norwegian invoices use — unless the agreement says otherwise
(:class:`Rounding`, e.g. whole kroner). The factor is computed exactly (one division), so 80 % of a change is
not 80 % of a rounded percentage.

When a regulation is not allowed yet, the result says so (``allowed`` False, the old amount kept, ``reason`` in
English and bokmål) rather than raising: a yearly run over thousands of agreements lists the reasons. Inputs
that contradict each other (a float, index values on different bases, a notice before the last setting) raise
:class:`~nofaktura.exceptions.RegulationError`; a missing index month raises
:class:`~nofaktura.exceptions.IndexNotPublished`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from nofaktura.approval.model import Text, is_nb
from nofaktura.exceptions import RegulationError
from nofaktura.kpi.index import IndexSeries, IndexValue, Period, add_months
from nofaktura.messages import Message, msg
from nofaktura.money import CENT

__all__ = [
    "ROUND_TO_KRONE",
    "ROUND_TO_ORE",
    "CommercialClause",
    "Regulation",
    "Rounding",
    "Rule",
    "commercial_lease",
    "index_change_percent",
    "latest_notice_date",
    "percentage",
    "regulate_amount",
    "residential_rent",
]

HUNDRED = Decimal(100)


class Rule(str, Enum):
    """Which clause a regulation followed."""

    RESIDENTIAL = "residential"  # husleieloven § 4-2
    COMMERCIAL = "commercial"  # fixed index month, fixed date, optional share and floor
    PERCENTAGE = "percentage"  # a plain agreed percentage


@dataclass(frozen=True)
class Rounding:
    """How the new amount is rounded: to ``exponent`` (0.01 = øre, 1 = whole kroner) with ``mode`` (a
    ``decimal`` rounding constant). Default: øre, ROUND_HALF_UP, as invoices round."""

    exponent: Decimal = CENT
    mode: str = ROUND_HALF_UP

    def apply(self, amount: Decimal) -> Decimal:
        return amount.quantize(self.exponent, rounding=self.mode)


ROUND_TO_ORE = Rounding()
ROUND_TO_KRONE = Rounding(Decimal(1))


def _amount(value: object, what: Message) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        kind = type(value).__name__
        raise RegulationError(msg("kpi.not_decimal", what=what, kind=kind))
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise RegulationError(msg("kpi.not_finite_amount", what=what, value=value))
    return amount


def _same_base(index_from: IndexValue, index_to: IndexValue) -> None:
    if (index_from.base_year, index_from.table) != (index_to.base_year, index_to.table):
        raise RegulationError(msg(
            "kpi.different_bases", period_from=index_from.period, table_from=index_from.table,
            base_from=index_from.base_year, period_to=index_to.period, table_to=index_to.table,
            base_to=index_to.base_year,
        ))  # fmt: skip


def index_change_percent(index_from: IndexValue, index_to: IndexValue) -> Decimal:
    """The change between two index months in per cent, unrounded (same base required)."""
    _same_base(index_from, index_to)
    return (index_to.value / index_from.value - 1) * HUNDRED


def regulate_amount(
    amount: Decimal,
    index_from: IndexValue,
    index_to: IndexValue,
    *,
    share_percent: Decimal = HUNDRED,
    rounding: Rounding = ROUND_TO_ORE,
) -> Decimal:
    """``amount`` changed by ``share_percent`` % of the index change from ``index_from`` to ``index_to``, rounded.

    new = amount × (from + share × (to − from)) / from, one exact division, rounded once. Both values must be
    on the same table and base (:func:`~nofaktura.kpi.index.chain` across a change of base).
    """
    amount = _amount(amount, msg("kpi.what_amount"))
    share = _amount(share_percent, msg("kpi.what_share")) / HUNDRED
    _same_base(index_from, index_to)
    moved = index_from.value + share * (index_to.value - index_from.value)
    return rounding.apply(amount * moved / index_from.value)


def latest_notice_date(effective: date, months: int = 1) -> date:
    """The last day a written notice can be given for a change from ``effective`` with ``months`` of notice.

    The latest N with add_months(N, months) <= effective: when ``effective`` is the last day of its month, the
    last day of the month ``months`` earlier (31 January + 1 month is 28 February).
    """
    candidate = add_months(effective, -months)
    if effective.day == calendar.monthrange(effective.year, effective.month)[1]:
        candidate = candidate.replace(day=calendar.monthrange(candidate.year, candidate.month)[1])
    return candidate


@dataclass(frozen=True, kw_only=True)
class Regulation:
    """The outcome of one regulation, with everything a notice letter or an audit needs.

    ``allowed`` False: ``new_amount`` equals ``old_amount`` and ``reason`` says why (``reason.text("nb")``
    in bokmål), with ``earliest_effective_date`` when a later date would pass. ``change_percent`` is the
    index change (unrounded), ``applied_percent`` the change applied to the amount after the share.
    """

    rule: Rule
    allowed: bool
    old_amount: Decimal
    new_amount: Decimal
    effective_date: date
    index_from: IndexValue | None = None
    index_to: IndexValue | None = None
    change_percent: Decimal | None = None
    applied_percent: Decimal | None = None
    notice_date: date | None = None
    notice_deadline: date | None = None
    earliest_effective_date: date | None = None
    floor_applied: bool = False
    reason: Text | None = None
    rounding: Rounding = ROUND_TO_ORE

    @property
    def difference(self) -> Decimal:
        return self.new_amount - self.old_amount

    def as_json(self) -> dict[str, object]:
        """JSON-ready dict (amounts and percentages as decimal strings, dates ISO, the reason in en and nb), so
        an ERP can store the whole outcome with the proposal it makes and show it again unchanged."""

        def day(value: date | None) -> str | None:
            return value.isoformat() if value else None

        def number(value: Decimal | None) -> str | None:
            return None if value is None else f"{value:f}"

        return {
            "rule": self.rule.value, "allowed": self.allowed,
            "old_amount": number(self.old_amount), "new_amount": number(self.new_amount),
            "effective_date": day(self.effective_date),
            "index_from": self.index_from.as_json() if self.index_from else None,
            "index_to": self.index_to.as_json() if self.index_to else None,
            "change_percent": number(self.change_percent), "applied_percent": number(self.applied_percent),
            "notice_date": day(self.notice_date), "notice_deadline": day(self.notice_deadline),
            "earliest_effective_date": day(self.earliest_effective_date), "floor_applied": self.floor_applied,
            "reason": {"en": str.__str__(self.reason), "nb": self.reason.text("nb")} if self.reason else None,
            "rounding": {"exponent": number(self.rounding.exponent), "mode": self.rounding.mode},
        }  # fmt: skip

    def text(self, lang: str = "en") -> str:
        """One line for people: the amounts, the date, the index values used, or why not."""
        nb = is_nb(lang)
        if not self.allowed:
            why = self.reason.text(lang) if self.reason else ""
            return f"Ingen regulering: {why}" if nb else f"No regulation: {why}"
        day = self.effective_date.strftime("%d.%m.%Y") if nb else self.effective_date.isoformat()
        old, new = _money(self.old_amount, nb), _money(self.new_amount, nb)
        line = f"{old} → {new} fra {day}" if nb else f"{old} → {new} from {day}"
        if self.index_from is not None and self.index_to is not None:
            f, t = self.index_from, self.index_to
            base = f"{t.base_year}=100"
            if f.link or t.link:  # a re-based value has many decimals: four say enough, the link says how
                link = f.link or t.link
                base += f", kjedet i {link}" if nb else f", chained at {link}"
            line += (
                f"; KPI {f.period} {_num(f.value, nb, 4 if f.link else None)} → "
                f"{t.period} {_num(t.value, nb, 4 if t.link else None)} ({base}), {_num(self.change_percent, nb, 2)} %"
            )
            if self.applied_percent is not None and self.applied_percent != self.change_percent:
                applied = _num(self.applied_percent, nb, 2)
                line += f", {applied} % brukt" if nb else f", {applied} % applied"
        elif self.applied_percent is not None:
            line += f" ({_num(self.applied_percent, nb, 2)} %)"
        if self.floor_applied:
            line += "; ikke under avtalt leie" if nb else "; not below the agreed amount"
        return line


def _num(value: Decimal | None, nb: bool, places: int | None = None) -> str:
    if value is None:
        return ""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{value:f}"
    return text.replace(".", ",") if nb else text


def _money(value: Decimal, nb: bool) -> str:
    text = f"{value:,.2f}"
    return text.replace(",", " ").replace(".", ",") if nb else text


def _refused(base: Regulation, reason: Text, earliest: date | None = None) -> Regulation:
    """``base`` (the dates and amounts every outcome shares) refused for ``reason``: the amount stays."""
    return replace(base, allowed=False, new_amount=base.old_amount, reason=reason,
                   earliest_effective_date=earliest or base.earliest_effective_date)  # fmt: skip


def residential_rent(
    rent: Decimal,
    *,
    last_set: date,
    notice_date: date,
    series: IndexSeries,
    effective_date: date | None = None,
    index_from: Period | None = None,
    index_to: Period | None = None,
    rounding: Rounding = ROUND_TO_ORE,
) -> Regulation:
    """Regulate a residential rent by KPI under husleieloven § 4-2.

    ``last_set``: the day the rent was last set (the agreed rent or the last regulation). ``notice_date``: the
    day the written notice is given. ``effective_date``: when the new rent should apply; by default the
    earliest the law allows, max(notice + 1 month, last setting + 12 months). The index runs from the month of
    ``last_set`` (``index_from`` overrides, when the agreement names another month) to the most recent month in
    ``series`` before the notice month (``index_to`` overrides; it cannot be after the notice: the notice
    states the new rent). Fetch ``series`` when the notice is written.

    Not allowed (result with a reason): an effective date less than 12 months after the last setting or less
    than one month after the notice; no newer index than the month of the last setting yet.
    """
    rent = _amount(rent, msg("kpi.what_rent"))
    if notice_date < last_set:
        raise RegulationError(msg("kpi.notice_before_set", notice=notice_date, last_set=last_set))
    year_after = add_months(last_set, 12)
    month_after_notice = add_months(notice_date, 1)
    earliest = max(year_after, month_after_notice)
    effective = effective_date or earliest
    notice_month = Period.of(notice_date)
    if index_to is not None and index_to >= notice_month:
        raise RegulationError(msg("kpi.index_after_notice", index=index_to, notice=notice_date))
    base = Regulation(rule=Rule.RESIDENTIAL, allowed=False, old_amount=rent, new_amount=rent, effective_date=effective,
                      notice_date=notice_date, notice_deadline=latest_notice_date(effective),
                      earliest_effective_date=earliest, rounding=rounding)  # fmt: skip
    if effective < year_after:
        return _refused(
            base,
            Text(f"less than 12 months since {last_set}, when the rent was last set: "
                 f"the new rent can apply from {earliest} at the earliest",
                 f"mindre enn 12 måneder siden {last_set}, da leien sist ble fastsatt: "
                 f"ny leie kan tidligst gjelde fra {earliest}"),
        )  # fmt: skip
    if effective < month_after_notice:
        return _refused(
            base,
            Text(f"less than one month's written notice (notice given {notice_date}): "
                 f"the new rent can apply from {earliest} at the earliest",
                 f"mindre enn én måneds skriftlig varsel (varslet {notice_date}): "
                 f"ny leie kan tidligst gjelde fra {earliest}"),
        )  # fmt: skip
    # The dates are judged first: "less than 12 months" is the answer even when the series lacks the months.
    start = series[index_from or Period.of(last_set)]
    if index_to is not None:
        end: IndexValue | None = series[index_to]
    else:
        # Nothing published before the notice month that the series holds: the same as nothing newer (below).
        end = series.latest(before=notice_month) if any(p < notice_month for p in series) else None
    if end is None or end.period <= start.period:
        return _refused(
            replace(base, index_from=start, index_to=end),
            Text(f"no index newer than {start.period} (the month of the last setting) is published yet",
                 f"ingen indeks nyere enn {start.period} (måneden for siste fastsetting) er publisert ennå"),
        )  # fmt: skip
    change = index_change_percent(start, end)
    return replace(base, allowed=True, new_amount=regulate_amount(rent, start, end, rounding=rounding),
                   index_from=start, index_to=end, change_percent=change, applied_percent=change)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class CommercialClause:
    """The regulation clause of a commercial lease (or any agreement regulated once a year on a fixed date).

    ``index_month``: the index month applied (10 = the October index); the one before ``effective_month`` /
    ``effective_day`` (1 January) in the calendar is used, i.e. October of the previous year. ``share_percent``:
    part of the index change passed on (100, or e.g. 80). ``floor``: never below the agreed (starting) amount
    (a lease saying "never reduced" instead passes the current rent as ``agreed_rent``).
    ``notice_months``: written notice required before the effective date (0: the clause regulates without
    notice). ``rounding``: see :class:`Rounding`.
    """

    index_month: int = 10
    effective_month: int = 1
    effective_day: int = 1
    share_percent: Decimal = HUNDRED
    floor: bool = True
    notice_months: int = 0
    rounding: Rounding = ROUND_TO_ORE

    def __post_init__(self) -> None:
        if not 1 <= self.index_month <= 12 or not 1 <= self.effective_month <= 12:
            raise RegulationError(msg("kpi.clause_months"))
        date(2001, self.effective_month, self.effective_day)  # ValueError for 30 February (29 Feb refused too)
        share = _amount(self.share_percent, msg("kpi.what_share"))
        if not 0 < share <= HUNDRED:
            raise RegulationError(msg("kpi.clause_share", share=share))
        if not 0 <= self.notice_months <= 24:
            raise RegulationError(msg("kpi.clause_notice"))

    def effective_date(self, year: int) -> date:
        """The day the regulation of ``year`` applies from."""
        return date(year, self.effective_month, self.effective_day)

    def index_period(self, year: int) -> Period:
        """The index month used for the regulation of ``year``: the last ``index_month`` before its date."""
        before = self.index_month < self.effective_month
        return Period(year if before else year - 1, self.index_month)


def commercial_lease(
    rent: Decimal,
    *,
    agreed_rent: Decimal,
    index_from: Period,
    year: int,
    series: IndexSeries,
    clause: CommercialClause | None = None,
    notice_date: date | None = None,
) -> Regulation:
    """The regulation of ``year`` under a commercial lease clause.

    ``rent``: the amount regulated; ``index_from``: the index month that amount rests on. Two styles give the
    same result at 100 % and no floor: from the start (``rent`` = the agreed rent, ``index_from`` = the base
    index month of the lease) or year by year (``rent`` = the current rent, ``index_from`` = last year's index
    month). With a share below 100 % they differ: use the style the lease's words describe. ``agreed_rent``:
    the floor when the clause has one. ``notice_date``: when the clause requires notice, the day it is given
    (None: not given yet; ``notice_deadline`` says by when).

    Not allowed (result with a reason): the index month of ``year`` is not after ``index_from`` (already
    regulated with it), or the notice was given after its deadline.
    """
    clause = clause or CommercialClause()
    rent = _amount(rent, msg("kpi.what_rent"))
    agreed = _amount(agreed_rent, msg("kpi.what_agreed_rent"))
    effective = clause.effective_date(year)
    deadline = latest_notice_date(effective, clause.notice_months) if clause.notice_months else None
    target = clause.index_period(year)
    base = Regulation(rule=Rule.COMMERCIAL, allowed=False, old_amount=rent, new_amount=rent, effective_date=effective,
                      notice_date=notice_date, notice_deadline=deadline, rounding=clause.rounding)  # fmt: skip
    if target <= index_from:
        next_year = year
        while clause.index_period(next_year) <= index_from:
            next_year += 1
        return _refused(
            base,
            Text(f"the index of {target} is not later than {index_from}, the index the amount already rests on",
                 f"indeksen for {target} er ikke senere enn {index_from}, som beløpet allerede bygger på"),
            clause.effective_date(next_year),
        )  # fmt: skip
    if deadline is not None and notice_date is not None and notice_date > deadline:
        return _refused(
            base,
            Text(f"the notice of {notice_date} is after the deadline {deadline} for {effective}",
                 f"varselet {notice_date} er gitt etter fristen {deadline} for {effective}"),
            clause.effective_date(year + 1),
        )  # fmt: skip
    start, end = series[index_from], series[target]
    change = index_change_percent(start, end)
    new = regulate_amount(rent, start, end, share_percent=clause.share_percent, rounding=clause.rounding)
    floor_applied = clause.floor and new < agreed
    if floor_applied:
        new = clause.rounding.apply(agreed)
    return replace(base, allowed=True, new_amount=new, index_from=start, index_to=end, change_percent=change,
                   applied_percent=change * Decimal(clause.share_percent) / HUNDRED,
                   floor_applied=floor_applied)  # fmt: skip


def percentage(
    amount: Decimal,
    percent: Decimal,
    *,
    effective_date: date,
    notice_date: date | None = None,
    notice_months: int = 0,
    rounding: Rounding = ROUND_TO_ORE,
) -> Regulation:
    """``amount`` changed by a plain agreed ``percent`` (negative lowers it) from ``effective_date``.

    With ``notice_months``, a notice given after the deadline is not allowed (result with a reason).
    """
    amount = _amount(amount, msg("kpi.what_amount"))
    if isinstance(percent, bool) or not isinstance(percent, (Decimal, int)) or not Decimal(percent).is_finite():
        raise RegulationError(msg("kpi.percent_not_decimal"))
    percent = Decimal(percent)
    if percent <= -HUNDRED:
        raise RegulationError(msg("kpi.percent_too_low", percent=percent))
    deadline = latest_notice_date(effective_date, notice_months) if notice_months else None
    base = Regulation(rule=Rule.PERCENTAGE, allowed=False, old_amount=amount, new_amount=amount,
                      effective_date=effective_date, notice_date=notice_date, notice_deadline=deadline,
                      rounding=rounding)  # fmt: skip
    if deadline is not None and notice_date is not None and notice_date > deadline:
        return _refused(
            base,
            Text(f"the notice of {notice_date} is after the deadline {deadline} for {effective_date}",
                 f"varselet {notice_date} er gitt etter fristen {deadline} for {effective_date}"),
            add_months(notice_date, notice_months),
        )  # fmt: skip
    new = rounding.apply(amount * (HUNDRED + percent) / HUNDRED)
    return replace(base, allowed=True, new_amount=new, applied_percent=percent)
