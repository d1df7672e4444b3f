"""Every worked example of norway.md §2.4, and the cross-checks under the table."""

from __future__ import annotations

import pytest

from nofaktura import kid
from nofaktura.kid import Algorithm, KidLayout, mod10, mod11

# base, MOD10 KID, MOD11 KID  (norway.md §2.4)
WORKED = [
    ("12345678", "123456782", "123456785"),  # Nets spec examples
    ("1234", "12344", "12343"),
    ("2345678", "23456783", "23456788"),
    ("60224", "602243", "602248"),
    ("0000042" + "2600017", "000004226000174", "000004226000173"),  # Odoo's 15-digit layout
    ("012345" + "0001001", "01234500010016", "01234500010015"),
    ("001001" + "2026006", "00100120260060", "0010012026006-"),  # MOD11 remainder 1 -> '-'
    ("000006", "0000067", "000006-"),
]


@pytest.mark.parametrize(("base", "mod10_kid", "mod11_kid"), WORKED)
def test_worked_example_make(base, mod10_kid, mod11_kid):
    assert mod10.make(base) == mod10_kid
    assert mod11.make(base) == mod11_kid
    assert kid.make(base, "mod10") == mod10_kid
    assert kid.make(base, Algorithm.MOD11) == mod11_kid


@pytest.mark.parametrize(("base", "mod10_kid", "mod11_kid"), WORKED)
def test_worked_example_validate(base, mod10_kid, mod11_kid):
    assert mod10.validate(mod10_kid) == mod10_kid
    assert mod11.validate(mod11_kid) == mod11_kid
    assert Algorithm.MOD10 in kid.satisfied_algorithms(mod10_kid)
    assert Algorithm.MOD11 in kid.satisfied_algorithms(mod11_kid)


def test_nets_mod11_sum_and_remainder():
    # norway.md §2.3: products 3+4+21+24+25+24+21+16 = 138, 138 mod 11 = 6 -> 5
    assert mod11.checksum_remainder("12345678") == 138 % 11 == 6
    # §2.4: sum 67, 67 mod 11 = 1 -> '-'
    assert mod11.checksum_remainder("0010012026006") == 1


def test_worked_example_layouts():
    """The table's composed rows, built through a layout rather than by hand."""
    odoo_like = KidLayout(length=15, algorithm="mod10", customer_digits=7, invoice_digits=7)
    assert odoo_like.build(42, 2600017) == "000004226000174"
    assert KidLayout(15, "mod11", 7, 7).build(42, 2600017) == "000004226000173"
    six_seven = KidLayout(length=14, algorithm="mod10", customer_digits=6, invoice_digits=7)
    assert six_seven.build(12345, 1001) == "01234500010016"
    assert KidLayout(14, "mod11", 6, 7).build("012345", "0001001") == "01234500010015"
    assert KidLayout(14, "mod11", 6, 7).build(1001, 2026006) == "0010012026006-"
    assert KidLayout(14, "mod10", 6, 7).build(1001, 2026006) == "00100120260060"


@pytest.mark.parametrize("fixture_kid", ["0000531", "0036633"])
def test_netsgiro_ocr_fixture_kids_are_mod11(fixture_kid):
    assert kid.satisfied_algorithms(fixture_kid) == {Algorithm.MOD11}


@pytest.mark.parametrize("fixture_kid", ["008000011688373", "000133700501645", "000112000507155"])
def test_netsgiro_avtalegiro_fixture_kids_are_mod10(fixture_kid):
    assert Algorithm.MOD10 in kid.satisfied_algorithms(fixture_kid)
