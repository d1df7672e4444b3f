"""Benchmark: a dunning run over many overdue invoices in a real Odoo 19 (l10n_no_dunning).

Run with the dev venv, ``ODOO_PATH``/``ODOO_PYTHON`` naming Odoo and the standard ``PG*`` variables
naming the database server: ``.venv/bin/python benchmarks/dunning_odoo.py [--invoices 50000]
[--customers 10000] [--template DB]``. It creates a throw-away database (a copy of ``--template`` when
given, e.g. one with ``l10n_no`` installed, which saves minutes), installs ``l10n_no_dunning``, then
re-runs itself inside Odoo's Python (``--inside``) to:

1. create one customer and one posted invoice through the ORM, and clone them with SQL into
   ``--customers`` customers and ``--invoices`` posted, overdue invoices (with their journal items) —
   creating 50,000 invoices through the ORM would take longer than the run being measured;
2. time the proposal of a run (planner + one letter per customer with all its invoices) and count its
   SQL queries; as a baseline, time the library planner alone over the same claims;
3. confirm a sample of ``--send-sample`` letters (re-plan, fee invoice posted, e-mail queued, history
   and chatter) and extrapolate to all letters.

The first level is the purring (fee + interest) so every letter carries a fee invoice. Letters are
rendered as PDF by wkhtmltopdf when it is installed; without it Odoo's own fallback renders them as HTML
(``test_enable``) and the figure lacks the PDF conversion (the output says which). With real PDFs the
sample is sent twice (rolled back in between): with the letters' PDFs rendered together (one wkhtmltopdf
process per 50 letters, ``_l10n_no_dunning_render_pdfs``) and with one process per letter, and the ratio
is printed. No HTTP server runs here, so wkhtmltopdf cannot fetch the report's CSS: it logs "Exit with
code 1 due to network error: ConnectionRefusedError" and the letters come out unstyled, which costs about
the same. Figures are printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from nofaktura.dunning import plan

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _odoo_env import db_args, odoo_path, odoo_python  # noqa: E402

ODOO = odoo_path()
ODOO_PY = odoo_python()
DB_ARGS = db_args()
PG_ENV = dict(os.environ)
DUE = date(2026, 1, 10)
RUN_DAY = date(2026, 1, 24)


def outer(args: argparse.Namespace) -> int:
    db = args.db or f"nof_dunning_bench_{os.getpid()}"
    addons = f"--addons-path={ODOO / 'addons'},{REPO / 'addons'}"
    subprocess.run(["createdb", *(["-T", args.template] if args.template else []), db], check=True, env=PG_ENV)
    try:
        t0 = time.perf_counter()
        subprocess.run(
            [ODOO_PY, str(ODOO / "odoo-bin"), addons, "-d", db, *DB_ARGS, "-i", "l10n_no_dunning",
             "--stop-after-init", "--log-level=warn", "--http-interface=127.0.0.1", "--http-port=0"],
            check=True, env=PG_ENV,
        )
        print(f"install l10n_no_dunning: {time.perf_counter() - t0:.1f} s")
        return subprocess.run(
            [ODOO_PY, __file__, "--inside", "--db", db, "--invoices", str(args.invoices),
             "--customers", str(args.customers), "--send-sample", str(args.send_sample),
             *(["--profile"] if args.profile else [])],
            env=PG_ENV, check=False,
        ).returncode
    finally:
        if not args.keep_db:
            subprocess.run(["dropdb", db], check=False, env=PG_ENV)


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


def _profiled(enabled: bool, call) -> None:
    if not enabled:
        call()
        return
    profiler = cProfile.Profile()
    profiler.runcall(call)
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(r"l10n_no_dunning|nofaktura|mail_thread.py.*message_post|ir_actions_report|_post\b|create", 30)
    stats.sort_stats("tottime").print_stats(20)


def inside(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ODOO))
    # Odoo is importable only in Odoo's Python, where this function runs
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [f"--addons-path={ODOO / 'addons'},{REPO / 'addons'}", "-d", args.db, *DB_ARGS, "--log-level=warn"],
        setup_logging=True,
    )
    registry = Registry(args.db)
    # Real PDFs when wkhtmltopdf is installed (as on a server); without it, Odoo's HTML fallback of
    # test mode, and the figure then lacks the PDF conversion (printed below).
    real_pdf = bool(shutil.which("wkhtmltopdf"))
    config["test_enable"] = not real_pdf
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        company = env.company
        # a run is dated today only: the benchmark's clock stands on its run day
        type(env["l10n_no.dunning.run"])._l10n_no_dunning_today = lambda run: RUN_DAY
        levels = company._l10n_no_dunning_levels()
        levels.filtered(lambda level: level.kind == "soft_reminder").active = False  # start at the purring

        t0 = time.perf_counter()
        partner = env["res.partner"].create({"name": "Bench customer 0", "email": "c0@example.no"})
        invoice = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": date(2025, 12, 27),
            "invoice_date_due": DUE, "invoice_payment_term_id": False,
            "invoice_line_ids": [(0, 0, {"name": "Service", "quantity": 1, "price_unit": 1000.0, "tax_ids": [(5,)]})],
        })
        invoice.action_post()
        env.flush_all()
        n, c = args.invoices, args.customers
        _clone_sql(cr, "res_partner", replace={
            "name": "'Bench customer ' || g", "complete_name": "'Bench customer ' || g",
            "email": "'c' || g || '@example.no'",
        }, source="res_partner t, generate_series(1, %s) g", where="t.id = %s", params=(c - 1, partner.id))
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench customer %%'")
        cr.execute("SELECT id FROM res_partner WHERE name LIKE 'Bench customer %%' ORDER BY id")
        partner_ids = [row[0] for row in cr.fetchall()]
        invoice_partners = [partner_ids[i % len(partner_ids)] for i in range(n - 1)]
        _clone_sql(cr, "account_move", replace={
            "name": "'BENCH/' || g.n", "payment_reference": "'BENCH/' || g.n",
            "partner_id": "g.p", "commercial_partner_id": "g.p", "sequence_prefix": "'BENCH/'",
            "sequence_number": "g.n",
        }, source="account_move t, unnest(%s::int[], %s::int[]) AS g(n, p)", where="t.id = %s",
            params=(list(range(1, n)), invoice_partners, invoice.id))
        cr.execute("CREATE TEMP TABLE bench_move AS SELECT id, partner_id, name FROM account_move "
                   "WHERE name LIKE 'BENCH/%%'")
        cr.execute("ANALYZE bench_move")
        _clone_sql(cr, "account_move_line", replace={
            "move_id": "m.id", "partner_id": "m.partner_id", "move_name": "m.name",
        }, source="account_move_line t CROSS JOIN bench_move m", where="t.move_id = %s", params=(invoice.id,))
        env.invalidate_all()
        cr.execute("SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'")
        print(f"data: {cr.fetchone()[0]} posted overdue invoices, {len(partner_ids)} customers "
              f"(built in {time.perf_counter() - t0:.1f} s)")

        # --- proposal ---------------------------------------------------------------------------
        run = env["l10n_no.dunning.run"].create({"company_id": company.id, "date": RUN_DAY})
        q0, t0 = cr.sql_log_count, time.perf_counter()
        _profiled(args.profile, lambda: (run.action_propose(), env.flush_all()))
        elapsed, queries = time.perf_counter() - t0, cr.sql_log_count - q0
        letters = run.letter_ids
        items = len(letters.item_ids)
        print(f"propose: {elapsed:.1f} s for {items} invoices -> {len(letters)} letters; "
              f"{items / elapsed:.0f} invoices/s; {queries} queries = {queries / max(items, 1):.3f} per invoice")

        # --- baseline: the library planner alone over the same claims ----------------------------
        moves = env["account.move"].search(env["account.move"]._l10n_no_dunning_overdue_domain(company, RUN_DAY))
        profiler = cProfile.Profile() if args.profile else None
        t0 = time.perf_counter()
        if profiler:
            profiler.enable()
        claims = moves._l10n_no_dunning_claims(company)
        t_map = time.perf_counter() - t0
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(8)
            for label, call in (
                ("payment pending", moves._l10n_no_dunning_payment_pending_ids),
                ("credit", lambda: moves._l10n_no_dunning_credit_by_partner(company, moves.commercial_partner_id.ids)),
                ("history", moves._l10n_no_dunning_history),
            ):
                t1 = time.perf_counter()
                call()
                print(f"  {label}: {time.perf_counter() - t1:.2f} s")
        policy = company._l10n_no_dunning_policy()
        t0 = time.perf_counter()
        decisions = plan(claims, policy, RUN_DAY)
        t_plan = time.perf_counter() - t0
        print(f"baseline: mapping {len(claims)} invoices to library claims {t_map:.1f} s; "
              f"library planner alone {t_plan:.2f} s ({sum(d.ready for d in decisions)} ready)")

        # --- sending a sample ------------------------------------------------------------------
        sample = letters[: args.send_sample]
        rest = letters - sample
        rest.write({"state": "cancel"})
        run.state = "proposed"
        env.flush_all()
        print(f"letters rendered as {'PDF by wkhtmltopdf' if real_pdf else 'HTML (no wkhtmltopdf: no PDF conversion)'}")

        def send(label: str) -> float:
            q0, t0 = cr.sql_log_count, time.perf_counter()
            _profiled(args.profile, lambda: (run.action_confirm(), env.flush_all()))
            elapsed, queries = time.perf_counter() - t0, cr.sql_log_count - q0
            sent = sample.filtered(lambda letter: letter.state == "sent")
            per_letter = elapsed / max(len(sent), 1)
            print(f"send ({label}): {len(sent)} letters (fee invoice posted, PDF, e-mail queued, history) in "
                  f"{elapsed:.1f} s = {per_letter * 1000:.0f} ms and {queries / max(len(sent), 1):.0f} queries per "
                  f"letter; all {len(letters)} letters would take ~{per_letter * len(letters) / 60:.1f} min")
            return per_letter

        cr.execute("SAVEPOINT bench_send")
        batched = send("PDFs rendered together, one wkhtmltopdf per 50 letters")
        if real_pdf:
            # the same sample again, each letter rendered by its own wkhtmltopdf process (as before batching)
            cr.execute("ROLLBACK TO SAVEPOINT bench_send")
            env.invalidate_all()
            letter_class = type(env["l10n_no.dunning.letter"])
            letter_class._l10n_no_dunning_render_pdfs = lambda letters: letters.browse()
            single = send("one wkhtmltopdf per letter")
            print(f"ratio: one wkhtmltopdf per letter / together = {single / batched:.1f}x")
        cr.rollback()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--send-sample", type=int, default=100)
    parser.add_argument("--db")
    parser.add_argument("--template", help="a database to copy first (e.g. one with l10n_no installed)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile the mapping step")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return inside(args) if args.inside else outer(args)


if __name__ == "__main__":
    sys.exit(main())
