"""``nofaktura convert``: between EHF 3 UBL (.xml) and the nofaktura JSON form (.json).

::

    nofaktura convert faktura.xml faktura.json    # read UBL, write the JSON form (attachments in base64)
    nofaktura convert faktura.json faktura.xml    # write EHF 3 / Peppol BIS 3 UBL from JSON
    nofaktura convert sbd.xml faktura.xml         # unwrap an SBDH envelope, rewrite as plain UBL

The input kind is read from the content; the output kind from OUT's extension (or ``--to``), so
FILE may be ``-`` (stdin) and OUT may be ``-`` (stdout) with ``--to``.
Exit codes: 0 written, 2 unusable input or output name.
The writer writes what the input says; it does not check business rules (``nofaktura validate``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nofaktura.cli.show import load_document
from nofaktura.ehf.jsonform import to_json
from nofaktura.ehf.writer import write

__all__ = ["register"]

_KINDS = {".xml": "xml", ".json": "json"}


def _convert(args: argparse.Namespace) -> int:
    target = args.to or _KINDS.get(Path(args.output).suffix.lower())
    if target is None:
        print(
            f"nofaktura: error: cannot tell the output format from {args.output!r}; "
            "name it .xml or .json, or pass --to",
            file=sys.stderr,
        )
        return 2
    document = load_document(args.input)
    if target == "xml":
        data = write(document)
    else:
        data = (json.dumps(to_json(document), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(args.output).write_bytes(data)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``convert`` to the ``nofaktura`` command."""
    parser = subparsers.add_parser(
        "convert",
        help="Convert between EHF UBL XML and the nofaktura JSON form",
        description=(
            "Convert an EHF 3 / Peppol BIS 3 document between UBL XML and the nofaktura JSON form. "
            "Writing XML produces EHF 3 UBL in schema order."
        ),
    )
    parser.add_argument("input", metavar="FILE", help="UBL XML or JSON file to read ('-' for stdin)")
    parser.add_argument("output", metavar="OUT", help="File to write, .xml or .json ('-' for stdout with --to)")
    parser.add_argument("--to", choices=["xml", "json"], help="Output format (default: from OUT's extension)")
    parser.set_defaults(func=_convert)
