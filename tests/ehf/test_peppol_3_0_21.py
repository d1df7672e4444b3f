"""The rules BIS Billing 3.0.21 added or changed, each on a small document, against both releases.

3.0.21 brings no official unit tests, so each change in the schematron diff gets a case here whose
verdict differs between the releases (3.0.19 stays selectable); and every example of both releases
must give the official verdict (no fatal finding) under its own release.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from nofaktura.ehf.rules import validate_root
from nofaktura.ehf.validation import validate
from tests.conftest import CORPORA

EX21 = CORPORA / "peppol-bis-3.0.21" / "examples" / "billing"
EX19 = CORPORA / "peppol-bis-invoice-3" / "rules" / "examples"
BASE = EX21 / "base-example.xml"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _fired(text: bytes, ruleset: str) -> set[str]:
    root = etree.fromstring(text)
    return {f.rule for f in validate_root(root, (ruleset,))}


def _edit(old: str, new: str) -> bytes:
    text = BASE.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1).encode()


CASES = [
    # (rule, old text in base-example.xml, replacement, fires on 3.0.21, fires on 3.0.19)
    ("PEPPOL-EN16931-R007", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", "urn:peppol:bis:billing_with_response",
     False, True),
    ("PEPPOL-EN16931-R007", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
     "urn:fdc:peppol.eu:2017:poacc:billing:07:1.0", True, False),
    ("PEPPOL-EN16931-R004", "poacc:billing:3.0</cbc:CustomizationID>", "poacc:billing:3.0::x</cbc:CustomizationID>",
     True, False),
    ("PEPPOL-COMMON-R052", '<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
     '<cbc:EndpointID schemeID="0096">12345</cbc:EndpointID>', True, False),
    ("PEPPOL-COMMON-R053", '<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
     '<cbc:EndpointID schemeID="0198">12345678</cbc:EndpointID>', True, False),
    ("PEPPOL-COMMON-R054", '<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
     '<cbc:EndpointID schemeID="0106">1234567</cbc:EndpointID>', True, False),
    ("PEPPOL-COMMON-R057", '<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>',
     '<cbc:EndpointID schemeID="0217">1234</cbc:EndpointID>', True, False),
]


@pytest.mark.parametrize(
    ("rule", "old", "new", "on_21", "on_19"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_changed_rule_verdicts_per_release(rule: str, old: str, new: str, on_21: bool, on_19: bool) -> None:
    text = _edit(old, new)
    assert (rule in _fired(text, "peppol")) is on_21
    assert (rule in _fired(text, "peppol-3.0.19")) is on_19


def test_base_example_uses_the_texts_the_cases_edit() -> None:
    root = etree.parse(str(BASE)).getroot()
    assert root.findtext(f"{{{CBC}}}ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def _examples(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xml")) if folder.is_dir() else []


@pytest.mark.parametrize("path", _examples(EX21), ids=lambda p: p.name)
def test_every_3_0_21_example_is_valid_under_3_0_21(path: Path) -> None:
    result = validate(path.read_bytes(), source=path.name)
    assert result.fatal == (), result.fatal


@pytest.mark.parametrize("path", _examples(EX19), ids=lambda p: p.name)
def test_every_3_0_19_example_is_valid_under_3_0_19(path: Path) -> None:
    result = validate(path.read_bytes(), source=path.name, release="3.0.19")
    assert result.fatal == (), result.fatal


def test_profile_02_example_needs_3_0_21() -> None:
    data = (EX21 / "base-example_profile02.xml").read_bytes()
    assert validate(data).valid
    assert [f.rule for f in validate(data, release="3.0.19").fatal] == ["PEPPOL-EN16931-R007"]


def test_unknown_release_is_refused() -> None:
    with pytest.raises(ValueError, match=r"3\.0\.18"):
        validate(BASE.read_bytes(), release="3.0.18")


# --- cases that need more than one text edit: built on the parsed base example --------------------

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": CBC,
}
SELLER_COUNTRY = "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
BUYER_COUNTRY = "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"


def _one(root: etree._Element, path: str) -> etree._Element:
    [node] = root.xpath(path, namespaces=NS)
    return node


def _base(countries: str | None = None) -> etree._Element:
    root = etree.parse(str(BASE)).getroot()
    if countries:
        _one(root, SELLER_COUNTRY).text = countries
        _one(root, BUYER_COUNTRY).text = countries
    return root


def _add(parent: etree._Element, path: str, text: str, **attributes: str) -> etree._Element:
    """Append ``cac:A/cac:B/cbc:C`` under ``parent`` (schema order does not matter to the rules)."""
    node = parent
    for step in path.split("/"):
        prefix, local = step.split(":")
        node = etree.SubElement(node, f"{{{NS[prefix]}}}{local}")
    node.text = text
    for key, value in attributes.items():
        node.set(key, value)
    return node


def _findings(root: etree._Element, ruleset: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in validate_root(root, (ruleset,)):
        found.setdefault(finding.rule, set()).add(str(finding.flag))
    return found


def _both(root: etree._Element) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    return _findings(root, "peppol"), _findings(root, "peppol-3.0.19")


def test_r056_2_dutch_vat_number_shape() -> None:
    root = _base()
    vat = _one(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")
    vat.text = "NL12345"
    new, old = _both(root)
    assert new["PEPPOL-COMMON-R056-2"] == {"warning"} and "PEPPOL-COMMON-R056-2" not in old
    vat.text = "NL123456789B01"
    assert "PEPPOL-COMMON-R056-2" not in _findings(root, "peppol")
    vat.text, vat.attrib["schemeID"] = "NL12345", "0106"  # claimed by the KVK rule (R054), not by R056-2
    assert "PEPPOL-COMMON-R056-2" not in _findings(root, "peppol")


def test_r056_1_dutch_vat_scheme_9944() -> None:
    root = _base()
    _one(root, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID").attrib["schemeID"] = "9944"
    new, old = _both(root)
    assert new["PEPPOL-COMMON-R056-1"] == {"warning"} and "PEPPOL-COMMON-R056-1" not in old


def test_r055_dutch_oin() -> None:
    root = _base()
    endpoint = _one(root, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID")
    endpoint.attrib["schemeID"], endpoint.text = "0190", "123"
    assert "PEPPOL-COMMON-R055" in _findings(root, "peppol")
    endpoint.text = "12345678901234567890"
    assert "PEPPOL-COMMON-R055" not in _findings(root, "peppol")


def test_currency_and_scheme_lists_follow_the_release() -> None:
    root = _base()
    _one(root, "cac:AllowanceCharge/cbc:Amount").attrib["currencyID"] = "CNH"
    endpoint = _one(root, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID")
    endpoint.attrib["schemeID"] = "0242"
    new, old = _both(root)
    assert "PEPPOL-EN16931-CL007" not in new and "PEPPOL-EN16931-CL007" in old
    assert "PEPPOL-EN16931-CL008" not in new and "PEPPOL-EN16931-CL008" in old
    endpoint.attrib["schemeID"] = "0037"  # dropped in 3.0.21
    new, old = _both(root)
    assert "PEPPOL-EN16931-CL008" in new and "PEPPOL-EN16931-CL008" not in old


def test_p0100_applies_to_billing_with_response() -> None:
    root = _base()
    _one(root, "cbc:ProfileID").text = "urn:peppol:bis:billing_with_response"
    _one(root, "cbc:InvoiceTypeCode").text = "389"  # self-billing: not a billing type code
    new, old = _both(root)
    assert "PEPPOL-EN16931-P0100" in new and "PEPPOL-EN16931-R007" not in new
    assert "PEPPOL-EN16931-P0100" not in old and "PEPPOL-EN16931-R007" in old


def test_dk_r_003_is_fatal_and_dk_r_017_is_new() -> None:
    root = _base("DK")
    line_item = _one(root, "cac:InvoiceLine[1]/cac:Item")
    _add(line_item, "cac:CommodityClassification/cbc:ItemClassificationCode", "1234", listID="TST", listVersionID="1")
    new, old = _both(root)
    assert new["DK-R-003"] == {"fatal"} and old["DK-R-003"] == {"warning"}
    assert new["DK-R-017"] == {"fatal"} and "DK-R-017" not in old  # buyer legal id has scheme 0183
    _one(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID").attrib["schemeID"] = "0184"
    assert "DK-R-017" not in _findings(root, "peppol")


def test_de_r_t02_external_document_location_is_an_absolute_url() -> None:
    root = _base("DE")
    uri = _add(root, "cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference/cbc:URI", "www.example.com")
    new, old = _both(root)
    assert new["DE-R-T02"] == {"warning"} and "DE-R-T02" not in old
    uri.text = "https://www.example.com/a.pdf"
    assert "DE-R-T02" not in _findings(root, "peppol")
    _one(root, SELLER_COUNTRY).text = "NO"  # only between German parties
    uri.text = "www.example.com"
    assert "DE-R-T02" not in _findings(root, "peppol")


def test_de_codes_are_compared_as_normalised_strings() -> None:
    root = _base("DE")
    type_code = _one(root, "cbc:InvoiceTypeCode")
    type_code.text = "0384"  # 3.0.19 compared numbers: 0384 = 384 is a corrected invoice there
    new, old = _both(root)
    assert "DE-R-026" in old and "DE-R-026" not in new
    type_code.text = " 380 "  # 3.0.19 compared the raw text with the allowed codes
    new, old = _both(root)
    assert "DE-R-017" in old and "DE-R-017" not in new
    type_code.text = "380"
    means = _one(root, "cac:PaymentMeans")
    _one(means, "cbc:PaymentMeansCode").text = "030"  # a credit transfer only for 3.0.19's numbers
    means.remove(_one(means, "cac:PayeeFinancialAccount"))
    new, old = _both(root)
    assert "DE-R-023-1" in old and "DE-R-023-1" not in new


def test_de_r_018_skonto_line_must_start_with_the_skonto_block() -> None:
    root = _base("DE")
    note = _one(root, "cac:PaymentTerms/cbc:Note")
    note.text = "#X#SKONTO#TAGE=7#PROZENT=2.00#\n"
    new, old = _both(root)
    assert "DE-R-018" in new and "DE-R-018" not in old
    note.text = "#SKONTO#TAGE=7#PROZENT=2.00#\n"
    assert "DE-R-018" not in _findings(root, "peppol")


def test_de_r_028_accepts_the_wider_e_mail_pattern() -> None:
    root = _base("DE")
    party = _one(root, "cac:AccountingSupplierParty/cac:Party")
    _add(party, "cac:Contact/cbc:ElectronicMail", "user(x)@example.com")
    new, old = _both(root)
    assert "DE-R-028" in old and "DE-R-028" not in new
    _one(party, "cac:Contact/cbc:ElectronicMail").text = "no-at-sign.example.com"
    assert "DE-R-028" in _findings(root, "peppol")
