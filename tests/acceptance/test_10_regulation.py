"""A yearly price regulation (``l10n_no_agreement``) with its notices through the dispatch queue
(``l10n_no_agreement_dispatch``) on a real server.

The accounting administrator sets the clause on an agreement line (OCA gives only that role write access
to agreements): a plain percentage, no notice required. The billing clerk, holding only Invoicing, proposes
the regulation, then presses *Confirm and give notice* twice at the same instant (two XML-RPC calls, handled
by the server's two worker processes): the regulation is confirmed once, the second press is told it is
confirmed already, and the customer's notice letter is queued once and sent once (by e-mail: the customer
has an address and the company no Digipost), a PDF. The invoicing run then invoices the periods before the
effective date at the old price and the period starting on it at the new one.

The agreement runs by the day so that a period starts today whatever today's date is: the new price applies
from today, the earlier days keep the old one.
"""

from __future__ import annotations

import base64
import datetime
import xmlrpc.client
from typing import Any

from .conftest import Server, at_once, is_access_error, is_user_error, make_partner, poll, read_one, refused

NOTICE_FIELDS = ["state", "contract_id", "partner_id", "attachment_id", "mail_message_id", "regulation_id"]
JOB_FIELDS = ["state", "channel", "idempotency_key", "reason", "l10n_no_agreement_notice_id"]


def _confirm_twice_at_once(server: Server, regulation_id: int) -> list[Any]:
    return at_once(lambda _index: server.clerk("l10n_no.agreement.regulation", "action_confirm", [regulation_id]))


def test_regulation_notice_queued_once_and_new_price_invoiced_from_its_date(server: Server) -> None:
    admin, clerk = server.admin, server.clerk
    today = datetime.datetime.now(datetime.UTC).date()  # the server's users have no time zone: UTC
    start = today - datetime.timedelta(days=3)
    customer = make_partner(server, "Regulert Leietaker AS")
    product_id = admin("product.product", "create", {"name": "Serviceavtale", "type": "service",
                                                     "list_price": 1000.0, "taxes_id": [(6, 0, [])]})
    agreement = admin("contract.contract", "create", {
        "name": "Serviceavtale regulert", "partner_id": customer, "company_id": server.company_id,
        "contract_type": "sale", "recurring_rule_type": "daily", "recurring_interval": 1,
        "date_start": start.isoformat(),
        "contract_line_ids": [(0, 0, {
            "product_id": product_id, "name": "Service #START#", "quantity": 1.0, "price_unit": 1000.0,
            "date_start": start.isoformat(), "recurring_rule_type": "daily", "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
            "l10n_no_regulation_rule": "percentage", "l10n_no_regulation_percent": 5.0,
            "l10n_no_regulation_notice_months": 0,
        })],
    })
    line_id = read_one(clerk, "contract.contract", agreement, ["contract_line_ids"])["contract_line_ids"][0]
    # the clerk cannot schedule a price by hand, nor set the clause (OCA: the administrator's)
    refused(lambda: clerk("contract.line", "write", [line_id], {"l10n_no_regulation_pending_price": 1.0}),
            is_access_error, "billing clerk schedules a regulated price by hand")

    # propose: the library's outcome, with the date it applies from
    regulation = clerk("l10n_no.agreement.regulation", "create",
                       {"effective_date": today.isoformat(), "notice_date": today.isoformat()})
    assert clerk("l10n_no.agreement.regulation", "action_propose", [regulation]) is True
    proposal = clerk("l10n_no.agreement.regulation.line", "search_read",
                     [("regulation_id", "=", regulation), ("contract_line_id", "=", line_id)],
                     fields=["allowed", "old_price", "new_price", "effective_date", "reason"])
    assert len(proposal) == 1, proposal
    assert proposal[0]["allowed"], proposal
    assert (proposal[0]["old_price"], proposal[0]["new_price"], proposal[0]["effective_date"]) == (
        1000.0, 1050.0, today.isoformat()), proposal
    refused(lambda: server.portal("l10n_no.agreement.regulation", "action_confirm", [regulation]),
            is_access_error, "portal user confirms a regulation")

    # confirmed twice at the same instant: once
    results = _confirm_twice_at_once(server, regulation)
    faults = [r for r in results if isinstance(r, xmlrpc.client.Fault)]
    assert results.count(True) == 1, [str(r)[:500] for r in results]
    assert len(faults) == 1 and is_user_error(faults[0]) and "confirmed already" in faults[0].faultString, [
        str(f.faultString)[:2000] for f in faults]
    state = read_one(clerk, "l10n_no.agreement.regulation", regulation, ["state", "notice_ids"])
    assert state["state"] == "done" and len(state["notice_ids"]) == 1, state
    notice_id = state["notice_ids"][0]
    pending = read_one(clerk, "contract.line", line_id, ["l10n_no_regulation_pending_price",
                                                         "l10n_no_regulation_pending_date", "price_unit"])
    assert (pending["l10n_no_regulation_pending_price"], pending["l10n_no_regulation_pending_date"],
            pending["price_unit"]) == (1050.0, today.isoformat(), 1000.0), pending

    # the notice: one job, by e-mail (EHF never carries a letter; no Digipost for the company), sent once
    jobs = clerk("l10n_no_dispatch.job", "search_read", [("l10n_no_agreement_notice_id", "=", notice_id)],
                 fields=JOB_FIELDS)
    assert len(jobs) == 1 and jobs[0]["channel"] == "email", jobs
    assert "ntc" in jobs[0]["idempotency_key"], jobs
    notice = poll("the notice sent by the dispatch queue", lambda: (
        found if (found := read_one(clerk, "l10n_no.agreement.notice", notice_id, NOTICE_FIELDS))["state"] == "sent"
        else None), server=server)
    assert notice["contract_id"][0] == agreement and notice["partner_id"][0] == customer, notice
    job = read_one(clerk, "l10n_no_dispatch.job", jobs[0]["id"], JOB_FIELDS)
    assert job["state"] == "sent", job
    letter = read_one(clerk, "ir.attachment", notice["attachment_id"][0], ["mimetype", "datas", "name"])
    assert letter["mimetype"] == "application/pdf" and base64.b64decode(letter["datas"]).startswith(b"%PDF-"), (
        letter["mimetype"], letter["name"])
    message = read_one(clerk, "mail.message", notice["mail_message_id"][0],
                       ["model", "res_id", "partner_ids", "attachment_ids"])
    assert (message["model"], message["res_id"], message["partner_ids"]) == (
        "contract.contract", agreement, [customer]), message
    assert len(message["attachment_ids"]) == 1, message

    # confirming again is refused, and still one job and one notice
    refused(lambda: clerk("l10n_no.agreement.regulation", "action_confirm", [regulation]), is_user_error,
            "confirm a confirmed regulation")
    assert clerk("l10n_no_dispatch.job", "search_count", [("l10n_no_agreement_notice_id", "=", notice_id)]) == 1
    assert clerk("l10n_no.agreement.notice", "search_count", [("regulation_id", "=", regulation)]) == 1

    # the run: the days before the effective date at the old price, the day starting on it at the new one
    run = clerk("contract.contract", "action_l10n_no_agreement_invoice_now", [agreement])
    assert isinstance(run, dict) and run.get("res_model") == "l10n_no.agreement.run", run
    moves = clerk("account.move", "search_read", [("l10n_no_agreement_contract_id", "=", agreement)],
                  fields=["l10n_no_agreement_period_start", "amount_untaxed", "state"],
                  order="l10n_no_agreement_period_start")
    expected = [((start + datetime.timedelta(days=k)).isoformat(), 1000.0 if k < 3 else 1050.0) for k in range(4)]
    assert [(m["l10n_no_agreement_period_start"], m["amount_untaxed"]) for m in moves] == expected, moves
    assert {m["state"] for m in moves} == {"posted"}, moves
    after = read_one(clerk, "contract.line", line_id, ["price_unit", "l10n_no_regulation_pending_date",
                                                       "l10n_no_regulation_last_set"])
    assert (after["price_unit"], after["l10n_no_regulation_pending_date"], after["l10n_no_regulation_last_set"]) == (
        1050.0, False, today.isoformat()), after
