from nofaktura.kid import Algorithm, KidLayout

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import L10nNoKidCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestJournalAgreement(L10nNoKidCommon):
    def test_01_layout_from_journal(self):
        """The journal maps its fields to the library's KidLayout."""
        layout = self.bank_journal._l10n_no_kid_layout()
        self.assertIsInstance(layout, KidLayout)
        self.assertEqual(layout, KidLayout(15, Algorithm.MOD10, 5, 9, ""))
        self.assertEqual(self.bank_journal.l10n_no_kid_example, KidLayout(15, "mod10", 5, 9).build(1, 1))

    def test_02_no_agreement_no_layout(self):
        """A journal without an agreement has no layout."""
        self.assertIsNone(self.sale_journal._l10n_no_kid_layout())
        self.assertFalse(self.sale_journal.l10n_no_kid_example)

    def test_03_parts_must_add_up(self):
        """Prefix + parts + check digit must equal the length: the library refuses, the constraint says why."""
        with self.assertRaisesRegex(ValidationError, "total length is 16"):
            self.bank_journal.l10n_no_kid_length = 16

    def test_04_length_limits(self):
        """A KID is 4 to 25 digits."""
        with self.assertRaisesRegex(ValidationError, "4 to 25"):
            self.bank_journal.write(
                {"l10n_no_kid_length": 26, "l10n_no_kid_customer_digits": 10, "l10n_no_kid_invoice_digits": 15}
            )
        with self.assertRaisesRegex(ValidationError, "4 to 25"):
            self.bank_journal.write(
                {"l10n_no_kid_length": 3, "l10n_no_kid_customer_digits": 0, "l10n_no_kid_invoice_digits": 2}
            )

    def test_05_prefix_digits_only(self):
        """The fixed prefix is digits, counted in the length."""
        with self.assertRaisesRegex(ValidationError, "digits only"):
            self.bank_journal.write({"l10n_no_kid_prefix": "A", "l10n_no_kid_customer_digits": 4})
        self.bank_journal.write({"l10n_no_kid_prefix": "7", "l10n_no_kid_customer_digits": 4})
        self.assertEqual(self.bank_journal._l10n_no_kid_layout().prefix, "7")

    def test_06_only_bank_journals(self):
        """An OCR agreement belongs to a bank account, so only bank journals hold one."""
        with self.assertRaisesRegex(ValidationError, "not a bank journal"):
            self.sale_journal.l10n_no_kid_enabled = True

    def test_07_disabled_agreement_is_not_checked(self):
        """Settings of a disabled agreement are not checked (they may be typed in any order)."""
        self.bank_journal.write({"l10n_no_kid_enabled": False, "l10n_no_kid_length": 99})
        with self.assertRaises(ValidationError):
            self.bank_journal.l10n_no_kid_enabled = True

    def test_08_algorithm_required(self):
        """An agreement without an algorithm is refused, not silently MOD10."""
        with self.assertRaisesRegex(ValidationError, "check-digit algorithm"):
            self.bank_journal.l10n_no_kid_algorithm = False
