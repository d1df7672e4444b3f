"""UBL 2.1 schema (XSD) validation as findings of the ``structure`` rule set.

The official validation of an access point starts with the UBL 2.1 schema: a document whose elements
stand in the wrong order, that carries an element or attribute UBL does not allow where it stands
(a ``cac:CreditNoteLine`` in an Invoice), or a value of the wrong lexical form (``12,50`` as an amount,
``31.12.2026`` as a date) is rejected before any business rule is looked at. The schematron rule sets
cannot see most of that, so this module validates the document against the OASIS UBL 2.1 schema with
lxml (libxml2, in C: tens of microseconds for a normal invoice) and turns every schema error into a
fatal finding ``BIS3-XSD`` with our own message in English and Norwegian, the element's location, the
line in the received file and libxml2's own text as ``detail``.

The schema files ship with the package (``nofaktura/data/ubl-2.1``: the three document schemas
Invoice, CreditNote and ApplicationResponse, and the common modules they import, from the OASIS
"runtime" set vefa-validator uses; see ``OASIS-NOTICES.txt`` there). They are compiled once per
document type and process. Loading resolves ``xsd:import``/``xsd:include`` only to files inside that
folder: anything else (a network address, a file elsewhere) is refused, and the parser reads no DTD
and expands no entity.

libxml2 reports the first content-model error of a parent and then skips the rest of that parent's
children, so fixing one error can reveal the next one in the same element. That is also how the
official validators behave.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from nofaktura.ehf.namespaces import APPLICATION_RESPONSE, CAC, CBC, CREDIT_NOTE, EXT, INVOICE
from nofaktura.ehf.rules.engine import Document, Finding, Flag, location_of

__all__ = ["RULE", "SCHEMA_DIR", "SchemaError", "schema_errors", "schema_findings", "schema_for"]

#: Rule id of every schema finding.
RULE = "BIS3-XSD"

#: The shipped OASIS UBL 2.1 schema files (``maindoc/`` and ``common/``).
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "ubl-2.1"

_MAINDOC = {
    f"{{{INVOICE}}}Invoice": "UBL-Invoice-2.1.xsd",
    f"{{{CREDIT_NOTE}}}CreditNote": "UBL-CreditNote-2.1.xsd",
    f"{{{APPLICATION_RESPONSE}}}ApplicationResponse": "UBL-ApplicationResponse-2.1.xsd",
}

_PREFIXES = {CAC: "cac", CBC: "cbc", EXT: "ext", INVOICE: "", CREDIT_NOTE: "", APPLICATION_RESPONSE: ""}

#: Elements that exist in one document type only: named in the message when they turn up in the other.
_ONLY_IN = {
    "CreditNoteLine": "CreditNote",
    "CreditedQuantity": "CreditNote",
    "CreditNoteTypeCode": "CreditNote",
    "InvoiceLine": "Invoice",
    "InvoicedQuantity": "Invoice",
    "InvoiceTypeCode": "Invoice",
    "DueDate": "Invoice",
}


class _LocalOnly(etree.Resolver):
    """Resolves the schema's imports to files inside :data:`SCHEMA_DIR` and refuses anything else."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object):
        if not system_url:
            return None
        parsed = urlparse(system_url)
        if parsed.scheme not in ("", "file"):
            raise etree.XMLSchemaParseError(f"refusing to load schema part {system_url!r}: not a shipped file")
        path = Path(unquote(parsed.path if parsed.scheme else system_url)).resolve()
        if not path.is_relative_to(SCHEMA_DIR) or not path.is_file():
            raise etree.XMLSchemaParseError(f"refusing to load schema part {system_url!r}: not a shipped file")
        return self.resolve_filename(str(path), context)


@cache
def schema_for(root_tag: str) -> etree.XMLSchema | None:
    """The compiled UBL 2.1 schema for a document root (Clark tag), or None for other roots.

    Compiled once per document type and process (tens of milliseconds), from the shipped files only.
    """
    name = _MAINDOC.get(root_tag)
    if name is None:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    parser.resolvers.add(_LocalOnly())
    document = etree.parse(str(SCHEMA_DIR / "maindoc" / name), parser)
    return etree.XMLSchema(document)


# an XMLSchema object keeps the error log of its last run on itself: one validation at a time
_LOCK = threading.Lock()


@dataclass(frozen=True)
class SchemaError:
    """One libxml2 schema error, tied to the element it is about."""

    element: etree._Element
    line: int | None
    #: ``content`` (order / not allowed / missing child), ``attribute``, ``value`` or ``other``
    kind: str
    message: str  # libxml2's text
    #: the element whose children break the content model (the parent of an unexpected element,
    #: the element itself when children are missing); None for other kinds
    parent: etree._Element | None = None
    #: for ``content`` errors: the Clark tags of the children the error is about (the unexpected
    #: element and those the schema expected in its place), so other checks can tell that they
    #: would report the same problem
    covers: frozenset[str] = frozenset()


def schema_errors(root: etree._Element) -> list[SchemaError]:
    """The UBL 2.1 schema errors of a parsed Invoice, CreditNote or ApplicationResponse.

    Empty for a schema-valid document and for roots of other types (the callers check the root).
    """
    schema = schema_for(root.tag)
    if schema is None:
        return []
    with _LOCK:
        if schema.validate(root):
            return []
        entries = list(schema.error_log)
    namespaces: dict[str, str] | None = None
    errors: list[SchemaError] = []
    for entry in entries:
        if namespaces is None:
            namespaces = _prefixes_in(root)
        element, exact = _element_at(root, entry.path, entry.line, namespaces)
        message = entry.message
        kind, parent, covers = "other", None, frozenset()
        if "This element is not expected" in message:
            kind, parent = "content", element.getparent()
            covers = frozenset((element.tag, *_expected_tags(message)))
        elif "Missing child element" in message:
            kind, parent = "content", element
            covers = frozenset(_expected_tags(message))
        elif _ATTRIBUTE.match(message):
            kind = "attribute"
        elif "is not a valid value" in message or "[facet " in message:
            kind = "value"
        # libxml2's own line number stops at 65535; the element's (lxml) does not
        line = (element.sourceline if exact else None) or entry.line or None
        errors.append(SchemaError(element, line, kind, message, parent, covers))
    return errors


def _expected_tags(message: str) -> list[str]:
    found = _EXPECTED.search(message)
    return [part.strip() for part in found["names"].split(",") if part.strip()] if found else []


def _prefixes_in(root: etree._Element) -> dict[str, str]:
    """Prefix -> namespace of the document (the prefixes libxml2 writes in its error paths)."""
    found: dict[str, str] = {}
    for element in root.iter(etree.Element):
        for prefix, uri in element.nsmap.items():
            if prefix:
                found.setdefault(prefix, uri)
    return found


def _element_at(
    root: etree._Element, path: str | None, line: int, namespaces: dict[str, str]
) -> tuple[etree._Element, bool]:
    """The element an error log entry is about: by libxml2's node path (exact: True), else the first
    element on its line, else the root."""
    if path:
        try:
            found = root.getroottree().xpath(path, namespaces=namespaces) if root.getparent() is None else []
        except (etree.XPathError, TypeError):
            found = []
        if isinstance(found, list) and len(found) == 1 and isinstance(found[0], etree._Element):
            return found[0], True
    if line:
        for element in root.iter(etree.Element):
            if element.sourceline == line:
                return element, False
    return root, False


# --- messages ----------------------------------------------------------------------------------------------

_ELEMENT = re.compile(r"^Element '(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: (?P<rest>.*)$", re.S)
_ATTRIBUTE = re.compile(r"^Element '[^']+', attribute '")
_CLARK = re.compile(r"\{([^}]*)\}([\w.-]+)")
_EXPECTED = re.compile(r"Expected is (?:one of )?\(\s*(?P<names>.*?)\s*\)")
_VALUE = re.compile(
    r"^'(?P<value>.*)' is not a valid value of the (?:local )?(?:atomic|union|list) type(?: '(?P<type>[^']+)')?"
)
_MAX_LISTED = 8

#: what a lexical form should look like, by XSD type (from the message) or by the element name's ending
_FORMS = {
    "xs:date": ("a date written YYYY-MM-DD", "en dato skrevet ÅÅÅÅ-MM-DD"),
    "xs:time": ("a time written hh:mm:ss", "et klokkeslett skrevet tt:mm:ss"),
    "xs:decimal": ("a number with '.' as decimal mark", "et tall med '.' som desimaltegn"),
    "xs:boolean": ("true or false", "true eller false"),
}
_FORM_BY_SUFFIX = (
    (("Amount", "Quantity", "Measure", "Numeric", "Percent", "Rate", "Multiplier"), "xs:decimal"),
    (("Date",), "xs:date"),
    (("Time",), "xs:time"),
    (("Indicator",), "xs:boolean"),
)


def _name(clark: str) -> str:
    """``{CBC}IssueDate`` -> ``cbc:IssueDate``; the document namespace gives the bare name."""
    found = _CLARK.fullmatch(clark.strip())
    if not found:
        return clark.strip()
    uri, local = found.groups()
    prefix = _PREFIXES.get(uri)
    if prefix is None:
        return clark.strip()
    return f"{prefix}:{local}" if prefix else local


def _names(text: str) -> str:
    names = [_name(part) for part in text.split(",") if part.strip()]
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f" (+{len(names) - _MAX_LISTED} more)" if len(names) > _MAX_LISTED else "")


def _names_nb(text: str) -> str:
    names = [_name(part) for part in text.split(",") if part.strip()]
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f" (+{len(names) - _MAX_LISTED} til)" if len(names) > _MAX_LISTED else "")


def _form(element: str, xsd_type: str | None) -> tuple[str, str] | None:
    if xsd_type in _FORMS:
        return _FORMS[xsd_type]
    local = element.rpartition(":")[2]
    for suffixes, known in _FORM_BY_SUFFIX:
        if local.endswith(suffixes):
            return _FORMS[known]
    return None


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "AEIOU" else f"a {noun}"


def describe(error: SchemaError, document: str) -> tuple[str, str]:
    """Our message (English, Norwegian) for a schema error: what is wrong and what to do."""
    parsed = _ELEMENT.match(error.message)
    if parsed is None:
        raw = error.message.strip()
        return (f"The document breaks the UBL 2.1 schema here: {raw}", f"Dokumentet bryter UBL 2.1-skjemaet her: {raw}")
    element, attribute, rest = _name(parsed["element"]), parsed["attribute"], parsed["rest"].strip()
    parent = error.parent
    where = location_of(parent) if parent is not None else ""
    expected = _EXPECTED.search(rest)
    if "This element is not expected" in rest:
        local = element.rpartition(":")[2]
        other = _ONLY_IN.get(local)
        en_hint = nb_hint = ""
        if other and other != document:
            en_hint = f" {element} belongs to {_a(other)}, not to {_a(document)}."
            nb_hint = f" {element} hører til en {other}, ikke en {document}."
        if expected:
            en = (
                f"{element} is not allowed at this point of {where}: the UBL 2.1 schema expects"
                f" {_names(expected['names'])} here.{en_hint} Put the elements in the order of the schema,"
                " or remove this one if UBL does not define it here."
            )
            nb = (
                f"{element} er ikke tillatt på dette stedet i {where}: UBL 2.1-skjemaet venter"
                f" {_names_nb(expected['names'])} her.{nb_hint} Sett elementene i skjemaets rekkefølge,"
                " eller fjern dette hvis UBL ikke definerer det her."
            )
        else:
            en = (
                f"{element} is not allowed at this point of {where}: nothing more may follow here in the"
                f" UBL 2.1 schema.{en_hint} Move it to its place in the order, or remove it."
            )
            nb = (
                f"{element} er ikke tillatt på dette stedet i {where}: ingenting mer kan følge her etter"
                f" UBL 2.1-skjemaet.{nb_hint} Flytt det til riktig plass i rekkefølgen, eller fjern det."
            )
        return en, nb
    if "Missing child element" in rest:
        names = expected["names"] if expected else ""
        return (
            f"{element} is incomplete: the UBL 2.1 schema requires {_names(names) or 'more child elements'}"
            " at its end; add it.",
            f"{element} er ufullstendig: UBL 2.1-skjemaet krever {_names_nb(names) or 'flere underelementer'}"
            " til slutt; legg det til.",
        )
    if attribute:
        if "is not allowed" in rest:
            return (
                f"{element} does not take the attribute {attribute} in UBL 2.1; remove it.",
                f"{element} kan ikke ha attributtet {attribute} i UBL 2.1; fjern det.",
            )
        value = _VALUE.match(rest)
        if value:
            return (
                f"'{value['value']}' is not a valid value of the attribute {attribute} of {element}.",
                f"'{value['value']}' er ikke en gyldig verdi for attributtet {attribute} i {element}.",
            )
    if "is required but missing" in rest:
        missing = re.search(r"attribute '([^']+)'", rest)
        name = missing.group(1) if missing else "?"
        return (
            f"{element} needs the attribute {name} in UBL 2.1; add it.",
            f"{element} må ha attributtet {name} i UBL 2.1; legg det til.",
        )
    value = _VALUE.match(rest)
    if value:
        form = _form(element, value["type"])
        if form:
            return (
                f"'{value['value']}' in {element} is not valid: the UBL 2.1 schema wants {form[0]}.",
                f"'{value['value']}' i {element} er ugyldig: UBL 2.1-skjemaet krever {form[1]}.",
            )
        return (
            f"'{value['value']}' is not a valid value of {element} in the UBL 2.1 schema.",
            f"'{value['value']}' er ikke en gyldig verdi for {element} i UBL 2.1-skjemaet.",
        )
    if "Character content other than whitespace is not allowed" in rest:
        return (
            f"{element} holds text, but in UBL 2.1 it may only hold child elements; remove the text.",
            f"{element} inneholder tekst, men i UBL 2.1 kan det bare ha underelementer; fjern teksten.",
        )
    if "Element content is not allowed" in rest:
        return (
            f"{element} holds child elements, but in UBL 2.1 it holds a value only; remove the child elements.",
            f"{element} inneholder underelementer, men i UBL 2.1 har det bare en verdi; fjern underelementene.",
        )
    return (
        f"{element} breaks the UBL 2.1 schema: {rest}",
        f"{element} bryter UBL 2.1-skjemaet: {rest}",
    )


def schema_findings(root: etree._Element, errors: list[SchemaError] | None = None) -> list[Finding]:
    """Every schema error of the document as a fatal ``BIS3-XSD`` finding."""
    if errors is None:
        errors = schema_errors(root)
    document = etree.QName(root).localname
    findings: list[Finding] = []
    for error in errors:
        en, nb = describe(error, document)
        location = location_of(error.element)
        attribute = _ELEMENT.match(error.message)
        if attribute is not None and attribute["attribute"]:
            location += f"/@{attribute['attribute']}"
        findings.append(Finding(RULE, Flag.FATAL, location, en, nb, line=error.line, detail=error.message.strip()))
    return findings


def document_errors(doc: Document) -> list[SchemaError]:
    """The schema errors of the document under validation, computed once per rule-set run."""
    return doc.let("ubl-xsd", lambda doc: schema_errors(doc.root))


def report(doc: Document) -> list[Finding]:
    """The findings of the schema group of the structure rule set."""
    return schema_findings(doc.root, document_errors(doc))
