"""How fast is EHF validation, next to lxml's UBL 2.1 XSD validation of the same document?

Run from the repository root (one process, so one core)::

    .venv/bin/python benchmarks/ehf_validation.py [--runs N] [--no-big]

It prints, for the Norwegian example (peppol-bis-invoice-3 national-examples/NO) and for a
1,000-line invoice generated from it (lines repeated, totals and VAT breakdown recalculated so it
stays valid): the median time of ``nofaktura.ehf.validation.validate`` (parse + structure + CEN +
Peppol rules), documents per second, the time per rule set, and the median time lxml takes to
parse and validate the same bytes against the UBL 2.1 XSD, and the CPU time of that XSD check
inside the structure rule set (``BIS3-XSD``, on the parsed tree, with the schema shipped in the
package). Then the peak memory (Python heap via
tracemalloc and process RSS growth) while validating a generated ~20 MB invoice.
Targets (issue 3): Norwegian example < 5 ms median, 1,000 lines < 300 ms, memory bounded.
The machine may be shared: decide on CPU time (``process_time``), which the load disturbs less
than wall-clock time; the CPU time of each phase (safe parse, each rule set) is printed too.
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from nofaktura.ehf.namespaces import NSMAP  # noqa: E402
from nofaktura.ehf.rules import DEFAULT_RULESETS, validate_root  # noqa: E402
from nofaktura.ehf.rules.schema import schema_errors, schema_for  # noqa: E402
from nofaktura.ehf.validation import validate  # noqa: E402
from nofaktura.xml import load_ubl, parse_untrusted  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
EXAMPLE = CORPORA / "peppol-bis-invoice-3" / "rules" / "national-examples" / "NO" / "Norwegian-example-1.xml"
XSD = CORPORA / "ubl-2.1-xsd" / "xsd" / "maindoc" / "UBL-Invoice-2.1.xsd"
CENT = Decimal("0.01")


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _dec(node: etree._Element, path: str) -> Decimal:
    found = node.find(path, NSMAP)
    return Decimal(found.text) if found is not None else Decimal(0)


def generate_invoice(lines: int) -> bytes:
    """The Norwegian example with ``lines`` invoice lines and recalculated totals."""
    root = etree.fromstring(EXAMPLE.read_bytes())
    templates = root.findall("cac:InvoiceLine", NSMAP)
    for line in templates:
        root.remove(line)
    per_category: dict[tuple[str, Decimal], Decimal] = {}
    line_total = Decimal(0)
    for number in range(lines):
        line = copy.deepcopy(templates[number % len(templates)])
        line.find("cbc:ID", NSMAP).text = str(number + 1)
        root.append(line)
        amount = _dec(line, "cbc:LineExtensionAmount")
        category = line.find("cac:Item/cac:ClassifiedTaxCategory", NSMAP)
        key = (category.findtext("cbc:ID", namespaces=NSMAP), _dec(category, "cbc:Percent"))
        per_category[key] = per_category.get(key, Decimal(0)) + amount
        line_total += amount
    allowances = charges = Decimal(0)
    for item in root.findall("cac:AllowanceCharge", NSMAP):
        amount = _dec(item, "cbc:Amount")
        category = item.find("cac:TaxCategory", NSMAP)
        key = (category.findtext("cbc:ID", namespaces=NSMAP), _dec(category, "cbc:Percent"))
        charge = item.findtext("cbc:ChargeIndicator", namespaces=NSMAP).strip() == "true"
        per_category[key] = per_category.get(key, Decimal(0)) + (amount if charge else -amount)
        if charge:
            charges += amount
        else:
            allowances += amount
    tax_total = root.find("cac:TaxTotal", NSMAP)
    vat = Decimal(0)
    for subtotal in tax_total.findall("cac:TaxSubtotal", NSMAP):
        category = subtotal.find("cac:TaxCategory", NSMAP)
        key = (category.findtext("cbc:ID", namespaces=NSMAP), _dec(category, "cbc:Percent"))
        taxable = per_category.get(key, Decimal(0))
        tax = (taxable * key[1] / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        subtotal.find("cbc:TaxableAmount", NSMAP).text = _money(taxable)
        subtotal.find("cbc:TaxAmount", NSMAP).text = _money(tax)
        vat += tax
    tax_total.find("cbc:TaxAmount", NSMAP).text = _money(vat)
    totals = root.find("cac:LegalMonetaryTotal", NSMAP)
    exclusive = line_total - allowances + charges
    totals.find("cbc:LineExtensionAmount", NSMAP).text = _money(line_total)
    totals.find("cbc:TaxExclusiveAmount", NSMAP).text = _money(exclusive)
    totals.find("cbc:TaxInclusiveAmount", NSMAP).text = _money(exclusive + vat)
    payable = exclusive + vat - _dec(totals, "cbc:PrepaidAmount") + _dec(totals, "cbc:PayableRoundingAmount")
    totals.find("cbc:PayableAmount", NSMAP).text = _money(payable)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def median_seconds(action: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> float:
    action()  # warm up: compiled XPath, caches
    samples = []
    for _ in range(runs):
        start = clock()
        action()
        samples.append(clock() - start)
    return statistics.median(samples)


RESPONSE = CORPORA / "peppol-bis-3.0.21" / "examples" / "invoice-response" / "T111-uc004a-Invoice is rejected.xml"
RESPONSE_XSD = CORPORA / "ubl-2.1-xsd" / "xsd" / "maindoc" / "UBL-ApplicationResponse-2.1.xsd"


def report(name: str, data: bytes, schema: etree.XMLSchema, runs: int) -> None:
    result = validate(data)
    fatal = [f.rule for f in result.fatal]
    ours = median_seconds(lambda: validate(data), runs)
    ours_cpu = median_seconds(lambda: validate(data), runs, time.process_time)
    xsd = median_seconds(lambda: schema.validate(etree.fromstring(data)), runs)
    xsd_cpu = median_seconds(lambda: schema.validate(etree.fromstring(data)), runs, time.process_time)
    root = parse_untrusted(data).getroot()
    parse_cpu = median_seconds(lambda: load_ubl(data), runs, time.process_time)
    print(f"\n{name}: {len(data) / 1024:.0f} KiB, valid={result.valid} {fatal[:5] if fatal else ''}")
    print(f"  nofaktura validate (parse + {'+'.join(DEFAULT_RULESETS)}): {ours * 1000:8.2f} ms median wall"
          f"  = {1 / ours:8.1f} documents/s")
    print(f"  lxml UBL 2.1 XSD (parse + validate)       : {xsd * 1000:8.2f} ms median wall"
          f"  = {1 / xsd:8.1f} documents/s   (ratio ours/xsd {ours / xsd:.1f}x)")
    print(f"    CPU time (process_time) median          : ours {ours_cpu * 1000:8.2f} ms, xsd {xsd_cpu * 1000:8.2f} ms")
    print("    CPU time per phase (medians, each phase timed alone):")
    print(f"      safe parse (load_ubl)                 : {parse_cpu * 1000:8.2f} ms")
    for ruleset in DEFAULT_RULESETS:
        seconds = median_seconds(lambda r=ruleset: validate_root(root, (r,)), runs, time.process_time)
        print(f"      rule set {ruleset:10}                   : {seconds * 1000:8.2f} ms")
        if ruleset == "structure":
            in_structure = median_seconds(lambda: schema_errors(root), runs, time.process_time)
            print(f"        of which UBL 2.1 XSD (BIS3-XSD)     : {in_structure * 1000:8.2f} ms  (parsed tree)")


def report_response(runs: int) -> None:
    """A Peppol Invoice Response: ``validate`` (UBL 2.1 schema + T111 rules) next to lxml's XSD check alone."""
    data = RESPONSE.read_bytes()
    schema = etree.XMLSchema(etree.parse(str(RESPONSE_XSD)))
    result = validate(data)
    ours_cpu = median_seconds(lambda: validate(data), runs, time.process_time)
    xsd_cpu = median_seconds(lambda: schema.validate(etree.fromstring(data)), runs, time.process_time)
    parse_cpu = median_seconds(lambda: parse_untrusted(data), runs, time.process_time)
    print(f"\n{RESPONSE.name} (Invoice Response, {result.document}): {len(data) / 1024:.1f} KiB, valid={result.valid}")
    print(f"  CPU time medians: nofaktura validate (parse + XSD + T111) {ours_cpu * 1000:6.2f} ms,"
          f" safe parse alone {parse_cpu * 1000:6.2f} ms, lxml parse + UBL 2.1 XSD {xsd_cpu * 1000:6.2f} ms"
          f" (ratio ours/xsd {ours_cpu / xsd_cpu:.1f}x)")


def memory(lines: int) -> None:
    data = generate_invoice(lines)
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    result = validate(data)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\n{lines}-line invoice: {len(data) / 1e6:.1f} MB, valid={result.valid}, "
          f"{len(result.findings)} findings, {seconds:.1f} s")
    print(f"  peak Python heap during validate (tracemalloc): {peak / 1e6:8.1f} MB")
    print(f"  growth of peak RSS (parsed tree + heap)       : {(rss_after - rss_before) / 1024:8.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs per figure (median reported)")
    parser.add_argument("--no-big", action="store_true", help="skip the 20 MB memory figure")
    args = parser.parse_args()
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    start = time.perf_counter()
    schema_for("{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice")
    print(f"shipped UBL 2.1 Invoice schema compiled once per process in {(time.perf_counter() - start) * 1000:.0f} ms")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}, lxml {etree.__version__}, one process, load average {load}, "
          f"{os.cpu_count()} CPUs (wall-clock medians suffer when the machine is shared; CPU time does less)")
    report("Norwegian-example-1.xml", EXAMPLE.read_bytes(), schema, args.runs)
    report("generated 1,000-line invoice", generate_invoice(1000), schema, max(5, args.runs // 10))
    report_response(args.runs)
    if not args.no_big:
        one_cycle = (len(generate_invoice(110)) - len(generate_invoice(100))) / 10  # the 5 template lines, twice
        memory(int((20e6 - len(generate_invoice(0))) / one_cycle))


if __name__ == "__main__":
    main()
