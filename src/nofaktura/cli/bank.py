"""``nofaktura ocr show`` and ``nofaktura camt show``: read an incoming-payments file and print it.

Exit codes: 0 read and every control total matched; 2 the file could not be used (broken,
truncated, totals that do not add up, wrong format) — the message names the file and line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nofaktura.bank import CamtReader, OcrReader, detect_format, iso20022_message
from nofaktura.bank.model import FileSummary, Payment
from nofaktura.exceptions import DocumentError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, title in (("ocr", "Nets OCR giro files"), ("camt", "ISO 20022 camt.053/054 files")):
        parser = subparsers.add_parser(name, help=f"{title} (incoming payments)", description=f"{title}.")
        commands = parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND")
        show = commands.add_parser(
            "show", help="list the transactions and totals of a file",
            description=f"Read {title.lower()}, check the control totals and list the transactions.",
        )  # fmt: skip
        show.add_argument("file", type=Path, help="the file to read")
        show.add_argument("--json", action="store_true", help="print JSON instead of a table")
        show.set_defaults(func=_show, kind=name)
        parser.set_defaults(func=lambda args, p=parser: _help(p))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _show(args: argparse.Namespace) -> int:
    path: Path = args.file
    source = str(path)
    with path.open("rb") as stream:
        head = stream.read(8192)
        kind = detect_format(head)
        stream.seek(0)
        if args.kind == "ocr":
            if kind != "ocr":
                raise DocumentError(f"not a Nets OCR giro file (looks like: {kind})", source=source, line=1)
            reader: OcrReader | CamtReader = OcrReader(stream, source)
        else:
            if not kind.startswith("camt.") and iso20022_message(head):
                raise DocumentError(f"{iso20022_message(head)} is not supported (we read camt.052/053/054)",
                                    source=source)  # fmt: skip
            if not kind.startswith("camt."):
                raise DocumentError(f"not an ISO 20022 camt message (looks like: {kind})", source=source, line=1)
            reader = CamtReader(stream, source)
        payments = list(reader)
    summary = reader.summary
    if args.json:
        json.dump(_as_json(payments, summary), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_table(payments, summary)
    return 0


def _as_json(payments: list[Payment], summary: FileSummary) -> dict[str, object]:
    return {
        "file": summary.source,
        "format": summary.format,
        "totals": summary.as_json(),
        "transactions": [payment.as_json() for payment in payments],
    }


def _print_table(payments: list[Payment], summary: FileSummary) -> None:
    out = sys.stdout
    out.write(f"File:       {summary.source}\nFormat:     {summary.format}\n")
    out.write(f"Message:    {summary.message_id or '-'}\nAccounts:   {', '.join(summary.accounts) or '-'}\n")
    period = f"{summary.period_start or '-'} – {summary.period_end or '-'}"
    out.write(f"Period:     {period}\nCount:      {summary.count}\n")
    out.write(f"Credits:    {summary.credit_total:.2f} {summary.currency or ''}\n")
    out.write(f"Debits:     {summary.debit_total:.2f} {summary.currency or ''}\n")
    if summary.declared_total is not None:
        out.write(f"Declared:   {summary.declared_total:.2f} ({summary.declared_count} transactions)\n")
    if summary.unbooked_count:
        out.write(f"Not booked: {summary.unbooked_count} (pending/information, not in the totals)\n")
    if summary.agreements:
        out.write(f"Agreements: {len(summary.agreements)}\n")
        for a in summary.agreements:
            out.write(f"  KID {a['kid'] or '-':25}  {a['change']:20}  notify {'yes' if a['notify'] else 'no'}\n")
    out.write("\n")
    out.write(f"{'date':10}  {'amount':>14}  {'cur':3}  {'kid':25}  {'type':14}  text\n")
    for p in payments:
        flags = "".join((" reversal" if p.is_reversal else "", " return" if p.is_return else "",
                         "" if p.booked else f" NOT BOOKED ({p.status})"))  # fmt: skip
        out.write(
            f"{p.date.isoformat() if p.date else '-':10}  {p.amount:>14.2f}  {p.currency:3}  {p.kid or '-':25}  "
            f"{p.transaction_type or '-':14}  {p.text or p.reference or ''}{flags}\n"
        )
