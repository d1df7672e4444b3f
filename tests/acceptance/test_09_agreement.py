"""Agreement invoicing (``l10n_no_agreement``, on OCA ``contract``) on a real server.

The accounting administrator sets up monthly agreements that started months ago (OCA gives only the
accounting administrator write access to agreements); the billing clerk, holding only Invoicing, presses
*Run now* twice at the same instant (two XML-RPC calls, handled by the server's two worker processes).
Every missed period of every agreement must be invoiced exactly once, posted with a KID and handed to the
dispatch queue once; an agreement that cannot be invoiced is listed in the run's log with its reason while
the others are invoiced, and is invoiced once it is mended. Mass invoicing: preview and create as the clerk.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

from nofaktura.kid import is_valid

from .conftest import Server, at_once, is_access_error, make_partner, poll, read_one, refused, run_code_twice_at_once

MOVE_FIELDS = ["state", "payment_reference", "invoice_date", "l10n_no_agreement_contract_id",
               "l10n_no_agreement_period_start", "l10n_no_agreement_run_id", "amount_untaxed", "move_type"]
RUN_FIELDS = ["state", "trigger", "contract_count", "invoice_count", "failure_ids"]


def _month_starts(months_back: int) -> list[datetime.date]:
    """The first day of each month from ``months_back`` months ago up to this month (UTC, as the server's
    users have no time zone)."""
    today = datetime.datetime.now(datetime.UTC).date()
    year, month = today.year, today.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    starts = []
    while (year, month) <= (today.year, today.month):
        starts.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def _product(srv: Server, name: str, price: float) -> int:
    """A service with the company's 25 % sales VAT, created by the accounting administrator."""
    tax_ids = srv.admin("account.tax", "search", [("type_tax_use", "=", "sale"), ("amount", "=", 25.0),
                                                  ("amount_type", "=", "percent"),
                                                  ("company_id", "=", srv.company_id)], limit=1)
    assert tax_ids, "the Norwegian chart has no 25 % sales tax"
    return srv.admin("product.product", "create", {"name": name, "type": "service", "list_price": price,
                                                   "taxes_id": [(6, 0, tax_ids)]})


def _agreement_values(srv: Server, partner_id: int, product_id: int, start: datetime.date, price: float) -> dict:
    return {
        "name": f"Leieavtale {partner_id}", "partner_id": partner_id, "company_id": srv.company_id,
        "contract_type": "sale", "recurring_rule_type": "monthly", "recurring_interval": 1,
        "date_start": start.isoformat(),
        "contract_line_ids": [(0, 0, {
            "product_id": product_id, "name": "Husleie #START# - #END#", "quantity": 1.0, "price_unit": price,
            "date_start": start.isoformat(), "recurring_rule_type": "monthly", "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
        })],
    }


def _invoices(srv: Server, contract_ids: list[int]) -> list[dict[str, Any]]:
    return srv.clerk("account.move", "search_read", [("l10n_no_agreement_contract_id", "in", contract_ids)],
                     fields=MOVE_FIELDS, order="id")


def _run_id(result: Any) -> int:
    assert isinstance(result, dict) and result.get("res_model") == "l10n_no.agreement.run", result
    return result["res_id"]


def test_two_runs_at_once_invoice_every_missed_period_once(server: Server) -> None:
    admin, clerk = server.admin, server.clerk
    periods = _month_starts(3)  # started three months ago: four periods due, three of them missed
    product_id = _product(server, "Husleie kontor", 1000.0)
    good_partners = [make_partner(server, f"Leietaker{i} AS") for i in range(3)]
    broken_partner = make_partner(server, "Stor Leietaker AS")
    # The broken agreement: its customer's number (kept from an earlier system) is longer than the KID
    # agreement's five customer digits, so no KID can be made and posting fails.
    number_id = admin("l10n_no.customer.number", "create", {"partner_id": broken_partner,
                                                             "company_id": server.company_id, "number": 1234567})

    # OCA: agreements are the accounting administrator's; the billing clerk only reads them
    refused(lambda: clerk("contract.contract", "create",
                          _agreement_values(server, good_partners[0], product_id, periods[0], 1000.0)),
            is_access_error, "billing clerk creates an agreement")
    good = [admin("contract.contract", "create", _agreement_values(server, partner, product_id, periods[0],
                                                                   1000.0 + 100 * i))
            for i, partner in enumerate(good_partners)]
    broken = admin("contract.contract", "create", _agreement_values(server, broken_partner, product_id,
                                                                    periods[0], 5000.0))
    assert clerk("contract.contract", "search_count", [("id", "in", [*good, broken])]) == 4

    # only billing users run it (the run works with the scheduler's rights: the check is the run's own)
    refused(lambda: server.portal("l10n_no.agreement.run", "action_run_now"), is_access_error,
            "portal user runs agreement invoicing")

    results = at_once(lambda _index: clerk("l10n_no.agreement.run", "action_run_now"))
    faults = [r for r in results if isinstance(r, Exception)]
    assert not faults, [str(getattr(f, "faultString", f))[:2000] for f in faults]
    run_ids = [_run_id(r) for r in results]
    assert len(set(run_ids)) == 2, f"two presses, two runs: {run_ids}"
    runs = clerk("l10n_no.agreement.run", "read", run_ids, RUN_FIELDS)
    assert {r["state"] for r in runs} == {"done"}, runs
    assert {r["trigger"] for r in runs} == {"manual"}, runs

    # every period of every good agreement invoiced exactly once, posted with a valid KID
    moves = _invoices(server, [*good, broken])
    by_agreement: dict[int, list[dict[str, Any]]] = {}
    for move in moves:
        by_agreement.setdefault(move["l10n_no_agreement_contract_id"][0], []).append(move)
    assert broken not in by_agreement, f"the broken agreement's invoices are rolled back: {by_agreement.get(broken)}"
    expected = [p.isoformat() for p in periods]
    for index, contract_id in enumerate(good):
        mine = by_agreement.get(contract_id, [])
        assert sorted(m["l10n_no_agreement_period_start"] for m in mine) == expected, mine
        assert [m["l10n_no_agreement_period_start"] for m in mine] == expected, "oldest period first"
        for move in mine:
            assert move["move_type"] == "out_invoice" and move["state"] == "posted", move
            assert move["invoice_date"] == move["l10n_no_agreement_period_start"], move
            assert move["amount_untaxed"] == 1000.0 + 100 * index, move
            kid = move["payment_reference"]
            assert kid and kid.isdigit() and len(kid) == 15 and is_valid(kid, "mod10"), kid
            assert move["l10n_no_agreement_run_id"] and move["l10n_no_agreement_run_id"][0] in run_ids, move
    kids = [m["payment_reference"] for m in moves]
    assert len(set(kids)) == len(kids), f"KIDs repeat: {kids}"
    assert sum(r["invoice_count"] for r in runs) == len(moves) == len(good) * len(periods), (runs, len(moves))
    assert sum(r["contract_count"] for r in runs) == len(good), runs

    # the broken agreement is in the log with its reason, and still due
    failure_ids = [f for r in runs for f in r["failure_ids"]]
    assert failure_ids, f"the broken agreement is not in the runs' log: {runs}"
    failures = clerk("l10n_no.agreement.run.failure", "read", failure_ids, ["contract_id", "period_date", "reason"])
    assert {f["contract_id"][0] for f in failures} == {broken}, failures
    assert {f["period_date"] for f in failures} == {periods[0].isoformat()}, failures
    assert all("KID" in f["reason"] for f in failures), failures
    state = read_one(clerk, "contract.contract", broken, ["recurring_next_date", "invoice_generation_error"])
    assert state["recurring_next_date"] == periods[0].isoformat(), state
    assert state["invoice_generation_error"], state

    # each invoice handed to the dispatch queue once
    move_ids = [m["id"] for m in moves]
    jobs = clerk("l10n_no_dispatch.job", "search_read", [("move_id", "in", move_ids)], fields=["move_id"])
    assert sorted(j["move_id"][0] for j in jobs) == sorted(move_ids), jobs

    # a run pressed again finds nothing new for the good agreements, and lists the broken one again
    again = clerk("l10n_no.agreement.run", "read", [_run_id(clerk("l10n_no.agreement.run", "action_run_now"))],
                  RUN_FIELDS)[0]
    assert (again["contract_count"], again["invoice_count"], len(again["failure_ids"])) == (0, 0, 1), again
    assert len(_invoices(server, good)) == len(moves)

    # mended (the administrator gives the customer a short number), the agreement's own button invoices it
    admin("l10n_no.customer.number", "write", [number_id], {"number": 99})
    mended = _run_id(clerk("contract.contract", "action_l10n_no_agreement_invoice_now", [broken]))
    mended_run = read_one(clerk, "l10n_no.agreement.run", mended, RUN_FIELDS)
    assert (mended_run["contract_count"], mended_run["invoice_count"], mended_run["failure_ids"]) == (
        1, len(periods), []), mended_run
    fixed = _invoices(server, [broken])
    assert [m["l10n_no_agreement_period_start"] for m in fixed] == expected, fixed
    assert {m["state"] for m in fixed} == {"posted"}
    assert all(is_valid(m["payment_reference"], "mod10") for m in fixed), fixed
    assert not read_one(clerk, "contract.contract", broken, ["invoice_generation_error"])["invoice_generation_error"]


def test_two_scheduled_runs_at_once_share_the_work(server: Server) -> None:
    """The daily job, started twice at the same instant (two copies of it, as two servers would run it):
    each agreement is invoiced by the one run that claims it."""
    admin, clerk = server.admin, server.clerk
    periods = _month_starts(2)
    product_id = _product(server, "Vedlikehold", 400.0)
    contracts = [admin("contract.contract", "create",
                       _agreement_values(server, make_partner(server, f"Abonnent{i} AS"), product_id, periods[0],
                                         400.0))
                 for i in range(6)]
    run_code_twice_at_once(server, "l10n_no.agreement.run", "model._cron_l10n_no_agreement()", "Agreement run")

    moves = poll("the agreements' invoices", lambda: (
        found if len(found := _invoices(server, contracts)) >= len(contracts) * len(periods) else None),
        server=server)
    pairs = [(m["l10n_no_agreement_contract_id"][0], m["l10n_no_agreement_period_start"]) for m in moves]
    assert len(pairs) == len(set(pairs)) == len(contracts) * len(periods), pairs
    assert {m["state"] for m in moves} == {"posted"}, moves
    runs = clerk("l10n_no.agreement.run", "search_read", [("trigger", "=", "cron")], fields=RUN_FIELDS)
    assert sum(r["invoice_count"] for r in runs) >= len(moves), runs


def test_mass_invoicing_preview_then_create_as_billing_clerk(server: Server) -> None:
    clerk = server.clerk
    product_id = _product(server, "Medlemskontingent", 800.0)
    customers = [make_partner(server, f"Medlem{i} AS") for i in range(3)]
    archived = make_partner(server, "Utmeldt AS")
    clerk("res.partner", "write", [archived], {"active": False})
    wizard_id = clerk("l10n_no.agreement.mass.invoice", "create", {
        "selection_mode": "partners",
        "partner_ids": [(6, 0, [*customers, archived])],
        "product_line_ids": [(0, 0, {"product_id": product_id, "quantity": 2, "price_mode": "fixed",
                                     "price_unit": 800.0})],
    })
    result = clerk("l10n_no.agreement.mass.invoice", "action_preview", [wizard_id])
    assert isinstance(result, dict) and result.get("res_id") == wizard_id, result
    totals = ["state", "customer_count", "error_count", "invoice_count", "amount_untaxed", "amount_total", "line_ids"]
    preview = read_one(clerk, "l10n_no.agreement.mass.invoice", wizard_id, totals)
    assert (preview["state"], preview["customer_count"], preview["error_count"], preview["invoice_count"]) == (
        "preview", 3, 1, 0), preview
    assert preview["amount_untaxed"] == 3 * 1600.0 and preview["amount_total"] == 3 * 2000.0, preview
    lines = clerk("l10n_no.agreement.mass.invoice.line", "read", preview["line_ids"],
                  ["partner_id", "error", "amount_total", "invoice_id"])
    errors = {line["partner_id"][0]: line["error"] for line in lines if line["error"]}
    assert set(errors) == {archived} and "archived" in errors[archived], lines
    assert not clerk("account.move", "search_count", [("partner_id", "in", customers)]), "a preview creates nothing"

    result = clerk("l10n_no.agreement.mass.invoice", "action_create_invoices", [wizard_id])
    assert isinstance(result, dict), result
    done = read_one(clerk, "l10n_no.agreement.mass.invoice", wizard_id, totals)
    assert (done["state"], done["invoice_count"]) == ("done", 3), done
    moves = clerk("account.move", "search_read", [("partner_id", "in", [*customers, archived])],
                  fields=["partner_id", "state", "payment_reference", "amount_total"])
    assert sorted(m["partner_id"][0] for m in moves) == sorted(customers), moves
    for move in moves:
        assert move["state"] == "posted" and move["amount_total"] == 2000.0, move
        assert is_valid(move["payment_reference"], "mod10") and len(move["payment_reference"]) == 15, move
    # pressing again creates nothing more
    refused(lambda: clerk("l10n_no.agreement.mass.invoice", "action_create_invoices", [wizard_id]),
            lambda fault: "UserError" in str(fault.faultString) or fault.faultCode == 2, "create invoices twice")

    # a file of organisation numbers: the bad ones are listed with their reasons
    data = base64.b64encode(b"orgnr\n974760674\n999999999\n").decode()
    file_wizard = clerk("l10n_no.agreement.mass.invoice", "create", {
        "selection_mode": "file", "file": data, "file_name": "kunder.csv",
        "product_line_ids": [(0, 0, {"product_id": product_id, "price_mode": "fixed", "price_unit": 100.0})],
    })
    clerk("l10n_no.agreement.mass.invoice", "action_preview", [file_wizard])
    checked = read_one(clerk, "l10n_no.agreement.mass.invoice", file_wizard, ["customer_count", "error_count"])
    assert (checked["customer_count"], checked["error_count"]) == (0, 2), checked
