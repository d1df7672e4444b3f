"""N approved vendor bills into one Norwegian payment order and its pain.001, in a real Odoo 19 database.

Run with Odoo's Python, ``ODOO_PATH`` naming the Odoo source tree, ``OCA_ADDONS`` the folder holding the
OCA modules of ``addons/oca-requirements.txt`` (default: the test runner's ``.work/oca/*/odoo/addons``)
and the standard ``PG*`` variables naming the database server::

    ODOO_PATH=... PGHOST=... PGUSER=... $ODOO_PYTHON benchmarks/payment_order_odoo.py --db pay_bench --create -n 10000

It creates a Norwegian company, N vendors with trusted bank accounts and N posted bills (60 % with KID,
the rest with the vendor's invoice number), then times each step of the payment run: the proposal
(order lines + left-out list), confirmation (OCA creates one payment per bill), the four-eyes approval
and the file (library pain.001), and checks the file against the pain.001 XSD of the shared corpora.
Everything is rolled back at the end. Issue 13: "10,000 approved bills into one order and its pain.001".
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _odoo_env import REPO, addons_path, db_args, odoo_path

ODOO = str(odoo_path())
OCA = os.environ.get("OCA_ADDONS") or next(iter(sorted(glob.glob(str(REPO / ".work/oca/*/odoo/addons")))), "")
ADDONS = f"{addons_path()},{OCA}" if OCA else addons_path()
DB_ARGS = db_args()
XSD = REPO.parent / "shared/corpora/iso20022/python-sepaxml/sepaxml/schemas/pain.001.001.03.xsd"


def create_db(db: str) -> None:
    subprocess.run(["createdb", db], check=True)
    subprocess.run([sys.executable, f"{ODOO}/odoo-bin", f"--addons-path={ADDONS}", "-d", db, *DB_ARGS,
                    "-i", "l10n_no_payment_order", "--stop-after-init", "--http-interface=127.0.0.1",
                    "--http-port=0", "--log-level=warn"], check=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--create", action="store_true", help="create the database and install the addon")
    parser.add_argument("-n", type=int, default=10_000, help="number of bills (default 10,000)")
    args = parser.parse_args()
    if args.create:
        create_db(args.db)
    sys.path.insert(0, ODOO)
    import odoo.init  # noqa: F401, PLC0415
    from lxml import etree  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.fields import Command  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    from nofaktura.kid import mod10  # noqa: PLC0415

    config.parse_config(["-d", args.db, f"--addons-path={ADDONS}", *DB_ARGS])
    config["skip_auto_install"] = True
    n = args.n
    with Registry(args.db).cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        company = env["res.company"].with_context(chart_template_load=True).create(
            {"name": "Betaler AS", "country_id": env.ref("base.no").id, "currency_id": env.ref("base.NOK").id,
             "company_registry": "988077917"})  # fmt: skip
        env.ref("base.NOK").active = True
        env.user.company_ids |= company
        env = env(context={"allowed_company_ids": [company.id], "tracking_disable": True, "mail_notrack": True,
                           "mail_create_nolog": True})  # fmt: skip
        env["account.chart.template"].try_loading("no", company=company, install_demo=False)
        bank = env["res.bank"].create({"name": "DNB", "bic": "DNBANOKK"})
        own = env["res.partner.bank"].create({"acc_number": "86011117947", "partner_id": company.partner_id.id,
                                              "bank_id": bank.id})
        journal = env["account.journal"].create({"name": "Bank", "code": "BNK9", "type": "bank",
                                                 "bank_account_id": own.id})
        mode = env["account.payment.mode"].create({
            "name": "Norwegian credit transfer", "company_id": company.id, "payment_order_ok": True,
            "payment_method_id": env.ref("l10n_no_payment_order.payment_method_no_credit_transfer").id,
            "bank_account_link": "fixed", "fixed_journal_id": journal.id, "group_lines": True,
            "l10n_no_proposal_days": 30,
        })  # fmt: skip
        groups = [env.ref(x).id for x in ("account.group_account_manager", "account.group_account_user",
                                          "account_payment_order.group_account_payment")]
        maker, approver = env["res.users"].create([
            {"name": name, "login": f"bench_{name}", "company_id": company.id,
             "company_ids": [Command.set(company.ids)], "group_ids": [Command.set(groups)]}
            for name in ("maker", "approver")])  # fmt: skip
        t0 = time.perf_counter()
        vendors = env["res.partner"].create([{"name": f"Leverandør {i} AS", "is_company": True,
                                              "country_id": env.ref("base.no").id} for i in range(n)])
        accounts = []
        for i in range(n):
            base = f"1503{i:06d}"
            check = (11 - sum(w * int(d) for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), base, strict=True)) % 11) % 11
            accounts.append(base + str(check) if check != 10 else None)
        banks = env["res.partner.bank"].create([
            {"acc_number": acc or "15035684279", "partner_id": vendors[i].id, "allow_out_payment": True}
            for i, acc in enumerate(accounts)])  # fmt: skip
        purchase = env["account.journal"].search([("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1)
        bills = env["account.move"]
        for start in range(0, n, 500):
            batch = env["account.move"].create([
                {"move_type": "in_invoice", "partner_id": vendors[i].id, "partner_bank_id": banks[i].id,
                 "journal_id": purchase.id, "invoice_date": "2026-12-01", "invoice_date_due": "2026-12-20",
                 "payment_reference": mod10.make(f"{i:09d}") if i % 10 < 6 else False, "ref": f"F-{i}",
                 "invoice_line_ids": [Command.create({"name": "Varer", "quantity": 1, "price_unit": 100 + i % 900,
                                                      "tax_ids": [Command.clear()]})]}
                for i in range(start, min(n, start + 500))])  # fmt: skip
            batch.action_post()
            bills |= batch
            print(f"  bills posted: {len(bills)}/{n} ({time.perf_counter() - t0:.0f} s)", flush=True)
        print(f"setup: {n} vendors and posted bills in {time.perf_counter() - t0:.0f} s")
        env.invalidate_all()
        figures = {}

        def step(name, func):
            queries, wall, cpu = cr.sql_log_count, time.perf_counter(), time.process_time()
            result = func()
            env.flush_all()
            figures[name] = (time.perf_counter() - wall, time.process_time() - cpu, cr.sql_log_count - queries)
            return result

        order = step("create + propose", lambda: env["account.payment.order"].with_user(maker).create(
            {"payment_mode_id": mode.id, "payment_type": "outbound"}).action_l10n_no_propose() and None)
        order = env["account.payment.order"].search([("payment_mode_id", "=", mode.id)], limit=1)
        step("confirm (payments)", lambda: order.with_user(maker).draft2open())
        step("approve (4 eyes)", lambda: order.with_user(approver).action_l10n_no_approve())
        step("pain.001 file", lambda: order.with_user(maker).open2generated())
        data = order._l10n_no_file()
        schema = etree.XMLSchema(etree.parse(str(XSD))) if Path(XSD).is_file() else None
        valid = schema.validate(etree.fromstring(data)) if schema else None
        print(f"\nN = {n:,} bills: {len(order.payment_line_ids):,} lines, {len(order.payment_ids):,} payments, "
              f"{len(order.l10n_no_leftout_ids)} left out; file {len(data) / 1e6:.1f} MB, "
              f"XSD {'valid' if valid else 'NOT valid' if schema else 'not checked (no corpora)'}")
        total = 0.0
        for name, (wall, cpu, queries) in figures.items():
            total += wall
            print(f"  {name:<20} wall {wall:7.1f} s  cpu {cpu:7.1f} s  {queries:7d} queries "
                  f"({wall / n * 1000:.1f} ms/bill)")
        print(f"  {'total':<20} wall {total:7.1f} s")
        cr.rollback()


if __name__ == "__main__":
    main()
