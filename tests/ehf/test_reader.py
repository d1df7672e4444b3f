"""The UBL reader maps the official examples to the model and says where unusable values are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nofaktura.ehf.model import BIS3_CUSTOMIZATION_ID, BIS3_PROFILE_ID, Document, Identifier
from nofaktura.ehf.reader import read
from nofaktura.exceptions import DocumentError, UnsafeDocument

from ..conftest import CORPORA

NORWEGIAN = CORPORA / "peppol-bis-invoice-3" / "rules" / "national-examples" / "NO" / "Norwegian-example-1.xml"
CN_MAX = CORPORA / "eInvoicing-EN16931" / "test" / "testfiles" / "CreditNote-Max_content.xml"
INV_MAX = CORPORA / "eInvoicing-EN16931" / "test" / "testfiles" / "Invoice-Max_content.xml"


def full_examples() -> list[Path]:
    """Every complete UBL document in the corpora that the writer tests also round-trip."""
    folders = [
        CORPORA / "peppol-bis-invoice-3" / "rules" / "examples",
        CORPORA / "peppol-bis-invoice-3" / "rules" / "national-examples" / "NO",
        CORPORA / "eInvoicing-EN16931" / "ubl" / "examples",
        CORPORA / "eInvoicing-EN16931" / "test" / "testfiles",
    ]
    return sorted(path for folder in folders for path in folder.iterdir() if path.suffix.lower() == ".xml")


@pytest.fixture(scope="module")
def norwegian() -> Document:
    return read(NORWEGIAN.read_bytes(), source=str(NORWEGIAN))


def test_there_are_examples_to_read():
    assert len(full_examples()) >= 50


@pytest.mark.parametrize("path", full_examples(), ids=lambda p: p.name)
def test_every_full_example_reads(path: Path):
    document = read(path.read_bytes(), source=str(path))
    assert document.kind in ("Invoice", "CreditNote")
    assert document.number
    assert document.lines
    assert document.totals.payable is not None


def test_norwegian_header(norwegian: Document):
    assert norwegian.kind == "Invoice"
    assert norwegian.customization_id == BIS3_CUSTOMIZATION_ID
    assert norwegian.profile_id == BIS3_PROFILE_ID
    assert norwegian.number == "TOSL108"
    assert norwegian.issue_date == date(2013, 6, 30)
    assert norwegian.due_date == date(2013, 7, 20)
    assert norwegian.type_code == "380"
    assert norwegian.effective_type_code == "380"
    assert norwegian.currency == "NOK"
    assert norwegian.buyer_reference == "3150bdn"
    assert norwegian.order_reference == "123"
    assert norwegian.contract_reference == "Contract321"
    assert norwegian.invoice_period is not None
    assert norwegian.invoice_period.start == date(2013, 6, 1)
    assert norwegian.note == "Ordered in our booth at the convention."


def test_norwegian_seller(norwegian: Document):
    seller = norwegian.seller
    assert seller.name == "The Sellercompany ASA"
    assert seller.trading_name == "Salescompany ltd."
    assert seller.endpoint == Identifier(value="123456785", scheme="0192")
    assert seller.legal_id == Identifier(value="123456785", scheme="0192")
    assert seller.vat_id == "NO123456785MVA"
    assert seller.foretaksregisteret
    assert seller.org_number == "123456785"
    assert seller.identifiers == (Identifier(value="1238764941386", scheme="0088"),)
    assert seller.address is not None and seller.address.country == "NO"
    assert seller.contact is not None and seller.contact.email == "antonio@salescompany.no"


def test_norwegian_buyer_is_not_in_foretaksregisteret(norwegian: Document):
    assert norwegian.buyer.endpoint == Identifier(value="987654325", scheme="0192")
    assert not norwegian.buyer.foretaksregisteret


def test_norwegian_payment_kid_and_account(norwegian: Document):
    (means,) = norwegian.payment_means
    assert means.code == "31"
    assert means.payment_id == "0003434323213231"
    assert norwegian.kid == "0003434323213231"
    assert means.account_id == "NO9386011117947"
    assert means.bic == "DNBANOKK"


def test_norwegian_vat_and_totals(norwegian: Document):
    total = norwegian.tax_total
    assert total is not None
    assert total.amount == Decimal("365.28")
    assert [(s.category, s.rate) for s in total.subtotals] == [
        ("S", Decimal(25)),
        ("S", Decimal(15)),
        ("E", Decimal(0)),
    ]
    assert total.subtotals[2].exemption_reason == "Exempt New Means of Transport"
    assert norwegian.totals.payable == Decimal("802.00")
    assert norwegian.totals.rounding == Decimal("0.22")
    assert norwegian.totals.prepaid == Decimal("1000")
    assert isinstance(norwegian.totals.tax_inclusive, Decimal)


def test_norwegian_line(norwegian: Document):
    line = norwegian.lines[0]
    assert line.id == "1"
    assert line.quantity == Decimal(1)
    assert line.unit_code == "NAR"
    assert line.line_extension_amount == Decimal(1273)
    assert line.item.name == "Laptop computer"
    assert line.item.vat_category == "S"
    assert line.item.vat_rate == Decimal(25)
    assert line.item.standard_id == Identifier(value="1234567890124", scheme="0088")
    assert line.price.amount == Decimal(1273)
    assert line.price.allowance_amount == Decimal(227)
    assert line.price.gross_amount == Decimal(1500)
    assert [ac.charge for ac in line.allowances_charges] == [False, True]


def test_norwegian_attachments_keep_bytes(norwegian: Document):
    external, embedded = norwegian.attachments
    assert external.uri == "http://www.suppliersite.eu/sheet001.html"
    assert external.content is None
    assert embedded.content == b"Test base 64 encoding"
    assert embedded.filename == "Hours-spent.csv"
    assert embedded.mime_code == "application/pdf"
    assert embedded.size == len(b"Test base 64 encoding")


def test_credit_note_due_date_comes_from_payment_means():
    text = CN_MAX.read_text(encoding="utf-8")
    code = '<cbc:PaymentMeansCode name="Credit transfer">30</cbc:PaymentMeansCode>'
    text = text.replace(code, code + "<cbc:PaymentDueDate>2018-03-07</cbc:PaymentDueDate>", 1)
    document = read(text.encode("utf-8"))
    assert document.kind == "CreditNote"
    assert document.due_date == date(2018, 3, 7)
    assert document.effective_type_code == "381"
    assert document.lines[0].quantity


def test_invoiced_object_identifier():
    document = read(INV_MAX.read_bytes())
    attachment = next(a for a in document.attachments if a.id == "ABC123")
    assert attachment.document_type_code == "130"
    assert attachment.id_scheme == "VT"


def test_card_and_mandate_payment_means():
    snippets = CORPORA / "peppol-bis-invoice-3" / "rules" / "snippets"
    card = next(pm.card for pm in read((snippets / "payment1.xml").read_bytes()).payment_means if pm.card)
    assert card.network_id
    assert card.primary_account_number
    mandate = next(
        pm.mandate for pm in read((snippets / "direct-debit.xml").read_bytes()).payment_means if pm.mandate
    )
    assert mandate.id


# -- errors name the element -------------------------------------------------------------------


def _norwegian_with(old: str, new: str) -> bytes:
    text = NORWEGIAN.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def test_amount_that_is_not_a_number_names_the_xpath():
    data = _norwegian_with(
        '<cbc:LineExtensionAmount currencyID="NOK">1273</cbc:LineExtensionAmount>',
        '<cbc:LineExtensionAmount currencyID="NOK">1 273,00</cbc:LineExtensionAmount>',
    )
    with pytest.raises(DocumentError) as caught:
        read(data, source="faktura.xml")
    error = caught.value
    assert error.source == "faktura.xml"
    assert error.path == "/Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount"
    assert "'1 273,00' is not a number" in str(error)
    assert str(error).startswith("faktura.xml, /Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount: ")


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "1e3", ""])
def test_special_decimal_spellings_are_refused(bad: str):
    data = _norwegian_with(
        '<cbc:PayableAmount currencyID="NOK">802.00</cbc:PayableAmount>',
        f'<cbc:PayableAmount currencyID="NOK">{bad}</cbc:PayableAmount>',
    )
    with pytest.raises(DocumentError, match="LegalMonetaryTotal/cbc:PayableAmount"):
        read(data)


def test_date_that_is_not_a_date_names_the_xpath():
    data = _norwegian_with("<cbc:DueDate>2013-07-20</cbc:DueDate>", "<cbc:DueDate>20.07.2013</cbc:DueDate>")
    with pytest.raises(DocumentError, match=r"/Invoice/cbc:DueDate: '20.07.2013' is not a date"):
        read(data)


def test_missing_required_element_names_the_parent():
    data = _norwegian_with("<cbc:ID>TOSL108</cbc:ID>", "")
    with pytest.raises(DocumentError, match=r"^/Invoice: the required element cbc:ID is missing"):
        read(data)


def test_bad_charge_indicator_is_named():
    data = _norwegian_with(
        "<cbc:ChargeIndicator>true</cbc:ChargeIndicator>", "<cbc:ChargeIndicator>ja</cbc:ChargeIndicator>"
    )
    with pytest.raises(DocumentError, match=r"cbc:ChargeIndicator: 'ja' is not true or false"):
        read(data)


def test_attachment_over_the_limit_is_refused():
    data = NORWEGIAN.read_bytes()
    with pytest.raises(DocumentError, match="larger than the limit of 10 bytes") as caught:
        read(data, max_attachment_bytes=10, source="big.xml")
    assert "AdditionalDocumentReference[2]" in str(caught.value)
    assert read(data, max_attachment_bytes=21).attachments[1].size == 21


def test_attachment_that_is_not_base64_is_refused():
    data = _norwegian_with("VGVzdCBiYXNlIDY0IGVuY29kaW5n", "not*base64!")
    with pytest.raises(DocumentError, match="not valid base64"):
        read(data)


def test_hostile_xml_never_reaches_the_reader():
    with pytest.raises(UnsafeDocument):
        read(b'<!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><a>&b;</a>')


def test_wrong_root_is_refused_with_the_file_name():
    with pytest.raises(DocumentError, match=r"^order\.xml: expected the root element"):
        read(b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>', source="order.xml")


def test_size_limit_is_passed_through():
    with pytest.raises(UnsafeDocument, match="more than the limit"):
        read(NORWEGIAN.read_bytes(), max_bytes=100)
