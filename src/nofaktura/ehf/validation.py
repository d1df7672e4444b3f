"""Validate a received or produced EHF / Peppol BIS 3 document against the official rules.

One call, :func:`validate`, takes the bytes of a UBL Invoice or CreditNote (optionally inside a
Peppol SBDH envelope), runs the rule sets of a configuration (by default all of EHF: BIS 3
structure, CEN EN 16931, Peppol BIS 3 with the Norwegian rules) and returns a
:class:`ValidationResult`. A UBL ApplicationResponse (a Peppol Invoice Response, ours or one a buyer
sent) is judged by its own rules instead: the UBL 2.1 schema and the Peppol T111 rules
(:mod:`nofaktura.ehf.rules.peppol_t111`), whatever invoice rule sets or release were asked for.
It never raises on a bad *document*: every broken business rule is a finding. It raises
:class:`~nofaktura.exceptions.DocumentError` only when there is nothing to check: the bytes are not
well-formed XML, are hostile (DTD, entities, too big, too deep), or the root element is not a UBL
Invoice, CreditNote or ApplicationResponse (a camt file, an Order, an Invoice without its
namespace). A wrong root is an error rather than a finding on purpose: none of the official rules
would even look at such a document, so "valid" would be a lie.

>>> result = validate(open(EXAMPLE, "rb").read(), source="Norwegian-example-1.xml")  # doctest: +SKIP
>>> result.valid, result.document
(True, 'Invoice')
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from nofaktura.ehf.namespaces import APPLICATION_RESPONSE
from nofaktura.ehf.rules import DEFAULT_RULESETS, INVOICE_RESPONSE_RULESETS, rulesets_for, validate_root
from nofaktura.ehf.rules.engine import Finding, Flag
from nofaktura.xml import UBL_ROOTS, expect_root, parse_untrusted, unwrap_sbdh

__all__ = ["ROOTS", "ValidationResult", "validate", "validate_element"]

_APPLICATION_RESPONSE = f"{{{APPLICATION_RESPONSE}}}ApplicationResponse"
#: The documents :func:`validate` reads: root tag -> the name in :attr:`ValidationResult.document`.
ROOTS: dict[str, str] = {**UBL_ROOTS, _APPLICATION_RESPONSE: "ApplicationResponse"}


@dataclass(frozen=True)
class ValidationResult:
    """What the rules found in one document. ``valid`` means: no fatal finding."""

    source: str | None
    document: str | None  # "Invoice" | "CreditNote" | "ApplicationResponse"
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return not any(finding.flag is Flag.FATAL for finding in self.findings)

    @property
    def fatal(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.flag is Flag.FATAL)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.flag is Flag.WARNING)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON shape of ``nofaktura validate --json`` for one file."""
        return {
            "file": self.source,
            "valid": self.valid,
            "document": self.document,
            "findings": [finding.as_dict(lang) for finding in self.findings],
        }


def validate_element(
    root: etree._Element,
    *,
    source: str | None = None,
    rulesets: Sequence[str] = DEFAULT_RULESETS,
) -> ValidationResult:
    """Validate an already parsed (trusted or safely parsed) UBL root element.

    The rules use absolute paths (``/*/cbc:DocumentCurrencyCode``), so an element that sits inside
    something else (the payload of an SBDH envelope) is validated as a document of its own. An
    ApplicationResponse is judged by :data:`~nofaktura.ehf.rules.INVOICE_RESPONSE_RULESETS`.
    """
    if root.getparent() is not None:
        root = copy.deepcopy(root)
    if root.tag == _APPLICATION_RESPONSE:
        rulesets = INVOICE_RESPONSE_RULESETS
    elif set(rulesets) & set(INVOICE_RESPONSE_RULESETS):
        raise ValueError("the Invoice Response rules (T111) judge an ApplicationResponse, not an invoice")
    return ValidationResult(source, ROOTS.get(root.tag), tuple(validate_root(root, rulesets)))


def validate(
    data: bytes,
    *,
    source: str | None = None,
    rulesets: Sequence[str] | None = None,
    release: str | None = None,
) -> ValidationResult:
    """Parse ``data`` safely (SBDH unwrapped) and run the rule sets on it.

    ``release`` picks the Peppol BIS Billing release whose rules run (``"3.0.21"``, the default, or
    ``"3.0.19"``; see :data:`nofaktura.ehf.rules.RELEASES`); it cannot be combined with ``rulesets``.

    ``rulesets`` names entries of :data:`nofaktura.ehf.rules.RULESET_MODULES` (``"structure"``,
    ``"cen"``, ``"peppol"``); see :data:`nofaktura.ehf.rules.CONFIGURATIONS` for the official
    combinations. Raises DocumentError when the bytes hold no usable UBL document.
    """
    if rulesets is not None and release is not None:
        raise ValueError("give either rulesets or release, not both")
    chosen = rulesets_for(release) if release is not None else (rulesets or DEFAULT_RULESETS)
    root = expect_root(unwrap_sbdh(parse_untrusted(data, source=source), source), ROOTS, source)
    return validate_element(root, source=source, rulesets=chosen)
