"""The rule engine: rules declared once as data, evaluated with schematron semantics.

The official validation artefacts (CEN EN 16931 and Peppol BIS 3 schematron) are organised as
*patterns* holding *rules* (a context) holding *asserts* (id, flag, test, message). We keep that
shape because the verdicts must be the same as the official ones:

* a context node is handled by the **first** group of its pattern whose context matches it
  (XSLT template priority by order), so later groups of the same pattern never see it;
* an assert fires once for every context node where its test is false;
* nothing here raises on a bad invoice: evaluation returns :class:`Finding` objects.

A rule's ``test`` is either an XPath 1.0 boolean expression (compiled once, evaluated by lxml in
C, fast) or a Python callable ``test(node, doc) -> bool`` for what XPath 1.0 cannot say exactly
(decimal arithmetic, regular expressions, check digits). Shared derived values (schematron
``<let>``) are computed once per document through :meth:`Document.let`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lxml import etree

from nofaktura.ehf.namespaces import NSMAP, PREFIX_OF, ROOTS


class Flag(str, enum.Enum):
    """How bad a finding is. Only ``fatal`` makes a document invalid."""

    #: The document must not be sent or accepted.
    FATAL = "fatal"
    #: The document is accepted; the finding is advice.
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


TestFn = Callable[[etree._Element, "Document"], Any]
Test = str | TestFn


@dataclass(frozen=True)
class Rule:
    """One official assert: its id, flag, test and our own message in English and Norwegian."""

    id: str
    flag: Flag
    test: Test
    en: str
    nb: str
    #: Business terms the rule is about (``BT-31``, ``BG-23``), shown to the person who fixes it.
    terms: tuple[str, ...] = ()

    def message(self, lang: str = "en") -> str:
        text = self.nb if lang == "nb" else self.en
        return f"[{', '.join(self.terms)}] {text}" if self.terms else text


@dataclass(frozen=True)
class Group:
    """A schematron ``<rule>``: one context (XPath 1.0 from the root element) and its asserts."""

    context: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Pattern:
    """A schematron ``<pattern>``; its groups are tried in order for each node."""

    name: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: Flag
    location: str
    message: str
    message_nb: str = ""

    def text(self, lang: str = "en") -> str:
        return self.message_nb if lang == "nb" and self.message_nb else self.message

    def as_dict(self, lang: str = "en") -> dict[str, str]:
        return {"rule": self.rule, "flag": str(self.flag), "location": self.location, "message": self.text(lang)}


@dataclass
class Document:
    """The document under validation, with a cache for shared derived values."""

    root: etree._Element
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        """``Invoice``, ``CreditNote`` or None for anything else."""
        return ROOTS.get(self.root.tag)

    def let(self, name: str, compute: Callable[[Document], Any]) -> Any:
        """Compute a derived value once per document (schematron ``<let>``)."""
        try:
            return self._cache[name]
        except KeyError:
            value = self._cache[name] = compute(self)
            return value


@cache
def xpath(expression: str) -> etree.XPath:
    """A compiled XPath 1.0 expression with the library's namespace prefixes."""
    return etree.XPath(expression, namespaces=NSMAP, smart_strings=False)


def location_of(node: etree._Element) -> str:
    """A readable XPath to ``node``: ``/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount``."""
    steps: list[str] = []
    current: etree._Element | None = node
    while current is not None:
        qname = etree.QName(current)
        prefix = PREFIX_OF.get(qname.namespace or "", None)
        name = f"{prefix}:{qname.localname}" if prefix else qname.localname
        parent = current.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == current.tag]
            if len(same) > 1:
                name += f"[{same.index(current) + 1}]"
        steps.append(name)
        current = parent
    return "/" + "/".join(reversed(steps))


def _passes(rule: Rule, node: etree._Element, doc: Document) -> bool:
    if isinstance(rule.test, str):
        return bool(xpath(rule.test)(node))
    return bool(rule.test(node, doc))


def evaluate(root: etree._Element, patterns: Iterable[Pattern]) -> list[Finding]:
    """Run every pattern over the document rooted at ``root`` and return the findings."""
    doc = Document(root)
    findings: list[Finding] = []
    for pattern in patterns:
        claimed: set[etree._Element] = set()
        for group in pattern.groups:
            for node in xpath(group.context)(root):
                if not isinstance(node, etree._Element) or node in claimed:
                    continue
                claimed.add(node)
                for rule in group.rules:
                    if not _passes(rule, node, doc):
                        findings.append(
                            Finding(rule.id, rule.flag, location_of(node), rule.message("en"), rule.message("nb"))
                        )
    return findings


def iter_rules(patterns: Iterable[Pattern]) -> Iterator[Rule]:
    for pattern in patterns:
        for group in pattern.groups:
            yield from group.rules


def group(context: str, *rules: Rule) -> Group:
    """Shorthand used by the rule modules."""
    return Group(context, tuple(rules))


def pattern(name: str, groups: Sequence[Group]) -> Pattern:
    return Pattern(name, tuple(groups))
