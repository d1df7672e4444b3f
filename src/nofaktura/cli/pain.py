"""``nofaktura pain001 make`` and ``nofaktura pain002 show``: outgoing payment files and the bank's answer.

``nofaktura pain001 make ORDER.json OUT.xml [--version 03|09] [--created TIME] [--xsd SCHEMA]``
writes a pain.001 credit-transfer file from a payment order in JSON. Exit codes: 0 written;
1 the order was checked and is invalid (the message names the transfer and field; nothing is
written); 2 unusable input (unreadable file, not JSON, output not valid against ``--xsd``).

The order (amounts as strings, or as JSON numbers — they are read exactly, never as floats)::

    {
      "message_id": "PAY-2026-0042",              // GrpHdr/MsgId, 1-35 ASCII; PmtInf ids are <id>-1, <id>-2 …
      "created": "2026-11-27T09:30:00+01:00",    // optional; --created wins; else the current time
      "execution_date": "2026-12-01",            // default requested execution date
      "batch_booking": true,                     // optional, default true
      "charge_bearer": null,                     // optional: SHAR, DEBT, CRED (SEPA is always SLEV)
      "initiating_party_name": null,             // optional, default the debtor's name
      "debtor": {
        "name": "Betaler AS", "orgnr": "988077917", "account": "8601.11.17947",
        "bic": "DNBANOKK", "bank_customer_id": null,          // bic, bank_customer_id optional
        "address": {"street": "Gata", "building_number": "1", "postcode": "0150", "town": "Oslo",
                    "country": "NO", "lines": []}             // optional, every key optional
      },
      "transfers": [
        {"end_to_end_id": "BILL-17", "instruction_id": "I-17", "amount": "1250.00", "currency": "NOK",
         "creditor": {"name": "Kraft AS", "account": "1503.56.84279", "bic": null, "address": null},
         "kid": "123456785"},                                   // KID (MOD10 or MOD11) …
        {"end_to_end_id": "BILL-18", "amount": "99.50",
         "creditor": {"name": "Vask AS", "account": "NO9386011117947"},
         "text": "Faktura 2026-118"},                          // … or free text (max 140) …
        {"end_to_end_id": "BILL-19", "amount": "400.00", "execution_date": "2026-12-03",
         "creditor": {"name": "Papir AS", "account": "15035684279"},
         "invoices": [{"number": "F-9", "amount": "500.00", "date": "2026-11-01"},
                      {"number": "K-2", "amount": "100.00", "credit_note": true}]}   // … or invoices
      ]
    }

Per transfer, ``execution_date``, ``debtor_account`` and ``category_purpose`` (SUPP, SALA …)
override the order's defaults; transfers are grouped into payment-information blocks by them.
Comments (``//``) above are for this help only; JSON has none.

``nofaktura pain002 show FILE [--json]`` reads a pain.002 status report and lists the group,
payment-information and transaction statuses with reasons. Exit 0 when read (whatever the bank
decided), 2 when the file is broken or hostile.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from decimal import Decimal
from pathlib import Path

from nofaktura.bank.pain001 import VERSIONS, write_pain001
from nofaktura.bank.pain002 import StatusReport, read_pain002, read_pain002_file
from nofaktura.bank.payment_order import order_from_dict
from nofaktura.cli._common import STDIN, check_input, input_name, read_input, write_json
from nofaktura.exceptions import DocumentError, PaymentOrderError
from nofaktura.xml import DEFAULT_MAX_BYTES

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p001 = subparsers.add_parser("pain001", help="ISO 20022 pain.001 payment files (outgoing payments)",
                                 description="Write ISO 20022 pain.001 credit-transfer files.")  # fmt: skip
    cmds = p001.add_subparsers(dest="pain001_command", metavar="COMMAND")
    make = cmds.add_parser(
        "make", help="Write a pain.001 file from a payment order in JSON",
        description="Write a pain.001 file from a payment order in JSON (format: see the module docstring of "
                    "nofaktura.cli.pain, or `python -m pydoc nofaktura.cli.pain`).",
    )  # fmt: skip
    make.add_argument("order", metavar="ORDER", help="The payment order, JSON ('-' for stdin)")
    make.add_argument("out", metavar="OUT", type=Path, help="The pain.001 file to write")
    make.add_argument("--version", choices=VERSIONS, default="03",
                      help="Message version: 03 for pain.001.001.03 (default) or 09")  # fmt: skip
    make.add_argument("--created", metavar="TIME",
                      help="Creation time, ISO 8601 (default: the order's 'created', else now)")  # fmt: skip
    make.add_argument("--xsd", metavar="SCHEMA", type=Path,
                      help="Also validate the output against this XSD before writing it")  # fmt: skip
    make.set_defaults(func=_make)
    p001.set_defaults(func=lambda args, p=p001: _help(p))

    p002 = subparsers.add_parser("pain002", help="ISO 20022 pain.002 status reports (bank feedback)",
                                 description="Read ISO 20022 pain.002 payment status reports.")  # fmt: skip
    cmds = p002.add_subparsers(dest="pain002_command", metavar="COMMAND")
    show = cmds.add_parser("show", help="List the statuses of a status report",
                           description="List group, payment and transaction statuses with reasons.")  # fmt: skip
    show.add_argument("file", metavar="FILE", help="The pain.002 file to read ('-' for stdin)")
    show.add_argument("--json", action="store_true", help="Print JSON instead of a table")
    show.set_defaults(func=_show)
    p002.set_defaults(func=lambda args, p=p002: _help(p))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _created(text: str, where: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError, AttributeError):
        raise DocumentError(f"{text!r} is not an ISO 8601 date-time", source=where) from None
    return value


def _make(args: argparse.Namespace) -> int:
    source = input_name(args.order)
    try:
        data = json.loads(read_input(args.order), parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DocumentError(f"not JSON: {exc}", source=source) from exc
    try:
        order = order_from_dict(data)
    except PaymentOrderError as exc:
        print(f"nofaktura: {source}: invalid payment order: {exc}", file=sys.stderr)
        return 1
    if args.created:
        created = _created(args.created, "--created")
    elif isinstance(data.get("created"), str):
        created = _created(data["created"], source)
    else:
        created = datetime.datetime.now(datetime.timezone.utc).astimezone()  # the CLI is the edge: the clock is here
    xml = write_pain001(order, created=created, version=args.version)
    if args.xsd:
        _validate(xml, args.xsd)
    args.out.write_bytes(xml)
    print(f"{args.out}: pain.001.001.{args.version}, {order.number_of_transactions} transfers in "
          f"{len(order.batches())} payment block(s), control sum {order.control_sum:f}")  # fmt: skip
    return 0


def _validate(xml: bytes, xsd: Path) -> None:
    from lxml import etree  # noqa: PLC0415 - only with --xsd

    schema = etree.XMLSchema(etree.parse(str(xsd)))
    document = etree.fromstring(xml)
    if not schema.validate(document):
        first = schema.error_log[0]
        raise DocumentError(f"the written file is not valid against {xsd}: {first.message}", source="output",
                            line=first.line)  # fmt: skip


def _show(args: argparse.Namespace) -> int:
    if args.file == STDIN:
        report = read_pain002(read_input(args.file, max_bytes=DEFAULT_MAX_BYTES), input_name(args.file))
    else:
        check_input(args.file)
        report = read_pain002_file(args.file)
    if args.json:
        write_json(report.as_json(), items=sum(len(p.transactions) for p in report.payments))
    else:
        _print(report)
    return 0


def _reasons(items: object) -> str:
    return "; ".join(str(r) for r in items)  # type: ignore[attr-defined]


def _print(report: StatusReport) -> None:
    out = sys.stdout
    out.write(f"File:       {report.source}\nFormat:     {report.version}\n")
    out.write(f"Message:    {report.message_id} ({report.created or '-'})\n")
    out.write(f"Answers:    {report.original_message_id or '-'} ({report.original_message_name or '-'})\n")
    group = report.group_status or "-"
    out.write(f"Group:      {group} [{report.group_kind.value}] {_reasons(report.group_reasons)}\n".rstrip() + "\n")
    for payment in report.payments:
        out.write(f"\nPayment {payment.payment_info_id}: {payment.status or '-'} [{payment.kind.value}] "
                  f"{_reasons(payment.reasons)}".rstrip() + "\n")  # fmt: skip
        if payment.transactions:
            out.write(f"  {'end-to-end id':35}  {'status':6}  {'kind':8}  {'amount':>14}  reasons\n")
        for tx in payment.transactions:
            amount = f"{tx.amount:f} {tx.currency or ''}".strip() if tx.amount is not None else "-"
            out.write(f"  {tx.end_to_end_id or '-':35}  {tx.status or '-':6}  {tx.kind.value:8}  {amount:>14}  "
                      f"{_reasons(tx.reasons)}".rstrip() + "\n")  # fmt: skip
