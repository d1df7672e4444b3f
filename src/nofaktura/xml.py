"""The one safe way to read XML that comes from outside.

Received XML is hostile until parsed: no DTD, no entity expansion, no network access, a bounded
size and depth. Every reader in the library (UBL, camt, pain.002, SMP answers) goes through
:func:`parse_untrusted`, so the hardening lives in one place.

On top of that sit the checks every EHF receiver needs before it looks at content:
:func:`expect_root` (is this the document we think it is?), :func:`unwrap_sbdh` (Peppol access
points deliver the UBL inside a Standard Business Document envelope) and :func:`load_ubl`, which
does all three and says whether it got an Invoice or a CreditNote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from lxml import etree

from nofaktura.exceptions import DocumentError, UnsafeDocument
from nofaktura.messages import msg

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "LIBXML2_LIMIT_MESSAGES",
    "SBDH_NAMESPACE",
    "UBL_ROOTS",
    "declares_doctype",
    "element_path",
    "expect_root",
    "load_ubl",
    "parse_untrusted",
    "parse_untrusted_file",
    "unwrap_sbdh",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_DEPTH = 256

# A DOCTYPE can only stand in the prolog: after the XML declaration, comments and PIs.
_WHITESPACE = b" \t\r\n"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# libxml2 messages of its own hardening limits (wording differs between libxml2 2.10 and 2.14).
LIBXML2_LIMIT_MESSAGES = ("XML_PARSE_HUGE", "amplification", "Detected an entity reference loop")


def declares_doctype(data: bytes) -> bool:
    """Look for a DOCTYPE before handing the bytes to libxml2, which would otherwise read it.

    A DOCTYPE can only stand in the prolog (after the XML declaration, comments and processing
    instructions), so only the prolog is scanned: the cost does not grow with the document.
    """
    head = data
    if data[:2] in _UTF16_BOMS or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        try:
            head = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False  # not decodable: the parser will call it malformed
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    pos = 0
    while True:
        while pos < len(head) and head[pos] in _WHITESPACE:
            pos += 1
        if head.startswith(b"<?", pos):
            end = head.find(b"?>", pos + 2)
        elif head.startswith(b"<!--", pos):
            end = head.find(b"-->", pos + 4)
        else:
            return head.startswith(b"<!DOCTYPE", pos)
        if end < 0:
            return False  # unterminated: the parser will call it malformed
        pos = end + 2 if head[end] == ord("?") else end + 3


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
    )


def parse_untrusted(
    data: bytes,
    *,
    source: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> etree._ElementTree:
    """Parse ``data`` refusing DTDs, entities, oversize and overdeep documents.

    ``source`` (a file name) is only used to say where an error is.
    """
    if not isinstance(data, bytes):
        raise TypeError("parse_untrusted takes bytes, so the XML declaration decides the encoding")
    if len(data) > max_bytes:
        raise UnsafeDocument(
            msg("xml.too_large", size=len(data), limit=max_bytes), source=source
        )
    if not data.strip():
        raise DocumentError(msg("xml.empty"), source=source)
    if declares_doctype(data):
        raise UnsafeDocument(msg("xml.doctype"), source=source)
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        if any(limit in str(exc.msg) for limit in LIBXML2_LIMIT_MESSAGES):
            # libxml2's own guard (depth > 256, a text node > 10 MB): the document is built to hurt.
            raise UnsafeDocument(
                msg("xml.parser_limits", detail=exc.msg), source=source, line=line
            ) from exc
        raise DocumentError(msg("xml.not_well_formed", detail=exc.msg), source=source, line=line) from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeDocument(msg("xml.doctype"), source=source)
    _check_no_entities_and_depth(tree.getroot(), max_depth, source)
    return tree


def parse_untrusted_file(path: str | Path, **kwargs: object) -> etree._ElementTree:
    path = Path(path)
    max_bytes = int(kwargs.pop("max_bytes", DEFAULT_MAX_BYTES))  # type: ignore[arg-type]
    size = path.stat().st_size
    if size > max_bytes:
        raise UnsafeDocument(msg("xml.file_too_large", size=size, limit=max_bytes), source=str(path))
    return parse_untrusted(path.read_bytes(), source=str(path), max_bytes=max_bytes, **kwargs)  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def _deeper_than(max_depth: int) -> etree.XPath:
    # "/*/*/.../*" with max_depth + 1 steps matches exactly the elements below the limit; evaluated in
    # C, it costs a fraction of a Python walk over every element.
    return etree.XPath("boolean(" + "/*" * (max_depth + 1) + ")")


def _check_no_entities_and_depth(root: etree._Element, max_depth: int, source: str | None) -> None:
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        raise UnsafeDocument(msg("xml.entity", name=entity.name), source=source)
    if _deeper_than(max_depth)(root):
        raise UnsafeDocument(msg("xml.too_deep", depth=max_depth), source=source)


#: The Peppol envelope around a business document (SBDH, CEFACT namespace).
SBDH_NAMESPACE = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
_SBD = f"{{{SBDH_NAMESPACE}}}StandardBusinessDocument"
_SBDH_HEADER = f"{{{SBDH_NAMESPACE}}}StandardBusinessDocumentHeader"

#: Clark names of the UBL roots we read, and the kind each one is.
UBL_ROOTS: dict[str, str] = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "CreditNote",
}


def _root_of(tree: etree._ElementTree | etree._Element) -> etree._Element:
    return tree.getroot() if isinstance(tree, etree._ElementTree) else tree


def _describe(tag: str) -> str:
    qname = etree.QName(tag)
    return f"{qname.localname} (namespace {qname.namespace})" if qname.namespace else qname.localname


def expect_root(
    tree: etree._ElementTree | etree._Element,
    allowed_tags: Iterable[str],
    source: str | None = None,
) -> etree._Element:
    """Return the root element if its Clark name (``{ns}local``) is one of ``allowed_tags``.

    A camt file fed to the EHF reader (or an Invoice without its namespace) is refused here, with
    the root that was found, instead of failing later with a confusing "element missing".
    """
    root = _root_of(tree)
    allowed = list(allowed_tags)
    if root.tag not in allowed:
        wanted = " or ".join(_describe(tag) for tag in allowed)
        raise DocumentError(msg("xml.wrong_root", wanted=wanted, found=_describe(root.tag)), source=source)
    return root


def unwrap_sbdh(tree: etree._ElementTree | etree._Element, source: str | None = None) -> etree._Element:
    """Return the business document inside a Peppol SBDH envelope, or the root itself when unwrapped.

    The envelope is ``StandardBusinessDocument`` → ``StandardBusinessDocumentHeader`` followed by
    exactly one payload element (the UBL Invoice/CreditNote).
    """
    root = _root_of(tree)
    if root.tag != _SBD:
        return root
    payload = [child for child in root if isinstance(child.tag, str) and child.tag != _SBDH_HEADER]
    if len(payload) != 1:
        raise DocumentError(
            msg("xml.sbd_count", count=len(payload)),
            source=source,
        )
    return payload[0]


def load_ubl(
    data: bytes,
    source: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> tuple[etree._Element, str]:
    """Parse received UBL safely, unwrap an SBDH envelope, and return ``(root, kind)``.

    ``kind`` is ``"Invoice"`` or ``"CreditNote"``; anything else raises :class:`DocumentError`
    naming ``source`` and the root found.
    """
    tree = parse_untrusted(data, source=source, max_bytes=max_bytes, max_depth=max_depth)
    root = expect_root(unwrap_sbdh(tree, source), UBL_ROOTS, source)
    return root, UBL_ROOTS[root.tag]


def element_path(node: etree._Element, prefixes: Mapping[str, str] | None = None) -> str:
    """A readable XPath to ``node`` for error messages: ``/Invoice/cac:InvoiceLine[2]/cbc:ID``.

    ``prefixes`` maps namespace URIs to the prefixes a reader of the message knows (an empty prefix
    or an unknown namespace gives the bare local name). A position is only added where a parent
    has several children of the same name, so the common case stays short.
    """
    steps: list[str] = []
    current: etree._Element | None = node
    while current is not None:
        qname = etree.QName(current)
        prefix = prefixes.get(qname.namespace or "") if prefixes else None
        name = f"{prefix}:{qname.localname}" if prefix else qname.localname
        parent = current.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == current.tag]
            if len(same) > 1:
                name += f"[{same.index(current) + 1}]"
        steps.append(name)
        current = parent
    return "/" + "/".join(reversed(steps))
