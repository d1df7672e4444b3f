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
    An element that is not part of BIS 3 where it stands (reported at that element; its children
    are not examined further). The official CEN rules (UBL-CR-*) also only warn about these.

Scope: documents that claim Peppol BIS Billing 3.0 exactly (``cbc:CustomizationID`` =
:data:`BIS3_BILLING`) or claim nothing. Documents of other specifications -- plain EN 16931, EHF
extensions that are "conformant" to BIS 3 (Reminder, Forward Billing), Payment Request, self-billing --
have their own syntax and are not measured against this one (PEPPOL-EN16931-R004 already reports a
wrong specification identifier).

Element order is left to the UBL 2.1 schema. Extend by regenerating the data: the rules follow it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nofaktura.ehf.namespaces import CAC, CBC, CREDIT_NOTE, EXT, INVOICE
from nofaktura.ehf.rules.data import bis3_structure as data
from nofaktura.ehf.rules.engine import Flag, Group, Pattern, Rule

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
    root, _ = _ROOTS[kind]
    return "/" + "/".join([root + _IN_SCOPE, *path.split("/")[1:]])


def _label(term: str, bt: str, name: str) -> str:
    described = " ".join(part for part in (bt.replace(", ", "/"), name) if part)
    return f"{term} ({described})" if described else term


def _terms(bt: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in bt.split(",") if part.strip())


def _present(tag: str):
    return lambda node, doc: node.find(tag) is not None


def _at_most(tag: str, maximum: int):
    return lambda node, doc: len(node.findall(tag)) <= maximum


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


def _build(kind: str) -> tuple[list[Group], list[Group]]:
    cardinality: list[Group] = []
    unknown: list[Group] = []
    _, table = _ROOTS[kind]
    for path, (bt, name, children) in table.items():
        if not children:
            continue
        context = _xpath(kind, path)
        parent_label = _label(path.rsplit("/", 1)[-1], bt, name)
        rules = tuple(rule for child in children for rule in _cardinality_rules(path, parent_label, child))
        if rules:
            cardinality.append(Group(context, rules))
        allowed = " or ".join(f"self::{child[0]}" for child in children)
        unknown.append(
            Group(
                f"{context}/*[not({allowed})]",
                (
                    Rule(
                        UNKNOWN,
                        Flag.WARNING,
                        "false()",
                        f"This element is not part of Peppol BIS 3 in {parent_label} ({path}); receivers may"
                        " ignore it. Remove it or move the information to an element BIS 3 defines.",
                        f"Dette elementet er ikke en del av Peppol BIS 3 i {parent_label} ({path}); mottakere"
                        " kan overse det. Fjern det eller flytt opplysningen til et element BIS 3 definerer.",
                        _terms(bt),
                    ),
                ),
            )
        )
    return cardinality, unknown


def _patterns() -> tuple[Pattern, ...]:
    cardinality: list[Group] = []
    unknown: list[Group] = []
    for kind in _ROOTS:
        more_cardinality, more_unknown = _build(kind)
        cardinality += more_cardinality
        unknown += more_unknown
    return (
        Pattern("BIS 3 syntax: mandatory elements and occurrences", tuple(cardinality)),
        Pattern("BIS 3 syntax: elements that are not part of BIS 3", tuple(unknown)),
    )


PATTERNS = _patterns()
