import base64
import binascii

import paramiko

from nofaktura.exceptions import TransportError
from nofaktura.messages import text as nf_text
from nofaktura.peppol.lookup import SML_PRODUCTION, SML_TEST
from nofaktura.peppol.transports import FolderExchange, LocalFilesystem, SftpFilesystem, StorecoveAccessPoint
from nofaktura.peppol.transports.storecove import BASE_URL as STORECOVE_BASE_URL

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.memory import reset_memory_access_point, shared_memory_access_point

TRANSPORT_TYPES = [
    ("memory", "In-memory fake (demo and tests)"),
    ("folder", "Folder exchange (local or mounted path)"),
    ("sftp", "SFTP exchange"),
    ("storecove", "Storecove REST API"),
]
SECRET_FIELDS = ("sftp_password", "sftp_host_key", "storecove_api_key")


class L10nNoEhfAccessPoint(models.Model):
    """The access point (service provider) a company sends and receives EHF through.

    Credentials are stored here, per company, in fields only system administrators can read; they
    are handed to the library transport, whose ``repr`` hides them, and never logged or tracked.
    """

    _name = "l10n_no_ehf.access.point"
    _description = "EHF access point"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    transport_type = fields.Selection(TRANSPORT_TYPES, required=True, default="memory")
    sml_zone = fields.Selection(
        [("production", "Production SML"), ("test", "Test SML")],
        string="Peppol network",
        required=True,
        default="production",
        help="Which Peppol SML answers the question 'can this customer receive EHF?'.",
    )
    folder_path = fields.Char(help="Directory holding the outbox, inbox and receipts directories.")
    sftp_host = fields.Char(string="SFTP host")
    sftp_port = fields.Integer(string="SFTP port", default=22)
    sftp_username = fields.Char(string="SFTP user")
    sftp_root = fields.Char(string="SFTP directory", default=".")
    sftp_password = fields.Char(string="SFTP password", groups="base.group_system", copy=False)
    sftp_host_key = fields.Text(
        string="SFTP host key",
        groups="base.group_system",
        copy=False,
        help="The server's public key as in known_hosts ('ssh-ed25519 AAAA...'); unknown keys are refused.",
    )
    storecove_base_url = fields.Char(string="Storecove API URL", default=STORECOVE_BASE_URL)
    storecove_legal_entity_id = fields.Integer(string="Storecove legal entity")
    storecove_api_key = fields.Char(string="Storecove API key", groups="base.group_system", copy=False)
    batch_size = fields.Integer(default=50, help="Documents sent or fetched per cron batch.")
    max_attempts = fields.Integer(default=6, help="Tries before a send that can pass later is given up.")
    receive = fields.Boolean(string="Fetch incoming documents", default=True)
    purchase_journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', '=', 'purchase')]",
        help="Journal for vendor bills created from received EHF; the first purchase journal if empty.",
    )

    _check_batch = models.Constraint("CHECK(batch_size > 0 AND max_attempts > 0)", "Batch size and tries must be positive.")

    @api.constrains("transport_type", "folder_path", "sftp_host", "sftp_username", "storecove_legal_entity_id")
    def _check_configuration(self):
        for ap in self:
            if ap.transport_type == "folder" and not ap.folder_path:
                raise ValidationError(self.env._("The folder exchange needs a directory."))
            if ap.transport_type == "sftp" and not (ap.sftp_host and ap.sftp_username):
                raise ValidationError(self.env._("The SFTP exchange needs a host and a user."))
            if ap.transport_type == "storecove" and not ap.storecove_legal_entity_id:
                raise ValidationError(self.env._("Storecove needs the id of your legal entity at Storecove."))

    def _l10n_no_ehf_sml_zone(self):
        self.ensure_one()
        return SML_TEST if self.sml_zone == "test" else SML_PRODUCTION

    def _l10n_no_ehf_memory(self):
        """The shared in-memory access point of this record (demo mode and tests)."""
        self.ensure_one()
        return shared_memory_access_point(self.env.cr.dbname, self.id)

    def _l10n_no_ehf_reset_memory(self):
        self.ensure_one()
        reset_memory_access_point(self.env.cr.dbname, self.id)

    def _l10n_no_ehf_transport(self):
        """A library transport for this access point. Use it as a context manager."""
        self.ensure_one()
        ap = self.sudo()
        if ap.transport_type == "memory":
            return self._l10n_no_ehf_memory()
        if ap.transport_type == "folder":
            return FolderExchange(LocalFilesystem(ap.folder_path))
        if ap.transport_type == "sftp":
            return FolderExchange(
                SftpFilesystem(
                    host=ap.sftp_host,
                    port=ap.sftp_port or 22,
                    username=ap.sftp_username,
                    password=ap.sftp_password or None,
                    host_key=self._l10n_no_ehf_parse_host_key(ap.sftp_host_key),
                    root=ap.sftp_root or ".",
                )
            )
        if ap.transport_type == "storecove":
            if not ap.storecove_api_key:
                raise UserError(self.env._("The Storecove API key of access point %(name)s is missing.", name=ap.name))
            return StorecoveAccessPoint(
                api_key=ap.storecove_api_key,
                legal_entity_id=ap.storecove_legal_entity_id,
                base_url=ap.storecove_base_url or STORECOVE_BASE_URL,
            )
        raise UserError(self.env._("Unknown transport type %(type)s.", type=ap.transport_type))

    @api.model
    def _l10n_no_ehf_parse_host_key(self, text):
        """A ``paramiko.PKey`` from a known_hosts style line ("<type> <base64>"), or None."""
        if not text or not text.strip():
            return None
        parts = text.split()
        if len(parts) < 2:
            raise UserError(self.env._("The SFTP host key must look like 'ssh-ed25519 AAAA...'."))
        try:
            return paramiko.PKey.from_type_string(parts[0], base64.b64decode(parts[1]))
        except (binascii.Error, ValueError, paramiko.SSHException) as exc:
            raise UserError(self.env._("The SFTP host key cannot be read: %(error)s", error=nf_text(exc, self.env.lang))) from exc

    def action_l10n_no_ehf_test_connection(self):
        """Fetch the inbox once, to prove the credentials work (nothing is acknowledged).

        The call uses the stored secret key, so only a settings administrator (base.group_system,
        the group that may read and change those keys) of the access point's own company may make it.
        """
        self.ensure_one()
        if not self.env.is_superuser() and not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators may test an EHF access point connection."))
        # ACL and the multi-company rule: an access point of a company the user is not in is refused.
        self.check_access("write")
        try:
            with self._l10n_no_ehf_transport() as transport:
                waiting = len(transport.fetch_incoming())
        except TransportError as exc:
            raise UserError(self.env._("The access point could not be reached: %(error)s", error=nf_text(exc, self.env.lang))) from exc
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Connection works; %(count)s document(s) waiting.", count=waiting),
            },
        }
