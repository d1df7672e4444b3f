"""Parse a generated 100,000-transaction Nets OCR giro file and camt.054 message.

Prints our readers' wall and CPU time and peak RSS (each run in its own forked process, so the
figures are that run's alone; N and N/10 side by side show whether memory is flat), and netsgiro's
figures for the same OCR file beside ours. CPU time is reported because this machine is shared.
Targets (issue 4): OCR < 2 s, camt.054 < 5 s, memory flat.

    .venv/bin/python benchmarks/bank_parse.py [N]
"""

from __future__ import annotations

import datetime
import gc
import multiprocessing
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

from nofaktura.bank.camt import CamtReader
from nofaktura.bank.generate import CamtEntry, CamtTx, OcrTx, write_camt054, write_ocr
from nofaktura.bank.ocr import OcrReader
from nofaktura.kid import mod10

TMP = Path("/tmp/nofaktura-bench")


def kid(n: int) -> str:
    return mod10.make(f"{n % 1000000:06d}{n:07d}")


def ocr_transactions(n: int):
    day = datetime.date(2026, 1, 15)
    for i in range(n):
        ttype = (10, 11, 12, 13, 14, 15, 16, 17, 19)[i % 9]
        yield OcrTx(amount_ore=10_000 + i % 90_000, kid=kid(i), transaction_type=ttype, nets_date=day,
                    bank_date=day, debit_account="12345678903", reference=f"{i % 10**9:09d}",
                    form_number=f"{i:010d}")  # fmt: skip


def camt_entries(n: int):
    day = datetime.date(2026, 1, 15)
    i = 0
    while i < n:
        size = min(10 if i % 20 == 0 else 1, n - i)  # some batch entries, mostly single payments
        txs = [CamtTx(Decimal(10_000 + (i + k) % 90_000).scaleb(-2), kid=kid(i + k), payer_name="Ola Nordmann",
                      payer_account="12345678903", bank_reference=f"NO{i + k:012d}") for k in range(size)]  # fmt: skip
        yield CamtEntry(txs, booking_date=day, entry_reference=f"E{i:010d}")
        i += size


def _child(func, queue) -> None:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    count = func()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    queue.put((count, wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(label: str, func) -> tuple[float, float]:
    """Run ``func`` in a fresh forked process: its wall and CPU time, and its own peak RSS."""
    queue = multiprocessing.Queue()
    process = multiprocessing.get_context("fork").Process(target=_child, args=(func, queue))
    process.start()
    count, wall, cpu, rss = queue.get()
    process.join()
    print(f"{label:40} {count:>8} tx  wall {wall:6.2f} s  CPU {cpu:6.2f} s  peak RSS {rss:7.1f} MB")
    return cpu, rss


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    small = max(n // 10, 1)
    TMP.mkdir(exist_ok=True)
    paths = {}
    for size in (small, n):
        paths["ocr", size] = TMP / f"ocr-{size}.txt"
        paths["camt", size] = TMP / f"camt054-{size}.xml"
        with paths["ocr", size].open("w", encoding="iso-8859-1") as out:
            write_ocr(out, [("99991042764", ocr_transactions(size))])
        with paths["camt", size].open("w", encoding="utf-8") as out:
            write_camt054(out, camt_entries(size), with_summary=False)
    print(f"files: {paths['ocr', n]} ({paths['ocr', n].stat().st_size / 1e6:.1f} MB), "
          f"{paths['camt', n]} ({paths['camt', n].stat().st_size / 1e6:.1f} MB)")  # fmt: skip
    print(f"(load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; CPU time is the fairer figure)")

    def ours(kind, size):
        def run() -> int:
            reader = OcrReader if kind == "ocr" else CamtReader
            with paths[kind, size].open("rb") as stream:
                return sum(1 for _ in reader(stream))

        return run

    def theirs(size):
        def run() -> int:
            import netsgiro  # noqa: PLC0415 - only the baseline needs it

            transmission = netsgiro.parse(paths["ocr", size].read_text(encoding="iso-8859-1"))
            return sum(len(a.transactions) for a in transmission.assignments)

        return run

    cpu_ocr, rss_ocr = measure("nofaktura OCR reader", ours("ocr", n))
    _, rss_ocr_small = measure("nofaktura OCR reader, N/10", ours("ocr", small))
    cpu_camt, rss_camt = measure("nofaktura camt.054 reader", ours("camt", n))
    _, rss_camt_small = measure("nofaktura camt.054 reader, N/10", ours("camt", small))
    cpu_ng, rss_ng = measure("netsgiro.parse (baseline), same OCR file", theirs(n))
    print()
    print(f"OCR:      ours {cpu_ocr:.2f} s CPU vs netsgiro {cpu_ng:.2f} s -> {cpu_ng / cpu_ocr:.1f}x; "
          f"target < 2 s: {'met' if cpu_ocr < 2 else 'NOT met'}")  # fmt: skip
    print(f"camt.054: {cpu_camt:.2f} s CPU; target < 5 s: {'met' if cpu_camt < 5 else 'NOT met'}")
    print(f"memory:   OCR peak RSS {rss_ocr:.1f} MB for N vs {rss_ocr_small:.1f} MB for N/10; camt {rss_camt:.1f} "
          f"vs {rss_camt_small:.1f} MB; netsgiro {rss_ng:.1f} MB for N")  # fmt: skip


if __name__ == "__main__":
    main()
