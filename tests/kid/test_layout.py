"""KidLayout: consistency at creation, build never truncates, parse round-trips."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nofaktura import kid
from nofaktura.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    LayoutError,
    LayoutOverflow,
)
from nofaktura.kid import Algorithm, KidLayout, KidParts, mod10, mod11


def test_layout_is_frozen_and_normalised():
    layout = KidLayout(length=10, algorithm="MOD11", customer_digits=4, invoice_digits=3, prefix=" 12 ")
    assert layout.algorithm is Algorithm.MOD11
    assert layout.prefix == "12"
    with pytest.raises(AttributeError):
        layout.length = 11  # type: ignore[misc]
    assert layout == KidLayout(10, Algorithm.MOD11, 4, 3, "12")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"length": 3, "customer_digits": 1, "invoice_digits": 1}, "4 to 25"),
        ({"length": 26, "customer_digits": 10, "invoice_digits": 15}, "4 to 25"),
        ({"length": 10, "customer_digits": 4, "invoice_digits": 4}, "= 9 digits, but the total length is 10"),
        ({"length": 10, "customer_digits": 4, "invoice_digits": 4, "prefix": "1A"}, "digits only"),
        ({"length": 10, "customer_digits": -1, "invoice_digits": 10}, "≥ 0"),
        ({"length": 10, "customer_digits": 0, "invoice_digits": 0, "prefix": "123456789"}, "both empty"),
        ({"length": 10, "customer_digits": 4, "invoice_digits": 5, "algorithm": "mod97"}, "Unknown KID algorithm"),
        ({"length": 10.0, "customer_digits": 4, "invoice_digits": 5}, "whole number"),
    ],
)
def test_inconsistent_layouts_are_refused(kwargs, message):
    with pytest.raises(LayoutError, match=message):
        KidLayout(**kwargs)


def test_build_raises_on_overflow_never_truncates():
    layout = KidLayout(length=8, algorithm="mod10", customer_digits=3, invoice_digits=4)
    assert layout.build(999, 9999) == mod10.make("9999999")
    with pytest.raises(LayoutOverflow, match="customer number 1000 has 4 digits; the KID layout has room for 3"):
        layout.build(1000, 1)
    with pytest.raises(LayoutOverflow, match="invoice number 10000"):
        layout.build(1, 10000)
    # leading zeros the caller added are not significant
    assert layout.build("0000999", "01") == layout.build(999, 1)
    assert layout.max_customer_number() == 999
    assert layout.max_invoice_number() == 9999


def test_build_rejects_bad_numbers():
    layout = KidLayout(length=8, customer_digits=3, invoice_digits=4)
    with pytest.raises(InvalidFormat):
        layout.build(-1, 1)
    with pytest.raises(InvalidFormat):
        layout.build("12a", 1)
    with pytest.raises(InvalidFormat):
        layout.build(1.5, 1)  # type: ignore[arg-type]
    with pytest.raises(LayoutError):
        layout.build(None, 1)


def test_layout_without_customer_part():
    layout = KidLayout(length=6, algorithm="mod11", invoice_digits=5)
    assert layout.build(None, 42) == mod11.make("00042")
    with pytest.raises(LayoutOverflow):
        layout.build(7, 42)
    assert layout.parse(layout.build(None, 42)).customer_number == ""


def test_prefix_and_parse():
    layout = KidLayout(length=12, algorithm="mod10", customer_digits=4, invoice_digits=5, prefix="77")
    made = layout.build(12, 345)
    assert made.startswith("77001200345")
    assert layout.parse(made) == KidParts("77", "0012", "00345", made[-1])
    other = KidLayout(length=12, algorithm="mod10", customer_digits=4, invoice_digits=5, prefix="78")
    with pytest.raises(InvalidComponent, match="prefix"):
        layout.parse(other.build(12, 345))


def test_validate_reports_length_and_checksum():
    layout = KidLayout(length=9, algorithm="mod10", customer_digits=4, invoice_digits=4)
    with pytest.raises(InvalidLength, match="layout has 9"):
        layout.validate("12344")
    with pytest.raises(InvalidChecksum):
        layout.validate("123456783")
    with pytest.raises(InvalidFormat):
        layout.validate("1234x")
    assert layout.validate("1234 5678 2") == "123456782"
    assert layout.is_valid("123456782")
    assert not layout.is_valid("123456785")


def test_no_zero_padding_requires_full_width():
    layout = KidLayout(length=9, customer_digits=4, invoice_digits=4, zero_padding=False)
    assert layout.build(1234, 5678) == "123456782"
    with pytest.raises(LayoutError, match="no zero padding"):
        layout.build(12, 5678)


@st.composite
def layouts_and_numbers(draw):
    prefix = draw(st.text(alphabet="0123456789", max_size=3))
    customer_digits = draw(st.integers(0, 10))
    invoice_digits = draw(st.integers(0, 10))
    assume(customer_digits + invoice_digits >= 1)
    length = len(prefix) + customer_digits + invoice_digits + 1
    assume(4 <= length <= 25)
    layout = KidLayout(
        length=length,
        algorithm=draw(st.sampled_from(list(Algorithm))),
        customer_digits=customer_digits,
        invoice_digits=invoice_digits,
        prefix=prefix,
    )
    customer = draw(st.integers(0, layout.max_customer_number())) if customer_digits else None
    invoice = draw(st.integers(0, layout.max_invoice_number())) if invoice_digits else None
    return layout, customer, invoice


@given(layouts_and_numbers())
def test_build_parse_round_trip(case):
    layout, customer, invoice = case
    made = layout.build(customer, invoice)
    assert len(made) == layout.length
    parts = layout.parse(made)
    assert parts.prefix == layout.prefix
    assert int(parts.customer_number or 0) == (customer or 0)
    assert int(parts.invoice_number or 0) == (invoice or 0)
    assert parts.prefix + parts.customer_number + parts.invoice_number + parts.check_digit == made
    assert layout.algorithm in kid.satisfied_algorithms(made)


@given(layouts_and_numbers())
def test_overflow_by_one_always_raises(case):
    layout, _customer, _invoice = case
    if layout.invoice_digits:
        with pytest.raises(LayoutOverflow):
            layout.build(0 if layout.customer_digits else None, layout.max_invoice_number() + 1)
    if layout.customer_digits:
        with pytest.raises(LayoutOverflow):
            layout.build(layout.max_customer_number() + 1, 0 if layout.invoice_digits else None)


def test_missing_algorithm_is_a_layout_error():
    with pytest.raises(LayoutError, match="choose the check-digit algorithm"):
        KidLayout(length=9, algorithm=None, customer_digits=4, invoice_digits=4)  # type: ignore[arg-type]
