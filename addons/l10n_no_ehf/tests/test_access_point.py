import paramiko

from nofaktura.peppol.transports import FolderExchange, StorecoveAccessPoint

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import L10nNoEhfCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestAccessPoint(L10nNoEhfCommon):
    def test_transport_per_type_and_credentials_never_shown(self):
        key = paramiko.RSAKey.generate(1024)
        ap = self.access_point
        ap.write({
            "transport_type": "sftp", "sftp_host": "sftp.ap.example", "sftp_username": "odoo",
            "sftp_password": "hemmelig-passord", "sftp_host_key": f"{key.get_name()} {key.get_base64()}",
        })
        transport = ap._l10n_no_ehf_transport()
        self.assertIsInstance(transport, FolderExchange)
        self.assertEqual(transport.fs._host_key, key)
        self.assertNotIn("hemmelig-passord", repr(transport))
        ap.write({"transport_type": "storecove", "storecove_legal_entity_id": 4711, "storecove_api_key": "sk-live-123"})
        transport = ap._l10n_no_ehf_transport()
        self.assertIsInstance(transport, StorecoveAccessPoint)
        self.assertNotIn("sk-live-123", repr(transport))
        transport.close()

    def test_bad_host_key_and_missing_settings_are_refused(self):
        ap = self.access_point
        with self.assertRaises(UserError):
            ap._l10n_no_ehf_parse_host_key("ssh-ed25519 not-base64!")
        with self.assertRaises(ValidationError):
            ap.write({"transport_type": "folder", "folder_path": False})
        with self.assertRaises(ValidationError):
            ap.write({"transport_type": "storecove", "storecove_legal_entity_id": 0})

    def test_only_system_administrators_read_credentials(self):
        self.access_point.sudo().sftp_password = "hemmelig"
        accountant = new_test_user(
            self.env, login="regnskap", groups="account.group_account_manager", company_id=self.company.id,
        )
        ap = self.access_point.with_user(accountant)
        self.assertEqual(ap.name, "Test AP")
        with self.assertRaises(AccessError):
            ap.read(["sftp_password"])
        with self.assertRaises(AccessError):
            ap.write({"name": "Changed"})

    def test_record_rules_keep_companies_apart(self):
        other = self.setup_other_company()["company"]
        foreign = self.env["l10n_no_ehf.access.point"].create({"name": "Other AP", "company_id": other.id})
        user = new_test_user(self.env, login="bruker", groups="account.group_account_invoice",
                             company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        visible = self.env["l10n_no_ehf.access.point"].with_user(user).search([])
        self.assertIn(self.access_point, visible)
        self.assertNotIn(foreign, visible)
