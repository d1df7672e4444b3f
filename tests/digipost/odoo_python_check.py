"""The Digipost client under Odoo's own Python, runnable without pytest.

Why: the addon runs the library inside Odoo's interpreter, whose ``cryptography`` is older (Odoo 19 pins
3.4.8 on Python < 3.12) than the dev venv's. ``test_odoo_python.py`` runs this file with ``ODOO_PYTHON``;
it loads a PKCS#12 key, signs, sends an invoice with print fallback to the fake Digipost (which checks the
signature and validates the XML against the corpus XSDs) and prints one JSON line with what it saw.

    $ODOO_PYTHON tests/digipost/odoo_python_check.py ../shared/corpora/digipost/xsd
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal

import cryptography
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

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
)
from nofaktura.digipost.testing import FakeDigipost, _self_signed, load_schema, make_test_key


def main() -> None:
    key = make_test_key()
    fake = FakeDigipost(load_schema(sys.argv[1]))
    fake.register_sender("123456", key.public_key())
    fake.add_user("01043100358")
    p12 = pkcs12.serialize_key_and_certificates(b"digipost", key, _self_signed(key, "Sender AS"), None,
                                                serialization.BestAvailableEncryption(b"pw"))  # fmt: skip
    sender = SenderKey.from_pkcs12(p12, "pw")
    home = PostalAddress("Kari Nordmann", NorwegianAddress(("Storgata 1",), "0155", "Oslo"))
    invoice = InvoiceData(Decimal("10.00"), "12345678903", date(2026, 12, 24), kid="1234567890128")
    results = {"cryptography": cryptography.__version__}
    with DigipostClient("123456", sender, transport=fake.transport) as client:
        for fnr in ("01043100358", "15076500565"):
            message = Message(f"m-{fnr[:4]}", Recipient.by_national_id(fnr), Document(b"%PDF-1.4 x", "Faktura",
                              invoice=invoice), print_details=PrintDetails(home, home))  # fmt: skip
            delivery = client.send(message)
            results[fnr[:4]] = [delivery.channel.value, delivery.status.value]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
