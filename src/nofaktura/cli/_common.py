"""What every ``nofaktura`` command shares: reading FILE (or ``-``), writing JSON, surviving ``| head``.

Why one place: before, each command opened its input its own way, so a missing file gave a clean
message in one command and a traceback or an ``[Errno 2]`` in the next, and ``-`` (stdin) worked in
some commands only. JSON output went through ``indent=2`` (which disables the C encoder) in thousands of
small writes, ten to twenty times the cost of parsing the file.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import IO

from nofaktura.exceptions import DocumentError, UnsafeDocument

__all__ = [
    "STDIN",
    "UnusableInput",
    "check_input",
    "input_name",
    "open_input",
    "read_input",
    "silence_broken_pipe",
    "write_json",
]

#: The name that means "standard input" wherever a command reads a file.
STDIN = "-"

#: Up to this many items a JSON output is indented for people; above it, it is compact (C encoder).
PRETTY_JSON_LIMIT = 1000


class UnusableInput(DocumentError):
    """FILE cannot be read at all (missing, a directory, no permission): exit 2, one line."""


def input_name(path: str | Path) -> str:
    """How messages and outputs name the input: ``stdin`` for ``-``, else the path as given."""
    return "stdin" if str(path) == STDIN else str(path)


def check_input(path: str | Path) -> None:
    """Raise :class:`UnusableInput` unless ``path`` is ``-`` or a readable regular file.

    The messages are the same in every command: ``FILE: no such file``, ``FILE: is a directory, not a
    file``, ``FILE: cannot be read (permission denied)``.
    """
    if str(path) == STDIN:
        return
    name = str(path)
    candidate = Path(path)
    try:
        if candidate.is_dir():
            raise UnusableInput("is a directory, not a file", source=name)
        if not candidate.exists():
            raise UnusableInput("no such file", source=name)
    except OSError as exc:  # e.g. a name too long for the file system
        raise UnusableInput(f"cannot be read ({(exc.strerror or str(exc)).lower()})", source=name) from None
    if not os.access(candidate, os.R_OK):
        raise UnusableInput("cannot be read (permission denied)", source=name)


def read_input(path: str | Path, *, max_bytes: int | None = None) -> bytes:
    """The whole content of ``path`` (``-``: standard input), bounded by ``max_bytes`` when given.

    Over the bound: :class:`~nofaktura.exceptions.UnsafeDocument`, checked on the file size before
    reading, and on standard input by reading at most one byte more than allowed.
    """
    check_input(path)
    name = input_name(path)
    try:
        if str(path) == STDIN:
            data = sys.stdin.buffer.read() if max_bytes is None else sys.stdin.buffer.read(max_bytes + 1)
        else:
            if max_bytes is not None and Path(path).stat().st_size > max_bytes:
                raise UnsafeDocument(f"the file is larger than the limit of {max_bytes} bytes", source=name)
            data = Path(path).read_bytes()
    except OSError as exc:
        raise UnusableInput(f"cannot be read ({(exc.strerror or str(exc)).lower()})", source=name) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise UnsafeDocument(f"the input is larger than the limit of {max_bytes} bytes", source=name)
    return data


def open_input(path: str | Path) -> IO[bytes]:
    """A seekable binary stream on ``path``; standard input is read into memory first (it cannot seek)."""
    check_input(path)
    if str(path) == STDIN:
        return io.BytesIO(sys.stdin.buffer.read())
    try:
        return Path(path).open("rb")
    except OSError as exc:
        raise UnusableInput(f"cannot be read ({(exc.strerror or str(exc)).lower()})", source=str(path)) from None


def write_json(value: object, *, items: int = 0) -> None:
    """Write ``value`` as JSON plus a newline to standard output in one write.

    ``items`` is how many records the output holds: up to :data:`PRETTY_JSON_LIMIT` it is indented for
    people; above, it is one compact line, because ``indent`` makes :mod:`json` fall back to its pure
    Python encoder (100,000 transactions: seconds instead of a fraction of one).
    """
    if items <= PRETTY_JSON_LIMIT:
        text = json.dumps(value, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(text + "\n")
    else:
        out.flush()
        buffer.write((text + "\n").encode("utf-8"))
    out.flush()


def silence_broken_pipe() -> None:
    """After ``EPIPE`` (the reader, e.g. ``head``, has gone): send what is left of stdout to devnull.

    Python flushes stdout again at exit; without this it would print ``Exception ignored … BrokenPipeError``.
    This is the recipe of the Python documentation (``signal`` module, "Note on SIGPIPE").
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # stdout is not a real file (tests)
        pass
