"""Benchmark: 10,000 posted invoices sent by their customers' channels in a real Odoo 19 (l10n_no_dispatch).

Run with the dev venv, ``ODOO_PATH``/``ODOO_PYTHON`` naming Odoo and the standard ``PG*`` variables
naming the database server: ``.venv/bin/python benchmarks/dispatch_odoo.py [--invoices 10000]
[--customers 2000] [--baseline-sample 200] [--template DB]``. It creates a throw-away database (a copy of
``--template`` when given, e.g. one with ``l10n_no_dunning,l10n_no_ehf`` installed, which saves minutes),
installs ``l10n_no_dispatch``, then re-runs itself inside Odoo's Python (``--inside``) to:

1. create one customer and one posted invoice through the ORM and clone them with SQL into
   ``--customers`` customers (a third each: in Digipost, e-mail only, paper only — the Digipost answer
   cached on the customer, as after the first lookup) and ``--invoices`` posted invoices;
2. choose + enqueue: the bulk wizard's preview (counts per channel, cached answers only) and its send
   (every invoice queued in savepoint chunks), as a billing user; time and SQL queries per invoice.
   Baseline in the same run: queue-only (the same number of jobs created directly, no choice, no
   chatter), rolled back;
3. drain: the dispatch cron until the queue is empty, through fake channels — Digipost is
   ``nofaktura.digipost.testing.FakeDigipost`` as the HTTP transport (it checks each request's
   signature and validates the XML against the XSD, and signs its answers, which the client checks),
   the print house writes to an in-memory filesystem, e-mail is Odoo's own Send & Print mail (queued in
   ``mail.mail``, not sent); time and queries per invoice. Baseline: Odoo's own Send & Print by e-mail
   (``account.move.send._generate_and_send_invoices``) of ``--baseline-sample`` of the same invoices.

EHF is not among the channels here (its hand-over to ``l10n_no_ehf``'s queue builds and validates the
EHF document: see ``benchmarks/ehf_odoo.py``). PDFs: Odoo runs with ``test_enable`` so the invoice report
is rendered as HTML (no wkhtmltopdf per invoice) for e-mail; Digipost and the print house need a real
PDF, so ``account.move._l10n_no_dispatch_pdf`` returns one real invoice PDF rendered once at the start —
its wkhtmltopdf time is printed separately, to be added per invoice for a real run. Figures are
printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import base64
import logging
import os
import posixpath
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _odoo_env import db_args, odoo_path, odoo_python  # noqa: E402

ODOO = odoo_path()
ODOO_PY = odoo_python()
DB_ARGS = db_args()
XSD = REPO.parent / "shared" / "corpora" / "digipost" / "xsd"
SENDER = "123456"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    return env


def outer(args: argparse.Namespace) -> int:
    db = args.db or f"nof_dispatch_bench_{os.getpid()}"
    addons = f"--addons-path={ODOO / 'addons'},{REPO / 'addons'}"
    subprocess.run(["createdb", *(["-T", args.template] if args.template else []), db], check=True, env=_env())
    try:
        t0 = time.perf_counter()
        subprocess.run(
            [ODOO_PY, str(ODOO / "odoo-bin"), addons, "-d", db, *DB_ARGS, "-i", "l10n_no_dispatch",
             "--stop-after-init", "--log-level=warn", "--http-interface=127.0.0.1", "--http-port=0"],
            check=True, env=_env(),
        )
        print(f"install l10n_no_dispatch: {time.perf_counter() - t0:.1f} s", flush=True)
        return subprocess.run(
            [ODOO_PY, __file__, "--inside", "--db", db, "--invoices", str(args.invoices),
             "--customers", str(args.customers), "--baseline-sample", str(args.baseline_sample)],
            env=_env(), check=False,
        ).returncode
    finally:
        if not args.keep_db:
            subprocess.run(["dropdb", db], check=False, env=_env())


def _clone_sql(cr, table: str, *, replace: dict[str, str], source: str, where: str, params) -> None:
    """Copy one template row many times in one INSERT … SELECT, replacing some columns."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id' "
        "ORDER BY ordinal_position",
        (table,),
    )
    columns = [row[0] for row in cr.fetchall()]
    select = ", ".join(replace.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    cr.execute(f'INSERT INTO "{table}" ({names}) SELECT {select} FROM {source} WHERE {where}', params)


class MemoryFilesystem:
    """The print house's folder in memory (the ``Filesystem`` calls ``PrintHouse`` makes)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def listdir(self, path: str) -> list[str]:
        prefix = posixpath.normpath(path).rstrip("/") + "/"
        return sorted(p[len(prefix):] for p in self.files if p.startswith(prefix) and "/" not in p[len(prefix):])

    def exists(self, path: str) -> bool:
        return posixpath.normpath(path) in self.files

    def read(self, path: str) -> bytes:
        return self.files[posixpath.normpath(path)]

    def write(self, path: str, data: bytes) -> None:
        self.files[posixpath.normpath(path)] = bytes(data)

    def rename(self, src: str, dst: str) -> None:
        self.files[posixpath.normpath(dst)] = self.files.pop(posixpath.normpath(src))

    def remove(self, path: str) -> None:
        self.files.pop(posixpath.normpath(path), None)

    def makedirs(self, path: str) -> None:
        return None

    def mtime(self, path: str):
        return None

    def close(self) -> None:
        return None


def _measure(cr, call):
    q0, t0 = cr.sql_log_count, time.perf_counter()
    result = call()
    return result, time.perf_counter() - t0, cr.sql_log_count - q0


def inside(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ODOO))
    # Odoo and Odoo's cryptography are importable only in Odoo's Python, where this function runs
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12  # noqa: PLC0415
    from odoo import Command, api, fields  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    from nofaktura.digipost.testing import FakeDigipost, _self_signed, load_schema, make_test_key  # noqa: PLC0415
    from nofaktura.peppol.transports.folder import Filesystem  # noqa: PLC0415

    Filesystem.register(MemoryFilesystem)
    config.parse_config(
        [f"--addons-path={ODOO / 'addons'},{REPO / 'addons'}", "-d", args.db, *DB_ARGS, "--log-level=warn"],
        setup_logging=True,
    )
    for noisy in ("httpx", "nofaktura", "odoo.addons.base.models.ir_actions_report"):
        logging.getLogger(noisy).setLevel(logging.WARNING)  # one line per message otherwise
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        company = env.company
        report = env["ir.actions.report"]

        # --- fake channels ---------------------------------------------------------------------------
        key = make_test_key()
        p12 = pkcs12.serialize_key_and_certificates(b"sender", key, _self_signed(key, "sender"), None,
                                                    BestAvailableEncryption(b"secret"))
        fake = FakeDigipost(load_schema(XSD))
        fake.register_sender(SENDER, key.public_key())
        memory = MemoryFilesystem()
        Company = type(env["res.company"])
        Company._l10n_no_dispatch_digipost_transport = lambda self: fake.transport
        Company._l10n_no_dispatch_print_filesystem = lambda self: memory
        company.sudo().write({
            "l10n_no_dispatch_digipost_user_id": SENDER,
            "l10n_no_dispatch_digipost_key": base64.b64encode(p12),
            "l10n_no_dispatch_digipost_key_password": "secret",
            "l10n_no_dispatch_print_transport": "folder",
            "l10n_no_dispatch_print_folder": "/nonexistent/in-memory",
            "street": "Kaigata 1", "zip": "0150", "city": "Oslo",
        })

        # --- data ---------------------------------------------------------------------------------------
        t0 = time.perf_counter()
        billing = env["res.users"].create({
            "name": "Bench billing", "login": "bench_billing",
            "group_ids": [Command.set([env.ref("base.group_user").id, env.ref("account.group_account_invoice").id])],
        })
        now = fields.Datetime.now()
        templates = {
            "digipost": {"name": "Bench digipost 0", "street": "Gate 1", "zip": "0155", "city": "Oslo",
                         "l10n_no_dispatch_digipost": "yes"},
            "email": {"name": "Bench email 0", "email": "c0@example.no", "l10n_no_dispatch_digipost": "no"},
            "paper": {"name": "Bench paper 0", "street": "Gate 2", "zip": "5003", "city": "Bergen",
                      "l10n_no_dispatch_digipost": "no"},
        }
        partner_ids: list[int] = []
        per_kind = max(1, args.customers // 3)
        for kind, values in templates.items():
            partner = env["res.partner"].create({**values, "country_id": env.ref("base.no").id,
                                                 "l10n_no_dispatch_digipost_checked_at": now})
            env.flush_all()
            replace = {"name": f"'Bench {kind} ' || g", "complete_name": f"'Bench {kind} ' || g"}
            if kind == "email":
                replace["email"] = "'c' || g || '@example.no'"
            if kind == "digipost":
                replace["zip"] = "lpad((1000 + g)::text, 4, '0')"
            _clone_sql(cr, "res_partner", replace=replace, source="res_partner t, generate_series(1, %s) g",
                       where="t.id = %s", params=(per_kind - 1, partner.id))
            cr.execute("SELECT id FROM res_partner WHERE name LIKE %s ORDER BY id", (f"Bench {kind} %",))
            ids = [row[0] for row in cr.fetchall()]
            partner_ids += ids
            if kind == "digipost":
                cr.execute("SELECT name, zip FROM res_partner WHERE id = ANY(%s)", (ids,))
                for name, zip_code in cr.fetchall():
                    fake.add_user(f"{name}|{zip_code}")
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench %%'")
        invoice = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner_ids[0], "invoice_date": date.today(),
            "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": 1000.0,
                                                 "tax_ids": [Command.clear()]})],
        })
        invoice.action_post()
        env.flush_all()
        n = args.invoices
        invoice_partners = [partner_ids[i % len(partner_ids)] for i in range(1, n)]
        _clone_sql(cr, "account_move", replace={
            "name": "'BENCH/' || g.n", "payment_reference": "'BENCH/' || g.n", "partner_id": "g.p",
            "commercial_partner_id": "g.p", "sequence_prefix": "'BENCH/'", "sequence_number": "g.n",
        }, source="account_move t, unnest(%s::int[], %s::int[]) AS g(n, p)", where="t.id = %s",
            params=(list(range(1, n)), invoice_partners, invoice.id))
        cr.execute("CREATE TEMP TABLE bench_move AS SELECT id, partner_id, name FROM account_move "
                   "WHERE name LIKE 'BENCH/%%'")
        _clone_sql(cr, "account_move_line", replace={"move_id": "m.id", "partner_id": "m.partner_id",
                                                      "move_name": "m.name"},
                   source="account_move_line t CROSS JOIN bench_move m", where="t.move_id = %s",
                   params=(invoice.id,))
        env.invalidate_all()
        cr.execute("SELECT id FROM account_move WHERE id = %s OR name LIKE 'BENCH/%%' ORDER BY id", (invoice.id,))
        move_ids = [row[0] for row in cr.fetchall()]
        print(f"data: {len(move_ids)} posted invoices, {len(partner_ids)} customers "
              f"(built in {time.perf_counter() - t0:.1f} s)", flush=True)

        # --- one real PDF, reused for every Digipost and print-house letter -------------------------------
        t0 = time.perf_counter()
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "account.account_invoices", invoice.ids)
        t_pdf = time.perf_counter() - t0
        if kind != "pdf" or not pdf.startswith(b"%PDF-"):
            print("wkhtmltopdf gave no PDF: using a minimal PDF for Digipost and print")
            pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        Move = type(env["account.move"])
        Move._l10n_no_dispatch_pdf = lambda self: (pdf, f"{self.name}.pdf")
        print(f"one invoice PDF by wkhtmltopdf: {t_pdf:.2f} s ({len(pdf)} bytes) — not included below", flush=True)
        config["test_enable"] = True  # Odoo's HTML fallback for the e-mailed invoice report

        # --- baseline 1: queue-only (jobs created directly, no choice, no chatter) ------------------------
        moves = env["account.move"].with_user(billing).browse(move_ids)
        Job = env["l10n_no_dispatch.job"]
        with cr.savepoint(flush=False) as savepoint:
            _r, t_queue_only, q_queue_only = _measure(cr, lambda: (Job.sudo().create([{
                "company_id": company.id, "move_id": m.id, "partner_id": m.partner_id.id, "channel": "email",
                "reason": "bench", "idempotency_key": f"bench-{m.id}", "next_attempt": now,
            } for m in moves.sudo()]), env.flush_all()))
            savepoint.rollback()
        env.invalidate_all(flush=False)

        # --- choose + enqueue through the bulk wizard ---------------------------------------------------
        Wizard = env["l10n_no_dispatch.bulk"].with_user(billing)
        wizard, t_preview, q_preview = _measure(cr, lambda: _preview(Wizard, moves))
        counts = {c: wizard[f"count_{c}"] for c in ("digipost", "email", "print", "none")}
        _r, t_send, q_send = _measure(cr, lambda: (wizard.action_send(), env.flush_all()))
        print(f"preview (choice from cached answers): {t_preview:.1f} s, {q_preview / n:.2f} queries per invoice; "
              f"per channel {counts}", flush=True)
        print(f"enqueue: {t_send:.1f} s = {t_send / n * 1000:.2f} ms and {q_send / n:.1f} queries per invoice "
              f"({wizard.queued_count} queued, {wizard.failed_count} not)", flush=True)
        choose_enqueue = t_preview + t_send
        print(f"choose+enqueue: {choose_enqueue / n * 1000:.2f} ms/invoice; queue-only baseline "
              f"{t_queue_only / n * 1000:.2f} ms and {q_queue_only / n:.2f} queries per invoice; "
              f"ratio {choose_enqueue / t_queue_only:.1f}x", flush=True)

        # --- drain: the cron until the queue is empty -----------------------------------------------------
        JobClass = type(Job)
        send_one = JobClass._l10n_no_dispatch_send_one
        per_channel: dict[str, list[float]] = {}

        def timed_send_one(job):
            t = time.perf_counter()
            try:
                return send_one(job)
            finally:
                per_channel.setdefault(job.channel, []).append(time.perf_counter() - t)

        JobClass._l10n_no_dispatch_send_one = timed_send_one

        def drain():
            rounds = 0
            while Job._cron_l10n_no_dispatch_send(batch_size=100):
                rounds += 1
                env.flush_all()
            return rounds

        rounds, t_drain, q_drain = _measure(cr, drain)
        cr.execute("SELECT channel, state, count(*) FROM l10n_no_dispatch_job GROUP BY 1, 2 ORDER BY 1, 2")
        states = {f"{c}/{s}": k for c, s, k in cr.fetchall()}
        print(f"drain: {t_drain:.1f} s in {rounds} cron batches = {t_drain / n * 1000:.1f} ms and "
              f"{q_drain / n:.1f} queries per invoice; jobs {states}; fake Digipost got {len(fake.messages)} "
              f"messages, the print house {sum(1 for p in memory.files if p.endswith('.pdf'))} PDFs", flush=True)

        print("  per channel (hand-over only, without the cron's claim and commit): " + ", ".join(
            f"{c} {sum(t) / len(t) * 1000:.1f} ms x {len(t)}" for c, t in sorted(per_channel.items())), flush=True)

        # --- baseline 2: Odoo's own Send & Print by e-mail of a sample of the same invoices ---------------
        sample_ids = [m for m, p in zip(move_ids, [invoice.partner_id.id, *invoice_partners], strict=True)
                      if env["res.partner"].browse(p).email][: args.baseline_sample]
        sample = env["account.move"].browse(sample_ids)
        with cr.savepoint(flush=False) as savepoint:
            sample.invoice_pdf_report_id.unlink()
            env.flush_all()
            _r, t_odoo, q_odoo = _measure(cr, lambda: (env["account.move.send"]._generate_and_send_invoices(
                sample, sending_methods=["email"]), env.flush_all()))
            savepoint.rollback()
        env.invalidate_all(flush=False)
        per_odoo = t_odoo / max(len(sample), 1)
        print(f"baseline Odoo Send & Print by e-mail: {per_odoo * 1000:.1f} ms and "
              f"{q_odoo / max(len(sample), 1):.1f} queries per invoice ({len(sample)} invoices); "
              f"drain per invoice / Odoo e-mail per invoice = {t_drain / n / per_odoo:.2f}", flush=True)
        total = choose_enqueue + t_drain
        print(f"total for {n} invoices: {total / 60:.1f} min = {total / n * 1000:.1f} ms per invoice "
              f"(+ {t_pdf:.2f} s wkhtmltopdf per invoice PDF in a real run)", flush=True)
        cr.rollback()
    return 0


def _preview(Wizard, moves):
    wizard = Wizard.create({"move_ids": [(6, 0, moves.ids)]})
    wizard.count_total  # noqa: B018 - computes the preview (counts per channel)
    return wizard


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--invoices", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--baseline-sample", type=int, default=200)
    parser.add_argument("--db")
    parser.add_argument("--template", help="a database to copy first (e.g. one with l10n_no_dunning installed)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return inside(args) if args.inside else outer(args)


if __name__ == "__main__":
    sys.exit(main())
