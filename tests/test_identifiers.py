"""nofaktura.identifiers: the stdnum/schwifty wrappers and our stricter rules."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nofaktura import identifiers as ids
from nofaktura.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

# Real organisation numbers: Brønnøysundregistrene 974760673, DNB Bank 984851006, Equinor 923609016.
ORGNRS = ["974760673", "984851006", "923609016", "988077917"]


def test_doctests():
    result = doctest.testmod(ids)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("number", ORGNRS)
def test_orgnr_valid(number):
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert ids.validate_orgnr(spaced) == number
    assert ids.is_valid_orgnr(number)
    assert ids.format_orgnr(number) == spaced
    assert ids.compact_orgnr(spaced) == number


def test_orgnr_errors_are_ours():
    with pytest.raises(InvalidChecksum, match="Organisation number '988077918'"):
        ids.validate_orgnr("988077918")
    with pytest.raises(InvalidLength):
        ids.validate_orgnr("98807791")
    with pytest.raises(InvalidFormat):
        ids.validate_orgnr("98807791X")
    assert not ids.is_valid_orgnr("988077918")


def test_mva():
    assert ids.validate_mva("NO 988 077 917 MVA") == "NO988077917MVA"
    assert ids.validate_mva("988077917MVA") == "NO988077917MVA"
    with pytest.raises(InvalidFormat, match="NO-R-001"):
        ids.validate_mva("988077917MVA", require_prefix=True)
    assert ids.is_valid_mva("NO988077917MVA", require_prefix=True)
    assert not ids.is_valid_mva("NO988077918MVA")
    assert not ids.is_valid_mva("NO988077917")
    assert ids.format_mva("no988077917mva") == "NO 988 077 917 MVA"
    assert ids.compact_mva("988 077 917 MVA") == "NO988077917MVA"
    assert ids.mva_from_orgnr("988 077 917") == "NO988077917MVA"
    with pytest.raises(ValidationError):
        ids.mva_from_orgnr("988077918")


def test_account_number():
    assert ids.validate_account_number("8601 11 17947") == "86011117947"
    assert ids.validate_account_number("8601.11.17947") == "86011117947"
    assert ids.format_account_number("86011117947") == "8601.11.17947"
    with pytest.raises(InvalidChecksum):
        ids.validate_account_number("86011117948")
    # stdnum accepts the old 7-digit postgiro numbers; a Norwegian account number has 11 digits
    with pytest.raises(InvalidLength):
        ids.validate_account_number("1234567")
    assert not ids.is_valid_account_number("8601111794")


def test_iban_and_conversion():
    assert ids.account_number_to_iban("8601.11.17947") == "NO9386011117947"
    assert ids.iban_to_account_number("NO93 8601 1117 947") == "86011117947"
    assert ids.format_iban("NO9386011117947") == "NO93 8601 1117 947"
    assert ids.compact_iban("no93 8601 1117 947") == "NO9386011117947"
    assert ids.is_valid_iban("DE89370400440532013000")
    with pytest.raises(InvalidChecksum):
        ids.validate_iban("NO9486011117947")
    with pytest.raises(InvalidComponent, match="not a Norwegian IBAN"):
        ids.iban_to_account_number("DE89370400440532013000")
    assert ids.iban_bic("NO9386011117947") == "DABANO22"


@given(st.integers(0, 10**10 - 1))
def test_bban_iban_round_trip(n):
    base = f"{n:010d}"
    # complete a valid kontonr by brute force over the check digit (MOD11; some bases have none)
    numbers = [base + d for d in "0123456789" if ids.is_valid_account_number(base + d)]
    for number in numbers:
        iban = ids.account_number_to_iban(number)
        assert iban.startswith("NO")
        assert ids.is_valid_iban(iban)
        assert ids.iban_to_account_number(iban) == number


def test_peppol_id():
    assert ids.format_peppol_id("988 077 917") == "0192:988077917"
    assert ids.format_peppol_id("988077917", with_scheme=True) == "iso6523-actorid-upis::0192:988077917"
    pid = ids.parse_peppol_id("iso6523-actorid-upis::0192:988077917")
    assert (pid.icd, pid.identifier) == ("0192", "988077917")
    assert pid.with_scheme == "iso6523-actorid-upis::0192:988077917"
    assert ids.validate_peppol_id(" 0192 : 988077917 ") == "0192:988077917"
    assert ids.validate_peppol_id("0088:7300010000001") == "0088:7300010000001"
    assert ids.validate_peppol_id("0007:5567321707") == "0007:5567321707"  # form only for other ICDs
    assert ids.validate_peppol_id("9925:BE0123456749") == "9925:be0123456749"  # case-insensitive


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("0192:988077918", InvalidChecksum),
        ("988077917", InvalidFormat),
        ("192:988077917", InvalidFormat),
        ("0192:", InvalidFormat),
        ("busdox-actorid::0192:988077917", InvalidComponent),
        ("0088:7300010000002", InvalidChecksum),
    ],
)
def test_peppol_id_errors(value, error):
    with pytest.raises(error):
        ids.parse_peppol_id(value)
    assert not ids.is_valid_peppol_id(value)


def test_no_stdnum_module_that_reads_package_data_is_imported():
    """Odoo 19 wraps stdnum's loader with an import hook, and then stdnum modules that read their
    data tables through importlib.resources (stdnum.iban and friends) fail to import inside Odoo.
    The identifiers used by the addons must therefore not pull them in."""
    import subprocess
    import sys

    code = (
        "import sys, nofaktura.identifiers as i; i.validate_iban('NO9386011117947'); "
        "i.account_number_to_iban('86011117947'); "
        "print(sorted(m for m in sys.modules if m in ('stdnum.iban', 'stdnum.numdb')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
