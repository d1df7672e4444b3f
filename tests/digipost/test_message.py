"""The message XML validates against the corpus XSDs; bad input is refused before sending."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from nofaktura.digipost import (
    Document,
    ForeignAddress,
    InvoiceData,
    Message,
    NameAndAddress,
    NorwegianAddress,
    PostalAddress,
    PrintColor,
    PrintDetails,
    PrintIfUnread,
    Recipient,
    build_identification_xml,
    build_message_xml,
    build_multipart,
)
from nofaktura.digipost.message import DATATYPES_NS, NS, document_uuid, mask_national_id
from nofaktura.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from .conftest import DIGIPOST, NOW, ORGNR, PDF, PERSON_NON_USER, PERSON_USER, address, invoice_message, print_details

#: function-scoped fixtures are fine here (no state between examples); speed is never judged
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def assert_valid(schema, xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    assert schema.validate(root), schema.error_log
    return root


def test_corpus_samples_validate_with_our_wrapper_schema(schema):
    for sample in sorted((DIGIPOST / "samples").rglob("*.xml")):
        assert schema.validate(etree.parse(str(sample))), (sample, schema.error_log)


def test_invoice_with_print_if_unread_to_an_organisation_matches_the_corpus_sample(schema):
    message = invoice_message(
        recipient=Recipient.by_organisation_number(ORGNR),
        attachments=(Document(PDF, "Spesifikasjon"),),
        print_if_unread=PrintIfUnread(datetime(2026, 12, 13, 12, 0, tzinfo=timezone.utc), print_details()),
    )
    root = assert_valid(schema, build_message_xml(message))
    sample = etree.parse(str(DIGIPOST / "samples/derived/message-invoice-print-if-unread.xml")).getroot()

    def shape(node):
        return [etree.QName(e).localname for e in node.iter() if isinstance(e.tag, str)]

    # same elements in the same order, plus the explicit print defaults we always write
    assert [n for n in shape(root) if n not in ("color", "nondeliverable-handling")] == shape(sample)
    invoice = root.find(f".//{{{DATATYPES_NS}}}invoice")
    assert invoice.findtext(f"{{{DATATYPES_NS}}}sum") == "1250.00"
    assert invoice.findtext(f"{{{DATATYPES_NS}}}due-date") == "2026-12-20T00:00:00+01:00"
    assert invoice.findtext(f"{{{DATATYPES_NS}}}creditor-account") == "12345678903"
    assert invoice.findtext(f"{{{DATATYPES_NS}}}kid") == "1234567890128"


def test_print_fallback_to_a_person_matches_the_corpus_sample(schema):
    message = Message("INV-2025-000123", Recipient.by_national_id(PERSON_NON_USER), Document(PDF, "Faktura"),
                      print_details=print_details())  # fmt: skip
    root = assert_valid(schema, build_message_xml(message))
    sample = etree.parse(str(DIGIPOST / "samples/derived/message-print-fallback.xml")).getroot()
    names = [etree.QName(e).localname for e in root.iter()]
    assert names == [etree.QName(e).localname for e in sample.iter() if isinstance(e.tag, str)]
    assert root.find(f"{{{NS}}}recipient/{{{NS}}}print-details/{{{NS}}}color").text == "MONOCHROME"


def test_every_recipient_kind_and_foreign_and_colour_variants_validate(schema):
    recipients = [
        Recipient.by_national_id(PERSON_USER),
        Recipient.by_organisation_number(ORGNR),
        Recipient.by_digipost_address("ola.nordmann#AB12"),
        Recipient.by_name_and_address(NameAndAddress("Ola Nordmann", "Prinsensveien 123", "0460", "Oslo",
                                                     addressline2="H0101", birth_date=date(1980, 1, 2))),
    ]  # fmt: skip
    foreign = PostalAddress("Svensk AB", ForeignAddress(("Drottninggatan 1", "111 51 Stockholm"), country_code="SE"))
    details = PrintDetails(foreign, address(), color=PrintColor.COLORS, print_instructions=(("simplex", "true"),))
    for i, recipient in enumerate(recipients):
        message = Message(f"m{i}", recipient, Document(PDF, "Brev"), print_details=details,
                          delivery_time=NOW + timedelta(days=1), on_behalf_of=987654)  # fmt: skip
        assert_valid(schema, build_message_xml(message))
        assert_valid(schema, build_identification_xml(recipient))


def test_identification_matches_the_corpus_sample(schema):
    xml = build_identification_xml(Recipient.by_national_id(PERSON_USER))
    root = assert_valid(schema, xml)
    assert root.findtext(f"{{{NS}}}personal-identification-number") == PERSON_USER


def test_document_uuids_are_derived_from_the_message_id_so_a_retry_is_byte_identical():
    first = invoice_message(attachments=(Document(PDF, "Vedlegg"),))
    again = invoice_message(attachments=(Document(PDF, "Vedlegg"),))
    assert build_multipart(first) == build_multipart(again)
    assert first.primary.uuid == document_uuid("db1-inv-7-v1", 0)
    assert first.attachments[0].uuid == document_uuid("db1-inv-7-v1", 1)
    assert invoice_message("db1-inv-7-v2").primary.uuid != first.primary.uuid


def test_multipart_layout_message_first_then_files_named_by_uuid():
    message = invoice_message(attachments=(Document(b"hello", "Notat", file_type="txt"),))
    content_type, body = build_multipart(message)
    assert content_type.startswith("multipart/vnd.digipost-v8+xml; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    parts = body.split(b"--" + boundary)
    assert parts[0] == b"" and parts[-1] == b"--\r\n"
    assert parts[1].startswith(
        b'\r\nContent-Type: application/vnd.digipost-v8+xml\r\nContent-Disposition: attachment; filename="message"\r\n')
    assert f'filename="{message.primary.uuid}"'.encode() in parts[2] and parts[2].endswith(PDF + b"\r\n")
    assert b"Content-Type: text/plain" in parts[3] and parts[3].endswith(b"hello\r\n")


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: Recipient.by_national_id("01043100359"), InvalidChecksum),
        (lambda: Recipient.by_national_id("0104310035"), InvalidLength),
        (lambda: Recipient.by_national_id("0104310035x"), InvalidFormat),
        (lambda: Recipient.by_organisation_number("974760674"), ValidationError),
        (lambda: Recipient.by_digipost_address("ola nordmann"), InvalidFormat),
        (lambda: NorwegianAddress(("Storgata 1",), "155", "Oslo"), InvalidFormat),
        (lambda: NorwegianAddress(("a", "b", "c", "d"), "0155", "Oslo"), InvalidLength),
        (lambda: NorwegianAddress(("x" * 101,), "0155", "Oslo"), InvalidLength),
        (lambda: ForeignAddress(("a",), country_code="NO"), ValidationError),
        (lambda: ForeignAddress(("a",)), ValidationError),
        (lambda: PostalAddress(" ", NorwegianAddress(("a",), "0155", "Oslo")), ValidationError),
        (lambda: InvoiceData(Decimal("10"), "12345678904", date(2026, 1, 1)), ValidationError),
        (lambda: InvoiceData(Decimal("10"), "12345678903", date(2026, 1, 1), kid="1234567890127"), ValidationError),
        (lambda: InvoiceData(Decimal("10"), "12345678903", date(2026, 1, 1), kid="1" * 26), InvalidLength),
        (lambda: InvoiceData(Decimal("0"), "12345678903", date(2026, 1, 1)), ValidationError),
        (lambda: InvoiceData(Decimal("1.001"), "12345678903", date(2026, 1, 1)), ValidationError),
        (lambda: InvoiceData(Decimal("NaN"), "12345678903", date(2026, 1, 1)), ValidationError),
        (lambda: InvoiceData(10.0, "12345678903", date(2026, 1, 1)), ValidationError),
        (lambda: InvoiceData(Decimal("1"), "12345678903", datetime(2026, 1, 1)), ValidationError),
        (lambda: Document(b"", "x"), ValidationError),
        (lambda: Document(PDF, "x" * 256), InvalidLength),
        (lambda: Document(PDF, "x", file_type="PDF"), InvalidFormat),
        (lambda: Message("", Recipient.by_national_id(PERSON_USER), Document(PDF, "x")), ValidationError),
        (lambda: Message("m", Recipient.by_national_id(PERSON_USER), Document(b"text", "x", file_type="txt"),
                         print_details=print_details()), ValidationError),
        (lambda: PrintIfUnread(datetime(2026, 1, 1), print_details()), ValidationError),
        (lambda: PrintIfUnread.after_days(0, print_details(), now=NOW), ValidationError),
    ],
)
def test_bad_input_is_refused_before_sending(build, error):
    with pytest.raises(error):
        build()


def test_national_id_never_in_repr_or_error():
    recipient = Recipient.by_national_id(PERSON_USER)
    message = invoice_message(recipient=recipient)
    for text in (repr(recipient), str(recipient), repr(message)):
        assert PERSON_USER not in text
    assert mask_national_id(PERSON_USER) == "010431*****"
    with pytest.raises(InvalidChecksum) as info:
        Recipient.by_national_id("01043100359")
    assert "01043100359" not in str(info.value)
    na = NameAndAddress("Ola Nordmann", "Prinsensveien 123", "0460", "Oslo")
    assert "Nordmann" not in repr(Recipient.by_name_and_address(na))


def test_print_if_unread_after_days_is_noon_oslo_time():
    rule = PrintIfUnread.after_days(10, print_details(), now=datetime(2026, 12, 3, 23, 30, tzinfo=timezone.utc))
    assert rule.after.isoformat() == "2026-12-14T12:00:00+01:00"  # 23:30 UTC is already 4 December in Oslo


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=120).filter(
    lambda s: s.strip() and len(" ".join(s.split())) <= 100)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    subject=text,
    name=text,
    line=text,
    zip_code=st.from_regex(r"\A[0-9]{4}\Z"),
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2),
    days=st.integers(1, 60),
    color=st.sampled_from(PrintColor),
    attachments=st.integers(0, 3),
    message_id=st.text(st.characters(codec="ascii", min_codepoint=33, max_codepoint=126), min_size=1, max_size=60),
)
def test_any_valid_input_gives_schema_valid_xml(  # noqa: PLR0917 - one argument per generated field
    schema, subject, name, line, zip_code, amount, days, color,
    attachments, message_id):
    details = PrintDetails(PostalAddress(name, NorwegianAddress((line,), zip_code, line[:80])), address(),
                           color=color)  # fmt: skip
    message = Message(
        message_id,
        Recipient.by_national_id(PERSON_USER),
        Document(PDF, subject, invoice=InvoiceData(amount, "12345678903", date(2026, 12, 20), kid="1234567890128")),
        attachments=tuple(Document(PDF, f"{subject[:200]} {i}") for i in range(attachments)),
        print_details=details,
        print_if_unread=PrintIfUnread.after_days(days, details, now=NOW),
        invoice_reference=subject[:100],
    )
    root = assert_valid(schema, build_message_xml(message))
    assert root.findtext(f"{{{NS}}}message-id") == message_id


@pytest.mark.parametrize("bad", ["Faktura\x00", "a\x1bb", "\ud800"])
def test_control_characters_are_refused_not_crashing_lxml(bad):
    with pytest.raises(InvalidFormat):
        Document(PDF, bad)
