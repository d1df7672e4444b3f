from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import L10nNoKidCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestVendorKid(L10nNoKidCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls._create_partner_no("Leverandør AS")
        cls.vendor_abroad = cls.env["res.partner"].create(
            {"name": "Lieferant GmbH", "is_company": True, "country_id": cls.env.ref("base.de").id}
        )

    def _bill(self, reference, partner=None, post=False):
        return self._invoice(
            partner=partner or self.vendor, move_type="in_invoice", post=post, bank_account=False,
            payment_reference=reference,
        )

    def test_01_valid_mod10(self):
        """A MOD10 KID is valid, normalised, and says which algorithm it satisfies."""
        bill = self._bill("1234 5678 2")
        self.assertEqual(bill.payment_reference, "123456782")
        self.assertEqual(bill.l10n_no_vendor_kid_state, "valid")
        self.assertEqual(bill.l10n_no_vendor_kid_algorithms, "MOD10")

    def test_02_valid_mod11_with_dash(self):
        """A MOD11 KID ending in '-' is valid."""
        bill = self._bill("0010012026006-")
        self.assertEqual(bill.l10n_no_vendor_kid_state, "valid")
        self.assertEqual(bill.l10n_no_vendor_kid_algorithms, "MOD11")

    def test_03_invalid_flagged_not_blocking_by_default(self):
        """A wrong check digit is flagged but the bill still posts by default."""
        bill = self._bill("123456780")
        self.assertEqual(bill.l10n_no_vendor_kid_state, "invalid")
        self.assertIn("neither", bill.l10n_no_vendor_kid_error)
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_04_invalid_blocks_when_company_chooses(self):
        """With the company setting, a bill with an invalid KID cannot be posted."""
        settings = self.env["res.config.settings"].create({"l10n_no_kid_block_invalid_vendor_kid": True})
        settings.execute()
        self.assertTrue(self.company.l10n_no_kid_block_invalid_vendor_kid)
        bill = self._bill("123456780")
        with self.assertRaisesRegex(UserError, "invalid KID"):
            bill.action_post()
        bill.payment_reference = "123456782"
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_05_messages_and_foreign_vendors_are_not_kids(self):
        """Free-text references and foreign vendors' references are not checked as KIDs."""
        self.company.l10n_no_kid_block_invalid_vendor_kid = True
        message = self._bill("Faktura 2026-17")
        self.assertFalse(message.l10n_no_vendor_kid_state)
        self.assertEqual(message.payment_reference, "Faktura 2026-17")
        foreign = self._bill("123456780", partner=self.vendor_abroad)
        self.assertFalse(foreign.l10n_no_vendor_kid_state)
        foreign.action_post()
        self.assertEqual(foreign.state, "posted")

    def test_06_normalised_on_write(self):
        """Spaces typed later (or by XML-RPC) are removed as well."""
        bill = self._bill(False)
        self.assertFalse(bill.l10n_no_vendor_kid_state)
        bill.write({"payment_reference": " 12345 678 5 "})
        self.assertEqual(bill.payment_reference, "123456785")
        self.assertEqual(bill.l10n_no_vendor_kid_state, "valid")

    def test_07_wrong_length_invalid(self):
        """A 26-digit KID is invalid whatever its check digit."""
        bill = self._bill("1" * 26)
        self.assertEqual(bill.l10n_no_vendor_kid_state, "invalid")
