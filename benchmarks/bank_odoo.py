"""Import and reconcile N KID payments against N open invoices in a real Odoo 19 database.

Run with Odoo's Python, ``ODOO_PATH`` naming the Odoo source tree and the standard ``PG*`` variables
naming the database server (the database must have ``l10n_no_bank`` installed; ``--create`` makes
one, from ``--template`` when given, and installs it)::

    ODOO_PATH=... PGHOST=... PGUSER=... $ODOO_PYTHON benchmarks/bank_odoo.py --db bank_bench --create -n 2000

It creates a bank journal with a KID agreement, N customers' invoices (posted, so each gets a KID),
writes a Nets OCR giro file paying every invoice (exact, partial and overpaid mixed in), then times
``l10n_no.bank.import._l10n_no_bank_import`` (reading, statement lines, matching, reconciliation)
and counts SQL queries. Everything is rolled back at the end. Issue 4 target: 10,000 in < 3 min;
issue 9 target: 100,000 in < 10 min (6 ms/payment).

``--keep-setup`` commits the company and its invoices (company ``Benk AS <N>``) and reuses them in
later runs, so a run costs only the import (the setup of 2,000 invoices takes minutes on a busy
machine). The tables are ANALYZEd before the import, as autovacuum does in a live database: without
statistics PostgreSQL plans Odoo's payment-state query with nested loops over every line, which made
earlier wall times mostly PostgreSQL time. Before the import, ``--baseline`` payments (default 200)
go through Odoo's plain one-at-a-time path (one statement line per create, one reconciliation per
payment) and are rolled back: the ratio against it is printed, steadier than absolute figures on a
shared machine. ``--queries`` counts the import's queries by kind and table; ``--profile`` prints a
cProfile. CPU time per payment is the fair figure when the machine is busy; wall time includes PostgreSQL.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import threading
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _odoo_env import addons_path, db_args, odoo_path

ODOO = str(odoo_path())
ADDONS = addons_path()
DB_ARGS = db_args()


def create_db(db: str, template: str | None) -> None:
    subprocess.run(["createdb", *(["-T", template] if template else []), db], check=True)
    subprocess.run([sys.executable, f"{ODOO}/odoo-bin", f"--addons-path={ADDONS}", "-d", db, *DB_ARGS,
                    "-i", "l10n_no_bank", "--stop-after-init", "--http-interface=127.0.0.1", "--http-port=0",
                    "--log-level=warn"],
                   check=True)  # fmt: skip


class RssSampler(threading.Thread):
    """The process's resident memory every half second while the import runs (min, max in MB): flat
    memory means the import does not keep what it has done in memory, whatever the file's size."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stopped = threading.Event()

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            self.samples.append(self.rss_mb())

    def stop(self) -> str:
        self.stopped.set()
        self.join()
        if not self.samples:
            return "memory: no sample"
        quarter = max(1, len(self.samples) // 4)
        return (f"memory (RSS) during the import: {self.samples[0]:.0f} MB at the start, "
                f"{max(self.samples[:quarter]):.0f} MB max in the first quarter, {max(self.samples):.0f} MB max "
                f"overall, {self.samples[-1]:.0f} MB at the end ({len(self.samples)} samples)")


def count_queries(cr) -> dict:
    """Count the queries run on ``cr`` from now on by their first words (kind and table)."""
    kinds: dict = {"__original__": type(cr).execute}
    original = kinds["__original__"]

    def execute(self, query, params=None, log_exceptions=True):
        text = " ".join(str(getattr(query, "code", query)).split())
        words = text.split(" ")
        kind = words[0].upper()
        table = ""
        for marker in ("FROM", "INTO", "UPDATE"):
            if marker in words[:40]:
                table = words[words.index(marker) + 1] if marker != "UPDATE" else words[1]
                break
        key = f"{kind} {table}".strip()
        kinds[key] = kinds.get(key, 0) + 1
        return original(self, query, params, log_exceptions)

    type(cr).execute = execute
    return kinds


def analyze(cr) -> None:
    """Give PostgreSQL statistics on the tables just filled, as autovacuum does in a live database.

    Without them the planner takes the freshly filled tables for empty and joins them with nested
    loops over every row (Odoo's payment-state query then takes minutes for a few thousand lines).
    ANALYZE inside the transaction counts the transaction's own rows.
    """
    cr.execute("ANALYZE account_move, account_move_line, account_partial_reconcile, account_full_reconcile, "
               "account_bank_statement_line, account_bank_statement, res_partner")


def baseline(env, journal, invoices) -> tuple[float, float, float]:
    """Odoo's plain path for the same payments, one at a time: one statement line per create call
    (counterpart straight on the receivable) and one reconciliation per payment, as a simple import
    would do. Returns wall ms, CPU ms and queries per payment; the caller rolls it back."""
    cr = env.cr
    StLine = env["account.bank.statement.line"].with_context(tracking_disable=True)
    env.invalidate_all()
    queries = cr.sql_log_count
    t0, c0 = time.perf_counter(), time.process_time()
    for invoice in invoices:
        receivable = invoice.line_ids.filtered(lambda aml: aml.account_id.account_type == "asset_receivable")
        line = StLine.create({
            "journal_id": journal.id, "date": "2026-01-15", "amount": invoice.amount_residual,
            "payment_ref": f"KID {invoice.payment_reference}", "partner_id": invoice.commercial_partner_id.id,
            "counterpart_account_id": receivable.account_id.id,
        })  # fmt: skip
        counterpart = line.move_id.line_ids.filtered(lambda aml, r=receivable: aml.account_id == r.account_id)
        env["account.move.line"]._reconcile_plan([counterpart + receivable])
    env.flush_all()
    k = len(invoices)
    return ((time.perf_counter() - t0) / k * 1000, (time.process_time() - c0) / k * 1000,
            (cr.sql_log_count - queries) / k)  # fmt: skip


def setup(env, company_name, n, Command):
    """A Norwegian company in NOK with the Norwegian chart, a KID bank journal and N posted invoices."""
    company = env["res.company"].with_context(chart_template_load=True).create(
        {"name": company_name, "country_id": env.ref("base.no").id, "currency_id": env.ref("base.NOK").id}
    )
    env.ref("base.NOK").active = True
    env.user.company_ids |= company
    env = env(context={"allowed_company_ids": [company.id]})
    env["account.chart.template"].try_loading("no", company=company, install_demo=False)
    bank_account = env["res.partner.bank"].create({"acc_number": "86011117947", "partner_id": company.partner_id.id})
    journal = env["account.journal"].create({
        "name": "Bench bank", "code": "BNCH", "type": "bank", "bank_account_id": bank_account.id,
        "l10n_no_kid_enabled": True, "l10n_no_kid_algorithm": "mod10", "l10n_no_kid_length": 15,
        "l10n_no_kid_customer_digits": 5, "l10n_no_kid_invoice_digits": 9,
    })  # fmt: skip
    t0 = time.perf_counter()
    partners = env["res.partner"].create([{"name": f"Kunde {i}", "is_company": True} for i in range(n)])
    sale = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    print(f"company {company.name} ({company.currency_id.name}), sale journal {sale.name}", flush=True)
    invoices = env["account.move"]
    for start in range(0, n, 500):
        batch = env["account.move"].create([
            {"move_type": "out_invoice", "partner_id": partners[i].id, "journal_id": sale.id,
             "invoice_date": "2026-01-01", "partner_bank_id": bank_account.id,
             "invoice_line_ids": [Command.create({"name": "Abonnement", "quantity": 1,
                                                  "price_unit": 100 + i % 900, "tax_ids": [Command.clear()]})]}
            for i in range(start, min(n, start + 500))
        ])  # fmt: skip
        batch.action_post()
        invoices |= batch
        analyze(env.cr)
        print(f"  invoices posted: {len(invoices)}/{n} ({time.perf_counter() - t0:.0f} s)", flush=True)
    return company, journal, invoices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--create", action="store_true", help="create the database and install l10n_no_bank")
    parser.add_argument("--template", help="with --create: a database to copy (e.g. one with l10n_no installed)")
    parser.add_argument("-n", type=int, default=2000, help="number of invoices and payments (default 2000)")
    parser.add_argument("--keep-setup", action="store_true",
                        help="commit the company and its N invoices (company 'Benk AS <N>') and reuse them in later "
                             "runs: only the import is rolled back")
    parser.add_argument("--baseline", type=int, default=200,
                        help="how many payments Odoo's plain one-at-a-time path takes first, for the ratio "
                             "(rolled back; 0: none; default 200)")
    parser.add_argument("--chunk", type=int, help="payments per chunk (the import's CHUNK unless given)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the import")
    parser.add_argument("--queries", action="store_true",
                        help="print the import's SQL queries counted by kind and table")
    parser.add_argument("--profile-out", help="with --profile: also save the raw cProfile statistics here")
    args = parser.parse_args()
    if args.create:
        create_db(args.db, args.template)
    print(f"database {args.db}, N = {args.n}", flush=True)

    sys.path.insert(0, ODOO)
    import odoo.init  # noqa: F401, PLC0415 - Odoo's own start-up (patches, gc settings)
    from odoo import api  # noqa: PLC0415
    from odoo.fields import Command  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    from nofaktura.bank.generate import OcrTx, write_ocr  # noqa: PLC0415

    config.parse_config(["-d", args.db, f"--addons-path={ADDONS}", *DB_ARGS])
    # A Norwegian company would auto-install account_peppol (needs 'phonenumbers', absent here).
    config["skip_auto_install"] = True
    registry = Registry(args.db)
    n = args.n
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        t0 = time.perf_counter()
        company_name = f"Benk AS {n}" if args.keep_setup else "Benk AS"
        company = env["res.company"].search([("name", "=", company_name)], limit=1) if args.keep_setup else None
        if company:
            env = env(context={"allowed_company_ids": [company.id]})
            journal = env["account.journal"].search([("code", "=", "BNCH"), ("company_id", "=", company.id)])
            invoices = env["account.move"].search(
                [("company_id", "=", company.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted")],
                order="id",
            )
            print(f"reusing company {company.name}: {len(invoices)} posted invoices", flush=True)
        else:
            company, journal, invoices = setup(env, company_name, n, Command)
            env = env(context={"allowed_company_ids": [company.id]})
            if args.keep_setup:
                cr.commit()
        setup_time = time.perf_counter() - t0
        txs = []
        for i, invoice in enumerate(invoices):
            ore = int(Decimal(str(invoice.amount_total)) * 100)
            if i % 10 == 1:
                ore -= 5000  # partial
            elif i % 10 == 2:
                ore += 1000  # overpaid
            txs.append(OcrTx(amount_ore=ore, kid=invoice.payment_reference, reference=f"{i:09d}",
                             form_number=f"{i:010d}"))  # fmt: skip
        out = io.StringIO()
        write_ocr(out, [("86011117947", txs)])
        data = out.getvalue().encode("iso-8859-1")

        analyze(cr)
        sample = invoices[: min(n, args.baseline)]
        base = None
        if sample:
            with cr.savepoint() as savepoint:
                base = baseline(env, journal, sample)
                savepoint.close(rollback=True)  # the import below finds the same invoices open
            env.invalidate_all()
        env.invalidate_all()
        queries = cr.sql_log_count
        t1 = time.perf_counter()
        c1 = time.process_time()
        kinds = count_queries(cr) if args.queries else None
        sampler = RssSampler()
        sampler.start()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        Import = env["l10n_no.bank.import"].with_context(l10n_no_bank_chunk=args.chunk) if args.chunk else \
            env["l10n_no.bank.import"]
        record = Import._l10n_no_bank_import(data, "bench.txt", journal=journal)
        env.flush_all()
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            if args.profile_out:
                profiler.dump_stats(args.profile_out)
        elapsed = time.perf_counter() - t1
        memory = sampler.stop()
        if kinds is not None:
            type(cr).execute = kinds.pop("__original__")
            print("queries by kind (per payment):")
            for kind, count in sorted(kinds.items(), key=lambda item: -item[1])[:25]:
                print(f"  {count / n:6.2f}  {kind}")
        cpu = time.process_time() - c1
        queries = cr.sql_log_count - queries
        paid = env["account.move"].search_count(
            [("id", "in", invoices.ids), ("payment_state", "in", ("paid", "in_payment"))]
        )
        print()
        print(f"setup: {n} customers + {n} posted invoices in {setup_time:.1f} s")
        print(f"import + reconcile of {n} KID payments: {elapsed:.1f} s ({elapsed / n * 1000:.1f} ms/payment), "
              f"{queries} queries ({queries / n:.1f} per payment); "
              f"Odoo process CPU {cpu:.1f} s ({cpu / n * 1000:.1f} ms/payment; steadier than wall time when busy)")
        print(memory)
        print(f"result: {record.count_created} transactions on {len(record.statement_line_ids)} statement lines, "
              f"{record.count_matched} reconciled, "
              f"{record.count_unmatched} to check; "
              f"{paid} invoices fully paid")
        if base:
            print(f"baseline (Odoo's plain path, one payment at a time, {len(sample)} payments, same run): "
                  f"{base[0]:.1f} ms/payment wall, {base[1]:.1f} ms/payment CPU, {base[2]:.1f} queries/payment; "
                  f"import vs baseline: CPU x{base[1] / (cpu / n * 1000):.2f} faster, "
                  f"queries x{base[2] / (queries / n):.2f} fewer")
        if n < 10_000:
            print(f"extrapolated to 10,000 payments (linear): {elapsed / n * 10_000:.0f} s (target < 180 s)")
        print(f"extrapolated to 100,000 payments (linear): {elapsed / n * 100_000:.0f} s wall, "
              f"{cpu / n * 100_000:.0f} s Odoo CPU (target < 600 s all in: 6 ms/payment)")
        cr.rollback()


if __name__ == "__main__":
    main()
