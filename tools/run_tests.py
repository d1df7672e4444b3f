"""The project's one test command: library tests, static checks, then the Odoo addon tests.

Run it through ``scripts/test`` (which prepares the virtual environment first). Stages, in order:

1. library tests: pytest over ``tests/`` (the official corpora are read from ``../shared/corpora``);
2. static checks: ruff on the library, pylint-odoo on ``addons/``, every XML file well-formed,
   every ``__manifest__.py`` sane;
3. addon tests against a real Odoo 19 and a real PostgreSQL, when an Odoo is found: importable by
   the Python in ``ODOO_PYTHON`` (default: this one), with ``ODOO_PATH`` pointing at a source tree
   that holds ``odoo-bin`` when it is not installed. Without ``PGHOST`` a throwaway PostgreSQL
   cluster is started in a temporary folder (the server package is installed with apt when it is
   missing and we are root) and removed afterwards. When no Odoo is found, one loud line says that
   the addon tests did not run and why; everything else still runs.

The last line is ``total: N passed, N failed``; the exit code is non-zero when anything failed.
A stage that did not run (no Odoo found, ``--skip-odoo``) says so in the summary, e.g.
``odoo: not run (--skip-odoo)``, so that "0 failed" is never read as a pass.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ADDONS = REPO / "addons"
MANIFEST_KEYS = {"name", "version", "license", "depends", "author"}
VERSION_RE = re.compile(r"^19\.0\.\d+\.\d+\.\d+$")
ODOO_SUMMARY_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
OCA_REQUIREMENTS = ADDONS / "oca-requirements.txt"
OCA_CACHE = REPO / ".work" / "oca"
LIBRARY_IMPORTS = ["lxml", "stdnum", "schwifty", "httpx", "dns.resolver", "reportlab", "paramiko", "pypdf"]


@dataclass
class Outcome:
    passed: int = 0
    failed: int = 0
    notes: list[str] = field(default_factory=list)
    #: Why this part did not run at all (None: it ran). "0 passed, 0 failed" would look like a pass.
    not_run: str | None = None


def banner(text: str) -> None:
    print(f"\n===== {text} =====", flush=True)


# ---------------------------------------------------------------------------------------------
# 1. library tests
# ---------------------------------------------------------------------------------------------


def run_pytest(extra: list[str]) -> Outcome:
    banner("library tests (pytest)")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        code = subprocess.call([sys.executable, "-m", "pytest", f"--junitxml={report}", *extra], cwd=REPO)
        outcome = Outcome()
        if report.exists():
            suite = ET.parse(report).getroot()
            suites = [suite] if suite.tag == "testsuite" else list(suite)
            for item in suites:
                tests = int(item.get("tests", 0))
                bad = int(item.get("failures", 0)) + int(item.get("errors", 0))
                skipped = int(item.get("skipped", 0))
                outcome.passed += tests - bad - skipped
                outcome.failed += bad
    if code not in (0, 5) and outcome.failed == 0:
        outcome.failed = 1
        outcome.notes.append(f"pytest exited with {code}")
    if code == 5:
        outcome.failed += 1
        outcome.notes.append("pytest collected no tests")
    return outcome


# ---------------------------------------------------------------------------------------------
# 2. static checks
# ---------------------------------------------------------------------------------------------


def addon_dirs() -> list[Path]:
    return sorted(p.parent for p in ADDONS.glob("*/__manifest__.py"))


def check_ruff() -> bool:
    command = [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks", "tools"]
    return subprocess.call(command, cwd=REPO) == 0


def check_pylint_odoo() -> bool:
    addons = addon_dirs()
    if not addons:
        print("pylint-odoo: no addons yet")
        return True
    command = [sys.executable, "-m", "pylint", f"--rcfile={REPO / '.pylintrc-odoo'}", *map(str, addons)]
    return subprocess.call(command, cwd=REPO) == 0


def tracked_files(pattern: str) -> Iterator[Path]:
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", pattern],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode == 0:
        for line in listing.stdout.splitlines():
            path = REPO / line
            if path.is_file():
                yield path
    else:  # not a git checkout: every file
        yield from (p for p in REPO.rglob(pattern.rsplit("/", maxsplit=1)[-1]) if ".venv" not in p.parts)


def check_xml_well_formed() -> bool:
    ok = True
    count = 0
    for path in tracked_files("*.xml"):
        count += 1
        try:
            ET.parse(path)
        except ET.ParseError as exc:
            ok = False
            print(f"{path.relative_to(REPO)}: not well-formed XML: {exc}")
    print(f"xml: {count} files checked")
    return ok


def check_manifests() -> bool:
    ok = True
    names = {p.name for p in addon_dirs()}
    for addon in addon_dirs():
        manifest_path = addon / "__manifest__.py"
        where = manifest_path.relative_to(REPO)
        try:
            manifest = ast.literal_eval(manifest_path.read_text(encoding="utf-8"))
        except (SyntaxError, ValueError) as exc:
            print(f"{where}: not a literal dict: {exc}")
            ok = False
            continue
        problems = []
        missing = MANIFEST_KEYS - set(manifest)
        if missing:
            problems.append(f"missing keys {sorted(missing)}")
        if not VERSION_RE.match(str(manifest.get("version", ""))):
            problems.append(f"version {manifest.get('version')!r} is not 19.0.x.y.z")
        if not addon.name.startswith("l10n_no_"):
            problems.append("addon names start with l10n_no_")
        for key in ("data", "demo"):
            for entry in manifest.get(key, []):
                if not (addon / entry).is_file():
                    problems.append(f"{key} file {entry} does not exist")
        for dep in manifest.get("depends", []):
            if dep.startswith("l10n_no_") and dep not in names:
                problems.append(f"depends on {dep}, which is not in addons/")
        for folder in ("security", "tests", "i18n", "readme"):
            if not (addon / folder).is_dir():
                problems.append(f"has no {folder}/ folder")
        if (addon / "models").is_dir() and not (addon / "security" / "ir.model.access.csv").is_file():
            problems.append("has models but no security/ir.model.access.csv")
        for problem in problems:
            print(f"{where}: {problem}")
        ok = ok and not problems
    print(f"manifests: {len(names)} addons checked")
    return ok


_PO_KEYWORD_RE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')
_PO_CONTINUATION_RE = re.compile(r'^"(.*)"$')
_PLACEHOLDER_RE = re.compile(r"%\([a-z_]+\)[sdf]")


def po_entries(text: str) -> list[dict[str, str]]:
    """The entries of a .po file as {keyword: text} (continuation lines joined, escapes kept)."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = None
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line or (line.startswith("#") and "msgid" in current):
            if "msgid" in current:
                entries.append(current)
            current, key = {}, None
            continue
        if line.startswith("#"):
            continue
        if match := _PO_KEYWORD_RE.match(line):
            key = match.group(1)
            current[key] = match.group(2)
        elif (match := _PO_CONTINUATION_RE.match(line)) and key:
            current[key] += match.group(1)
    return entries


def po_problems(text: str) -> list[str]:
    """What gettext (``msgfmt -c``) or Odoo would refuse or get wrong: an entry twice, a translation
    that loses or invents a ``%(name)s`` placeholder."""
    problems, seen = [], set()
    for entry in po_entries(text):
        key = (entry.get("msgctxt"), entry["msgid"])
        if entry["msgid"] and key in seen:
            problems.append(f"msgid {entry['msgid'][:60]!r} is there twice")
        seen.add(key)
        translation = entry.get("msgstr", "")
        if entry["msgid"] and translation and set(_PLACEHOLDER_RE.findall(entry["msgid"])) != set(
            _PLACEHOLDER_RE.findall(translation)
        ):
            problems.append(f"msgid {entry['msgid'][:60]!r}: the translation's placeholders differ")
    return problems


def check_translations() -> bool:
    ok, count = True, 0
    for path in sorted(ADDONS.glob("*/i18n/*.po*")):
        count += 1
        for problem in po_problems(path.read_text(encoding="utf-8")):
            print(f"{path.relative_to(REPO)}: {problem}")
            ok = False
    print(f"translations: {count} files checked")
    return ok


def check_nb_coverage() -> bool:
    """Every text our addons can show has a Bokmål translation (tools/i18n_coverage.py)."""
    sys.path.insert(0, str(REPO / "tools"))
    import i18n_coverage  # noqa: PLC0415 - a sibling script, not a package

    return i18n_coverage.check()


def run_static() -> Outcome:
    outcome = Outcome()
    for name, check in (
        ("ruff", check_ruff),
        ("pylint-odoo", check_pylint_odoo),
        ("xml well-formed", check_xml_well_formed),
        ("manifests", check_manifests),
        ("translations", check_translations),
        ("nb translations complete", check_nb_coverage),
    ):
        banner(f"static check: {name}")
        if check():
            outcome.passed += 1
        else:
            outcome.failed += 1
            outcome.notes.append(f"static check {name} failed")
    return outcome


# ---------------------------------------------------------------------------------------------
# 3. addon tests against real Odoo and PostgreSQL
# ---------------------------------------------------------------------------------------------


@dataclass
class OdooSetup:
    python: str
    command: list[str]  # how to start the server, before its options
    addons_path: list[str]
    env: dict[str, str]


def _probe(python: str, env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-c", code], env=env, capture_output=True, text=True, check=False)


def find_odoo() -> tuple[OdooSetup | None, str]:
    """The Odoo to test against, or None and the reason why there is none."""
    python = os.environ.get("ODOO_PYTHON") or sys.executable
    odoo_path = os.environ.get("ODOO_PATH")
    env = dict(os.environ)
    paths = [str(REPO / "src")]
    if odoo_path:
        if not (Path(odoo_path) / "odoo" / "release.py").is_file():
            return None, f"ODOO_PATH={odoo_path} holds no odoo/release.py"
        paths.insert(0, odoo_path)
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    probe = _probe(
        python,
        env,
        "import odoo.release as r, os, odoo.addons as a; print(r.version_info[0]); "
        "print(os.pathsep.join(a.__path__))",
    )
    if probe.returncode != 0:
        where = f"ODOO_PATH={odoo_path}" if odoo_path else f"{python} (set ODOO_PATH or ODOO_PYTHON)"
        return None, f"no importable Odoo in {where}: {probe.stderr.strip().splitlines()[-1:]}"
    major, addon_paths = probe.stdout.split("\n", 1)
    if major.strip() != "19":
        return None, f"the Odoo found is version {major.strip()}, not 19"
    deps = _probe(python, env, "import psycopg2, werkzeug, " + ", ".join(LIBRARY_IMPORTS))
    if deps.returncode != 0:
        return None, (
            f"{python} imports Odoo but lacks what Odoo or nofaktura needs "
            f"({deps.stderr.strip().splitlines()[-1:]}); install them with "
            f"`{python} -m pip install -e {REPO}` and Odoo's requirements.txt"
        )
    oca_path, oca_reason = oca_addons_path()
    if oca_path is None:
        return None, oca_reason
    addons_path = [str(ADDONS), str(oca_path)]
    if odoo_path and (Path(odoo_path) / "addons").is_dir():
        addons_path.append(str(Path(odoo_path) / "addons"))
    addons_path.extend(p for p in addon_paths.strip().split(os.pathsep) if p and Path(p).is_dir())
    if odoo_path and (Path(odoo_path) / "odoo-bin").is_file():
        command = [python, str(Path(odoo_path) / "odoo-bin")]
    else:
        command = [python, "-m", "odoo"]
    return OdooSetup(python, command, addons_path, env), ""


def oca_pins(requirements: Path = OCA_REQUIREMENTS) -> list[str]:
    """The pinned ``odoo-addon-*==19.0.x`` lines of the OCA requirements file, comments dropped."""
    if not requirements.is_file():
        return []
    pins = []
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not re.fullmatch(r"odoo-addon-[A-Za-z0-9_.-]+==19\.0\.[0-9.]+", line):
            raise ValueError(f"{requirements.name}: {line!r} is not a pinned odoo-addon-*==19.0.x requirement")
        pins.append(line)
    return pins


def oca_addons_path() -> tuple[Path | None, str]:
    """Install the pinned OCA wheels (once per set of pins) and return the folder of their modules.

    ``--no-deps`` because every OCA wheel requires the ``odoo`` distribution, which a source
    checkout of Odoo does not register; the modules' own Odoo dependencies are pinned in the file.
    The folder is private to the runner, so the user's Odoo environment is never changed.
    """
    try:
        pins = oca_pins()
    except ValueError as exc:
        return None, str(exc)
    key = hashlib.sha256("\n".join(sorted(pins)).encode()).hexdigest()[:12]
    target = OCA_CACHE / key
    modules = target / "odoo" / "addons"
    if (target / ".complete").is_file():
        return modules, ""
    if not pins:
        modules.mkdir(parents=True, exist_ok=True)
        return modules, ""
    shutil.rmtree(target, ignore_errors=True)
    print(f"installing {len(pins)} pinned OCA modules into {target} …", flush=True)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
         "--target", str(target), *pins],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        return None, f"could not install the OCA modules of {OCA_REQUIREMENTS.name}: {tail}"
    (target / ".complete").write_text("\n".join(pins) + "\n", encoding="utf-8")
    return modules, ""


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bindir() -> Path | None:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    return candidates[-1].parent if candidates else None


def _apt_install(packages: list[str], why: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError(f"{why} and this runner cannot install {' '.join(packages)} (not root or no apt-get)")
    print(f"installing {' '.join(packages)} with apt-get ({why}) …", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], env=env, check=True)


def _install_postgres() -> None:
    _apt_install(["postgresql"], "PostgreSQL is not installed")


#: Programs Odoo calls while our tests run, and the Debian package that brings each.
ODOO_TOOLS = {"wkhtmltopdf": "wkhtmltopdf"}


def ensure_odoo_tools() -> str | None:
    """Install the programs Odoo needs for our tests (PDF rendering) when missing; the reason when not."""
    missing = [package for program, package in ODOO_TOOLS.items() if not shutil.which(program)]
    if not missing:
        return None
    try:
        _apt_install(missing, "Odoo renders the invoice and letter PDFs with them")
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        return str(exc)
    return None


#: The browser Odoo's tours drive (odoo.tests.common._find_executable looks for these names) and the
#: Debian package that brings it; the Python package Odoo talks to it with, installed into Odoo's Python.
CHROME_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")
CHROME_PACKAGE = "chromium"
WEBSOCKET_PACKAGE = "websocket-client"


def ensure_browser(python: str, env: dict[str, str]) -> str | None:
    """Chromium and websocket-client for the browser tours, installed when missing; the reason when not.

    Without them Odoo skips each tour (``SkipTest``) and the other tests still run: the runner says so loudly
    so that a skipped tour is never read as a pass.
    """
    problems = []
    if not any(shutil.which(name) for name in CHROME_NAMES):
        try:
            _apt_install([CHROME_PACKAGE], "the browser tours run in Chromium")
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            problems.append(f"no Chromium: {exc}")
    if _probe(python, env, "import websocket").returncode != 0:
        if _probe(python, env, "import pip").returncode != 0:
            problems.append(f"{python} lacks {WEBSOCKET_PACKAGE} and has no pip to install it")
        else:
            print(f"installing {WEBSOCKET_PACKAGE} into {python} (the tours talk to Chromium with it) …", flush=True)
            result = subprocess.run(
                [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", WEBSOCKET_PACKAGE],
                env=env, capture_output=True, text=True, check=False,
            )
            if result.returncode != 0 or _probe(python, env, "import websocket").returncode != 0:
                tail = (result.stderr or result.stdout).strip().splitlines()[-1:]
                problems.append(f"could not install {WEBSOCKET_PACKAGE} into {python}: {tail}")
    return "; ".join(problems) or None


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[dict[str, str]]:
    """Start a private PostgreSQL cluster on a Unix socket; yield Odoo's db options."""
    bindir = _pg_bindir()
    if bindir is None:
        _install_postgres()
        bindir = _pg_bindir()
    if bindir is None:
        raise RuntimeError("no initdb found after installing PostgreSQL")
    base = Path(tempfile.mkdtemp(prefix="nofaktura-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres system user
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = str(_free_port())
    subprocess.run(
        [*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        subprocess.run(
            [str(bindir / "psql"), "-h", str(sock), "-p", port, "-U", "postgres", "-qc",
             "CREATE ROLE nofaktura_test LOGIN SUPERUSER"],
            check=True,
        )
        yield {"db_host": str(sock), "db_port": port, "db_user": "nofaktura_test", "db_password": ""}
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       check=False, stdout=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def database_server() -> Iterator[dict[str, str]]:
    if os.environ.get("PGHOST"):
        yield {
            "db_host": os.environ["PGHOST"],
            "db_port": os.environ.get("PGPORT", "5432"),
            "db_user": os.environ.get("PGUSER", "odoo"),
            "db_password": os.environ.get("PGPASSWORD", ""),
        }
    else:
        with throwaway_postgres() as options:
            yield options


def run_odoo_tests(selected: list[str]) -> Outcome:
    banner("addon tests (Odoo 19 + PostgreSQL)")
    outcome = Outcome()
    addons = [p.name for p in addon_dirs() if not selected or p.name in selected]
    if not addons:
        print("addon tests: there are no addons to test")
        outcome.not_run = "no addon selected" if selected else "no addons"
        return outcome
    setup, reason = find_odoo()
    if setup is None:
        message = f"!!! ADDON TESTS DID NOT RUN: {reason}. Library tests and static checks ran. !!!"
        print("!" * len(message), message, "!" * len(message), sep="\n", flush=True)
        if os.environ.get("ODOO_PATH") or os.environ.get("ODOO_PYTHON"):
            outcome.failed += 1  # Odoo was asked for explicitly: not finding it is a failure
        outcome.not_run = reason
        return outcome
    tools_problem = ensure_odoo_tools()
    if tools_problem:
        outcome.notes.append(f"PDF tests may fail: {tools_problem}")
    browser_problem = ensure_browser(setup.python, setup.env)
    if browser_problem:
        message = f"!!! BROWSER TOURS WILL BE SKIPPED: {browser_problem} !!!"
        print("!" * len(message), message, "!" * len(message), sep="\n", flush=True)
        outcome.notes.append(f"browser tours skipped: {browser_problem}")
    dbname = f"nofaktura_test_{os.getpid()}"
    try:
        with database_server() as db:
            command = [
                *setup.command,
                f"--addons-path={','.join(setup.addons_path)}",
                f"--database={dbname}",
                f"--db_host={db['db_host']}",
                f"--db_port={db['db_port']}",
                f"--db_user={db['db_user']}",
                f"--db_password={db['db_password']}",
                f"--init={','.join(addons)}",
                "--test-enable",
                f"--test-tags={','.join('/' + a for a in addons)}",
                "--stop-after-init",
                "--log-level=test",
                "--http-interface=127.0.0.1",
                f"--http-port={_free_port()}",
                "--max-cron-threads=0",
            ]
            print("running:", " ".join(command[:2]), "…", f"--init={','.join(addons)}", flush=True)
            started = time.monotonic()
            process = subprocess.Popen(
                command, env=setup.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO
            )
            assert process.stdout is not None
            error_lines: list[str] = []
            totals = [0, 0, 0]
            for line in process.stdout:
                sys.stdout.write(line)
                if " ERROR " in line or " CRITICAL " in line:
                    error_lines.append(line.rstrip())
                match = ODOO_SUMMARY_RE.search(line)
                if match and "when loading database" in line:
                    totals = [int(g) for g in match.groups()]
            code = process.wait()
            print(f"odoo finished in {time.monotonic() - started:.0f} s with exit code {code}")
            failed_tests = totals[0] + totals[1]
            outcome.passed = totals[2] - failed_tests
            outcome.failed = failed_tests
            if code != 0 and not failed_tests:
                outcome.failed += 1
                outcome.notes.append(f"Odoo exited with {code}")
            if error_lines and not failed_tests:
                outcome.failed += 1
                outcome.notes.append(f"Odoo logged {len(error_lines)} ERROR line(s), e.g. {error_lines[0][:300]}")
            if totals[2] == 0:
                outcome.failed += 1
                outcome.notes.append("Odoo ran no test")
            print(f"odoo: {outcome.passed} passed, {outcome.failed} failed")
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        outcome.failed += 1
        outcome.not_run = f"could not start PostgreSQL: {exc}"
    return outcome


# ---------------------------------------------------------------------------------------------
# 4. acceptance: the addons on a real Odoo server, over XML-RPC (tests/acceptance)
# ---------------------------------------------------------------------------------------------


def run_acceptance(selected: list[str]) -> Outcome:
    """pytest over ``tests/acceptance``: its session fixture starts PostgreSQL and a real Odoo server
    (workers, cron thread, commits) and drives it over XML-RPC as users with job groups only."""
    banner("acceptance (real Odoo server)")
    outcome = Outcome()
    if selected:
        print("acceptance: not run, --addon selects a subset and the flows need all four addons")
        return outcome
    setup, reason = find_odoo()
    if setup is None:
        print(f"!!! ACCEPTANCE TESTS DID NOT RUN: {reason} !!!", flush=True)
        if os.environ.get("ODOO_PATH") or os.environ.get("ODOO_PYTHON"):
            outcome.failed += 1
        outcome.notes.append("acceptance tests did not run: " + reason)
        return outcome
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        env = dict(os.environ, NOFAKTURA_ACCEPTANCE="1")
        command = [sys.executable, "-m", "pytest", "tests/acceptance", "-v", "-rfEs", f"--junitxml={report}"]
        code = subprocess.call(command, cwd=REPO, env=env)
        skipped = 0
        if report.exists():
            root = ET.parse(report).getroot()
            for item in [root] if root.tag == "testsuite" else list(root):
                bad = int(item.get("failures", 0)) + int(item.get("errors", 0))
                skipped += int(item.get("skipped", 0))
                outcome.passed += int(item.get("tests", 0)) - bad - int(item.get("skipped", 0))
                outcome.failed += bad
    if code != 0 and outcome.failed == 0:
        outcome.failed = 1
        outcome.notes.append(f"acceptance pytest exited with {code}")
    if skipped:
        outcome.failed += 1
        outcome.notes.append(f"{skipped} acceptance test(s) skipped although Odoo was found")
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-library", action="store_true", help="do not run pytest")
    parser.add_argument("--skip-static", action="store_true", help="do not run the static checks")
    parser.add_argument("--skip-odoo", action="store_true", help="do not run the addon tests")
    parser.add_argument("--addon", action="append", default=[], help="only this addon (repeatable)")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()

    results: dict[str, Outcome] = {}
    if not args.skip_library:
        results["library"] = run_pytest(args.pytest_args)
    if not args.skip_static:
        results["static"] = run_static()
    if args.skip_odoo:
        results["odoo"] = Outcome(not_run="--skip-odoo")
    else:
        results["odoo"] = run_odoo_tests(args.addon)
        results["acceptance"] = run_acceptance(args.addon)

    banner("summary")
    lines = summary_lines(results)
    print("\n".join(lines))
    return 1 if sum(o.failed for o in results.values()) else 0


def summary_lines(results: dict[str, Outcome]) -> list[str]:
    """The summary: one line per part, its notes, and last ``total: N passed, N failed`` (CI reads it).

    A part that did not run says ``<name>: not run (<reason>)``, never ``0 passed, 0 failed``.
    """
    lines = []
    for name, outcome in results.items():
        if outcome.not_run is not None:
            lines.append(f"{name}: not run ({outcome.not_run})")
            if outcome.failed:
                lines.append(f"  - counted as {outcome.failed} failed")
        else:
            lines.append(f"{name}: {outcome.passed} passed, {outcome.failed} failed")
        lines.extend(f"  - {note}" for note in outcome.notes)
    passed = sum(o.passed for o in results.values())
    failed = sum(o.failed for o in results.values())
    lines.append(f"total: {passed} passed, {failed} failed")
    return lines


if __name__ == "__main__":
    sys.exit(main())
