"""MOD10 / MOD11 modules: the stdnum API, errors, and properties."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from nofaktura import kid
from nofaktura.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
    LayoutError,
    ValidationError,
)
from nofaktura.kid import Algorithm, mod10, mod11

bases = st.text(alphabet="0123456789", min_size=1, max_size=24)


@pytest.mark.parametrize("module", [kid, kid.mod10, kid.mod11, kid.algorithm, kid.layout])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("module", [mod10, mod11])
def test_stdnum_api(module):
    for name in ("compact", "validate", "is_valid", "calc_check_digit", "format"):
        assert callable(getattr(module, name)), name
    assert module.compact(" 1234 4 ") == "12344"
    assert module.format("1234 4") == "12344"


def test_mod10_errors():
    with pytest.raises(InvalidFormat):
        mod10.validate("12a44")
    with pytest.raises(InvalidFormat):
        mod10.validate("000006-")  # '-' is MOD11 only
    with pytest.raises(InvalidLength):
        mod10.validate("0")
    with pytest.raises(InvalidLength):
        mod10.validate("0" * 26)
    with pytest.raises(InvalidChecksum):
        mod10.validate("123456783")
    with pytest.raises(InvalidFormat):
        mod10.calc_check_digit("12x")
    assert not mod10.is_valid("123456783")
    assert not mod10.is_valid("")
    assert not mod10.is_valid("١٢٣")  # non-ASCII digits are not KID digits


def test_mod11_errors():
    with pytest.raises(InvalidFormat):
        mod11.validate("1234-5")
    with pytest.raises(InvalidFormat):
        mod11.validate("-")
    with pytest.raises(InvalidChecksum):
        mod11.validate("123456782")
    with pytest.raises(InvalidChecksum):
        mod11.validate("0010012026006" + "0")  # remainder 1 must give '-', not 0
    with pytest.raises(InvalidLength):
        mod11.validate("1" * 25 + "0")
    assert not mod11.is_valid("abc")


def test_all_errors_are_value_errors():
    with pytest.raises(ValueError):
        kid.validate("12345")
    assert issubclass(InvalidChecksum, ValidationError)


def test_mod11_remainder_zero_gives_zero():
    # 0000000 has sum 0 -> check '0'
    assert mod11.calc_check_digit("0000000") == "0"
    # 4*2 + 1*3 = 11, remainder 0 -> '0' (not 11)
    assert mod11.make("14") == "140"
    # 1*2 + 1*3 = 5 -> 11 - 5 = 6
    assert mod11.make("11") == "116"

@given(bases)
def test_mod10_is_luhn(base):
    assert mod10.calc_check_digit(base) == luhn.calc_check_digit(base)
    assert luhn.is_valid(mod10.make(base))


@given(bases, st.sampled_from(list(Algorithm)))
def test_made_kid_always_validates(base, algorithm):
    made = kid.make(base, algorithm)
    assert kid.validate(made, algorithm) == made
    assert algorithm in kid.satisfied_algorithms(made)
    assert kid.is_valid(made)


def _mod11_reference(base: str) -> str:
    """Nets §5 literally: weights 2..7 from the right, 11 - r, r=0 -> 0, r=1 -> '-'."""
    weights = [2, 3, 4, 5, 6, 7]
    total = 0
    for i, digit in enumerate(reversed(base)):
        total += int(digit) * weights[i % 6]
    r = total % 11
    return {0: "0", 1: "-"}.get(r, str(11 - r))


@given(bases)
def test_mod11_matches_spec_text(base):
    assert mod11.calc_check_digit(base) == _mod11_reference(base)


@given(bases, st.data())
def test_mod11_detects_any_single_digit_change(base, data):
    made = mod11.make(base)
    position = data.draw(st.integers(0, len(base) - 1))
    new_digit = data.draw(st.sampled_from([d for d in "0123456789" if d != base[position]]))
    changed = made[:position] + new_digit + made[position + 1 :]
    assert not mod11.is_valid(changed)


@given(bases, st.data())
def test_mod10_detects_any_single_digit_change(base, data):
    made = mod10.make(base)
    position = data.draw(st.integers(0, len(made) - 1))
    new_digit = data.draw(st.sampled_from([d for d in "0123456789" if d != made[position]]))
    changed = made[:position] + new_digit + made[position + 1 :]
    assert not mod10.is_valid(changed)


@given(st.text(max_size=30))
def test_is_valid_never_raises(text):
    for algorithm in (None, "mod10", "mod11"):
        assert kid.is_valid(text, algorithm) in (True, False)
    assert isinstance(kid.satisfied_algorithms(text), set)


def test_unknown_algorithm_is_a_configuration_error_not_an_invalid_kid():
    with pytest.raises(LayoutError):
        kid.is_valid("123456782", "mod97")


def test_validate_without_algorithm():
    assert kid.validate(" 0010012026006- ") == "0010012026006-"
    with pytest.raises(InvalidChecksum, match="neither"):
        kid.validate("123456780")
    with pytest.raises(InvalidFormat):
        kid.validate("12 34A")
    with pytest.raises(InvalidLength):
        kid.validate("1")
    assert kid.satisfied_algorithms("123456780") == set()
    assert kid.satisfied_algorithms("not a kid") == set()


def test_a_kid_can_satisfy_both():
    both = next(
        mod10.make(str(n)) for n in range(10, 10_000) if mod11.is_valid(mod10.make(str(n)))
    )
    assert kid.satisfied_algorithms(both) == {Algorithm.MOD10, Algorithm.MOD11}


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("1234 5678 2", True),
        ("0010012026006-", True),
        ("1", True),
        ("", False),
        (None, False),
        ("-", False),
        ("Faktura 2026-17", False),
        ("12-34", False),
        ("RF18539007547034", False),
    ],
)
def test_looks_like_kid(reference, expected):
    assert kid.looks_like_kid(reference) is expected
