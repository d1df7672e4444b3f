"""Time default coding of 1,000 received vendor bills in Odoo, per bill, against bills no rule codes.

Run with Odoo's Python against a database where ``l10n_no_coding`` is installed (everything happens in
one transaction that is rolled back, so the database is left as it was)::

    PYTHONPATH=$ODOO_PATH $ODOO_PYTHON benchmarks/coding_odoo.py -d <db> --addons-path=$ODOO_PATH/addons,addons

(the database server comes from the standard ``PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD``, read by
``_odoo_env.db_args`` like every Odoo benchmark)

It creates a company with Odoo's generic chart, 50 vendors with a vendor rule (account, department,
attestant), 20 products with a product rule (account, tax), and then creates N bills of three lines the
way an import does (lines with the vendor's taxes, ``is_imported``), in two passes on the same machine:

A. bills of vendors and products without any rule: Odoo's own bill creation plus our rule look-up that
   finds nothing (Odoo's distribution models are consulted in both passes);
B. bills of vendors with rules and products with rules: every line coded (account, tax, distribution,
   attestant).

The passes alternate (A, B, A, B, ... ``--rounds`` times) so a change of machine load hits both alike; the
best round of each counts. It prints the time per bill of each pass and B/A, and the library's resolution
alone per line. Tests never assert on time; this script only prints.
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal

import odoo
import odoo.init  # sets the odoo namespace up (what odoo-bin does)
from odoo import Command
from odoo.modules.registry import Registry
from odoo.tools import config

from _odoo_env import db_args
from nofaktura.coding import BillLine, CodingRule, code_line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--addons-path", required=True, help="Odoo's addons folder and this repository's addons/")
    args = parser.parse_args()

    config.parse_config([f"--addons-path={args.addons_path}", *db_args(), "--log-level=warn"])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            env, data = _setup(env)
            # warm-up: caches, lazy imports
            _create_bills(env, data, "ruled", 20)
            _create_bills(env, data, "plain", 20)
            plain_times, coded_times = [], []
            for _round in range(args.rounds):
                env.invalidate_all()
                seconds, plain = _timed(lambda: _create_bills(env, data, "plain", args.count))
                plain_times.append(seconds)
                env.invalidate_all()
                seconds, coded = _timed(lambda: _create_bills(env, data, "ruled", args.count))
                coded_times.append(seconds)
            t_plain, t_coded = min(plain_times), min(coded_times)
            lines = coded.invoice_line_ids
            sources = {
                source: len(lines.filtered(lambda line, s=source: line.l10n_no_coding_source == s))
                for source in set(lines.mapped("l10n_no_coding_source"))
            }
            with_attestant = len(coded.filtered("l10n_no_attestant_id"))
            per_plain = t_plain / args.count * 1000
            per_coded = t_coded / args.count * 1000
            print(
                f"bills: {args.count} per pass, 3 lines each, created as an import creates them; "
                f"rounds: {args.rounds}, best round counts"
            )
            print(
                f"A. no rule applies:          {t_plain:7.2f} s  {per_plain:6.1f} ms/bill  "
                f"(rounds {', '.join(f'{t:.1f}' for t in plain_times)}; "
                f"sources {sorted(set(plain.invoice_line_ids.mapped('l10n_no_coding_source')))})"
            )
            print(
                f"B. coded by product+vendor:  {t_coded:7.2f} s  {per_coded:6.1f} ms/bill  "
                f"(rounds {', '.join(f'{t:.1f}' for t in coded_times)}; lines by source "
                f"{dict(sorted(sources.items()))}, bills with attestant {with_attestant})"
            )
            print(f"   B / A: {t_coded / t_plain:.2f}  (coding adds {per_coded - per_plain:+.1f} ms per bill)")
            _library(args.count * 3)
        finally:
            cr.rollback()
    return 0


def _library(count: int) -> None:
    """The pure resolution (nofaktura.coding) alone, for the same number of lines."""
    products = {f"p{i}": CodingRule(f"Product rule {i}", account="6800", taxes=("t25",)) for i in range(20)}
    vendors = {
        f"v{i}": CodingRule(
            f"Vendor rule {i}", account="6540", distribution={"d1": Decimal(60), "d2": Decimal(40)}, attestant="u1"
        )
        for i in range(50)
    }
    lines = [BillLine(f"line {n}", Decimal("100.00"), product=f"p{n % 25}", vendor=f"v{n % 60}") for n in range(count)]
    seconds, _ = _timed(lambda: [code_line(line, products, vendors) for line in lines])
    print(f"C. library resolution alone: {seconds:7.3f} s for {count} lines  {seconds / count * 1e6:6.1f} µs/line")


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _create_bills(env, data, kind, count):
    vendors, products = data[f"{kind}_vendors"], data[f"{kind}_products"]
    return env["account.move"].create(
        [
            {
                "move_type": "in_invoice",
                "partner_id": vendors[n % len(vendors)].id,
                "invoice_date": "2026-11-30",
                "ref": f"B-{kind}-{n}-{time.monotonic_ns()}",
                "company_id": data["company"].id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1 + (n % 3),
                            "price_unit": 100.0 + n % 7,
                            "tax_ids": [Command.set(data["tax"].ids)],
                            "is_imported": True,
                        }
                    )
                    for product in (products[n % 20], products[(n + 7) % 20], data["unruled_product"])
                ],
            }
            for n in range(count)
        ]
    )


def _setup(env):
    company = env["res.company"].with_context(chart_template_load=True).create({"name": "Benchmark Kjøper AS"})
    env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    env = env(context={"allowed_company_ids": [company.id]})
    company = company.with_env(env)
    tax = env["account.tax"].search([("company_id", "=", company.id), ("type_tax_use", "=", "purchase")], limit=1)
    expense = env["account.account"].search(
        [("company_ids", "in", company.ids), ("account_type", "=", "expense")], limit=2
    )
    plan = env["account.analytic.plan"].create({"name": "Department"})
    departments = env["account.analytic.account"].create(
        [{"name": f"Department {i}", "plan_id": plan.id, "company_id": company.id} for i in range(5)]
    )
    attestant = env["res.users"].create(
        {
            "name": "Attestant",
            "login": f"bench_attestant_{time.monotonic_ns()}",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
        }
    )
    ruled = env["res.partner"].create([{"name": f"Vendor {i}", "is_company": True} for i in range(50)])
    plain = env["res.partner"].create([{"name": f"Plain vendor {i}", "is_company": True} for i in range(50)])
    products = env["product.product"].create([{"name": f"Product {i}"} for i in range(20)])
    plain_products = env["product.product"].create([{"name": f"Plain product {i}"} for i in range(20)])
    unruled = env["product.product"].create({"name": "Product without rule"})
    Rule = env["l10n_no.coding.rule"]
    Rule.create(
        [
            {
                "rule_type": "vendor",
                "partner_id": vendor.id,
                "account_id": expense[0].id,
                "attestant_id": attestant.id,
                "analytic_distribution": {str(departments[i % 5].id): 60, str(departments[(i + 1) % 5].id): 40},
            }
            for i, vendor in enumerate(ruled)
        ]
    )
    Rule.create(
        [
            {
                "rule_type": "product",
                "product_id": product.id,
                "account_id": expense[-1].id,
                "tax_ids": [Command.set(tax.ids)],
            }
            for product in products
        ]
    )
    print(f"set-up: {company.name}, {len(ruled)} vendor rules, {len(products)} product rules", file=sys.stderr)
    return env, {
        "company": company,
        "tax": tax,
        "ruled_products": products,
        "plain_products": plain_products,
        "unruled_product": unruled,
        "ruled_vendors": ruled,
        "plain_vendors": plain,
    }


if __name__ == "__main__":
    sys.exit(main())
