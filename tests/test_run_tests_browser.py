"""tools/run_tests.py installs what the browser tours need (Chromium, websocket-client) and says loudly when
it cannot (issue 16 item 6): the tours then skip, and nothing else does."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[1] / "tools" / "run_tests.py"


@pytest.fixture(scope="module")
def runner():
    spec = importlib.util.spec_from_file_location("run_tests_browser_under_test", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _probe_result(code):
    return subprocess.CompletedProcess([], code, "", "")


def test_present_browser_installs_nothing(runner, monkeypatch):
    monkeypatch.setattr(runner.shutil, "which", lambda name: f"/usr/bin/{name}" if name == "chromium" else None)
    monkeypatch.setattr(runner, "_probe", lambda *a: _probe_result(0))
    monkeypatch.setattr(runner, "_apt_install", lambda *a: pytest.fail("apt-get called although Chromium is there"))
    assert runner.ensure_browser("python", {}) is None


def test_missing_chromium_is_installed_with_apt_as_debian_names_it(runner, monkeypatch):
    installed = []
    monkeypatch.setattr(runner.shutil, "which", lambda name: None)
    monkeypatch.setattr(runner, "_probe", lambda *a: _probe_result(0))
    monkeypatch.setattr(runner, "_apt_install", lambda packages, why: installed.extend(packages))
    assert runner.ensure_browser("python", {}) is None
    assert installed == ["chromium"]


def test_what_cannot_be_installed_is_named(runner, monkeypatch):
    def refuse(packages, why):
        raise RuntimeError(f"{why} and this runner cannot install {' '.join(packages)} (not root or no apt-get)")

    monkeypatch.setattr(runner.shutil, "which", lambda name: None)
    monkeypatch.setattr(runner, "_apt_install", refuse)
    # neither websocket nor pip importable in Odoo's Python
    monkeypatch.setattr(runner, "_probe", lambda *a: _probe_result(1))
    problem = runner.ensure_browser("/opt/odoo/python", {})
    assert "no Chromium" in problem and "cannot install chromium" in problem
    assert "websocket-client" in problem and "/opt/odoo/python" in problem


def test_websocket_client_goes_into_odoos_python_with_pip(runner, monkeypatch):
    calls = []
    state = {"websocket": False}

    def probe(python, env, code):
        if code == "import websocket":
            return _probe_result(0 if state["websocket"] else 1)
        return _probe_result(0)  # pip is there

    def run(command, **kwargs):
        calls.append(command)
        state["websocket"] = True
        return _probe_result(0)

    monkeypatch.setattr(runner.shutil, "which", lambda name: "/usr/bin/chromium")
    monkeypatch.setattr(runner, "_probe", probe)
    monkeypatch.setattr(runner.subprocess, "run", run)
    assert runner.ensure_browser("/opt/odoo/python", {}) is None
    assert calls and calls[0][:4] == ["/opt/odoo/python", "-m", "pip", "install"]
    assert "websocket-client" in calls[0]
