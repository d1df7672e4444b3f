"""Run ``odoo_python_check.py`` with Odoo's interpreter (skipped when ODOO_PYTHON is not set)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import DIGIPOST

ODOO_PYTHON = Path(os.environ.get("ODOO_PYTHON") or os.environ.get("NOFAKTURA_ODOO_PYTHON") or "/nonexistent")


@pytest.mark.skipif(not ODOO_PYTHON.exists(), reason="no Odoo Python named (set ODOO_PYTHON)")
def test_sign_and_send_under_odoo_python():
    src = Path(__file__).resolve().parents[2] / "src"
    done = subprocess.run(
        [str(ODOO_PYTHON), str(Path(__file__).with_name("odoo_python_check.py")), str(DIGIPOST / "xsd")],
        capture_output=True, text=True, timeout=180, env={**os.environ, "PYTHONPATH": str(src)}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["0104"] == ["DIGIPOST", "DELIVERED"]
    assert result["1507"] == ["PRINT", "DELIVERED_TO_PRINT"]
