from odoo import Command
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from nofaktura import kid as nkid

from .common import AgreementCommon


@tagged("post_install", "-at_install")
class TestGroupInvoicing(AgreementCommon):
    """Odoo's own "Create invoices" for several sales orders of one customer, with our addons installed:
    one invoice, posted with a KID. ``sale`` is not a dependency of this addon: the test runs in a
    database where it is installed (see README) and is skipped elsewhere."""

    def test_several_orders_one_invoice_with_kid(self):
        if "sale.order" not in self.env:
            self.skipTest("the sale module is not installed in this database")
        clerk = mail_new_test_user(
            self.env, login="agreement_seller", name="Seller and billing clerk",
            groups="base.group_user,sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=self.company.id, company_ids=[Command.set(self.company.ids)],
        )
        customer = self._customer("Gruppe AS")
        self.rent.invoice_policy = "order"
        orders = self.env["sale.order"].with_user(clerk).create([
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": self.rent.id,
                                                                        "product_uom_qty": qty})]}
            for qty in (1, 2, 3)
        ])
        orders.action_confirm()
        wizard = self.env["sale.advance.payment.inv"].with_user(clerk).with_context(
            active_model="sale.order", active_ids=orders.ids
        ).create({"advance_payment_method": "delivered", "consolidated_billing": True})
        wizard.create_invoices()
        invoice = orders.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.amount_total, 6000.0)
        invoice.action_post()
        self.assertTrue(nkid.is_valid(invoice.payment_reference, "mod10"), invoice.payment_reference)
        self.assertEqual(len(invoice.payment_reference), 15)
