"""Benchmark: 1,000 received vendor bills sent round for approval in a real Odoo 19 (l10n_no_approval).

Run with the dev venv and ``ODOO_PATH``/``ODOO_PYTHON`` naming Odoo, as for the addon tests:
``.venv/bin/python benchmarks/approval_odoo.py [--bills 1000] [--approve 200]``. It finds Odoo, the
OCA modules and a database server the way ``tools/run_tests.py`` does (a throw-away PostgreSQL
unless ``PGHOST`` is set), installs ``l10n_no_approval`` (and ``l10n_no_coding`` when it is in
``addons/``, so bills are coded on creation and its attestant routes the attest step), then re-runs
itself inside Odoo's Python (``--inside``) to time, per bill:

1. creating the bill through the ORM as a billing clerk (with default coding when installed);
2. sending it round (``request_validation``: the library's route, one review per step, reviewers,
   an activity per person who may act, the chatter);
3. approving ``--approve`` bills step by step as the attestant and the anviser (the library's check,
   the review, the next step's reviewers and activities);

beside the library alone routing the same bills (``route`` + ``actors`` on every step), so the
ratio shows what the ORM around it costs. Figures are printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def outer(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(REPO / "tools"))
    import run_tests  # noqa: PLC0415  (the runner's own way to find Odoo, OCA and PostgreSQL)

    setup, reason = run_tests.find_odoo()
    if setup is None:
        sys.exit(reason)
    modules = ["l10n_no_approval"]
    if (REPO / "addons" / "l10n_no_coding" / "__manifest__.py").is_file():
        modules.append("l10n_no_coding")
    with run_tests.database_server() as db:
        options = [
            f"--addons-path={','.join(setup.addons_path)}",
            "-d",
            "approval_bench",
            f"--db_host={db['db_host']}",
            f"--db_port={db['db_port']}",
            f"--db_user={db['db_user']}",
            f"--db_password={db['db_password']}",
        ]
        started = time.perf_counter()
        subprocess.run(
            [
                *setup.command,
                *options,
                "-i",
                ",".join(modules),
                "--stop-after-init",
                "--log-level=warn",
                "--no-http",
                "--without-demo=True",
            ],
            check=True,
            env=setup.env,
        )
        print(f"install {', '.join(modules)}: {time.perf_counter() - started:.0f} s")
        return subprocess.run(
            [
                setup.python,
                __file__,
                "--inside",
                "--bills",
                str(args.bills),
                "--approve",
                str(args.approve),
                *(["--profile"] if args.profile else []),
                "--",
                *options,
            ],
            env=setup.env,
            check=False,
        ).returncode


def _clock(call):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def inside(args: argparse.Namespace, odoo_options: list[str]) -> int:
    from odoo import Command, api  # noqa: PLC0415  (importable only in Odoo's Python)
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    from nofaktura.approval import actors, next_step, route  # noqa: PLC0415

    config.parse_config([*odoo_options, "--log-level=warn"], setup_logging=True)
    registry = Registry(config["db_name"][0] if isinstance(config["db_name"], list) else config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        company = env.company
        approver = env.ref("l10n_no_approval.group_l10n_no_approver")
        billing = env.ref("account.group_account_invoice")

        def user(login, group):
            return env["res.users"].create(
                {"name": login.title(), "login": login, "group_ids": [Command.set(group.ids)]}
            )

        clerk = user("clerk", billing)
        attestants = [user(f"attestant{i}", approver) for i in range(3)]
        anvisers = [user(f"anviser{i}", approver) for i in range(3)]
        cfo = user("cfo", approver)
        matrix = env["l10n.no.approval.matrix"].create({"name": "Bench", "company_id": company.id})
        matrix.action_add_amount_band()
        matrix.write(
            {
                "authority_ids": [Command.create({"user_id": u.id, "role": "attest"}) for u in attestants]
                + [Command.create({"user_id": u.id, "role": "anvis", "limit_amount": 200000}) for u in anvisers]
                + [Command.create({"user_id": cfo.id, "role": "anvis", "level": 2})]
            }
        )
        vendors = env["res.partner"].create([{"name": f"Leverandør {i} AS", "is_company": True} for i in range(20)])
        matrix.write(
            {
                "attestant_rule_ids": [
                    Command.create({"kind": "vendor", "partner_id": v.id, "user_id": attestants[i % 3].id})
                    for i, v in enumerate(vendors[:10])
                ]
            }
        )
        coding = "l10n_no.coding.rule" in env
        if coding:  # vendor rules naming the attestant for the other ten vendors
            env["l10n_no.coding.rule"].create([
                {"rule_type": "vendor", "partner_id": v.id, "attestant_id": attestants[i % 3].id}
                for i, v in enumerate(vendors[10:])
            ])
        env.flush_all()
        values = [{
            "move_type": "in_invoice", "partner_id": vendors[i % 20].id, "invoice_date": "2026-12-01",
            "invoice_line_ids": [Command.create({
                "name": f"Vare {i}", "quantity": 1, "price_unit": 500.0 + (i * 997) % 150000,
                "tax_ids": [Command.clear()],
            })],
        } for i in range(args.bills)]  # fmt: skip
        bills, wall_create, cpu_create = _clock(
            lambda: env["account.move"].with_user(clerk).create(values).with_user(clerk)
        )
        env.flush_all()
        if args.profile:
            import cProfile  # noqa: PLC0415
            import pstats  # noqa: PLC0415

            profiler = cProfile.Profile()
            profiler.runcall(lambda: (bills[:100].request_validation(), env.flush_all()))
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            bills = bills[100:]
        _, wall_route, cpu_route = _clock(lambda: (bills.request_validation(), env.flush_all()))
        reviews = env["tier.review"].search_count([("model", "=", "account.move"), ("res_id", "in", bills.ids)])

        # the library alone, over the same bills and matrix
        contexts = [bill._l10n_no_context() for bill in bills]

        def library_only():
            for ctx in contexts:
                steps = route(ctx.matrix, ctx.bill)
                acted = {}
                while (index := next_step(steps, acted)) is not None:
                    now = actors(ctx.matrix, ctx.bill, steps, index, acted=acted, today=ctx.today)
                    if not now.persons:
                        break
                    acted[index] = min(now.persons)

        _, wall_lib, _cpu = _clock(library_only)

        sample = bills[: args.approve]

        def approve_all():
            count = 0
            for bill in sample:
                for _step in range(3):
                    current = bill.sudo().review_ids.filtered(lambda r: r.status == "pending")[:1]
                    if not current or not current.reviewer_ids:
                        break
                    bill.with_user(current.reviewer_ids[0]).validate_tier()
                    count += 1
            env.flush_all()
            return count

        approvals, wall_approve, cpu_approve = _clock(approve_all)
        approved = sum(1 for bill in sample if bill.l10n_no_approved)
        n = len(bills)
        print(f"{n} vendor bills{' (coded by l10n_no_coding)' if coding else ''}, {reviews} reviews")
        for label, wall, cpu in (("create as clerk", wall_create, cpu_create),
                                 ("send round for approval", wall_route, cpu_route)):  # fmt: skip
            print(f"  {label + ':':26}{wall * 1000 / n:7.2f} ms wall, {cpu * 1000 / n:7.2f} ms CPU per bill")
        print(
            f"  library alone (route + every step): {wall_lib * 1000 / n:.3f} ms per bill "
            f"(Odoo's send-round is {wall_route / wall_lib:.0f}x that)"
        )
        if approvals:
            print(
                f"  approve one step:         {wall_approve * 1000 / approvals:7.2f} ms wall, "
                f"{cpu_approve * 1000 / approvals:7.2f} ms CPU per approval ({approvals} approvals, "
                f"{approved} of {len(sample)} bills fully approved)"
            )
        cr.rollback()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=1000)
    parser.add_argument("--approve", type=int, default=200, help="how many bills to approve step by step")
    parser.add_argument("--profile", action="store_true", help="profile sending 100 bills round first")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.inside:
        return inside(args, [a for a in rest if a != "--"])
    return outer(args)


if __name__ == "__main__":
    sys.exit(main())
