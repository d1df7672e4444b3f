from odoo.tests import HttpCase, new_test_user, tagged

from .common import L10nNoKidCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestKidOverXmlRpc(L10nNoKidCommon, HttpCase):
    """The rule lives in the model: an invoicing user posting through XML-RPC gets the same KID."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rpc_user = new_test_user(
            cls.env,
            login="kid_rpc",
            password="kid_rpc_pw",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )

    def test_01_action_post_over_xmlrpc(self):
        invoice = self._invoice(post=False)
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "kid_rpc", "kid_rpc_pw", {})
        self.assertEqual(uid, self.rpc_user.id)
        self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "kid_rpc_pw", "account.move", "action_post", [[invoice.id]]
        )
        rows = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "kid_rpc_pw", "account.move", "read", [[invoice.id]],
            {"fields": ["state", "payment_reference"]},
        )
        invoice.invalidate_recordset()
        self.assertEqual(rows[0]["state"], "posted")
        self.assertEqual(rows[0]["payment_reference"], invoice.payment_reference)
        customer = self.partner_no._l10n_no_get_customer_number(self.company)
        self.assertEqual(invoice.payment_reference, self.bank_journal._l10n_no_kid_layout().build(
            customer, self._digits(invoice.name)))

    def test_02_invoicing_user_in_orm(self):
        """The same as a non-admin user through the ORM (what the web client calls)."""
        invoice = self._invoice(post=False)
        invoice.with_user(self.rpc_user).action_post()
        self.assertTrue(invoice.payment_reference)
        self.assertEqual(len(invoice.payment_reference), 15)
