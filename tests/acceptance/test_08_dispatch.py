"""Invoice dispatch (issue 14) on a real server: a paper customer's invoices go to a print house folder; two
cron runs drain the same dispatch queue at the same instant (one per HTTP worker process) and every invoice
is printed exactly once; the billing clerk sends over XML-RPC and gets a value back; an internal user may not."""

from __future__ import annotations

from typing import Any

from .conftest import Server, is_access_error, make_invoice, make_partner, poll, refused, run_code_twice_at_once

JOB_FIELDS = ["state", "channel", "attempts", "idempotency_key", "delivery_reference", "last_error"]


def _jobs(srv: Server, move_ids: list[int]) -> list[dict[str, Any]]:
    return srv.clerk("l10n_no_dispatch.job", "search_read", [("move_id", "in", move_ids)], fields=JOB_FIELDS)


def test_two_workers_draining_the_dispatch_queue_print_each_invoice_once(server: Server) -> None:
    admin, clerk = server.admin, server.clerk
    print_root = server.folder.parent / "print-house"  # removed with the server's folder
    print_root.mkdir(exist_ok=True)
    admin("res.company", "write", [server.company_id], {
        "l10n_no_dispatch_print_transport": "folder", "l10n_no_dispatch_print_folder": str(print_root),
        "l10n_no_dispatch_print_directory": "outbox",
    })
    send_cron = admin.ref("l10n_no_dispatch.ir_cron_l10n_no_dispatch_send")
    admin("ir.cron", "write", [send_cron], {"active": False})  # fill the queue without it draining
    try:
        partner = make_partner(server, "Per Papir", email=False)
        moves = [make_invoice(server, partner, 100.0 + i) for i in range(6)]
        # Send & Print by the customer's channel: Odoo makes the PDF, the dispatch queue takes the invoice
        for move_id in moves:
            context = {"active_model": "account.move", "active_ids": [move_id]}
            wizard_id = clerk("account.move.send.wizard", "create",
                              {"move_id": move_id, "sending_methods": ["l10n_no_dispatch"]}, context=context)
            info = clerk("account.move.send.wizard", "read", [wizard_id], ["l10n_no_dispatch_channel_info"])[0]
            assert "Print" in info["l10n_no_dispatch_channel_info"], info
            clerk("account.move.send.wizard", "action_send_and_print", [wizard_id], context=context)
        queued = _jobs(server, moves)
        assert len(queued) == len(moves) and {j["state"] for j in queued} == {"queued"}, queued
        assert {j["channel"] for j in queued} == {"print"}, queued
        # sending again queues nothing new, and the call answers with a value
        result = clerk("account.move", "action_l10n_no_dispatch_send", moves)
        assert isinstance(result, dict) and result.get("type") == "ir.actions.client", result
        assert len(_jobs(server, moves)) == len(moves)
        run_code_twice_at_once(server, "l10n_no_dispatch.job", "model._cron_l10n_no_dispatch_send(batch_size=2)",
                               "Dispatch drain")
    finally:
        admin("ir.cron", "write", [send_cron], {"active": True})

    def all_printed() -> list[dict[str, Any]] | None:
        jobs = _jobs(server, moves)
        return jobs if all(j["state"] == "printed" for j in jobs) else None

    jobs = poll("every queued invoice to reach the print house", all_printed, server=server)
    assert len(jobs) == len(moves)
    assert len({j["idempotency_key"] for j in jobs}) == len(jobs)
    for job in jobs:
        assert job["attempts"] == 1, f"sent more than once: {job}"
    outbox = print_root / "outbox"
    assert len(list(outbox.glob("*.pdf"))) == len(moves)
    assert len(list(outbox.glob("*.csv"))) == len(moves)
    states = clerk("account.move", "read", moves, ["l10n_no_dispatch_state"])
    assert {s["l10n_no_dispatch_state"] for s in states} == {"printed"}


def test_status_and_jobs_are_protected(server: Server) -> None:
    partner = make_partner(server, "Vern AS")
    move = make_invoice(server, partner, 500.0)
    refused(lambda: server.clerk("account.move", "write", [move], {"l10n_no_dispatch_state": "printed"}),
            is_access_error, "the clerk sets the dispatch status by hand")
    refused(lambda: server.clerk("l10n_no_dispatch.job", "create", {
        "company_id": server.company_id, "move_id": move, "channel": "print", "idempotency_key": "forged"}),
        is_access_error, "the clerk creates a dispatch job directly")
    refused(lambda: server.portal("account.move", "action_l10n_no_dispatch_send", [move]),
            is_access_error, "a portal user sends an invoice")


def test_cron_renders_the_pdf_when_the_invoice_has_none(server: Server) -> None:
    """Sent with the invoice's own button (no Send & Print before): the scheduler's cron makes the PDF with
    Odoo's report and hands it to the print house."""
    admin, clerk = server.admin, server.clerk
    print_root = server.folder.parent / "print-house-2"
    print_root.mkdir(exist_ok=True)
    admin("res.company", "write", [server.company_id], {
        "l10n_no_dispatch_print_transport": "folder", "l10n_no_dispatch_print_folder": str(print_root),
        "l10n_no_dispatch_print_directory": "outbox",
    })
    move = make_invoice(server, make_partner(server, "Pia Papir", email=False), 250.0)
    assert not clerk("account.move", "read", [move], ["invoice_pdf_report_id"])[0]["invoice_pdf_report_id"]
    clerk("account.move", "action_l10n_no_dispatch_send", [move])
    job = poll("the cron to print the invoice",
               lambda: next((j for j in _jobs(server, [move]) if j["state"] in ("printed", "failed")), None),
               server=server)
    assert job["state"] == "printed", job["last_error"]
    pdfs = list((print_root / "outbox").glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF-")
