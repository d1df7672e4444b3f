from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import L10nNoEhfCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestCheckOverXmlRpc(L10nNoEhfCommon, HttpCase):
    """The check is a model method: an invoicing user gets the same findings over XML-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rpc_user = new_test_user(
            cls.env, login="ehf_rpc", password="ehf_rpc_pw", groups="account.group_account_invoice",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )

    def test_l10n_no_ehf_check_over_xmlrpc(self):
        self.env.cr.execute("UPDATE res_partner SET vat = 'NO988077910MVA' WHERE id = %s", [self.company.partner_id.id])
        self.env.invalidate_all()
        invoice = self._invoice()
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "ehf_rpc", "ehf_rpc_pw", {})
        results = self.xmlrpc_object.execute_kw(db, uid, "ehf_rpc_pw", "account.move", "l10n_no_ehf_check", [[invoice.id]])
        self.assertEqual(results[0]["move_id"], invoice.id)
        self.assertFalse(results[0]["valid"])
        finding = next(f for f in results[0]["findings"] if f["rule"] == "NO-R-001")
        self.assertEqual((finding["model"], finding["field"]), ("res.partner", "vat"))
        rows = self.xmlrpc_object.execute_kw(db, uid, "ehf_rpc_pw", "account.move", "read", [[invoice.id]],
                                             {"fields": ["l10n_no_ehf_check_state"]})
        self.assertEqual(rows[0]["l10n_no_ehf_check_state"], "fatal")
