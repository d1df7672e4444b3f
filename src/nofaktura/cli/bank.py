"""``nofaktura ocr show`` and ``nofaktura camt show``: read an incoming-payments file and print it.

Exit codes: 0 read and every control total matched; 2 the file could not be used (broken,
truncated, totals that do not add up, wrong format) — the message names the file and line.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import sys
from dataclasses import fields
from operator import attrgetter

from nofaktura.bank import CamtReader, OcrReader, detect_format, iso20022_message
from nofaktura.bank.model import FileSummary, Payment
from nofaktura.cli._common import input_name, open_input, write_json
from nofaktura.exceptions import DocumentError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, title in (("ocr", "Nets OCR giro files"), ("camt", "ISO 20022 camt.053/054 files")):
        parser = subparsers.add_parser(name, help=f"{title} (incoming payments)", description=f"{title}.")
        commands = parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND")
        show = commands.add_parser(
            "show", help="List the transactions and totals of a file",
            description=f"Read {title.lower()}, check the control totals and list the transactions.",
        )  # fmt: skip
        show.add_argument("file", metavar="FILE", help="The file to read ('-' for stdin)")
        show.add_argument("--json", action="store_true", help="Print JSON instead of a table")
        show.set_defaults(func=_show, kind=name)
        parser.set_defaults(func=lambda args, p=parser: _help(p))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _show(args: argparse.Namespace) -> int:
    source = input_name(args.file)
    with open_input(args.file) as stream:
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
    _emit(args, payments, reader.summary)
    return 0


def _emit(args: argparse.Namespace, payments: list[Payment], summary: FileSummary) -> None:
    """Print what ``show`` read: the table, or with ``--json`` the JSON document in one write."""
    if args.json:
        # 100,000 payments make a few million short-lived, acyclic objects: the cyclic garbage collector
        # would walk all of them again and again while they are built (about half the output time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            write_json(_as_json(payments, summary), items=len(payments))
        finally:
            if collecting:
                gc.enable()
    else:
        _print_table(payments, summary)


#: Every field of Payment, read in one call per payment. Built from the dataclass so that a field
#: added to Payment appears in the JSON without touching this module.
_PAYMENT_FIELDS = tuple(f.name for f in fields(Payment))
_payment_values = attrgetter(*_PAYMENT_FIELDS)
_MISSING = object()


def _payments_json(payments: list[Payment]) -> list[dict[str, object]]:
    """The same dicts as :meth:`Payment.as_json`, built without ``asdict``'s deep copy per object.

    ``asdict`` copies each dataclass recursively; for 100,000 payments that alone cost more than
    reading the file. Only ``amount`` and the dates need converting (a file has few distinct dates,
    so their ISO strings are cached); ``extra`` is a flat dict of strings and is shared, not copied.
    """
    names = _PAYMENT_FIELDS
    values = _payment_values
    iso: dict[object, str | None] = {None: None}

    def day(value: datetime.date | None) -> str | None:
        text = iso.get(value, _MISSING)
        if text is _MISSING:
            text = iso[value] = value.isoformat()  # type: ignore[union-attr]
        return text  # type: ignore[return-value]

    result = []
    append = result.append
    for payment in payments:
        data = dict(zip(names, values(payment), strict=True))
        data["amount"] = f"{payment.amount:.2f}"
        data["charges"] = None if payment.charges is None else f"{payment.charges:.2f}"
        data["booking_date"] = day(payment.booking_date)
        data["value_date"] = day(payment.value_date)
        data["date"] = day(payment.date)
        append(data)
    return result


def _as_json(payments: list[Payment], summary: FileSummary) -> dict[str, object]:
    return {
        "file": summary.source,
        "format": summary.format,
        "totals": summary.as_json(),
        "transactions": _payments_json(payments),
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
    for item in summary.batch_charges:
        how = "taken from the entry (a CHARGES line below)" if item["in_entry_amount"] else "booked elsewhere"
        out.write(f"Charges:    {item['amount']} {item['currency']} for the batch {item['entry_ref'] or item['entry']}"
                  f", {how}\n")  # fmt: skip
    if summary.agreements:
        out.write(f"Agreements: {len(summary.agreements)}\n")
        for a in summary.agreements:
            out.write(f"  KID {a['kid'] or '-':25}  {a['change']:20}  notify {'yes' if a['notify'] else 'no'}\n")
    out.write("\n")
    out.write(f"{'date':10}  {'amount':>14}  {'cur':3}  {'kid':25}  {'type':14}  text\n")
    for p in payments:
        flags = "".join((" reversal" if p.is_reversal else "", " return" if p.is_return else "",
                         " CHARGES" if p.is_charges else "",
                         "" if p.booked else f" NOT BOOKED ({p.status})"))  # fmt: skip
        out.write(
            f"{p.date.isoformat() if p.date else '-':10}  {p.amount:>14.2f}  {p.currency:3}  {p.kid or '-':25}  "
            f"{p.transaction_type or '-':14}  {p.text or p.reference or ''}{flags}\n"
        )
