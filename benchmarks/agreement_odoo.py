"""Benchmark: N agreements (OCA contracts) invoiced, posted with KID and queued for sending by the
l10n_no_agreement run in a real Odoo 19, beside OCA contract's own invoice creation on a smaller M.

Run with the dev venv and ``ODOO_PATH``/``ODOO_PYTHON`` naming Odoo, as for the addon tests::

    .venv/bin/python benchmarks/agreement_odoo.py [--agreements 10000] [--oca 300]

It finds Odoo, the OCA modules and a database server the way ``tools/run_tests.py`` does (a throw-away
PostgreSQL unless ``PGHOST`` is set), installs ``l10n_no_agreement``, then re-runs itself inside Odoo's
Python (``--inside``) and:

1. makes a Norwegian company with a KID agreement on its bank account, N customers and N monthly
   agreements due today (committed, as a real database holds them);
2. runs the scheduled invoicing run (``_cron_l10n_no_agreement``, batches of 100 committed one by one,
   as under the scheduler): one invoice per agreement, posted (KID) and queued for sending;
3. on M more agreements, times OCA's own ``recurring_create_invoice`` (the agreement's *Create invoices*
   button, one agreement at a time: drafts, not posted), OCA's batched ``_recurring_create_invoice`` over
   all M (its scheduled job's fast path: drafts) and those drafts posted, and our run over M again.

Printed: wall time and SQL queries per invoice, RSS at the start, after each tenth of the run and at
the end (memory must stay flat: each batch is committed and the cache cleared), and the ratios. Issue 15
target: 10,000 in under 10 minutes. Figures are printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def outer(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(REPO / "tools"))
    import run_tests  # noqa: PLC0415  (the runner's own way to find Odoo, OCA and PostgreSQL)

    setup, reason = run_tests.find_odoo()
    if setup is None:
        sys.exit(reason)
    with run_tests.database_server() as db:
        options = [
            f"--addons-path={','.join(setup.addons_path)}",
            "-d",
            "agreement_bench",
            f"--db_host={db['db_host']}",
            f"--db_port={db['db_port']}",
            f"--db_user={db['db_user']}",
            f"--db_password={db['db_password']}",
        ]
        started = time.perf_counter()
        subprocess.run(
            [*setup.command, *options, "-i", "l10n_no_agreement", "--stop-after-init", "--log-level=warn",
             "--no-http", "--without-demo=True"],
            check=True,
            env=setup.env,
        )  # fmt: skip
        print(f"install l10n_no_agreement: {time.perf_counter() - started:.0f} s", flush=True)
        return subprocess.run(
            [setup.python, __file__, "--inside", "--agreements", str(args.agreements), "--oca", str(args.oca),
             "--", *options],
            env=setup.env,
            check=False,
        ).returncode  # fmt: skip


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def inside(args: argparse.Namespace, odoo_options: list[str]) -> int:
    import odoo.init  # noqa: F401, PLC0415 - Odoo's own start-up (patches, gc settings)
    from odoo import Command, api  # noqa: PLC0415  (importable only in Odoo's Python)
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    from nofaktura import kid as nkid  # noqa: PLC0415

    config.parse_config([*odoo_options, "--log-level=warn"], setup_logging=True)
    config["skip_auto_install"] = True
    registry = Registry(config["db_name"][0] if isinstance(config["db_name"], list) else config["db_name"])
    today = date.today()
    start = today.replace(day=1)
    n, m = args.agreements, args.oca

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        company = (
            env["res.company"]
            .with_context(chart_template_load=True)
            .create({"name": "Avtale AS", "country_id": env.ref("base.no").id, "currency_id": env.ref("base.NOK").id})
        )
        env.ref("base.NOK").active = True
        env.user.company_ids |= company
        env = env(context={"allowed_company_ids": [company.id]})
        env["account.chart.template"].try_loading("no", company=company, install_demo=False)
        bank_journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
        bank_journal.bank_account_id = env["res.partner.bank"].create(
            {"acc_number": "86011117947", "partner_id": company.partner_id.id}
        )
        bank_journal.write({"l10n_no_kid_enabled": True, "l10n_no_kid_algorithm": "mod10", "l10n_no_kid_length": 15,
                            "l10n_no_kid_customer_digits": 5, "l10n_no_kid_invoice_digits": 9})  # fmt: skip
        product = env["product.product"].create({"name": "Leie", "type": "service", "list_price": 1000.0})
        company_id = company.id

        def make_agreements(count, prefix):
            made = env["contract.contract"]
            for first in range(0, count, 1000):
                size = min(1000, count - first)
                partners = env["res.partner"].create([
                    {"name": f"{prefix} {first + i} AS", "is_company": True, "email": f"k{first + i}@example.no",
                     "country_id": env.ref("base.no").id} for i in range(size)
                ])  # fmt: skip
                made |= env["contract.contract"].create([{
                    "name": f"Avtale {p.name}", "partner_id": p.id, "company_id": company_id,
                    "contract_type": "sale", "date_start": start,
                    "contract_line_ids": [Command.create({
                        "product_id": product.id, "name": "Leie #START# - #END#", "quantity": 1.0,
                        "price_unit": 1000.0 + (first + i) % 500, "date_start": start,
                        "recurring_rule_type": "monthly", "recurring_interval": 1,
                        "recurring_invoicing_type": "pre-paid",
                    })],
                } for i, p in enumerate(partners)])  # fmt: skip
                env.cr.commit()
                env.invalidate_all()
            return made

        t0 = time.perf_counter()
        make_agreements(n, "Kunde")
        # The OCA comparison set waits (next date next month) until its turn.
        oca_set = make_agreements(m, "Sammenlign")
        oca_set.contract_line_ids.write({"recurring_next_date": date(today.year + 1, 1, 1)})
        cr.commit()
        print(f"setup: {n} + {m} agreements in {time.perf_counter() - t0:.0f} s", flush=True)

        # --- our run over N, as the scheduler runs it (commit per batch) -------------------------------
        cron = env.ref("l10n_no_agreement.ir_cron_l10n_no_agreement_invoice")
        Cron = type(env["ir.cron"])
        original_commit = Cron._commit_progress
        samples = []
        step = max(1, n // 1000)  # batches of 100: one sample per tenth of the run

        def commit_progress(self, processed=0, **kwargs):
            result = original_commit(self, processed, **kwargs)
            samples.append(_rss_mb())
            return result

        Cron._commit_progress = commit_progress
        env.invalidate_all()
        rss_start = _rss_mb()
        queries = cr.sql_log_count
        t0 = time.perf_counter()
        env["l10n_no.agreement.run"].with_context(cron_id=cron.id)._cron_l10n_no_agreement()
        wall = time.perf_counter() - t0
        queries = cr.sql_log_count - queries
        rss_end = _rss_mb()
        Cron._commit_progress = original_commit
        cr.commit()
        run = env["l10n_no.agreement.run"].search([("company_id", "=", company_id)], limit=1)
        invoices = env["account.move"].search([("l10n_no_agreement_run_id", "=", run.id)])
        kids = sum(1 for move in invoices if move.state == "posted" and nkid.is_valid(move.payment_reference, "mod10"))
        queued = len(invoices.filtered("sending_data"))
        per = run.invoice_count or 1
        print(
            f"our run: {run.contract_count} agreements, {run.invoice_count} invoices posted "
            f"({kids} with a valid KID, {queued} queued for sending), {run.failure_count} failures"
        )
        print(f"  {wall:.1f} s in all, {wall * 1000 / per:.1f} ms and {queries / per:.0f} SQL queries per invoice")
        tenths = samples[:: max(1, len(samples) // 10)] if step else samples
        during = ", ".join(f"{x:.0f}" for x in tenths)
        print(f"  RSS: start {rss_start:.0f} MB, during {during} MB, end {rss_end:.0f} MB")
        invoices = None
        env.invalidate_all()

        # --- OCA's own creation over M, beside ours over M ---------------------------------------------
        def reset_oca_set():
            oca_set.contract_line_ids.write({"recurring_next_date": start, "last_date_invoiced": False})
            cr.commit()
            env.invalidate_all()

        reset_oca_set()
        contracts = env["contract.contract"].browse(oca_set.ids)
        t0, q0 = time.perf_counter(), cr.sql_log_count
        button = env["account.move"]
        for contract in contracts:
            button |= contract.recurring_create_invoice()
        env.flush_all()
        oca_button = (time.perf_counter() - t0) / max(1, len(button)), (cr.sql_log_count - q0) / max(1, len(button))
        cr.rollback()
        env.invalidate_all()

        reset_oca_set()
        contracts = env["contract.contract"].browse(oca_set.ids)
        t0, q0 = time.perf_counter(), cr.sql_log_count
        drafts = contracts._recurring_create_invoice()
        env.flush_all()
        oca_batch_wall, oca_batch_q = time.perf_counter() - t0, cr.sql_log_count - q0
        t0, q0 = time.perf_counter(), cr.sql_log_count
        drafts.action_post()
        env.flush_all()
        post_wall, post_q = time.perf_counter() - t0, cr.sql_log_count - q0
        count = max(1, len(drafts))
        cr.rollback()
        env.invalidate_all()

        reset_oca_set()
        t0, q0 = time.perf_counter(), cr.sql_log_count
        run_m = env["l10n_no.agreement.run"]._l10n_no_agreement_start(company, "manual")
        run_m._l10n_no_agreement_execute(only=env["contract.contract"].browse(oca_set.ids))
        env.flush_all()
        made = max(1, run_m.invoice_count)
        ours_m = (time.perf_counter() - t0) / made, (cr.sql_log_count - q0) / made
        cr.rollback()

        rows = [
            ("OCA recurring_create_invoice (button, one by one; drafts)", oca_button),
            ("OCA _recurring_create_invoice (batched; drafts)", (oca_batch_wall / count, oca_batch_q / count)),
            ("OCA batched drafts + action_post (KID)",
             ((oca_batch_wall + post_wall) / count, (oca_batch_q + post_q) / count)),
            ("l10n_no_agreement run (savepoint per batch; posted, queued)", ours_m),
        ]  # fmt: skip
        print(f"comparison over M = {m} agreements (per invoice):")
        for label, (seconds, q) in rows:
            print(f"  {label:58} {seconds * 1000:7.1f} ms {q:6.0f} queries")
        print(
            f"  ratio ours / OCA button: {ours_m[0] / oca_button[0]:.2f}; "
            f"ours / OCA batched + post: {ours_m[0] * count / (oca_batch_wall + post_wall):.2f}"
        )
        print(f"  10,000 agreements by our run at the N-run rate: {wall / per * 10000 / 60:.1f} min (target < 10 min)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=10000)
    parser.add_argument("--oca", type=int, default=300, help="agreements for the comparison with OCA's own creation")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.inside:
        return inside(args, [a for a in rest if a != "--"])
    return outer(args)


if __name__ == "__main__":
    sys.exit(main())
