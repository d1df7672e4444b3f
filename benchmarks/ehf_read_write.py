"""Read, write, JSON and PDF throughput of the EHF model for the Norwegian example and a 1,000-line invoice.

Prints median wall and CPU milliseconds per document for each step, beside the time lxml alone takes
to parse the same bytes (the floor any reader pays) in the same run. Nothing is asserted.

    .venv/bin/python benchmarks/ehf_read_write.py
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

from nofaktura.ehf import build
from nofaktura.ehf.jsonform import from_json, to_json
from nofaktura.ehf.model import Address
from nofaktura.ehf.pdf import render_pdf
from nofaktura.ehf.reader import read
from nofaktura.ehf.writer import write

REPO = Path(__file__).resolve().parents[1]
NORWEGIAN = REPO.parent / "shared/corpora/peppol-bis-invoice-3/rules/national-examples/NO/Norwegian-example-1.xml"


def big_invoice(lines: int) -> bytes:
    address = Address(street="Storgata 1", city="Oslo", postal_zone="0155", country="NO")
    doc = build.invoice(
        number="BENCH-1",
        issue_date=date(2026, 1, 5),
        due_date=date(2026, 1, 19),
        seller=build.norwegian_party(name="Selger AS", org_number="921487304", address=address),
        buyer=build.norwegian_party(
            name="Kjøper AS", org_number="915674321", address=address, foretaksregisteret=False
        ),
        lines=[
            build.line(id=str(i + 1), name=f"Vare {i}", quantity=Decimal(1 + i % 7), unit_price=Decimal("99.90"),
                       vat_rate=Decimal(25) if i % 3 else Decimal(15), sellers_id=f"SKU-{i}")
            for i in range(lines)
        ],
        buyer_reference="Ola",
        kid="1024020261177",
        account="15034002190",
    )  # fmt: skip
    return write(doc)


def median_ms(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds (CPU shown because the machine may be shared)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def report(name: str, data: bytes, repeat: int, pdf: bool = True) -> None:
    document = read(data)
    as_json = json.dumps(to_json(document))
    rows = [
        ("lxml parse only (baseline)", lambda: etree.fromstring(data)),
        ("read (safe parse + model)", lambda: read(data)),
        ("write (model -> UBL bytes)", lambda: write(document)),
        ("to_json + dumps", lambda: json.dumps(to_json(document))),
        ("loads + from_json", lambda: from_json(json.loads(as_json))),
    ]
    if pdf:
        rows.append(("render_pdf", lambda: render_pdf(document)))
    print(f"\n{name}: {len(data):,} bytes, {len(document.lines)} lines, median of {repeat} runs")
    for label, func in rows:
        wall, cpu = median_ms(func, repeat)
        print(f"  {label:30s} {wall:9.2f} ms wall {cpu:9.2f} ms CPU  ({1000 / max(wall, 1e-6):8.0f} docs/s)")


if __name__ == "__main__":
    report("Norwegian example", NORWEGIAN.read_bytes(), repeat=200)
    report("Generated invoice", big_invoice(1000), repeat=15)
