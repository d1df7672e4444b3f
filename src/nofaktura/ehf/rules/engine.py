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

Speed, without changing a verdict (each step is checked against plain lxml XPath in
``tests/ehf/test_rules_cen_engine.py``):

* contexts that are plain location paths (named child steps, boolean predicates, ``*`` with a
  ``name()`` suffix test) are matched in **one walk** over the tree, indexed by tag and parent tag,
  instead of one ``//`` scan per context; other contexts are evaluated by lxml;
* ``//p:X[predicate]`` is compiled as ``/descendant::p:X[predicate]`` when the predicate cannot be
  positional (:func:`descendant_steps`), which libxml2 evaluates several times faster;
* consecutive boolean XPath tests of a context are evaluated in **one** libxml2 call;
* a callable test may carry ``test.precheck(node, doc) -> bool``: when it returns False the test is
  known to hold, and the run of consecutive rules sharing that precheck is skipped at once (used
  for the ~680 UBL-CR rules and for the rules of each VAT category).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lxml import etree

from nofaktura.ehf.namespaces import NSMAP, PREFIX_OF, ROOTS
from nofaktura.xml import element_path


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
        # Name the business terms up front unless the text already does, so a person sees what to fix.
        missing = [term for term in self.terms if not re.search(rf"\b{re.escape(term)}\b", text)]
        return f"[{', '.join(missing)}] {text}" if missing else text


@dataclass(frozen=True)
class Group:
    """A schematron ``<rule>``: one context (XPath 1.0 from the root element) and its asserts.

    ``nodes``, when given, is a Python function returning exactly the node set of ``context`` (in
    document order) for a document; the engine then calls it instead of evaluating the XPath. It
    is for contexts that are themselves XPath extension functions (the BIS 3 structure groups),
    where the call into libxml2 and back costs more than the answer.
    """

    context: str
    rules: tuple[Rule, ...]
    nodes: Callable[[Document], Iterable[etree._Element]] | None = field(default=None, compare=False)
    #: When given, the group has no asserts of its own: this function returns its findings for a
    #: document, each with its own message (the UBL 2.1 schema errors of the structure rule set,
    #: where what went wrong and what was expected differ per error and cannot be a fixed text).
    report: Callable[[Document], Iterable[Finding]] | None = field(default=None, compare=False)


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
    #: Line in the received document, when known (the schema errors carry it).
    line: int | None = None
    #: The raw technical text behind the finding (e.g. libxml2's schema message), for support.
    detail: str = ""

    def text(self, lang: str = "en") -> str:
        return self.message_nb if lang == "nb" and self.message_nb else self.message

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        result: dict[str, Any] = {
            "rule": self.rule, "flag": str(self.flag), "location": self.location, "message": self.text(lang)
        }
        if self.line is not None:
            result["line"] = self.line
        if self.detail:
            result["detail"] = self.detail
        return result


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
    """A compiled XPath 1.0 expression with the library's namespace prefixes.

    ``//p:Name[predicate]`` is compiled as the equivalent ``/descendant::p:Name[predicate]`` when the
    predicate is plainly boolean (libxml2 otherwise first collects every node of the document, which
    makes such a step several times slower on a large invoice); see :func:`descendant_steps`.
    """
    return etree.XPath(descendant_steps(expression), namespaces=NSMAP, smart_strings=False)


_DOUBLE_SLASH_STEP = re.compile(r"//([A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*|\*)\[")
_BOOLEAN_PREDICATE = re.compile(r"^\s*(?:not|boolean|contains|starts-with)\(|[=<>]|\band\b|\bor\b")
_PATH_PREDICATE = re.compile(
    r"^\s*(?:@?[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?|\*)(?:/@?(?:[A-Za-z_][\w.-]*:)?[\w.-]+)*\s*$"
)


def descendant_steps(expression: str) -> str:
    """Rewrite ``//p:X[pred]`` as ``/descendant::p:X[pred]`` where that is the same node set.

    ``//`` is ``/descendant-or-self::node()/child::``; with a predicate that does not depend on the
    position (a comparison, a boolean function, ``and``/``or``, a plain path), filtering each parent's
    children or all descendants selects the same nodes. Anything else is left as written.
    """
    out, position, quote = [], 0, ""
    index = 0
    while index < len(expression):
        char = expression[index]
        if quote:
            if char == quote:
                quote = ""
            index += 1
            continue
        if char in "'\"":
            quote = char
            index += 1
            continue
        found = _DOUBLE_SLASH_STEP.match(expression, index)
        if found and (index == 0 or expression[index - 1] not in "/:"):
            end = _closing(expression[found.end() - 1:], "]")
            predicate = expression[found.end():found.end() - 1 + end] if end > 0 else ""
            if end > 0 and not _POSITIONAL.search(predicate) and (
                _BOOLEAN_PREDICATE.search(_top_level(predicate)) or _PATH_PREDICATE.match(predicate)
            ):
                out.append(expression[position:index])
                out.append(f"/descendant::{found.group(1)}[")
                position = index = found.end()
                continue
        index += 1
    out.append(expression[position:])
    return "".join(out)


def _top_level(text: str) -> str:
    """``text`` with bracketed, parenthesized and quoted parts blanked out (only the top level left)."""
    result, depth, quote = [], 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
            result.append(" ")
        elif char in "'\"":
            quote = char
            result.append(" ")
        elif char in "[(":
            depth += 1
            result.append(char if depth == 1 else " ")
        elif char in "])":
            depth -= 1
            result.append(char if depth == 0 else " ")
        else:
            result.append(char if depth == 0 else " ")
    return "".join(result)


def location_of(node: etree._Element) -> str:
    """A readable XPath to ``node``: ``/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount``."""
    return element_path(node, PREFIX_OF)


def evaluate(root: etree._Element, patterns: Iterable[Pattern]) -> list[Finding]:
    """Run every pattern over the document rooted at ``root`` and return the findings."""
    return evaluate_sets(root, (patterns if isinstance(patterns, tuple) else tuple(patterns),))


def evaluate_sets(root: etree._Element, sets: Sequence[tuple[Pattern, ...]]) -> list[Finding]:
    """Run several rule sets (tuples of patterns) over one document: the findings of
    :func:`evaluate` on each in turn. Each rule set has its own :class:`Document` (``let`` cache)
    and its own walk: one walk for all of them saves little CPU time (the tags they look at barely
    overlap) but keeps the context nodes of every rule set alive at once.
    """
    findings: list[Finding] = []
    for patterns in sets:
        plan = _plan_of(patterns)
        matched = plan.match(root)
        _run(patterns, root=root, plan=plan, matched=matched, doc=Document(root), findings=findings)
    return findings


def _run(
    patterns: tuple[Pattern, ...],
    *,
    root: etree._Element,
    plan: _Plan,
    matched: dict[tuple[int, int], list[etree._Element]],
    doc: Document,
    findings: list[Finding],
) -> None:
    for pattern_index, pattern in enumerate(patterns):
        claimed: set[etree._Element] = set()
        for group_index, group in enumerate(pattern.groups):
            if group.report is not None:
                findings.extend(group.report(doc))
                continue
            key = (pattern_index, group_index)
            nodes = matched.pop(key, None)  # dropped once used: the walk's lists do not all live to the end
            if nodes is None:
                nodes = group.nodes(doc) if group.nodes is not None else xpath(group.context)(root)
            blocks = plan.blocks[key]
            claims = plan.claims[key]
            for node in nodes:
                if not isinstance(node, etree._Element) or node in claimed:
                    continue
                if claims:
                    claimed.add(node)
                for precheck, entries in blocks:
                    if precheck is not None and not precheck(node, doc):
                        continue  # the precheck says every test of this block holds here
                    for rules, check, kind in entries:
                        if kind == _BATCH:
                            verdicts = check(node)
                            if "0" not in verdicts:
                                continue
                            failed = [r for r, verdict in zip(rules, verdicts, strict=True) if verdict != "1"]
                        elif kind == _XPATH:
                            if check(node):
                                continue
                            failed = rules
                        else:
                            if check(node, doc):
                                continue
                            failed = rules
                        for rule in failed:
                            findings.append(
                                Finding(rule.id, rule.flag, location_of(node), rule.message("en"), rule.message("nb"))
                            )


_XPATH, _FUNCTION, _BATCH = 0, 1, 2
_BOOLEAN_TOP = re.compile(r"[=<>]|\band\b|\bor\b")
_BOOLEAN_CALL = re.compile(r"^(?:not|boolean|true|false|contains|starts-with)\s*\(")


def _surely_boolean(test: str) -> bool:
    """True when the XPath test's value is a boolean or a node set, so that ``boolean(test)`` in XPath
    and ``bool(result)`` in Python agree (a number could be NaN, which they treat differently)."""
    text = test.strip()
    while text.startswith("(") and _closing(text, ")") == len(text) - 1:
        text = text[1:-1].strip()
    top = _top_level(text)
    if _BOOLEAN_TOP.search(top):
        return True
    if _BOOLEAN_CALL.match(text) and _closing(text[text.index("("):], ")") == len(text) - text.index("(") - 1:
        return True
    return bool(_PATH_PREDICATE.match(text))


def _closing(text: str, close: str) -> int:
    """Index of the ``close`` (``)`` or ``]``) that closes the bracket at ``text[0]`` (quotes and
    nested ``()``/``[]`` respected), or -1 when it is closed by the other kind or not at all."""
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                return index if char == close else -1
    return -1


def _batched(entries: list[tuple[tuple[Rule, ...], Any, int]]) -> list[tuple[tuple[Rule, ...], Any, int]]:
    """Merge runs of boolean XPath tests into one evaluation: ``concat(number(boolean(t1)), …)``
    gives a string of 1s and 0s, one per rule, for the cost of a single call into libxml2."""
    merged: list[tuple[tuple[Rule, ...], Any, int]] = []
    run: list[Rule] = []

    def flush() -> None:
        if len(run) == 1:
            merged.append(((run[0],), xpath(run[0].test), _XPATH))  # type: ignore[arg-type]
        elif run:
            expression = "concat(" + ", ".join(f"number(boolean({r.test}))" for r in run) + ")"
            merged.append((tuple(run), xpath(expression), _BATCH))
        run.clear()

    for entry in entries:
        rules, _check, kind = entry
        if kind == _XPATH and _surely_boolean(rules[0].test):  # type: ignore[arg-type]
            run.append(rules[0])
            continue
        flush()
        merged.append(entry)
    flush()
    return merged


def _blocks(group: Group) -> tuple[tuple[Any, tuple[tuple[tuple[Rule, ...], Any, int], ...]], ...]:
    """The rules of a group, compiled, in runs that share a precheck.

    A callable test may carry a ``precheck`` attribute, ``precheck(node, doc) -> bool``: when it
    returns False, that test is known to hold on ``node``. Consecutive rules with the same precheck
    (e.g. the ~680 UBL-CR "element not used" rules, or all rules about one VAT category) are then
    skipped with one call instead of being evaluated one by one. Verdicts are unchanged.
    """
    blocks: list[tuple[Any, list[tuple[tuple[Rule, ...], Any, int]]]] = []
    for rule in group.rules:
        if isinstance(rule.test, str):
            precheck, entry = None, ((rule,), xpath(rule.test), _XPATH)
        else:
            precheck, entry = getattr(rule.test, "precheck", None), ((rule,), rule.test, _FUNCTION)
        if blocks and blocks[-1][0] is precheck:
            blocks[-1][1].append(entry)
        else:
            blocks.append((precheck, [entry]))
    return tuple((precheck, tuple(_batched(entries))) for precheck, entries in blocks)


# --- context dispatch: one walk over the tree instead of one ``//`` scan per context ----------------
#
# Most contexts are location paths of named child steps with boolean predicates
# (``//cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory[cbc:ID = 'S']``). Evaluating each as XPath
# traverses the whole tree once per context; for a 1,000-line invoice and ~200 contexts that is most
# of the time. Instead, such contexts are compiled into matchers indexed by the tag of their last
# step, and one walk over the tree collects, per group, the nodes it matches, in document order -
# exactly the node set the XPath would return. Contexts of any other shape (wildcards with
# predicates, axes, functions) are still evaluated by lxml, so the verdicts never change.


_Memo = dict[Any, Any]


@dataclass(frozen=True)
class _Step:
    tag: str | None  # Clark name, None for ``*``
    predicates: tuple[Callable[[etree._Element, _Memo], bool], ...]
    #: for ``*``: a test on the tag alone (from ``name()`` suffix conditions), checked before predicates
    name_test: Callable[[str], bool] | None = None


class _Branch:
    """One ``/``- or ``//``-rooted path of named child steps with predicates."""

    __slots__ = ("anchored", "has_predicates", "reversed_steps", "signature", "steps", "trivial", "trivial_path")

    def __init__(self, steps: tuple[_Step, ...], anchored: bool) -> None:
        self.steps = steps
        self.reversed_steps = tuple(reversed(steps))
        self.anchored = anchored  # ``/a/b``: the first step is the document element
        self.has_predicates = any(step.predicates for step in steps)
        #: ``//a`` or ``//a/b`` with named steps and no predicates: the walk's lookup by tag and
        #: parent tag already decides it, :meth:`matches` need not run
        self.trivial_path = (
            not anchored and len(steps) <= 2 and all(step.tag is not None and step.name_test is None for step in steps)
        )
        self.trivial = self.trivial_path and not self.has_predicates
        #: branches with the same signature select by the same tags: the walk checks the path once
        self.signature = (anchored, tuple((step.tag, step.name_test) for step in steps))

    def matches(self, node: etree._Element, memo: _Memo) -> bool:
        return self.matches_path(node) and self.matches_predicates(node, memo)

    def matches_path(self, node: etree._Element) -> bool:
        """The tags (and name tests) up the ancestor chain, without the predicates."""
        current: etree._Element | None = node
        for step in self.reversed_steps:
            if current is None or (step.tag is not None and current.tag != step.tag):
                return False
            if step.name_test is not None and not (isinstance(current.tag, str) and step.name_test(current.tag)):
                return False
            current = current.getparent()
        return not (self.anchored and current is not None)

    def matches_predicates(self, node: etree._Element, memo: _Memo) -> bool:
        """The predicates of the steps, for a node whose path :meth:`matches_path`."""
        if not self.has_predicates:
            return True
        current = node
        for step in self.reversed_steps:
            for predicate in step.predicates:
                if not predicate(current, memo):  # type: ignore[arg-type]
                    return False
            current = current.getparent()  # type: ignore[union-attr]
        return True


_CHILD_TEXT_EQUALS = re.compile(
    r"^\s*normalize-space\(\s*([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)\s*\)\s*=\s*'([^']*)'\s*$"
)
_XML_SPACE = re.compile(r"[ \t\r\n]+")


def _child_text(node: etree._Element, tag: str, memo: _Memo) -> str:
    """``normalize-space(p:X)`` of ``node`` for the Clark name ``tag``, memoized per walk."""
    key = (tag, node)
    value = memo.get(key)
    if value is None:
        child = node.find(tag)  # the first one, as XPath's string() of a node set
        raw = "" if child is None else ("".join(child.itertext()) if len(child) else child.text or "")
        value = memo[key] = _XML_SPACE.sub(" ", raw).strip(" ")
    return value


@cache
def _predicate(text: str) -> Callable[[etree._Element, _Memo], bool]:
    """A step predicate as a function of the node, memoized per walk.

    The frequent ``normalize-space(p:X) = 'v'`` is answered in Python from the child's normalized
    text, computed once per node for all the values compared with it (one per VAT category).
    """
    attribute = re.fullmatch(r"\s*@([A-Za-z_][\w.-]*)\s*", text)
    if attribute:  # ``[@schemeID]``: the attribute (no namespace) exists
        name = attribute.group(1)
        return lambda node, memo: node.get(name) is not None
    simple = _CHILD_TEXT_EQUALS.match(text)
    if simple and simple.group(1) in NSMAP:
        tag, wanted = f"{{{NSMAP[simple.group(1)]}}}{simple.group(2)}", simple.group(3)

        def equals(node: etree._Element, memo: _Memo) -> bool:
            return _child_text(node, tag, memo) == wanted

        equals.child_text = (tag, wanted)  # type: ignore[attr-defined]  # for the walk's dispatch by value
        return equals
    fast = _fast_predicate(text)
    if fast is not None:

        def remembered(node: etree._Element, memo: _Memo) -> bool:
            key = (fast, node)  # a node is met once per context ending below it: remember the answer
            result = memo.get(key)
            if result is None:
                result = memo[key] = fast(node, memo)
            return result

        return remembered
    compiled = xpath(f"boolean({text})")

    def evaluate(node: etree._Element, memo: _Memo) -> bool:
        key = (compiled, node)
        result = memo.get(key)
        if result is None:
            result = memo[key] = bool(compiled(node))
        return result

    return evaluate


_QNAME = r"([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)"
_NORMALIZED_DOT = r"normalize-space\(\s*\.\s*\)\s*=\s*'([^']*)'"
#: ``p:X[normalize-space(.)='a' or normalize-space(.)='b']`` (a child X whose text is one of the values)
_CHILD_TEXT_IN = re.compile(rf"^\s*{_QNAME}\[\s*({_NORMALIZED_DOT}(?:\s+or\s+{_NORMALIZED_DOT})*)\s*\]\s*$")
#: ``p:X[normalize-space(translate(q:Y,'from','to'))='v']`` (a child X whose first Y child translates to v)
_CHILD_TRANSLATED = re.compile(
    rf"^\s*{_QNAME}\[\s*normalize-space\(\s*translate\(\s*{_QNAME}\s*,\s*'([^']*)'\s*,\s*'([^']*)'\s*\)\s*\)"
    r"\s*=\s*'([^']*)'\s*\]\s*$"
)
#: ``not(ancestor::p:X/q:Y)`` (no ancestor X has a child Y)
_NO_ANCESTOR_CHILD = re.compile(rf"^\s*not\(\s*ancestor::{_QNAME}\s*/\s*{_QNAME}\s*\)\s*$")


def _string_value(node: etree._Element | None) -> str:
    """XPath ``string()`` of an element (its descendant text, comments and PIs left out); '' for None."""
    if node is None:
        return ""
    return "".join(node.itertext()) if len(node) else node.text or ""


def _normalized(text: str) -> str:
    """XPath ``normalize-space()``: only XML whitespace (space, tab, CR, LF) is collapsed and trimmed."""
    return _XML_SPACE.sub(" ", text).strip(" ")


def _clark_of(prefix: str, local: str) -> str | None:
    return f"{{{NSMAP[prefix]}}}{local}" if prefix in NSMAP else None


def _fast_predicate(text: str) -> Callable[[etree._Element, _Memo], bool] | None:
    """Python versions of the step predicates met on every line of an invoice (exactly the XPath
    meaning), which otherwise cost a call into libxml2 per node; None for any other predicate."""
    found = _CHILD_TEXT_IN.match(text)
    if found:
        tag = _clark_of(found.group(1), found.group(2))
        if tag is None:
            return None
        values = frozenset(re.findall(_NORMALIZED_DOT, found.group(3)))
        return lambda node, memo: any(_normalized(_string_value(child)) in values for child in node.iterchildren(tag))
    found = _CHILD_TRANSLATED.match(text)
    if found:
        tag, inner = _clark_of(found.group(1), found.group(2)), _clark_of(found.group(3), found.group(4))
        if tag is None or inner is None:
            return None
        source, target, wanted = found.group(5), found.group(6), found.group(7)
        table: dict[int, int | None] = {}
        for index, char in enumerate(source):  # XPath translate(): the first occurrence wins; no target deletes
            table.setdefault(ord(char), ord(target[index]) if index < len(target) else None)
        return lambda node, memo: any(
            _normalized(_string_value(child.find(inner)).translate(table)) == wanted
            for child in node.iterchildren(tag)
        )
    found = _NO_ANCESTOR_CHILD.match(text)
    if found:
        ancestor, child = _clark_of(found.group(1), found.group(2)), _clark_of(found.group(3), found.group(4))
        if ancestor is None or child is None:
            return None

        def no_ancestor_child(node: etree._Element, memo: _Memo) -> bool:
            current = node.getparent()
            while current is not None:
                if current.tag == ancestor and current.find(child) is not None:
                    return False
                current = current.getparent()
            return True

        return no_ancestor_child
    return None


def _split_top(text: str, separator: str) -> list[str] | None:
    """Split on ``separator`` outside brackets, parentheses and quotes; None when unbalanced."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    if depth or quote:
        return None
    parts.append(text[start:])
    return parts


_NAME = r"(?:\*|[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*)"
_POSITIONAL = re.compile(r"^\s*\d+\s*$|position\(|last\(")


def _compile_step(text: str) -> _Step | None:
    if text.startswith("child::"):
        text = text[len("child::"):]
    name = re.match(_NAME, text)
    if not name:
        return None
    rest, predicates, name_tests = text[name.end():], [], []
    while rest:
        end = _closing(rest, "]") if rest.startswith("[") else -1
        if end < 0:
            return None
        predicate = rest[1:end]
        if _POSITIONAL.search(predicate):
            return None
        if name.group(0) == "*":
            # ``*[ends-with-name and …]``: the name conditions become a test on the tag.
            for conjunct in _conjuncts(predicate):
                name_test = _name_test(conjunct)
                if name_test is not None:
                    name_tests.append(name_test)
                else:
                    predicates.append(_predicate(conjunct))
        else:
            predicates.append(_predicate(predicate))
        rest = rest[end + 1:]
    if name.group(0) == "*":
        tag = None
    else:
        prefix, local = name.group(0).split(":")
        if prefix not in NSMAP:
            return None
        tag = f"{{{NSMAP[prefix]}}}{local}"
    if name_tests:
        tests = tuple(name_tests)
        return _Step(tag, tuple(predicates), lambda clark: all(test(clark) for test in tests))
    return _Step(tag, tuple(predicates))


def _conjuncts(predicate: str) -> list[str]:
    """``a and b and c`` split at its top level (a predicate without a top-level ``or``)."""
    mask = _top_level(predicate)
    if re.search(r"\bor\b", mask):
        return [predicate]
    parts, start = [], 0
    for found in re.finditer(r"\band\b", mask):
        parts.append(predicate[start:found.start()])
        start = found.end()
    parts.append(predicate[start:])
    return [part.strip() for part in parts]


_NAME_SUFFIX = re.compile(
    r"^(not\(\s*)?substring\(\s*name\(\)\s*,\s*string-length\(\s*name\(\)\s*\)\s*-\s*(\d+)\s*\)\s*=\s*'([^':]+)'\s*(\))?$"
)


def _name_test(conjunct: str) -> Callable[[str], bool] | None:
    """``substring(name(), string-length(name()) - N) = 'S'`` with N = len(S) - 1 is "the name ends
    with S"; for S without ``:`` that is the local name ending with S, so it is decided on the tag."""
    found = _NAME_SUFFIX.match(conjunct.strip())
    if not found or bool(found.group(1)) != bool(found.group(4)) or int(found.group(2)) != len(found.group(3)) - 1:
        return None
    suffix, negated = found.group(3), bool(found.group(1))
    return lambda clark: clark.rpartition("}")[2].endswith(suffix) != negated


def _compile_branch(text: str) -> _Branch | None:
    text = text.strip()
    if text.startswith("//"):
        anchored, body = False, text[2:]
    elif text.startswith("/"):
        anchored, body = True, text[1:]
    else:
        return None
    raw_steps = _split_top(body, "/")
    if not raw_steps or any(not step for step in raw_steps):  # a '//' inside the path
        return None
    steps = [_compile_step(step) for step in raw_steps]
    if any(step is None for step in steps):
        return None
    # A last step ``*`` with predicates but no test on the name would evaluate XPath on every
    # element: lxml is faster at that.
    last = steps[-1]
    if last.tag is None and last.predicates and last.name_test is None:  # type: ignore[union-attr]
        return None
    return _Branch(tuple(steps), anchored)  # type: ignore[arg-type]


@cache
def _compile_context(context: str) -> tuple[_Branch, ...] | None:
    """The branches of a context, or None when it must be left to lxml."""
    try:
        branches = [_compile_branch(part) for part in _split_top(context, "|") or [None]]
    except etree.XPathSyntaxError:
        return None
    if any(branch is None for branch in branches):
        return None
    return tuple(branches)  # type: ignore[arg-type]


_ANY_PARENT = "*"


class _Plan:
    """Which groups of a tuple of patterns can be matched in one walk, indexed by tag and parent tag."""

    def __init__(self, patterns: tuple[Pattern, ...]) -> None:
        # tag -> parent tag (None: no parent, the root; "*": any) -> [(group key, branch)]
        self.index: dict[str, dict[str | None, list[tuple[tuple[int, int], _Branch]]]] = {}
        self.any_tag: list[tuple[tuple[int, int], _Branch]] = []
        self.keys: list[tuple[int, int]] = []
        for pattern_index, pattern in enumerate(patterns):
            for group_index, group in enumerate(pattern.groups):
                branches = None if group.report is not None else _compile_context(group.context)
                if branches is None:
                    continue
                key = (pattern_index, group_index)
                self.keys.append(key)
                for branch in branches:
                    tag = branch.steps[-1].tag
                    if tag is None:
                        self.any_tag.append((key, branch))
                        continue
                    if len(branch.steps) > 1:
                        parent = branch.steps[-2].tag or _ANY_PARENT
                    else:
                        parent = None if branch.anchored else _ANY_PARENT
                    self.index.setdefault(tag, {}).setdefault(parent, []).append((key, branch))
        #: (tag, parent tag) -> candidate branches, filled as tags are met (shared by all documents)
        self.candidate_cache: dict[tuple[Any, Any], Any] = {}
        #: tag -> candidates when the parent does not matter, True when it does, None when none
        self.tag_cache: dict[Any, Any] = {}
        self.blocks = {
            (pattern_index, group_index): _blocks(group)
            for pattern_index, pattern in enumerate(patterns)
            for group_index, group in enumerate(pattern.groups)
        }
        #: whether a group's nodes must be remembered as claimed: only when a later group of its
        #: pattern could select an element with the same tag (otherwise the set would only hold
        #: every context node of the pattern alive until its end)
        self.claims = {
            (pattern_index, group_index): _may_overlap_later(pattern.groups, group_index)
            for pattern_index, pattern in enumerate(patterns)
            for group_index in range(len(pattern.groups))
        }

    def _candidates(self, tag: Any, parent_tag: Any) -> list[tuple[tuple[int, int], _Branch]]:
        """The branches that can match an element with this tag under a parent with that tag."""
        if not isinstance(tag, str):
            return []
        candidates: list[tuple[tuple[int, int], _Branch]] = []
        by_parent = self.index.get(tag)
        if by_parent is not None:
            candidates += by_parent.get(parent_tag, [])
            candidates += by_parent.get(_ANY_PARENT, [])
        candidates += [
            (key, branch) for key, branch in self.any_tag
            if branch.steps[-1].name_test is None or branch.steps[-1].name_test(tag)
        ]
        return candidates

    def _by_tag(self, tag: Any) -> Any:
        """What the walk does with an element of this tag: None (no context can match it), a list of
        candidates (the same whatever its parent), or True (look the parent's tag up)."""
        if not isinstance(tag, str):
            return None
        by_parent = self.index.get(tag, {})
        if any(parent != _ANY_PARENT for parent in by_parent):
            return True
        candidates = list(by_parent.get(_ANY_PARENT, []))
        candidates += [
            (key, branch) for key, branch in self.any_tag
            if branch.steps[-1].name_test is None or branch.steps[-1].name_test(tag)
        ]
        return _by_signature(candidates) or None

    def match(self, root: etree._Element) -> dict[tuple[int, int], list[etree._Element]]:
        if not self.keys:
            return {}
        matched: dict[tuple[int, int], list[etree._Element]] = {key: [] for key in self.keys}
        memo: _Memo = {}
        by_tag, cache = self.tag_cache, self.candidate_cache
        if len(cache) + len(by_tag) > 20_000:  # documents full of invented tags must not grow them without bound
            cache.clear()
            by_tag.clear()
        # Without wildcard branches only the tags some context ends with are visited (filtered in C).
        for node in root.iter(*self.index) if not self.any_tag else root.iter():
            tag = node.tag
            candidates = by_tag.get(tag, False)
            if candidates is False:
                candidates = by_tag[tag] = self._by_tag(tag)
            if candidates is None:
                continue
            if candidates is True:
                parent = node.getparent()
                pair = (tag, parent.tag if parent is not None else None)
                candidates = cache.get(pair)
                if candidates is None:
                    candidates = cache[pair] = _by_signature(self._candidates(*pair))
            if len(memo) > 4096:  # predicate results are per node and its ancestors: a bounded cache will do
                memo.clear()
            for path, always, dispatch in candidates:
                if path is not None and not path.matches_path(node):
                    continue
                members = always
                if dispatch is not None:
                    # only the groups whose ``normalize-space(p:X) = 'v'`` predicate can hold here
                    child_tag, by_value = dispatch
                    chosen = by_value.get(_child_text(node, child_tag, memo))
                    if chosen is not None:
                        members = always + chosen if always else chosen
                    elif not always:
                        continue
                for key, branch in members:
                    nodes = matched[key]
                    # a node joins a group once, even when several branches of its context match it
                    if (not nodes or nodes[-1] is not node) and (
                        branch is None or branch.matches_predicates(node, memo)
                    ):
                        nodes.append(node)
        return matched


def _by_signature(
    candidates: list[tuple[tuple[int, int], _Branch]],
) -> list[tuple[_Branch | None, list[tuple[tuple[int, int], _Branch | None]], Any]]:
    """Candidates grouped by the tags their branches select (e.g. the nine VAT category contexts on
    ``cac:Item/cac:ClassifiedTaxCategory``), so that the walk checks each ancestor chain once.

    Each entry is ``(branch whose path to check, or None when the lookup by tag and parent tag
    already decides it, [(group key, branch whose predicates to check, or None when it has none)],
    dispatch)``. ``dispatch`` is None or ``(child tag, {value: [members]})``: members whose last step
    starts with ``[normalize-space(p:X) = 'value']`` on the same child (one per VAT category) are
    set apart by that value, so the walk computes the child's text once and tries only the members
    whose value it is; their predicates are then all checked as usual (verdicts are unchanged).
    """
    grouped: dict[Any, tuple[_Branch, list[tuple[tuple[int, int], _Branch | None]]]] = {}
    for key, branch in candidates:
        entry = grouped.setdefault(branch.signature, (branch, []))
        entry[1].append((key, branch if branch.has_predicates else None))
    result: list[tuple[_Branch | None, list[tuple[tuple[int, int], _Branch | None]], Any]] = []
    for first, grouped_members in grouped.values():
        members = grouped_members
        by_child: dict[str, dict[str, list[tuple[tuple[int, int], _Branch | None]]]] = {}
        for member in members:
            branch = member[1]
            predicates = branch.steps[-1].predicates if branch is not None else ()
            child_text = getattr(predicates[0], "child_text", None) if predicates else None
            if child_text is not None:
                by_child.setdefault(child_text[0], {}).setdefault(child_text[1], []).append(member)
        dispatch = None
        if by_child:
            child_tag, by_value = max(by_child.items(), key=lambda item: sum(map(len, item[1].values())))
            if sum(map(len, by_value.values())) > 1:
                set_apart = {id(member) for chosen in by_value.values() for member in chosen}
                members = [member for member in grouped_members if id(member) not in set_apart]
                dispatch = (child_tag, by_value)
        result.append((None if first.trivial_path else first, members, dispatch))
    return result


def _selects(group: Group) -> tuple[frozenset[str], tuple[Callable[[str], bool], ...]] | None:
    """The tags a group's context can select (and name tests for ``*`` steps), or None: any."""
    if group.nodes is not None:
        return None
    branches = _compile_context(group.context)
    if branches is None:
        return None
    tags: set[str] = set()
    tests: list[Callable[[str], bool]] = []
    for branch in branches:
        last = branch.steps[-1]
        if last.tag is not None:
            tags.add(last.tag)
        elif last.name_test is not None:
            tests.append(last.name_test)
        else:
            return None
    return frozenset(tags), tuple(tests)


def _may_overlap_later(groups: tuple[Group, ...], index: int) -> bool:
    """True when a group after ``groups[index]`` might select a node that group selects."""
    later = groups[index + 1:]
    if not later:
        return False
    mine = _selects(groups[index])
    if mine is None:
        return True
    for other in map(_selects, later):
        if other is None or mine[0] & other[0]:
            return True
        if any(test(tag) for test in other[1] for tag in mine[0]):
            return True
        if mine[1] and (other[1] or any(test(tag) for test in mine[1] for tag in other[0])):
            return True
    return False


_PLANS: dict[int, tuple[tuple[Pattern, ...], _Plan]] = {}


def _plan_of(patterns: tuple[Pattern, ...]) -> _Plan:
    cached = _PLANS.get(id(patterns))
    if cached is not None and cached[0] is patterns:
        return cached[1]
    plan = _Plan(patterns)
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[id(patterns)] = (patterns, plan)
    return plan


def iter_rules(patterns: Iterable[Pattern]) -> Iterator[Rule]:
    for pattern in patterns:
        for group in pattern.groups:
            yield from group.rules


def group(context: str, *rules: Rule) -> Group:
    """Shorthand used by the rule modules."""
    return Group(context, tuple(rules))


def pattern(name: str, groups: Sequence[Group]) -> Pattern:
    return Pattern(name, tuple(groups))
