import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from nofaktura import kid as nkid

from .common import AgreementCommon


@tagged("post_install", "-at_install")
class TestMassInvoice(AgreementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.members = cls.env["res.partner.category"].create({"name": "Medlem"})
        cls.fee = cls.env["product.product"].create({
            "name": "Kontingent", "type": "service", "list_price": 500.0, "taxes_id": [Command.clear()],
        })
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Medlemspris", "company_id": cls.company.id,
            "item_ids": [Command.create({"applied_on": "0_product_variant", "product_id": cls.fee.id,
                                         "compute_price": "fixed", "fixed_price": 450.0})],
        })
        cls.a = cls._customer("Alfa AS", category_id=[Command.set(cls.members.ids)], company_registry="974760673",
                              ref="K-1")
        cls.b = cls._customer("Beta AS", category_id=[Command.set(cls.members.ids)], ref="K-2")
        other_company = cls.setup_other_company()["company"]
        cls.foreign = cls._customer("Utland AS", category_id=[Command.set(cls.members.ids)],
                                    company_id=other_company.id)

    def _wizard(self, **values):
        return self.env["l10n_no.agreement.mass.invoice"].with_user(self.clerk).create({
            "product_line_ids": [Command.create({"product_id": self.fee.id, "quantity": 2, "price_mode": "pricelist"}),
                                 Command.create({"product_id": self.rent.id, "quantity": 1, "price_mode": "fixed",
                                                 "price_unit": 100.0})],
            "pricelist_id": self.pricelist.id,
            **values,
        })

    def test_category_preview_then_create_and_post(self):
        wizard = self._wizard(selection_mode="category", category_ids=[Command.set(self.members.ids)])
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        # the other company's customer is not selectable by this company (record rules on partners)
        self.assertEqual(wizard.line_ids.partner_id, self.a | self.b)
        self.assertEqual((wizard.customer_count, wizard.error_count), (2, 0))
        self.assertEqual(wizard.amount_untaxed, 2 * (2 * 450.0 + 100.0))
        self.assertFalse(self.env["account.move"].search([("partner_id", "in", (self.a | self.b).ids)]))
        wizard.action_create_invoices()
        invoices = wizard.line_ids.invoice_id
        self.assertEqual(len(invoices), 2)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(invoices.mapped("amount_total"), [1000.0, 1000.0])
        for invoice in invoices:
            self.assertTrue(nkid.is_valid(invoice.payment_reference, "mod10"))
        with self.assertRaises(UserError):
            wizard.action_create_invoices()

    def test_file_with_bad_lines(self):
        content = "orgnr\n974760673\n974760674\nK-2\nK-404\nK-1\n\n".encode()
        wizard = self._wizard(selection_mode="file", file=base64.b64encode(content), file_name="kunder.csv")
        wizard.action_preview()
        lines = wizard.line_ids
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines.mapped("partner_id"), self.a | self.b)
        errors = {line.source: line.error for line in lines if line.error}
        self.assertIn("check digit", errors["line 3: 974760674"])
        self.assertIn("No customer", errors["line 5: K-404"])
        self.assertIn("already on line 2", errors["line 6: K-1"])
        self.assertEqual((wizard.customer_count, wizard.error_count), (2, 3))
        wizard.action_create_invoices()
        self.assertEqual(len(wizard.line_ids.invoice_id), 2)
        self.assertFalse(lines.filtered("error").invoice_id)

    def test_cannot_be_invoiced_reasons_and_failed_creation(self):
        gone = self._customer("Borte AS")
        big = self._customer("Stor AS")
        wizard = self._wizard(selection_mode="partners", partner_ids=[Command.set((self.a | gone | big).ids)])
        gone.active = False
        wizard.action_preview()
        by_partner = {line.partner_id: line for line in wizard.line_ids}
        self.assertIn("archived", by_partner[gone].error)
        self.assertFalse(by_partner[self.a].error or by_partner[big].error)
        # between the preview and the run, Stor AS gets a customer number its KID cannot hold
        self.env["l10n_no.customer.number"].create({"partner_id": big.id, "company_id": self.company.id,
                                                    "number": 1234567})
        wizard.action_create_invoices()
        self.assertIn("KID", by_partner[big].error)
        self.assertFalse(by_partner[big].invoice_id)
        self.assertEqual(by_partner[self.a].invoice_id.state, "posted")
        self.assertFalse(self.env["account.move"].search([("partner_id", "=", big.id)]))

    def test_rights(self):
        with self.assertRaises(AccessError):
            self.env["l10n_no.agreement.mass.invoice"].with_user(self.internal).create({})
        wizard = self._wizard(selection_mode="category")
        with self.assertRaises(UserError):
            wizard.action_preview()  # no category chosen
