"""The one safe way to read XML that comes from outside.

Received XML is hostile until parsed: no DTD, no entity expansion, no network access, a bounded
size and depth. Every reader in the library (UBL, camt, pain.002, SMP answers) goes through
:func:`parse_untrusted`, so the hardening lives in one place.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from nofaktura.exceptions import DocumentError, UnsafeDocument

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_DEPTH = 256


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
            f"the document is {len(data)} bytes, more than the limit of {max_bytes} bytes", source=source
        )
    if not data.strip():
        raise DocumentError("the file is empty", source=source)
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        raise DocumentError(f"not well-formed XML: {exc.msg}", source=source, line=line) from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeDocument("a DOCTYPE/DTD is not allowed in received documents", source=source)
    _check_no_entities_and_depth(tree.getroot(), max_depth, source)
    return tree


def parse_untrusted_file(path: str | Path, **kwargs: object) -> etree._ElementTree:
    path = Path(path)
    max_bytes = int(kwargs.pop("max_bytes", DEFAULT_MAX_BYTES))  # type: ignore[arg-type]
    size = path.stat().st_size
    if size > max_bytes:
        raise UnsafeDocument(f"the file is {size} bytes, more than the limit of {max_bytes} bytes", source=str(path))
    return parse_untrusted(path.read_bytes(), source=str(path), max_bytes=max_bytes, **kwargs)  # type: ignore[arg-type]


def _check_no_entities_and_depth(root: etree._Element, max_depth: int, source: str | None) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise UnsafeDocument(f"the document is nested deeper than {max_depth} levels", source=source)
        for child in element:
            if isinstance(child, etree._Entity):
                raise UnsafeDocument(f"entity reference &{child.name}; is not allowed", source=source)
            stack.append((child, depth + 1))
