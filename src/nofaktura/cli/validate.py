"""``nofaktura validate``: check EHF / Peppol BIS 3 documents against the official rules.

::

    nofaktura validate invoice.xml other.xml          # readable findings, exit 0/1/2
    nofaktura validate invoice.xml --json --lang nb   # machine-readable, Norwegian messages

A Peppol Invoice Response (UBL ApplicationResponse) is checked against its own rules: the UBL 2.1
schema and the Peppol T111 rules of release 3.0.21 (``--configuration`` and ``--rules`` choose among
invoice rules and do not apply to it).

Exit codes follow ``nofaktura.cli``: 0 when no file has a fatal finding, 1 when at least one file
has one, 2 when a file cannot be read (missing, not XML, hostile XML, not a UBL Invoice,
CreditNote or ApplicationResponse). All files are checked even when one fails; an unreadable file
wins over an invalid one.
With ``--json`` the output is a list with one object per file,
``{"file", "valid", "document", "findings": [{"rule", "flag", "location", "message"}]}``; an
unreadable file has ``"valid": false``, ``"document": null`` and an extra ``"error"``.
"""

from __future__ import annotations

import argparse
import json
import sys

from nofaktura.cli._common import input_name, read_input
from nofaktura.ehf.rules import CONFIGURATIONS, DEFAULT_RELEASE, INVOICE_RESPONSE_RULESETS, RELEASES, rulesets_for
from nofaktura.ehf.validation import ValidationResult, validate
from nofaktura.exceptions import DocumentError

__all__ = ["register"]

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2

_WORDS = {
    "en": {"valid": "valid", "invalid": "NOT valid", "fatal": "error", "warning": "warning",
           "summary": "{fatal} error(s), {warnings} warning(s)", "at": "at", "line": "line"},
    "nb": {"valid": "gyldig", "invalid": "IKKE gyldig", "fatal": "feil", "warning": "advarsel",
           "summary": "{fatal} feil, {warnings} advarsel/advarsler", "at": "i", "line": "linje"},
}


def _print_text(result: ValidationResult, lang: str) -> None:
    words = _WORDS[lang]
    verdict = words["valid"] if result.valid else words["invalid"]
    summary = words["summary"].format(fatal=len(result.fatal), warnings=len(result.warnings))
    print(f"{result.source}: {verdict} ({result.document}) - {summary}")
    for finding in result.findings:
        line = f" ({words['line']} {finding.line})" if finding.line else ""
        print(f"  {words[str(finding.flag)]:9} {finding.rule:14} {words['at']} {finding.location}{line}")
        print(f"            {finding.text(lang)}")


def _run(args: argparse.Namespace) -> int:
    rulesets = CONFIGURATIONS[args.configuration]
    if args.rules != DEFAULT_RELEASE:
        if args.configuration != "ehf":
            print("nofaktura: error: --rules applies to the ehf configuration only", file=sys.stderr)
            return EXIT_UNUSABLE
        rulesets = rulesets_for(args.rules)
    outcome = EXIT_OK
    entries = []
    for name in args.files:
        try:
            data = read_input(name)
            result = validate(data, source=input_name(name), rulesets=rulesets)
        except (OSError, DocumentError) as exc:
            message = str(exc) if isinstance(exc, DocumentError) else f"{name}: {exc.strerror or exc}"
            print(f"nofaktura: error: {message}", file=sys.stderr)
            entries.append({"file": name, "valid": False, "document": None, "findings": [], "error": message})
            outcome = EXIT_UNUSABLE
            continue
        if not result.valid and outcome == EXIT_OK:
            outcome = EXIT_INVALID
        if args.json:
            entries.append(result.as_dict(args.lang))
        else:
            _print_text(result, args.lang)
    if args.json:
        json.dump(entries, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return outcome


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="Check EHF / Peppol BIS 3 UBL documents against the official rules",
        description="Validate UBL Invoice/CreditNote files (an SBDH envelope is unwrapped) with the BIS 3 "
        "structure, CEN EN 16931 and Peppol BIS 3 rules including the Norwegian ones. A Peppol Invoice "
        "Response (ApplicationResponse) is checked against the UBL 2.1 schema and the Peppol T111 rules "
        "instead. Exit 0: no fatal finding; 1: a file has a fatal finding; 2: a file cannot be read.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="UBL XML file(s) to validate ('-' for stdin)")
    parser.add_argument("--json", action="store_true", help="Print a JSON list, one object per file")
    parser.add_argument("--lang", choices=("en", "nb"), default="en", help="Language of the messages (default en)")
    parser.add_argument(
        "--configuration",
        # the Invoice Response rules are chosen by the document itself (an ApplicationResponse)
        choices=sorted(name for name, sets in CONFIGURATIONS.items() if sets != INVOICE_RESPONSE_RULESETS),
        default="ehf",
        help="Which official rule sets to run (default ehf: structure + CEN + Peppol/Norwegian)",
    )
    parser.add_argument(
        "--rules",
        choices=list(RELEASES),
        default=DEFAULT_RELEASE,
        help=f"Peppol BIS Billing release whose rules run (default {DEFAULT_RELEASE})",
    )
    parser.set_defaults(func=_run)
