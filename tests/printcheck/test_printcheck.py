"""The print check against Digipost's own test PDFs and against letters drawn here with reportlab."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.pagesizes import A4, A5, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from nofaktura.exceptions import DocumentError
from nofaktura.printcheck import DIGIPOST_RULES, PrintRules, check_print_ready
from tests.conftest import CORPORA

PRINTABILITY = CORPORA / "digipost" / "printability"
RECIPIENT = ["Kari Nordmann", "Storgata 1", "0155 OSLO"]

#: Digipost's error names and the rule ids that stand for them.
DIGIPOST_NAMES = {
    "UNSUPPORTED_DIMENSIONS": "page.size",
    "INSUFFICIENT_MARGIN_FOR_PRINT": "margin.barcode_zone",
    "REFERENCES_INVALID_FONT": "font.not_embedded",
    "TOO_MANY_PAGES_FOR_AUTOMATED_PRINT": "pages.too_many",
    "PDF_IS_ENCRYPTED": "encrypted",
}


def _expected_rows() -> list[tuple[str, str, str]]:
    path = PRINTABILITY / "EXPECTED.tsv"
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("file\t"):
            continue
        file, settings, *expected = line.split("\t")
        rows.append((file, settings, expected[0] if expected else ""))
    return rows


def _rules_for(settings: str) -> PrintRules:
    """The corpus' settings (margin, fonts, pages, version flags and bleed) as PrintRules, no window."""
    flags, _, bleed = settings.partition(" bleed=")
    on = [True] * 4 if flags == "ALL" else [flag == "T" for flag in flags.split(",")]
    plus, minus = (float(b) for b in bleed.replace("+", "").split("/-")) if bleed else (0.0, 10.0)
    return PrintRules(
        size_plus_mm=plus,
        size_minus_mm=minus,
        barcode_zone=DIGIPOST_RULES.barcode_zone if on[0] else None,
        unembedded_font_families=DIGIPOST_RULES.unembedded_font_families if on[1] else ("",),
        max_pages=DIGIPOST_RULES.max_pages if on[2] else None,
        pdf_versions=DIGIPOST_RULES.pdf_versions if on[3] else (),
        address_window=None,
    )


@pytest.mark.skipif(not _expected_rows(), reason=f"Digipost printability corpus not found in {PRINTABILITY}")
@pytest.mark.parametrize(("file", "settings", "expected"), _expected_rows())
def test_digipost_printability_corpus(file: str, settings: str, expected: str):
    data = (PRINTABILITY / file).read_bytes()
    names = [name for name in expected.replace(" (any order)", "").split(",") if name]
    if names == ["PDF_PARSE_ERROR"]:
        with pytest.raises(DocumentError):
            check_print_ready(data, _rules_for(settings))
        return
    found = {finding.rule for finding in check_print_ready(data, _rules_for(settings))}
    assert found == {DIGIPOST_NAMES[name] for name in names}


def _letter(
    *,
    pagesize: tuple[float, float] = A4,
    address_at: tuple[float, float] = (22, 52),
    margin_text_at: tuple[float, float] | None = None,
    font: str = "Helvetica",
    pages: int = 1,
) -> bytes:
    """A one-page letter: the address block at ``address_at`` (mm from the top-left), a body below it."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=pagesize, invariant=1)
    height = pagesize[1]
    for _ in range(pages):
        pdf.setFont(font, 10)
        x, y = address_at
        for i, line in enumerate(RECIPIENT):
            pdf.drawString(x * mm, height - (y + 5 * i) * mm, line)
        pdf.drawString(25 * mm, height - 110 * mm, "Faktura 10001 - forfall 04.12.2026 - KID 1024020261177")
        if margin_text_at is not None:
            pdf.drawString(margin_text_at[0] * mm, height - margin_text_at[1] * mm, "side 1 av 1")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_good_letter_passes():
    assert check_print_ready(_letter(), recipient=RECIPIENT) == []


def test_wrong_page_size_is_found_with_the_size():
    findings = check_print_ready(_letter(pagesize=LETTER), recipient=RECIPIENT)
    assert [f.rule for f in findings] == ["page.size"]
    assert findings[0].page == 1
    assert "215.9 × 279.4 mm" in findings[0].message


def test_a5_is_refused():
    assert "page.size" in {f.rule for f in check_print_ready(_letter(pagesize=A5))}


def test_text_in_the_barcode_zone_is_found_with_its_position():
    findings = check_print_ready(_letter(margin_text_at=(8, 120)), recipient=RECIPIENT)
    assert [f.rule for f in findings] == ["margin.barcode_zone"]
    assert "'side 1 av 1' at x 8.0 mm, y 120.0 mm" in findings[0].message


def test_text_in_the_left_margin_outside_the_zone_only_when_the_rules_ask():
    letter = _letter(margin_text_at=(8, 250))
    assert check_print_ready(letter, recipient=RECIPIENT) == []
    findings = check_print_ready(letter, PrintRules(left_margin_mm=15), recipient=RECIPIENT)
    assert [f.rule for f in findings] == ["margin.left"]


def test_address_outside_the_window_is_found_where_it_is():
    findings = check_print_ready(_letter(address_at=(120, 30)), recipient=RECIPIENT)
    assert [f.rule for f in findings] == ["address.window"] * 3
    assert "'Kari Nordmann' is not inside the envelope window" in findings[0].message
    assert "x 120.0 mm, y 30.0 mm" in findings[0].message


def test_an_address_not_on_the_page_is_said_so():
    findings = check_print_ready(_letter(), recipient=["Ola Nordmann"])
    assert [f.rule for f in findings] == ["address.window"]
    assert "not on the page" in findings[0].message


def test_an_empty_window_is_found_without_a_recipient():
    assert [f.rule for f in check_print_ready(_letter(address_at=(120, 200)))] == ["address.window"]
    assert check_print_ready(_letter()) == []


def test_a_page_without_text_says_the_address_cannot_be_read():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.rect(25 * mm, 200 * mm, 80 * mm, 30 * mm, fill=1)  # what text drawn as outlines amounts to
    pdf.showPage()
    pdf.save()
    findings = check_print_ready(buffer.getvalue(), recipient=RECIPIENT)
    assert [f.rule for f in findings] == ["address.window"]
    assert "no text at all" in findings[0].message


def _rename_font(data: bytes, new_name: str) -> bytes:
    """The letter with its (unembedded, standard) font renamed to one a printer does not have."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter(clone_from=reader)
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font.get_object()[pypdf.generic.NameObject("/BaseFont")] = pypdf.generic.NameObject(new_name)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_unembedded_font_is_found_by_name():
    findings = check_print_ready(_rename_font(_letter(), "/Verdana"), recipient=RECIPIENT)
    assert [f.rule for f in findings] == ["font.not_embedded"]
    assert "'Verdana'" in findings[0].message and findings[0].page == 1


def test_standard_fonts_unembedded_pass_digipost_but_not_strict_rules():
    strict = PrintRules(unembedded_font_families=())
    findings = check_print_ready(_letter(), strict, recipient=RECIPIENT)
    assert [f.rule for f in findings] == ["font.not_embedded"]
    assert "'Helvetica'" in findings[0].message


def test_page_count_limit():
    findings = check_print_ready(_letter(pages=3), PrintRules(max_pages=2), recipient=RECIPIENT)
    assert [f.rule for f in findings] == ["pages.too_many"]


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"%PDF-1.4\n" + b"\x00" * 100, b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>"],
)
def test_broken_input_is_a_document_error(data: bytes):
    with pytest.raises(DocumentError):
        check_print_ready(data)


def test_oversized_input_is_refused_before_parsing():
    with pytest.raises(DocumentError, match="at most 1000"):
        check_print_ready(_letter(), PrintRules(max_bytes=1000))


def test_the_ehf_invoice_pdf_is_print_ready():
    from nofaktura.ehf.pdf import render_pdf
    from nofaktura.ehf.reader import read

    path = Path(__file__).parents[2] / "examples" / "invoice-no.xml"
    document = read(path.read_bytes())
    buyer = document.buyer
    assert buyer is not None and buyer.address is not None
    lines = [buyer.name or "", buyer.address.street or "", f"{buyer.address.postal_zone} {buyer.address.city}"]
    assert check_print_ready(render_pdf(document), recipient=lines) == []


def test_cli_printcheck(tmp_path: Path, capsys):
    import json

    from nofaktura.cli import main

    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(_letter())
    bad.write_bytes(_letter(pagesize=LETTER))
    address = [arg for line in RECIPIENT for arg in ("--address", line)]
    assert main(["printcheck", str(good), *address]) == 0
    assert "ready for print" in capsys.readouterr().out
    assert main(["printcheck", str(good), str(bad), *address, "--json"]) == 1
    entries = json.loads(capsys.readouterr().out)
    assert [e["ok"] for e in entries] == [True, False]
    assert entries[1]["findings"][0]["rule"] == "page.size"
    (tmp_path / "not.pdf").write_bytes(b"hello")
    assert main(["printcheck", str(tmp_path / "not.pdf"), str(tmp_path / "missing.pdf")]) == 2
    assert "not a PDF" in capsys.readouterr().err
