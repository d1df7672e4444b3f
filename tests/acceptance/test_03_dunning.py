"""Dunning on a real server: an overdue invoice, runs proposed and confirmed by the accountant."""

from __future__ import annotations

import datetime

from .conftest import Server, action, make_invoice, make_partner, read_one

LETTER_FIELDS = ["kind", "state", "fee", "fee_move_id", "attachment_id", "partner_id"]


def run_for(srv: Server, day: datetime.date, defects: list[str]) -> list[dict]:
    """The accountant creates, proposes and confirms a run for ``day``; returns its letters."""
    accountant = srv.accountant
    run_id = accountant("l10n_no.dunning.run", "create", {"company_id": srv.company_id, "date": day.isoformat()})
    action(accountant, "l10n_no.dunning.run", "action_propose", [run_id], defects)
    action(accountant, "l10n_no.dunning.run", "action_confirm", [run_id], defects)
    run = read_one(accountant, "l10n_no.dunning.run", run_id, ["state", "summary"])
    assert run["state"] == "done", run
    letters = accountant("l10n_no.dunning.letter", "search_read", [("run_id", "=", run_id)], fields=LETTER_FIELDS)
    return [dict(letter, run_summary=run["summary"]) for letter in letters] or [{"partner_id": [0], "summary": run}]


def test_overdue_invoice_gets_purring_letter_and_fee_invoice(server: Server) -> None:
    """The administrator starts dunning at the purring (no soft reminder level); an invoice 40 days
    overdue; the accountant's run of today sends a letter with a PDF and a posted fee invoice with KID."""
    defects: list[str] = []
    soft = server.admin("l10n_no.dunning.level", "search", [("company_id", "=", server.company_id),
                                                            ("kind", "=", "soft_reminder")])
    server.admin("l10n_no.dunning.level", "write", soft, {"active": False})
    due = datetime.date.today() - datetime.timedelta(days=40)
    # the interest rate of a half-year the library's table does not know yet is typed in by the
    # administrator (a stand-in value here: the flow is tested, not the rate)
    for day in {due, datetime.date.today()}:
        start = day.replace(month=1 if day.month <= 6 else 7, day=1)
        known = server.admin("l10n_no.dunning.law.value", "search", [
            ("company_id", "=", server.company_id), ("law_table", "=", "forsinkelsesrente"),
            ("period_start", "=", start.isoformat())])
        if not known:
            server.admin("l10n_no.dunning.law.value", "create", {
                "company_id": server.company_id, "law_table": "forsinkelsesrente", "period_start": start.isoformat(),
                "value": 12.0, "source": "acceptance test stand-in"})
    partner_id = make_partner(server, "Ola Nordmann")
    invoice_id = make_invoice(server, partner_id, 1000.0, invoice_date=(due - datetime.timedelta(days=14)).isoformat(),
                              due=due.isoformat())

    proposed = run_for(server, datetime.date.today(), defects)
    letters = [x for x in proposed if x["partner_id"][0] == partner_id]
    assert len(letters) == 1, proposed
    letter = letters[0]
    assert (letter["kind"], letter["state"]) == ("reminder", "sent"), letter
    assert letter["fee"] > 0, letter
    assert read_one(server.accountant, "account.move", invoice_id, ["l10n_no_dunning_state"])[
        "l10n_no_dunning_state"] == "in_dunning"
    assert letter["attachment_id"], "the letter has no PDF"
    assert letter["fee_move_id"], "no fee invoice"
    fee = read_one(server.accountant, "account.move", letter["fee_move_id"][0],
                   ["state", "move_type", "partner_id", "payment_reference", "amount_total"])
    assert (fee["state"], fee["move_type"], fee["partner_id"][0]) == ("posted", "out_invoice", partner_id), fee
    assert fee["amount_total"] >= letter["fee"]
    assert (fee["payment_reference"] or "").isdigit() and len(fee["payment_reference"]) == 15, fee
    assert not defects, sorted(set(defects))
