"""``nofaktura dunning``: the law values in force on a day, and late-payment interest.

``nofaktura dunning rates --date 2026-03-01 [--json]`` prints the inkassosats, the reminder fee, the
inkassovarsel fee, the betalingsoppfordring fee (egeninkasso), the forsinkelsesrente and the B2B
standard compensation for that day, each with its source and certainty. A value the library does not
know is printed as ``unknown`` (``null`` in JSON) and the exit code is 1 ("checked, not complete");
0 when every value is known; 2 for unusable arguments.

``nofaktura dunning interest --amount 1000 --from 2025-06-01 --to 2025-08-01 [--json]`` prints the
interest with its split per half-year (actual/365, simple interest, days ``[from, to)``). Exit 2 when a
rate of the period is unknown.

For a half-year the law tables do not know yet (the tables are updated by hand), the company gives
its own value: ``--rate PERCENT`` (forsinkelsesrente, both commands) and ``--compensation AMOUNT``
(standardkompensasjon, ``rates``). They fill only the gaps (a value the tables hold is never replaced)
and show with certainty ``supplied`` (:class:`nofaktura.dunning.tables.LawOverrides`). Amounts, rates
and compensations are never negative.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, timedelta
from decimal import Decimal

from nofaktura.dunning.fees import FeeKind, fee_fraction
from nofaktura.dunning.interest import interest
from nofaktura.dunning.tables import (
    FORSINKELSESRENTE,
    INKASSOSATS,
    STANDARDKOMPENSASJON,
    LawOverrides,
    LawValue,
    half_year,
)
from nofaktura.exceptions import LawTableError
from nofaktura.money import round_money, to_decimal

__all__ = ["register"]

EXIT_OK, EXIT_INCOMPLETE, EXIT_UNUSABLE = 0, 1, 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


# Plain decimal notation with at most 15 integer digits: NaN, Infinity and exponents ("1e999999999")
# are not amounts and made the interest arithmetic print NaN or raise decimal.Overflow.
_PLAIN_AMOUNT = re.compile(r"[+-]?(\d{1,15}(\.\d{0,10})?|\.\d{1,10})")


def _amount(text: str) -> Decimal:
    """A non-negative amount: a negative principal, rate or compensation has no meaning in dunning law."""
    if not _PLAIN_AMOUNT.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"not an amount (write e.g. 1250.50): {text!r}")
    try:
        value = to_decimal(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _fill_gaps(
    start: date, end: date, rate: Decimal | None, compensation: Decimal | None = None
) -> LawOverrides | None:
    """Overrides for the half-years in ``[start, end]`` that the law tables do not know, and only those.

    ``--rate`` / ``--compensation`` are the company's own values for periods the library lacks (a new
    half-year before the tables are updated). They never replace a value the tables hold: a company
    that mistyped a rate should not silently change interest already fixed by law.
    """
    if rate is None and compensation is None:
        return None
    rates: dict[date, Decimal] = {}
    amounts: dict[date, Decimal] = {}
    day = start
    while day <= end:
        period = half_year(day)
        for value, table, target in ((rate, FORSINKELSESRENTE, rates), (compensation, STANDARDKOMPENSASJON, amounts)):
            if value is None:
                continue
            try:
                table.lookup(day)
            except LawTableError:
                target[period.start] = value
        day = period.end + timedelta(days=1)
    for option, value, target in (("--rate", rate, rates), ("--compensation", compensation, amounts)):
        if value is not None and not target:
            print(f"nofaktura: note: {option} not used: the law tables know every half-year asked for",
                  file=sys.stderr)  # fmt: skip
    return LawOverrides(forsinkelsesrente=rates, standardkompensasjon=amounts)


def _entry(value: Decimal | None, row: LawValue | None, unit: str, note: str = "") -> dict[str, object]:
    return {
        "value": None if value is None else str(value),
        "unit": unit,
        "source": row.source if row else None,
        "certainty": row.certainty.value if row else None,
        "valid_from": row.valid_from.isoformat() if row else None,
        "valid_to": row.valid_to.isoformat() if row else None,
        "note": note,
    }


def rates_on(day: date, overrides: LawOverrides | None = None) -> dict[str, dict[str, object]]:
    """The values in force on ``day``; unknown ones have ``value`` None and a note.

    ``overrides`` are values the company supplied; they show with certainty ``supplied``.
    """
    result: dict[str, dict[str, object]] = {}
    try:
        sats_row: LawValue | None = INKASSOSATS.lookup(day)
    except LawTableError as exc:
        sats_row = None
        result["inkassosats"] = _entry(None, None, "NOK", str(exc))
    if sats_row is not None:
        result["inkassosats"] = _entry(sats_row.value, sats_row, "NOK")
    for key, kind in (
        ("reminder_fee", FeeKind.REMINDER),
        ("inkassovarsel_fee", FeeKind.INKASSOVARSEL),
        ("betalingsoppfordring_fee", FeeKind.BETALINGSOPPFORDRING),
    ):
        fraction = fee_fraction(kind, day)
        note = f"{fraction} of the inkassosats"
        if sats_row is None:
            result[key] = _entry(None, None, "NOK", note + " (inkassosats unknown)")
        else:
            result[key] = _entry(round_money(fraction.of(sats_row.value)), sats_row, "NOK", note)
    for key, table, unit in (
        ("forsinkelsesrente", FORSINKELSESRENTE, "percent p.a."),
        ("standardkompensasjon", STANDARDKOMPENSASJON, "NOK"),
    ):
        try:
            row = table.lookup(day, overrides)
            result[key] = _entry(row.value, row, unit)
        except LawTableError as exc:
            result[key] = _entry(None, None, unit, str(exc))
    return result


def _cmd_rates(args: argparse.Namespace) -> int:
    values = rates_on(args.date, _fill_gaps(args.date, args.date, args.rate, args.compensation))
    complete = all(v["value"] is not None for v in values.values())
    if args.json:
        print(json.dumps({"date": args.date.isoformat(), "complete": complete, "values": values}, indent=1))
    else:
        print(f"Values in force on {args.date.isoformat()}:")
        for key, entry in values.items():
            shown = entry["value"] if entry["value"] is not None else "unknown"
            certainty = f" [{entry['certainty']}]" if entry["certainty"] else ""
            note = f" — {entry['note']}" if entry["note"] else ""
            print(f"  {key:26} {shown} {entry['unit']}{certainty}{note}")
            if entry["source"]:
                print(f"  {'':26} source: {entry['source']}")
    return EXIT_OK if complete else EXIT_INCOMPLETE


def _cmd_interest(args: argparse.Namespace) -> int:
    if args.to < args.from_:
        print("nofaktura: error: --to is before --from", file=sys.stderr)
        return EXIT_UNUSABLE
    result = interest(args.amount, args.from_, args.to, _fill_gaps(args.from_, args.to, args.rate))
    parts = [
        {
            "period_start": p.period.start.isoformat(),
            "from": p.start.isoformat(),
            "to": p.end.isoformat(),
            "days": p.days,
            "rate": str(p.rate),
            "certainty": p.rate_source.certainty.value,
            "interest": str(p.amount),
            "interest_exact": str(p.exact),
        }
        for p in result.parts
    ]
    if args.json:
        print(json.dumps({
            "amount": str(args.amount), "from": args.from_.isoformat(), "to": args.to.isoformat(),
            "days": result.days, "convention": "simple interest, actual/365, days [from, to)",
            "interest": str(result.amount), "parts": parts,
        }, indent=1))
    else:
        print(f"Interest on {args.amount} from {args.from_} to {args.to} ({result.days} days): {result.amount}")
        for part in parts:
            print(f"  {part['from']}..{part['to']} {part['days']:>4} days at {part['rate']} % "
                  f"[{part['certainty']}]: {part['interest']}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dunning", help="Norwegian dunning law values and interest")
    sub = parser.add_subparsers(dest="dunning_command", metavar="COMMAND", required=True)
    rates = sub.add_parser(
        "rates",
        help="Inkassosats, fees, interest rate and B2B compensation in force on a day",
        description="Exit 0 when every value is known, 1 when some value is unknown, 2 on bad input.",
    )
    rates.add_argument("--date", metavar="DATE", type=_date, required=True, help="The day, YYYY-MM-DD")
    rates.add_argument("--rate", metavar="PERCENT", type=_amount,
                       help="The company's forsinkelsesrente (percent a year) for a half-year the law tables lack")
    rates.add_argument("--compensation", metavar="AMOUNT", type=_amount,
                       help="The company's B2B standardkompensasjon (NOK) for a half-year the law tables lack")
    rates.add_argument("--json", action="store_true", help="Print JSON instead of text")
    rates.set_defaults(func=_cmd_rates)
    inter = sub.add_parser(
        "interest",
        help="Late-payment interest split per half-year",
        description="Simple interest, actual/365, days [from, to). Exit 2 when a rate is unknown.",
    )
    inter.add_argument("--amount", metavar="AMOUNT", type=_amount, required=True,
                       help="The overdue amount in NOK (not negative)")
    inter.add_argument("--from", dest="from_", metavar="DATE", type=_date, required=True,
                       help="Due date, YYYY-MM-DD")
    inter.add_argument("--to", metavar="DATE", type=_date, required=True, help="Payment day, YYYY-MM-DD")
    inter.add_argument("--rate", metavar="PERCENT", type=_amount,
                       help="The company's forsinkelsesrente (percent a year) for half-years the law tables lack")
    inter.add_argument("--json", action="store_true", help="Print JSON instead of text")
    inter.set_defaults(func=_cmd_interest)
