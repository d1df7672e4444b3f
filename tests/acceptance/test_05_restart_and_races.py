"""Issue 9's hard cases on a real server: a worker killed while sending, two first invoices of one new
customer posted at once, a dunning e-mail the mail server refuses (failed, retried, then delivered),
and a dunning run dated another day than today."""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import socket
import socketserver
import threading
import time
import urllib.error
import urllib.request
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nofaktura.kid import is_valid
from nofaktura.peppol.transports.folder import safe_filename

from .conftest import (
    Server,
    at_once,
    direct_trigger,
    is_user_error,
    make_invoice,
    make_partner,
    poll,
    read_one,
)
from .test_02_ehf import outgoing, send_ehf, sent_messages

# ---------------------------------------------------------------------------------------------
# a worker killed in the middle of sending
# ---------------------------------------------------------------------------------------------


def _server_processes(port: int) -> tuple[int, list[int]]:
    """The Odoo master process listening on ``port`` and its worker processes (HTTP and cron)."""
    marker = f"--http-port={port}".encode()
    parents: dict[int, int] = {}
    commands: dict[int, list[bytes]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            command = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text()
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            commands[int(entry.name)] = command
    ours = {pid for pid, command in commands.items() if marker in command}
    masters = [pid for pid in ours if parents[pid] not in ours and b"gevent" not in commands[pid]]
    assert len(masters) == 1, f"cannot tell the Odoo master among {sorted(ours)}"
    master = masters[0]
    workers = [pid for pid, parent in parents.items() if parent == master and b"gevent" not in commands[pid]]
    return master, workers


def _wait_healthy(srv: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(urllib.error.URLError, OSError), \
                urllib.request.urlopen(f"{srv.url}/web/health", timeout=10) as response:
            if response.status == 200:
                return
        time.sleep(0.5)
    pytest.fail(f"the server did not answer again after its workers were killed\n{srv.log_tail(40)}")


class _OneShotTransport(xmlrpc.client.Transport):
    """An XML-RPC transport that never sends a request twice."""

    def request(self, host: Any, handler: str, request_body: bytes, verbose: bool = False) -> Any:
        return self.single_request(host, handler, request_body, verbose)


def test_worker_killed_while_sending_ehf_loses_nothing_and_sends_nothing_twice(server: Server) -> None:
    """A cron job drains the queue. The third document's write to the access point's outbox hangs (its
    temporary file is a named pipe nobody reads), so the worker is caught in the middle of the batch:
    two documents are in the outbox, the rest not. Every worker process is then killed (SIGKILL: no
    clean-up, no commit). Odoo's master starts new workers; the job runs again. Every invoice is in the
    outbox exactly once, every queue record is sent with one attempt, every invoice says "EHF sent" once."""
    admin = server.admin
    port = int(server.url.rsplit(":", 1)[1])
    send_cron = admin.ref("l10n_no_ehf.ir_cron_l10n_no_ehf_send")
    model_id = admin("ir.model", "search", [("model", "=", "l10n_no_ehf.outgoing")])[0]
    admin("ir.cron", "write", [send_cron], {"active": False})  # fill the queue without it draining
    partner_id = make_partner(server, "Kunde Avbrudd AS", ehf=True)
    count = 6
    moves = [make_invoice(server, partner_id, 1000.0 + i, taxed=True) for i in range(count)]
    for move_id in moves:
        send_ehf(server, move_id)
    records = sorted((r for move_id in moves for r in outgoing(server, move_id)), key=lambda r: r["id"])
    assert len(records) == count and {r["state"] for r in records} == {"queued"}, records
    outbox = server.folder / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    names = [safe_filename(r["idempotency_key"]) + ".xml" for r in records]
    hang = outbox / f".{names[2]}.tmp"  # the transport writes here, then renames
    os.mkfifo(hang)
    far = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
    drain = admin("ir.cron", "create", {
        "name": "EHF drain (killed)", "model_id": model_id, "state": "code",
        "code": f"model._cron_l10n_no_ehf_send(batch_size={count})", "interval_number": 1,
        "interval_type": "days", "nextcall": far, "active": True,
    })
    outcome: list[Any] = []

    def run_job() -> None:
        # one shot: xmlrpc.client sends a request again when the connection drops, which would start
        # the job a second time in a new worker as soon as this one is killed
        proxy = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", transport=_OneShotTransport())
        try:
            outcome.append(proxy.execute_kw(server.db, admin.uid, admin.password, "ir.cron",
                                            "method_direct_trigger", [[drain]], {}))
        except (xmlrpc.client.Fault, OSError, xmlrpc.client.ProtocolError) as exc:  # the worker dies under it
            outcome.append(exc)

    try:
        job = threading.Thread(target=run_job)
        job.start()
        deadline = time.monotonic() + 300
        while set(names[:2]) - set(os.listdir(outbox)):
            assert time.monotonic() < deadline, "the job never wrote to the outbox"
            assert job.is_alive(), f"the job ended before writing: {outcome}"
            time.sleep(0.05)
        time.sleep(1)
        assert job.is_alive(), f"the job did not hang on the third document: {outcome}"
        # meanwhile the scheduler's own send job finds every due document locked by the hanging worker:
        # it must end and wait for its next regular run, not start again at once in a busy loop
        assert direct_trigger(server, send_cron)
        nextcall = admin("ir.cron", "read", [send_cron], ["nextcall"])[0]["nextcall"]
        soon = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=60)).strftime("%Y-%m-%d %H:%M:%S")
        assert nextcall > soon, f"the send job was rescheduled at once ({nextcall}): a busy loop"
        _master, workers = _server_processes(port)
        assert len(workers) >= 2, workers
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        job.join(timeout=120)
        hang.unlink()
        _wait_healthy(server)
        written_at_kill = [name for name in names if (outbox / name).exists()]
        assert written_at_kill == names[:2], written_at_kill
        after_kill = sorted((r for move_id in moves for r in outgoing(server, move_id)), key=lambda r: r["id"])
        assert [r["state"] for r in after_kill[2:]] == ["queued"] * (count - 2), after_kill
        assert set(_server_processes(port)[1]).isdisjoint(workers), "the master did not start new workers"
        # the job runs again (the scheduler would; here directly, as the drain copy's next call is far),
        # as soon as PostgreSQL has let go of the dead worker's lock on the job
        poll("the drain job to run again after the kill", lambda: direct_trigger(server, drain), timeout=180,
             every=3, server=server)
    finally:
        with contextlib.suppress(FileNotFoundError):
            hang.unlink()
        admin("ir.cron", "write", [send_cron], {"active": True})
        with contextlib.suppress(xmlrpc.client.Fault):
            admin("ir.cron", "write", [drain], {"active": False})
    final = [r for move_id in moves for r in outgoing(server, move_id)]
    assert len(final) == count, final
    assert all(r["state"] in ("sent", "delivered") and r["attempts"] == 1 for r in final), final
    in_outbox = set(os.listdir(outbox))
    assert set(names) <= in_outbox, sorted(set(names) - in_outbox)
    assert not [n for n in in_outbox if n.endswith(".tmp")], "half-written files left in the outbox"
    assert [sent_messages(server, move_id) for move_id in moves] == [1] * count


# ---------------------------------------------------------------------------------------------
# two first invoices of one new customer at once
# ---------------------------------------------------------------------------------------------


def test_two_first_invoices_of_a_new_customer_posted_at_once(server: Server) -> None:
    """Two integrations post the first two invoices of a customer nobody has invoiced yet, at the same
    instant, each over its own XML-RPC connection (so in two worker processes). Both are posted, both get
    a valid KID with the same customer part and their own invoice part; nobody sees an error."""
    # the second invoice in another sales journal: Odoo's lock on one journal's numbering does not
    # serialise the two postings, so they race for the customer number itself
    other_journal = server.admin("account.journal", "create", {
        "name": "Salg 2", "code": "SALG", "type": "sale", "company_id": server.company_id,
    })
    for attempt in range(3):  # three new customers: the race is not won by chance
        partner_id = make_partner(server, f"Kunde Samtidig {attempt} AS")
        drafts = [make_invoice(server, partner_id, 500.0 + i, post=False) for i in range(2)]
        server.clerk("account.move", "write", [drafts[1]], {"journal_id": other_journal})
        results = at_once(lambda index, drafts=drafts: server.clerk("account.move", "action_post", [drafts[index]]),
                          timeout=300)
        faults = [str(getattr(r, "faultString", r))[-1500:] for r in results if isinstance(r, Exception)]
        assert not faults, faults
        moves = [read_one(server.clerk, "account.move", move_id, ["state", "name", "payment_reference"])
                 for move_id in drafts]
        assert [m["state"] for m in moves] == ["posted", "posted"], moves
        kids = [m["payment_reference"] for m in moves]
        assert all(kid and len(kid) == 15 and is_valid(kid, "mod10") for kid in kids), kids
        assert kids[0] != kids[1], moves
        assert kids[0][:5] == kids[1][:5], f"one customer, one customer number: {kids}"
        numbers = server.admin("l10n_no.customer.number", "search_read", [("partner_id", "=", partner_id)],
                               fields=["number"])
        assert len(numbers) == 1 and int(kids[0][:5]) == numbers[0]["number"], (numbers, kids)


# ---------------------------------------------------------------------------------------------
# dunning: a run is dated today; an e-mail counts when the mail server took it
# ---------------------------------------------------------------------------------------------


def test_dunning_run_dated_another_day_is_refused_over_xmlrpc(server: Server) -> None:
    today = datetime.date.today()
    run_model = "l10n_no.dunning.run"
    for day in (today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)):
        with pytest.raises(xmlrpc.client.Fault) as refused:
            server.accountant(run_model, "create", {"company_id": server.company_id, "date": day.isoformat()})
        assert is_user_error(refused.value) and "dated today" in refused.value.faultString, refused.value
    run_id = server.accountant(run_model, "create", {"company_id": server.company_id})
    assert read_one(server.accountant, run_model, run_id, ["date"])["date"] == today.isoformat()
    with pytest.raises(xmlrpc.client.Fault) as refused:
        server.accountant(run_model, "write", [run_id], {"date": (today - datetime.timedelta(days=3)).isoformat()})
    assert is_user_error(refused.value), refused.value
    server.accountant(run_model, "action_cancel", [run_id])


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Odoo's smtplib client: accepts every message and keeps it."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 test SMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-test\r\n250 8BITMIME")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    data += chunk
                self.server.messages.append((recipients, data))  # type: ignore[attr-defined]
                recipients = []
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RSET, NOOP
                self.reply("250 ok")


@contextlib.contextmanager
def _smtp_server(port: int) -> Iterator[list[tuple[list[str], bytes]]]:
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", port), _SmtpHandler)
    smtp.messages = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=smtp.serve_forever, daemon=True)
    thread.start()
    try:
        yield smtp.messages  # type: ignore[attr-defined]
    finally:
        smtp.shutdown()
        smtp.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_mail_queue(srv: Server) -> None:
    """Odoo's mail queue job, now (unless the scheduler is running it already)."""
    try:
        srv.admin("ir.cron", "method_direct_trigger", [srv.admin.ref("mail.ir_cron_mail_scheduler_action")])
    except xmlrpc.client.Fault as fault:
        if "already executing" not in str(fault.faultString):
            raise


def test_dunning_email_refused_by_mail_server_is_failed_then_retried_and_delivered(server: Server) -> None:
    """The company's mail server refuses connections: the letter's e-mail fails, the letter shows
    "Delivery failed" and is no step taken. The server comes back; the hourly retry job queues the
    e-mail again and the mail queue sends it once: the letter is delivered today."""
    admin, accountant = server.admin, server.accountant
    today = datetime.date.today()
    port = _free_port()  # nothing listens here yet: connection refused
    mail_server = admin("ir.mail_server", "create", {
        "name": "Refusing SMTP", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_encryption": "none",
        "sequence": 1,
    })
    try:
        partner_id = make_partner(server, "Kari Epost")
        due = today - datetime.timedelta(days=5)  # a payment reminder (no fee, no interest) is due
        make_invoice(server, partner_id, 800.0, invoice_date=(due - datetime.timedelta(days=14)).isoformat(),
                     due=due.isoformat())
        soft = admin("l10n_no.dunning.level", "search", [("company_id", "=", server.company_id),
                                                         ("kind", "=", "soft_reminder"),
                                                         ("active", "in", (True, False))])
        admin("l10n_no.dunning.level", "write", soft, {"active": True})
        run_id = accountant("l10n_no.dunning.run", "create", {"company_id": server.company_id})
        accountant("l10n_no.dunning.run", "action_propose", [run_id])
        accountant("l10n_no.dunning.run", "action_confirm", [run_id])
        letters = accountant("l10n_no.dunning.letter", "search", [("run_id", "=", run_id),
                                                                  ("partner_id", "=", partner_id)])
        assert len(letters) == 1, read_one(accountant, "l10n_no.dunning.run", run_id, ["summary"])
        fields = ["state", "channel", "delivery_state", "delivered_on", "delivery_error", "delivery_attempts"]

        def letter() -> dict[str, Any]:
            return read_one(accountant, "l10n_no.dunning.letter", letters[0], fields)

        assert (letter()["state"], letter()["channel"]) == ("sent", "email"), letter()
        # sent right after the commit (or by the mail queue), refused: failed, shown, not a step taken
        _run_mail_queue(server)
        failed = poll("the refused e-mail to show on the letter", lambda: letter()["delivery_state"] == "failed"
                      and letter(), timeout=120, server=server)
        assert failed["delivery_error"] and not failed["delivered_on"], failed
        assert read_one(accountant, "l10n_no.dunning.run", run_id, ["failed_count"])["failed_count"] >= 1
        # the mail server is back; the retry job hands the e-mail back to the queue, the queue sends it
        with _smtp_server(port) as received:
            retry_cron = admin.ref("l10n_no_dunning.ir_cron_l10n_no_dunning_retry_email")
            admin("ir.cron", "method_direct_trigger", [retry_cron])
            _run_mail_queue(server)
            done = poll("the retried e-mail to be delivered", lambda: letter()["delivery_state"] == "delivered"
                        and letter(), timeout=120, server=server)
            mine = [r for r, _data in received if "post@kari.example" in r]
        # two attempts, or three if the scheduler's own hourly retry ran while the server still refused
        assert done["delivered_on"] == today.isoformat() and done["delivery_attempts"] in (2, 3), done
        assert len(mine) == 1, received
    finally:
        admin("ir.mail_server", "unlink", [mail_server])
