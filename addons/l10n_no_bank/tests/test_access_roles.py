import base64

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import L10nNoBankCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestBankFileRoles(L10nNoBankCommon):
    """Who may import bank files, with the groups Odoo 19 Community really hands out.

    In Community the "Administrator" of Invoicing (account.group_account_manager) implies only
    group_account_invoice: no group_account_user ("Show Full Accounting Features"), no
    group_account_readonly, no group_account_basic. The accountant role exists once full
    accounting features are enabled. An "Invoicing" user must be refused by the methods themselves.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.admin_user = new_test_user(cls.env, login="acc_admin_only", groups="account.group_account_manager",
                                       **common)
        cls.accountant = new_test_user(cls.env, login="acc_user_only", groups="account.group_account_user",
                                       **common)
        cls.billing = new_test_user(cls.env, login="billing_role", groups="account.group_account_invoice",
                                    **common)

    def _import_as(self, user, data, name):
        journal = self.bank_journal.with_user(user)
        action = journal.action_l10n_no_bank_import()
        wizard = self.env[action["res_model"]].with_user(user).with_context(**action["context"]).create(
            {"data_file": base64.b64encode(data), "filename": name}
        )
        return self.Import.browse(wizard.action_import()["res_id"])

    def _match_by_hand_as(self, user, line, invoice):
        action = line.with_user(user).action_l10n_no_bank_match()
        wizard = self.env[action["res_model"]].with_user(user).with_context(**action["context"]).create({})
        wizard.invoice_ids = invoice
        return wizard.action_match()

    def test_community_administrator_imports_reconciles_and_matches_by_hand(self):
        self.assertFalse(self.admin_user.has_group("account.group_account_user"))
        paid = self.invoice(amount=700.0)
        by_hand = self.invoice(amount=300.0)
        record = self._import_as(self.admin_user, self.ocr_file([(paid.payment_reference, "700.00"), (None, "300.00")]),
                                 "admin.txt")
        self.assertEqual(record.count_created, 2)
        self.assertEqual(paid.payment_state, "paid")
        unmatched = self.lines_of(record).filtered(lambda line: line.l10n_no_bank_state == "unmatched")
        self._match_by_hand_as(self.admin_user, unmatched, by_hand)
        self.assertEqual(by_hand.payment_state, "paid")

    def test_community_administrator_imports_over_xmlrpc(self):
        invoice = self.invoice(amount=250.0)
        data = base64.b64encode(self.ocr_file([(invoice.payment_reference, "250.00")])).decode()
        summary = self.Import.with_user(self.admin_user).l10n_no_bank_import_file("rpc.txt", data,
                                                                                   self.bank_journal.id)
        self.assertEqual(summary["created"], 1)
        self.assertEqual(invoice.payment_state, "paid")

    def test_accountant_with_full_accounting_imports(self):
        invoice = self.invoice(amount=120.0)
        self._import_as(self.accountant, self.ocr_file([(invoice.payment_reference, "120.00")]), "acc.txt")
        self.assertEqual(invoice.payment_state, "paid")

    def test_invoicing_user_is_refused_by_every_method(self):
        data = self.ocr_file([(None, "5.00")])
        with self.assertRaises(AccessError):
            self.bank_journal.with_user(self.billing).action_l10n_no_bank_import()
        with self.assertRaises(AccessError):
            self.Import.with_user(self.billing)._l10n_no_bank_import(data, "x.txt", journal=self.bank_journal)
        with self.assertRaises(AccessError):
            self.Import.with_user(self.billing).l10n_no_bank_import_file("x.txt", base64.b64encode(data).decode(),
                                                                         self.bank_journal.id)
        line = self.lines_of(self.import_file(data, "unmatched.txt"))
        with self.assertRaises(AccessError):
            line.with_user(self.billing).action_l10n_no_bank_match()
        with self.assertRaises(AccessError):
            line.with_user(self.billing)._l10n_no_bank_match_invoices(self.invoice(amount=5.0))

    def test_menus_and_actions_follow_the_roles(self):
        Menu = self.env["ir.ui.menu"]
        upload = self.env.ref("l10n_no_bank.menu_l10n_no_bank_import_wizard")
        imports = self.env.ref("l10n_no_bank.menu_l10n_no_bank_imports")
        numbers = self.env.ref("l10n_no_kid.menu_l10n_no_customer_number")
        for user in (self.admin_user, self.accountant):
            visible = Menu.with_user(user)._visible_menu_ids()
            self.assertTrue({upload.id, imports.id, numbers.id} <= visible, user.login)
        self.assertNotIn(upload.id, Menu.with_user(self.billing)._visible_menu_ids())
        action = self.env.ref("l10n_no_bank.l10n_no_bank_import_wizard_action")
        self.assertFalse(action.group_ids - self.env.ref("account.group_account_manager")
                         - self.env.ref("account.group_account_user"))
        self.assertTrue(action.group_ids)
