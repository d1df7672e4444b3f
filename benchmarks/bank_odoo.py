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
``--per-chunk`` prints each chunk's wall time, CPU time, queries and memory (where a long file slows down or
grows); ``--clone`` makes the invoices as SQL copies of one posted by the ORM (100,000 in under a minute);
``--camt-entry-size K`` writes the payments as a camt.054 of batch entries of K transactions instead of one
OCR assignment (one statement line per entry).
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


def time_chunks(env) -> None:
    """Print each chunk's wall time, CPU time and queries as the import stores it: a long file that
    slows down shows here which chunks grow, and whether Odoo (CPU) or PostgreSQL (the rest) grows."""
    cls = type(env["l10n_no.bank.import"])
    store = cls._l10n_no_bank_store
    done = [0]

    def timed(self, payments, context):
        cr = self.env.cr
        queries, t0, c0 = cr.sql_log_count, time.perf_counter(), time.process_time()
        result = store(self, payments, context)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        done[0] += len(payments)
        print(f"  chunk to {done[0]:>7}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {wall - cpu:6.2f} s other "
              f"(PostgreSQL, waiting), {cr.sql_log_count - queries} queries, RSS {RssSampler.rss_mb():.0f} MB",
              flush=True)
        return result

    cls._l10n_no_bank_store = timed


def clone_rows(cr, table: str, replace: dict[str, str], *, source: str, where: str, params) -> None:
    """Copy a template row many times in one INSERT ... SELECT, replacing some of its columns."""
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id' "
               "ORDER BY ordinal_position", (table,))  # fmt: skip
    columns = [row[0] for row in cr.fetchall()]
    select = ", ".join(replace.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    cr.execute(f'INSERT INTO "{table}" ({names}) SELECT {select} FROM {source} WHERE {where}', params)


def setup_cloned(env, company_name, n, Command):
    """As ``setup``, but only the first customer and invoice go through the ORM (posted, so it has its
    KID and customer number); the other N-1 are copies of their rows made in SQL, each with its own
    customer, customer number, invoice number and KID (built by the journal's own KID layout). Creating
    100,000 invoices through the ORM takes well over an hour here; the import measured afterwards reads
    the copies exactly as it reads invoices posted by Odoo (same rows, same columns)."""
    cr = env.cr
    company, journal, template = setup(env, company_name, 1, Command, customer_digits=6, invoice_digits=8,
                                       invoice_source="sequence")  # fmt: skip
    env = env(context={"allowed_company_ids": [company.id]})
    t0 = time.perf_counter()
    env.flush_all()
    partner = template.partner_id
    layout = journal._l10n_no_kid_layout()
    first = env["l10n_no.customer.number"].search([("partner_id", "=", partner.id)]).number
    clone_rows(cr, "res_partner", {"name": "'Kunde ' || g", "complete_name": "'Kunde ' || g"},
               source="res_partner t, generate_series(1, %s) g", where="t.id = %s",
               params=(n - 1, partner.id))  # fmt: skip
    cr.execute("SELECT id FROM res_partner WHERE id > %s AND name LIKE 'Kunde %%' ORDER BY id", (partner.id,))
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (partner_ids,))
    numbers = [first + i for i in range(1, n)]
    cr.execute("INSERT INTO l10n_no_customer_number (partner_id, company_id, number) "
               "SELECT p, %s, k FROM unnest(%s::int[], %s::int[]) AS g(p, k)",
               (company.id, partner_ids, numbers))  # fmt: skip
    sequences = [template.sequence_number + i for i in range(1, n)]
    names = [f"{template.sequence_prefix}{seq:05d}" for seq in sequences]
    kids = [layout.build(number, seq) for number, seq in zip(numbers, sequences, strict=True)]
    clone_rows(cr, "account_move", {
        "name": "g.name", "payment_reference": "g.kid", "partner_id": "g.p", "commercial_partner_id": "g.p",
        "sequence_number": "g.seq",
    }, source="account_move t, unnest(%s::int[], %s::int[], %s::varchar[], %s::varchar[]) AS g(p, seq, name, kid)",
        where="t.id = %s", params=(partner_ids, sequences, names, kids, template.id))  # fmt: skip
    cr.execute("CREATE TEMP TABLE bench_move ON COMMIT DROP AS SELECT id, partner_id, name, payment_reference "
               "FROM account_move WHERE company_id = %s AND id > %s", (company.id, template.id))  # fmt: skip
    clone_rows(cr, "account_move_line", {
        "move_id": "m.id", "partner_id": "m.partner_id", "move_name": "m.name",
        "name": "CASE WHEN t.display_type = 'payment_term' THEN m.payment_reference ELSE t.name END",
    }, source="account_move_line t CROSS JOIN bench_move m", where="t.move_id = %s", params=(template.id,))  # fmt: skip
    env.invalidate_all()
    analyze(cr)
    invoices = env["account.move"].search([("company_id", "=", company.id), ("move_type", "=", "out_invoice")],
                                          order="id")  # fmt: skip
    print(f"  {n - 1} invoices and customers copied in SQL ({time.perf_counter() - t0:.0f} s)", flush=True)
    return company, journal, invoices


def setup(env, company_name, n, Command, *, customer_digits=5, invoice_digits=9, invoice_source="name"):
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
        "l10n_no_kid_customer_digits": customer_digits, "l10n_no_kid_invoice_digits": invoice_digits,
        "l10n_no_kid_invoice_source": invoice_source,
    })  # fmt: skip
    t0 = time.perf_counter()
    partners = env["res.partner"].create([{"name": f"Kunde {i}", "is_company": True} for i in range(n)])
    sale = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    print(f"company {company.name} ({company.currency_id.name}), sale journal {sale.name}", flush=True)
    invoice_ids = []
    for start in range(0, n, 500):
        batch = env["account.move"].create([
            {"move_type": "out_invoice", "partner_id": partners[i].id, "journal_id": sale.id,
             "invoice_date": "2026-01-01", "partner_bank_id": bank_account.id,
             "invoice_line_ids": [Command.create({"name": "Abonnement", "quantity": 1,
                                                  "price_unit": 100 + i % 900, "tax_ids": [Command.clear()]})]}
            for i in range(start, min(n, start + 500))
        ])  # fmt: skip
        batch.action_post()
        invoice_ids += batch.ids
        analyze(env.cr)
        # Drop the cache between batches: a process holding every invoice posted so far slowed down from
        # 13 s to 60 s per 500 invoices over 50,000 (posting 100 invoices in a fresh process costs the
        # same in a company of 2,000 and of 50,000 invoices, ~50 ms each).
        env.invalidate_all(flush=True)
        print(f"  invoices posted: {len(invoice_ids)}/{n} ({time.perf_counter() - t0:.0f} s)", flush=True)
    return company, journal, env["account.move"].browse(invoice_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--create", action="store_true", help="create the database and install l10n_no_bank")
    parser.add_argument("--template", help="with --create: a database to copy (e.g. one with l10n_no installed)")
    parser.add_argument("-n", type=int, default=2000, help="number of invoices and payments (default 2000)")
    parser.add_argument("--keep-setup", action="store_true",
                        help="commit the company and its N invoices (company 'Benk AS <N>') and reuse them in later "
                             "runs: only the import is rolled back")
    parser.add_argument("--clone", action="store_true",
                        help="make the customers and invoices (all but the first) as SQL copies of one posted by the "
                             "ORM: 100,000 in minutes instead of hours (company 'Benk AS <N> klonet')")
    parser.add_argument("--baseline", type=int, default=200,
                        help="how many payments Odoo's plain one-at-a-time path takes first, for the ratio "
                             "(rolled back; 0: none; default 200)")
    parser.add_argument("--chunk", type=int, help="payments per chunk (the import's CHUNK unless given)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the import")
    parser.add_argument("--queries", action="store_true",
                        help="print the import's SQL queries counted by kind and table")
    parser.add_argument("--profile-out", help="with --profile: also save the raw cProfile statistics here")
    parser.add_argument("--camt-entry-size", type=int, metavar="K",
                        help="write the payments as a camt.054 with batch entries of K transactions each "
                             "(one statement line per entry) instead of one Nets OCR assignment")
    parser.add_argument("--per-chunk", action="store_true",
                        help="print wall time, CPU time and queries of every chunk (where a long file slows down)")
    parser.add_argument("--slow-queries", type=int, metavar="MS",
                        help="have PostgreSQL log the import's statements slower than MS to its server log")
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

    from nofaktura.bank.generate import CamtEntry, CamtTx, OcrTx, write_camt054, write_ocr  # noqa: PLC0415

    config.parse_config(["-d", args.db, f"--addons-path={ADDONS}", *DB_ARGS])
    # A Norwegian company would auto-install account_peppol (needs 'phonenumbers', absent here).
    config["skip_auto_install"] = True
    registry = Registry(args.db)
    n = args.n
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        t0 = time.perf_counter()
        company_name = (f"Benk AS {n}" if args.keep_setup else "Benk AS") + (" klonet" if args.clone else "")
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
            company, journal, invoices = (setup_cloned if args.clone else setup)(env, company_name, n, Command)
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
        if args.camt_entry_size:
            # the same payments as camt.054 batch entries of K transactions: one statement line per entry
            size = args.camt_entry_size
            entries = [
                CamtEntry(transactions=[CamtTx(amount=Decimal(t.amount_ore) / 100, kid=t.kid,
                                               bank_reference=f"REF{t.reference}") for t in txs[i:i + size]],
                          entry_reference=f"NTRY{i // size:07d}")
                for i in range(0, len(txs), size)
            ]  # fmt: skip
            write_camt054(out, entries, message_id=f"BENCH-{n}-{size}")
            data = out.getvalue().encode("utf-8")
        else:
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
        if args.per_chunk:
            time_chunks(env)
        if args.slow_queries is not None:
            cr.execute(f"SET log_min_duration_statement = {int(args.slow_queries)}")
        sampler = RssSampler()
        sampler.start()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        Import = env["l10n_no.bank.import"].with_context(l10n_no_bank_chunk=args.chunk) if args.chunk else \
            env["l10n_no.bank.import"]
        filename = "bench.xml" if args.camt_entry_size else "bench.txt"
        record = Import._l10n_no_bank_import(data, filename, journal=journal)
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
