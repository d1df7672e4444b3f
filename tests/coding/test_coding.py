"""Default coding: the order product rule → vendor rule → system, and the reasons a line cannot be coded."""

from decimal import Decimal

import pytest

from nofaktura.coding import (
    BillLine,
    CodedValue,
    CodingError,
    CodingRule,
    code_line,
    normalize_distribution,
    split_amount,
)

D = Decimal

PAPER = CodingRule("Product rule: Paper", account="6800", taxes=("25in",), attestant="kari")
STAPLES = CodingRule("Vendor rule: Staples", account="6540", distribution={"dept-office": D(100)}, attestant="ola")
PRODUCTS = {"paper": PAPER}
VENDORS = {"staples": STAPLES}


def line(product=None, vendor=None, amount="100.00", description="A4 paper"):
    return BillLine(description, D(amount), product=product, vendor=vendor)


def test_product_rule_first_then_vendor_rule_per_field():
    coding = code_line(line("paper", "staples"), PRODUCTS, VENDORS)
    assert coding.account == CodedValue("6800", "product", "Product rule: Paper")
    assert coding.taxes == CodedValue(("25in",), "product", "Product rule: Paper")
    # the product rule gives no distribution: the vendor rule's one is used
    assert coding.distribution == CodedValue({"dept-office": D(100)}, "vendor", "Vendor rule: Staples")
    assert coding.attestant.value == "kari"
    assert coding.coded and coding.source == "product"
    assert coding.rules == ("Product rule: Paper", "Vendor rule: Staples")
    assert coding.summary() == "account, taxes, attestant: Product rule: Paper; distribution: Vendor rule: Staples"


def test_vendor_rule_when_no_product_rule():
    coding = code_line(line("pens", "staples"), PRODUCTS, VENDORS)
    assert coding.account == CodedValue("6540", "vendor", "Vendor rule: Staples")
    assert coding.taxes == CodedValue(None, "none")
    assert coding.attestant.value == "ola"
    assert coding.source == "vendor"


def test_vendor_rule_distribution_wins_over_model():
    coding = code_line(line(None, "staples"), {}, VENDORS, model_distribution={"proj-x": D(100)})
    assert coding.distribution.source == "vendor"


def test_no_rule_leaves_it_to_the_system():
    coding = code_line(
        line("pens", "acme"), PRODUCTS, VENDORS, model_distribution={"proj-x": D(100)}, default_account="4000"
    )
    assert coding.account == CodedValue("4000", "default")
    assert coding.distribution == CodedValue({"proj-x": D(100)}, "model")
    assert coding.taxes.source == "none" and coding.attestant.source == "none"
    assert coding.source == "model" and coding.coded
    assert coding.summary({"model": "distribution model"}) == "distribution: distribution model"


def test_no_account_at_all_cannot_be_coded_with_reason():
    coding = code_line(line("pens", "acme", description="Blue pens"), PRODUCTS, VENDORS)
    assert not coding.coded
    assert coding.problem == (
        "line 'Blue pens' (100.00): no expense account — no product rule for 'pens', "
        "no vendor rule for 'acme', and the line has no default account"
    )


def test_required_coding_refuses_default_only():
    coding = code_line(line(None, None, description="Misc"), PRODUCTS, VENDORS, default_account="4000", required=True)
    assert not coding.coded
    assert "no product on the line, no vendor on the bill" in coding.problem
    assert "no analytic distribution model matches" in coding.problem
    # a distribution model is coding enough
    coded = code_line(
        line(None, None), PRODUCTS, VENDORS, default_account="4000", required=True, model_distribution={"a": D(100)}
    )
    assert coded.coded
    # not required: the default account is fine
    assert code_line(line(None, None), PRODUCTS, VENDORS, default_account="4000").coded


def test_rule_coding_only_the_attestant_still_counts_as_coded_when_required():
    rules = {"acme": CodingRule("Vendor rule: Acme", attestant="per")}
    coding = code_line(line(None, "acme"), {}, rules, default_account="4000", required=True)
    assert coding.coded and coding.attestant == CodedValue("per", "vendor", "Vendor rule: Acme")
    assert coding.account.source == "default"


@pytest.mark.parametrize(
    ("distribution", "message"),
    [
        ({}, "empty"),
        ({"a": D(60)}, r"adds up to 60\.00 %, not 100 %"),
        ({"a": D(60), "b": D("40.5")}, r"adds up to 100\.50 %"),
        ({"a": D(0), "b": D(100)}, "not between 0"),
        ({"a": D(-10), "b": D(110)}, "not between 0"),
        ({"a": D("33.333"), "b": D("66.667")}, "more than two decimals"),
        ({"": D(100)}, "does not name"),
        ({"a,": D(100)}, "does not name"),
        ({"a": "ten"}, "not a number"),
        ({"a": float("nan")}, "not a number"),
        ({"a": True}, "not a number"),
        ({"a": D(50), " a ": D(50)}, "appears twice"),
    ],
)
def test_bad_distributions_are_refused_with_the_reason(distribution, message):
    with pytest.raises(CodingError, match=message):
        normalize_distribution(distribution)


def test_distribution_over_two_plans_sums_per_plan():
    plans = {"dept": "Department", "proj1": "Project", "proj2": "Project"}
    result = normalize_distribution({"dept,proj1": 60, "dept,proj2": 40.0}, plans)
    assert result == {"dept,proj1": D("60.00"), "dept,proj2": D("40.00")}
    assert normalize_distribution({"dept": D(100), "proj1": D(100)}, plans) == {"dept": D(100), "proj1": D(100)}
    with pytest.raises(CodingError, match=r"in plan Project adds up to 50\.00 %"):
        normalize_distribution({"dept": D(100), "proj1": D(50)}, plans)
    with pytest.raises(CodingError, match="two accounts of the same plan"):
        normalize_distribution({"proj1,proj2": D(100)}, plans)


def test_float_percentages_from_json_keep_their_decimals():
    assert normalize_distribution({"a": 33.33, "b": 66.67}) == {"a": D("33.33"), "b": D("66.67")}


def test_rule_is_checked_when_made():
    with pytest.raises(CodingError, match=r"Vendor rule: X: the analytic distribution adds up to 90\.00 %"):
        CodingRule("Vendor rule: X", distribution={"a": D(90)})
    with pytest.raises(CodingError, match="codes nothing"):
        CodingRule("Vendor rule: X")
    with pytest.raises(CodingError, match="needs a name"):
        CodingRule(" ", account="6800")
    assert CodingRule("P", taxes=["t"]).taxes == ("t",)


@pytest.mark.parametrize("amount", [100.0, "100", D("NaN"), D("Infinity")])
def test_line_amount_must_be_a_finite_decimal(amount):
    with pytest.raises(CodingError, match="line 'x'"):
        BillLine("x", amount)


def test_split_amount_gives_the_ore_to_the_largest_remainders():
    parts = split_amount(D("100.00"), {"a": D("33.33"), "b": D("33.33"), "c": D("33.34")})
    assert parts == {"a": D("33.33"), "b": D("33.33"), "c": D("33.34")}
    assert split_amount(D("0.01"), {"a": D(50), "b": D(50)}) == {"a": D("0.01"), "b": D("0.00")}
    assert split_amount(D("-10.00"), {"a": D(70), "b": D(30)}) == {"a": D("-7.00"), "b": D("-3.00")}
    with pytest.raises(CodingError):
        split_amount(D("NaN"), {"a": D(100)})
