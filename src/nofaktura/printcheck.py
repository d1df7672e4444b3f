"""Is a PDF fit to be printed and posted? Checks an invoice or letter against a print service's rules.

A letter that goes to Digipost's print service (or any print house) is rejected, or worse printed wrongly,
when the page is not A4, when text sits where the service prints its own barcode, when a font the printer
does not have is not embedded, or when the address is not where the envelope window is. Catching that here,
on the PDF we produce, is cheaper than a returned letter. The default :class:`PrintRules` are Digipost's
(``../shared/corpora/digipost/printability``: the printability-validator's rules — A4 with −10/+0 mm
tolerance, portrait or landscape, the barcode zone x 0–15 mm × y 95–175 mm from the top kept free of text,
fonts other than the standard 14 and Arial embedded, PDF 1.0–1.7, at most 20 pages, no encryption), plus the
address window of a C5/C4 window envelope, which Digipost does not need (it adds an address sheet) but an
in-house print or a print house that folds the letter into a window envelope does.

The window defaults to the address field of DIN 5008 form B (20 mm from the left, 45 mm from the top,
85 × 45 mm), the layout Scandinavian C5/E65 window envelopes are made for; it is a rule, so a print house
with another envelope sets its own. Text is located with pypdf's text visitor: a chunk counts where it
starts (its baseline origin), which is what PDFBox's area text stripper, used by Digipost, also looks at.
Only text is checked in the margins, as Digipost does: lines and images there are not reported.

The PDF comes from outside as often as from us, so it is read defensively: its size is bounded, at most
``max_pages`` pages are inspected, and whatever pypdf raises on a broken file becomes a
:class:`~nofaktura.exceptions.DocumentError` with the reason.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from nofaktura.exceptions import DocumentError
from nofaktura.messages import Message, msg
from nofaktura.messages import text as render_text

__all__ = [
    "DIGIPOST_RULES",
    "Finding",
    "PrintRules",
    "TextChunk",
    "Window",
    "check_print_ready",
    "page_text_chunks",
]

MM = 72 / 25.4  # PDF points per millimetre

#: Fonts a printer is expected to have, so they may stay unembedded (Digipost's PdfFontValidator list:
#: the standard 14 families and Arial), matched on the upper-cased name without hyphens or spaces.
STANDARD_FONT_FAMILIES = ("TIMES", "COURIER", "HELVETICA", "SYMBOL", "ZAPFDINGBATS", "ARIAL")

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Window:
    """A rectangle on the page in millimetres, measured from the top-left corner of the sheet."""

    left: float
    top: float
    width: float
    height: float

    def contains(self, x_mm: float, y_mm: float) -> bool:
        """Whether a point (from the top-left) lies inside, edges included."""
        return self.left <= x_mm <= self.left + self.width and self.top <= y_mm <= self.top + self.height

    def describe(self) -> Message:
        """The rectangle as a reader of a finding wants it."""
        return msg(
            "print.rect", left=self.left, right=self.left + self.width, top=self.top, bottom=self.top + self.height
        )


@dataclass(frozen=True)
class PrintRules:
    """What a print service demands. The defaults are Digipost's rules plus a C5/C4 envelope window."""

    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    #: How much smaller (``size_minus_mm``) or larger (``size_plus_mm``, the bleed) a page may be.
    size_minus_mm: float = 10.0
    size_plus_mm: float = 0.0
    allow_landscape: bool = True
    #: Zone that must hold no text on portrait pages (Digipost prints its barcode there); None = no zone.
    barcode_zone: Window | None = Window(left=0.0, top=95.0, width=15.0, height=80.0)
    #: A left margin (mm) that must hold no text on every page; None = not required (Digipost: barcode zone only).
    left_margin_mm: float | None = None
    #: Where the recipient's address must be on page 1; None = no window check.
    address_window: Window | None = Window(left=20.0, top=45.0, width=85.0, height=45.0)
    #: Families allowed unembedded; empty = every font must be embedded.
    unembedded_font_families: tuple[str, ...] = STANDARD_FONT_FAMILIES
    allow_type3_fonts: bool = False
    max_pages: int | None = 20
    pdf_versions: tuple[str, ...] = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
    max_bytes: int = 20 * 1024 * 1024


#: Digipost's print rules (the printability validator's defaults), with the envelope window.
DIGIPOST_RULES = PrintRules()


@dataclass(frozen=True)
class Finding:
    """One broken rule: ``rule`` is a stable id, ``page`` is 1-based (None = the whole document)."""

    rule: str
    message: str
    page: int | None = None

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str | None = "en") -> str:
        """The finding as a sentence in the reader's language (``nb``/``nb_NO`` or English)."""
        if self.page:
            return render_text(msg("print.finding_page", page=self.page, message=self.message, rule=self.rule), lang)
        return render_text(msg("print.finding", message=self.message, rule=self.rule), lang)


@dataclass(frozen=True)
class TextChunk:
    """A piece of text and where it starts, in mm from the top-left corner of the page."""

    text: str
    x_mm: float
    y_mm: float
    font: str = ""


@dataclass
class _Page:
    number: int
    width_mm: float
    height_mm: float
    chunks: list[TextChunk] = field(default_factory=list)


_READ_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    RecursionError,
    OSError,
    ZeroDivisionError,
    OverflowError,
    NotImplementedError,
)


def _pypdf() -> Any:
    import pypdf  # noqa: PLC0415 — imported on use so the rest of the library does not need it

    return pypdf


def check_print_ready(
    pdf_bytes: bytes,
    rules: PrintRules = DIGIPOST_RULES,
    *,
    recipient: Sequence[str] | None = None,
) -> list[Finding]:
    """Every way ``pdf_bytes`` breaks ``rules``; an empty list means it can be printed and posted.

    ``recipient`` is the address as it must show in the envelope window (name, street, postcode and town,
    one line each): each line must be found on page 1 inside ``rules.address_window`` (spacing and case
    ignored). Without it, the window merely has to hold some text. Raises DocumentError when the bytes are
    not a readable PDF.
    """
    if not isinstance(pdf_bytes, (bytes, bytearray, memoryview)):
        raise TypeError("check_print_ready takes the PDF as bytes")
    data = bytes(pdf_bytes)
    if len(data) > rules.max_bytes:
        raise DocumentError(msg("print.too_large", size=len(data), limit=rules.max_bytes))
    if not data.lstrip()[:5] == b"%PDF-":
        raise DocumentError(msg("print.not_pdf"))
    pypdf = _pypdf()
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return [Finding("encrypted", msg("print.encrypted"))]
        findings = _check_document(reader, rules)
        pages = []
        for index, page in enumerate(reader.pages):
            if rules.max_pages is not None and index >= rules.max_pages:
                break
            pages.append(_inspect_page(page, index + 1))
            findings.extend(_check_fonts(page, index + 1, rules))
    except DocumentError:
        raise
    except (pypdf.errors.PyPdfError, *_READ_ERRORS) as exc:
        raise DocumentError(msg("print.unreadable", detail=f"{exc.__class__.__name__}: {exc}")) from exc
    for page in pages:
        findings.extend(_check_size(page, rules))
        findings.extend(_check_margins(page, rules))
    if pages and rules.address_window is not None:
        findings.extend(_check_window(pages[0], rules.address_window, recipient))
    return findings


def page_text_chunks(pdf_bytes: bytes, page_number: int = 1) -> list[TextChunk]:
    """The text of one page with positions, for tests and for explaining a finding."""
    pypdf = _pypdf()
    try:
        reader = pypdf.PdfReader(io.BytesIO(bytes(pdf_bytes)), strict=False)
        return _inspect_page(reader.pages[page_number - 1], page_number).chunks
    except (pypdf.errors.PyPdfError, *_READ_ERRORS) as exc:
        raise DocumentError(msg("print.unreadable", detail=f"{exc.__class__.__name__}: {exc}")) from exc


def _check_document(reader: Any, rules: PrintRules) -> list[Finding]:
    findings = []
    count = len(reader.pages)
    if count == 0:
        findings.append(Finding("pages.none", msg("print.no_pages")))
    elif rules.max_pages is not None and count > rules.max_pages:
        findings.append(
            Finding("pages.too_many", msg("print.too_many_pages", count=count, limit=rules.max_pages))
        )
    version = _pdf_version(reader)
    if rules.pdf_versions and version not in rules.pdf_versions:
        findings.append(
            Finding(
                "pdf.version",
                msg(
                    "print.version",
                    version=version or msg("print.version_unknown"),
                    low=rules.pdf_versions[0],
                    high=rules.pdf_versions[-1],
                ),
            )
        )
    return findings


def _pdf_version(reader: Any) -> str:
    header = str(getattr(reader, "pdf_header", "") or "")
    version = header.removeprefix("%PDF-").strip()
    catalog_version = reader.trailer["/Root"].get("/Version")
    if catalog_version is not None:  # the catalog may raise the header's version (PDF 1.4 and later)
        candidate = str(catalog_version).lstrip("/")
        version = max(version, candidate)
    return version


def _inspect_page(page: Any, number: int) -> _Page:
    box = page.cropbox
    left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    width, height = abs(right - left), abs(top - bottom)
    if page.get("/Rotate", 0) in (90, 270, -90, -270):
        width, height = height, width
    result = _Page(number, width / MM, height / MM)
    origin_x, origin_top = min(left, right), max(top, bottom)

    def visitor(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, _size: Any) -> None:
        if not text or not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        result.chunks.append(TextChunk(text, (x - origin_x) / MM, (origin_top - y) / MM, name.lstrip("/")))

    page.extract_text(visitor_text=visitor)
    return result


def _check_size(page: _Page, rules: PrintRules) -> Iterator[Finding]:
    if _fits(page.width_mm, page.height_mm, rules) or (
        rules.allow_landscape and _fits(page.height_mm, page.width_mm, rules)
    ):
        return
    yield Finding(
        "page.size",
        msg(
            "print.page_size",
            width=page.width_mm,
            height=page.height_mm,
            page_width=rules.page_width_mm,
            page_height=rules.page_height_mm,
            minus=rules.size_minus_mm,
            plus=rules.size_plus_mm,
            orientation=msg("print.portrait_or_landscape" if rules.allow_landscape else "print.portrait"),
        ),
        page.number,
    )


def _fits(width: float, height: float, rules: PrintRules) -> bool:
    # Rounded to whole millimetres, as Digipost's validator does, so 209.9 mm is A4.
    w, h = round(width), round(height)
    return (
        rules.page_width_mm - rules.size_minus_mm <= w <= rules.page_width_mm + rules.size_plus_mm
        and rules.page_height_mm - rules.size_minus_mm <= h <= rules.page_height_mm + rules.size_plus_mm
    )


def _check_margins(page: _Page, rules: PrintRules) -> Iterator[Finding]:
    landscape = page.width_mm > page.height_mm
    zone = rules.barcode_zone
    if zone is not None and landscape:
        # A landscape page is printed turned: the zone runs along its bottom edge (Digipost's SilentZone).
        zone = Window(left=zone.top, top=page.height_mm - zone.width, width=zone.height, height=zone.width)
    for chunk in page.chunks:
        if zone is not None and zone.contains(chunk.x_mm, chunk.y_mm):
            yield Finding(
                "margin.barcode_zone",
                msg(
                    "print.barcode_zone",
                    text=_quote(chunk.text),
                    where=msg("print.point", x=chunk.x_mm, y=chunk.y_mm),
                    zone=zone.describe(),
                ),
                page.number,
            )
            return  # one finding per page is enough to act on
        if rules.left_margin_mm is not None and not landscape and chunk.x_mm < rules.left_margin_mm:
            yield Finding(
                "margin.left",
                msg("print.left_margin", text=_quote(chunk.text), x=chunk.x_mm, margin=rules.left_margin_mm),
                page.number,
            )
            return


def _check_window(page: _Page, window: Window, recipient: Sequence[str] | None) -> Iterator[Finding]:
    if not page.chunks:
        yield Finding(
            "address.window",
            msg("print.no_text"),
            page.number,
        )
        return
    inside = [c for c in page.chunks if window.contains(c.x_mm, c.y_mm)]
    inside.sort(key=lambda c: (round(c.y_mm, 1), c.x_mm))
    if recipient is None:
        if not inside:
            yield Finding(
                "address.window",
                msg("print.window_empty", window=window.describe()),
                page.number,
            )
        return
    window_text = _squash("".join(c.text for c in inside))
    for line in recipient:
        wanted = _squash(line)
        if not wanted or wanted in window_text:
            continue
        where = _locate(page.chunks, wanted)
        yield Finding(
            "address.window",
            msg("print.address_elsewhere", line=_quote(line), window=window.describe(), where=where)
            if where
            else msg("print.address_missing", line=_quote(line), window=window.describe()),
            page.number,
        )


def _locate(chunks: Sequence[TextChunk], wanted: str) -> Message | str:
    """Where on the page a line of text is, for the finding; '' when it is nowhere."""
    for i, chunk in enumerate(chunks):
        text = ""
        for following in chunks[i:]:
            text += _squash(following.text)
            if wanted in text and _squash(chunk.text) and wanted.startswith(_squash(chunk.text)[:1]):
                return msg("print.point", x=chunk.x_mm, y=chunk.y_mm)
            if len(text) > len(wanted) + 200:
                break
    return ""


def _check_fonts(page: Any, number: int, rules: PrintRules) -> Iterator[Finding]:
    seen: set[str] = set()
    for name, font in _fonts(page.get("/Resources"), depth=0, visited=set()):
        if name in seen:
            continue
        seen.add(name)
        subtype = str(font.get("/Subtype", ""))
        if subtype == "/Type3":
            if not rules.allow_type3_fonts:
                yield Finding("font.type3", msg("print.font_type3", name=name), number)
            continue
        if _embedded(font):
            continue
        normalised = name.upper().replace("-", "").replace(" ", "")
        if any(family in normalised for family in rules.unembedded_font_families):
            continue
        yield Finding(
            "font.not_embedded",
            msg("print.font_not_embedded", name=name, subtype=subtype.lstrip("/") or msg("print.no_subtype")),
            number,
        )


def _fonts(resources: Any, *, depth: int, visited: set[int]) -> Iterator[tuple[str, Any]]:
    """The fonts of a resource dictionary and of the forms it draws, depth-bounded against loops."""
    resources = _resolve(resources)
    if not isinstance(resources, dict) or depth > 8:
        return
    fonts = _resolve(resources.get("/Font"))
    if isinstance(fonts, dict):
        for value in fonts.values():
            font = _resolve(value)
            if isinstance(font, dict):
                yield _SUBSET_PREFIX.sub("", str(font.get("/BaseFont", "(unnamed)")).lstrip("/")), font
    xobjects = _resolve(resources.get("/XObject"))
    if isinstance(xobjects, dict):
        for ref in xobjects.values():
            key = getattr(ref, "idnum", None)
            if key is not None:
                if key in visited:
                    continue
                visited.add(key)
            xobject = _resolve(ref)
            if isinstance(xobject, dict) and xobject.get("/Subtype") == "/Form":
                yield from _fonts(xobject.get("/Resources"), depth=depth + 1, visited=visited)


def _embedded(font: Any) -> bool:
    descriptor = _resolve(font.get("/FontDescriptor"))
    if descriptor is None and font.get("/Subtype") == "/Type0":
        descendants = _resolve(font.get("/DescendantFonts"))
        if isinstance(descendants, list) and descendants:
            descriptor = _resolve(_resolve(descendants[0]).get("/FontDescriptor"))
    if not isinstance(descriptor, dict):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _squash(text: str) -> str:
    return _SPACE.sub("", text).casefold()


def _quote(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")
