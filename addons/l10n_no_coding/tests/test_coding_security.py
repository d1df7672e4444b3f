from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CodingCommon


@tagged("post_install", "-at_install")
class TestCodingSecurity(CodingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(cls.env, login="billing_clerk", name="Billing Clerk",
                                    groups="account.group_account_invoice")
        cls.internal = new_test_user(cls.env, login="plain_internal", name="Plain Internal", groups="base.group_user")
        cls.company_b = cls.setup_other_company(name="Company B")["company"]

    def test_billing_user_creates_a_coded_bill_like_an_xmlrpc_client(self):
        """A plain create, as an XML-RPC client does it, with only the billing group."""
        env = self.env(user=self.billing)
        bill = self._bill(self.supplier, [{"product_id": self.paper.id, "price_unit": 50.0}], env=env)
        line = bill.invoice_line_ids
        self.assertEqual(line.account_id, self.account_office)
        self.assertEqual(line.l10n_no_coding_source, "product")
        self.assertEqual(bill.l10n_no_attestant_id, self.attestant)
        # billing users read the rules but do not change them
        self.assertEqual(env["l10n_no.coding.rule"].search([("id", "=", self.product_rule.id)]), self.product_rule)
        with self.assertRaises(AccessError):
            self.product_rule.with_user(self.billing).write({"account_id": self.account_manual.id})
        with self.assertRaises(AccessError):
            env["l10n_no.coding.rule"].create({"rule_type": "vendor", "partner_id": self.other_vendor.id,
                                               "account_id": self.account_manual.id})

    def test_nobody_fakes_the_coding_origin(self):
        """Marking a line "coded by hand" without coding it would unblock posting: refused, over XML-RPC too."""
        self.company.l10n_no_coding_required = True
        env = self.env(user=self.billing)
        bill = self._bill(self.other_vendor, [{"name": "Mystery", "price_unit": 10.0}], env=env)
        line = bill.invoice_line_ids
        for vals in ({"l10n_no_recoded": True}, {"l10n_no_coding_source": "manual"},
                     {"l10n_no_coding_problem": False}):
            with self.assertRaisesRegex(AccessError, "set by default coding only"), self.env.cr.savepoint():
                line.write(vals)
        # the context key the coding uses, sent by a caller (XML-RPC sends any context): still refused
        with self.assertRaisesRegex(AccessError, "set by default coding only"), self.env.cr.savepoint():
            line.with_context(l10n_no_coding_apply=True).write({"l10n_no_recoded": True})
        with self.assertRaisesRegex(AccessError, "set by default coding only"), self.env.cr.savepoint():
            bill.write({"invoice_line_ids": [Command.create({"name": "X", "price_unit": 1.0, "l10n_no_recoded": True})]})
        with self.assertRaisesRegex(UserError, "cannot be posted before they are coded"), self.env.cr.savepoint():
            bill.action_post()
        self.assertEqual(bill.state, "draft")

    def test_internal_user_without_accounting_reads_no_rule(self):
        with self.assertRaises(AccessError):
            self.env["l10n_no.coding.rule"].with_user(self.internal).search([])

    def test_rules_of_another_company_neither_seen_nor_applied(self):
        rule_b = self.env["l10n_no.coding.rule"].with_company(self.company_b).create({
            "rule_type": "vendor", "partner_id": self.other_vendor.id,
            "attestant_id": self.env.user.id,
            "company_id": self.company_b.id,
        })
        bill = self._bill(self.other_vendor, [{"name": "Item", "price_unit": 10.0}])
        self.assertNotEqual(bill.invoice_line_ids.l10n_no_coding_rule_id, rule_b)
        self.assertFalse(bill.l10n_no_attestant_id)
        billing_rules = self.env["l10n_no.coding.rule"].with_user(self.billing).search([])
        self.assertNotIn(rule_b, billing_rules)

    def test_check_company_refuses_an_account_of_another_company(self):
        other_account = self.env["account.account"].with_company(self.company_b).search(
            [("company_ids", "in", self.company_b.ids), ("account_type", "=", "expense")], limit=1,
        )
        self.assertTrue(other_account)
        with self.assertRaisesRegex(UserError, "company inconsistencies"), self.env.cr.savepoint():
            self.env["l10n_no.coding.rule"].create({
                "rule_type": "vendor", "partner_id": self.other_vendor.id, "account_id": other_account.id,
                "company_id": self.company.id, "tax_ids": [Command.clear()],
            })
