"""``nofaktura printcheck``: is a PDF fit for a print service (Digipost's rules, envelope window)?

::

    nofaktura printcheck letter.pdf --address "Kari Nordmann" --address "Storgata 1" --address "0155 OSLO"
    nofaktura printcheck *.pdf --no-window --json

Exit codes follow ``nofaktura.cli``: 0 when no file has a finding, 1 when a file has one, 2 when a
file cannot be read (missing, not a PDF, broken). All files are checked even when one fails.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from nofaktura.cli._common import input_name, read_input
from nofaktura.exceptions import DocumentError
from nofaktura.printcheck import DIGIPOST_RULES, check_print_ready

__all__ = ["register"]

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2


def _run(args: argparse.Namespace) -> int:
    rules = DIGIPOST_RULES if not args.no_window else dataclasses.replace(DIGIPOST_RULES, address_window=None)
    outcome = EXIT_OK
    entries = []
    for name in args.files:
        try:
            data = read_input(name, max_bytes=rules.max_bytes)
            findings = check_print_ready(data, rules, recipient=args.address or None)
        except (OSError, DocumentError) as exc:
            if isinstance(exc, DocumentError) and not exc.source:
                exc.source = input_name(name)
            message = str(exc) if isinstance(exc, DocumentError) else f"{name}: {exc.strerror or exc}"
            print(f"nofaktura: error: {message}", file=sys.stderr)
            entries.append({"file": name, "ok": False, "findings": [], "error": message})
            outcome = EXIT_UNUSABLE
            continue
        if findings and outcome == EXIT_OK:
            outcome = EXIT_INVALID
        if args.json:
            entries.append({"file": input_name(name), "ok": not findings,
                            "findings": [dataclasses.asdict(f) for f in findings]})  # fmt: skip
        else:
            print(f"{input_name(name)}: {'ready for print' if not findings else f'{len(findings)} finding(s)'}")
            for finding in findings:
                print(f"  {finding}")
    if args.json:
        json.dump(entries, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return outcome


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "printcheck",
        help="Check that a PDF can be printed and posted (A4, margins, fonts, envelope window)",
        description="Check PDF files against Digipost's print rules (A4, the barcode zone of the left margin, "
        "embedded fonts, PDF version, at most 20 pages, no encryption) and the address window of a C5/C4 "
        "window envelope. Exit 0: no finding; 1: a file has a finding; 2: a file cannot be read.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="PDF file(s) to check ('-' for stdin)")
    parser.add_argument(
        "--address",
        action="append",
        metavar="LINE",
        help="A line of the recipient's address that must show in the envelope window (repeat per line)",
    )
    parser.add_argument("--no-window", action="store_true", help="Do not check the envelope window")
    parser.add_argument("--json", action="store_true", help="Print a JSON list, one object per file")
    parser.set_defaults(func=_run)
