"""N Digipost invoice messages built, signed and sent to the fake Digipost (in process, no network).

Prints per-message wall and CPU milliseconds for each step — build the XML, build the multipart body, sign
(SHA-256 + RSA-2048), the whole ``send`` through the fake (which verifies the signature and validates the XML
against the XSD, so it costs about as much as the client) — and the ratio of signing to the whole. Nothing
is asserted.

    .venv/bin/python benchmarks/digipost_send.py [N]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from nofaktura.digipost import (
    DigipostClient,
    Document,
    InvoiceData,
    Message,
    NorwegianAddress,
    PostalAddress,
    PrintDetails,
    Recipient,
    SenderKey,
    build_message_xml,
    build_multipart,
)
from nofaktura.digipost.signing import canonical_request, content_hash
from nofaktura.digipost.testing import FakeDigipost, load_schema, make_test_key

REPO = Path(__file__).resolve().parents[1]
XSD = REPO.parent / "shared/corpora/digipost/xsd"
PERSONS = ["01043100358", "15076500565"]
PDF = b"%PDF-1.4\n" + b"0" * 60_000 + b"\n%%EOF\n"  # a typical one-page invoice is 30-80 kB


def message(i: int) -> Message:
    home = PostalAddress("Kari Nordmann", NorwegianAddress(("Storgata 1",), "0155", "Oslo"))
    ours = PostalAddress("Norgesbedriften AS", NorwegianAddress(("Postboks 1 Sentrum",), "0101", "Oslo"))
    invoice = InvoiceData(Decimal("1250.00") + i, "12345678903", date(2026, 12, 20), kid="1234567890128")
    document = Document(PDF, f"Faktura {i}", invoice=invoice)
    return Message(f"bench-{i}", Recipient.by_national_id(PERSONS[i % 2]), document,
                   print_details=PrintDetails(home, ours), invoice_reference=str(i))  # fmt: skip


def per_message(label: str, n: int, func: Callable[[int], object]) -> float:
    start, start_cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        func(i)
    wall, cpu = (time.perf_counter() - start) / n * 1000, (time.process_time() - start_cpu) / n * 1000
    print(f"{label:<44} {wall:8.3f} ms wall {cpu:8.3f} ms CPU per message")
    return wall


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rsa_key = make_test_key()
    key = SenderKey(rsa_key)
    fake = FakeDigipost(load_schema(XSD))
    fake.register_sender("123456", rsa_key.public_key())
    fake.add_user(PERSONS[0])
    messages = [message(i) for i in range(n)]
    print(f"{n} messages, PDF {len(PDF)} bytes each, RSA-2048")
    build = per_message("build message XML", n, lambda i: build_message_xml(messages[i]))
    bodies = [build_multipart(m)[1] for m in messages]
    per_message("build multipart body", n, lambda i: build_multipart(messages[i]))
    sign = per_message("hash body + sign canonical string", n, lambda i: key.sign(canonical_request(
        "POST", "/messages", {"date": "Thu, 03 Dec 2026 08:00:00 GMT", "x-content-sha256": content_hash(bodies[i]),
                              "x-digipost-userid": "123456"})))  # fmt: skip
    with DigipostClient("123456", key, transport=fake.transport) as client:
        client.identify(Recipient.by_national_id(PERSONS[0]))  # entry point read once, outside the timing
        whole = per_message("send (client + fake: verify, XSD, answer)", n, lambda i: client.send(messages[i]))
    channels = {}
    for received in fake.messages.values():
        channels[received.channel] = channels.get(received.channel, 0) + 1
    print(f"delivered: {channels}")
    print(f"ratio sign/send {sign / whole:.2f}, build/send {build / whole:.2f}")


if __name__ == "__main__":
    main()
