import base64

from odoo.tests import HttpCase, new_test_user, tagged

from .common import L10nNoBankCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestBankImportOverXmlRpc(L10nNoBankCommon, HttpCase):
    """The import and the matching live in model methods: an accountant gets the same result over XML-RPC."""

    def test_import_over_xmlrpc(self):
        new_test_user(self.env, login="bank_rpc", password="bank_rpc_pw", groups="account.group_account_user",
                      company_id=self.company.id, company_ids=[(6, 0, self.company.ids)])
        invoice = self.invoice(amount=120.0)
        data = base64.b64encode(self.ocr_file([(invoice.payment_reference, "120.00")])).decode()
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "bank_rpc", "bank_rpc_pw", {})
        summary = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "bank_rpc_pw", "l10n_no.bank.import", "l10n_no_bank_import_file",
            ["rpc.txt", data, self.bank_journal.id],
        )
        self.assertEqual((summary["created"], summary["reconciled"]), (1, 1))
        invoice.invalidate_recordset()
        self.assertEqual(invoice.payment_state, "paid")
