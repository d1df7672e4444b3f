"""Garbage in, typed error out: random and damaged input for every reader (Hypothesis).

For each entry point in :mod:`readers` (UBL, camt.053/054, SMP answers, OCR giro, the JSON form as
bytes) and each kind of damage (random bytes, a valid file cut short, flipped bits, a valid file in
the wrong encoding, junk spliced into a valid file), the reader either reads the input or raises an
error of the library's own families (:class:`DocumentError`, :class:`ValidationError`): never an
``IndexError``, ``KeyError``, ``UnicodeDecodeError``, ``decimal`` signal or lxml internal error. A
:class:`DocumentError` must name the source, and a line or an element unless it is about the whole
file (empty, too big, wrong root, DOCTYPE).

Example counts are small and the search is derandomized, so CI runs the same examples every time
and the folder stays well under a minute on two cores; raise ``ROBUSTNESS_EXAMPLES`` locally to
search harder.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nofaktura.exceptions import DocumentError, NofakturaError, UnsafeDocument, ValidationError

from .readers import JSON_READERS, OCR_READERS, SMP_URL, XML_READERS, Reader, samples, unwrap

SOURCE = "garbage.bin"
EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "20"))
READERS = [*XML_READERS, *OCR_READERS, *JSON_READERS]

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

#: Errors about the file as a whole, where no line or element can be named.
_WHOLE_FILE = (
    "the file is empty",
    "more than the limit",
    "DOCTYPE",
    "expected the root element",
    "envelope holds",
    "not a camt.05",
    "unexpected XML namespace",
    "the root element is",
    "neither a Nets OCR giro file",
    "entity reference",
)


def check_error(reader: Reader, exc: BaseException) -> None:
    """``exc`` must be a typed error of the library that says where."""
    error = unwrap(exc)
    assert isinstance(error, (DocumentError, ValidationError)), (
        f"{reader} raised {type(exc).__name__} (not DocumentError/ValidationError): {exc}"
    )
    if not isinstance(error, DocumentError):
        return
    text = str(error)
    source = SMP_URL if reader.family == "smp" else SOURCE
    assert source in text, f"{reader}: the message does not name the source: {text}"
    assert error.line is None or error.line >= 1, f"{reader}: line {error.line} in {text}"
    # A JSON decoding error names a byte position instead of a line: that locates it too.
    located = error.line is not None or error.path is not None or re.search(r"\b(line|position) \d+", text)
    assert located or isinstance(error, UnsafeDocument) or any(w in text for w in _WHOLE_FILE), (
        f"{reader}: the message names neither a line nor an element: {text}"
    )


def feed(reader: Reader, data: bytes) -> None:
    try:
        reader.call(data, SOURCE)
    except NofakturaError as exc:
        check_error(reader, exc)


# -- damage ---------------------------------------------------------------------------------------------


def random_bytes(_family: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.sampled_from(
            [b"", b" ", b"\n", b"\x00", b"<", b"<?xml", b"{", b"[]", b"null", b"NY000010", b"\xef\xbb\xbf"]
        ),
    )


def truncated(family: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(samples(family)).flatmap(lambda data: st.integers(0, len(data) - 1).map(lambda n: data[:n]))


def bit_flips(family: str) -> st.SearchStrategy[bytes]:
    def flip(data: bytes, positions: list[int]) -> bytes:
        out = bytearray(data)
        for position in positions:
            out[(position // 8) % len(out)] ^= 1 << (position % 8)
        return bytes(out)

    return st.sampled_from(samples(family)).flatmap(
        lambda data: st.lists(st.integers(0, len(data) * 8 - 1), min_size=1, max_size=8).map(
            lambda positions: flip(data, positions)
        )
    )


ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "utf-8-sig", "cp037", "utf-7"]


def wrong_encoding(family: str) -> st.SearchStrategy[bytes]:
    def reencode(data: bytes, encoding: str, fix_declaration: bool) -> bytes:
        text = data.decode("utf-8", errors="replace") if family != "ocr" else data.decode("latin-1")
        if fix_declaration:
            text = re.sub(r'encoding="[^"]*"', f'encoding="{encoding}"', text, count=1)
        return text.encode(encoding, errors="replace")

    return st.builds(reencode, st.sampled_from(samples(family)), st.sampled_from(ENCODINGS), st.booleans())


def spliced(family: str) -> st.SearchStrategy[bytes]:
    junk = st.one_of(
        st.binary(min_size=1, max_size=40),
        st.sampled_from([b"<", b">", b"&", b"&amp;", b"]]>", b"<!--", b"</x>", b"\x00", b"\xff\xfe", b"\r", b"\n",
                         b"NaN", b"-1e999999", b"99999999999999999999999999", b"\xc3", b"\t\t", b"'", b'"']),
    )  # fmt: skip

    def splice(data: bytes, start: int, length: int, chunk: bytes) -> bytes:
        start %= len(data)
        return data[:start] + chunk + data[start + length :]

    return st.sampled_from(samples(family)).flatmap(
        lambda data: st.builds(splice, st.just(data), st.integers(0, len(data) - 1), st.integers(0, 12), junk)
    )


#: Values that break naive parsing of numbers, dates, codes and lengths.
NASTY_VALUES = [
    "", " ", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "1e999999999", "-1e-999999999", "1E+5", "0x10",
    "1,5", "1 000", "-0", "+1", ".", "-", "99999999999999999999999999999999", "٣٤", "１２", "2026-02-30",
    "2026-13-01", "0000-00-00", "20260101", "2026-01-01T25:00:00", "true", "TRUE", "null", "CRDT ", "DBIT\n",
    "x" * 5000, "\u202e", "\U0001f4a9", "<", "&", "]]>",
]  # fmt: skip


def _xml_with_value(data: bytes, index: int, value: str, attribute: bool) -> bytes:
    from lxml import etree  # the sample is our own, trusted; the result is what gets fed to the reader

    root = etree.fromstring(data)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    element = elements[index % len(elements)]
    if attribute and element.attrib:
        element.set(sorted(element.attrib)[0], value)
    elif len(element) == 0:
        element.text = value
    else:
        element.tail = value  # mixed content where none is expected
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def _ocr_with_value(data: bytes, line_index: int, column: int, value: str) -> bytes:
    lines = data.decode("latin-1").split("\n")
    number = line_index % len(lines)
    line = lines[number]
    if len(line) >= 80:
        start = column % 78
        value = value.encode("latin-1", errors="replace").decode("latin-1")
        piece = (value + " " * 80)[: min(len(value) or 1, 80 - start)]
        lines[number] = line[:start] + piece + line[start + len(piece) :]
    return "\n".join(lines).encode("latin-1")


def field_values(family: str) -> st.SearchStrategy[bytes]:
    """A valid file with one field (element text, attribute, or OCR column) set to a nasty value."""
    xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
    value = st.one_of(st.sampled_from(NASTY_VALUES), xml_text, st.from_regex(r"-?\d{1,30}(\.\d{0,8})?", fullmatch=True))
    if family == "ocr":
        return st.builds(_ocr_with_value, st.sampled_from(samples(family)), st.integers(0, 100), st.integers(0, 79),
                         st.one_of(value, st.from_regex(r"\d{1,10}", fullmatch=True)))  # fmt: skip
    if family == "json":
        return st.nothing()
    return st.builds(_xml_with_value, st.sampled_from(samples(family)), st.integers(0, 10_000), value, st.booleans())


DAMAGE = {
    "random-bytes": random_bytes,
    "truncated": truncated,
    "bit-flips": bit_flips,
    "wrong-encoding": wrong_encoding,
    "spliced": spliced,
    "field-values": field_values,
}


def test_the_samples_are_read_without_error():
    """The damage starts from inputs every reader accepts (else the tests below would prove little)."""
    for reader in READERS:
        for data in samples(reader.family):
            reader.call(data, SOURCE)


@pytest.mark.parametrize(
    ("reader", "damage"),
    [
        pytest.param(reader, damage, id=f"{reader}-{damage}")
        for reader in READERS
        for damage in sorted(DAMAGE)
        if not (damage == "field-values" and reader.family == "json")  # values of the JSON form: test_json_form.py
    ],
)
def test_damaged_input_raises_only_typed_errors(reader: Reader, damage: str):
    @SETTINGS
    @given(DAMAGE[damage](reader.family))
    def run(data: bytes) -> None:
        feed(reader, data)

    run()


@pytest.mark.parametrize("data", [b""])
def test_camt_error_never_says_line_0(data: bytes):
    """lxml reports line 0 for input without any element; that is no line (it was shown as "line 0")."""
    reader = next(r for r in READERS if r.name == "bank.read_camt")
    with pytest.raises(DocumentError) as caught:
        reader.call(data, SOURCE)
    assert caught.value.line != 0, str(caught.value)
