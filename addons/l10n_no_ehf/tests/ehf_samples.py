"""Received EHF documents for the tests, written with the library's own builder and writer."""

from datetime import date
from decimal import Decimal

from nofaktura.ehf import build, writer
from nofaktura.ehf.model import Address, Attachment

from .common import SELLER_ORGNR

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ehf_invoice(number="F-1001", *, seller_orgnr="995525828", seller_name="Leverandør AS", kid="1234567897",
                account="86011117947", attachments=True, kind="Invoice", amount="1000"):
    seller = build.norwegian_party(
        name=seller_name, org_number=seller_orgnr,
        address=Address(street="Leverandørgata 3", city="Trondheim", postal_zone="7010", country="NO"),
    )
    buyer = build.norwegian_party(
        name="company_1_data", org_number=SELLER_ORGNR, foretaksregisteret=False,
        address=Address(street="Storgata 1", city="Oslo", postal_zone="0150", country="NO"),
    )
    files = (
        Attachment(id="Faktura.pdf", filename="Faktura-F-1001.pdf", mime_code="application/pdf",
                   description="Invoice as PDF", content=PDF),
        Attachment(id="Timeliste", filename="timeliste.csv", mime_code="text/csv", content=b"dato;timer\n2026-02-27;8\n"),
    ) if attachments else ()
    document = build.invoice(
        number=number, issue_date=date(2026, 3, 1), due_date=date(2026, 3, 15), kind=kind,
        seller=seller, buyer=buyer,
        lines=[build.line(id="1", name="Rørleggertime", quantity=Decimal(1), unit_price=Decimal(amount),
                          vat_rate=Decimal(25))],
        buyer_reference="Ola Nordmann", kid=kid, account=account, attachments=files,
        preceding_invoices=(("F-0999", date(2026, 2, 1)),) if kind == "CreditNote" else (),
    )
    return writer.write(document)


HOSTILE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>&xxe;&a;</cbc:ID></Invoice>
"""
