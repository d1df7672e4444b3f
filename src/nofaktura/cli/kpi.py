"""``nofaktura kpi``: read a Statistics Norway index answer and regulate an amount between two months.

::

    nofaktura kpi show answer.json                                   # the months and values in the answer
    nofaktura kpi regulate answer.json --amount 12000 --from 2024M02 --to 2025M02 [--share 80] [--json]

FILE is a JSON-stat 2.0 answer of PxWebApi (``-`` = standard input), e.g. saved from
``https://data.ssb.no/api/pxwebapi/v2/tables/03013/data?valueCodes[Konsumgrp]=TOTAL&valueCodes[ContentsCode]=KpiIndMnd&valueCodes[Tid]=top(36)``.
The table, contents code and base year are options with 03013 / KpiIndMnd / 2015 as defaults; an answer that
is another table or states another base year is refused. The new amount is rounded to øre half up
(``--whole-kroner`` for whole kroner). Exit codes: 0 done, 2 unusable input (unreadable file, not the table,
a month missing from the answer).
"""

from __future__ import annotations

import argparse
import re
from decimal import Decimal

from nofaktura.cli._common import input_name, read_input, write_json
from nofaktura.exceptions import RegulationError
from nofaktura.kpi import (
    ROUND_TO_KRONE,
    ROUND_TO_ORE,
    IndexSeries,
    IndexTable,
    Period,
    index_change_percent,
    parse_index_response,
    regulate_amount,
)
from nofaktura.kpi.jsonstat import MAX_RESPONSE_BYTES
from nofaktura.messages import msg

__all__ = ["register"]

_PLAIN_AMOUNT = re.compile(r"\d{1,15}(\.\d{1,10})?")


def _month(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a month (YYYYMmm, e.g. 2024M10): {text!r}") from exc


def _amount(text: str) -> Decimal:
    if not _PLAIN_AMOUNT.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"not an amount (digits, optional decimals): {text!r}")
    return Decimal(text.strip())


def _share(text: str) -> Decimal:
    value = _amount(text)
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"the share is above 0 and at most 100 per cent: {text!r}")
    return value


def _series(args: argparse.Namespace) -> IndexSeries:
    try:
        table = IndexTable(table=args.table, contents_code=args.contents, base_year=args.base_year)
    except ValueError as exc:  # bad settings on the command line: unusable, like a bad argument
        raise RegulationError(msg("kpi.bad_table_settings", detail=exc)) from None
    return parse_index_response(read_input(args.file, max_bytes=MAX_RESPONSE_BYTES), table,
                                source=input_name(args.file))  # fmt: skip


def _show(args: argparse.Namespace) -> int:
    series = _series(args)
    if args.json:
        write_json({"file": input_name(args.file), "table": series.table, "base_year": series.base_year,
                    "months": [v.as_json() for v in series.values()]}, items=len(series))  # fmt: skip
        return 0
    print(f"{input_name(args.file)}: table {series.table}, {series.base_year}=100, {len(series)} months")
    for value in series.values():
        print(f"{value.period}  {value.value}")
    return 0


def _regulate(args: argparse.Namespace) -> int:
    series = _series(args)
    start, end = series[getattr(args, "from")], series[args.to]
    rounding = ROUND_TO_KRONE if args.whole_kroner else ROUND_TO_ORE
    new = regulate_amount(args.amount, start, end, share_percent=args.share, rounding=rounding)
    change = index_change_percent(start, end)
    if args.json:
        write_json({"amount": str(args.amount), "new_amount": str(new), "share_percent": str(args.share),
                    "change_percent": str(change.quantize(Decimal("0.0001"))), "index_from": start.as_json(),
                    "index_to": end.as_json()})  # fmt: skip
        return 0
    share = f", {args.share} % of it applied" if args.share != 100 else ""
    print(f"{args.amount} → {new}")
    print(f"KPI {start.period} {start.value} → {end.period} {end.value} ({end.base_year}=100, table {end.table}): "
          f"{change.quantize(Decimal('0.01'))} %{share}")  # fmt: skip
    return 0


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="A JSON-stat 2.0 answer of Statistics Norway ('-' for stdin)")
    parser.add_argument("--table", default="03013", help="Table id the answer must be (default 03013)")
    parser.add_argument("--contents", default="KpiIndMnd", help="Contents code of the index (default KpiIndMnd)")
    parser.add_argument("--base-year", type=int, default=2015, help="Base year the index is on (default 2015)")
    parser.add_argument("--json", action="store_true", help="Print JSON")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "kpi", help="Read a KPI answer of Statistics Norway and regulate an amount by it",
        description="Read a JSON-stat 2.0 answer of Statistics Norway and regulate an amount between two months.",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="kpi_command", metavar="COMMAND", required=True)
    show = commands.add_parser("show", help="List the months and index values in the answer")
    _add_common(show)
    show.set_defaults(func=_show)
    regulate = commands.add_parser("regulate", help="Regulate an amount by the change between two index months")
    _add_common(regulate)
    regulate.add_argument("--amount", type=_amount, required=True, help="The amount to regulate, e.g. 12000.00")
    regulate.add_argument("--from", type=_month, required=True, metavar="MONTH", help="Index month of the amount")
    regulate.add_argument("--to", type=_month, required=True, metavar="MONTH", help="Index month to regulate to")
    regulate.add_argument("--share", type=_share, default=Decimal(100),
                          help="Per cent of the index change applied (default 100)")  # fmt: skip
    regulate.add_argument("--whole-kroner", action="store_true", help="Round to whole kroner instead of øre")
    regulate.set_defaults(func=_regulate)
