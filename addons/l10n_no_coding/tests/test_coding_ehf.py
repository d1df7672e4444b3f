"""A received EHF bill is coded like any other — run when l10n_no_ehf is installed too, skipped otherwise.

The coding addon does not depend on l10n_no_ehf: the bill comes through l10n_no_ehf's import (Odoo's UBL
decoder), which creates its lines with plain ``create``; that is the path these tests check.
"""

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestCodingReceivedEhf(AccountTestInvoicingCommon):
    country_code = "NO"  # the Norwegian chart: the 25 % purchase tax the EHF names

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "l10n_no_ehf.incoming" not in cls.env:
            cls.skipTest(cls, "l10n_no_ehf is not installed")
        # imported lazily: the module exists on the addons path only as a sibling addon
        from odoo.addons.l10n_no_ehf.tests.common import VENDOR_ORGNR  # noqa: PLC0415
        from odoo.addons.l10n_no_ehf.tests.ehf_samples import ehf_invoice  # noqa: PLC0415

        cls.ehf_invoice = staticmethod(ehf_invoice)
        cls.company = cls.company_data["company"]
        cls.company.country_id = cls.env.ref("base.no")
        cls.vendor = cls.env["res.partner"].create({
            "name": "Leverandør AS", "is_company": True, "l10n_no_bronnoysund_number": VENDOR_ORGNR,
            "country_id": cls.env.ref("base.no").id,
        })
        plan = cls.env["account.analytic.plan"].create({"name": "Department"})
        cls.department = cls.env["account.analytic.account"].create({"name": "Maintenance", "plan_id": plan.id})
        cls.account = cls.copy_account(cls.company_data["default_account_expense"], {"name": "Repairs", "code": "660020"})
        cls.attestant = cls.env["res.users"].create({
            "name": "Kari Attestant", "login": "kari_ehf",
            "group_ids": [(6, 0, [cls.env.ref("account.group_account_invoice").id])],
        })

    def _import(self, number):
        incoming = self.env["l10n_no_ehf.incoming"]._l10n_no_ehf_import(self.ehf_invoice(number), company=self.company)
        self.assertTrue(incoming.move_id, "the EHF became a bill")
        return incoming.move_id

    def test_received_ehf_is_coded_by_the_vendor_rule(self):
        self.env["l10n_no.coding.rule"].create({
            "rule_type": "vendor", "partner_id": self.vendor.id, "account_id": self.account.id,
            "analytic_distribution": {str(self.department.id): 100}, "attestant_id": self.attestant.id,
        })
        bill = self._import("F-CODE-1")
        self.assertEqual(bill.partner_id, self.vendor)
        line = bill.invoice_line_ids
        self.assertEqual(line.account_id, self.account)
        self.assertEqual(line.analytic_distribution, {str(self.department.id): 100})
        self.assertEqual(line.l10n_no_coding_source, "vendor")
        self.assertEqual(bill.l10n_no_attestant_id, self.attestant)
        self.assertAlmostEqual(bill.amount_total, 1250.0, msg="the vendor's VAT is kept")

    def test_uncoded_received_ehf_is_not_auto_posted(self):
        self.company.l10n_no_coding_required = True
        self.company.autopost_bills = True
        self.vendor.autopost_bills = "always"
        bill = self._import("F-CODE-2")
        self.assertEqual(bill.invoice_line_ids.l10n_no_coding_source, "none")
        bill._autopost_bill()
        self.assertEqual(bill.state, "draft")
        self.assertIn("Rørleggertime", bill.l10n_no_coding_problem)
