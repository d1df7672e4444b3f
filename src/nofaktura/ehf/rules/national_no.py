"""Norwegian national rules of Peppol BIS 3 (pattern "NORWAY" of ``PEPPOL-EN16931-UBL.sch``).

Both rules apply to the seller party when ``$supplierCountry`` is ``NO`` (the seller's VAT prefix,
else the tax representative's, else the seller's postal country):

* **NO-R-001** (fatal): a seller VAT identifier that starts with ``NO`` must be ``NO`` + 9 digits +
  ``MVA``, the 9 digits passing the organisation-number MOD11 check (``u:mod11``), e.g.
  ``NO123456785MVA``. Written exactly: the schematron does not trim the value, so ``" NO…"`` is not
  a Norwegian VAT id and passes.
* **NO-R-002** (warning): the seller should carry a ``PartyTaxScheme`` with ``CompanyID``
  ``Foretaksregisteret`` and ``TaxScheme/ID`` ``TAX`` (foretaksregisterloven § 10-2; AS, ASA and NUF
  must show it, sole proprietorships need not — hence only a warning).

PEPPOL-COMMON-R041 (0192 identifiers) is a common rule, in :mod:`.peppol`.
"""

from __future__ import annotations

import re

from lxml import etree

from nofaktura.ehf.namespaces import CAC, CBC
from nofaktura.ehf.rules.engine import Document, Flag, Rule, group, pattern, xpath
from nofaktura.ehf.rules.peppol_functions import let_supplier_country, mod11, norm, string_value

__all__ = ["PATTERNS", "is_norwegian_supplier", "no_r_001", "no_r_002"]

_CAC, _CBC = f"{{{CAC}}}", f"{{{CBC}}}"
_VAT_BODY = re.compile(r"[0-9]{9}MVA")
_FORETAKSREGISTERET = xpath(
    "normalize-space(cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'TAX']/cbc:CompanyID)"
    " = 'Foretaksregisteret'"
)


def is_norwegian_supplier(doc: Document) -> bool:
    """``$supplierCountry = 'NO'``."""
    return doc.let("supplierCountry", let_supplier_country) == "NO"


def _vat_company_ids(party: etree._Element) -> list[str]:
    """``cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'VAT']/cbc:CompanyID`` values."""
    values = []
    for scheme in party.iterfind(f"{_CAC}PartyTaxScheme"):
        if norm(scheme.find(f"{_CAC}TaxScheme/{_CBC}ID")) == "VAT":
            values.append(string_value(scheme.find(f"{_CBC}CompanyID")))
    return values


def no_r_001(party: etree._Element, doc: Document) -> bool:
    """NO-R-001: every seller VAT id starting with ``NO`` is ``NO`` + valid org. number + ``MVA``.

    (With a single VAT id, as UBL-SR-12 demands, this is the schematron's test exactly; with several
    the schematron itself raises an error, and we require each Norwegian one to be right.)
    """
    if not is_norwegian_supplier(doc):
        return True
    for company_id in _vat_company_ids(party):
        if company_id[:2] == "NO" and not (_VAT_BODY.fullmatch(company_id[2:]) and mod11(company_id[2:11])):
            return False
    return True


def no_r_002(party: etree._Element, doc: Document) -> bool:
    """NO-R-002: a ``Foretaksregisteret`` / ``TAX`` party tax scheme is present."""
    return not is_norwegian_supplier(doc) or bool(_FORETAKSREGISTERET(party))


PATTERNS = (
    pattern(
        "National rules: Norway",
        [
            group(
                "//cac:AccountingSupplierParty/cac:Party",
                Rule(
                    "NO-R-002",
                    Flag.WARNING,
                    no_r_002,
                    "A Norwegian seller that is an AS, ASA or a branch of a foreign company (NUF) must show"
                    " «Foretaksregisteret»: add a cac:PartyTaxScheme with cbc:CompanyID «Foretaksregisteret»"
                    " and cac:TaxScheme/cbc:ID «TAX» (foretaksregisterloven § 10-2).",
                    "En norsk selger som er AS, ASA eller norskregistrert utenlandsk foretak (NUF) skal vise"
                    " «Foretaksregisteret»: legg til cac:PartyTaxScheme med cbc:CompanyID «Foretaksregisteret»"
                    " og cac:TaxScheme/cbc:ID «TAX» (foretaksregisterloven § 10-2).",
                    ("BT-32",),
                ),
                Rule(
                    "NO-R-001",
                    Flag.FATAL,
                    no_r_001,
                    "A Norwegian seller's VAT identifier must be NO + the 9-digit organisation number"
                    " (valid MOD11 check digit) + MVA, without spaces, e.g. NO123456785MVA.",
                    "Norsk selgers MVA-nummer må være NO + det 9-sifrede organisasjonsnummeret"
                    " (gyldig MOD11-kontrollsiffer) + MVA, uten mellomrom, f.eks. NO123456785MVA.",
                    ("BT-31",),
                ),
            )
        ],
    ),
)
