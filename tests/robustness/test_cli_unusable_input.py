"""Every ``nofaktura`` sub-command on input it cannot use: exit code 2, a message on stderr, no traceback.

The commands are discovered from :func:`nofaktura.cli.build_parser` (the way ``main`` builds them), so a
new command fails :func:`test_every_command_is_covered` until it is given a row here: commands that read
a file get the missing / empty / directory / binary / hostile-XML matrix; the others get arguments
they cannot use. Commands that write a file must leave nothing behind when the input is unusable.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nofaktura.cli import build_parser, main

from .readers import NORWEGIAN_EXAMPLE

Argv = list[str]

#: File-reading commands: how to call them on ``path``, and which output file they would write.
FILE_COMMANDS: dict[tuple[str, ...], Callable[[str, Path], tuple[Argv, Path | None]]] = {
    ("ocr", "show"): lambda path, out: (["ocr", "show", path], None),
    ("camt", "show"): lambda path, out: (["camt", "show", path], None),
    ("pain002", "show"): lambda path, out: (["pain002", "show", path], None),
    ("pain001", "make"): lambda path, out: (["pain001", "make", path, str(out / "out.xml")], out / "out.xml"),
    ("convert",): lambda path, out: (["convert", path, str(out / "out.json")], out / "out.json"),
    ("show",): lambda path, out: (["show", path, "--pdf", str(out / "out.pdf")], out / "out.pdf"),
    ("validate",): lambda path, out: (["validate", path], None),
    ("printcheck",): lambda path, out: (["printcheck", path], None),
    ("kpi", "show"): lambda path, out: (["kpi", "show", path], None),
    ("kpi", "regulate"): lambda path, out: (
        ["kpi", "regulate", path, "--amount", "100", "--from", "2024M10", "--to", "2024M12"], None),
}

#: Commands without a file: arguments each one cannot use.
OTHER_COMMANDS: dict[tuple[str, ...], list[Argv]] = {
    ("dunning", "rates"): [["--date", "not-a-date"], ["--date", "2026-02-30"], ["--date", "\x7f"]],
    ("dunning", "interest"): [
        ["--amount", "abc", "--from", "2025-01-01", "--to", "2025-02-01"],
        ["--amount", "NaN", "--from", "2025-01-01", "--to", "2025-02-01"],
        ["--amount", "1e999999999", "--from", "2025-01-01", "--to", "2025-02-01"],
        ["--amount", "100", "--from", "1066-10-14", "--to", "1066-12-25"],
    ],
    ("kid", "make"): [["12a45", "-a", "mod10"], ["", "-a", "mod11"], ["٣٤٥", "-a", "mod10"]],
    ("kid", "check"): [["abc"], ["ØÆÅ"], [""]],
    ("kid", "parse"): [["12345", "--length", "0"], ["abc", "--length", "5"], ["12345", "--length", "-3"]],
    ("kid", "build"): [
        ["--length", "3", "--customer-digits", "5", "--customer-number", "123"],
        ["--length", "8", "--invoice-digits", "4", "--invoice-number", "12x4"],
    ],
}


def leaf_commands() -> Iterator[tuple[str, ...]]:
    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            yield prefix
        for action in subs:
            for name, child in action.choices.items():
                yield from walk(child, (*prefix, name))

    yield from walk(build_parser(), ())


def test_every_command_is_covered():
    discovered = set(leaf_commands())
    known = set(FILE_COMMANDS) | set(OTHER_COMMANDS)
    assert discovered - known == set(), "new commands: add them to FILE_COMMANDS or OTHER_COMMANDS"
    assert known - discovered == set(), "commands that no longer exist"


def run(argv: Argv, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(argv)`` in-process; an escaping exception fails the test with its traceback."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refusing the arguments
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


# -- unusable files ------------------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&i;</Invoice>'
).encode()


def make_input(kind: str, folder: Path) -> Path:
    path = folder / f"input-{kind}.xml"
    if kind == "missing":
        return path
    if kind == "directory":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    elif kind == "hostile-xml":
        path.write_bytes(BILLION_LAUGHS)
    elif kind == "truncated-ubl":
        data = NORWEGIAN_EXAMPLE.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "utf16-garbage":
        path.write_bytes("{ ikke json, ikke XML ]".encode("utf-16"))
    return path


INPUTS = ["missing", "empty", "directory", "binary", "hostile-xml", "truncated-ubl", "utf16-garbage"]


@pytest.mark.parametrize("kind", INPUTS)
@pytest.mark.parametrize("command", sorted(FILE_COMMANDS), ids=" ".join)
def test_unusable_file_exits_2_with_a_message(command, kind, tmp_path, capsys):
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    outputs.mkdir()
    path = make_input(kind, inputs)
    argv, written = FILE_COMMANDS[command](str(path), outputs)
    code, _out, err = run(argv, capsys)
    assert code == 2, f"exit {code}; stderr: {err}"
    assert err.strip(), "no message on stderr"
    assert "Traceback" not in err
    assert path.name in err, f"the message does not name the file: {err}"
    if written is not None:
        assert not written.exists(), f"{written.name} was written from unusable input"


def test_an_existing_output_is_left_untouched_by_unusable_input(tmp_path, capsys):
    source = make_input("truncated-ubl", tmp_path)
    target = tmp_path / "faktura.json"
    target.write_text("previous content", encoding="utf-8")
    code, _out, err = run(["convert", str(source), str(target)], capsys)
    assert code == 2, err
    assert target.read_text(encoding="utf-8") == "previous content"


@pytest.mark.parametrize("command", [("show",), ("convert",)], ids=" ".join)
@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe garbage", b"{not json", BILLION_LAUGHS])
def test_unusable_stdin_exits_2(command, data, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    argv = ["show", "-"] if command == ("show",) else ["convert", "-", str(tmp_path / "out.xml")]
    code, _out, err = run(argv, capsys)
    assert code == 2, err
    assert "Traceback" not in err and err.strip()
    assert not (tmp_path / "out.xml").exists()


@pytest.mark.parametrize("command", [("show",), ("convert",)], ids=" ".join)
def test_json_with_a_huge_integer_exits_2(command, tmp_path, capsys):
    """json.loads refuses an integer of more than 4300 digits with a bare ValueError (int_max_str_digits)."""
    path = tmp_path / "huge.json"
    path.write_text('{"format": "nofaktura.ehf/1", "number": ' + "9" * 5000 + "}", encoding="ascii")
    argv = ["show", str(path)] if command == ("show",) else ["convert", str(path), str(tmp_path / "out.xml")]
    code, _out, err = run(argv, capsys)
    assert code == 2, err
    assert "huge.json" in err


# -- commands without files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "args"),
    [pytest.param(c, a, id=" ".join((*c, *a))[:60]) for c, cases in sorted(OTHER_COMMANDS.items()) for a in cases],
)
def test_unusable_arguments_exit_2_with_a_message(command, args, capsys):
    code, _out, err = run([*command, *args], capsys)
    assert code == 2, f"exit {code}; stderr: {err}"
    assert err.strip(), "no message on stderr"
    assert "Traceback" not in err


# -- the real console entry point ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS), ids=" ".join)
def test_console_command_on_a_binary_file(command, tmp_path):
    """Through a real interpreter (``python -m nofaktura.cli``), as a user or a cron job runs it."""
    path = make_input("binary", tmp_path)
    argv, written = FILE_COMMANDS[command](str(path), tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "nofaktura.cli", *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("nofaktura: error:"), done.stderr
    assert "Traceback" not in done.stderr
    assert written is None or not written.exists()
