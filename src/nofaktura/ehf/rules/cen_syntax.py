"""The UBL syntax restrictions of EN 16931 (pattern ``UBL-syntax`` of the CEN schematron).

* ``UBL-SR-*``: UBL allows an element more often than EN 16931 (which has one business term);
* ``UBL-DT-*``: data type restrictions (two decimals on amounts, attributes not used);
* ``UBL-CR-*``: about 680 UBL elements EN 16931 does not use. They are warnings (two are fatal) and
  come from generated data (:mod:`.data.cen_restrictions`) with a generic message naming the element.

The ``UBL-CR`` tests all look at the document root and, in a real invoice, almost never fire. So
that checking them does not cost 680 XPath evaluations, the child-path ones are answered by one
walk from the root (:func:`_present`) and share the engine's ``precheck``, which skips them all
when nothing restricted is present. The verdicts are those of the individual XPath tests
(``tests/ehf/test_rules_cen.py`` compares them).
"""

from __future__ import annotations

import re

from lxml import etree

from nofaktura.ehf.namespaces import NSMAP
from nofaktura.ehf.rules.cen_support import rule
from nofaktura.ehf.rules.data.cen_restrictions import RESTRICTIONS, VERSION
from nofaktura.ehf.rules.engine import Document, Pattern, Rule, group, pattern, xpath

__all__ = ["PATTERN", "VERSION"]


def _at_most(rule_id: str, test: str, en: str, nb: str, *terms: str) -> Rule:
    return rule(
        rule_id, "fatal", test,
        f"{en} may occur only once in EN 16931; keep one.",
        f"{nb} kan bare forekomme én gang i EN 16931; behold én.",
        *terms,
    )


def _attribute_not_used(rule_id: str, attribute: str) -> Rule:
    return rule(
        rule_id, "warning", _attribute_test(attribute, f"not(//@{attribute})"),
        f"The attribute {attribute} is not used in EN 16931 and will be ignored; remove it.",
        f"Attributtet {attribute} brukes ikke i EN 16931 og blir ignorert; fjern det.",
    )


# --- UBL-CR: generated rows, checked in one walk ---------------------------------------------------
#
# Almost all UBL-CR tests are ``not(a:X/b:Y[/@z])``: a child path from the document root. Instead of
# ~640 XPath evaluations, the paths go into a tree (trie) that one walk from the root follows, only
# into children that some path names; the rules then look their id up in the set of paths found.
# Rows of any other shape (``//`` paths, predicates, "or") stay XPath. The verdict of each rule is
# that of its XPath (``tests/ehf/test_rules_cen.py`` compares them on every example).

_CHILD_PATH = re.compile(r"^not\(((?:\(cac:InvoiceLine\|cac:CreditNoteLine\)|[a-z]+:\w+)(?:/[a-z]+:\w+)*(?:/@\w+)?)\)$")


def _paths_of(test: str) -> list[tuple[str, ...]] | None:
    """The Clark-name steps of a simple child-path restriction (two for the line union), else None."""
    found = _CHILD_PATH.match(test)
    if not found:
        return None
    body = found.group(1)
    heads = [body]
    if body.startswith("(cac:InvoiceLine|cac:CreditNoteLine)"):
        rest = body[len("(cac:InvoiceLine|cac:CreditNoteLine)"):]
        heads = ["cac:InvoiceLine" + rest, "cac:CreditNoteLine" + rest]
    paths = []
    for head in heads:
        steps = []
        for step in head.split("/"):
            if step.startswith("@"):
                steps.append(step)
            else:
                prefix, local = step.split(":")
                steps.append(f"{{{NSMAP[prefix]}}}{local}")
        paths.append(tuple(steps))
    return paths


class _Trie:
    __slots__ = ("attributes", "children", "rules")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.attributes: dict[str, list[str]] = {}
        self.rules: list[str] = []

    def add(self, steps: tuple[str, ...], rule_id: str) -> None:
        node = self
        for step in steps:
            if step.startswith("@"):
                node.attributes.setdefault(step[1:], []).append(rule_id)
                return
            node = node.children.setdefault(step, _Trie())
        node.rules.append(rule_id)


_TRIE = _Trie()
_WALKED: set[str] = set()
for _rule_id, _flag, _test, _subject in RESTRICTIONS:
    _paths = _paths_of(_test)
    if _paths is not None:
        for _path in _paths:
            _TRIE.add(_path, _rule_id)
        _WALKED.add(_rule_id)


def _present(doc: Document) -> frozenset[str]:
    """Ids of the walked UBL-CR rules whose element or attribute is in the document."""
    found: set[str] = set()
    stack = [(doc.root, _TRIE)]
    # This visits every element under the lines (most paths go through cac:InvoiceLine), so the
    # loop does no work that is not needed: empty attribute tables and rule lists are skipped.
    while stack:
        element, trie = stack.pop()
        if trie.attributes:
            for name, rule_ids in trie.attributes.items():
                if element.get(name) is not None:
                    found.update(rule_ids)
        children = trie.children
        for child in element:
            sub = children.get(child.tag)  # type: ignore[arg-type]
            if sub is not None:
                if sub.rules:
                    found.update(sub.rules)
                if sub.children or sub.attributes:
                    stack.append((child, sub))
    return frozenset(found)


_DESCENDANT = re.compile(r"^not\(//((?:[a-z]+:\w+/)*[a-z]+:\w+)(?:/@(\w+))?\)$")
_ANY_ATTRIBUTE = re.compile(r"^not\(//@(\w+)\)$")


def _clark(step: str) -> str:
    prefix, local = step.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


_DESCENDANT_PATHS: dict[str, tuple[tuple[str, ...], str | None]] = {}
for _rule_id, _flag, _test, _subject in RESTRICTIONS:
    _found = _DESCENDANT.match(_test)
    if _found:
        _DESCENDANT_PATHS[_rule_id] = (tuple(_clark(s) for s in _found.group(1).split("/")), _found.group(2))
_DESCENDANT_TAGS = sorted({steps[-1] for steps, _attribute in _DESCENDANT_PATHS.values()})


_DESCENDANT_BY_TAG: dict[str, list[tuple[str, tuple[str, ...], str | None]]] = {}
for _rule_id, (_steps, _attribute) in _DESCENDANT_PATHS.items():
    _DESCENDANT_BY_TAG.setdefault(_steps[-1], []).append((_rule_id, _steps[:-1], _attribute))
#: tag -> attribute every rule of that tag needs (e.g. ``schemeID`` for the six ``cbc:ID`` ones), or
#: None: an element without it (most ``cbc:ID``) is passed over with one look-up
_DESCENDANT_NEEDS: dict[str, str | None] = {
    _tag: (_rules[0][2] if len({_attribute for _rid, _above, _attribute in _rules}) == 1 else None)
    for _tag, _rules in _DESCENDANT_BY_TAG.items()
}


def _descendants_present(doc: Document) -> frozenset[str]:
    """Ids of the ``not(//a/b[/@c])`` restrictions whose path occurs, from one pass over the
    elements their paths end with (nothing of the document is kept)."""
    found: set[str] = set()
    for element in doc.root.iter(*_DESCENDANT_TAGS):
        needed = _DESCENDANT_NEEDS[element.tag]  # type: ignore[index]
        if needed is not None and element.get(needed) is None:
            continue
        for rule_id, above, attribute in _DESCENDANT_BY_TAG[element.tag]:  # type: ignore[index]
            if rule_id in found or (attribute is not None and element.get(attribute) is None):
                continue
            current = element.getparent()
            for step in reversed(above):
                if current is None or current.tag != step:
                    break
                current = current.getparent()
            else:
                found.add(rule_id)
    return frozenset(found)


def _attribute_names(doc: Document) -> frozenset[str]:
    """Names of the attributes in the document (Clark names for namespaced ones, so a plain name
    is exactly what ``//@name`` looks for). Only the names are kept: a list of the elements that
    carry attributes (or of the attributes themselves) would hold most of a large document."""
    # element.keys() are the attribute names (iterating an lxml element gives its children)
    return frozenset(name for element in doc.root.iter(etree.Element) for name in element.keys())  # noqa: SIM118


def _descendant_test(rule_id: str, test: str):
    def check(node: etree._Element, doc: Document) -> bool:
        if node.getparent() is not None:  # the official context is the document root
            return bool(xpath(test)(node))
        return rule_id not in doc.let("cen.descendants-present", _descendants_present)

    return check


def _attribute_test(attribute: str, test: str):
    def check(node: etree._Element, doc: Document) -> bool:
        if node.getparent() is not None:
            return bool(xpath(test)(node))
        return attribute not in doc.let("cen.attribute-names", _attribute_names)

    return check


def _any_restricted(node: etree._Element, doc: Document) -> bool:
    """Precheck of the walked rules: False when none of their elements is present."""
    return bool(doc.let("cen.ubl-cr.present", _present))


def _restriction_test(rule_id: str, test: str):
    if rule_id in _DESCENDANT_PATHS:
        return _descendant_test(rule_id, test)
    any_attribute = _ANY_ATTRIBUTE.match(test)
    if any_attribute:
        return _attribute_test(any_attribute.group(1), test)
    if rule_id not in _WALKED:
        return test

    def check(node: etree._Element, doc: Document) -> bool:
        if node.getparent() is not None:  # the official context is the document root
            return bool(xpath(test)(node))
        return rule_id not in doc.let("cen.ubl-cr.present", _present)

    check.precheck = _any_restricted  # type: ignore[attr-defined]
    return check


def _restriction_rules() -> list[Rule]:
    rules = []
    for rule_id, flag, test, subject in RESTRICTIONS:
        if rule_id == "UBL-CR-002":
            en = "The UBLVersionID should be left out or be 2.1."
            nb = "UBLVersionID bør utelates eller være 2.1."
        elif rule_id == "UBL-CR-412":
            en = "A payment due date inside PaymentMeans is not used in an invoice; use the invoice DueDate (BT-9)."
            nb = "Forfallsdato i PaymentMeans brukes ikke i en faktura; bruk fakturaens DueDate (BT-9)."
        elif "/@" in subject:
            path, attribute = subject.rsplit("/@", 1)
            en = f"The attribute {attribute} on {path} is not part of EN 16931 and will not be processed; remove it."
            nb = f"Attributtet {attribute} på {path} er ikke med i EN 16931 og blir ikke behandlet; fjern det."
        else:
            en = f"The UBL element {subject} is not part of EN 16931 and will not be processed; remove it."
            nb = f"UBL-elementet {subject} er ikke med i EN 16931 og blir ikke behandlet; fjern det."
        rules.append(rule(rule_id, flag, _restriction_test(rule_id, test), en, nb))
    return rules


# --- the pattern ----------------------------------------------------------------------------------

_FALSE = "[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]"
_TRUE = "[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]"
_AMOUNTS = (
    "//*[substring(name(), string-length(name()) - 5) = 'Amount' and not(substring(name(), string-length(name()) "
    "- 10) = 'PriceAmount') and not(ancestor::cac:Price/cac:AllowanceCharge)]"
)




def _name_only_on_payment_means(node: etree._Element, doc: Document) -> bool:
    """UBL-DT-18: ``count(//@name) - count(//cbc:PaymentMeansCode/@name) <= 0``."""
    if node.getparent() is None and "name" not in doc.let("cen.attribute-names", _attribute_names):
        return True  # no @name at all: 0 - 0 <= 0
    return bool(xpath("count(//@name) - count(//cbc:PaymentMeansCode/@name) <= 0")(node))


def _root_rules() -> list[Rule]:
    supplier, customer = "cac:AccountingSupplierParty/cac:Party", "cac:AccountingCustomerParty/cac:Party"
    return [
        *_restriction_rules(),
        *(_attribute_not_used(f"UBL-DT-{n:02d}", name) for n, name in (
            (8, "schemeName"), (9, "schemeAgencyName"), (10, "schemeDataURI"), (11, "schemeURI"), (12, "format"),
            (13, "unitCodeListIdentifier"), (14, "unitCodeListAgencyIdentifier"), (15, "unitCodeListAgencyName"),
            (16, "listAgencyName"), (17, "listName"))),
        rule("UBL-DT-18", "warning", _name_only_on_payment_means,
             "The attribute name is only used on the payment means code; remove it elsewhere.",
             "Attributtet name brukes bare på betalingsmåtekoden; fjern det andre steder."),
        *(_attribute_not_used(f"UBL-DT-{n:02d}", name) for n, name in (
            (19, "languageID"), (20, "listURI"), (21, "listSchemeURI"), (22, "languageLocaleID"), (23, "uri"),
            (24, "currencyCodeListVersionID"), (25, "characterSetCode"), (26, "encodingCode"),
            (27, "schemeAgencyID"), (28, "listAgencyID"))),
        _at_most("UBL-SR-01", "(count(cac:ContractDocumentReference/cbc:ID) <= 1)",
                 "The contract reference (BT-12)", "Kontraktsreferansen (BT-12)", "BT-12"),
        _at_most("UBL-SR-02", "(count(cac:ReceiptDocumentReference/cbc:ID) <= 1)",
                 "The receiving advice reference (BT-15)", "Mottaksreferansen (BT-15)", "BT-15"),
        _at_most("UBL-SR-03", "(count(cac:DespatchDocumentReference/cbc:ID) <= 1)",
                 "The despatch advice reference (BT-16)", "Pakkseddelreferansen (BT-16)", "BT-16"),
        _at_most("UBL-SR-04", "(count(cac:AdditionalDocumentReference[cbc:DocumentTypeCode='130']/cbc:ID) <= 1)",
                 "The invoiced object identifier (BT-18)", "Identifikatoren for fakturert objekt (BT-18)", "BT-18"),
        _at_most("UBL-SR-05", "(count(cac:PaymentTerms/cbc:Note) <= 1)",
                 "The payment terms (BT-20)", "Betalingsbetingelsene (BT-20)", "BT-20"),
        _at_most("UBL-SR-08", "(count(cac:InvoicePeriod) <= 1)",
                 "The invoicing period (BG-14)", "Faktureringsperioden (BG-14)", "BG-14"),
        _at_most("UBL-SR-09", f"(count({supplier}/cac:PartyLegalEntity/cbc:RegistrationName) <= 1)",
                 "The seller name (BT-27)", "Selgers navn (BT-27)", "BT-27"),
        _at_most("UBL-SR-10", f"(count({supplier}/cac:PartyName/cbc:Name) <= 1)",
                 "The seller trading name (BT-28)", "Selgers handelsnavn (BT-28)", "BT-28"),
        _at_most("UBL-SR-11", f"(count({supplier}/cac:PartyLegalEntity/cbc:CompanyID) <= 1)",
                 "The seller legal registration identifier (BT-30)", "Selgers organisasjonsnummer (BT-30)", "BT-30"),
        _at_most("UBL-SR-12",
                 f"(count({supplier}/cac:PartyTaxScheme[cac:TaxScheme[translate(cbc:ID,'vat','VAT')='VAT']]"
                 "/cbc:CompanyID) <= 1)",
                 "The seller VAT identifier (BT-31)", "Selgers MVA-nummer (BT-31)", "BT-31"),
        _at_most("UBL-SR-13",
                 f"(count({supplier}/cac:PartyTaxScheme[cac:TaxScheme[translate(cbc:ID,'vat','VAT')!='VAT']]"
                 "/cbc:CompanyID) <= 1)",
                 "The seller tax registration identifier (BT-32)", "Selgers skatteregistreringsnummer (BT-32)",
                 "BT-32"),
        _at_most("UBL-SR-14", f"(count({supplier}/cac:PartyLegalEntity/cbc:CompanyLegalForm) <= 1)",
                 "The seller additional legal information (BT-33)", "Selgers tilleggsopplysninger (BT-33)", "BT-33"),
        _at_most("UBL-SR-15", f"(count({customer}/cac:PartyLegalEntity/cbc:RegistrationName) <= 1)",
                 "The buyer name (BT-44)", "Kjøpers navn (BT-44)", "BT-44"),
        _at_most("UBL-SR-16", f"(count({customer}/cac:PartyIdentification/cbc:ID) <= 1)",
                 "The buyer identifier (BT-46)", "Kjøpers identifikator (BT-46)", "BT-46"),
        _at_most("UBL-SR-17", f"(count({customer}/cac:PartyLegalEntity/cbc:CompanyID) <= 1)",
                 "The buyer legal registration identifier (BT-47)", "Kjøpers organisasjonsnummer (BT-47)", "BT-47"),
        _at_most("UBL-SR-18",
                 f"(count({customer}/cac:PartyTaxScheme[cac:TaxScheme[translate(cbc:ID,'vat','VAT')='VAT']]"
                 "/cbc:CompanyID) <= 1)",
                 "The buyer VAT identifier (BT-48)", "Kjøpers MVA-nummer (BT-48)", "BT-48"),
        _at_most("UBL-SR-24", "(count(cac:Delivery) <= 1)",
                 "The delivery information (BG-13)", "Leveringsinformasjonen (BG-13)", "BG-13"),
        _at_most("UBL-SR-29",
                 "(count(//cac:PartyIdentification/cbc:ID[translate(@schemeID,'sepaſ','SEPAS')='SEPA']) <= 1)",
                 "The bank assigned creditor identifier (BT-90, scheme SEPA)",
                 "Kreditoridentifikatoren (BT-90, skjema SEPA)", "BT-90"),
        _at_most("UBL-SR-39", "(count(cac:ProjectReference/cbc:ID) <= 1)",
                 "The project reference (BT-11)", "Prosjektreferansen (BT-11)", "BT-11"),
        _at_most("UBL-SR-40", f"(count({customer}/cac:PartyName/cbc:Name) <= 1)",
                 "The buyer trading name (BT-45)", "Kjøpers handelsnavn (BT-45)", "BT-45"),
        rule("UBL-SR-44", "fatal", "count(//cbc:PaymentID[not(preceding::cbc:PaymentID/. = .)]) <= 1",
             "All payment identifiers (BT-83, e.g. KID) must be the same; an invoice has one remittance "
             "information.",
             "Alle betalingsreferanser (BT-83, f.eks. KID) må være like; en faktura har én betalingsreferanse.",
             "BT-83"),
        _at_most("UBL-SR-45", "(count(cac:PaymentMeans/cbc:PaymentDueDate) <=1)",
                 "The payment due date", "Forfallsdatoen under betalingsinformasjonen", "BT-9"),
        _at_most("UBL-SR-46", "(count(cac:PaymentMeans/cbc:PaymentMeansCode/@name) <=1)",
                 "The payment means text (BT-82)", "Teksten for betalingsmåten (BT-82)", "BT-82"),
        rule("UBL-SR-47", "fatal", "count(//cbc:PaymentMeansCode[not(preceding::cbc:PaymentMeansCode/. = .)]) <= 1",
             "All payment means codes (BT-81) must be the same.",
             "Alle betalingsmåtekoder (BT-81) må være like.", "BT-81"),
        _at_most("UBL-SR-49", "(count(cac:InvoicePeriod/cbc:DescriptionCode) <=1)",
                 "The VAT point date code (BT-8)", "Koden for tidspunkt for MVA-plikt (BT-8)", "BT-8"),
        _at_most("UBL-SR-54", "count(cac:PaymentMeans/cac:CardAccount) <= 1",
                 "The payment card information (BG-18)", "Betalingskortinformasjonen (BG-18)", "BG-18"),
        _at_most("UBL-SR-55", "count(cac:PaymentMeans/cac:PaymentMandate) <= 1",
                 "The direct debit information (BG-19)", "Informasjonen om avtalegiro/direktedebitering (BG-19)",
                 "BG-19"),
        _at_most("UBL-SR-56", "count(cac:OriginatorDocumentReference/cbc:ID) <= 1",
                 "The tender or lot reference (BT-17)", "Anbuds- eller delkontraktsreferansen (BT-17)", "BT-17"),
    ]


def _build() -> Pattern:
    payee_differs = (
        "((cac:PartyName/cbc:Name) != (../cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/"
        "cbc:RegistrationName))"
    )
    payee_en = " and the payee name must differ from the seller name (BT-27); leave the payee out otherwise."
    payee_nb = " og betalingsmottakers navn må være et annet enn selgers navn (BT-27); ellers utelat betalingsmottaker."
    groups = [
        group("//cac:PostalAddress | //cac:Address", _at_most(
            "UBL-SR-51", "not(cac:AddressLine) or count(cac:AddressLine) = 1",
            "The third address line (BT-162, BT-163, BT-164, BT-165)", "Tredje adresselinje (BT-162 osv.)",
            "BT-162", "BT-163", "BT-164", "BT-165")),
        group("//cac:AccountingSupplierParty/cac:Party", rule(
            "UBL-SR-42", "fatal", "(count(cac:PartyTaxScheme) <= 2)",
            "The seller may have at most two tax schemes (VAT identifier BT-31 and tax registration BT-32).",
            "Selger kan ha høyst to avgiftsregistreringer (MVA-nummer BT-31 og skatteregistrering BT-32).",
            "BT-31", "BT-32")),
        group(
            "//cac:AdditionalDocumentReference",
            _at_most("UBL-SR-33", "(count(cbc:DocumentDescription) <= 1)",
                     "The supporting document description (BT-123)", "Beskrivelsen av vedlegget (BT-123)",
                     "BT-123"),
            rule("UBL-SR-43", "fatal",
                 "((cbc:DocumentTypeCode='130') or ((local-name(/*) = 'CreditNote') and (cbc:DocumentTypeCode='50')) "
                 "or (not(cbc:ID/@schemeID) and not(cbc:DocumentTypeCode)))",
                 "A scheme identifier (schemeID) or document type code on a document reference is only used for the "
                 "invoiced object identifier (BT-18, type code 130, or 50 in a credit note); remove it.",
                 "Skjema-ID (schemeID) eller dokumenttypekode på en dokumentreferanse brukes bare for fakturert "
                 "objekt (BT-18, typekode 130, eller 50 i en kreditnota); fjern den.", "BT-18", "BT-122")),
        group(_AMOUNTS, rule(
            "UBL-DT-01", "fatal", "string-length(substring-after(.,'.'))<=2",
            "An amount has more than two decimals; amounts (other than prices) have at most two.",
            "Et beløp har mer enn to desimaler; beløp (unntatt priser) har høyst to.")),
        group(
            "//*[substring(name(), string-length(name()) - 11) = 'BinaryObject']",
            rule("UBL-DT-06", "fatal", "(@mimeCode)",
                 "An attached document (BT-125) needs its MIME code (mimeCode).",
                 "Et vedlegg (BT-125) må ha MIME-type (mimeCode).", "BT-125"),
            rule("UBL-DT-07", "fatal", "(@filename)",
                 "An attached document (BT-125) needs its file name (filename).",
                 "Et vedlegg (BT-125) må ha filnavn (filename).", "BT-125"),
        ),
        group("//cac:Delivery", _at_most(
            "UBL-SR-25", "(count(cac:DeliveryParty/cac:PartyName/cbc:Name) <= 1)",
            "The deliver-to party name (BT-70)", "Navnet på mottakeren av leveransen (BT-70)", "BT-70")),
        group(f"//cac:AllowanceCharge{_FALSE}", _at_most(
            "UBL-SR-30", "(count(cbc:AllowanceChargeReason) <= 1)",
            "The allowance reason (BT-97, BT-139)", "Rabattårsaken (BT-97, BT-139)", "BT-97", "BT-139")),
        group(f"//cac:AllowanceCharge{_TRUE}", _at_most(
            "UBL-SR-31", "(count(cbc:AllowanceChargeReason) <= 1)",
            "The charge reason (BT-104, BT-144)", "Gebyrårsaken (BT-104, BT-144)", "BT-104", "BT-144")),
        group("//cac:PartyTaxScheme", rule(
            "UBL-SR-53", "fatal", "boolean(cac:TaxScheme/cbc:ID) and boolean(cbc:CompanyID)",
            "A party tax scheme needs both the identifier (CompanyID, e.g. BT-31) and the tax scheme ID.",
            "En avgiftsregistrering må ha både identifikator (CompanyID, f.eks. BT-31) og avgiftstype (TaxScheme/ID).",
            "BT-31", "BT-32", "BT-48", "BT-63")),
        group("/ubl:Invoice | /cn:CreditNote", *_root_rules()),
        group(
            "//cac:InvoiceLine | //cac:CreditNoteLine",
            _at_most("UBL-SR-34", "(count(cbc:Note) <= 1)", "The invoice line note (BT-127)",
                     "Linjenotatet (BT-127)", "BT-127"),
            _at_most("UBL-SR-35", "(count(cac:OrderLineReference/cbc:LineID) <= 1)",
                     "The referenced purchase order line (BT-132)", "Referansen til ordrelinjen (BT-132)", "BT-132"),
            _at_most("UBL-SR-36", "(count(cac:InvoicePeriod) <= 1)", "The invoice line period (BG-26)",
                     "Linjeperioden (BG-26)", "BG-26"),
            _at_most("UBL-SR-37", "(count(cac:Price/cac:AllowanceCharge/cbc:Amount) <= 1)",
                     "The item price discount (BT-147)", "Prisrabatten (BT-147)", "BT-147"),
            rule("UBL-SR-48", "fatal", "count(cac:Item/cac:ClassifiedTaxCategory) = 1",
                 "An invoice line must have exactly one VAT category for its item (BT-151).",
                 "En fakturalinje må ha nøyaktig én MVA-kategori for varen (BT-151).", "BT-151"),
            _at_most("UBL-SR-50", "count(cac:Item/cbc:Description) <= 1", "The item description (BT-154)",
                     "Varebeskrivelsen (BT-154)", "BT-154"),
            _at_most("UBL-SR-52", "count(cac:DocumentReference) <= 1", "The invoice line object identifier (BT-128)",
                     "Linjens objektidentifikator (BT-128)", "BT-128"),
        ),
        group(
            "//cac:PayeeParty",
            rule("UBL-SR-19", "fatal", f"(count(cac:PartyName/cbc:Name) <= 1) and {payee_differs}",
                 "The payee name (BT-59) may occur only once" + payee_en,
                 "Betalingsmottakers navn (BT-59) kan bare forekomme én gang" + payee_nb, "BT-59", "BT-27"),
            rule("UBL-SR-20", "fatal",
                 "(count(cac:PartyIdentification/cbc:ID[translate(@schemeID,'sepaſ','SEPAS')!='SEPA']) <= 1) and "
                 + payee_differs,
                 "The payee identifier (BT-60) may occur only once" + payee_en,
                 "Betalingsmottakers identifikator (BT-60) kan bare forekomme én gang" + payee_nb, "BT-60", "BT-27"),
            rule("UBL-SR-21", "fatal", f"(count(cac:PartyLegalEntity/cbc:CompanyID) <= 1) and {payee_differs}",
                 "The payee legal registration identifier (BT-61) may occur only once" + payee_en,
                 "Betalingsmottakers organisasjonsnummer (BT-61) kan bare forekomme én gang" + payee_nb,
                 "BT-61", "BT-27"),
        ),
        group(
            "//cac:PaymentMeans",
            _at_most("UBL-SR-26", "(count(cbc:PaymentID) <= 1)", "The remittance information (BT-83)",
                     "Betalingsreferansen (BT-83)", "BT-83"),
            _at_most("UBL-SR-27", "(count(cbc:PaymentMeansCode) <= 1)", "The payment means type code (BT-81)",
                     "Betalingsmåtekoden (BT-81)", "BT-81"),
            _at_most("UBL-SR-28", "(count(cac:PaymentMandate/cbc:ID) <= 1)", "The mandate reference (BT-89)",
                     "Mandatreferansen (BT-89)", "BT-89"),
        ),
        group(
            "//cac:BillingReference",
            _at_most("UBL-SR-06", "(count(cac:InvoiceDocumentReference) <= 1)",
                     "The preceding invoice reference (BG-3) in one BillingReference",
                     "Referansen til tidligere faktura (BG-3) i én BillingReference", "BG-3"),
            rule("UBL-SR-07", "fatal", "(cac:InvoiceDocumentReference/cbc:ID)",
                 "A preceding invoice reference needs the preceding invoice number (BT-25).",
                 "En referanse til tidligere faktura må ha fakturanummeret (BT-25).", "BT-25"),
        ),
        group(
            "//cac:TaxRepresentativeParty",
            _at_most("UBL-SR-22", "(count(cac:PartyName/cbc:Name) <= 1)", "The tax representative name (BT-62)",
                     "Avgiftsrepresentantens navn (BT-62)", "BT-62"),
            _at_most("UBL-SR-23", "(count(cac:PartyTaxScheme/cbc:CompanyID) <= 1)",
                     "The tax representative VAT identifier (BT-63)", "Avgiftsrepresentantens MVA-nummer (BT-63)",
                     "BT-63"),
        ),
        group("//cac:TaxSubtotal", _at_most(
            "UBL-SR-32", "(count(cac:TaxCategory/cbc:TaxExemptionReason) <= 1)",
            "The VAT exemption reason text (BT-120)", "Fritaksgrunnen som tekst (BT-120)", "BT-120")),
    ]
    return pattern("UBL-syntax", groups)


PATTERN: Pattern = _build()
