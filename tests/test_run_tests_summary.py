"""tools/run_tests.py: a stage that did not run must not look like a pass in the summary (issue 11 item 9)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[1] / "tools" / "run_tests.py"


@pytest.fixture(scope="module")
def runner():
    spec = importlib.util.spec_from_file_location("run_tests_under_test", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_odoo_not_found_says_not_run_with_reason(runner, monkeypatch, capsys):
    monkeypatch.delenv("ODOO_PATH", raising=False)
    monkeypatch.delenv("ODOO_PYTHON", raising=False)
    monkeypatch.setattr(runner, "find_odoo", lambda: (None, "no importable odoo in /usr/bin/python3"))
    outcome = runner.run_odoo_tests([])
    lines = runner.summary_lines({"library": runner.Outcome(passed=5), "odoo": outcome})
    assert lines[1] == "odoo: not run (no importable odoo in /usr/bin/python3)"
    assert not any(line.startswith("odoo: 0 passed") for line in lines)
    assert lines[-1] == "total: 5 passed, 0 failed"


def test_odoo_asked_for_but_missing_counts_as_failed(runner, monkeypatch, capsys):
    monkeypatch.setenv("ODOO_PATH", "/nonexistent")
    monkeypatch.setattr(runner, "find_odoo", lambda: (None, "ODOO_PATH=/nonexistent holds no odoo/release.py"))
    lines = runner.summary_lines({"odoo": runner.run_odoo_tests([])})
    assert lines[0] == "odoo: not run (ODOO_PATH=/nonexistent holds no odoo/release.py)"
    assert lines[-1] == "total: 0 passed, 1 failed"


def test_ran_stage_keeps_counts(runner):
    lines = runner.summary_lines({"odoo": runner.Outcome(passed=12, failed=1, notes=["Odoo exited with 1"])})
    assert lines == ["odoo: 12 passed, 1 failed", "  - Odoo exited with 1", "total: 12 passed, 1 failed"]


def test_skip_odoo_summary_and_last_line():
    done = subprocess.run(
        [sys.executable, str(RUNNER), "--skip-library", "--skip-static", "--skip-odoo"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    assert "odoo: not run (--skip-odoo)" in lines
    assert lines[-1] == "total: 0 passed, 0 failed"
    assert done.returncode == 0


def test_oca_pins_reads_the_pinned_file(runner):
    pins = runner.oca_pins()
    assert pins, "addons/oca-requirements.txt names the OCA modules the addons build on"
    assert all(pin.startswith("odoo-addon-") and "==19.0." in pin for pin in pins)


def test_oca_pins_refuses_an_unpinned_line(runner, tmp_path):
    requirements = tmp_path / "oca-requirements.txt"
    requirements.write_text("# comment\nodoo-addon-base_tier_validation>=19.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a pinned"):
        runner.oca_pins(requirements)


def test_translations_check_finds_a_twice_defined_entry_and_lost_placeholders(runner):
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. module: x\nmsgid "Payee account not confirmed"\nmsgstr "Konto ikke bekreftet"\n\n'
        '#. module: x\nmsgid ""\n"%(name)s was "\n"answered"\nmsgstr "besvart"\n\n'
        '#. module: x\nmsgid "Payee account not confirmed"\nmsgstr "Konto ikke bekreftet"\n'
    )
    problems = runner.po_problems(po)
    assert problems == [
        "msgid '%(name)s was answered': the translation's placeholders differ",
        "msgid 'Payee account not confirmed' is there twice",
    ]


def test_translations_of_every_addon_pass_the_check(runner):
    assert runner.check_translations()
