"""Measure what our EHF check adds to Odoo's Peppol BIS 3 export, for 1,000 posted invoices.

Run with Odoo's Python against a database where ``l10n_no_ehf`` is installed (everything happens in
one transaction that is rolled back, so the database is left as it was)::

    PYTHONPATH=$ODOO_PATH $ODOO_PYTHON benchmarks/ehf_odoo.py -d <db> --addons-path=$ODOO_PATH/addons,addons

(the database server comes from the standard ``PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD``, read by
``_odoo_env.db_args`` like every Odoo benchmark)

It creates a Norwegian company (chart ``no``), a customer and N posted invoices of three lines, then
times, in the same run and on the same invoices:

1. Odoo's generation alone: ``account.edi.xml.ubl_bis3._export_invoice`` for every invoice;
2. generation plus our check: the same, then ``nofaktura.ehf.validation.validate`` on each XML.

Each pass runs ``--rounds`` times (after a warm-up) and the best round counts. The target of the issue
is an overhead of at most 30 %. Tests never assert on time; this script only prints.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import odoo
import odoo.init  # sets the odoo namespace up (what odoo-bin does)
from odoo import Command
from odoo.modules.registry import Registry
from odoo.tools import config

from _odoo_env import db_args
from nofaktura.ehf.validation import validate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--addons-path", required=True, help="Odoo's addons folder and this repository's addons/")
    args = parser.parse_args()

    config.parse_config([f"--addons-path={args.addons_path}", *db_args(), "--log-level=warn"])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            moves = _setup(env, args.count)
            builder = env["account.edi.xml.ubl_bis3"]
            for move in moves[:20]:  # warm-up: caches, lazy imports, rule compilation
                validate(builder._export_invoice(move)[0])

            def generate_only():
                for move in moves:
                    builder._export_invoice(move)

            fatal_count = 0
            split = {"generate": 0.0, "check": 0.0}

            def generate_and_check():
                # Both timed per invoice, interleaved, so a change of machine load hits both alike.
                nonlocal fatal_count
                fatal_count = 0
                split["generate"] = split["check"] = 0.0
                for move in moves:
                    t0 = time.perf_counter()
                    xml, _errors = builder._export_invoice(move)
                    t1 = time.perf_counter()
                    if not validate(xml).valid:
                        fatal_count += 1
                    split["generate"] += t1 - t0
                    split["check"] += time.perf_counter() - t1

            gen, both, ratios = [], [], []
            for _round in range(args.rounds):
                env.invalidate_all()
                gen.append(_timed(generate_only))
                env.invalidate_all()
                both.append(_timed(generate_and_check))
                ratios.append(split["check"] / split["generate"] * 100)
            best_gen, best_both = min(gen), min(both)
            overhead = (best_both - best_gen) / best_gen * 100
            median_overhead = (statistics.median(both) - statistics.median(gen)) / statistics.median(gen) * 100
            print(f"invoices: {len(moves)} posted, 3 lines each; rounds: {args.rounds}")
            print(f"A. Odoo BIS 3 generation alone:  best {best_gen:7.2f} s ({len(moves) / best_gen:6.1f} invoices/s)"
                  f"  rounds {', '.join(f'{t:.2f}' for t in gen)}")
            print(f"B. generation + nofaktura check: best {best_both:7.2f} s ({len(moves) / best_both:6.1f} invoices/s)"
                  f"  rounds {', '.join(f'{t:.2f}' for t in both)}")
            print(f"   B vs A: {overhead:+.1f} % (best rounds), {median_overhead:+.1f} % (median rounds)")
            print(f"   inside B, check time / generation time per round: {', '.join(f'{r:.1f} %' for r in ratios)}"
                  f"  (median {statistics.median(ratios):.1f} %; target <= 30 %)")
            print(f"invoices with a fatal finding: {fatal_count}")
        finally:
            cr.rollback()
    return 0


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _setup(env, count):
    norway = env.ref("base.no")
    # chart_template_load: no automatic install of other localisation modules (e.g. account_peppol)
    company = env["res.company"].with_context(chart_template_load=True).create({
        "name": "Benchmark Selger AS", "country_id": norway.id, "currency_id": norway.currency_id.id,
        "vat": "NO988077917MVA", "street": "Storgata 1", "zip": "0150", "city": "Oslo",
    })
    company.partner_id.l10n_no_bronnoysund_number = "988077917"
    env["account.chart.template"].try_loading("no", company=company, install_demo=False)
    env = env(context={"allowed_company_ids": [company.id]})
    company = company.with_env(env)
    bank = env["res.partner.bank"].create({"acc_number": "86011117947", "partner_id": company.partner_id.id})
    customer = env["res.partner"].create({
        "name": "Kunde AS", "is_company": True, "vat": "NO974760673MVA", "l10n_no_bronnoysund_number": "974760673",
        "street": "Kundeveien 2", "zip": "5003", "city": "Bergen", "country_id": norway.id,
    })
    tax = env["account.tax"].search([
        ("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 25.0),
    ], limit=1)
    products = env["product.product"].create([
        {"name": f"Vare {i}", "lst_price": 100.0 * (i + 1), "taxes_id": [Command.set(tax.ids)]} for i in range(3)
    ])
    moves = env["account.move"].create([
        {
            "move_type": "out_invoice", "partner_id": customer.id, "invoice_date": "2026-03-01",
            "partner_bank_id": bank.id, "ref": f"Ordre {n}", "company_id": company.id,
            "invoice_line_ids": [
                Command.create({"product_id": p.id, "quantity": 1 + (n % 5), "price_unit": p.lst_price,
                                "tax_ids": [Command.set(tax.ids)]})
                for p in products
            ],
        }
        for n in range(count)
    ])
    moves.action_post()
    print(f"set-up: {count} invoices posted for {company.name}", file=sys.stderr)
    return moves


if __name__ == "__main__":
    sys.exit(main())
