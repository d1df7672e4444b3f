"""The writer produces schema-valid UBL 2.1 that reads back equal, loses nothing the model holds,
and adds no rule findings; the JSON form and the builder round-trip too."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf import build
from nofaktura.ehf.jsonform import FORMAT, from_json, to_json
from nofaktura.ehf.model import (
    Address,
    AllowanceCharge,
    Attachment,
    Document,
    Line,
    PaymentMeans,
)
from nofaktura.ehf.namespaces import CAC, CBC
from nofaktura.ehf.reader import read
from nofaktura.ehf.writer import format_amount, format_decimal, write
from nofaktura.exceptions import DocumentError

from ..conftest import CORPORA
from .test_reader import NORWEGIAN, full_examples

XSD = CORPORA / "ubl-2.1-xsd" / "xsd" / "maindoc"
NS = {"cac": CAC, "cbc": CBC}

#: Source content the model deliberately does not carry (with the reason).
NOT_CARRIED = {
    "UBLVersionID",  # BIS 3 does not use it (UBL-CR-001 style warnings); it carries no business term
    "@{http://www.w3.org/2001/XMLSchema-instance}schemaLocation",  # a validation hint, not content
    "ClassifiedTaxCategory/ID/@schemeID",  # UNCL5305 scheme id, fixed; not a business term
}


@cache
def schema(kind: str) -> etree.XMLSchema:
    name = "UBL-Invoice-2.1.xsd" if kind == "Invoice" else "UBL-CreditNote-2.1.xsd"
    return etree.XMLSchema(etree.parse(str(XSD / name)))


def assert_schema_valid(data: bytes, kind: str) -> None:
    xsd = schema(kind)
    if not xsd.validate(etree.fromstring(data)):
        raise AssertionError(f"not valid against the UBL 2.1 {kind} schema: {xsd.error_log}")


def element_paths(root: etree._Element) -> set[str]:
    """Every element (with a value, or empty) and attribute path, without positions."""
    paths = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        steps = []
        current = element
        while current is not None:
            steps.append(etree.QName(current).localname)
            current = current.getparent()
        path = "/".join(reversed(steps))
        if (element.text or "").strip() or len(element) == 0:
            paths.add(path)
        paths.update(f"{path}/@{name}" for name in element.attrib)
    return paths


def _carried(path: str) -> bool:
    return not any(path.endswith(suffix) for suffix in NOT_CARRIED)


@pytest.mark.parametrize("path", full_examples(), ids=lambda p: p.name)
def test_written_example_is_schema_valid_and_reads_back_equal(path: Path):
    original = read(path.read_bytes(), source=str(path))
    written = write(original)
    assert_schema_valid(written, original.kind)
    assert read(written, source="written") == original


@pytest.mark.parametrize("path", full_examples(), ids=lambda p: p.name)
def test_writing_loses_nothing_but_what_is_listed(path: Path):
    source_paths = element_paths(etree.parse(str(path)).getroot())
    written_paths = element_paths(etree.fromstring(write(read(path.read_bytes()))))
    lost = sorted(p for p in source_paths - written_paths if _carried(p))
    assert lost == []


@pytest.mark.parametrize("path", full_examples(), ids=lambda p: p.name)
def test_json_form_round_trips(path: Path):
    document = read(path.read_bytes())
    text = json.dumps(to_json(document))
    assert from_json(json.loads(text)) == document


def test_written_norwegian_example_passes_our_validation():
    from nofaktura.ehf.validation import validate

    result = validate(write(read(NORWEGIAN.read_bytes())), source="written")
    assert result.document == "Invoice"
    assert result.fatal == ()


@pytest.mark.parametrize("path", full_examples(), ids=lambda p: p.name)
def test_rewriting_adds_no_rule_findings(path: Path):
    from nofaktura.ehf.validation import validate

    data = path.read_bytes()
    before = validate(data)
    after = validate(write(read(data)))
    assert {f.rule for f in after.findings} <= {f.rule for f in before.findings}


# -- formatting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [("1273", "1273.00"), ("1460.5", "1460.50"), ("-3.96", "-3.96"), ("0.1234", "0.1234"), ("1E+2", "100.00"),
     ("-0", "0.00")],
)  # fmt: skip
def test_amounts_have_two_decimals_and_are_never_rounded(value: str, text: str):
    assert format_amount(Decimal(value)) == text


def test_decimals_never_use_exponents():
    assert format_decimal(Decimal("1E+3")) == "1000"
    assert format_decimal(Decimal("2.50")) == "2.50"


def test_norwegian_example_amounts_and_schemes_in_the_xml():
    root = etree.fromstring(write(read(NORWEGIAN.read_bytes())))
    assert root.findtext("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", namespaces=NS) == "1436.50"
    assert root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS).get("currencyID") == "NOK"
    endpoint = root.find("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", NS)
    assert (endpoint.get("schemeID"), endpoint.text) == ("0192", "123456785")
    schemes = [
        (node.findtext("cbc:CompanyID", namespaces=NS), node.findtext("cac:TaxScheme/cbc:ID", namespaces=NS))
        for node in root.findall("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme", NS)
    ]
    assert schemes == [("NO123456785MVA", "VAT"), ("Foretaksregisteret", "TAX")]
    assert root.findtext("cac:PaymentMeans/cbc:PaymentID", namespaces=NS) == "0003434323213231"


def test_sbdh_input_is_written_as_plain_ubl():
    from .test_xml_safety import _wrap_in_sbdh

    written = write(read(_wrap_in_sbdh(NORWEGIAN.read_bytes())))
    assert etree.fromstring(written).tag.endswith("}Invoice")


# -- credit notes ----------------------------------------------------------------------------------


@pytest.fixture
def credit_note() -> Document:
    invoice = read(NORWEGIAN.read_bytes())
    return replace(invoice, kind="CreditNote", type_code=None, project_reference="PRJ-7")


def test_credit_note_due_date_and_project_go_where_ubl_has_room(credit_note: Document):
    data = write(credit_note)
    assert_schema_valid(data, "CreditNote")
    root = etree.fromstring(data)
    assert root.find("cbc:DueDate", NS) is None
    assert root.findtext("cac:PaymentMeans/cbc:PaymentDueDate", namespaces=NS) == "2013-07-20"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    project = [
        ref for ref in root.findall("cac:AdditionalDocumentReference", NS)
        if ref.findtext("cbc:DocumentTypeCode", namespaces=NS) == "50"
    ]  # fmt: skip
    assert [ref.findtext("cbc:ID", namespaces=NS) for ref in project] == ["PRJ-7"]
    assert root.findall("cac:CreditNoteLine/cbc:CreditedQuantity", NS)
    assert read(data) == replace(credit_note, type_code="381")


def test_credit_note_due_date_without_payment_means_is_refused(credit_note: Document):
    with pytest.raises(ValueError, match="BT-9"):
        write(replace(credit_note, payment_means=()))


# -- JSON form errors -----------------------------------------------------------------------------


def norwegian_json() -> dict:
    return json.loads(json.dumps(to_json(read(NORWEGIAN.read_bytes()))))


def test_json_uses_strings_for_money_and_base64_for_attachments():
    data = norwegian_json()
    assert data["format"] == FORMAT
    assert data["kind"] == "Invoice"
    assert data["totals"]["payable"] == "802.00"
    assert data["issue_date"] == "2013-06-30"
    assert data["attachments"][1]["content"] == "VGVzdCBiYXNlIDY0IGVuY29kaW5n"


def test_json_summary_has_sizes_not_content():
    data = to_json(read(NORWEGIAN.read_bytes()), include_content=False)
    assert "content" not in data["attachments"][1]
    assert data["attachments"][1]["size"] == 21


def test_json_unknown_key_is_refused_with_its_path():
    data = norwegian_json()
    data["lines"][1]["quantiy"] = "2"
    with pytest.raises(DocumentError, match=r"\$\.lines\[1\]: unknown key\(s\) quantiy in Line"):
        from_json(data)


def test_json_float_amount_is_refused():
    data = norwegian_json()
    data["totals"]["payable"] = 802.0
    with pytest.raises(DocumentError, match=r"\$\.totals\.payable: an amount"):
        from_json(data)


def test_json_bad_date_and_missing_key_are_named():
    data = norwegian_json()
    data["due_date"] = "20.07.2013"
    with pytest.raises(DocumentError, match=r"\$\.due_date: '20\.07\.2013' is not a date"):
        from_json(data)
    data = norwegian_json()
    del data["number"]
    with pytest.raises(DocumentError, match="missing required key"):
        from_json(data)


def test_json_wrong_format_marker_and_kind_are_refused():
    data = norwegian_json()
    data["format"] = "other/1"
    with pytest.raises(DocumentError, match="unknown format"):
        from_json(data)
    data = norwegian_json()
    data["kind"] = "Order"
    with pytest.raises(DocumentError, match="kind must be one of"):
        from_json(data)


# -- builder ---------------------------------------------------------------------------------------


def _built() -> Document:
    address = Address(street="Storgata 1", city="Oslo", postal_zone="0155", country="NO")
    return build.invoice(
        number="1",
        issue_date=date(2026, 1, 5),
        due_date=date(2026, 1, 19),
        seller=build.norwegian_party(name="Selger AS", org_number="921487304", address=address),
        buyer=build.norwegian_party(
            name="Kjøper AS", org_number="915674321", address=address, foretaksregisteret=False
        ),
        lines=[
            build.line(id="1", name="Timer", quantity=Decimal("1.5"), unit_code="HUR",
                       unit_price=Decimal("999.99"), vat_rate=Decimal(25)),
            build.line(id="2", name="Mat", quantity=Decimal(3), unit_price=Decimal("33.33"), vat_rate=Decimal(15),
                       allowances_charges=[AllowanceCharge(charge=False, amount=Decimal("10"), reason="Rabatt")]),
            build.line(id="3", name="Bok", quantity=Decimal(1), unit_price=Decimal(200), vat_rate=Decimal(0),
                       vat_category="E"),
        ],
        allowances_charges=[
            AllowanceCharge(charge=True, amount=Decimal(50), reason="Frakt", tax_category="S", tax_rate=Decimal(25))
        ],
        exemption_reasons={"E": "Unntatt etter mval. § 3-7"},
        buyer_reference="Ola",
        kid="1024020261177",
        account="15034002190",
    )  # fmt: skip


def test_builder_computes_lines_vat_and_totals():
    doc = _built()
    assert [line.line_extension_amount for line in doc.lines] == [Decimal("1499.99"), Decimal("89.99"), Decimal(200)]
    subtotals = doc.tax_totals[0].subtotals
    assert [(s.category, s.rate, s.taxable_amount, s.tax_amount) for s in subtotals] == [
        ("S", Decimal(25), Decimal("1549.99"), Decimal("387.50")),
        ("S", Decimal(15), Decimal("89.99"), Decimal("13.50")),
        ("E", Decimal(0), Decimal("200.00"), Decimal("0.00")),
    ]
    assert doc.totals.line_extension == Decimal("1789.98")
    assert doc.totals.charge_total == Decimal("50.00")
    assert doc.totals.allowance_total is None
    assert doc.totals.tax_exclusive == Decimal("1839.98")
    assert doc.totals.tax_inclusive == Decimal("2240.98")
    assert doc.totals.payable == Decimal("2240.98")
    assert doc.kid == "1024020261177"
    assert doc.seller.vat_id == "NO921487304MVA"
    assert doc.seller.foretaksregisteret and not doc.buyer.foretaksregisteret


def test_built_invoice_is_valid_ehf():
    from nofaktura.ehf.validation import validate

    data = write(_built())
    assert_schema_valid(data, "Invoice")
    result = validate(data)
    assert [(f.rule, f.location) for f in result.findings] == []
    assert read(data) == _built()


def test_builder_wants_an_exemption_reason():
    with pytest.raises(ValueError, match="exemption reason"):
        build.vat_breakdown([build.line(id="1", name="x", quantity=Decimal(1), unit_price=Decimal(1),
                                        vat_rate=Decimal(0), vat_category="E")])  # fmt: skip


def test_model_is_frozen_and_keyword_only():
    with pytest.raises(TypeError):
        PaymentMeans("30")  # type: ignore[misc]
    means = PaymentMeans(code="30", payment_id="123")
    with pytest.raises(AttributeError):
        means.code = "31"  # type: ignore[misc]
    assert Attachment(id="a", content=b"xyz").size == 3
    assert isinstance(_built().lines[0], Line)


# -- property: any canonical model document survives write -> read ------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nofaktura.ehf import model as m  # noqa: E402

# XML-safe text as the reader returns it: no control characters, no surrounding whitespace.
_ALPHABET = st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\x85")
TEXT = st.text(_ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)
CODE = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=4)
AMOUNT = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
QUANTITY = st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
RATE = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
DATE = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


def opt(strategy):
    return st.none() | strategy


IDENT = st.builds(m.Identifier, value=TEXT, scheme=opt(CODE))
ADDRESS = st.builds(
    m.Address, street=opt(TEXT), additional_street=opt(TEXT), city=opt(TEXT), postal_zone=opt(TEXT),
    country_subentity=opt(TEXT), address_line=opt(TEXT), country=opt(CODE),
)  # fmt: skip
CONTACT = st.builds(m.Contact, name=opt(TEXT), telephone=opt(TEXT), email=opt(TEXT))


def party(named: bool):
    return st.builds(
        m.Party, name=TEXT if named else opt(TEXT), trading_name=opt(TEXT), endpoint=opt(IDENT),
        identifiers=st.lists(IDENT, max_size=2).map(tuple), legal_id=opt(IDENT), legal_form=opt(TEXT),
        vat_id=opt(TEXT), tax_registration_id=opt(TEXT), address=opt(ADDRESS), contact=opt(CONTACT),
    )  # fmt: skip


AC_LINE = st.builds(
    m.AllowanceCharge, charge=st.booleans(), amount=AMOUNT, base_amount=opt(AMOUNT), percent=opt(RATE),
    reason=opt(TEXT), reason_code=opt(CODE),
)  # fmt: skip
AC_DOC = st.builds(
    m.AllowanceCharge, charge=st.booleans(), amount=AMOUNT, base_amount=opt(AMOUNT), percent=opt(RATE),
    reason=opt(TEXT), reason_code=opt(CODE), tax_category=CODE, tax_rate=opt(RATE),
)  # fmt: skip
ITEM = st.builds(
    m.Item, name=TEXT, vat_category=CODE, vat_rate=opt(RATE), description=opt(TEXT), sellers_id=opt(TEXT),
    buyers_id=opt(TEXT), standard_id=opt(IDENT), origin_country=opt(CODE),
    classifications=st.lists(st.builds(m.Classification, code=TEXT, list_id=opt(CODE), list_version=opt(CODE)),
                             max_size=2).map(tuple),
    properties=st.lists(st.builds(m.ItemProperty, name=TEXT, value=TEXT), max_size=2).map(tuple),
)  # fmt: skip
PRICE = st.one_of(
    st.builds(m.Price, amount=AMOUNT),
    st.builds(m.Price, amount=AMOUNT, base_quantity=QUANTITY, base_quantity_unit=opt(CODE)),
    st.builds(m.Price, amount=AMOUNT, allowance_amount=AMOUNT, gross_amount=opt(AMOUNT)),
)
PERIOD = st.builds(m.Period, start=opt(DATE), end=opt(DATE), description_code=opt(CODE))
LINE = st.builds(
    m.Line, id=TEXT, quantity=QUANTITY, unit_code=CODE, line_extension_amount=AMOUNT, item=ITEM, price=PRICE,
    note=opt(TEXT), accounting_cost=opt(TEXT), period=opt(PERIOD), order_line_reference=opt(TEXT),
    object_id=opt(IDENT), allowances_charges=st.lists(AC_LINE, max_size=2).map(tuple),
)  # fmt: skip
SUBTOTAL = st.builds(
    m.TaxSubtotal, taxable_amount=AMOUNT, tax_amount=AMOUNT, category=CODE, rate=opt(RATE),
    exemption_reason_code=opt(CODE), exemption_reason=opt(TEXT),
)  # fmt: skip
MEANS = st.builds(
    m.PaymentMeans, code=CODE, name=opt(TEXT), payment_id=opt(TEXT), account_id=opt(TEXT), account_name=opt(TEXT),
    bic=opt(TEXT), card=opt(st.builds(m.CardAccount, primary_account_number=TEXT, network_id=TEXT,
                                      holder_name=opt(TEXT))),
    mandate=opt(st.builds(m.PaymentMandate, id=opt(TEXT), payer_account=opt(TEXT))),
)  # fmt: skip
ATTACHMENT = st.builds(
    m.Attachment, id=TEXT, id_scheme=opt(CODE), document_type_code=opt(st.sampled_from(["130", "916"])),
    description=opt(TEXT), uri=opt(TEXT),
) | st.builds(
    m.Attachment, id=TEXT, description=opt(TEXT), filename=opt(TEXT),
    mime_code=st.sampled_from(["application/pdf", "text/csv"]), content=st.binary(max_size=64), uri=opt(TEXT),
)  # fmt: skip


@st.composite
def documents(draw) -> Document:
    kind = draw(st.sampled_from(["Invoice", "CreditNote"]))
    payment_means = tuple(draw(st.lists(MEANS, max_size=2)))
    order = draw(opt(TEXT))
    return Document(
        kind=kind,
        number=draw(TEXT),
        issue_date=draw(DATE),
        currency=draw(CODE),
        seller=draw(party(named=True)),
        buyer=draw(party(named=True)),
        totals=draw(st.builds(
            m.MonetaryTotals, line_extension=AMOUNT, tax_exclusive=AMOUNT, tax_inclusive=AMOUNT, payable=AMOUNT,
            allowance_total=opt(AMOUNT), charge_total=opt(AMOUNT), prepaid=opt(AMOUNT), rounding=opt(AMOUNT),
        )),
        lines=tuple(draw(st.lists(LINE, min_size=1, max_size=3))),
        type_code=draw(CODE),
        # A credit note can only carry BT-9 inside a payment means.
        due_date=draw(opt(DATE)) if kind == "Invoice" or payment_means else None,
        note=draw(opt(TEXT)),
        tax_point_date=draw(opt(DATE)),
        tax_currency=draw(opt(CODE)),
        accounting_cost=draw(opt(TEXT)),
        buyer_reference=draw(opt(TEXT)),
        invoice_period=draw(opt(PERIOD)),
        order_reference=order,
        sales_order_reference=draw(opt(TEXT)) if order else None,
        billing_references=tuple(draw(st.lists(st.builds(m.BillingReference, id=TEXT, issue_date=opt(DATE)),
                                               max_size=2))),
        despatch_reference=draw(opt(TEXT)),
        receipt_reference=draw(opt(TEXT)),
        originator_reference=draw(opt(TEXT)),
        contract_reference=draw(opt(TEXT)),
        attachments=tuple(draw(st.lists(ATTACHMENT, max_size=2))),
        project_reference=draw(opt(TEXT)),
        payee=draw(opt(party(named=False))),
        tax_representative=draw(opt(party(named=False))),
        delivery=draw(opt(st.builds(m.Delivery, date=opt(DATE), location_id=opt(IDENT), address=opt(ADDRESS),
                                    party_name=opt(TEXT)))),
        payment_means=payment_means,
        payment_terms=draw(opt(TEXT)),
        allowances_charges=tuple(draw(st.lists(AC_DOC, max_size=2))),
        tax_totals=tuple(draw(st.lists(st.builds(m.TaxTotal, amount=AMOUNT, currency=CODE,
                                                 subtotals=st.lists(SUBTOTAL, max_size=2).map(tuple)),
                                       min_size=1, max_size=2))),
    )  # fmt: skip


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_model_document_is_schema_valid_and_reads_back_equal(document: Document):
    data = write(document)
    assert_schema_valid(data, document.kind)
    assert read(data) == document
    assert from_json(json.loads(json.dumps(to_json(document)))) == document


def test_gross_price_without_discount_is_refused_not_dropped():
    line = read(NORWEGIAN.read_bytes()).lines[0]
    broken = replace(line, price=replace(line.price, allowance_amount=None))
    with pytest.raises(ValueError, match="BT-148"):
        write(replace(read(NORWEGIAN.read_bytes()), lines=(broken,)))


def test_embedded_attachment_without_mime_code_is_refused():
    document = replace(read(NORWEGIAN.read_bytes()), attachments=(Attachment(id="x", content=b"%PDF-1.4"),))
    with pytest.raises(ValueError, match="MIME code"):
        write(document)


def test_trading_name_alone_is_the_name():
    from nofaktura.ehf.model import Party

    assert Party(trading_name="Kiosken") == Party(name="Kiosken")


def test_builder_prepaid_and_rounding_reach_the_amount_due():
    base = _built()
    doc = build.invoice(
        number=base.number, issue_date=base.issue_date, seller=base.seller, buyer=base.buyer, lines=base.lines,
        allowances_charges=base.allowances_charges, exemption_reasons={"E": "Unntatt"},
        prepaid=Decimal(1000), rounding=Decimal("0.02"),
    )  # fmt: skip
    assert doc.totals.payable == base.totals.tax_inclusive - 1000 + Decimal("0.02")
    assert (doc.totals.prepaid, doc.totals.rounding) == (Decimal("1000.00"), Decimal("0.02"))
    assert read(write(doc)) == doc
