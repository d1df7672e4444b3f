import tempfile
from pathlib import Path

from nofaktura.bank.testing import local_sftp_server

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import L10nNoBankCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestBankChannels(L10nNoBankCommon):
    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="l10n_no_bank_"))

    def test_folder_channel_imports_archives_and_moves_files(self):
        invoice = self.invoice(amount=90.0)
        (self.tmp / "ocr1.txt").write_bytes(self.ocr_file([(invoice.payment_reference, "90.00")]))
        (self.tmp / "junk.pdf").write_bytes(b"%PDF-1.4")
        self.bank_journal.write({"l10n_no_bank_channel": "folder", "l10n_no_bank_folder": str(self.tmp)})
        records = self.bank_journal._l10n_no_bank_poll()
        self.assertEqual(sorted(records.mapped("state")), ["done", "refused"])
        done = records.filtered(lambda r: r.state == "done")
        self.assertEqual((done.origin, done.count_created, done.count_matched), ("folder", 1, 1))
        self.assertTrue(done.attachment_id)
        refused = records.filtered(lambda r: r.state == "refused")
        self.assertIn("neither a Nets OCR giro file", refused.message)
        self.assertEqual(refused.attachment_id.raw, b"%PDF-1.4")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(sorted(p.name for p in (self.tmp / "processed").iterdir()), ["junk.pdf", "ocr1.txt"])
        self.assertFalse(self.bank_journal._l10n_no_bank_poll())
        self.assertIn("0 files imported", self.bank_journal.l10n_no_bank_poll_status)

    def test_folder_channel_same_file_again_and_resent_transactions(self):
        data = self.ocr_file([(None, "5.00")])
        self.bank_journal.write({"l10n_no_bank_channel": "folder", "l10n_no_bank_folder": str(self.tmp)})
        (self.tmp / "a.txt").write_bytes(data)
        self.assertEqual(self.bank_journal._l10n_no_bank_poll().state, "done")
        (self.tmp / "a-copy.txt").write_bytes(data)  # identical bytes: recognised and only moved away
        self.assertFalse(self.bank_journal._l10n_no_bank_poll())
        resent = self.ocr_file([(None, "5.00")], number="0000002")  # same transaction, new transmission
        (self.tmp / "b.txt").write_bytes(resent)
        record = self.bank_journal._l10n_no_bank_poll()
        self.assertEqual(record.state, "duplicate")
        self.assertIn("already imported", record.message)
        self.assertEqual(self.StLine.search_count([("journal_id", "=", self.bank_journal.id)]), 1)

    def test_sftp_channel_against_a_local_server(self):
        invoice = self.invoice(amount=321.0)
        inbox = self.tmp / "inbox"
        inbox.mkdir()
        (inbox / "camt.xml").write_bytes(self.camt_file([(invoice.payment_reference, "321.00")]))
        # The server thread logs the connection the client drops on a wrong host key.
        with mute_logger("paramiko.transport"), local_sftp_server(self.tmp) as server:
            self.bank_journal.write({
                "l10n_no_bank_channel": "sftp",
                "l10n_no_bank_sftp_host": server.host,
                "l10n_no_bank_sftp_port": server.port,
                "l10n_no_bank_sftp_username": server.username,
                "l10n_no_bank_sftp_password": server.password,
                "l10n_no_bank_sftp_host_key": server.host_key,
                "l10n_no_bank_sftp_directory": "inbox",
            })
            record = self.bank_journal._l10n_no_bank_poll()
            self.assertEqual((record.state, record.origin, record.count_matched), ("done", "sftp", 1))
            self.assertEqual(invoice.payment_state, "paid")
            self.assertTrue((inbox / "processed" / "camt.xml").exists())

            # A server with another host key is refused before anything is fetched.
            (inbox / "camt2.xml").write_bytes(self.camt_file([(None, "1.00")], message_id="M2"))
            self.bank_journal.l10n_no_bank_sftp_host_key = (
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
            )
            self.assertFalse(self.bank_journal._l10n_no_bank_poll())
            self.assertIn("different host key", self.bank_journal.l10n_no_bank_poll_status)
            self.assertTrue((inbox / "camt2.xml").exists())

    def test_cron_runs_every_channel(self):
        self.bank_journal.write({"l10n_no_bank_channel": "folder", "l10n_no_bank_folder": str(self.tmp)})
        (self.tmp / "x.txt").write_bytes(self.ocr_file([(None, "7.00")]))
        self.env["account.journal"]._cron_l10n_no_bank_poll()
        self.assertEqual(self.bank_journal.l10n_no_bank_import_ids.mapped("count_created"), [1])
