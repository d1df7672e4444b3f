"""What every ``nofaktura`` command shares (issue 11 item 8): stdin, missing files, pipes, JSON, help, ``-m``.

Subprocess tests run ``python -m nofaktura`` the way a shell pipeline does; the rest call ``main`` directly.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nofaktura.bank import CamtReader, OcrReader
from nofaktura.bank.generate import OcrTx, write_ocr
from nofaktura.cli import build_parser, main
from tests.bank.helpers import camt_bytes
from tests.bank.test_camt import NORWEGIAN as CAMT_ENTRIES
from tests.conftest import CORPORA
from tests.ehf.test_validation import NORWEGIAN as EHF_INVOICE

OCR = CORPORA / "nets-ocr-avtalegiro/tests/data/ocr_giro_transactions.txt"
PAIN002 = (CORPORA / "iso20022/moov-iso20022/test/testdata/"
           "pain002-epo_p_ch5109000000250092291_1110097605_0_2018031511252307.xml")  # fmt: skip
ORDER = {
    "message_id": "CLI-STDIN",
    "created": "2026-11-27T09:30:00+01:00",
    "execution_date": "2026-12-01",
    "debtor": {"name": "Betaler AS", "orgnr": "988077917", "account": "8601.11.17947", "bic": "DNBANOKK"},
    "transfers": [{"end_to_end_id": "B-17", "amount": "1250.00", "kid": "12345674",
                   "creditor": {"name": "Kraft AS", "account": "1503.56.84279"}}],
}  # fmt: skip


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "nofaktura", *args], input=stdin, capture_output=True, check=False, timeout=300, cwd=cwd
    )


def big_ocr(path: Path, count: int) -> Path:
    out = io.StringIO()
    write_ocr(out, [("99991042764", (OcrTx(amount_ore=10_000 + i, kid=None) for i in range(count)))])
    path.write_text(out.getvalue(), encoding="iso-8859-1")
    return path


# --- python -m nofaktura ---------------------------------------------------------------------------------


def test_python_m_nofaktura_runs_the_cli():
    done = run("kid", "make", "1234567", "--algorithm", "mod10")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == "12345674"


# --- | head ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("json_output", [False, True], ids=["table", "json"])
def test_output_into_a_closed_pipe_ends_quietly(tmp_path, json_output):
    """``nofaktura ocr show big.txt | head -c 100``: exit 0, nothing on stderr (no "Broken pipe", no traceback)."""
    path = big_ocr(tmp_path / "big.txt", 5000)  # table ~0.5 MB, JSON ~3 MB: far more than a pipe buffer
    args = [sys.executable, "-m", "nofaktura", "ocr", "show", str(path)] + (["--json"] if json_output else [])
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.read(100)  # like head -c 100: read a little, then go away
    process.stdout.close()
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=300) == 0
    assert first
    assert stderr == b""


# --- '-' (standard input) ------------------------------------------------------------------------------------


def test_stdin_ocr_and_camt_show():
    done = run("ocr", "show", "-", "--json", stdin=OCR.read_bytes())
    assert done.returncode == 0, done.stderr
    from_stdin = json.loads(done.stdout)
    from_file = json.loads(run("ocr", "show", str(OCR), "--json").stdout)
    assert from_stdin["file"] == "stdin"
    assert from_stdin["transactions"] == from_file["transactions"]
    done = run("camt", "show", "-", stdin=camt_bytes(CAMT_ENTRIES))
    assert done.returncode == 0, done.stderr
    assert b"123456782" in done.stdout


def test_stdin_validate_show_convert():
    invoice = EHF_INVOICE.read_bytes()
    done = run("validate", "-", stdin=invoice)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"stdin: valid")
    done = run("show", "-", stdin=invoice)
    assert done.returncode == 0, done.stderr
    assert b"Invoice" in done.stdout
    done = run("convert", "-", "-", "--to", "json", stdin=invoice)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)


def test_stdin_pain002_show_and_pain001_order(tmp_path):
    done = run("pain002", "show", "-", "--json", stdin=PAIN002.read_bytes())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["file"] == "stdin"
    out = tmp_path / "out.xml"
    done = run("pain001", "make", "-", str(out), stdin=json.dumps(ORDER).encode())
    assert done.returncode == 0, done.stderr
    assert b"CLI-STDIN" in out.read_bytes()


# --- a missing file or a directory: one message in every command ----------------------------------------


COMMANDS = {
    "validate": lambda f, tmp: ["validate", f],
    "show": lambda f, tmp: ["show", f],
    "convert": lambda f, tmp: ["convert", f, str(tmp / "out.json")],
    "ocr show": lambda f, tmp: ["ocr", "show", f],
    "camt show": lambda f, tmp: ["camt", "show", f],
    "pain002 show": lambda f, tmp: ["pain002", "show", f],
    "pain001 make": lambda f, tmp: ["pain001", "make", f, str(tmp / "out.xml")],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("kind", "message"), [("missing", "no such file"), ("directory", "is a directory, not a file")]
)
def test_missing_file_or_directory_same_message_everywhere(tmp_path, capsys, command, kind, message):
    target = tmp_path / "nope.xml" if kind == "missing" else tmp_path
    assert main(COMMANDS[command](str(target), tmp_path)) == 2
    captured = capsys.readouterr()
    assert captured.err == f"nofaktura: error: {target}: {message}\n"
    assert not (tmp_path / "out.json").exists() and not (tmp_path / "out.xml").exists()


def test_missing_file_no_traceback_in_a_real_process(tmp_path):
    done = run("pain002", "show", str(tmp_path / "nope.xml"))
    assert done.returncode == 2
    assert done.stderr.decode() == f"nofaktura: error: {tmp_path / 'nope.xml'}: no such file\n"


# --- JSON output -------------------------------------------------------------------------------------------


def test_payments_json_is_payment_as_json():
    from nofaktura.cli.bank import _payments_json  # new in issue 11: imported here so the other tests run without it

    with OCR.open("rb") as stream:
        ocr = list(OcrReader(stream, str(OCR)))
    camt = list(CamtReader(io.BytesIO(camt_bytes(CAMT_ENTRIES)), "n.xml"))
    for payments in (ocr, camt):
        assert _payments_json(payments) == [p.as_json() for p in payments]


def test_large_json_output_is_compact_and_complete(tmp_path, capsys):
    """Above 1,000 transactions the output is one compact line (the C encoder), still the same data."""
    path = big_ocr(tmp_path / "big.txt", 1500)
    assert main(["ocr", "show", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and '","' in out and '": ' not in out
    data = json.loads(out)
    assert len(data["transactions"]) == 1500 and data["totals"]["count"] == 1500


def test_small_json_output_stays_indented(capsys):
    assert main(["ocr", "show", str(OCR), "--json"]) == 0
    assert '\n  "transactions": [' in capsys.readouterr().out


# --- help texts -------------------------------------------------------------------------------------------

#: Every option and command is checked; nothing is exempt.
NOT_MINE: set[tuple[str, str]] = set()
NOT_MINE_COMMANDS: set[str] = set()


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def test_every_option_is_described_in_sentence_case():
    problems = []
    for path, parser in _commands(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if choice.dest not in NOT_MINE_COMMANDS and not (choice.help or " ")[0].isupper():
                        problems.append(f"{' '.join(path)} {choice.dest}: {choice.help!r} is not sentence case")
                continue
            name = action.option_strings[-1] if action.option_strings else action.dest
            if path and (path[0], name) in NOT_MINE:
                continue
            if not action.help:
                problems.append(f"{' '.join(path)} {name}: no help")
            elif not action.help[0].isupper():
                problems.append(f"{' '.join(path)} {name}: {action.help!r} is not sentence case")
    assert problems == []


def test_same_metavar_for_the_same_thing():
    metavars: dict[str, set[str]] = {}
    for _path, parser in _commands(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                metavars.setdefault("subcommand", set()).add(action.metavar)
            elif action.dest in ("file", "files", "input"):
                metavars.setdefault("input file", set()).add(action.metavar)
            elif action.type is not None and getattr(action.type, "__name__", "") == "_date":
                metavars.setdefault("date", set()).add(action.metavar)
    assert metavars == {"subcommand": {"COMMAND"}, "input file": {"FILE"}, "date": {"DATE"}}
