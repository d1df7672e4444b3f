"""10,000 approved vendor bills → payment proposal → pain.001 (.03 and .09), validated against the ISO XSD.

Prints wall and CPU time of each step (CPU because this machine is shared) and the ratio of
proposal+file time to XSD validation time, for N and N/10 side by side (time should grow
linearly). A mix like a real run: 60 % KID payments, 30 % message payments, 5 % with a credit
note netted, 3 % EUR to IBAN abroad with regulatory reporting, and 2 % left out (not approved,
unconfirmed account, not due).

    .venv/bin/python benchmarks/payment_order.py [N]
"""

from __future__ import annotations

import datetime
import sys
import time
from decimal import Decimal
from pathlib import Path

from lxml import etree

from nofaktura.bank.pain001 import write_pain001
from nofaktura.bank.payment_order import PostalAddress
from nofaktura.bank.proposal import Bill, propose
from nofaktura.kid import mod10

SCHEMAS = Path(__file__).resolve().parents[2] / "shared/corpora/iso20022/python-sepaxml/sepaxml/schemas"
TODAY = datetime.date(2026, 12, 3)


def account(n: int) -> str:
    """A valid Norwegian account number (bank 1503) for payee n."""
    while True:
        base = f"1503{n % 10**7:07d}"[:10]
        remainder = sum(w * int(d) for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), base, strict=True)) % 11
        check = (11 - remainder) % 11
        if check != 10:
            return base + str(check)
        n += 1


def bills(n: int) -> list[Bill]:
    out = []
    germany = PostalAddress(country="DE", town="Berlin")
    for i in range(n):
        kind = i % 100
        common = dict(ref=i, payee=i // 2, payee_name=f"Leverandør {i // 2} AS", number=f"F-{i}",
                      due_date=TODAY + datetime.timedelta(days=i % 10), amount=Decimal(10_000 + i % 90_000).scaleb(-2),
                      payee_account=account(i // 2), account_confirmed=kind != 98, approved=kind != 97)
        if kind < 60:
            out.append(Bill(**common, kid=mod10.make(f"{i:09d}")))
        elif kind < 95:
            out.append(Bill(**common, message=f"Faktura F-{i}"))
            if kind < 65:
                out.append(Bill(**{**common, "ref": f"C{i}", "number": f"K-{i}", "amount": Decimal("5.00")},
                                credit_note=True))
        elif kind < 99:
            out.append(Bill(**{**common, "payee_account": "DE89370400440532013000"}, currency="EUR",
                            payee_bic="COBADEFFXXX", payee_address=germany, message=f"Invoice F-{i}",
                            regulatory_code="14", regulatory_text="Import of goods"))
        else:
            out.append(Bill(**{**common, "due_date": TODAY + datetime.timedelta(days=60)}, message="later"))
    return out


def run(n: int, schemas: dict[str, etree.XMLSchema]) -> None:
    given = bills(n)
    figures = {}

    def timed(name, func):
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        figures[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        return result

    proposal = timed("proposal", lambda: propose(given, today=TODAY, horizon_days=14, net_credit_notes=True))
    order = timed("order", lambda: proposal.payment_order(
        end_to_end_id=lambda line: f"E2E-{line.bill.ref}", message_id="PAY-BENCH", debtor_name="Betaler AS",
        debtor_account="86011117947", debtor_bic="DNBANOKK", bank_customer_id="AGR-1",
        regulatory_reporting=True))
    for version in ("03", "09"):
        xml = timed(f"write .{version}", lambda v=version: write_pain001(
            order, created=datetime.datetime(2026, 12, 3, 9, 0), version=v))
        valid = timed(f"XSD .{version}", lambda x=xml, v=version: schemas[v].validate(etree.fromstring(x)))
        if not valid:
            raise SystemExit(f"pain.001.001.{version} is NOT valid: {schemas[version].error_log.last_error}")
        figures[f"size .{version}"] = len(xml)
    left = len(proposal.left_out)
    print(f"\nN = {n:,} bills ({len(given):,} with credit notes): {len(proposal.lines):,} payments, "
          f"{left:,} left out, {len(order.batches())} PmtInf blocks, files valid against the XSD")
    for name, value in figures.items():
        if name.startswith("size"):
            print(f"  {name:<10} {value / 1e6:8.2f} MB")
        else:
            print(f"  {name:<10} wall {value[0]:7.3f} s   cpu {value[1]:7.3f} s")
    make = sum(figures[k][1] for k in ("proposal", "order", "write .03"))
    print(f"  proposal+order+write .03 = {make:.3f} s CPU; XSD check .03 / that = {figures['XSD .03'][1] / make:.2f}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    schemas = {v: etree.XMLSchema(etree.parse(str(SCHEMAS / f"pain.001.001.{v}.xsd"))) for v in ("03", "09")}
    for size in (n // 10, n):
        run(size, schemas)


if __name__ == "__main__":
    main()
