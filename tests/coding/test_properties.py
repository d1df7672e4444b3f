"""Properties of default coding that hold for every rule set and line."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nofaktura.coding import BillLine, CodingError, CodingRule, code_line, normalize_distribution, split_amount

ACCOUNTS = st.sampled_from(["a1", "a2", "a3", "a4", "a5", "a6"])


@st.composite
def distributions(draw):
    """Random distributions summing to 100: cut points in hundredths of a percent."""
    keys = draw(st.lists(ACCOUNTS, min_size=1, max_size=6, unique=True))
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=len(keys) - 1, max_size=len(keys) - 1, unique=True)))
    bounds = [0, *cuts, 10000]
    return {key: Decimal(bounds[i + 1] - bounds[i]) / 100 for i, key in enumerate(keys)}


OPTIONAL = st.none() | st.text(min_size=1, max_size=5)


@st.composite
def rules(draw, kind):
    fields = {
        "account": draw(OPTIONAL),
        "taxes": draw(st.none() | st.tuples(st.text(min_size=1, max_size=3))),
        "distribution": draw(st.none() | distributions()),
        "attestant": draw(OPTIONAL),
    }
    try:
        return CodingRule(f"{kind} rule", **fields)
    except CodingError:
        return None


KEYS = st.sampled_from(["k1", "k2", "k3"])


@settings(max_examples=300)
@given(distributions())
def test_generated_distributions_always_sum_to_100(distribution):
    normalized = normalize_distribution(distribution)
    assert sum(normalized.values()) == Decimal(100)


@settings(max_examples=300)
@given(
    st.dictionaries(KEYS, rules("product")),
    st.dictionaries(KEYS, rules("vendor")),
    st.none() | KEYS,
    st.none() | KEYS,
    st.none() | distributions(),
    st.none() | st.just("default"),
    st.booleans(),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
)
def test_every_line_is_coded_in_order_or_gets_a_reason(  # noqa: PLR0917 - one argument per strategy
    products, vendors, product, vendor, model, default, required, amount
):
    products = {k: v for k, v in products.items() if v}
    vendors = {k: v for k, v in vendors.items() if v}
    bill_line = BillLine("line", amount, product=product, vendor=vendor)
    coding = code_line(
        bill_line, products, vendors, model_distribution=model, default_account=default, required=required
    )
    product_rule = products.get(product) if product else None
    vendor_rule = vendors.get(vendor) if vendor else None
    for name, value in (
        ("account", coding.account),
        ("taxes", coding.taxes),
        ("distribution", coding.distribution),
        ("attestant", coding.attestant),
    ):
        if product_rule and getattr(product_rule, name) is not None:
            assert value.source == "product" and value.value == getattr(product_rule, name)
        elif vendor_rule and getattr(vendor_rule, name) is not None:
            assert value.source == "vendor" and value.value == getattr(vendor_rule, name)
        else:
            assert value.source in ("model", "default", "none")
    # whatever coded the distribution, it sums to 100
    if coding.distribution.value is not None:
        assert sum(coding.distribution.value.values()) == Decimal(100)
        parts = split_amount(amount, coding.distribution.value)
        assert sum(parts.values()) == amount
    # a line without an account is never "coded", and the reason says which line
    if coding.account.value is None:
        assert not coding.coded
    if not coding.coded:
        assert coding.problem.startswith("line 'line'")
