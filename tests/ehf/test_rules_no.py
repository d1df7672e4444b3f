"""Norwegian rules of Peppol BIS 3: NO-R-001, NO-R-002 and PEPPOL-COMMON-R041 (0192 ids).

Each rule has valid, invalid and not-applicable cases, on small documents that vary only the
elements the rule looks at, plus the official Norwegian examples (which must be clean).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from stdnum.no import orgnr

from nofaktura.ehf.rules import validate_root
from nofaktura.ehf.rules.peppol_functions import mod11
from nofaktura.xml import parse_untrusted_file
from tests.conftest import CORPORA

NO_RULES = {"NO-R-001", "NO-R-002", "PEPPOL-COMMON-R041"}
SELLER = "/Invoice/cac:AccountingSupplierParty/cac:Party"


def _tax_scheme(company_id: str, scheme: str) -> str:
    return (
        f"<cac:PartyTaxScheme><cbc:CompanyID>{company_id}</cbc:CompanyID>"
        f"<cac:TaxScheme><cbc:ID>{scheme}</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
    )


def document(
    *,
    vat: str | None = "NO123456785MVA",
    foretaksregisteret: str | None = "Foretaksregisteret",
    country: str = "NO",
    endpoint: str = '<cbc:EndpointID schemeID="0192">123456785</cbc:EndpointID>',
    extra_party: str = "",
    tax_representative: str = "",
) -> etree._Element:
    schemes = (_tax_scheme(vat, "VAT") if vat is not None else "") + (
        _tax_scheme(foretaksregisteret, "TAX") if foretaksregisteret is not None else ""
    )
    xml = f"""<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
      xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
      xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
      <cac:AccountingSupplierParty><cac:Party>{endpoint}{extra_party}
        <cac:PostalAddress><cac:Country><cbc:IdentificationCode>{country}</cbc:IdentificationCode></cac:Country>
        </cac:PostalAddress>{schemes}
      </cac:Party></cac:AccountingSupplierParty>{tax_representative}
    </Invoice>"""
    return etree.fromstring(xml.encode())


def fired(root: etree._Element) -> list[tuple[str, str, str]]:
    return sorted(
        (f.rule, str(f.flag), f.location) for f in validate_root(root, ("peppol",)) if f.rule in NO_RULES
    )


# --- NO-R-001 ---------------------------------------------------------------------------------------


def test_no_r_001_valid() -> None:
    assert fired(document(vat="NO123456785MVA")) == []
    assert fired(document(vat="NO991825827MVA")) == []


@pytest.mark.parametrize(
    "vat",
    [
        "NO123456789MVA",  # wrong MOD11 check digit
        "NO991 825 827MVA",  # spaces (the official unit test NO-R-001 #2)
        "NO123456785",  # no MVA suffix
        "NO123456785mva",  # the suffix is case sensitive
        "NO12345678MVA",  # 8 digits
        "NO000000000MVA",  # passes the weights but is no organisation number (> 0 required)
        "NO123456785MVA ",  # trailing space: the schematron does not trim
    ],
)
def test_no_r_001_invalid(vat: str) -> None:
    assert fired(document(vat=vat)) == [("NO-R-001", "fatal", SELLER)]


def test_no_r_001_message_names_bt_31_in_both_languages() -> None:
    [finding] = [f for f in validate_root(document(vat="NO123456789MVA"), ("peppol",)) if f.rule == "NO-R-001"]
    assert "BT-31" in finding.message and "NO123456785MVA" in finding.message
    assert "MVA-nummer" in finding.text("nb") and "BT-31" in finding.text("nb")


@pytest.mark.parametrize(
    ("vat", "country"),
    [
        ("DK12345678", "NO"),  # Danish VAT id: supplierCountry is DK whatever the address says
        ("SE556677889901", "SE"),
        ("NL991 825 827", "NO"),  # the official unit test NO-R-001 #3
    ],
)
def test_no_r_001_not_applicable_to_other_countries(vat: str, country: str) -> None:
    assert fired(document(vat=vat, country=country, foretaksregisteret=None)) == []


def test_no_r_001_lower_case_prefix_is_not_a_norwegian_vat_id() -> None:
    # supplierCountry upper-cases ('no' -> NO) but NO-R-001 compares the raw 'NO' prefix: passes.
    assert fired(document(vat="no123456785mva")) == []


def test_no_r_001_without_seller_vat_id() -> None:
    # Norwegian by postal address, no VAT id at all (not VAT registered): nothing to check.
    assert fired(document(vat=None)) == []


def test_no_r_001_norwegian_through_the_tax_representative() -> None:
    representative = (
        "<cac:TaxRepresentativeParty>" + _tax_scheme("NO123456785MVA", "VAT") + "</cac:TaxRepresentativeParty>"
    )
    # No seller VAT id: supplierCountry comes from the representative (NO) and the seller has nothing wrong.
    assert fired(document(vat=None, country="SE", tax_representative=representative)) == []
    assert fired(document(vat=None, foretaksregisteret=None, country="SE", tax_representative=representative)) == [
        ("NO-R-002", "warning", SELLER)
    ]


# --- NO-R-002 ---------------------------------------------------------------------------------------


def test_no_r_002_valid() -> None:
    assert fired(document()) == []
    assert fired(document(foretaksregisteret="  Foretaksregisteret ")) == []  # normalize-space


@pytest.mark.parametrize("value", [None, "Foretaksregistret", "foretaksregisteret"])
def test_no_r_002_missing_or_misspelt_is_a_warning(value: str | None) -> None:
    assert fired(document(foretaksregisteret=value)) == [("NO-R-002", "warning", SELLER)]


def test_no_r_002_norwegian_by_postal_address_only() -> None:
    assert fired(document(vat=None, foretaksregisteret=None)) == [("NO-R-002", "warning", SELLER)]


def test_no_r_002_not_applicable_to_foreign_sellers() -> None:
    assert fired(document(vat="DK12345678", foretaksregisteret=None, country="DK")) == []
    assert fired(document(vat="SE556677889901", foretaksregisteret=None, country="NO")) == []


def test_no_r_002_tax_scheme_id_must_be_tax() -> None:
    assert fired(document(foretaksregisteret=None, extra_party=_tax_scheme("Foretaksregisteret", "tax"))) == [
        ("NO-R-002", "warning", SELLER)
    ]


# --- PEPPOL-COMMON-R041 -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["123456785", "987654325", " 991825827 ", "974760673"])
def test_r041_valid(value: str) -> None:
    assert fired(document(endpoint=f'<cbc:EndpointID schemeID="0192">{value}</cbc:EndpointID>')) == []


@pytest.mark.parametrize(
    "value", ["123456789", "987 654 325", "NO987654325MVA", "98765432", "9876543250", "000000000", "abcdefghi"]
)
def test_r041_invalid(value: str) -> None:
    root = document(endpoint=f'<cbc:EndpointID schemeID="0192">{value}</cbc:EndpointID>')
    assert fired(root) == [("PEPPOL-COMMON-R041", "fatal", f"{SELLER}/cbc:EndpointID")]


def test_r041_checks_party_identification_and_legal_entity_too() -> None:
    extra = (
        '<cac:PartyIdentification><cbc:ID schemeID="0192">123456789</cbc:ID></cac:PartyIdentification>'
        '<cac:PartyLegalEntity><cbc:CompanyID schemeID="0192">12345678</cbc:CompanyID></cac:PartyLegalEntity>'
    )
    assert fired(document(extra_party=extra)) == [
        ("PEPPOL-COMMON-R041", "fatal", f"{SELLER}/cac:PartyIdentification/cbc:ID"),
        ("PEPPOL-COMMON-R041", "fatal", f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID"),
    ]


@pytest.mark.parametrize(
    "endpoint",
    [
        '<cbc:EndpointID schemeID="0088">123456789</cbc:EndpointID>',  # another scheme
        "<cbc:EndpointID>123456789</cbc:EndpointID>",  # no scheme
        '<cbc:EndpointID schemeID="9908">123456789</cbc:EndpointID>',  # the retired Norwegian scheme
    ],
)
def test_r041_not_applicable_to_other_schemes(endpoint: str) -> None:
    assert [f for f in fired(document(endpoint=endpoint)) if f[0] == "PEPPOL-COMMON-R041"] == []


def test_r041_message_in_both_languages() -> None:
    root = document(endpoint='<cbc:EndpointID schemeID="0192">123456789</cbc:EndpointID>')
    [finding] = [f for f in validate_root(root, ("peppol",)) if f.rule == "PEPPOL-COMMON-R041"]
    assert "9 digits" in finding.message and "organisasjonsnummer" in finding.text("nb")


@given(st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_mod11_agrees_with_stdnum_orgnr(number: str) -> None:
    # u:mod11 is the Brønnøysund check; it only adds "greater than zero".
    assert mod11(number) == (orgnr.is_valid(number) and int(number) > 0)


# --- the official Norwegian examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "peppol-bis-invoice-3/rules/national-examples/NO/Norwegian-example-1.xml",
        "ehf-norway/g3/docs/billing-3.0/norway/files/ehf-3-faktura-1.xml",
    ],
)
def test_norwegian_examples_are_clean(path: str) -> None:
    root = parse_untrusted_file(CORPORA / path).getroot()
    assert fired(root) == []
    assert [f for f in validate_root(root, ("peppol", "structure")) if str(f.flag) == "fatal"] == []
