"""``nofaktura show``: summary, JSON and PDF of an EHF document, and exit codes for bad input."""

from __future__ import annotations

import base64
import json
import re
import zlib
from pathlib import Path

import pytest

from nofaktura.cli import main
from nofaktura.ehf.pdf import format_money, render_pdf
from nofaktura.ehf.reader import read

from ..conftest import CORPORA, REPO
from .test_reader import CN_MAX, NORWEGIAN

EXAMPLE_XML = REPO / "examples" / "invoice-no.xml"


def pdf_text(data: bytes) -> str:
    """The text shown by a reportlab PDF: decode its content streams and collect the strings.

    Enough for reportlab's output (ASCII85 + Flate streams, literal strings in WinAnsi); it keeps
    the test free of a PDF library.
    """
    pieces = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        head = data[max(0, data.find(raw) - 200) : data.find(raw)]
        stream = raw.strip()
        if b"ASCII85Decode" in head:
            stream = base64.a85decode(stream, adobe=True)
        if b"FlateDecode" in head:
            stream = zlib.decompress(stream)
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", stream, re.DOTALL):
            text = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), literal)
            text = re.sub(rb"\\(.)", rb"\1", text)
            pieces.append(text.decode("cp1252"))
    return "\n".join(pieces)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_summary_of_the_norwegian_example(capsys):
    code, out, err = run(capsys, "show", str(NORWEGIAN))
    assert code == 0
    assert err == ""
    for expected in [
        "Invoice TOSL108 (type 380, NOK)",
        "Due date: 2013-07-20",
        "Buyer reference: 3150bdn",
        "Seller: The Sellercompany ASA",
        "org. number: 123456785",
        "VAT id: NO123456785MVA",
        "Foretaksregisteret",
        "Peppol: 0192:987654325",
        "Laptop computer",
        "S 25%: 365.13 on 1 460.50",
        "amount due: 802.00 NOK",
        "KID 0003434323213231",
        "account NO9386011117947",
        "Hours-spent.csv, application/pdf, 21 bytes",
    ]:
        assert expected in out, expected


def test_summary_of_a_credit_note(capsys):
    code, out, _ = run(capsys, "show", str(CN_MAX))
    assert code == 0
    assert out.startswith("Credit note ")


def test_summary_of_the_bundled_example_has_norwegian_letters(capsys):
    code, out, _ = run(capsys, "show", str(EXAMPLE_XML))
    assert code == 0
    assert "Bjørkåsen Rådgivning AS" in out
    assert "KID 1024020261177" in out


def test_json_output_has_attachment_sizes_not_content(capsys):
    code, out, _ = run(capsys, "show", str(NORWEGIAN), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["number"] == "TOSL108"
    assert data["payment_means"][0]["payment_id"] == "0003434323213231"
    embedded = data["attachments"][1]
    assert embedded == {
        "id": "Doc2",
        "description": "EHF specification",
        "filename": "Hours-spent.csv",
        "mime_code": "application/pdf",
        "size": 21,
    }


def test_pdf_is_written_and_shows_the_invoice(capsys, tmp_path: Path):
    out_pdf = tmp_path / "vis.pdf"
    code, out, err = run(capsys, "show", str(EXAMPLE_XML), "--pdf", str(out_pdf))
    assert code == 0
    assert "Invoice 2026117" in out
    assert str(out_pdf) in err
    data = out_pdf.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Faktura 2026117" in text
    assert "Bjørkåsen Rådgivning AS" in text
    assert "Løvåsveien 7" in text
    assert "1024020261177" in text  # KID
    assert "1503.40.02190" in text  # account, printed the Norwegian way
    assert "12 084,07" in text  # amount due, Norwegian format
    assert "04.12.2026" in text  # due date


def test_pdf_in_english_of_a_big_example():
    document = read((CORPORA / "eInvoicing-EN16931" / "ubl" / "examples" / "guide-example1.xml").read_bytes())
    data = render_pdf(document, lang="en")
    text = pdf_text(data)
    assert f"Invoice {document.number}" in text
    assert "Amount due" in text
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1


def test_pdf_is_deterministic():
    document = read(NORWEGIAN.read_bytes())
    assert render_pdf(document) == render_pdf(document)


def test_money_format():
    from decimal import Decimal

    assert format_money(Decimal("12084.07")) == "12 084,07"
    assert format_money(Decimal("-3.96"), "en") == "-3.96"
    assert format_money(Decimal("0.1234")) == "0,1234"


# -- unusable input: exit 2 with a message on stderr ----------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"plain text", "not well-formed XML"),
        (b'<!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><a>&b;</a>', "DOCTYPE"),
        (b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>', "expected the root element"),
        (b'{"format": "nofaktura.ehf/1", "number": 1}', "expected a string"),
        (b"{not json", "not valid JSON"),
    ],
)
def test_unusable_input_exits_2(capsys, tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "in.xml"
    path.write_bytes(content)
    code, out, err = run(capsys, "show", str(path))
    assert code == 2
    assert out == ""
    assert message in err
    assert str(path) in err


def test_deeply_nested_json_exits_2(capsys, tmp_path: Path):
    path = tmp_path / "deep.json"
    path.write_bytes(b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}")
    code, _, err = run(capsys, "show", str(path))
    assert code == 2
    assert "not valid JSON" in err


def test_input_over_the_size_limit_is_refused_before_reading(tmp_path: Path):
    from nofaktura.cli.show import load_document
    from nofaktura.exceptions import UnsafeDocument

    with pytest.raises(UnsafeDocument, match="larger than the limit of 1000 bytes"):
        load_document(str(NORWEGIAN), max_bytes=1000)


def test_missing_file_exits_2(capsys, tmp_path: Path):
    code, _, err = run(capsys, "show", str(tmp_path / "nope.xml"))
    assert code == 2
    assert "nope.xml" in err


def test_amount_error_names_the_xpath(capsys, tmp_path: Path):
    path = tmp_path / "bad.xml"
    text = NORWEGIAN.read_text(encoding="utf-8").replace(
        '<cbc:PayableAmount currencyID="NOK">802.00</cbc:PayableAmount>',
        '<cbc:PayableAmount currencyID="NOK">802,00</cbc:PayableAmount>',
    )
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "show", str(path))
    assert code == 1  # shown in part: the outline, and why on stderr
    assert "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount" in err
    assert "Amount due: 802,00 NOK" in out and "Number: " in out


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["show", "--help"])
    assert caught.value.code == 0
    assert "--pdf" in capsys.readouterr().out


def test_sbdh_envelope_is_shown_like_the_bare_document(capsys, tmp_path: Path):
    from .test_xml_safety import _wrap_in_sbdh

    path = tmp_path / "sbd.xml"
    path.write_bytes(_wrap_in_sbdh(NORWEGIAN.read_bytes()))
    code, out, _ = run(capsys, "show", str(path))
    assert code == 0
    assert out == run(capsys, "show", str(NORWEGIAN))[1]


def test_pdf_pages_carry_number_and_page():
    text = pdf_text(render_pdf(read(NORWEGIAN.read_bytes())))
    assert "Faktura TOSL108 - side 1" in text


def _readable_by_validate() -> list[Path]:
    """Every corpus file ``validate`` reads: a UBL Invoice, CreditNote or ApplicationResponse (as it checks)."""
    from nofaktura.ehf.validation import ROOTS
    from nofaktura.xml import expect_root, parse_untrusted, unwrap_sbdh

    found = []
    for path in sorted(CORPORA.rglob("*.xml")):
        if path.stat().st_size > 2_000_000:
            continue
        try:
            expect_root(unwrap_sbdh(parse_untrusted(path.read_bytes(), source=str(path))), ROOTS)
        except Exception:
            continue
        found.append(path)
    return found


def test_show_displays_every_document_validate_can_read(capsys):
    paths = _readable_by_validate()
    assert len(paths) > 100
    partial = []
    for path in paths:
        code, out, err = run(capsys, "show", str(path))
        assert code in (0, 1) and out.strip(), (path, err)
        if code == 1:
            assert "Specification: " in out or "Document: " in out
            assert err.startswith("nofaktura: error: "), err
            partial.append(path.name)
    # the EHF 2.x test files with blank or broken elements, payment requests, the bare UBL examples
    assert "T10-hode-blank.xml" in partial and "UBL-Invoice-2.1-Example.xml" in partial
    # Invoice Responses (validate checks them by the T111 rules) are shown in full
    responses = [path for path in paths if "invoice-response" in str(path)]
    assert len(responses) == 13 and not {path.name for path in responses} & set(partial)


def test_show_json_outline_of_a_partial_document(capsys):
    path = CORPORA / "ubl-2.1-xsd" / "xml" / "UBL-Invoice-2.1-Example.xml"
    code, out, err = run(capsys, "show", str(path), "--json")
    assert code == 1 and "CustomizationID" in err
    shown = json.loads(out)
    assert shown["outline"]["Document"] == "Invoice" and "Specification" not in shown["outline"]


def test_partial_document_writes_no_pdf_and_says_so(capsys, tmp_path: Path):
    path = CORPORA / "ubl-2.1-xsd" / "xml" / "UBL-Invoice-2.1-Example.xml"
    out_pdf = tmp_path / "x.pdf"
    code, out, err = run(capsys, "show", str(path), "--pdf", str(out_pdf))
    assert code == 1 and "Document: Invoice" in out
    assert "no PDF written" in err and not out_pdf.exists()
