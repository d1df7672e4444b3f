"""Peppol Invoice Response 3 rules (transaction T111, ``PEPPOLBIS-T111.sch`` of BIS release 3.0.21).

An Invoice Response is a UBL ``ApplicationResponse`` in which the buyer tells the seller what became of
an invoice (:mod:`nofaktura.peppol.invoice_response` writes ours). Its schematron has five patterns, kept
here in its order so the first-matching-rule semantics give the same verdicts:

* empty elements (PEPPOL-COMMON-R001);
* the common checks: no schema location (R003, warning), dates written YYYY-MM-DD (R030) and the
  identifier checks R040..R057, which are the same asserts as in the billing rules of the release
  (:mod:`.peppol`, reused as they are: one implementation of each check digit);
* the syntax binding (PEPPOL-T111-B*): the elements the Invoice Response data model has, the ones it
  requires, and the code lists of its codes and schemes. Each schematron rule with no assert (an
  allowed element) is written here as an exclusion from the catch-all ``*`` rule that follows it,
  which selects the same nodes;
* the business rules R001..R005 and R008 (reasons for CA/UQ/RE, OTH and PPD need a text, the
  specification and process identifiers); R006/R007 (a clarification code belongs to the list its
  ``listID`` names).

PEPPOL-T111-R005 ("PPD only with status PD") is written ``exists(/cbc:ResponseCode='PD')`` in the
official rules: ``exists()`` of a boolean is always true, so the official rule never fires, and neither
does ours (the verdict must be the official one). Our writer refuses PPD with another status instead.

Messages are our own, in English and Norwegian. The code lists come from the schematron itself
(generated: :mod:`.data.peppol_sch_lists_3_0_21_t111`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from lxml import etree

from nofaktura.ehf.rules import peppol, schema
from nofaktura.ehf.rules.data import peppol_sch_lists_3_0_21_t111 as lists
from nofaktura.ehf.rules.engine import Document, Flag, Group, Pattern, Rule, group, pattern
from nofaktura.ehf.rules.peppol_functions import anywhere, own_text, rule, string_value, to_date

__all__ = ["CUSTOMIZATION", "PATTERNS", "PROCESSES", "VERSION"]

#: The official release these rules ship with.
VERSION = lists.VERSION
#: What PEPPOL-T111-R003 wants the CustomizationID to start with.
CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
#: The ProfileIDs PEPPOL-T111-R008 accepts.
PROCESSES = ("urn:fdc:peppol.eu:poacc:bis:invoice_response:3", "urn:peppol:bis:billing_with_response")

FATAL, WARNING = Flag.FATAL, Flag.WARNING

_ROOT = "/ar:ApplicationResponse"
_SENDER = f"{_ROOT}/cac:SenderParty"
_RECEIVER = f"{_ROOT}/cac:ReceiverParty"
_DOC_RESPONSE = f"{_ROOT}/cac:DocumentResponse"
_RESPONSE = f"{_DOC_RESPONSE}/cac:Response"
_STATUS = f"{_RESPONSE}/cac:Status"
_CONDITION = f"{_STATUS}/cac:Condition"
_REFERENCE = f"{_DOC_RESPONSE}/cac:DocumentReference"
_ISSUER = f"{_DOC_RESPONSE}/cac:IssuerParty"
_RECIPIENT = f"{_DOC_RESPONSE}/cac:RecipientParty"

#: readable names of the parents, for the messages
_NAMES = {
    _ROOT: ("The Invoice Response", "Fakturasvaret"),
    _SENDER: ("The sender (the buyer who answers)", "Avsenderen (kjøperen som svarer)"),
    _RECEIVER: ("The receiver (the seller of the invoice)", "Mottakeren (selgeren av fakturaen)"),
    _DOC_RESPONSE: ("The document response", "Dokumentsvaret"),
    _RESPONSE: ("The response", "Svaret"),
    _CONDITION: ("A status condition", "En statusbetingelse"),
    _REFERENCE: ("The reference to the invoice", "Referansen til fakturaen"),
    _ISSUER: ("The issuer party", "Utstederparten"),
    _RECIPIENT: ("The recipient party", "Mottakerparten"),
}


def _name(path: str) -> tuple[str, str]:
    if path in _NAMES:
        return _NAMES[path]
    parent, _, last = path.rpartition("/")
    en, nb = _NAMES.get(parent, ("The element", "Elementet"))
    return f"{last} of {en[0].lower()}{en[1:]}", f"{last} i {nb[0].lower()}{nb[1:]}"


def _required(rule_id: str, parent: str, child: str) -> Rule:
    """``<assert test="child">``: the element must be there."""
    en, nb = _name(parent)
    return rule(rule_id, FATAL, child, f"{en} must have {child}.", f"{nb} må ha {child}.")


def _not_in_model(rule_id: str, parent: str, allowed: tuple[str, ...] = ()) -> Group:
    """The catch-all ``parent/*`` rule (``test="false()"``), minus the children an earlier rule allows."""
    context = f"{parent}/*"
    if allowed:
        context += "[" + " and ".join(f"not(self::{name})" for name in allowed) + "]"
    en, nb = _name(parent)
    return group(
        context,
        rule(
            rule_id, FATAL, "false()",
            f"This element is not part of the Peppol Invoice Response data model here ({en[0].lower()}{en[1:]});"
            " remove it.",
            f"Dette elementet er ikke en del av datamodellen for Peppol-fakturasvar her ({nb[0].lower()}{nb[1:]});"
            " fjern det.",
        ),
    )


def _attribute_in(name: str, codes: tuple[str, ...]) -> Callable[[etree._Element, Document], bool]:
    """``not(@name) or (some $code in $list satisfies $code = @name)``."""
    allowed = frozenset(codes)
    return lambda node, doc: node.get(name) is None or node.get(name) in allowed


def _text_in(*code_lists: tuple[str, ...]) -> Callable[[etree._Element, Document], bool]:
    """``some $code in $list satisfies $code = normalize-space(text())`` (over one or more lists)."""
    allowed = frozenset(code for codes in code_lists for code in codes)
    return lambda node, doc: own_text(node) in allowed


def _scheme_rules(base: str, schemes: tuple[str, str], codes: tuple[str, ...], what: tuple[str, str]) -> Rule:
    return rule(
        base, FATAL, _attribute_in("schemeID", codes),
        f"The scheme (schemeID) of {what[0]} must be a code of the {schemes[0]}.",
        f"Skjemaet (schemeID) for {what[1]} må være en kode fra {schemes[1]}.",
    )


_EAS = ("Electronic Address Scheme (EAS) list", "EAS-listen (Electronic Address Scheme)")
_ICD = ("ISO 6523 ICD list", "ISO 6523 ICD-listen")


def _endpoint_group(parent: str, present: str, listed: str) -> Group:
    what = _name(parent)
    return group(
        f"{parent}/cbc:EndpointID",
        rule(
            present, FATAL, "@schemeID",
            f"The electronic address of {what[0].lower()} must give its scheme (schemeID).",
            f"Den elektroniske adressen til {what[1].lower()} må oppgi skjema (schemeID).",
        ),
        _scheme_rules(listed, _EAS, lists.CLEAS, (f"the electronic address of {what[0].lower()}",
                                                  f"den elektroniske adressen til {what[1].lower()}")),
    )


def _identification_groups(parent: str, present: str, listed: str) -> tuple[Group, Group]:
    what = _name(parent)
    return (
        group(f"{parent}/cac:PartyIdentification", _required(present, f"{parent}/cac:PartyIdentification", "cbc:ID")),
        group(
            f"{parent}/cac:PartyIdentification/cbc:ID",
            _scheme_rules(listed, _ICD, lists.CLICD, (f"the identifier of {what[0].lower()}",
                                                      f"identifikatoren til {what[1].lower()}")),
        ),
    )


def _r030(node: etree._Element, doc: Document) -> bool:
    """``(string(.) castable as xs:date) and (string-length(.) = 10)``."""
    return to_date(node) is not None and len(string_value(node)) == 10


def _icd_group() -> Group:
    """The billing rules' identifier group (R040..R057) of the same release, without invoice terms."""
    for item in peppol.PATTERNS:
        for current in item.groups:
            if current.rules and current.rules[0].id == "PEPPOL-COMMON-R040":
                return dataclasses.replace(
                    current, rules=tuple(dataclasses.replace(r, terms=()) for r in current.rules)
                )
    raise ImportError("the billing rule set has no PEPPOL-COMMON-R040 group")  # pragma: no cover


def _status_code_in(codes: str) -> str:
    """R006/R007: one code, no space, from the list its listID names (XPath 1.0 as in the schematron)."""
    return (
        "not(contains(normalize-space(cbc:StatusReasonCode), ' '))"
        f" and contains(' {codes} ', concat(' ', normalize-space(cbc:StatusReasonCode), ' '))"
    )


def _r005(node: etree._Element, doc: Document) -> bool:
    """``exists(/cbc:ResponseCode='PD')``: exists() of a boolean, true whatever the document says."""
    return True


EMPTY_ELEMENTS = pattern(
    "Empty elements",
    [
        group(
            "//*[not(*) and not(normalize-space())]",
            rule(
                "PEPPOL-COMMON-R001", FATAL, "false()",
                "An element is empty. Remove empty elements or give them a value.",
                "Et element er tomt. Fjern tomme elementer eller gi dem en verdi.",
            ),
        )
    ],
)

COMMON = pattern(
    "Common rules",
    [
        group(
            "/*",
            rule(
                "PEPPOL-COMMON-R003", WARNING, "not(@*[local-name() = 'schemaLocation'])",
                "The document should not name a schema location (xsi:schemaLocation).",
                "Dokumentet bør ikke oppgi skjemaplassering (xsi:schemaLocation).",
            ),
        ),
        group(
            anywhere("cbc:IssueDate | cbc:DueDate | cbc:TaxPointDate | cbc:StartDate | cbc:EndDate"
                     " | cbc:ActualDeliveryDate"),
            rule(
                "PEPPOL-COMMON-R030", FATAL, _r030,
                "A date must be written YYYY-MM-DD.",
                "En dato må skrives ÅÅÅÅ-MM-DD.",
            ),
        ),
        _icd_group(),
    ],
)

SYNTAX = pattern(
    "Invoice Response syntax binding",
    [
        group(
            _ROOT,
            _required("PEPPOL-T111-B00101", _ROOT, "cbc:CustomizationID"),
            _required("PEPPOL-T111-B00102", _ROOT, "cbc:ProfileID"),
            _required("PEPPOL-T111-B00103", _ROOT, "cbc:ID"),
            _required("PEPPOL-T111-B00104", _ROOT, "cbc:IssueDate"),
            _required("PEPPOL-T111-B00105", _ROOT, "cac:SenderParty"),
            _required("PEPPOL-T111-B00106", _ROOT, "cac:ReceiverParty"),
            _required("PEPPOL-T111-B00107", _ROOT, "cac:DocumentResponse"),
            rule(
                "PEPPOL-T111-B00108", FATAL, "not(@*[local-name() = 'schemaLocation'])",
                "The Invoice Response must not name a schema location (xsi:schemaLocation).",
                "Fakturasvaret kan ikke oppgi skjemaplassering (xsi:schemaLocation).",
            ),
        ),
        # -- sender ----------------------------------------------------------------------------------
        group(
            _SENDER,
            _required("PEPPOL-T111-B00801", _SENDER, "cbc:EndpointID"),
            _required("PEPPOL-T111-B00802", _SENDER, "cac:PartyLegalEntity"),
        ),
        _endpoint_group(_SENDER, "PEPPOL-T111-B00901", "PEPPOL-T111-B00902"),
        *_identification_groups(_SENDER, "PEPPOL-T111-B01101", "PEPPOL-T111-B01201"),
        group(
            f"{_SENDER}/cac:PartyLegalEntity",
            _required("PEPPOL-T111-B01401", f"{_SENDER}/cac:PartyLegalEntity", "cbc:RegistrationName"),
        ),
        _not_in_model("PEPPOL-T111-B01402", f"{_SENDER}/cac:PartyLegalEntity", ("cbc:RegistrationName",)),
        _not_in_model(
            "PEPPOL-T111-B01601", f"{_SENDER}/cac:Contact", ("cbc:Name", "cbc:Telephone", "cbc:ElectronicMail")
        ),
        _not_in_model(
            "PEPPOL-T111-B00803", _SENDER,
            ("cbc:EndpointID", "cac:PartyIdentification", "cac:PartyLegalEntity", "cac:Contact"),
        ),
        # -- receiver --------------------------------------------------------------------------------
        group(
            _RECEIVER,
            _required("PEPPOL-T111-B02001", _RECEIVER, "cbc:EndpointID"),
            _required("PEPPOL-T111-B02002", _RECEIVER, "cac:PartyLegalEntity"),
        ),
        _endpoint_group(_RECEIVER, "PEPPOL-T111-B02101", "PEPPOL-T111-B02102"),
        *_identification_groups(_RECEIVER, "PEPPOL-T111-B02301", "PEPPOL-T111-B02401"),
        group(
            f"{_RECEIVER}/cac:PartyLegalEntity",
            _required("PEPPOL-T111-B02601", f"{_RECEIVER}/cac:PartyLegalEntity", "cbc:RegistrationName"),
        ),
        _not_in_model("PEPPOL-T111-B02602", f"{_RECEIVER}/cac:PartyLegalEntity", ("cbc:RegistrationName",)),
        _not_in_model(
            "PEPPOL-T111-B02003", _RECEIVER, ("cbc:EndpointID", "cac:PartyIdentification", "cac:PartyLegalEntity")
        ),
        # -- the response ----------------------------------------------------------------------------
        group(
            _DOC_RESPONSE,
            _required("PEPPOL-T111-B02801", _DOC_RESPONSE, "cac:Response"),
            _required("PEPPOL-T111-B02802", _DOC_RESPONSE, "cac:DocumentReference"),
        ),
        group(_RESPONSE, _required("PEPPOL-T111-B02901", _RESPONSE, "cbc:ResponseCode")),
        group(
            f"{_RESPONSE}/cbc:ResponseCode",
            rule(
                "PEPPOL-T111-B03001", FATAL, _text_in(lists.CLUNCL4343_T111),
                "The response code must be one of " + ", ".join(lists.CLUNCL4343_T111)
                + " (invoice status codes, UNCL4343 subset).",
                "Svarkoden må være en av " + ", ".join(lists.CLUNCL4343_T111)
                + " (fakturastatuskoder, utvalg av UNCL4343).",
            ),
        ),
        group(
            f"{_STATUS}/cbc:StatusReasonCode",
            rule(
                "PEPPOL-T111-B03301", FATAL, _text_in(lists.CLOPSTATUSREASON, lists.CLOPSTATUSACTION),
                "The clarification code must be a code of the OpenPeppol status reason or status action list.",
                "Avklaringskoden må være en kode fra OpenPeppols liste over statusårsaker eller statushandlinger.",
            ),
            rule(
                "PEPPOL-T111-B03302", FATAL, "@listID",
                "The clarification code must say its list (listID OPStatusReason or OPStatusAction).",
                "Avklaringskoden må oppgi listen sin (listID OPStatusReason eller OPStatusAction).",
            ),
            rule(
                "PEPPOL-T111-B03303", FATAL, _attribute_in("listID", lists.CLCLARIFICATIONLISTID),
                "The list of a clarification code (listID) must be OPStatusReason or OPStatusAction.",
                "Listen til en avklaringskode (listID) må være OPStatusReason eller OPStatusAction.",
            ),
        ),
        group(_CONDITION, _required("PEPPOL-T111-B03601", _CONDITION, "cbc:AttributeID")),
        _not_in_model("PEPPOL-T111-B03602", _CONDITION, ("cbc:AttributeID", "cbc:Description")),
        _not_in_model("PEPPOL-T111-B03201", _STATUS, ("cbc:StatusReasonCode", "cbc:StatusReason", "cac:Condition")),
        _not_in_model("PEPPOL-T111-B02902", _RESPONSE, ("cbc:ResponseCode", "cbc:EffectiveDate", "cac:Status")),
        group(
            _REFERENCE,
            _required("PEPPOL-T111-B03901", _REFERENCE, "cbc:ID"),
            _required("PEPPOL-T111-B03902", _REFERENCE, "cbc:DocumentTypeCode"),
        ),
        group(
            f"{_REFERENCE}/cbc:DocumentTypeCode",
            rule(
                "PEPPOL-T111-B04201", FATAL, _text_in(lists.CLUNCL1001),
                "The type code of the answered document must be a UNCL1001 document name code (380 for an"
                " invoice, 381 for a credit note).",
                "Typekoden til dokumentet det svares på må være en UNCL1001-kode (380 for faktura, 381 for"
                " kreditnota).",
            ),
        ),
        _not_in_model("PEPPOL-T111-B03903", _REFERENCE, ("cbc:ID", "cbc:IssueDate", "cbc:DocumentTypeCode")),
        group(_ISSUER, _required("PEPPOL-T111-B04301", _ISSUER, "cac:PartyName")),
        *_identification_groups(_ISSUER, "PEPPOL-T111-B04401", "PEPPOL-T111-B04501"),
        group(f"{_ISSUER}/cac:PartyName", _required("PEPPOL-T111-B04701", f"{_ISSUER}/cac:PartyName", "cbc:Name")),
        _not_in_model("PEPPOL-T111-B04302", _ISSUER, ("cac:PartyIdentification", "cac:PartyName")),
        group(_RECIPIENT, _required("PEPPOL-T111-B04901", _RECIPIENT, "cac:PartyName")),
        *_identification_groups(_RECIPIENT, "PEPPOL-T111-B05001", "PEPPOL-T111-B05101"),
        group(
            f"{_RECIPIENT}/cac:PartyName", _required("PEPPOL-T111-B05301", f"{_RECIPIENT}/cac:PartyName", "cbc:Name")
        ),
        _not_in_model("PEPPOL-T111-B04902", _RECIPIENT, ("cac:PartyIdentification", "cac:PartyName")),
        _not_in_model(
            "PEPPOL-T111-B02803", _DOC_RESPONSE,
            ("cac:Response", "cac:DocumentReference", "cac:IssuerParty", "cac:RecipientParty"),
        ),
        _not_in_model(
            "PEPPOL-T111-B00109", _ROOT,
            ("cbc:CustomizationID", "cbc:ProfileID", "cbc:ID", "cbc:IssueDate", "cbc:IssueTime", "cbc:Note",
             "cac:SenderParty", "cac:ReceiverParty", "cac:DocumentResponse"),
        ),
    ],
)

BUSINESS = pattern(
    "Invoice Response business rules",
    [
        group(
            "//cac:Response[contains(' CA UQ RE ', concat(' ', normalize-space(cbc:ResponseCode), ' '))]",
            rule(
                "PEPPOL-T111-R001", FATAL, "boolean(cac:Status/cbc:StatusReasonCode)",
                "A response with status CA (conditionally accepted), UQ (under query) or RE (rejected) must give"
                " a clarification code (cac:Status/cbc:StatusReasonCode).",
                "Et svar med status CA (betinget godkjent), UQ (under avklaring) eller RE (avvist) må gi en"
                " avklaringskode (cac:Status/cbc:StatusReasonCode).",
            ),
        ),
        group(
            "//cac:Status[cbc:StatusReasonCode = 'OTH']",
            rule(
                "PEPPOL-T111-R002", WARNING, "boolean(cbc:StatusReason)",
                "With clarification code OTH (other) the reason should be given in words (cbc:StatusReason).",
                "Med avklaringskode OTH (annet) bør årsaken gis med ord (cbc:StatusReason).",
            ),
        ),
        group(
            "//cbc:CustomizationID",
            rule(
                "PEPPOL-T111-R003", FATAL, f"starts-with(normalize-space(.), '{CUSTOMIZATION}')",
                f"The specification identifier of an Invoice Response must start with {CUSTOMIZATION}.",
                f"Spesifikasjonsidentifikatoren til et fakturasvar må begynne med {CUSTOMIZATION}.",
            ),
        ),
        group(
            "//cac:Status[cbc:StatusReasonCode = 'PPD']",
            rule(
                "PEPPOL-T111-R004", FATAL, "boolean(cbc:StatusReason)",
                "With clarification code PPD (partially paid) the reason must be given in words"
                " (cbc:StatusReason).",
                "Med avklaringskode PPD (delvis betalt) må årsaken gis med ord (cbc:StatusReason).",
            ),
            rule(
                "PEPPOL-T111-R005", FATAL, _r005,
                "Clarification code PPD (partially paid) is only for status PD (paid).",
                "Avklaringskode PPD (delvis betalt) er bare for status PD (betalt).",
            ),
        ),
        group(
            "//cbc:ProfileID",
            rule(
                "PEPPOL-T111-R008", FATAL,
                " or ".join(f"normalize-space(.) = '{process}'" for process in PROCESSES),
                f"The business process of an Invoice Response must be {PROCESSES[0]} or {PROCESSES[1]}.",
                f"Forretningsprosessen til et fakturasvar må være {PROCESSES[0]} eller {PROCESSES[1]}.",
            ),
        ),
    ],
)

CLARIFICATION_LISTS = pattern(
    "Clarification code lists",
    [
        group(
            "//cac:Status[cbc:StatusReasonCode/@listID = 'OPStatusAction']",
            rule(
                "PEPPOL-T111-R006", FATAL, _status_code_in("NOA PIN NIN CNF CNP CNA OTH"),
                "A clarification code with listID OPStatusAction must be one of NOA, PIN, NIN, CNF, CNP, CNA, OTH.",
                "En avklaringskode med listID OPStatusAction må være en av NOA, PIN, NIN, CNF, CNP, CNA, OTH.",
            ),
        ),
        group(
            "//cac:Status[cbc:StatusReasonCode/@listID = 'OPStatusReason']",
            rule(
                "PEPPOL-T111-R007", FATAL,
                _status_code_in("NON REF LEG REC QUA DEL PRI QTY ITM PAY PPD UNR FIN OTH"),
                "A clarification code with listID OPStatusReason must be one of NON, REF, LEG, REC, QUA, DEL, PRI,"
                " QTY, ITM, PAY, PPD, UNR, FIN, OTH.",
                "En avklaringskode med listID OPStatusReason må være en av NON, REF, LEG, REC, QUA, DEL, PRI, QTY,"
                " ITM, PAY, PPD, UNR, FIN, OTH.",
            ),
        ),
    ],
)

#: The UBL 2.1 ApplicationResponse schema, as for invoices: every schema error is a fatal BIS3-XSD finding.
SCHEMA = Pattern("UBL 2.1 schema", (Group("/*", (), report=schema.report),))

PATTERNS = (SCHEMA, EMPTY_ELEMENTS, COMMON, SYNTAX, BUSINESS, CLARIFICATION_LISTS)
