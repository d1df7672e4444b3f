"""Shared test fixtures: where the official corpora are.

The corpora live beside the repository in ``../shared/corpora`` and are never copied into it.
``NOFAKTURA_CORPORA`` can point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge behaviour, never speed: on a shared or loaded CI machine a slow draw or a slow
# example is not a failure (speed is measured in benchmarks/). Tests that set their own health
# checks add ``too_slow`` themselves (an explicit list replaces this one).
settings.register_profile("nofaktura", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("nofaktura")

REPO = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("NOFAKTURA_CORPORA", REPO.parent / "shared" / "corpora"))


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.fail(f"the shared corpora are missing at {CORPORA} (set NOFAKTURA_CORPORA)")
    return CORPORA
