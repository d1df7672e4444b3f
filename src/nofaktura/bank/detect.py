"""Tell a Nets OCR giro file from a camt.053 or camt.054 message by its first bytes.

Why sniffing and not file names: banks and SFTP servers name files as they like (``.txt``,
``.dat``, ``.xml``, none). An OCR file starts with ``NY000010``; a camt message is XML whose
namespace (or, without one, whose message element) names the message. Only the head of the
file is read, so detection is cheap on large files.
"""

from __future__ import annotations

import re

__all__ = ["CAMT053", "CAMT054", "OCR", "UNKNOWN", "detect_format", "iso20022_message"]

OCR = "ocr"
CAMT053 = "camt.053"
CAMT054 = "camt.054"
CAMT052 = "camt.052"
UNKNOWN = "unknown"

_NS = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.\d\d")
_ANY_ISO = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})")
_MESSAGE = {b"BkToCstmrStmt": CAMT053, b"BkToCstmrDbtCdtNtfctn": CAMT054, b"BkToCstmrAcctRpt": CAMT052}


def detect_format(head: bytes) -> str:
    """``ocr``, ``camt.053``, ``camt.054``, ``camt.052`` or ``unknown`` from the first few KB of a file."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"NY000010"):
        return OCR
    if text.startswith(b"NY"):
        return UNKNOWN
    if not text.startswith(b"<"):
        return UNKNOWN
    match = _NS.search(text)
    if match:
        return match.group(1).decode("ascii")
    for element, kind in _MESSAGE.items():
        if b"<" + element in text or b":" + element in text:
            return kind
    return UNKNOWN


def iso20022_message(head: bytes) -> str | None:
    """The ISO 20022 message a file's namespace names (``camt.055.001.08``, ``pain.001.001.03`` …), if any.

    Why: a file that is ISO 20022 but not a message we read should be refused by its name
    ("camt.055.001.08 is not supported"), not as "not an ISO 20022 camt message".
    """
    match = _ANY_ISO.search(head)
    return match.group(1).decode("ascii") if match else None
