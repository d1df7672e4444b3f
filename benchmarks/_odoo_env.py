"""Where the Odoo benchmarks find Odoo and PostgreSQL: the same variables as the test runner.

``ODOO_PATH`` is the Odoo 19 source tree (holding ``odoo-bin``), ``ODOO_PYTHON`` the Python that
runs it (default: this one); the database server comes from the standard ``PGHOST``, ``PGPORT``,
``PGUSER`` and ``PGPASSWORD``. Nothing about a particular machine is written here.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def odoo_path() -> Path:
    value = os.environ.get("ODOO_PATH")
    if not value or not (Path(value) / "odoo-bin").is_file():
        sys.exit("set ODOO_PATH to an Odoo 19 source tree (the folder holding odoo-bin)")
    return Path(value)


def odoo_python() -> str:
    """The Python that runs Odoo: ``ODOO_PYTHON``, or this one when it can run Odoo itself."""
    if os.environ.get("ODOO_PYTHON"):
        return os.environ["ODOO_PYTHON"]
    if importlib.util.find_spec("psycopg2") is None:
        sys.exit("set ODOO_PYTHON to the Python Odoo runs with (this one lacks Odoo's requirements)")
    return sys.executable


def addons_path() -> str:
    return f"{odoo_path() / 'addons'},{REPO / 'addons'}"


def db_args() -> list[str]:
    """Odoo's database options from the standard PostgreSQL environment variables."""
    args = []
    for env, option in (("PGHOST", "db_host"), ("PGPORT", "db_port"), ("PGUSER", "db_user"),
                        ("PGPASSWORD", "db_password")):  # fmt: skip
        if os.environ.get(env):
            args.append(f"--{option}={os.environ[env]}")
    return args
