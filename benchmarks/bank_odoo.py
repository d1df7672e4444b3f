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
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--create", action="store_true", help="create the database and install l10n_no_bank")
    parser.add_argument("--template", help="with --create: a database to copy (e.g. one with l10n_no installed)")
    parser.add_argument("-n", type=int, default=2000, help="number of invoices and payments (default 2000)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the import")
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
        # A Norwegian company in NOK with the Norwegian chart of accounts, as the tests use.
        company = env["res.company"].with_context(chart_template_load=True).create(
            {"name": "Benk AS", "country_id": env.ref("base.no").id, "currency_id": env.ref("base.NOK").id}
        )
        env.ref("base.NOK").active = True
        env.user.company_ids |= company
        env = env(context={"allowed_company_ids": [company.id]})
        env["account.chart.template"].try_loading("no", company=company, install_demo=False)
        bank_account = env["res.partner.bank"].create(
            {"acc_number": "86011117947", "partner_id": company.partner_id.id}
        )
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
            print(f"  invoices posted: {len(invoices)}/{n} ({time.perf_counter() - t0:.0f} s)", flush=True)
        setup = time.perf_counter() - t0
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

        env.invalidate_all()
        queries = cr.sql_log_count
        t1 = time.perf_counter()
        c1 = time.process_time()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        record = env["l10n_no.bank.import"]._l10n_no_bank_import(data, "bench.txt", journal=journal)
        env.flush_all()
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            if args.profile_out:
                profiler.dump_stats(args.profile_out)
        elapsed = time.perf_counter() - t1
        cpu = time.process_time() - c1
        queries = cr.sql_log_count - queries
        paid = env["account.move"].search_count(
            [("id", "in", invoices.ids), ("payment_state", "in", ("paid", "in_payment"))]
        )
        print()
        print(f"setup: {n} customers + {n} posted invoices in {setup:.1f} s")
        print(f"import + reconcile of {n} KID payments: {elapsed:.1f} s ({elapsed / n * 1000:.1f} ms/payment), "
              f"{queries} queries ({queries / n:.1f} per payment); "
              f"Odoo process CPU {cpu:.1f} s ({cpu / n * 1000:.1f} ms/payment; steadier than wall time when busy)")
        print(f"result: {record.count_created} lines, {record.count_matched} reconciled, "
              f"{record.count_unmatched} to check; "
              f"{paid} invoices fully paid")
        if n < 10_000:
            print(f"extrapolated to 10,000 payments (linear): {elapsed / n * 10_000:.0f} s (target < 180 s)")
        print(f"extrapolated to 100,000 payments (linear): {elapsed / n * 100_000:.0f} s (target < 600 s)")
        cr.rollback()


if __name__ == "__main__":
    main()
