"""Shared test fixtures: where the official corpora are.

The corpora live beside the repository in ``../shared/corpora`` and are never copied into it.
``NOFAKTURA_CORPORA`` can point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("NOFAKTURA_CORPORA", REPO.parent / "shared" / "corpora"))


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.fail(f"the shared corpora are missing at {CORPORA} (set NOFAKTURA_CORPORA)")
    return CORPORA
