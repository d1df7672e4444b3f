"""Generate the committed Peppol BIS 3 tables under ``src/nofaktura/ehf/rules/data/``.

Sources (read-only, in the shared corpora; see ``peppol-bis-invoice-3/SOURCE.txt``):

* ``structure/codelist/*.xml`` -> ``peppol_codelists.py``: the 17 code lists of the BIS 3 syntax
  binding (code -> name, with each list's own version);
* ``rules/sch/PEPPOL-EN16931-UBL.sch`` -> ``peppol_sch_lists.py``: the code-list token sets the Peppol
  schematron actually tests against (its ``<let>`` lists and the lists written inline in an assert).
  They are *not* always the same as the code list files (e.g. EAS: the rule accepts a subset), and
  verdicts must be the schematron's, so the rules use these;
* ``structure/syntax/ubl-{invoice,creditnote}.xml`` (+ ``part/*``) -> ``bis3_structure.py``: for each
  element of the BIS 3 syntax its allowed children, min/max occurrence and business term;
* ``ubl-2.1-xsd/xsd`` -> the UBL 2.1 schema's own minimum and maximum for each of those child
  elements, so the structure rules can tell "only BIS 3 demands or limits it" from "the schema does
  too" (see ``structure.py``).

Run from the repository root::

    .venv/bin/python tools/gen_peppol_tables.py            # rewrite the committed files
    .venv/bin/python tools/gen_peppol_tables.py --out DIR  # write elsewhere (tests compare)

The output is deterministic, so ``tests/ehf/test_codelists.py`` regenerates into a temporary
directory and compares byte for byte: the committed data cannot go stale silently.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
DEFAULT_OUT = REPO / "src" / "nofaktura" / "ehf" / "rules" / "data"

CL_NS = "urn:fdc:difi.no:2017:vefa:structure:CodeList-1"
ST_NS = "urn:fdc:difi.no:2017:vefa:structure-1"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"

#: code list file stem -> the name the library uses
CODELIST_NAMES = {
    "eas": "EAS",
    "icd": "ICD",
    "ISO3166-1_Alpha2": "ISO3166",
    "ISO4217_2015": "ISO4217",
    "MimeCode": "MIME",
    "SEPA": "SEPA",
    "UNCL1001-cn": "UNCL1001_CN",
    "UNCL1001-inv": "UNCL1001_INV",
    "UNCL1153": "UNCL1153",
    "UNCL2005": "UNCL2005",
    "UNCL4461": "UNCL4461",
    "UNCL5189": "UNCL5189",
    "UNCL5305": "UNCL5305",
    "UNCL7143": "UNCL7143",
    "UNCL7161": "UNCL7161",
    "UNECERec20-11e": "REC20",
    "VATEX": "VATEX",
}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
_TOKENIZE = re.compile(r"tokenize\('([^']*)',\s*'\\s'\)")


def _parse(path: Path) -> etree._Element:
    return etree.parse(str(path), _PARSER).getroot()


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


#: BIS Billing release -> (corpus folder, its Peppol UBL schematron inside it). 3.0.19 is the full
#: OpenPeppol repository (code lists, syntax binding, unit tests); later releases bring their
#: schematron (and examples) only, so code lists and the structure still come from 3.0.19.
RELEASES: dict[str, tuple[str, str]] = {
    "3.0.19": ("peppol-bis-invoice-3", "rules/sch/PEPPOL-EN16931-UBL.sch"),
    "3.0.21": ("peppol-bis-3.0.21", "sch/PEPPOL-EN16931-UBL.sch"),
}
BASE_RELEASE = "3.0.19"
#: release -> the Peppol self-billing schematron of that release (its header misnames the release,
#: so the version is taken from the release it ships with)
SELF_BILLING: dict[str, tuple[str, str]] = {
    "3.0.21": ("peppol-bis-3.0.21", "sch/PEPPOL-EN16931-UBL-SB.sch"),
}
#: release -> the Peppol Invoice Response (transaction T111) schematron shipped with that release (its
#: title names the transaction version, 3.1, not the release, so the release is recorded instead)
INVOICE_RESPONSE: dict[str, tuple[str, str]] = {
    "3.0.21": ("peppol-bis-3.0.21", "sch/PEPPOLBIS-T111.sch"),
}
_EXTRA = {"sb": SELF_BILLING, "t111": INVOICE_RESPONSE}


def source_line(corpora: Path, release: str = BASE_RELEASE) -> str:
    """``<repository> @ <commit>`` from the release corpus' SOURCE.txt."""
    folder = RELEASES[release][0]
    text = (corpora / folder / "SOURCE.txt").read_text(encoding="utf-8")
    match = re.search(r"^Commit\s*:\s*([0-9a-f]{40})", text, re.MULTILINE)
    commit = match.group(1) if match else "unknown"
    repo = re.search(r"^Repository\s*:\s*https://github.com/(\S+)", text, re.MULTILINE)
    return f"{repo.group(1) if repo else 'OpenPEPPOL/peppol-bis-invoice-3'} @ {commit}"


def _kind(self_billing: bool | str) -> str:
    """``""`` (billing), ``"sb"`` (self-billing) or ``"t111"`` (invoice response); True means ``"sb"``."""
    return "sb" if self_billing is True else (self_billing or "")


def sch_path(corpora: Path, release: str = BASE_RELEASE, self_billing: bool | str = False) -> Path:
    kind = _kind(self_billing)
    folder, path = (_EXTRA[kind] if kind else RELEASES)[release]
    return corpora / folder / path


def sch_version(corpora: Path, release: str = BASE_RELEASE, self_billing: bool | str = False) -> str:
    if _kind(self_billing):
        return release
    text = sch_path(corpora, release).read_text(encoding="utf-8")
    match = re.search(r"release (\d+\.\d+\.\d+)", text)
    if not match:
        raise SystemExit(f"cannot find the release number in {sch_path(corpora, release)}")
    if match.group(1) != release:
        raise SystemExit(f"{sch_path(corpora, release)} is release {match.group(1)}, expected {release}")
    return match.group(1)


def _header(
    corpora: Path,
    what: str,
    extra_imports: tuple[str, ...] = (),
    release: str = BASE_RELEASE,
    self_billing: bool | str = False,
) -> list[str]:
    return [
        f'"""{what}',
        "",
        "GENERATED by tools/gen_peppol_tables.py from the official Peppol BIS Billing 3.0 artefacts;",
        "do not edit by hand (change the generator and rerun it).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        *extra_imports,
        f"SOURCE = {source_line(corpora, release)!r}",
        f"VERSION = {sch_version(corpora, release, self_billing)!r}",
        "",
    ]


# --- code lists ---------------------------------------------------------------------------------


def names_release(corpora: Path) -> str:
    """The newest release in :data:`RELEASES` whose corpus has the code-list files (names of codes).

    Later releases may bring their schematron only (3.0.21 does): their rules accept codes by the
    lists written in the schematron, but the names shown to people can only come from a release
    that publishes ``structure/codelist``. Which one that is, is recorded in the generated module.
    """
    found = [release for release, (folder, _) in RELEASES.items()
             if (corpora / folder / "structure" / "codelist").is_dir()]  # fmt: skip
    if not found:
        raise SystemExit("no release in the corpora has structure/codelist")
    return found[-1]


def read_codelists(corpora: Path) -> dict[str, dict[str, Any]]:
    folder = corpora / RELEASES[names_release(corpora)][0] / "structure" / "codelist"
    lists: dict[str, dict[str, Any]] = {}
    for stem, name in sorted(CODELIST_NAMES.items(), key=lambda item: item[1]):
        root = _parse(folder / f"{stem}.xml")
        codes: dict[str, str] = {}
        for code in root.iter(f"{{{CL_NS}}}Code"):
            code_id = _clean(code.findtext(f"{{{CL_NS}}}Id"))
            if code_id:
                codes[code_id] = _clean(code.findtext(f"{{{CL_NS}}}Name"))
        lists[name] = {
            "title": _clean(root.findtext(f"{{{CL_NS}}}Title")),
            "version": _clean(root.findtext(f"{{{CL_NS}}}Version")),
            "file": f"structure/codelist/{stem}.xml",
            "codes": codes,
        }
    return lists


def render_codelists(corpora: Path) -> str:
    lists = read_codelists(corpora)
    release = names_release(corpora)
    newer = [name for name in RELEASES if list(RELEASES).index(name) > list(RELEASES).index(release)]
    out = _header(
        corpora,
        "The code lists of the Peppol BIS 3 syntax binding (structure/codelist/*.xml).\n\n"
        f"The names are those of release {release}, the newest release in the corpora that publishes its\n"
        "code-list files" + (f" ({', '.join(newer)} brings its schematron only). The rules accept codes by\n"
                             "the lists in each release's schematron (peppol_sch_lists_*.py); a code that a\n"
                             "later release added has no name here and is shown as its code."
                             if newer else ")."),
        release=release,
    )
    out.append("#: the release whose code-list files the names below come from")
    out.append(f"NAMES_RELEASE = {release!r}")
    out.append("")
    out.append("#: list name -> title of the list, as published")
    out.append("TITLES: dict[str, str] = {")
    out.extend(f"    {name!r}: {data['title']!r}," for name, data in lists.items())
    out.append("}")
    out.append("")
    out.append("#: list name -> the list's own version ('' where the file states none)")
    out.append("VERSIONS: dict[str, str] = {")
    out.extend(f"    {name!r}: {data['version']!r}," for name, data in lists.items())
    out.append("}")
    out.append("")
    out.append("#: list name -> code -> name of the code")
    out.append("CODES: dict[str, dict[str, str]] = {")
    for name, data in lists.items():
        out.append(f"    {name!r}: {{  # {data['file']}")
        out.extend(f"        {code!r}: {label!r}," for code, label in data["codes"].items())
        out.append("    },")
    out.append("}")
    out.append("")
    return "\n".join(out)


# --- code-list tokens inside the Peppol schematron ------------------------------------------------


def read_sch_lists(
    corpora: Path, release: str = BASE_RELEASE, self_billing: bool | str = False
) -> dict[str, list[str]]:
    """``<let name=X value="tokenize('...', '\\s')">`` lists and inline lists of asserts."""
    root = _parse(sch_path(corpora, release, self_billing))
    lists: dict[str, list[str]] = {}
    for let in root.iter(f"{{{SCH_NS}}}let"):
        match = _TOKENIZE.fullmatch((let.get("value") or "").strip())
        if match:
            lists[let.get("name", "").upper().replace("-", "_")] = match.group(1).split()
    for assert_el in root.iter(f"{{{SCH_NS}}}assert"):
        for match in _TOKENIZE.finditer(assert_el.get("test") or ""):
            lists[assert_el.get("id", "").replace("-", "_")] = match.group(1).split()
    for rule in root.iter(f"{{{SCH_NS}}}rule"):
        context = rule.get("context") or ""
        for match in _TOKENIZE.finditer(context):
            first = rule.find(f"{{{SCH_NS}}}assert")
            if first is not None:
                lists[f"CONTEXT_{first.get('id', '').replace('-', '_')}"] = match.group(1).split()
    return dict(sorted(lists.items()))


def render_sch_lists(corpora: Path, release: str = BASE_RELEASE, self_billing: bool | str = False) -> str:
    lists = read_sch_lists(corpora, release, self_billing)
    out = _header(
        corpora,
        f"Code-list token sets written inside {sch_path(corpora, release, self_billing).name}.\n\n"
        "Names: a ``<let>`` list keeps its name in upper case (``EAID``, ``ISO4217``); a list written\n"
        "inline in an assert is named after the assert (``PEPPOL_EN16931_P0100``), one inline in a rule\n"
        "context after the first assert of that rule (``CONTEXT_PEPPOL_EN16931_R061``).",
        release=release,
        self_billing=self_billing,
    )
    for name, tokens in lists.items():
        out.append(f"{name}: tuple[str, ...] = (")
        line = "   "
        for token in tokens:
            item = f" {token!r},"
            if len(line) + len(item) > 100:
                out.append(line)
                line = "   "
            line += item
        out.append(line)
        out.append(")")
    out.append("")
    out.append("__all__ = [" + ", ".join(repr(n) for n in sorted(["SOURCE", "VERSION", *lists])) + "]")
    out.append("")
    return "\n".join(out)


# --- BIS 3 syntax structure -----------------------------------------------------------------------


def _xsd_limits(corpora: Path) -> dict[str, dict[str, tuple[int, int | None]]]:
    """UBL 2.1 schema: element (prefixed, ``cac:Party`` or ``Invoice``) -> child -> (min, max)."""
    base = corpora / "ubl-2.1-xsd" / "xsd"
    prefixes = {CAC: "cac", CBC: "cbc", EXT: "ext"}
    types: dict[str, dict[str, tuple[int, int | None]]] = {}
    element_type: dict[str, str] = {}
    files = [base / "common" / "UBL-CommonAggregateComponents-2.1.xsd"] + [
        base / "maindoc" / f"UBL-{doc}-2.1.xsd" for doc in ("Invoice", "CreditNote")
    ]
    for path in files:
        root = _parse(path)
        nsmap = {prefix: uri for prefix, uri in root.nsmap.items() if prefix}
        target = root.get("targetNamespace")
        own = prefixes.get(target or "", "")
        for element in root.findall(f"{{{XSD_NS}}}element"):
            name = element.get("name", "")
            element_type[f"{own}:{name}" if own else name] = element.get("type", "").split(":")[-1]
        for ctype in root.findall(f"{{{XSD_NS}}}complexType"):
            children: dict[str, tuple[int, int | None]] = {}
            for ref in ctype.iter(f"{{{XSD_NS}}}element"):
                prefix, _, local = (ref.get("ref") or "").partition(":")
                child = f"{prefixes.get(nsmap.get(prefix, ''), prefix)}:{local}"
                high = ref.get("maxOccurs", "1")
                children[child] = (int(ref.get("minOccurs", "1")), None if high == "unbounded" else int(high))
            types[ctype.get("name", "")] = children
    return {element: types.get(type_name, {}) for element, type_name in element_type.items()}


def _cardinality(element: etree._Element) -> tuple[int, int | None]:
    low, _, high = (element.get("cardinality") or "1..1").partition("..")
    return int(low), None if high == "n" else int(high)


def _business_term(element: etree._Element) -> str:
    for ref in element.findall(f"{{{ST_NS}}}Reference"):
        if ref.get("type") == "BUSINESS_TERM":
            return _clean(ref.text)
    return ""


def _expand(element: etree._Element, folder: Path) -> list[etree._Element]:
    """Child ``Element`` nodes of ``element`` with ``<Include>`` parts resolved, in order."""
    children: list[etree._Element] = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{{{ST_NS}}}Element":
            children.append(child)
        elif child.tag == f"{{{ST_NS}}}Include":
            children.append(_parse(folder / _clean(child.text)))
    return children


def read_structure(corpora: Path, kind: str) -> dict[str, dict[str, Any]]:
    """path (``Invoice/cac:AccountingSupplierParty/cac:Party``) -> element description."""
    folder = corpora / "peppol-bis-invoice-3" / "structure" / "syntax"
    stem = {"Invoice": "ubl-invoice", "CreditNote": "ubl-creditnote"}[kind]
    document = _parse(folder / f"{stem}.xml").find(f"{{{ST_NS}}}Document")
    assert document is not None, f"{stem}.xml has no Document"
    xsd = _xsd_limits(corpora)
    table: dict[str, dict[str, Any]] = {}

    def walk(node: etree._Element, path: str, term: str, xsd_term: str) -> None:
        children: list[dict[str, Any]] = []
        table[path] = {
            "term": term,
            "bt": _business_term(node),
            "name": _clean(node.findtext(f"{{{ST_NS}}}Name")),
            "children": children,
        }
        for child in _expand(node, folder):
            child_term = _clean(child.findtext(f"{{{ST_NS}}}Term"))
            low, high = _cardinality(child)
            xsd_low, xsd_high = xsd.get(xsd_term, {}).get(child_term, (0, None))
            children.append(
                {
                    "term": child_term,
                    "min": low,
                    "max": high,
                    "schema_min": xsd_low,
                    "schema_max": xsd_high,
                    "bt": _business_term(child),
                    "name": _clean(child.findtext(f"{{{ST_NS}}}Name")),
                }
            )
            walk(child, f"{path}/{child_term}", child_term, child_term)

    walk(document, kind, kind, kind)
    return table


def render_structure(corpora: Path) -> str:
    out = _header(
        corpora,
        "The BIS 3 syntax binding (structure/syntax/ubl-invoice.xml, ubl-creditnote.xml, part/*).\n\n"
        "For every element path: its business term and name, and its allowed children in document order\n"
        "as (term, min, max, schema_min, schema_max, business term, name); max/schema_max None = unbounded.\n"
        "schema_min/schema_max are what the UBL 2.1 schema itself demands and allows for that child.",
        ("from typing import Any", ""),
    )
    for kind in ("Invoice", "CreditNote"):
        out.append(f"{kind.upper()}: dict[str, tuple[str, str, tuple[tuple[Any, ...], ...]]] = {{")
        for path, data in read_structure(corpora, kind).items():
            out.append(f"    {path!r}: ({data['bt']!r}, {data['name']!r}, (")
            for child in data["children"]:
                keys = ("term", "min", "max", "schema_min", "schema_max", "bt", "name")
                out.append(f"        {tuple(child[key] for key in keys)!r},")
            out.append("    )),")
        out.append("}")
        out.append("")
    return "\n".join(out)


OUTPUTS = {
    "peppol_codelists.py": render_codelists,
    "peppol_sch_lists.py": render_sch_lists,
    # one module per later release: the rule set of that release reads its own lists
    **{
        f"peppol_sch_lists_{release.replace('.', '_')}.py": (lambda corpora, release=release: render_sch_lists(
            corpora, release
        ))
        for release in RELEASES
        if release != BASE_RELEASE
    },
    **{
        f"peppol_sch_lists_{release.replace('.', '_')}_sb.py": (lambda corpora, release=release: render_sch_lists(
            corpora, release, self_billing=True
        ))
        for release in SELF_BILLING
    },
    **{
        f"peppol_sch_lists_{release.replace('.', '_')}_t111.py": (lambda corpora, release=release: render_sch_lists(
            corpora, release, self_billing="t111"
        ))
        for release in INVOICE_RESPONSE
    },
    "bis3_structure.py": render_structure,
}


def generate(corpora: Path, out: Path) -> list[Path]:
    """Write every generated module into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in OUTPUTS.items():
        path = out / name
        path.write_text(render(corpora), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="the shared corpora folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the modules")
    args = parser.parse_args(argv)
    for path in generate(args.corpora, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
