"""Structure and cardinality of the Peppol BIS 3 syntax (our own rule ids, not official ones).

``BIS3-XSD`` (fatal)
    The document breaks the OASIS UBL 2.1 schema, which access points check before any business
    rule: elements out of order, an element or attribute UBL does not allow where it stands (a
    ``cac:CreditNoteLine`` in an Invoice), a value of the wrong lexical form (``12,50`` as an
    amount). One finding per schema error, with the line; see :mod:`.schema`. It applies to every
    UBL Invoice and CreditNote, whatever specification it claims. Where it already reports a
    content error of an element, the ``MISSING``/``TOO-MANY`` findings below are not repeated for
    the same child, nor the ``UNKNOWN`` warning for an element the schema rejects.

The BIS 3 syntax binding (``structure/syntax/ubl-invoice.xml`` and ``ubl-creditnote.xml``) lists
every element a BIS 3 document may use, with its cardinality and business term. It is generated
into :mod:`.data.bis3_structure` by ``tools/gen_peppol_tables.py``; this module turns it into rules:

``BIS3-SYNTAX-MISSING`` (fatal)
    An element that BIS 3 makes mandatory in its parent is missing (e.g. ``cbc:ID`` in
    ``cac:InvoiceLine``) and the UBL 2.1 schema requires it too, so the official validation (schema
    first) rejects the document as well. Reported at the parent; the message names the element,
    its BT and the parent.
``BIS3-SYNTAX-REQUIRED`` (warning)
    An element BIS 3 makes mandatory is missing but the UBL 2.1 schema does not require it (e.g.
    ``cac:PartyLegalEntity`` of the seller). The official verdict comes from the business rules
    (here BR-06, "seller name"), which the CEN and Peppol rule sets apply with their own ids; this
    finding adds the exact element, and never makes a document invalid on its own -- so the
    structure rules produce no fatal that the official validation does not.
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

How it runs: a group's context is an XPath call of two extension functions registered here
(namespace :data:`~nofaktura.ehf.namespaces.XPATH_FUNCTIONS`, prefix ``nf``):
``nf:bis3-offending('Invoice/cac:InvoiceLine')`` -- the elements at that path that break one of its
limits -- and ``nf:bis3-unknown()`` -- every element that is not part of BIS 3. Both read one walk
over the document along the table (each parent's children counted once), made by the first group
(its call carries ``'rescan'``) and dropped by the last, so a valid document yields no context
nodes at all. The engine does not even call into libxml2 for them: each group also carries the same
node set as a Python function (``Group.nodes``) reading the scan of the document, made once per
document through ``Document.let``. An XPath predicate per element (a plain ``/ubl:Invoice/cac:InvoiceLine[not(cbc:ID)
or ...]`` context) costs several times more on invoices with thousands of lines. The rules of a
group then say which limit was broken.

Element order is checked by the UBL 2.1 schema (``BIS3-XSD``). Extend by regenerating the data: the rules follow it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from nofaktura.ehf.namespaces import CAC, CBC, CREDIT_NOTE, EXT, INVOICE, XPATH_FUNCTIONS
from nofaktura.ehf.rules import schema
from nofaktura.ehf.rules.data import bis3_structure as data
from nofaktura.ehf.rules.engine import Document, Flag, Group, Pattern, Rule, TestFn

__all__ = ["BIS3_BILLING", "MISSING", "PATTERNS", "REPEATED", "REQUIRED", "TOO_MANY", "UNKNOWN", "VERSION", "XSD"]

VERSION = data.VERSION

MISSING = "BIS3-SYNTAX-MISSING"
REQUIRED = "BIS3-SYNTAX-REQUIRED"
TOO_MANY = "BIS3-SYNTAX-TOO-MANY"
REPEATED = "BIS3-SYNTAX-REPEATED"
UNKNOWN = "BIS3-SYNTAX-UNKNOWN"
XSD = schema.RULE

#: The specification identifier (BT-24) of Peppol BIS Billing 3.0.
BIS3_BILLING = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"

#: Prefix of the library's XPath extension functions (``nofaktura.ehf.namespaces.XPATH_FUNCTIONS``).
PREFIX = "nf"

_CLARK = {"cac": f"{{{CAC}}}", "cbc": f"{{{CBC}}}", "ext": f"{{{EXT}}}"}
_ROOT_TAGS = {f"{{{INVOICE}}}Invoice": "Invoice", f"{{{CREDIT_NOTE}}}CreditNote": "CreditNote"}
_TABLES = {"Invoice": data.INVOICE, "CreditNote": data.CREDITNOTE}
_CUSTOMIZATION = f"{{{CBC}}}CustomizationID"


def _clark(term: str) -> str:
    prefix, _, local = term.partition(":")
    return f"{_CLARK[prefix]}{local}"


@dataclass
class _Spec:
    """One element path of the table, compiled for the walk."""

    path: str
    children: dict[str, _Spec]  # Clark tag of an allowed child -> its spec
    mandatory: tuple[str, ...]
    maxima: tuple[tuple[str, int], ...]

    def __post_init__(self) -> None:
        # for the walk: a set to compare with the children found, the maxima by tag
        self.mandatory_set = frozenset(self.mandatory)
        self.limits = dict(self.maxima)
        if any(maximum < 1 for _tag, maximum in self.maxima):
            # the walk counts a first occurrence without looking at the maximum
            raise ValueError(f"{self.path}: a maximum below 1 means the element is not allowed; leave it out")


def _compile(kind: str, table: dict[str, tuple[str, str, tuple[tuple[Any, ...], ...]]]) -> _Spec:
    specs: dict[str, _Spec] = {}
    for path, (_, _, children) in table.items():
        specs[path] = _Spec(
            path=path,
            children={},
            mandatory=tuple(_clark(child[0]) for child in children if child[1] > 0),
            maxima=tuple((_clark(child[0]), child[2]) for child in children if child[2] is not None),
        )
    for path, (_, _, children) in table.items():
        for child in children:
            specs[path].children[_clark(child[0])] = specs[f"{path}/{child[0]}"]
    return specs[kind]


_SPECS = {kind: _compile(kind, table) for kind, table in _TABLES.items()}


def _kind_in_scope(root: etree._Element) -> str | None:
    """``Invoice``/``CreditNote`` when the document claims BIS 3 billing (or nothing), else None."""
    kind = _ROOT_TAGS.get(root.tag)
    if kind is None:
        return None
    customization = root.find(_CUSTOMIZATION)
    if customization is not None and " ".join("".join(customization.itertext()).split()) != BIS3_BILLING:
        return None
    return kind


@dataclass
class _Scan:
    """One walk over a document: the offending elements per path and the unknown elements."""

    offending: dict[str, list[etree._Element]]
    unknown: list[etree._Element]


def _scan(root: etree._Element) -> _Scan:
    result = _Scan({}, [])
    kind = _kind_in_scope(root)
    if kind is None:
        return result
    offending, unknown = result.offending, result.unknown

    def visit(node: etree._Element, spec: _Spec) -> None:
        # This runs for every element of the document: the limits are checked as children are
        # counted, and the mandatory ones with one set comparison (no generator per element).
        counts: dict[str, int] = {}
        allowed, limits = spec.children, spec.limits
        too_many = False
        for child in node:
            tag = child.tag
            child_spec = allowed.get(tag)  # None too for comments and PIs (their tag is a function)
            if child_spec is None:
                if tag.__class__ is str:
                    unknown.append(child)  # not part of BIS 3 here; its children are not examined
                continue
            if tag in counts:
                count = counts[tag] = counts[tag] + 1
                if count > limits.get(tag, count):
                    too_many = True
            else:
                counts[tag] = 1  # one never breaks a maximum (every maximum is at least 1)
            if child_spec.children or len(child):
                visit(child, child_spec)
        if too_many or not counts.keys() >= spec.mandatory_set:
            offending.setdefault(spec.path, []).append(node)

    visit(root, _SPECS[kind])
    return result


#: Scans of the documents being evaluated, by id of the root element (with the root, to be sure).
#: The first cardinality group rescans, the unknown-element group (the last one) drops the entry.
_SCANS: dict[int, tuple[etree._Element, _Scan]] = {}
_RESCAN = "rescan"


def _scan_of(root: etree._Element, fresh: bool) -> _Scan:
    entry = _SCANS.get(id(root))
    if fresh or entry is None or entry[0] is not root:
        if len(_SCANS) > 16:  # evaluations that never reached their last group
            _SCANS.clear()
        entry = _SCANS[id(root)] = (root, _scan(root))
    return entry[1]


def _root_of(context: Any) -> etree._Element:
    return context.context_node.getroottree().getroot()


def _offending(context: Any, *paths: str) -> list[etree._Element]:
    """XPath ``nf:bis3-offending(['rescan',] 'Invoice/a/b', 'CreditNote/a/b')``: elements there
    that break one of their limits (document order)."""
    scan = _scan_of(_root_of(context), fresh=bool(paths) and paths[0] == _RESCAN)
    found: list[etree._Element] = []
    for path in paths:
        found.extend(scan.offending.get(path, ()))
    return found


def _unknown(context: Any) -> list[etree._Element]:
    """XPath ``nf:bis3-unknown()``: every element that is not part of BIS 3 where it stands (and
    that the UBL 2.1 schema does not reject already)."""
    root = _root_of(context)
    found = _scan_of(root, fresh=False).unknown
    _SCANS.pop(id(root), None)
    if found:  # as _unknown_nodes: not the elements the UBL 2.1 schema already rejects
        rejected = {error.element for error in schema.schema_errors(root) if error.kind == "content"}
        found = [node for node in found if node not in rejected]
    return found


# Registered by namespace URI only: the prefix comes from NSMAP, which every rule XPath is compiled
# with (lxml's global ``FunctionNamespace.prefix`` corrupts the prefix after the first call in lxml 6).
_NAMESPACE = etree.FunctionNamespace(XPATH_FUNCTIONS)
_NAMESPACE["bis3-offending"] = _offending
_NAMESPACE["bis3-unknown"] = _unknown


def _document_scan(doc: Document) -> _Scan:
    return doc.let("bis3-scan", lambda doc: _scan(doc.root))


def _offending_nodes(paths: tuple[str, ...]):
    """The node set of ``nf:bis3-offending(paths)`` from the document's one scan, without the call
    into libxml2 and back (the engine calls this instead of evaluating the group's context)."""

    def nodes(doc: Document) -> list[etree._Element]:
        offending = _document_scan(doc).offending
        if not offending:
            return []
        found: list[etree._Element] = []
        for path in paths:
            found.extend(offending.get(path, ()))
        return found

    return nodes


def _unknown_nodes(doc: Document) -> list[etree._Element]:
    """The node set of ``nf:bis3-unknown()`` from the document's one scan, less the elements the
    UBL 2.1 schema already rejects (a fatal ``BIS3-XSD`` finding says more than this warning)."""
    unknown = _document_scan(doc).unknown
    if not unknown:
        return unknown
    rejected = _schema_rejected(doc)
    return [node for node in unknown if node not in rejected] if rejected else unknown


def _schema_rejected(doc: Document) -> set[etree._Element]:
    """Elements a content-model schema error is about (unexpected ones, those missing children)."""
    return doc.let(
        "bis3-xsd-rejected",
        lambda doc: {error.element for error in schema.document_errors(doc) if error.kind == "content"},
    )


def _schema_covered(doc: Document) -> dict[etree._Element, set[str]]:
    """Per element, the child tags a UBL 2.1 content-model error there is about (the unexpected
    child, the children expected in its place): a ``BIS3-XSD`` finding already reports them."""

    def collect(doc: Document) -> dict[etree._Element, set[str]]:
        covered: dict[etree._Element, set[str]] = {}
        for error in schema.document_errors(doc):
            if error.parent is not None:
                covered.setdefault(error.parent, set()).update(error.covers)
        return covered

    return doc.let("bis3-xsd-covered", collect)


def _unless_schema_reported(tag: str, test: TestFn) -> TestFn:
    """A cardinality test about child ``tag`` that also holds where a schema error of the same
    element already names that child (missing in its place, or one too many): one fatal finding
    for one problem. A second problem in the same element, which libxml2 does not report after
    the first one, still gets its own finding."""

    def test_or_reported(node: etree._Element, doc: Document) -> bool:
        if test(node, doc):
            return True
        covered = _schema_covered(doc)
        return bool(covered) and tag in covered.get(node, ())

    return test_or_reported


# --- the rules -------------------------------------------------------------------------------------------


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


def _label(term: str, bt: str, name: str) -> str:
    described = " ".join(part for part in (bt.replace(", ", "/"), name) if part)
    return f"{term} ({described})" if described else term


def _terms(bt: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in bt.split(",") if part.strip())


def _cardinality_rules(parent: str, parent_label: str, child: tuple[Any, ...]) -> Iterator[Rule]:
    term, low, high, schema_min, schema_max, bt, name = child
    tag = _clark(term)
    label = _label(term, bt, name)
    if low > 0:
        required_by_schema = schema_min > 0
        yield Rule(
            MISSING if required_by_schema else REQUIRED,
            Flag.FATAL if required_by_schema else Flag.WARNING,
            _unless_schema_reported(tag, _present(tag)) if required_by_schema else _present(tag),
            f"{label} is mandatory in {parent_label} ({parent}) but missing; add it.",
            f"{label} er obligatorisk i {parent_label} ({parent}), men mangler; legg det til.",
            _terms(bt),
        )
    if high is not None:
        strict = schema_max is not None and schema_max <= high
        yield Rule(
            TOO_MANY if strict else REPEATED,
            Flag.FATAL if strict else Flag.WARNING,
            _unless_schema_reported(tag, _at_most(tag, high)) if strict else _at_most(tag, high),
            f"{label} may occur at most {high} time(s) in {parent_label} ({parent}); remove the extra ones.",
            f"{label} kan forekomme høyst {high} gang(er) i {parent_label} ({parent}); fjern de overtallige.",
            _terms(bt),
        )


def _patterns() -> tuple[Pattern, ...]:
    """One cardinality group per element path (shared by Invoice and CreditNote where the BIS 3
    description is the same), and one group for every element that is not part of BIS 3."""
    shared: dict[tuple[str, Any], list[str]] = {}
    for kind, table in _TABLES.items():
        for path, spec in table.items():
            if spec[2]:
                shared.setdefault((path.partition("/")[2], spec), []).append(kind)
    cardinality: list[Group] = []
    for (relative, (bt, name, children)), kinds in shared.items():
        paths = [f"{kind}/{relative}" if relative else kind for kind in kinds]
        shown = paths[0] if len(kinds) == 1 else f"{'|'.join(kinds)}/{relative}"
        parent_label = _label(shown.rsplit("/", 1)[-1], bt, name)
        rules = tuple(rule for child in children for rule in _cardinality_rules(shown, parent_label, child))
        if rules:
            arguments = ", ".join(f"'{path}'" for path in ([] if cardinality else [_RESCAN]) + paths)
            cardinality.append(Group(f"{PREFIX}:bis3-offending({arguments})", rules, _offending_nodes(tuple(paths))))
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
        Pattern(
            "UBL 2.1 schema",
            (Group("/*", (), report=schema.report),),
        ),
        Pattern("BIS 3 syntax: mandatory elements and occurrences", tuple(cardinality)),
        Pattern(
            "BIS 3 syntax: elements that are not part of BIS 3",
            (Group(f"{PREFIX}:bis3-unknown()", (not_bis3,), _unknown_nodes),),
        ),
    )


PATTERNS = _patterns()
