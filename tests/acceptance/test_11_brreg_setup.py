"""Enhetsregisteret lookups, the partner check and the setup assistant (``l10n_no_invoicing``) on a real server.

The register is faked over real HTTP: a small threaded HTTP server on 127.0.0.1 in this test process
answers through ``nofaktura.brreg.testing.FakeRegistry`` (loaded from the shared corpus fixtures), and the
system administrator points the company's *Enhetsregisteret API URL* at it in Settings, as an integrator
would point it at the register's test environment. Everything else goes over XML-RPC as the people who
do the job: the billing clerk (Invoicing + contact creation) creates customers from the register, twice
at the same instant in two worker processes; the daily check runs in the server's scheduler code and
flags customers the register lists as deleted or bankrupt, and a register answering 500 or 429 changes
nothing; the system/accounting administrator runs the setup assistant on a company that is not set up,
twice, and the clerk is refused it.
"""

from __future__ import annotations

import copy
import json
import threading
import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from nofaktura.brreg.testing import FakeRegistry

from .conftest import (
    BUYER_ORGNR,
    REPO,
    SELLER_ORGNR,
    Rpc,
    Server,
    at_once,
    direct_trigger,
    is_access_error,
    poll,
    read_one,
    refused,
)

FIXTURES = REPO.parent / "shared" / "corpora" / "brreg" / "fixtures"
# Valid (MOD11) numbers no other acceptance test uses (test_07's vendor is 910000004); the corpus's own
# numbers fail the check digit.
LOOKUP_ORGNR = "937600003"  # the corpus's SESAM STASJON (112233445)
BANKRUPT_ORGNR = "937600011"
DELETED_ORGNR = "937600038"  # the corpus's deleted unit (123456789)
FINE_ORGNR = "937600046"
LATE_ORGNR = {"500": "937600054", "429": "937600062"}  # one per failure: a checked number is cached for days
SETUP_ORGNR = "937600070"
SETUP_BANK_ACCOUNT = "15030000002"
PARTNER_FIELDS = ["name", "is_company", "street", "street2", "zip", "city", "country_id", "vat",
                  "l10n_no_bronnoysund_number", "customer_rank", "l10n_no_brreg_flag", "l10n_no_brreg_reason",
                  "l10n_no_brreg_checked"]
CRON = "l10n_no_invoicing.ir_cron_l10n_no_brreg_check_partners"


# ---------------------------------------------------------------------------------------------
# the fake register, over HTTP
# ---------------------------------------------------------------------------------------------


@dataclass
class HttpRegistry:
    """A FakeRegistry behind a real socket. ``failing`` ("500", "429", …): every request is answered by
    the fake's failure of that kind until it is set back to None."""

    fake: FakeRegistry
    url: str = ""
    failing: str | None = None
    paths: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str) -> httpx.Response:
        with self.lock:
            self.paths.append(path)
            if self.failing:
                self.fake.fail_next(self.failing)
            response = self.fake.transport.handle_request(httpx.Request("GET", f"http://fake{path}"))
            response.read()
            return response

    def asked(self, orgnr: str) -> int:
        with self.lock:
            return sum(1 for path in self.paths if path.split("?")[0].endswith(f"/{orgnr}"))


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def do_GET(self) -> None:
        response = self.server.registry.answer(self.path)
        body = response.content
        self.send_response(response.status_code)
        self.send_header("Content-Type", response.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _unit(body: dict[str, Any], name: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(body)
    data.update(navn=name, **changes)
    return data


def _corpus_registry() -> FakeRegistry:
    """The corpus fixtures, renumbered to valid numbers, plus the units this file needs: a bankrupt one,
    a healthy one for the outage, the second company, and the numbers the other acceptance tests use
    (healthy, so the daily check does not flag their partners)."""
    fake = FakeRegistry.from_corpus(FIXTURES, renumber={"112233445": LOOKUP_ORGNR, "123456789": DELETED_ORGNR})
    healthy = json.loads((FIXTURES / "enheter-details-response.json").read_text(encoding="utf-8"))
    fake.add(_unit(healthy, "KONKURS AS", konkurs=True, konkursdato="2026-03-01"), orgnr=BANKRUPT_ORGNR)
    fake.add(_unit(healthy, "FRISK AS"), orgnr=FINE_ORGNR)
    for failure, orgnr in LATE_ORGNR.items():
        fake.add(_unit(healthy, f"SEN {failure} AS"), orgnr=orgnr)
    fake.add(_unit(healthy, "FJORDFAKTURA TEST AS"), orgnr=SETUP_ORGNR)
    fake.add(_unit(healthy, "SELGER AS"), orgnr=SELLER_ORGNR)
    fake.add(_unit(healthy, "KJOPER AS"), orgnr=BUYER_ORGNR)
    return fake


def _point_company_at(rpc: Rpc, company_id: int, url: str) -> None:
    """Settings → Enhetsregisteret API URL, saved the way the web client saves Settings."""
    context = {"allowed_company_ids": [company_id]}
    settings_id = rpc("res.config.settings", "create", {"l10n_no_brreg_enabled": True, "l10n_no_brreg_base_url": url},
                      context=context)
    rpc("res.config.settings", "execute", [settings_id], context=context)


@pytest.fixture(scope="module")
def registry(server: Server) -> Iterator[HttpRegistry]:
    reg = HttpRegistry(_corpus_registry())
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.registry = reg  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    reg.url = f"http://127.0.0.1:{httpd.server_address[1]}/enhetsregisteret/api"
    try:
        # who may: Settings (and res.company) are the system administrator's; the non-admin roles are refused
        refused(lambda: server.clerk("res.company", "write", [server.company_id], {"l10n_no_brreg_base_url": reg.url}),
                is_access_error, "the billing clerk changes the Enhetsregisteret URL")
        _point_company_at(server.admin, server.company_id, reg.url)
        assert read_one(server.admin, "res.company", server.company_id, ["l10n_no_brreg_base_url"])[
            "l10n_no_brreg_base_url"] == reg.url
        yield reg
    finally:
        reg.failing = None
        httpd.shutdown()
        httpd.server_close()


def _trigger_check(srv: Server) -> None:
    """Run the daily partner check now, in the server, the way the scheduler runs it (its own cursor,
    progress commits); wait while the scheduler itself holds the job."""
    cron_id = srv.admin.ref(CRON)
    poll("the Enhetsregisteret check job to be free", lambda: direct_trigger(srv, cron_id), server=srv)


def _customer(srv: Server, name: str, orgnr: str) -> int:
    """A customer typed in by the billing clerk (no lookup), with a Norwegian organisation and VAT number."""
    return srv.clerk("res.partner", "create", {
        "name": name, "is_company": True, "l10n_no_bronnoysund_number": orgnr, "vat": f"NO{orgnr}MVA",
        "street": "Kundeveien 2", "zip": "5003", "city": "Bergen", "country_id": srv.admin.ref("base.no"),
        "customer_rank": 1,
    })


def _entries(rpc: Rpc, orgnr: str) -> list[dict[str, Any]]:
    return rpc("l10n_no_invoicing.brreg.entry", "search_read", [("orgnr", "=", orgnr)],
               ["orgnr", "state", "name", "fetched_at"])


# ---------------------------------------------------------------------------------------------
# 1. a customer from the register, twice at once
# ---------------------------------------------------------------------------------------------


def test_brreg_setup_customer_from_register_once_when_two_clerks_ask_at_once(server: Server,
                                                                              registry: HttpRegistry) -> None:
    clerk = server.clerk
    # the number field's suggestions (the web client's autocomplete)
    found = clerk("res.partner", "l10n_no_brreg_candidates", LOOKUP_ORGNR, limit=8)
    assert found["message"] == "", found
    assert [c["orgnr"] for c in found["candidates"]] == [LOOKUP_ORGNR]
    assert found["candidates"][0]["name"] == "SESAM STASJON"
    assert registry.asked(LOOKUP_ORGNR) >= 1, "the server did not ask the register over HTTP"
    # that lookup cached the answer; forget it so that both clerks below ask the register at once
    server.admin("l10n_no_invoicing.brreg.entry", "unlink",
                 [e["id"] for e in server.admin("l10n_no_invoicing.brreg.entry", "search_read",
                                                [("orgnr", "=", LOOKUP_ORGNR)], ["id"])])
    assert not _entries(clerk, LOOKUP_ORGNR)

    # "Customer from the Enhetsregisteret": search, then use the line; two clerks, two worker processes
    barrier = threading.Barrier(2)

    def lookup(_index: int) -> Any:
        wizard_id = clerk("l10n_no_invoicing.partner.lookup", "create",
                          {"query": LOOKUP_ORGNR, "partner_role": "customer"})
        clerk("l10n_no_invoicing.partner.lookup", "action_search", [wizard_id])
        lines = clerk("l10n_no_invoicing.partner.lookup.line", "search_read", [("wizard_id", "=", wizard_id)],
                      ["orgnr", "name"])
        assert [line["orgnr"] for line in lines] == [LOOKUP_ORGNR], lines
        barrier.wait()  # both searched: both use their line at the same instant
        return clerk("l10n_no_invoicing.partner.lookup.line", "action_use", [lines[0]["id"]])

    results = at_once(lookup, barrier=barrier)
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, [str(getattr(f, "faultString", f))[:2000] for f in failures]

    partners = clerk("res.partner", "search_read", [("l10n_no_bronnoysund_number", "=", LOOKUP_ORGNR)], PARTNER_FIELDS)
    assert len(partners) == 1, f"two lookups at once created {len(partners)} partners: {partners}"
    partner = partners[0]
    assert {r["res_id"] for r in results} == {partner["id"]}, "both clerks must land on the one customer"
    assert partner["name"] == "SESAM STASJON"
    assert partner["is_company"] is True
    assert (partner["street"], partner["zip"], partner["city"]) == ("Tyvholmen 1", "0101", "OSLO")
    assert partner["country_id"][0] == server.admin.ref("base.no")
    assert partner["vat"] == f"NO{LOOKUP_ORGNR}MVA", "in the VAT register: the VAT number is NO…MVA"
    assert partner["customer_rank"] >= 1
    assert partner["l10n_no_brreg_flag"] is False and partner["l10n_no_brreg_checked"], partner
    entries = _entries(clerk, LOOKUP_ORGNR)
    assert len(entries) == 1 and entries[0]["state"] == "found" and entries[0]["name"] == "SESAM STASJON", entries


# ---------------------------------------------------------------------------------------------
# 2. the daily check
# ---------------------------------------------------------------------------------------------


def test_brreg_setup_daily_check_flags_bankrupt_and_deleted_customers(server: Server, registry: HttpRegistry) -> None:
    clerk = server.clerk
    bankrupt = _customer(server, "Konkurs AS", BANKRUPT_ORGNR)
    deleted = _customer(server, "Slettet Enhet AS", DELETED_ORGNR)
    fine = _customer(server, "Frisk AS", FINE_ORGNR)
    mine = [bankrupt, deleted, fine]
    assert not any(p["l10n_no_brreg_checked"] for p in clerk("res.partner", "read", mine, PARTNER_FIELDS))

    _trigger_check(server)

    rows = {p["id"]: p for p in clerk("res.partner", "read", mine, PARTNER_FIELDS)}
    assert rows[bankrupt]["l10n_no_brreg_flag"] is True, rows[bankrupt]
    assert "Bankrupt (konkurs) since 2026-03-01" in rows[bankrupt]["l10n_no_brreg_reason"]
    assert rows[deleted]["l10n_no_brreg_flag"] is True, rows[deleted]
    assert "Deleted from the Enhetsregisteret on 2017-10-20" in rows[deleted]["l10n_no_brreg_reason"]
    assert rows[fine]["l10n_no_brreg_flag"] is False and not rows[fine]["l10n_no_brreg_reason"], rows[fine]
    assert all(row["l10n_no_brreg_checked"] for row in rows.values())
    # the clerk's list filter "Enhetsregisteret warning" shows the two, not the healthy one
    flagged = set(clerk("res.partner", "search", [("l10n_no_brreg_flag", "=", True), ("id", "in", mine)]))
    assert flagged == {bankrupt, deleted}
    # the answers the warnings are based on, visible to the clerk
    assert _entries(clerk, BANKRUPT_ORGNR)[0]["state"] == "found"
    assert _entries(clerk, DELETED_ORGNR)[0]["state"] == "deleted"
    # nobody clears a warning by hand
    refused(lambda: clerk("res.partner", "write", [bankrupt], {"l10n_no_brreg_flag": False}),
            is_access_error, "the clerk clears the Enhetsregisteret warning")
    refused(lambda: server.admin("res.partner", "write", [bankrupt], {"l10n_no_brreg_reason": False}),
            is_access_error, "the administrator clears the Enhetsregisteret findings")
    assert read_one(clerk, "res.partner", bankrupt, ["l10n_no_brreg_flag"])["l10n_no_brreg_flag"] is True


@pytest.mark.parametrize("failure", ["500", "429"])
def test_brreg_setup_register_failing_changes_nothing(server: Server, registry: HttpRegistry, failure: str) -> None:
    clerk = server.clerk
    # a customer checked while the register answered, and one created while it fails
    checked = _customer(server, f"Frisk {failure} AS", FINE_ORGNR)
    result = clerk("res.partner", "action_l10n_no_brreg_check", [checked])
    assert result["params"]["type"] == "success", result
    before = read_one(clerk, "res.partner", checked, PARTNER_FIELDS)
    assert before["l10n_no_brreg_checked"] and before["l10n_no_brreg_flag"] is False
    entry_before = _entries(clerk, FINE_ORGNR)
    late = _customer(server, f"Sen {failure} AS", LATE_ORGNR[failure])
    late_entries_before = _entries(clerk, LATE_ORGNR[failure])

    registry.failing = failure
    try:
        asked = len(registry.paths)
        # the clerk's "Check in the Enhetsregisteret" button: a warning, nothing written
        result = clerk("res.partner", "action_l10n_no_brreg_check", [checked])
        assert result["params"]["type"] == "warning", result
        assert "could not be asked" in result["params"]["message"], result
        # the daily job, in the server's scheduler code: it ends normally (no failure counted), having done nothing
        _trigger_check(server)
        assert len(registry.paths) > asked, "the register was not asked: the failure was not exercised"
        cron = read_one(server.admin, "ir.cron", server.admin.ref(CRON), ["failure_count", "first_failure_date"])
        assert cron["failure_count"] == 0 and not cron["first_failure_date"], cron
    finally:
        registry.failing = None

    assert read_one(clerk, "res.partner", checked, PARTNER_FIELDS) == before
    after_late = read_one(clerk, "res.partner", late, PARTNER_FIELDS)
    assert after_late["l10n_no_brreg_checked"] is False and after_late["l10n_no_brreg_flag"] is False, after_late
    assert _entries(clerk, FINE_ORGNR) == entry_before, "a failed answer replaced the cached one"
    assert not late_entries_before
    assert _entries(clerk, LATE_ORGNR[failure]) == late_entries_before, "a failed answer was cached"

    # the register is back: the next run checks what the failed one left
    _trigger_check(server)
    after_late = read_one(clerk, "res.partner", late, PARTNER_FIELDS)
    assert after_late["l10n_no_brreg_checked"] and after_late["l10n_no_brreg_flag"] is False, after_late


# ---------------------------------------------------------------------------------------------
# 3. the setup assistant on a company that is not set up
# ---------------------------------------------------------------------------------------------


def _new_company(srv: Server) -> int:
    """A second company, created by the system administrator, with the Norwegian chart (nothing else).

    Created without a country, which is then written: created Norwegian, Odoo would install the country's
    auto-install modules (account_peppol, whose Python dependency this Odoo may lack) in the request."""
    admin = srv.admin
    company_id = admin("res.company", "create", {"name": "Ny Kunde AS"})
    admin("res.company", "write", [company_id], {"country_id": admin.ref("base.no")})
    context = {"allowed_company_ids": [company_id]}
    if read_one(admin, "res.company", company_id, ["chart_template"])["chart_template"] != "no":
        try:
            admin("account.chart.template", "try_loading", [], "no", company_id, False, context=context)
        except xmlrpc.client.Fault as fault:  # Odoo's method returns None: loaded and committed, then unmarshallable
            if "cannot marshal None" not in str(fault.faultString):
                raise
    assert read_one(admin, "res.company", company_id, ["chart_template"])["chart_template"] == "no"
    return company_id


def _run_assistant(admin: Rpc, company_id: int) -> dict[str, Any]:
    """Every step of the assistant, as the web client's buttons call them; returns the check list."""
    context = {"allowed_company_ids": [company_id]}
    model = "l10n_no_invoicing.setup"

    def call(method: str, wizard_id: int) -> None:
        answer = admin(model, method, [wizard_id], context=context)
        assert isinstance(answer, dict) and answer.get("res_id") == wizard_id, (method, answer)

    wizard_id = admin(model, "create", {"orgnr": SETUP_ORGNR}, context=context)
    assert read_one(admin, model, wizard_id, ["company_id"])["company_id"][0] == company_id
    call("action_lookup_company", wizard_id)
    shown = admin(model, "read", [wizard_id], ["brreg_status", "brreg_name", "brreg_vat", "brreg_message"],
                  context=context)[0]
    assert (shown["brreg_status"], shown["brreg_name"], shown["brreg_vat"]) == (
        "found", "FJORDFAKTURA TEST AS", f"NO{SETUP_ORGNR}MVA"), shown
    call("action_apply_company", wizard_id)
    admin(model, "write", [wizard_id], {"bank_acc_number": SETUP_BANK_ACCOUNT, "kid_layout": "customer_invoice",
                                        "kid_mandatory": True}, context=context)
    call("action_setup_bank", wizard_id)
    admin(model, "write", [wizard_id], {"ap_name": "Ny Kunde AP", "ap_transport_type": "memory"}, context=context)
    call("action_setup_access_point", wizard_id)
    admin(model, "write", [wizard_id], {"dunning_preset": "standard"}, context=context)
    call("action_setup_dunning", wizard_id)
    checklist = admin(model, "l10n_no_invoicing_checklist", [wizard_id], context=context)
    assert admin(model, "action_finish", [wizard_id], context=context) == {"type": "ir.actions.act_window_close"}
    return {item["key"]: item for item in checklist}


def _company_state(admin: Rpc, company_id: int) -> dict[str, Any]:
    """What the assistant set up, read back (committed) over XML-RPC."""
    context = {"allowed_company_ids": [company_id]}
    company = admin("res.company", "read", [company_id],
                    ["name", "vat", "company_registry", "street", "zip", "city", "l10n_no_bronnoysund_number",
                     "l10n_no_invoicing_org_form", "l10n_no_ehf_access_point_id", "partner_id"], context=context)[0]
    journals = admin("account.journal", "search_read", [("type", "=", "bank"), ("company_id", "=", company_id)],
                     ["bank_account_id", "l10n_no_kid_enabled", "l10n_no_kid_algorithm", "l10n_no_kid_length",
                      "l10n_no_kid_customer_digits", "l10n_no_kid_invoice_digits", "l10n_no_kid_mandatory"],
                     context=context, order="id")
    accounts = admin("res.partner.bank", "search_read", [("partner_id", "=", company["partner_id"][0])],
                     ["acc_number", "company_id"], context=context)
    access_points = admin("l10n_no_ehf.access.point", "search_read", [("company_id", "=", company_id)],
                          ["name", "transport_type"], context=context)
    levels = admin("l10n_no.dunning.level", "search_read", [("company_id", "=", company_id)], ["kind", "active"],
                   context={**context, "active_test": False}, order="id")
    return {"company": company, "journals": journals, "accounts": accounts, "access_points": access_points,
            "levels": levels}


def test_brreg_setup_assistant_sets_up_a_new_company_once_and_refuses_the_clerk(server: Server,
                                                                              registry: HttpRegistry) -> None:
    admin, clerk = server.admin, server.clerk
    # the clerk may neither open nor run the assistant
    refused(lambda: clerk("l10n_no_invoicing.setup", "create", {"orgnr": SETUP_ORGNR}), is_access_error,
            "the billing clerk creates the setup assistant")
    refused(lambda: clerk("l10n_no_invoicing.setup", "action_l10n_no_invoicing_open"), is_access_error,
            "the billing clerk opens the setup assistant")

    company_id = _new_company(server)
    _point_company_at(admin, company_id, registry.url)
    untouched = _company_state(admin, company_id)
    assert not untouched["company"]["vat"] and not untouched["company"]["l10n_no_ehf_access_point_id"]
    assert not untouched["accounts"]

    checklist = _run_assistant(admin, company_id)
    for key in ("org_number", "address", "bank_account", "kid_agreement", "access_point", "dunning_levels"):
        assert checklist[key]["done"], (key, checklist[key])
    first = _company_state(admin, company_id)
    company = first["company"]
    assert company["name"] == "FJORDFAKTURA TEST AS"
    assert company["vat"] == f"NO{SETUP_ORGNR}MVA"
    assert company["company_registry"] == SETUP_ORGNR
    assert (company["street"], company["zip"], company["city"]) == ("Tyvholmen 1", "0101", "OSLO")
    assert company["l10n_no_invoicing_org_form"].startswith("AS")
    assert [a["acc_number"] for a in first["accounts"]] == [SETUP_BANK_ACCOUNT]
    kid_journals = [j for j in first["journals"] if j["l10n_no_kid_enabled"]]
    assert len(kid_journals) == 1, first["journals"]
    journal = kid_journals[0]
    assert journal["bank_account_id"][0] == first["accounts"][0]["id"]
    assert (journal["l10n_no_kid_algorithm"], journal["l10n_no_kid_length"], journal["l10n_no_kid_customer_digits"],
            journal["l10n_no_kid_invoice_digits"], journal["l10n_no_kid_mandatory"]) == ("mod10", 15, 5, 9, True)
    assert [(ap["name"], ap["transport_type"]) for ap in first["access_points"]] == [("Ny Kunde AP", "memory")]
    assert company["l10n_no_ehf_access_point_id"][0] == first["access_points"][0]["id"]
    active = {level["kind"] for level in first["levels"] if level["active"]}
    assert {"soft_reminder", "reminder", "inkassovarsel", "handover"} <= active, first["levels"]

    # run again: the same company, account, journal, access point and levels; nothing doubled
    _run_assistant(admin, company_id)
    assert _company_state(admin, company_id) == first

    # the main company was not touched by the second company's assistant
    main = read_one(admin, "res.company", server.company_id, ["vat", "l10n_no_ehf_access_point_id"])
    assert main["vat"] == f"NO{SELLER_ORGNR}MVA"
    assert main["l10n_no_ehf_access_point_id"][0] != company["l10n_no_ehf_access_point_id"][0]
