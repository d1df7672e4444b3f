"""``nofaktura kid make`` / ``kid check``: output and exit codes (0 valid, 1 invalid, 2 unusable)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nofaktura.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("base", "algorithm", "expected"),
    [("12345678", "mod10", "123456782"), ("12345678", "mod11", "123456785"), ("000006", "mod11", "000006-")],
)
def test_make(capsys, base, algorithm, expected):
    code, out, _err = run(capsys, "kid", "make", base, "--algorithm", algorithm)
    assert code == 0
    assert out.strip() == expected


def test_make_rejects_letters_with_exit_2(capsys):
    code, out, err = run(capsys, "kid", "make", "12A4", "--algorithm", "mod10")
    assert code == 2
    assert out == ""
    assert "digits only" in err


def test_make_too_long_is_unusable(capsys):
    code, out, err = run(capsys, "kid", "make", "1" * 25, "--algorithm", "mod10")
    assert (code, out) == (2, "")
    assert "at most 25" in err


def test_make_requires_algorithm(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["kid", "make", "1234"])
    assert exc.value.code == 2


def test_check_any_algorithm_says_which(capsys):
    code, out, _ = run(capsys, "kid", "check", "123456785")
    assert code == 0
    assert "valid (mod11)" in out
    code, out, _ = run(capsys, "kid", "check", "1234 5678 2")
    assert code == 0
    assert "valid (mod10)" in out


def test_check_with_wrong_algorithm_is_invalid_and_names_the_right_one(capsys):
    code, out, _ = run(capsys, "kid", "check", "123456782", "--algorithm", "mod11")
    assert code == 1
    assert "invalid" in out
    assert "satisfies mod10" in out


def test_check_bad_check_digit_is_1(capsys):
    code, out, _ = run(capsys, "kid", "check", "123456780")
    assert code == 1
    assert "no valid mod10 or mod11" in out


def test_check_wrong_length_is_1(capsys):
    code, _out, _ = run(capsys, "kid", "check", "1" * 26)
    assert code == 1


def test_check_letters_is_unusable(capsys):
    code, out, err = run(capsys, "kid", "check", "12AB")
    assert (code, out) == (2, "")
    assert "error" in err


def test_kid_without_action_prints_help_to_stderr(capsys):
    code, _out, err = run(capsys, "kid")
    assert code == 2
    assert "make" in err


def test_console_entry_point_help_and_exit_codes():
    ok = subprocess.run(
        [sys.executable, "-m", "nofaktura.cli", "kid", "check", "0010012026006-", "-a", "mod11"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "valid (mod11)" in ok.stdout
    for argv in (["kid", "--help"], ["kid", "make", "--help"], ["kid", "check", "--help"]):
        helped = subprocess.run(
            [sys.executable, "-m", "nofaktura.cli", *argv], capture_output=True, text=True, check=False
        )
        assert helped.returncode == 0
        assert "usage:" in helped.stdout


LAYOUT = ["--length", "14", "--customer-digits", "6", "--invoice-digits", "7"]


def test_build_and_parse(capsys):
    code, out, _ = run(capsys, "kid", "build", "--customer-number", "12345", "--invoice-number", "1001", *LAYOUT)
    assert (code, out.strip()) == (0, "01234500010016")
    code, out, _ = run(capsys, "kid", "parse", "01234500010016", *LAYOUT)
    assert code == 0
    assert "customer number: 012345" in out
    assert "invoice number: 0001001" in out
    assert "check digit: 6" in out


def test_parse_invalid_for_layout_is_1(capsys):
    code, out, _ = run(capsys, "kid", "parse", "01234500010015", *LAYOUT)  # the MOD11 KID
    assert code == 1
    assert "invalid for this layout" in out


def test_build_overflow_and_bad_layout_are_unusable(capsys):
    code, out, err = run(capsys, "kid", "build", "--customer-number", "1234567", "--invoice-number", "1", *LAYOUT)
    assert (code, out) == (2, "")
    assert "room for 6" in err
    code, _, err = run(capsys, "kid", "parse", "01234500010016", "--length", "15", "--customer-digits", "6")
    assert code == 2
    assert "total length is 15" in err
