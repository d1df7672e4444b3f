"""``nofaktura kid``: make and check KID numbers from the command line.

::

    nofaktura kid make 12345678 --algorithm mod11     # prints 123456785
    nofaktura kid check 123456782                     # valid (mod10), exit 0
    nofaktura kid check 123456782 --algorithm mod11   # invalid, exit 1
    nofaktura kid parse 012345000100161 --length 15 --customer-digits 6 --invoice-digits 8

Exit codes follow ``nofaktura.cli``: 0 valid, 1 checked and invalid, 2 unusable input (letters,
an empty base). A KID with the right characters but a wrong length or check digit is *invalid*
(1), not unusable: it is exactly what ``check`` is for.
"""

from __future__ import annotations

import argparse
import sys

from nofaktura import kid
from nofaktura.exceptions import ValidationError

__all__ = ["register"]

_ALGORITHMS = [a.value for a in kid.Algorithm]


def _make(args: argparse.Namespace) -> int:
    base = kid.compact(args.base)
    if not base:
        print("nofaktura: error: the KID base is empty.", file=sys.stderr)
        return 2
    result = kid.make(base, args.algorithm)  # InvalidFormat for letters -> exit 2 in cli.main
    if len(result) > kid.MAX_LENGTH:
        print(
            f"nofaktura: error: {result} has {len(result)} characters; a KID has at most {kid.MAX_LENGTH}.",
            file=sys.stderr,
        )
        return 2
    if result.endswith("-"):
        print("nofaktura: note: MOD11 remainder 1 gives the check character '-'.", file=sys.stderr)
    print(result)
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        number = kid.check_format(args.kid)
    except ValidationError as exc:
        if not kid.compact(args.kid).rstrip("-").isdigit():
            raise  # not a KID at all: unusable input, exit 2
        print(f"{kid.compact(args.kid)}: invalid: {exc}")
        return 1
    satisfied = sorted(a.value for a in kid.satisfied_algorithms(number))
    wanted = [args.algorithm] if args.algorithm else _ALGORITHMS
    ok = [a for a in wanted if a in satisfied]
    if ok:
        print(f"{number}: valid ({', '.join(ok)})")
        return 0
    also = f"; it satisfies {', '.join(satisfied)}" if satisfied else ""
    print(f"{number}: invalid: no valid {' or '.join(wanted)} check digit{also}")
    return 1


def _layout(args: argparse.Namespace) -> kid.KidLayout:
    return kid.KidLayout(
        length=args.length,
        algorithm=args.algorithm,
        customer_digits=args.customer_digits,
        invoice_digits=args.invoice_digits,
        prefix=args.prefix,
    )


def _parse(args: argparse.Namespace) -> int:
    layout = _layout(args)  # LayoutError (inconsistent options) -> exit 2 in cli.main
    kid.check_format(args.kid)  # letters -> InvalidFormat -> exit 2
    try:
        parts = layout.parse(args.kid)
    except ValidationError as exc:
        print(f"{kid.compact(args.kid)}: invalid for this layout: {exc}")
        return 1
    print(f"prefix: {parts.prefix}")
    print(f"customer number: {parts.customer_number}")
    print(f"invoice number: {parts.invoice_number}")
    print(f"check digit: {parts.check_digit}")
    return 0


def _build(args: argparse.Namespace) -> int:
    print(_layout(args).build(args.customer_number, args.invoice_number))
    return 0


def _add_layout_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--length", metavar="DIGITS", type=int, required=True, help="Total KID length, check digit included"
    )
    parser.add_argument(
        "--customer-digits", metavar="DIGITS", type=int, default=0, help="Digits of the customer-number part"
    )
    parser.add_argument(
        "--invoice-digits", metavar="DIGITS", type=int, default=0, help="Digits of the invoice-number part"
    )
    parser.add_argument("--prefix", metavar="DIGITS", default="", help="Fixed digits at the start of every KID")
    parser.add_argument(
        "--algorithm", "-a", choices=_ALGORITHMS, default="mod10", help="Check-digit algorithm (default: mod10)"
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``kid make`` and ``kid check`` to the ``nofaktura`` command."""
    parser = subparsers.add_parser(
        "kid",
        help="Make and check KID payment references",
        description="Make and check KID numbers (MOD10 / MOD11 as Nets defines them).",
    )
    commands = parser.add_subparsers(dest="kid_command", metavar="COMMAND")
    parser.set_defaults(func=lambda _args: (parser.print_help(sys.stderr), 2)[1])

    make = commands.add_parser(
        "make", help="Append the check digit to a base", description="Print BASE followed by its check digit."
    )
    make.add_argument("base", metavar="BASE", help="The KID digits without check digit")
    make.add_argument("--algorithm", "-a", choices=_ALGORITHMS, required=True, help="Check-digit algorithm")
    make.set_defaults(func=_make)

    check = commands.add_parser(
        "check",
        help="Check a KID",
        description="Check a KID; exit 0 when valid, 1 when not. Says which algorithm(s) it satisfies.",
    )
    check.add_argument("kid", metavar="KID", help="The KID, check digit included (spaces are ignored)")
    check.add_argument("--algorithm", "-a", choices=_ALGORITHMS, help="Require this algorithm (default: any of them)")
    check.set_defaults(func=_check)

    parse = commands.add_parser(
        "parse",
        help="Split a KID by an agreement's layout",
        description="Split KID into prefix, customer number, invoice number and check digit; "
        "exit 0 when it fits the layout, 1 when not.",
    )
    parse.add_argument("kid", metavar="KID", help="The KID, check digit included (spaces are ignored)")
    _add_layout_options(parse)
    parse.set_defaults(func=_parse)

    build = commands.add_parser(
        "build",
        help="Build a KID from a layout and the numbers",
        description="Print the KID for a customer number and an invoice number; exit 2 when they do not fit.",
    )
    build.add_argument(
        "--customer-number",
        metavar="NUMBER",
        default=None,
        help="The customer number; omit when the layout has no customer part",
    )
    build.add_argument(
        "--invoice-number",
        metavar="NUMBER",
        default=None,
        help="The invoice number; omit when the layout has no invoice part",
    )
    _add_layout_options(build)
    build.set_defaults(func=_build)
