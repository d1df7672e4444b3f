"""Italian national rules of Peppol BIS 3 (pattern "ITALY" of ``PEPPOL-EN16931-UBL.sch``).

Guarded by ``$supplierCountry = 'IT'`` (a Python value); the two contexts select different node
types, so the guard in the asserts gives the schematron's verdicts.
"""

from __future__ import annotations

import re

from nofaktura.ehf.rules.engine import Flag, group, pattern
from nofaktura.ehf.rules.national_common import guard, rule, supplier_country
from nofaktura.ehf.rules.peppol_functions import norm

__all__ = ["PATTERNS"]

FATAL = Flag.FATAL
_TAX_ID = re.compile(r"[A-Z0-9]{11,16}")


def _italian(doc) -> bool:
    return supplier_country(doc) == "IT"


PATTERNS = (
    pattern(
        "National rules: Italy",
        [
            group(
                "//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)"
                " != 'VAT']",
                rule(
                    "IT-R-001", FATAL,
                    guard(_italian, lambda node, doc: bool(_TAX_ID.fullmatch(norm(node.find("{*}CompanyID"))))),
                    "An Italian seller's tax registration id must be 11 to 16 capital letters or digits.",
                    "En italiensk selgers skatteregistrerings-id må være 11 til 16 store bokstaver eller sifre.",
                    "BT-32",
                ),
            ),
            group(
                "//cac:AccountingSupplierParty/cac:Party",
                rule(
                    "IT-R-002", FATAL, guard(_italian, "cac:PostalAddress/cbc:StreetName"),
                    "An Italian seller must give the street (address line 1).",
                    "En italiensk selger må oppgi gateadresse (adresselinje 1).",
                    "BT-35",
                ),
                rule(
                    "IT-R-003", FATAL, guard(_italian, "cac:PostalAddress/cbc:CityName"),
                    "An Italian seller must give the city.",
                    "En italiensk selger må oppgi poststed.",
                    "BT-37",
                ),
                rule(
                    "IT-R-004", FATAL, guard(_italian, "cac:PostalAddress/cbc:PostalZone"),
                    "An Italian seller must give the post code.",
                    "En italiensk selger må oppgi postnummer.",
                    "BT-38",
                ),
            ),
        ],
    ),
)
