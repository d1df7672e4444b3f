"""The acceptance suite: the four addons on a real Odoo server, driven over XML-RPC like production.

Odoo's own test mode rolls every test back, runs one process and mostly acts as the superuser, so it
cannot show what happens with commits, several worker processes, the cron thread and users who hold
only the groups of their job. This suite starts all of that once per session:

- a throwaway PostgreSQL (or ``PGHOST``), through ``tools/run_tests.py`` (``database_server``);
- a fresh database with the four addons (and the Norwegian chart ``l10n_no``) installed, no demo data;
- a real server, ``--workers=2 --max-cron-threads=1`` on a free port of 127.0.0.1, waited for on
  ``/web/health`` and stopped at the end;
- users with job groups only: billing clerk, accountant, accounting administrator, portal.

It runs only when an Odoo 19 is found (``ODOO_PATH`` / ``ODOO_PYTHON``, as for the addon tests) and
``NOFAKTURA_ACCEPTANCE=1`` is set; ``tools/run_tests.py`` sets it in its own stage, so the library
stage does not start a second server. Otherwise every test is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import xmlrpc.client
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from nofaktura.ehf import build, writer
from nofaktura.ehf.model import Address

REPO = Path(__file__).resolve().parents[2]
ADDONS = ["l10n_no_kid", "l10n_no_bank", "l10n_no_dunning", "l10n_no_ehf", "l10n_no_coding", "l10n_no_approval",
          "l10n_no_payment_order", "l10n_no_dispatch", "l10n_no_agreement", "l10n_no_agreement_dispatch",
          "l10n_no_invoicing"]
SELLER_ORGNR = "988077917"
BUYER_ORGNR = "974760673"
BANK_ACCOUNT = "86011117947"
#: Generous: this machine is shared; nothing here measures speed.
SERVER_START_TIMEOUT = 300
POLL_TIMEOUT = 240


def _runner() -> Any:
    """``tools/run_tests.py`` as a module: one place that knows how to find Odoo and start PostgreSQL."""
    name = "nofaktura_run_tests"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tools" / "run_tests.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return sys.modules[name]


def _skip_reason() -> str | None:
    if os.environ.get("NOFAKTURA_ACCEPTANCE") != "1":
        return ("acceptance tests need a real Odoo server: run `tools/run_tests.py` (stage 'acceptance') "
                "with ODOO_PATH/ODOO_PYTHON, or set NOFAKTURA_ACCEPTANCE=1 with them")
    setup, reason = _runner().find_odoo()
    if setup is None:
        return f"acceptance tests need Odoo 19: {reason}"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    mine = [item for item in items if here in Path(str(item.fspath)).parents]
    if not mine:
        return
    reason = _skip_reason()
    if reason:
        for item in mine:
            item.add_marker(pytest.mark.skip(reason=reason))


# ---------------------------------------------------------------------------------------------
# XML-RPC
# ---------------------------------------------------------------------------------------------


@dataclass
class Rpc:
    """One user's XML-RPC connection (a new ``ServerProxy`` per call: safe across threads)."""

    url: str
    db: str
    login: str
    password: str
    uid: int = 0

    def __post_init__(self) -> None:
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(self.db, self.login, self.password, {})
        if not self.uid:
            raise RuntimeError(f"user {self.login} cannot log in")

    def __call__(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)

    def ref(self, xmlid: str) -> int:
        module, name = xmlid.split(".")
        rows = self("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"])
        assert rows, f"no record {xmlid}"
        return rows[0]["res_id"]


def poll(what: str, check: Any, timeout: float = POLL_TIMEOUT, every: float = 2.0, server: Server | None = None) -> Any:
    """Call ``check`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds.

    A deadline to give up, not a speed assertion: the server works in its own time.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            errors = server.log_errors() if server else ""
            pytest.fail(f"gave up waiting after {timeout:.0f} s for: {what}"
                        + (f"\nserver errors:\n{errors}" if errors else ""))
        time.sleep(every)


#: Fault codes of Odoo's /xmlrpc/2 endpoint (odoo/addons/rpc/controllers/xmlrpc.py).
FAULT_WARNING = 2  # UserError, ValidationError: a refusal with a message for the user
FAULT_ACCESS_ERROR = 4


def is_access_error(fault: xmlrpc.client.Fault) -> bool:
    return fault.faultCode == FAULT_ACCESS_ERROR or "AccessError" in str(fault.faultCode)


def is_user_error(fault: xmlrpc.client.Fault) -> bool:
    return fault.faultCode == FAULT_WARNING or "UserError" in str(fault.faultCode)


def action(rpc: Rpc, model: str, method: str, ids: list[int], defects: list[str]) -> Any:
    """Call a button method over XML-RPC. A method that returns None cannot answer over XML-RPC
    (the work is committed, then the answer fails to marshal): that is recorded in ``defects`` so
    the flow goes on and the test still fails at its end."""
    try:
        return rpc(model, method, ids)
    except xmlrpc.client.Fault as fault:
        if "cannot marshal None" not in str(fault.faultString) + str(fault.faultCode):
            raise
        defects.append(f"{model}.{method} returns None: XML-RPC callers get a Fault")
        return None


# ---------------------------------------------------------------------------------------------
# the server
# ---------------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    db: str
    folder: Path  # the folder access point's root (outbox, inbox, receipts)
    log: Path
    admin: Rpc  # accounting administrator (account manager + settings)
    accountant: Rpc
    clerk: Rpc
    portal: Rpc
    company_id: int
    bank_journal_id: int
    bank_account_id: int

    def log_errors(self, limit: int = 5) -> str:
        """The last ERROR lines of the server log, each with the exception line that follows it."""
        with contextlib.suppress(OSError):
            lines = self.log.read_text(errors="replace").splitlines()
            found = []
            for index, line in enumerate(lines):
                if " ERROR " in line:
                    following = lines[index + 1:index + 80]
                    after = next((x for x in following if x and not x.startswith((" ", "Traceback"))), "")
                    found.append(f"{line[:300]}\n    -> {after[:300]}")
            return "\n".join(found[-limit:])
        return ""

    def log_tail(self, lines: int = 60) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


#: Run by ``odoo-bin shell`` as the superuser after the install: what an integrator does once
#: (company country and chart, the people's accounts); everything after it goes over XML-RPC.
BOOTSTRAP = """
company = env.company
company.write({"name": "Selger AS", "country_id": env.ref("base.no").id})
if company.chart_template != "no":  # a fresh database: nothing booked yet, so the chart can be switched
    env["account.chart.template"].try_loading("no", company, install_demo=False)
assert company.chart_template == "no", company.chart_template
assert company.currency_id.name == "NOK", company.currency_id.name
# l10n_no_invoicing: nothing leaves the machine; test_11 points the company at its fake Enhetsregisteret
company.l10n_no_brreg_base_url = "http://127.0.0.1:9/enhetsregisteret/api"
groups = {
    "clerk": ["account.group_account_invoice", "base.group_partner_manager"],
    "accountant": ["account.group_account_user"],
    "accadmin": ["account.group_account_manager", "account.group_account_user", "base.group_system",
                 # OCA's Payments group: payment orders (and, with it, vendor bank accounts) are its objects
                 "account_payment_order.group_account_payment"],
    "portal": ["base.group_portal"],
}
for login, xmlids in groups.items():
    env["res.users"].with_context(no_reset_password=True).create({
        "name": login.title(), "login": login, "password": login + "-pw-1234", "email": login + "@selger.example",
        "company_id": company.id, "company_ids": [(6, 0, company.ids)],
        "group_ids": [(6, 0, [env.ref(x).id for x in xmlids])],
    })
env.cr.commit()
print("BOOTSTRAP-OK")
"""


def _run(command: list[str], env: dict[str, str], log: Path, what: str, stdin: str | None = None) -> str:
    result = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, cwd=REPO, check=False)
    with log.open("a") as out:
        out.write(f"\n### {what}\n{result.stdout}\n{result.stderr}\n")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise RuntimeError(f"{what} failed with exit code {result.returncode}:\n{tail}")
    return result.stdout


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Odoo server exited with {process.returncode}; see {log}")
        with contextlib.suppress(urllib.error.URLError, OSError), \
                urllib.request.urlopen(f"{url}/web/health", timeout=10) as response:
            if response.status == 200:
                return
        time.sleep(1)
    raise RuntimeError(f"the Odoo server did not answer /web/health within {SERVER_START_TIMEOUT} s; see {log}")


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    runner = _runner()
    setup, reason = runner.find_odoo()
    if setup is None:
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(prefix="nofaktura-accept-"))
    folder = base / "access-point"
    folder.mkdir()
    log = base / "odoo.log"
    dbname = f"nofaktura_accept_{os.getpid()}"
    with runner.database_server() as db:
        addons_path = list(setup.addons_path)
        modules = list(ADDONS)
        if any((Path(p) / "l10n_no" / "__manifest__.py").is_file() for p in addons_path):
            modules.insert(0, "l10n_no")
        options = [
            f"--addons-path={','.join(addons_path)}",
            f"--database={dbname}",
            f"--db-filter=^{dbname}$",
            f"--db_host={db['db_host']}",
            f"--db_port={db['db_port']}",
            f"--db_user={db['db_user']}",
            f"--db_password={db['db_password']}",
            f"--data-dir={base / 'data'}",
        ]
        started = time.monotonic()
        # The company gets its country after the install (BOOTSTRAP): created Norwegian, Odoo would
        # auto-install account_peppol, whose Python dependency (phonenumbers) this Odoo may lack.
        _run([*setup.command, *options, f"--init={','.join(modules)}", "--stop-after-init", "--log-level=warn",
              "--max-cron-threads=0", "--http-interface=127.0.0.1", f"--http-port={runner._free_port()}"],
             setup.env, log, "install")
        out = _run([*setup.command, "shell", *options, "--log-level=warn", "--no-http"], setup.env, log,
                   "bootstrap", stdin=BOOTSTRAP)
        if "BOOTSTRAP-OK" not in out:
            raise RuntimeError(f"the bootstrap script did not finish; see {log}")
        print(f"\nacceptance: database {dbname} installed in {time.monotonic() - started:.0f} s")
        port = runner._free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("a") as out_file:
            process = subprocess.Popen(
                [*setup.command, *options, "--workers=2", "--max-cron-threads=1", "--http-interface=127.0.0.1",
                 f"--http-port={port}", "--limit-time-real=900", "--limit-time-cpu=600", "--log-level=info",
                 "--log-handler=odoo.addons.rpc.controllers.xmlrpc:ERROR"],
                env=setup.env, stdout=out_file, stderr=subprocess.STDOUT, cwd=REPO,
            )
        try:
            _wait_healthy(url, process, log)
            users = {role: Rpc(url, dbname, login, f"{login}-pw-1234") for role, login in
                     (("admin", "accadmin"), ("accountant", "accountant"), ("clerk", "clerk"), ("portal", "portal"))}
            srv = _configure(url, dbname, folder, log, users)
            yield srv
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if os.environ.get("NOFAKTURA_ACCEPTANCE_KEEP"):
                print(f"acceptance: kept {base}")
            else:
                shutil.rmtree(base, ignore_errors=True)


def _configure(url: str, db: str, folder: Path, log: Path, users: dict[str, Rpc]) -> Server:
    """The accounting administrator sets the company up over XML-RPC, as in production."""
    admin = users["admin"]
    # PDFs (invoices, dunning letters) are rendered by wkhtmltopdf, which loads the assets from here
    for key in ("web.base.url", "report.url"):
        admin("ir.config_parameter", "set_param", key, url)
    admin("ir.config_parameter", "set_param", "web.base.url.freeze", "True")
    company_id = admin("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    admin("res.company", "write", [company_id], {
        "vat": f"NO{SELLER_ORGNR}MVA", "l10n_no_bronnoysund_number": SELLER_ORGNR, "company_registry": SELLER_ORGNR,
        "street": "Storgata 1", "zip": "0150", "city": "Oslo", "email": "faktura@selger.example",
        "phone": "+47 22 00 00 00",
    })
    bank_account_id = admin("res.partner.bank", "create", {
        "acc_number": BANK_ACCOUNT,
        "partner_id": admin("res.company", "read", [company_id], ["partner_id"])[0]["partner_id"][0],
        "allow_out_payment": True,
    })
    bank_journal_id = admin("account.journal", "search", [("type", "=", "bank"), ("company_id", "=", company_id)],
                            limit=1)[0]
    admin("account.journal", "write", [bank_journal_id], {
        "bank_account_id": bank_account_id,
        "l10n_no_kid_enabled": True,
        "l10n_no_kid_algorithm": "mod10",
        "l10n_no_kid_length": 15,
        "l10n_no_kid_customer_digits": 5,
        "l10n_no_kid_invoice_digits": 9,
    })
    purchase_journal_id = admin("account.journal", "search", [("type", "=", "purchase"),
                                                              ("company_id", "=", company_id)], limit=1)[0]
    access_point_id = admin("l10n_no_ehf.access.point", "create", {
        "name": "Folder AP", "company_id": company_id, "transport_type": "folder", "folder_path": str(folder),
        "purchase_journal_id": purchase_journal_id,
    })
    admin("res.company", "write", [company_id], {"l10n_no_ehf_access_point_id": access_point_id})
    return Server(url, db, folder, log, admin, users["accountant"], users["clerk"], users["portal"],
                  company_id, bank_journal_id, bank_account_id)


# ---------------------------------------------------------------------------------------------
# business helpers shared by the flows
# ---------------------------------------------------------------------------------------------


def make_partner(srv: Server, name: str, ehf: bool = False, **values: Any) -> int:
    """A Norwegian customer, created by the billing clerk. ``ehf``: a business on Peppol.

    The Peppol lookup needs the internet; for an EHF customer the administrator records the
    lookup's answer (reachable, valid for a day) as the lookup would, so nothing leaves the machine.
    """
    vals: dict[str, Any] = {
        "name": name, "street": "Kundeveien 2", "zip": "5003", "city": "Bergen",
        "country_id": srv.admin.ref("base.no"), "email": f"post@{name.split(maxsplit=1)[0].lower()}.example", **values,
    }
    if ehf:
        vals.update(is_company=True, vat=f"NO{BUYER_ORGNR}MVA", l10n_no_bronnoysund_number=BUYER_ORGNR,
                    invoice_sending_method="l10n_no_ehf")
    partner_id = srv.clerk("res.partner", "create", vals)
    if ehf:
        tomorrow = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + 86400))
        srv.admin("res.partner", "write", [partner_id], {
            "l10n_no_ehf_peppol_reachable": True, "l10n_no_ehf_peppol_credit_note": True,
            "l10n_no_ehf_peppol_expires_at": tomorrow, "l10n_no_ehf_peppol_error": False,
        })
    return partner_id


def make_invoice(srv: Server, partner_id: int, amount: float = 1000.0, *, taxed: bool = False,
                 invoice_date: str | None = None, due: str | None = None, post: bool = True) -> int:
    """A customer invoice created (and posted) by the billing clerk."""
    tax_ids: list[Any] = []
    if taxed:
        tax_ids = srv.clerk("account.tax", "search", [("type_tax_use", "=", "sale"), ("amount", "=", 25.0),
                                                      ("amount_type", "=", "percent"),
                                                      ("company_id", "=", srv.company_id)], limit=1)
        assert tax_ids, "the Norwegian chart has no 25 % sales tax"
    vals: dict[str, Any] = {
        "move_type": "out_invoice",
        "partner_id": partner_id,
        "partner_bank_id": srv.bank_account_id,
        "ref": "Deres ref 42",
        "invoice_line_ids": [(0, 0, {"name": "Konsulenttime", "quantity": 1, "price_unit": amount,
                                     "tax_ids": [(6, 0, tax_ids)]})],
    }
    if invoice_date:
        vals["invoice_date"] = invoice_date
    if due:
        vals.update(invoice_date_due=due, invoice_payment_term_id=False)
    move_id = srv.clerk("account.move", "create", vals)
    if post:
        srv.clerk("account.move", "action_post", [move_id])
    return move_id


def read_one(rpc: Rpc, model: str, record_id: int, fields: list[str]) -> dict[str, Any]:
    return rpc(model, "read", [record_id], fields)[0]


def refused(call: Callable[[], Any], check: Callable[[xmlrpc.client.Fault], bool], what: str) -> str:
    """The call must fail with a fault ``check`` accepts (an access or a user error); return its text."""
    try:
        result = call()
    except xmlrpc.client.Fault as fault:
        assert check(fault), f"{what}: refused with an unexpected fault: {str(fault.faultString)[:1500]}"
        return str(fault.faultString)
    pytest.fail(f"{what}: allowed (returned {result!r})")


def vendor_ehf(number: str, *, seller: str, orgnr: str, address: Address, account: str, line: str,
               quantity: int, price: int, buyer_reference: str = "Ola Nordmann") -> bytes:
    """A vendor's EHF invoice (one line, 25 % VAT, KID) to our company, written by the library."""
    buyer = build.norwegian_party(
        name="Selger AS", org_number=SELLER_ORGNR, foretaksregisteret=False,
        address=Address(street="Storgata 1", city="Oslo", postal_zone="0150", country="NO"),
    )
    today = datetime.date.today()
    document = build.invoice(
        number=number, issue_date=today, due_date=today + datetime.timedelta(days=14), kind="Invoice",
        seller=build.norwegian_party(name=seller, org_number=orgnr, address=address), buyer=buyer,
        lines=[build.line(id="1", name=line, quantity=Decimal(quantity), unit_price=Decimal(price),
                          vat_rate=Decimal(25))],
        buyer_reference=buyer_reference, kid="1234567897", account=account,
    )
    return writer.write(document)


def drop_in_inbox(server: Server, number: str, content: bytes) -> None:
    """Put a received document in the access point's inbox whole (as an access point does) and run the
    receive job now, as the scheduler would."""
    inbox = server.folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    temp = inbox / f".{number}.tmp"
    temp.write_bytes(content)
    temp.rename(inbox / f"{number}.xml")
    server.admin("ir.cron", "method_direct_trigger", [server.admin.ref("l10n_no_ehf.ir_cron_l10n_no_ehf_receive")])


def direct_trigger(srv: Server, cron_id: int) -> bool:
    """Run a cron job now, in the server, as the scheduler runs it; False while another process holds
    it (Odoo: "already executing")."""
    try:
        srv.admin("ir.cron", "method_direct_trigger", [cron_id])
    except xmlrpc.client.Fault as fault:
        if "already executing" in str(fault.faultString):
            return False
        raise
    return True


def at_once(call: Callable[[int], Any], *, barrier: threading.Barrier | None = None,
            timeout: float = 600) -> list[Any]:
    """Run ``call(0)`` and ``call(1)`` in two threads released at the same instant (each XML-RPC call its
    own connection, so two worker processes), as two people or two servers would. Returns both answers in
    order, or the exception a call raised (an XML-RPC fault, a failed assertion). ``barrier``: a call that
    prepares first and races only its last step waits on this barrier again (it is released twice); a
    failure on one side aborts it, so the other side does not wait forever."""
    barrier = barrier or threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = call(index)
        except Exception as exc:
            barrier.abort()
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def run_code_twice_at_once(server: Server, model: str, code: str, name: str) -> list[Any]:
    """Run ``code`` on ``model`` in two scheduled jobs started at the same instant (one connection, so one
    worker, each), as two servers' schedulers would; the copies are removed afterwards. Returns both calls'
    answers; a fault fails the test with the server's message."""
    admin = server.admin
    model_id = admin("ir.model", "search", [("model", "=", model)])[0]
    far = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
    copies = [admin("ir.cron", "create", {
        "name": f"{name} {i}", "model_id": model_id, "state": "code", "code": code,
        "interval_number": 1, "interval_type": "days", "nextcall": far, "active": True,
    }) for i in range(2)]
    try:
        results = at_once(lambda index: admin("ir.cron", "method_direct_trigger", [copies[index]]))
    finally:
        admin("ir.cron", "unlink", copies)
    faults = [r for r in results if isinstance(r, Exception)]
    assert not faults, [str(getattr(f, "faultString", f))[:2000] for f in faults]
    return results
