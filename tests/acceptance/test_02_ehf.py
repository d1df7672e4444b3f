"""EHF through a folder access point: sent by the cron, drained by two workers at once, received."""

from __future__ import annotations

import time
import xmlrpc.client
from typing import Any

import pytest

from nofaktura.ehf.model import Address
from nofaktura.ehf.validation import validate
from nofaktura.peppol.transports.folder import safe_filename

from .conftest import (
    Server,
    drop_in_inbox,
    make_invoice,
    make_partner,
    poll,
    read_one,
    run_code_twice_at_once,
    vendor_ehf,
)

OUTGOING_FIELDS = ["state", "attempts", "idempotency_key", "message_id", "error_message"]


def send_ehf(srv: Server, move_id: int) -> None:
    """The billing clerk sends the invoice with Send & Print, method EHF (a queue record)."""
    context = {"active_model": "account.move", "active_ids": [move_id]}
    wizard_id = srv.clerk("account.move.send.wizard", "create",
                          {"move_id": move_id, "sending_methods": ["l10n_no_ehf"]}, context=context)
    srv.clerk("account.move.send.wizard", "action_send_and_print", [wizard_id], context=context)


def outgoing(srv: Server, move_id: int) -> list[dict[str, Any]]:
    return srv.clerk("l10n_no_ehf.outgoing", "search_read", [("move_id", "=", move_id)], fields=OUTGOING_FIELDS)


def sent_messages(srv: Server, move_id: int) -> int:
    return srv.clerk("mail.message", "search_count", [("model", "=", "account.move"), ("res_id", "=", move_id),
                                                      ("body", "ilike", "EHF sent to")])


def ehf_customer_invoice(srv: Server, name: str) -> int:
    return make_invoice(srv, make_partner(srv, name, ehf=True), 1000.0, taxed=True)


def test_invoice_sent_by_cron_lands_in_outbox_and_validates(server: Server) -> None:
    move_id = ehf_customer_invoice(server, "Kunde Ehf AS")
    send_ehf(server, move_id)
    records = outgoing(server, move_id)
    assert len(records) == 1, records
    # the cron thread of the server sends it (the queue triggers it); nobody calls the method here
    done = poll("the cron to send the queued EHF",
                lambda: [r for r in outgoing(server, move_id) if r["state"] in ("sent", "delivered")], server=server)
    record = done[0]
    assert record["attempts"] == 1, record
    path = server.folder / "outbox" / (safe_filename(record["idempotency_key"]) + ".xml")
    assert path.is_file(), sorted(p.name for p in (server.folder / "outbox").iterdir())
    result = validate(path.read_bytes(), source=path.name)
    assert result.valid, [f.as_dict() for f in result.fatal]
    assert result.document == "Invoice"
    assert sent_messages(server, move_id) == 1


def test_two_workers_draining_one_queue_never_send_twice(server: Server) -> None:
    """Two cron jobs with the sending method run at the same instant (one per connection and
    worker process); every queued document is sent exactly once."""
    admin = server.admin
    send_cron = admin.ref("l10n_no_ehf.ir_cron_l10n_no_ehf_send")
    admin("ir.cron", "write", [send_cron], {"active": False})  # fill the queue without it draining
    try:
        moves = [ehf_customer_invoice(server, f"Kunde Kø {i} AS") for i in range(4)]
        for move_id in moves:
            send_ehf(server, move_id)
        queued = [outgoing(server, move_id) for move_id in moves]
        assert all(len(r) == 1 and r[0]["state"] == "queued" for r in queued), queued
        run_code_twice_at_once(server, "l10n_no_ehf.outgoing", "model._cron_l10n_no_ehf_send(batch_size=2)",
                               "EHF drain")
    finally:
        admin("ir.cron", "write", [send_cron], {"active": True})

    def all_sent() -> list[dict[str, Any]] | None:
        records = [r for move_id in moves for r in outgoing(server, move_id)]
        return records if all(r["state"] in ("sent", "delivered") for r in records) else None

    records = poll("every queued EHF to be sent", all_sent, server=server)
    assert len(records) == len(moves)
    for record in records:
        assert record["attempts"] == 1, f"sent more than once: {record}"
        assert (server.folder / "outbox" / (safe_filename(record["idempotency_key"]) + ".xml")).is_file()
    assert [sent_messages(server, move_id) for move_id in moves] == [1] * len(moves)


def received_ehf(number: str) -> bytes:
    """A vendor's EHF invoice to our company, written with the library's builder and writer."""
    return vendor_ehf(number, seller="Leverandør AS", orgnr="995525828",
                      address=Address(street="Leverandørgata 3", city="Trondheim", postal_zone="7010", country="NO"),
                      account="86011117947", line="Rørleggertime", quantity=1, price=1000)


def test_ehf_in_inbox_is_received_by_cron_as_vendor_bill(server: Server) -> None:
    inbox = server.folder / "inbox"
    number = f"ACC-{int(time.time())}"
    try:  # the cron runs now, as the scheduler runs it (its interval is 15 minutes)
        drop_in_inbox(server, number, received_ehf(number))
    except xmlrpc.client.Fault as fault:
        pytest.fail(f"the receive cron failed on the server:\n{str(fault.faultCode)[-3000:]}\n"
                    f"{str(fault.faultString)[-3000:]}\n--- server log ---\n{server.log_tail(40)}")
    records = poll("the received EHF to become a vendor bill", timeout=60, server=server, check=lambda: (
        server.accountant("l10n_no_ehf.incoming", "search_read", [("move_id", "!=", False)],
                          fields=["move_id", "state"])))
    bills = [read_one(server.accountant, "account.move", r["move_id"][0], ["move_type", "ref", "amount_total"])
             for r in records]
    mine = [b for b in bills if b["ref"] == number]
    assert mine, bills
    assert mine[0]["move_type"] == "in_invoice"
    assert mine[0]["amount_total"] == 1250.0
    assert not (inbox / f"{number}.xml").exists(), "the file was not acknowledged (still in the inbox)"
