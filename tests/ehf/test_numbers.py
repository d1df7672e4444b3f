"""Numbers are read as the official (XPath 2.0) rules read them: ``+25.0`` and ``007.50`` are numbers.

XPath 1.0 (which many of our rule tests are written in, run by libxml2) reads ``number('+25.0')``
as NaN, so a plain valid invoice with a plus-signed percent or price failed BR-S-05, BR-27, ...
The official XPath 2.0 rules cast it to 25. A plus sign in a code stays a different code.
"""

from __future__ import annotations

import pytest
from lxml import etree

from nofaktura.ehf.rules import validate_root
from tests.conftest import CORPORA

NORWEGIAN = CORPORA / "peppol-bis-invoice-3" / "rules" / "national-examples" / "NO" / "Norwegian-example-1.xml"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
RULESETS = ("cen", "peppol")


def _findings(root: etree._Element) -> set[tuple[str, str]]:
    return {(f.rule, f.location) for f in validate_root(root, RULESETS)}


def _rewritten(path: str, rewrite) -> etree._Element:
    root = etree.parse(str(NORWEGIAN)).getroot()
    nodes = root.xpath(path, namespaces=NS)
    assert nodes, path
    for node in nodes:
        node.text = rewrite(node.text.strip())
    return root


BASELINE = _findings(etree.parse(str(NORWEGIAN)).getroot()) if NORWEGIAN.is_file() else set()


@pytest.mark.parametrize(
    "path",
    [
        "//cac:ClassifiedTaxCategory/cbc:Percent",  # BR-S-05
        "//cac:AllowanceCharge/cac:TaxCategory/cbc:Percent",  # BR-S-06, BR-S-07
        "//cac:Price/cbc:PriceAmount",  # BR-27
        "//cac:Price/cac:AllowanceCharge/cbc:BaseAmount",  # BR-28
        "//cac:TaxSubtotal/cbc:TaxAmount | //cac:TaxTotal/cbc:TaxAmount",
        "//cbc:InvoicedQuantity",
        "//cac:LegalMonetaryTotal/*",
    ],
)
@pytest.mark.parametrize(
    "form",
    [
        pytest.param(lambda text: "+" + text if not text.startswith("-") else text, id="plus"),
        pytest.param(lambda text: ("-00" + text[1:]) if text.startswith("-") else "00" + text, id="leading-zeros"),
        pytest.param(lambda text: ("+00" + text) if not text.startswith("-") else text, id="plus-and-zeros"),
    ],
)
def test_xs_decimal_forms_give_the_same_verdict(path: str, form) -> None:
    assert _findings(_rewritten(path, form)) == BASELINE


def test_plus_percent_is_not_an_error() -> None:
    root = _rewritten("//cac:ClassifiedTaxCategory/cbc:Percent", lambda text: "+25.0" if text == "25" else text)
    assert not {rule for rule, _ in _findings(root)} & {"BR-S-05", "BR-CO-17", "BR-S-08"}


def test_a_plus_signed_code_is_still_another_code() -> None:
    # the official rules compare codes as strings: '+380' is not in UNTDID 1001
    root = _rewritten("cbc:InvoiceTypeCode", lambda text: "+" + text)
    assert "BR-CL-01" in {rule for rule, _ in _findings(root)}


def test_a_plus_sign_before_no_number_is_left_alone() -> None:
    root = _rewritten("//cac:ClassifiedTaxCategory/cbc:Percent", lambda text: "+x")
    assert "BR-S-05" in {rule for rule, _ in _findings(root)}


def test_the_callers_document_is_not_changed() -> None:
    root = _rewritten("//cac:Price/cbc:PriceAmount", lambda text: "+" + text)
    validate_root(root, RULESETS)
    assert all(node.text.startswith("+") for node in root.xpath("//cac:Price/cbc:PriceAmount", namespaces=NS))
