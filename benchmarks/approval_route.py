"""Routing 1,000 received bills through a realistic approval matrix with the library.

A matrix of 60 people (attestants, anvisers at two levels with limits), 40 vendor and 40 department
attestant rules, 10 substitutions and escalation; 1,000 bills of random amount, vendor and
department. For each bill: ``route`` (the steps) and ``actors`` for every step as the bill goes
round (one person acting per step), which is what the Odoo addon does per bill and per approval.
Prints wall and CPU milliseconds per bill, beside the cost of merely building the 1,000 ``Bill``
objects (the floor) in the same run. Nothing is asserted.

    .venv/bin/python benchmarks/approval_route.py
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from nofaktura.approval import (
    AttestantRule,
    Authority,
    Bill,
    Role,
    Substitution,
    actors,
    check_may_act,
    next_step,
    preset,
    route,
)

TODAY = date(2026, 12, 3)
BILLS = 1000


def matrix(rnd: random.Random):
    people = [f"person{i}" for i in range(60)]
    authorities = [Authority(person=p, role=Role.ATTEST) for p in people[:20]]
    authorities += [Authority(person=p, role=Role.ANVIS, limit=Decimal(rnd.choice([20000, 100000, 500000])))
                    for p in people[20:50]]
    authorities += [Authority(person=p, role=Role.ANVIS, level=2) for p in people[50:]]
    rules = [AttestantRule(person=rnd.choice(people[:20]), vendor=f"vendor{i}") for i in range(40)]
    rules += [AttestantRule(person=rnd.choice(people[:20]), dimension="department", value=f"dep{i}")
              for i in range(40)]
    start, end = TODAY - timedelta(days=3), TODAY + timedelta(days=10)
    subs = [Substitution(person=p, substitute=rnd.choice([q for q in people[20:50] if q != p]), start=start, end=end)
            for p in rnd.sample(people, 10)]
    return preset(bands=(Decimal(100000),), authorities=tuple(authorities), attestant_rules=tuple(rules),
                  substitutions=tuple(subs), escalate_after_days=5), people  # fmt: skip


def bills(rnd: random.Random, people: list[str]) -> list[Bill]:
    return [
        Bill(
            amount=Decimal(rnd.randint(100, 30000000)) / 100,
            vendor=f"vendor{rnd.randint(0, 80)}",
            dimensions=(("department", f"dep{rnd.randint(0, 60)}"),),
            registered_by=rnd.choice(people),
            beneficiaries=frozenset({rnd.choice(people)}) if rnd.random() < 0.05 else frozenset(),
        )
        for _ in range(BILLS)
    ]


def go_round(m, bill_list: list[Bill]) -> tuple[int, int]:
    approved = stuck = 0
    for bill in bill_list:
        steps = route(m, bill)
        acted: dict[int, object] = {}
        while (index := next_step(steps, acted)) is not None:
            now = actors(m, bill, steps, index, acted=acted, today=TODAY, pending_since=TODAY - timedelta(days=2))
            if not now.persons:
                stuck += 1
                break
            person = min(now.persons, key=str)
            check_may_act(m, bill, steps, person, acted=acted, today=TODAY, pending_since=TODAY - timedelta(days=2))
            acted[index] = person
        else:
            approved += 1
    return approved, stuck


def main() -> None:
    rnd = random.Random(12)
    m, people = matrix(rnd)
    floor_wall, floor_cpu, wall, cpu = [], [], [], []
    result = (0, 0)
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        bill_list = bills(random.Random(7), people)
        floor_wall.append(time.perf_counter() - start)
        floor_cpu.append(time.process_time() - start_cpu)
        start, start_cpu = time.perf_counter(), time.process_time()
        result = go_round(m, bill_list)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    per_bill = statistics.median(wall) * 1000 / BILLS
    per_bill_cpu = statistics.median(cpu) * 1000 / BILLS
    floor = statistics.median(floor_wall) * 1000 / BILLS
    print(f"{BILLS} bills routed and approved step by step (median of 5 runs)")
    print(f"  fully approved: {result[0]}, stuck with a reason: {result[1]}")
    print(f"  routing + every step: {per_bill:.3f} ms wall, {per_bill_cpu:.3f} ms CPU per bill")
    print(f"  building the Bill objects only: {floor:.4f} ms per bill (ratio {per_bill / floor:.0f}x)")
    print(f"  i.e. {1000 / per_bill:.0f} bills per second on one core")


if __name__ == "__main__":
    main()
