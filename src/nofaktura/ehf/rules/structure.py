"""Structure and cardinality of the Peppol BIS 3 syntax (our own rule ids, not official ones).

The BIS 3 syntax binding (``structure/syntax/ubl-invoice.xml`` and ``ubl-creditnote.xml``) lists
every element a BIS 3 document may use, with its cardinality and business term. It is generated
into :mod:`.data.bis3_structure` by ``tools/gen_peppol_tables.py``; this module turns it into rules:

``BIS3-SYNTAX-MISSING`` (fatal)
    An element that BIS 3 makes mandatory in its parent is missing (e.g. ``cbc:ID`` in
    ``cac:InvoiceLine``). Reported at the parent; the message names the element and its BT.
``BIS3-SYNTAX-TOO-MANY`` (fatal)
    An element occurs more often than BIS 3 allows *and* the UBL 2.1 schema limits it in the same
    way, so the official validation (schema first) rejects the document as well.
``BIS3-SYNTAX-REPEATED`` (warning)
    An element occurs more often than BIS 3 allows but the UBL 2.1 schema accepts the repetition.
    The official verdict then comes from the business rules (e.g. UBL-SR-*, or PEPPOL-EN16931-R002
    which allows several notes between German parties), so we only advise here.
``BIS3-SYNTAX-UNKNOWN`` (warning)
    An element that is not part of BIS 3 where it stands, reported at that element (the location
    names it and its parent); its children are not examined further. The official CEN rules
    (UBL-CR-*) also only warn about these, so this never makes a document invalid.

Scope: documents that claim Peppol BIS Billing 3.0 exactly (``cbc:CustomizationID`` =
:data:`BIS3_BILLING`) or claim nothing. Documents of other specifications -- plain EN 16931, EHF
extensions that are "conformant" to BIS 3 (Reminder, Forward Billing), Payment Request, self-billing --
have their own syntax and are not measured against this one (PEPPOL-EN16931-R004 already reports a
wrong specification identifier).

Element order is left to the UBL 2.1 schema. Extend by regenerating the data: the rules follow it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from lxml import etree

from nofaktura.ehf.namespaces import CAC, CBC, CREDIT_NOTE, EXT, INVOICE
from nofaktura.ehf.rules.data import bis3_structure as data
from nofaktura.ehf.rules.engine import Document, Flag, Group, Pattern, Rule

__all__ = ["BIS3_BILLING", "MISSING", "PATTERNS", "REPEATED", "TOO_MANY", "UNKNOWN", "VERSION"]

VERSION = data.VERSION

MISSING = "BIS3-SYNTAX-MISSING"
TOO_MANY = "BIS3-SYNTAX-TOO-MANY"
REPEATED = "BIS3-SYNTAX-REPEATED"
UNKNOWN = "BIS3-SYNTAX-UNKNOWN"

_ROOTS = {"Invoice": ("ubl:Invoice", data.INVOICE), "CreditNote": ("cn:CreditNote", data.CREDITNOTE)}
_CLARK = {"cac": f"{{{CAC}}}", "cbc": f"{{{CBC}}}", "ext": f"{{{EXT}}}"}
_ROOT_CLARK = {"Invoice": f"{{{INVOICE}}}", "CreditNote": f"{{{CREDIT_NOTE}}}"}


def _clark(term: str) -> str:
    prefix, _, local = term.partition(":")
    return f"{_CLARK[prefix]}{local}"


#: The specification identifier (BT-24) of Peppol BIS Billing 3.0.
BIS3_BILLING = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
_IN_SCOPE = f"[not(cbc:CustomizationID) or normalize-space(cbc:CustomizationID) = '{BIS3_BILLING}']"


def _xpath(kind: str, path: str) -> str:
    """``/child::ubl:Invoice[scope]/cac:A/cac:B``: an absolute path of child steps.

    libxml2 evaluates such a path in C touching only the nodes on it, which is the cheapest way to
    find the (rare) offending parents. The explicit ``child::`` axis keeps it an ordinary XPath for
    the engine (which otherwise matches ``/a/b`` contexts by tag during its tree walk and would run
    the predicates once per element of the document).
    """
    root, _ = _ROOTS[kind]
    return "/child::" + "/".join([root + _IN_SCOPE, *path.split("/")[1:]])


def _label(term: str, bt: str, name: str) -> str:
    described = " ".join(part for part in (bt.replace(", ", "/"), name) if part)
    return f"{term} ({described})" if described else term


def _terms(bt: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in bt.split(",") if part.strip())


def _child_counts(node: etree._Element, doc: Document) -> Counter[str]:
    """How often each child tag occurs under ``node``, counted once per node and document."""
    cache: dict[etree._Element, Counter[str]] = doc.let("bis3-child-counts", lambda doc: {})
    counts = cache.get(node)
    if counts is None:
        counts = cache[node] = Counter(child.tag for child in node)
    return counts


def _present(tag: str):
    return lambda node, doc: _child_counts(node, doc)[tag] > 0


def _at_most(tag: str, maximum: int):
    return lambda node, doc: _child_counts(node, doc)[tag] <= maximum


def _cardinality_rules(parent: str, parent_label: str, child: tuple[Any, ...]) -> Iterator[Rule]:
    term, low, high, schema_max, bt, name = child
    tag = _clark(term)
    label = _label(term, bt, name)
    if low > 0:
        yield Rule(
            MISSING,
            Flag.FATAL,
            _present(tag),
            f"{label} is mandatory in {parent_label} ({parent}) but missing; add it.",
            f"{label} er obligatorisk i {parent_label} ({parent}), men mangler; legg det til.",
            _terms(bt),
        )
    if high is not None:
        strict = schema_max is not None and schema_max <= high
        yield Rule(
            TOO_MANY if strict else REPEATED,
            Flag.FATAL if strict else Flag.WARNING,
            _at_most(tag, high),
            f"{label} may occur at most {high} time(s) in {parent_label} ({parent}); remove the extra ones.",
            f"{label} kan forekomme høyst {high} gang(er) i {parent_label} ({parent}); fjern de overtallige.",
            _terms(bt),
        )


def _patterns() -> tuple[Pattern, ...]:
    """One cardinality group per element path (shared by Invoice and CreditNote where the BIS 3
    description is the same), and one group selecting every element that is not part of BIS 3.

    Few, absolute contexts keep this cheap: each context is one XPath evaluation per document.
    """
    shared: dict[tuple[str, Any], list[str]] = {}
    for kind, (_, table) in _ROOTS.items():
        for path, spec in table.items():
            if spec[2]:
                relative = path.partition("/")[2]
                shared.setdefault((relative, spec), []).append(kind)
    cardinality: list[Group] = []
    unknown: list[str] = []
    for (relative, (bt, name, children)), kinds in shared.items():
        paths = [f"{kind}/{relative}" if relative else kind for kind in kinds]
        # Only parents that break a limit are selected, so a valid document costs one XPath call here.
        limits = [f"not({term})" for term, low, *_ in children if low > 0]
        limits += [f"count({term}) > {high}" for term, _, high, *_ in children if high is not None]
        offending = " or ".join(limits) or "false()"
        context = " | ".join(f"{_xpath(kind, path)}[{offending}]" for kind, path in zip(kinds, paths, strict=True))
        shown = paths[0] if len(kinds) == 1 else f"{'|'.join(kinds)}/{relative}"
        parent_label = _label(shown.rsplit("/", 1)[-1], bt, name)
        rules = tuple(rule for child in children for rule in _cardinality_rules(shown, parent_label, child))
        if rules:
            cardinality.append(Group(context, rules))
        allowed = " or ".join(f"self::{child[0]}" for child in children)
        unknown.extend(f"{_xpath(kind, path)}/*[not({allowed})]" for kind, path in zip(kinds, paths, strict=True))
    not_bis3 = Rule(
        UNKNOWN,
        Flag.WARNING,
        "false()",
        "This element is not part of Peppol BIS 3 where it stands (see the location); receivers may ignore"
        " it. Remove it or move the information to an element BIS 3 defines.",
        "Dette elementet er ikke en del av Peppol BIS 3 der det står (se plasseringen); mottakere kan overse"
        " det. Fjern det eller flytt opplysningen til et element BIS 3 definerer.",
    )
    return (
        Pattern("BIS 3 syntax: mandatory elements and occurrences", tuple(cardinality)),
        Pattern("BIS 3 syntax: elements that are not part of BIS 3", (Group(" | ".join(unknown), (not_bis3,)),)),
    )


PATTERNS = _patterns()
