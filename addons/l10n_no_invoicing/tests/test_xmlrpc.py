import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import COMPANY_ORGNR, BrregCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestSetupOverXmlRpc(BrregCommon, HttpCase):
    """The assistant's steps are model methods: an administrator runs them over XML-RPC, and an accounting
    administrator is refused the company step there too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.rpc_admin = new_test_user(cls.env, login="brreg_rpc_admin", password="brreg_rpc_admin_pw",
                                      groups="base.group_system,account.group_account_manager", **common)
        cls.rpc_acc = new_test_user(cls.env, login="brreg_rpc_acc", password="brreg_rpc_acc_pw",
                                    groups="account.group_account_manager", **common)

    def _rpc(self, login, password):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, login, password, {})

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(db, uid, password, model, method, list(args), kwargs)
        return call

    def test_steps_over_xmlrpc(self):
        admin = self._rpc("brreg_rpc_admin", "brreg_rpc_admin_pw")
        wizard_id = admin("l10n_no_invoicing.setup", "create", {"orgnr": COMPANY_ORGNR})
        admin("l10n_no_invoicing.setup", "action_lookup_company", [wizard_id])
        shown = admin("l10n_no_invoicing.setup", "read", [wizard_id], ["brreg_status", "brreg_name", "brreg_vat"])[0]
        self.assertEqual(shown["brreg_status"], "found")
        self.assertEqual(shown["brreg_vat"], f"NO{COMPANY_ORGNR}MVA")
        admin("l10n_no_invoicing.setup", "action_apply_company", [wizard_id])
        company = admin("res.company", "read", [self.company.id], ["name", "vat"])[0]
        self.assertEqual((company["name"], company["vat"]), ("FJORDFAKTURA AS", f"NO{COMPANY_ORGNR}MVA"))
        checklist = admin("l10n_no_invoicing.setup", "l10n_no_invoicing_checklist", [wizard_id])
        self.assertTrue(next(item for item in checklist if item["key"] == "org_number")["done"])

        acc = self._rpc("brreg_rpc_acc", "brreg_rpc_acc_pw")
        acc_wizard = acc("l10n_no_invoicing.setup", "create", {"orgnr": COMPANY_ORGNR})
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            acc("l10n_no_invoicing.setup", "action_lookup_company", [acc_wizard])
        self.assertEqual(refused.exception.faultCode, 4, "Odoo's XML-RPC code of an AccessError")
        self.assertIn("may set up the company", refused.exception.faultString)
