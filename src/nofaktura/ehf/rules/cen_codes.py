"""The EN 16931 code-list rules for UBL (BR-CL-*, and the VAT identifier prefix of BR-CO-09).

The code lists themselves are generated data (:mod:`.data.cen_codelists`, made by
``tools/gen_cen_tables.py`` from the official schematron); this module turns each row into a rule
with our message, naming the business terms the list codes. The comparison is the official one:
a value is normalized (XPath ``normalize-space``) and must be one of the codes; the MIME code
(BR-CL-24) is compared as written; BR-CL-08 and BR-CO-09 keep the official ``contains`` on the
space-separated list.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from nofaktura.ehf.rules.cen_support import normalize_space, rule, string_value
from nofaktura.ehf.rules.data.cen_codelists import CODE_LISTS, VERSION
from nofaktura.ehf.rules.engine import Document, Group, Pattern, Rule, group, pattern

__all__ = ["PATTERN", "VERSION", "note_subject_group", "vat_country_group"]

_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"

#: rule id -> (what is coded, in English, in Norwegian, code list, business terms)
_DESCRIPTIONS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "BR-CL-01": ("the invoice type code", "fakturatypekoden", "UNTDID 1001", ("BT-3",)),
    "BR-CL-03": ("the currency of an amount (currencyID)", "valutaen for et beløp (currencyID)", "ISO 4217", ()),
    "BR-CL-04": ("the invoice currency code", "fakturavalutaen", "ISO 4217", ("BT-5",)),
    "BR-CL-05": ("the VAT accounting currency code", "valutaen for MVA-regnskap", "ISO 4217", ("BT-6",)),
    "BR-CL-06": ("the VAT point date code", "koden for tidspunkt for MVA-plikt", "UNTDID 2005 (3, 35, 432)",
                 ("BT-8",)),
    "BR-CL-07": ("the scheme of the invoiced object identifier", "skjemaet for fakturert objekt",
                 "UNTDID 1153", ("BT-18",)),
    "BR-CL-08": ("the invoice note subject code (#CODE# at the start of the note)",
                 "emnekoden for fakturanotatet (#KODE# først i notatet)", "UNTDID 4451", ("BT-21",)),
    "BR-CL-10": ("the scheme of a party identifier", "skjemaet for en partsidentifikator", "ISO 6523 ICD",
                 ("BT-29", "BT-46", "BT-60")),
    "BR-CL-11": ("the scheme of a legal registration identifier",
                 "skjemaet for et organisasjonsnummer", "ISO 6523 ICD", ("BT-30", "BT-47", "BT-61")),
    "BR-CL-13": ("the item classification scheme (listID)", "skjemaet for vareklassifisering (listID)",
                 "UNTDID 7143", ("BT-158",)),
    "BR-CL-14": ("a country code", "en landkode", "ISO 3166-1 alpha-2", ("BT-40", "BT-55", "BT-69", "BT-80")),
    "BR-CL-15": ("the item country of origin", "opprinnelseslandet for varen", "ISO 3166-1 alpha-2", ("BT-159",)),
    "BR-CL-16": ("the payment means code", "betalingsmåtekoden", "UNTDID 4461", ("BT-81",)),
    "BR-CL-17": ("a VAT category code", "en MVA-kategori", "UNTDID 5305", ("BT-95", "BT-102", "BT-118")),
    "BR-CL-18": ("the invoiced item VAT category code", "MVA-kategorien for varen", "UNTDID 5305", ("BT-151",)),
    "BR-CL-19": ("an allowance reason code", "en rabattårsakskode", "UNTDID 5189", ("BT-98", "BT-140")),
    "BR-CL-20": ("a charge reason code", "en gebyrårsakskode", "UNTDID 7161", ("BT-105", "BT-145")),
    "BR-CL-21": ("the scheme of the item standard identifier", "skjemaet for standard vareidentifikator",
                 "ISO 6523 ICD", ("BT-157",)),
    "BR-CL-22": ("the VAT exemption reason code", "fritaksgrunnkoden", "CEF VATEX", ("BT-121",)),
    "BR-CL-23": ("a unit of measure code", "en enhetskode", "UN/ECE Recommendation 20 and 21", ("BT-130", "BT-150")),
    "BR-CL-24": ("the MIME code of an attached document", "MIME-typen for et vedlegg",
                 "application/pdf, image/png, image/jpeg, text/csv, xlsx, ods", ("BT-125",)),
    "BR-CL-25": ("the scheme of an electronic address", "skjemaet for en elektronisk adresse", "CEF EAS",
                 ("BT-34", "BT-49")),
    "BR-CL-26": ("the scheme of the deliver-to location identifier", "skjemaet for leveringsstedets identifikator",
                 "ISO 6523 ICD", ("BT-71",)),
}

_Test = Callable[[etree._Element, Document], bool]


def _value_getter(value: str) -> Callable[[etree._Element], str]:
    if value == ".":
        return lambda node: normalize_space(string_value(node))
    attribute = value.lstrip("@")
    return lambda node: normalize_space(node.get(attribute) or "")


def _token_test(value: str, codes: tuple[str, ...], row: dict) -> _Test:
    allowed = frozenset(codes)
    get = _value_getter(value)
    if row.get("upper_case"):  # BR-CL-22: the code is compared upper-cased
        return lambda node, doc: " " not in get(node) and get(node).upper() in allowed
    also = frozenset(row.get("also_codes", ()))
    if not also:
        return lambda node, doc: get(node) in allowed
    # BR-CL-10: SEPA (creditor identifier) is allowed only for the seller or the payee.
    under = tuple(f"{{{_CAC}}}{name}" for name in row["also_only_under"])

    def test(node: etree._Element, doc: Document) -> bool:
        code = get(node)
        if code in allowed:
            return True
        return code in also and any(ancestor.tag in under for ancestor in node.iterancestors())

    return test


def _token_by_element_test(codes: dict[str, tuple[str, ...]]) -> _Test:
    allowed = {f"{{{_CBC}}}{name}": frozenset(values) for name, values in codes.items()}

    def test(node: etree._Element, doc: Document) -> bool:
        return normalize_space(string_value(node)) in allowed.get(node.tag, frozenset())

    return test


def _exact_test(value: str, codes: tuple[str, ...]) -> _Test:
    allowed, attribute = frozenset(codes), value.lstrip("@")
    return lambda node, doc: node.get(attribute) in allowed


def _subject_code_test(listed: str) -> _Test:
    """BR-CL-08: a note starting ``#ABC#`` names a subject code from UNTDID 4451 (official contains())."""

    def test(node: etree._Element, doc: Document) -> bool:
        text = string_value(node)
        if "#" not in text:
            return True
        after = text.split("#", 1)[1]
        code = after.split("#", 1)[0] if "#" in after else ""
        return len(code) != 3 or code in listed

    return test


def _vat_prefix_test(listed: str) -> _Test:
    """BR-CO-09: the VAT identifier starts with a country code (official: contains(list, first two))."""

    def test(node: etree._Element, doc: Document) -> bool:
        found = node.find(f"{{{_CBC}}}CompanyID")
        prefix = string_value(found)[:2] if found is not None else ""
        return prefix in listed

    return test


def _test_of(row: dict) -> _Test:
    comparison, value, codes = row["comparison"], row["value"], row["codes"]
    if comparison == "token":
        return _token_test(value, codes, row)
    if comparison == "token-by-element":
        return _token_by_element_test(codes)
    if comparison == "exact":
        return _exact_test(value, codes)
    if value == "subject-code":
        return _subject_code_test(codes)
    return _vat_prefix_test(codes)


def code_list_rule(rule_id: str) -> Rule:
    row = CODE_LISTS[rule_id]
    what_en, what_nb, code_list, terms = _DESCRIPTIONS[rule_id]
    return rule(
        rule_id, row["flag"], _test_of(row),
        f"{what_en[0].upper()}{what_en[1:]} is not a code of {code_list}; use a code from that list.",
        f"{what_nb[0].upper()}{what_nb[1:]} er ikke en kode fra {code_list}; bruk en kode fra den listen.",
        *terms,
    )


def note_subject_group() -> Group:
    """BR-CL-08 sits in the official ``UBL-model`` pattern."""
    return group(CODE_LISTS["BR-CL-08"]["context"], code_list_rule("BR-CL-08"))


def vat_country_group() -> Group:
    """BR-CO-09 (in ``UBL-model``): VAT identifiers start with an ISO 3166 country code (Greece: EL)."""
    row = CODE_LISTS["BR-CO-09"]
    return group(row["context"], rule(
        "BR-CO-09", row["flag"], _test_of(row),
        "A VAT identifier (BT-31, BT-48, BT-63) must start with the country code of the issuing country, "
        "e.g. NO999999999MVA; add the prefix.",
        "Et MVA-nummer (BT-31, BT-48, BT-63) må starte med landkoden til landet som har utstedt det, f.eks. "
        "NO999999999MVA; legg til prefikset.",
        "BT-31", "BT-48", "BT-63",
    ))


def _build() -> Pattern:
    groups = [
        group(row["context"], code_list_rule(rule_id))
        for rule_id, row in CODE_LISTS.items()
        if rule_id not in ("BR-CL-08", "BR-CO-09")
    ]
    return pattern("Codesmodel", groups)


PATTERN: Pattern = _build()
