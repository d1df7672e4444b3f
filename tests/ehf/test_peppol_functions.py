"""The schematron's check-digit functions, cross-checked with python-stdnum's independent code.

``u:gln``, ``u:mod11``, ``u:mod97-0208``, ``u:checkSEOrgnr``, ``u:abn``, ``u:checkPIVA`` and
``u:TinVerification`` are re-implemented in :mod:`nofaktura.ehf.rules.peppol_functions` with the
schematron's exact semantics; on well-formed digit strings they must agree with stdnum.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import ean, luhn
from stdnum.au import abn as au_abn
from stdnum.be import vat as be_vat
from stdnum.gr import vat as gr_vat

from nofaktura.ehf.rules.peppol_functions import (
    abn,
    check_cf,
    check_codice_ipa,
    check_piva,
    check_piva_se_it,
    check_se_orgnr,
    gln,
    mod97_0208,
    norm,
    tin_verification,
    to_date,
    to_decimal,
    xpath_number,
)


def digits(n: int):
    return st.from_regex(rf"[0-9]{{{n}}}", fullmatch=True)


@given(digits(13))
def test_gln_is_the_gs1_check(number: str) -> None:
    assert gln(number) == ean.is_valid(number)


@given(digits(10))
def test_mod97_0208_is_the_belgian_check(number: str) -> None:
    # The check digits are 97 - (first eight mod 97), so 01..97; stdnum's "sum mod 97 = 0" also takes 98, 99.
    assert mod97_0208(number) == (be_vat.checksum(number) == 0 and 0 < int(number[8:]) <= 97)


@given(digits(10))
def test_swedish_organisation_number_is_luhn(number: str) -> None:
    assert check_se_orgnr(number) == luhn.is_valid(number)


@given(digits(11))
def test_abn(number: str) -> None:
    # stdnum's check digits are always 11..99; the mod-89 rule (u:abn) also accepts 01..10 in front.
    assume(int(number[:2]) > 10)
    assert abn(number) == au_abn.is_valid(number)


def test_abn_edges_that_stdnum_rejects() -> None:
    assert abn("10000000000") and not au_abn.is_valid("10000000000")
    assert abn("01008300100") and not au_abn.is_valid("01008300100")


@given(digits(9))
def test_greek_tin(number: str) -> None:
    assert tin_verification(number) == gr_vat.is_valid(number)


@given(digits(11))
def test_partita_iva_is_luhn(number: str) -> None:
    assert (check_piva(number) == 0) == luhn.is_valid(number)
    assert check_piva_se_it("IT" + number) == luhn.is_valid(number)


def test_known_values() -> None:
    assert gln("5790000436101") and not gln("5790000436102")
    assert check_se_orgnr("5560360793") and not check_se_orgnr("5566778890")
    assert mod97_0208("0123456749") and not mod97_0208("0123456748")
    assert not check_se_orgnr("55603607a3") and not check_se_orgnr("")
    assert check_piva_se_it("DE123") and not check_piva_se_it("IT123")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ABC123", True), ("abc12z", True), ("ABC12", False), ("ABC1234", False), ("ABC-12", False), ("ÅBC123", False)],
)
def test_codice_ipa(value: str, expected: bool) -> None:
    assert check_codice_ipa(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("RSSMRA85T10A562S", True),  # 16-character Codice Fiscale shape
        ("12345678901", True),  # 11 digits
        ("1234567890", False),
        ("RSSMRA8XT10A562S", False),
    ],
)
def test_codice_fiscale(value: str, expected: bool) -> None:
    assert check_cf(value) is expected


def test_xpath_value_semantics() -> None:
    assert norm("  a \n b  ") == "a b"
    assert to_decimal(" 12.50 ") == Decimal("12.50") and to_decimal("1e3") is None and to_decimal("") is None
    assert xpath_number("1e3") == 1000 and str(xpath_number("12a")) == "nan"
    assert to_date("2024-02-29") is not None and to_date("2023-02-29") is None and to_date("2024-2-1") is None
