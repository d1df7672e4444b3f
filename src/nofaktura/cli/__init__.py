"""The ``nofaktura`` command line.

Each area owns one module in this package (``kid.py``, ``ehf.py``, ``bank.py`` …) with a function
``register(subparsers)`` that adds its sub-commands and sets ``func`` on them. ``main`` discovers
those modules, so adding a command never means editing this file.

Exit codes, the same for every command: 0 = done / valid, 1 = checked and found invalid,
2 = the input could not be used (unreadable file, bad arguments). Errors go to stderr.

Every command that reads a file takes ``-`` for standard input and says the same one line for a
missing file or a directory (``nofaktura.cli._common``). Output into a pipe that closes early
(``| head``) ends quietly with exit 0.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from nofaktura import __version__
from nofaktura.cli._common import silence_broken_pipe
from nofaktura.exceptions import NofakturaError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNUSABLE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nofaktura",
        description="Norwegian invoicing formats: EHF/Peppol UBL, KID, Nets OCR giro, ISO 20022, dunning law.",
    )
    parser.add_argument(
        "--version", action="version", version=f"nofaktura {__version__}", help="Print the version and exit"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    _sentence_case_help(parser)
    return parser


def _sentence_case_help(parser: argparse.ArgumentParser) -> None:
    """Give every ``-h`` the same sentence-case text as the other options (argparse's own is lower case)."""
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = "Show this help and exit"
        elif isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _sentence_case_help(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code follows the module docstring.

    A reader that goes away early (``nofaktura ocr show big.txt | head``) ends the command quietly
    with exit 0: the output was wanted only in part, nothing went wrong.
    """
    try:
        code = _run(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_broken_pipe()
        return EXIT_OK
    return code


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_UNUSABLE
    try:
        return int(func(args) or EXIT_OK)
    except NofakturaError as exc:
        print(f"nofaktura: error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"nofaktura: error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
