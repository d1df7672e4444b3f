"""National rules of Peppol BIS 3 for countries other than Norway (DK, IT, SE, GR, IS, NL, DE)."""

from __future__ import annotations

__all__ = ["PATTERNS"]

PATTERNS: tuple = ()
