import io

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.l10n_no_bank.models.account_journal import _l10n_no_bank_pem

from .common import L10nNoBankCommon

SECRET_FIELDS = ("l10n_no_bank_sftp_password", "l10n_no_bank_sftp_private_key")


@tagged("post_install", "-at_install", "post_install_l10n")
class TestChannelCredentials(L10nNoBankCommon):
    def test_secrets_are_masked_in_the_journal_form(self):
        arch = self.env["account.journal"].get_views([(False, "form")])["views"]["form"]["arch"]
        tree = etree.fromstring(arch)
        for name in SECRET_FIELDS:
            nodes = tree.xpath(f"//field[@name='{name}']")
            self.assertTrue(nodes, name)
            self.assertEqual(nodes[0].get("password"), "True", name)

    def test_secrets_are_not_readable_by_an_accounting_administrator_over_rpc(self):
        self.bank_journal.sudo().write({"l10n_no_bank_sftp_private_key": "secret", "l10n_no_bank_sftp_password": "pw"})
        user = new_test_user(self.env, login="acc_admin_no_system", groups="account.group_account_manager",
                             company_id=self.company.id, company_ids=[self.company.id])
        for name in SECRET_FIELDS:
            self.assertEqual(self.env["account.journal"]._fields[name].groups, "base.group_system")
            with self.assertRaises(AccessError):
                self.bank_journal.with_user(user).read([name])
        self.assertNotIn(SECRET_FIELDS[1], self.env["account.journal"].with_user(user).fields_get())

    def test_a_key_pasted_into_the_masked_field_is_usable(self):
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
        ).decode()
        # a password input drops the line breaks of what is pasted into it
        pasted = pem.replace("\n", "")
        with self.assertRaises(paramiko.SSHException):
            paramiko.Ed25519Key.from_private_key(io.StringIO(pasted))
        self.bank_journal.sudo().l10n_no_bank_sftp_private_key = pasted
        stored = self.bank_journal.sudo().l10n_no_bank_sftp_private_key
        key = paramiko.Ed25519Key.from_private_key(io.StringIO(_l10n_no_bank_pem(stored)))
        original = paramiko.Ed25519Key.from_private_key(io.StringIO(pem))
        self.assertEqual(key.get_base64(), original.get_base64())
        self.assertEqual(_l10n_no_bank_pem(pem), pem)
