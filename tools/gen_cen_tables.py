"""Generate the mechanical CEN EN 16931 (UBL) rule tables from the official schematron.

Two families of the CEN rules are pure data and are generated, never hand-edited:

* ``UBL-CR-*`` ("this UBL element shall not be used"): each is ``not(<path>)`` at the document
  root. We keep the official XPath (it is XPath 1.0 already) and derive the element named in our
  message from it.
* the code-list rules ``BR-CL-*`` (plus the country-prefix list of ``BR-CO-09``): we keep the
  context, which value is checked (text or an attribute), how it is compared, and the codes.

Usage (from the repository root)::

    .venv/bin/python tools/gen_cen_tables.py [PATH/TO/EN16931-UBL-validation-preprocessed.sch]

It writes ``src/nofaktura/ehf/rules/data/cen_restrictions.py`` and ``cen_codelists.py`` with the
artefact version found in the schematron header. Run it again when CEN publishes a new release and
review the diff together with the hand-written rules in ``cen_*.py``.
"""

from __future__ import annotations

import pprint
import re
import sys
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SCH = (
    REPO.parent
    / "shared/corpora/eInvoicing-EN16931/ubl/schematron/preprocessed/EN16931-UBL-validation-preprocessed.sch"
)
OUT = REPO / "src/nofaktura/ehf/rules/data"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}

#: ``cbc:ChargeIndicator = false()`` compares an untyped value with a boolean in XPath 2.0, i.e.
#: casts the text to xs:boolean ("false"/"0", whitespace collapsed). XPath 1.0 would instead test
#: whether the element exists, so the comparison is spelled out.
CHARGE_FALSE = "cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']"
CHARGE_TRUE = "cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']"


def split_union(expression: str) -> list[str]:
    """Split an XSLT match pattern on its top-level ``|``."""
    parts, depth, current = [], 0, ""
    for char in expression:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def to_xpath1(expression: str) -> str:
    """The XPath 2.0 constructs the CEN schematron uses in contexts and simple tests, as XPath 1.0."""
    out = re.sub(r"cbc:ChargeIndicator\s*=\s*false\(\)", CHARGE_FALSE, expression)
    out = re.sub(r"cbc:ChargeIndicator\s*=\s*true\(\)", CHARGE_TRUE, out)
    # upper-case() only ever meets 'VAT' / 'SEPA' here; translate() of the letters that can
    # upper-case into them is exact for that comparison ('ſ' upper-cases to 'S').
    out = re.sub(
        r"cac:TaxScheme/\(?normalize-space\(upper-case\(cbc:ID\)\)\s*=\s*'VAT'\)?",
        "cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']",
        out,
    )
    out = re.sub(
        r"cac:TaxScheme/upper-case\(cbc:ID\)\s*(!?=)\s*'VAT'",
        r"cac:TaxScheme[translate(cbc:ID,'vat','VAT')\1'VAT']",
        out,
    )
    out = re.sub(r"upper-case\(@schemeID\)\s*(!?=)\s*'SEPA'", r"translate(@schemeID,'sepaſ','SEPAS')\1'SEPA'", out)
    out = re.sub(r"\bexists\(", "boolean(", out)
    out = out.replace("ends-with(name(), 'Amount')", "substring(name(), string-length(name()) - 5) = 'Amount'")
    out = out.replace(
        "ends-with(name(),'PriceAmount')", "substring(name(), string-length(name()) - 10) = 'PriceAmount'"
    )
    out = out.replace(
        "ends-with(name(), 'BinaryObject')", "substring(name(), string-length(name()) - 11) = 'BinaryObject'"
    )
    return out


def context_to_xpath(match: str) -> str:
    """An XSLT match pattern as an XPath 1.0 expression selecting the same nodes from the root."""
    parts = []
    for branch in split_union(match):
        part = to_xpath1(branch)
        parts.append(part if part.startswith("/") else "//" + part)
    return " | ".join(parts)


def check_xpath1(expression: str, where: str) -> str:
    try:
        etree.XPath(expression, namespaces=NS)
    except etree.XPathSyntaxError as exc:  # pragma: no cover - a new release needs a look
        raise SystemExit(f"{where}: not XPath 1.0 after translation: {expression!r} ({exc})") from exc
    return expression


def version_of(text: str) -> str:
    found = re.search(r"Schematron version ([0-9.]+)", text)
    return found.group(1) if found else "unknown"


def subject_of(test: str) -> str:
    """What a ``not(...)`` restriction forbids, for the message: ``InvoicePeriod/StartTime``."""
    inner = re.sub(r"^not\((.*)\)$", r"\1", test.split(" or ", maxsplit=1)[0].strip())
    inner = inner.replace("(cac:InvoiceLine|cac:CreditNoteLine)", "InvoiceLine")
    inner = re.sub(r"\[[^\]]*\]", "", inner).lstrip("/")
    return re.sub(r"\b(cac|cbc|ext|ubl|cn):", "", inner)


def codes_of(test: str) -> tuple[list[str], str, str]:
    """(codes, checked value, comparison) of a code-list test."""
    value = "."
    attribute = re.search(r"normalize-space\((@\w+)\)", test)
    if attribute:
        value = attribute.group(1)
    if "self::cbc:CreditNoteTypeCode" in test:
        # BR-CL-01 has one list per root: Invoice type codes and Credit note type codes.
        lists = re.findall(r"self::cbc:(\w+) and .*?contains\('([^']*)'", test)
        return {name: tuple(listed.split()) for name, listed in lists}, ".", "token-by-element"
    if "@mimeCode = '" in test:
        return re.findall(r"@mimeCode = '([^']+)'", test), "@mimeCode", "exact"
    if "substring(cbc:CompanyID,1,2)" in test:
        listed = re.search(r"contains\(\s*'([^']*)'", test).group(1)
        return listed, "substring(cbc:CompanyID,1,2)", "substring"
    if "substring-after(.,'#')" in test:
        listed = re.search(r"contains\('([^']*)'", test).group(1)
        return listed, "subject-code", "substring"
    listed = re.search(r"contains\(\s*'([^']*)'\s*,\s*concat", test).group(1)
    return listed.split(), value, "token"


def extras_of(test: str) -> dict:
    """Conditions some code-list tests add to plain membership."""
    extras: dict = {}
    if "normalize-space(upper-case(.))" in test:
        extras["upper_case"] = True  # BR-CL-22 compares the upper-cased value
    extra_list = re.search(
        r"\)\)\s*or\s*\(\(not\(contains\(normalize-space\(@\w+\), ' '\)\) "
        r"and contains\('([^']*)'.*?\)\) and \((.*)\)\s*$",
        test,
    )
    if extra_list:
        # BR-CL-10: SEPA is also allowed, but only under the seller or the payee.
        extras["also_codes"] = tuple(extra_list.group(1).split())
        extras["also_only_under"] = tuple(re.findall(r"ancestor::cac:(\w+)", extra_list.group(2)))
    return extras


def generate(sch_path: Path, out: Path = OUT) -> None:
    text = sch_path.read_text(encoding="utf-8")
    version = version_of(text)
    tree = etree.parse(str(sch_path), etree.XMLParser(resolve_entities=False, no_network=True))
    restrictions = []
    codelists = {}
    for rule in tree.iter(f"{SCH}rule"):
        context = rule.get("context")
        for assert_ in rule.iter(f"{SCH}assert"):
            rule_id, flag, test = assert_.get("id"), assert_.get("flag"), assert_.get("test").strip()
            if rule_id.startswith("UBL-CR-"):
                if context != "/ubl:Invoice | /cn:CreditNote":
                    raise SystemExit(f"{rule_id}: unexpected context {context}")
                restrictions.append((rule_id, flag, check_xpath1(test, rule_id), subject_of(test)))
            elif rule_id.startswith("BR-CL-") or rule_id == "BR-CO-09":
                codes, value, comparison = codes_of(test)
                codelists[rule_id] = {
                    "flag": flag,
                    **extras_of(test),
                    "context": check_xpath1(context_to_xpath(context), rule_id),
                    "value": value,
                    "comparison": comparison,
                    "codes": codes if isinstance(codes, (dict, str)) else tuple(codes),
                }
    header = (
        '"""GENERATED by tools/gen_cen_tables.py from the CEN EN 16931 UBL schematron - do not edit.\n\n'
        "{doc}\n"
        '"""\n\n'
        f"#: Release of the CEN validation artefacts these rows come from.\nVERSION = {version!r}\n\n"
    )
    (out / "cen_restrictions.py").write_text(
        header.format(
            doc="UBL-CR-* rows: (rule id, official flag, XPath 1.0 test at the document root, element named "
            "in the message)."
        )
        + "RESTRICTIONS: tuple[tuple[str, str, str, str], ...] = "
        + pprint.pformat(tuple(restrictions), width=200)
        + "\n",
        encoding="utf-8",
    )
    (out / "cen_codelists.py").write_text(
        header.format(
            doc="BR-CL-* (and BR-CO-09) code lists: rule id -> flag, context (XPath 1.0 from the root), checked "
            "value,\ncomparison ('token': the normalized value is one of the codes; 'exact': the raw attribute "
            "equals one;\n'token-by-element': as 'token' with one list per element name; 'substring': the official "
            "contains() on\nthe space-separated list, kept as the official string) and the codes."
        )
        + "CODE_LISTS: dict[str, dict] = "
        + pprint.pformat(codelists, width=200, compact=True, sort_dicts=False)
        + "\n",
        encoding="utf-8",
    )
    print(f"CEN {version}: {len(restrictions)} restrictions, {len(codelists)} code lists -> {out}")


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SCH)
