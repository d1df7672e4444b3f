"""``nofaktura ocr show --json`` / ``camt show --json`` at 100,000 transactions: parse time vs JSON output time.

For each format it prints the CPU time to read the generated file (``list(reader)``), the time the CLI
then needs to build and write the JSON (to /dev/null, through the real ``sys.stdout`` of this
process), and the same for the former output path (``Payment.as_json`` via ``asdict`` and
``json.dump(indent=2)`` to stdout), with each output time as a ratio of the parse time.
Target (issue 11 item 8): JSON output at most about the parse time (ratio ≤ ~1).

    .venv/bin/python benchmarks/cli_json.py [N]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bank_parse import TMP, camt_entries, ocr_transactions
from nofaktura.bank.camt import CamtReader
from nofaktura.bank.generate import write_camt054, write_ocr
from nofaktura.bank.ocr import OcrReader
from nofaktura.cli.bank import _emit


@contextlib.contextmanager
def stdout_to_devnull():
    """Point file descriptor 1 (and so ``sys.stdout``) at /dev/null, like ``nofaktura … > /dev/null``."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


def timed(func) -> tuple[float, object]:
    """CPU time of ``func()`` (this machine is shared: wall time says more about the neighbours)."""
    gc.collect()
    started = time.process_time()
    result = func()
    return time.process_time() - started, result


def old_output(payments, summary) -> None:
    """The output path before issue 11: asdict per payment, indent=2, json.dump's many small writes."""
    data = {"file": summary.source, "format": summary.format, "totals": summary.as_json(),
            "transactions": [p.as_json() for p in payments]}  # fmt: skip
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def new_output(payments, summary) -> None:
    args = argparse.Namespace(json=True)
    _emit(args, payments, summary)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    TMP.mkdir(exist_ok=True)
    ocr_path, camt_path = TMP / f"ocr-{n}.txt", TMP / f"camt054-{n}.xml"
    if not ocr_path.exists():
        with ocr_path.open("w", encoding="iso-8859-1") as out:
            write_ocr(out, [("99991042764", ocr_transactions(n))])
    if not camt_path.exists():
        with camt_path.open("w", encoding="utf-8") as out:
            write_camt054(out, camt_entries(n), with_summary=False)
    rows = []
    for label, path, reader_class in (("OCR", ocr_path, OcrReader), ("camt.054", camt_path, CamtReader)):

        def parse(path=path, reader_class=reader_class):
            with path.open("rb") as stream:
                reader = reader_class(stream, str(path))
                return list(reader), reader.summary

        parse_s, (payments, summary) = timed(parse)
        with stdout_to_devnull():
            new_s, _ = timed(lambda: new_output(payments, summary))  # noqa: B023 - called at once
            old_s, _ = timed(lambda: old_output(payments, summary))  # noqa: B023 - called at once
        rows.append((label, len(payments), parse_s, new_s, old_s))
    print(f"{'format':9} {'tx':>8} {'parse':>8} {'json now':>9} {'ratio':>6} {'json before':>12} {'ratio':>6}")
    for label, count, parse_s, new_s, old_s in rows:
        print(f"{label:9} {count:>8} {parse_s:7.2f}s {new_s:8.2f}s {new_s / parse_s:6.2f} "
              f"{old_s:11.2f}s {old_s / parse_s:6.2f}")  # fmt: skip
    worst = max(new_s / parse_s for _, _, parse_s, new_s, _ in rows)
    print(f"target: JSON output ≤ ~1× parse time: {'met' if worst <= 1.2 else 'NOT met'} (worst ratio {worst:.2f})")


if __name__ == "__main__":
    main()
