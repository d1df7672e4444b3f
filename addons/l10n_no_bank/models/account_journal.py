import hashlib
import logging
import re

from nofaktura.bank.channel import FolderSource, SftpSource
from nofaktura.exceptions import TransportError
from nofaktura.messages import text as nf_text

from odoo import api, fields, models

from .l10n_no_bank_import import AlreadyImported
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class AccountJournal(models.Model):
    """Bank journals: KID payment tolerance, and an optional channel that fetches bank files."""

    _inherit = "account.journal"

    l10n_no_bank_tolerance = fields.Monetary(
        string="KID payment tolerance",
        currency_field="currency_id",
        help="A payment by KID that differs from the open amount by no more than this is booked as paid in "
        "full; the difference goes to the journal's profit/loss account. 0 = exact amounts only.",
    )
    l10n_no_bank_channel = fields.Selection(
        [("none", "None (upload by hand)"), ("folder", "Local folder"), ("sftp", "SFTP server")],
        string="Bank file channel",
        default="none",
        required=True,
        help="Where OCR giro and camt files for this account are fetched from by the scheduled action.",
    )
    l10n_no_bank_folder = fields.Char(
        string="Folder", groups="base.group_system",
        help="Folder on the Odoo server; imported files are moved to its 'processed' subfolder.",
    )
    l10n_no_bank_sftp_host = fields.Char(string="SFTP host", groups="base.group_system")
    l10n_no_bank_sftp_port = fields.Integer(string="SFTP port", default=22, groups="base.group_system")
    l10n_no_bank_sftp_username = fields.Char(string="SFTP user", groups="base.group_system")
    l10n_no_bank_sftp_password = fields.Char(string="SFTP password", groups="base.group_system")
    # Char, not Text: only a Char input can be masked like a password in the form. A masked input drops
    # the key's line breaks when it is pasted; _l10n_no_bank_pem() puts them back before use.
    l10n_no_bank_sftp_private_key = fields.Char(
        string="SFTP private key", groups="base.group_system",
        help="OpenSSH/PEM private key, used instead of the password when set.",
    )
    l10n_no_bank_sftp_host_key = fields.Char(
        string="SFTP host key", groups="base.group_system",
        help="The server's public host key as one OpenSSH line ('ssh-ed25519 AAAA…'). Files are only fetched "
        "from a server presenting this key.",
    )
    l10n_no_bank_sftp_directory = fields.Char(string="SFTP directory", default=".", groups="base.group_system")
    l10n_no_bank_last_poll = fields.Datetime(string="Last fetched", readonly=True)
    l10n_no_bank_poll_status = fields.Char(string="Last fetch result", readonly=True)
    l10n_no_bank_import_ids = fields.One2many(
        "l10n_no.bank.import", "journal_id", string="Bank file imports",
        groups="account.group_account_readonly,account.group_account_user,account.group_account_manager",
    )

    @api.constrains("l10n_no_bank_tolerance")
    def _check_l10n_no_bank_tolerance(self):
        for journal in self:
            if journal.l10n_no_bank_tolerance < 0:
                raise ValidationError(
                    self.env._("The KID payment tolerance of %(journal)s cannot be negative.",
                               journal=journal.display_name)
                )

    def action_l10n_no_bank_import(self):
        """Open the upload wizard for this bank journal."""
        self.ensure_one()
        self.env["l10n_no.bank.import"]._l10n_no_bank_check_importer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import bank file"),
            "res_model": "l10n_no.bank.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_journal_id": self.id},
        }

    def action_l10n_no_bank_poll(self):
        """Fetch now (button on the journal)."""
        self.check_access("write")
        self._l10n_no_bank_poll()
        return True

    # ------------------------------------------------------------------------------------------
    # Channel
    # ------------------------------------------------------------------------------------------

    def _l10n_no_bank_source(self):
        """The library file source for this journal's channel (read with sudo: credentials are admin-only)."""
        self.ensure_one()
        journal = self.sudo()
        if journal.l10n_no_bank_channel == "folder":
            if not journal.l10n_no_bank_folder:
                raise UserError(self.env._("Journal %(journal)s has no folder set.", journal=self.display_name))
            return FolderSource(journal.l10n_no_bank_folder)
        if journal.l10n_no_bank_channel == "sftp":
            if not (journal.l10n_no_bank_sftp_host and journal.l10n_no_bank_sftp_username
                    and journal.l10n_no_bank_sftp_host_key):
                raise UserError(
                    self.env._("Journal %(journal)s needs an SFTP host, user and host key.", journal=self.display_name)
                )
            return SftpSource(
                journal.l10n_no_bank_sftp_host,
                port=journal.l10n_no_bank_sftp_port or 22,
                username=journal.l10n_no_bank_sftp_username,
                password=journal.l10n_no_bank_sftp_password or None,
                private_key=_l10n_no_bank_pem(journal.l10n_no_bank_sftp_private_key) or None,
                host_key=journal.l10n_no_bank_sftp_host_key,
                directory=journal.l10n_no_bank_sftp_directory or ".",
            )
        return None

    def _l10n_no_bank_poll(self):
        """Fetch and import every waiting file of each journal's channel; return the import records.

        Each file is imported all-or-nothing. A refused file is kept as a 'refused' import (so a person
        sees it) and moved out of the way like an imported one; a file already imported (same content)
        is only moved. Within a scheduled run every file is committed on its own.
        """
        Import = self.env["l10n_no.bank.import"]
        records = Import
        for journal in self.filtered(lambda j: j.type == "bank" and j.l10n_no_bank_channel != "none"):
            origin = journal.l10n_no_bank_channel
            imported = refused = 0
            try:
                source = journal._l10n_no_bank_source()
            except (TransportError, UserError) as exc:
                journal._l10n_no_bank_poll_done(self.env._("Cannot connect: %(error)s", error=nf_text(exc, self.env.lang)))
                continue
            try:
                for name in source.names():
                    data = source.read(name)
                    checksum = hashlib.sha256(data).hexdigest()
                    if Import.search_count([("journal_id", "=", journal.id), ("checksum", "=", checksum)], limit=1):
                        source.done(name)  # the very same file again: nothing to do
                        continue
                    try:
                        record = Import.with_company(journal.company_id)._l10n_no_bank_import(
                            data, name, journal=journal, origin=origin
                        )
                        imported += 1
                    except UserError as exc:
                        record = Import._l10n_no_bank_record_refused(data, name, journal, origin, nf_text(exc, self.env.lang))
                        if isinstance(exc, AlreadyImported):
                            record.sudo().state = "duplicate"
                        refused += 1
                    records |= record
                    source.done(name)
                    if self.env.context.get("cron_id"):
                        self.env["ir.cron"]._commit_progress(1)
            except TransportError as exc:
                journal._l10n_no_bank_poll_done(self.env._("Fetching failed: %(error)s", error=nf_text(exc, self.env.lang)))
                continue
            finally:
                source.close()
            journal._l10n_no_bank_poll_done(
                self.env._("%(imported)s files imported, %(refused)s refused or already imported.",
                           imported=imported, refused=refused)
            )
        return records

    def _l10n_no_bank_poll_done(self, status):
        self.write({"l10n_no_bank_last_poll": fields.Datetime.now(), "l10n_no_bank_poll_status": status})
        _logger.info("Bank file channel of %s: %s", self.display_name, status)

    @api.model
    def _cron_l10n_no_bank_poll(self):
        if "lang" not in self.env.context:  # a cron has no language: write notes in the company's
            return self.with_context(lang=self.env.company.partner_id.lang or self.env.user.lang)._cron_l10n_no_bank_poll()
        journals = self.search([("type", "=", "bank"), ("l10n_no_bank_channel", "!=", "none")])
        journals._l10n_no_bank_poll()


_PEM = re.compile(r"(-----BEGIN [A-Z0-9 ]+-----)(.*?)(-----END [A-Z0-9 ]+-----)", re.DOTALL)


def _l10n_no_bank_pem(key):
    """Give back a private key with its PEM line breaks, also when it was pasted into the masked field.

    A password input removes line breaks, so ``-----BEGIN … KEY-----`` armour and base64 body arrive on
    one line (or with spaces). The body is rewrapped at 64 characters; a key that already has line
    breaks, or whose armour carries headers (``Proc-Type:``), is returned as it is.
    """
    if not key or "\n" in key.strip():
        return key
    found = _PEM.search(key)
    if not found or ":" in found.group(2):
        return key
    body = "".join(found.group(2).split())
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "\n".join([found.group(1), *lines, found.group(3)]) + "\n"
