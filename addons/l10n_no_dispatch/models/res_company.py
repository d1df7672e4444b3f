import base64
import contextlib
import contextvars
import hashlib

from nofaktura.digipost import PRODUCTION_URL, TEST_URL, DigipostClient, SenderKey
from nofaktura.dispatch import ManifestFormat, PrintHouse, PrintHouseConfig
from nofaktura.exceptions import NofakturaError
from nofaktura.peppol.transports import LocalFilesystem, SftpFilesystem

from odoo import api, fields, models
from odoo.exceptions import UserError

#: Fields holding secrets: readable and writable by system administrators only, never logged.
SECRET_FIELDS = (
    "l10n_no_dispatch_digipost_key", "l10n_no_dispatch_digipost_key_password",
    "l10n_no_dispatch_print_sftp_password", "l10n_no_dispatch_print_sftp_host_key",
)

#: The Digipost clients of the batch being worked (a drain batch of the cron, an enqueue), by company and
#: settings; None outside a batch. A context variable, so each worker thread has its own.
_DIGIPOST_CLIENTS = contextvars.ContextVar("l10n_no_dispatch_digipost_clients", default=None)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Digipost
    l10n_no_dispatch_digipost_user_id = fields.Char(
        string="Digipost sender id", help="The numeric sender (organisation) id from Digipost for business.")
    l10n_no_dispatch_digipost_environment = fields.Selection(
        [("test", "Test (qa.api.digipost.no)"), ("production", "Production")],
        string="Digipost environment", default="test", required=True)
    l10n_no_dispatch_digipost_key = fields.Binary(
        string="Digipost certificate (PKCS#12)", groups="base.group_system", copy=False, attachment=True)
    l10n_no_dispatch_digipost_key_password = fields.Char(
        string="Digipost certificate password", groups="base.group_system", copy=False)
    l10n_no_dispatch_digipost_print = fields.Boolean(
        string="Digipost prints when there is no mailbox", default=True,
        help="Send to Digipost with print details, so a recipient without a mailbox gets a letter.")
    l10n_no_dispatch_digipost_print_unread_days = fields.Integer(
        string="Print if unread after (days)", default=0, help="0: never print a letter that reached a mailbox.")
    # Print house
    l10n_no_dispatch_print_transport = fields.Selection(
        [("folder", "Folder (local or mounted path)"), ("sftp", "SFTP")], string="Print house transport")
    l10n_no_dispatch_print_folder = fields.Char(string="Print house folder")
    l10n_no_dispatch_print_sftp_host = fields.Char(string="Print house SFTP host")
    l10n_no_dispatch_print_sftp_port = fields.Integer(string="Print house SFTP port", default=22)
    l10n_no_dispatch_print_sftp_username = fields.Char(string="Print house SFTP user")
    l10n_no_dispatch_print_sftp_password = fields.Char(
        string="Print house SFTP password", groups="base.group_system", copy=False)
    l10n_no_dispatch_print_sftp_host_key = fields.Text(
        string="Print house SFTP host key", groups="base.group_system", copy=False,
        help="The server's public key as in known_hosts ('ssh-ed25519 AAAA...'); unknown keys are refused.")
    l10n_no_dispatch_print_directory = fields.Char(string="Print house upload directory", default=".")
    l10n_no_dispatch_print_manifest = fields.Selection(
        [("csv", "CSV"), ("xml", "XML")], string="Print manifest", default="csv", required=True)
    l10n_no_dispatch_print_prefix = fields.Char(string="Print file name prefix")
    # Queue
    l10n_no_dispatch_max_attempts = fields.Integer(
        string="Dispatch tries", default=6, help="Tries before a send that can pass later is given up.")

    # -------------------------------------------------------------------------
    # Clients for the channels (the secrets are read as superuser, handed to the library, never logged)
    # -------------------------------------------------------------------------

    def _l10n_no_dispatch_digipost_configured(self):
        self.ensure_one()
        company = self.sudo()
        return bool(company.l10n_no_dispatch_digipost_user_id and company.l10n_no_dispatch_digipost_key)

    def _l10n_no_dispatch_digipost_transport(self):
        """The httpx transport for Digipost: None (the network). Tests replace it with the fake's."""
        return None

    def _l10n_no_dispatch_digipost_client(self):
        """A ``DigipostClient`` for this company (use it as a context manager)."""
        self.ensure_one()
        company = self.sudo()
        if not company._l10n_no_dispatch_digipost_configured():
            raise UserError(self.env._("Digipost is not set up for %(company)s.", company=self.name))
        try:
            key = SenderKey.from_pkcs12(base64.b64decode(company.l10n_no_dispatch_digipost_key),
                                        company.l10n_no_dispatch_digipost_key_password or None)
            return DigipostClient(
                company.l10n_no_dispatch_digipost_user_id.strip(), key,
                base_url=PRODUCTION_URL if company.l10n_no_dispatch_digipost_environment == "production" else TEST_URL,
                transport=self._l10n_no_dispatch_digipost_transport(),
            )
        except (NofakturaError, ValueError, TypeError) as exc:
            raise UserError(self.env._("The Digipost settings of %(company)s cannot be used: %(error)s",
                                       company=self.name, error=str(exc))) from exc

    @api.model
    @contextlib.contextmanager
    def _l10n_no_dispatch_digipost_batch(self):
        """Within this block each company's Digipost client is made once and shared (see
        ``_l10n_no_dispatch_digipost_session``), and closed at the end.

        Why: a client loads the PKCS#12 certificate and fetches Digipost's entry point (its certificate) when
        made; per job that was most of a Digipost send. A nested block uses the outer one's clients.
        """
        if _DIGIPOST_CLIENTS.get() is not None:
            yield
            return
        clients = {}
        token = _DIGIPOST_CLIENTS.set(clients)
        try:
            yield
        finally:
            _DIGIPOST_CLIENTS.reset(token)
            for client in clients.values():
                client.close()

    @contextlib.contextmanager
    def _l10n_no_dispatch_digipost_session(self):
        """A Digipost client of this company for one call: inside ``_l10n_no_dispatch_digipost_batch`` the
        batch's client for the company's current Digipost settings, else a new one closed after use."""
        self.ensure_one()
        clients = _DIGIPOST_CLIENTS.get()
        if clients is None:
            with self._l10n_no_dispatch_digipost_client() as client:
                yield client
            return
        company = self.sudo()
        settings = hashlib.sha256(repr((
            company.l10n_no_dispatch_digipost_user_id, company.l10n_no_dispatch_digipost_environment,
            company.l10n_no_dispatch_digipost_key, company.l10n_no_dispatch_digipost_key_password,
        )).encode()).hexdigest()  # a changed certificate or sender id gets its own client
        key = (self.env.cr.dbname, company.id, settings)
        if key not in clients:
            clients[key] = self._l10n_no_dispatch_digipost_client()
        yield clients[key]

    def _l10n_no_dispatch_print_filesystem(self):
        """Where the print house takes its batches: a local folder or an SFTP server."""
        self.ensure_one()
        company = self.sudo()
        if company.l10n_no_dispatch_print_transport == "folder":
            if not company.l10n_no_dispatch_print_folder:
                raise UserError(self.env._("The print house folder of %(company)s is not set.", company=self.name))
            return LocalFilesystem(company.l10n_no_dispatch_print_folder)
        if company.l10n_no_dispatch_print_transport == "sftp":
            if not (company.l10n_no_dispatch_print_sftp_host and company.l10n_no_dispatch_print_sftp_username):
                raise UserError(self.env._("The print house SFTP server of %(company)s needs a host and a user.",
                                           company=self.name))
            return SftpFilesystem(
                host=company.l10n_no_dispatch_print_sftp_host,
                port=company.l10n_no_dispatch_print_sftp_port or 22,
                username=company.l10n_no_dispatch_print_sftp_username,
                password=company.l10n_no_dispatch_print_sftp_password or None,
                host_key=self.env["l10n_no_ehf.access.point"]._l10n_no_ehf_parse_host_key(
                    company.l10n_no_dispatch_print_sftp_host_key),
                root=".",
            )
        raise UserError(self.env._("No print house is set up for %(company)s.", company=self.name))

    def _l10n_no_dispatch_print_house(self):
        """A nofaktura ``PrintHouse`` with this company's settings."""
        self.ensure_one()
        company = self.sudo()
        try:
            config = PrintHouseConfig(
                directory=company.l10n_no_dispatch_print_directory or ".",
                manifest=ManifestFormat(company.l10n_no_dispatch_print_manifest or "csv"),
                prefix=company.l10n_no_dispatch_print_prefix or "",
            )
        except NofakturaError as exc:
            raise UserError(self.env._("The print house settings of %(company)s cannot be used: %(error)s",
                                       company=self.name, error=str(exc))) from exc
        return PrintHouse(self._l10n_no_dispatch_print_filesystem(), config)

    def _l10n_no_dispatch_return_address(self):
        """The company's address for Digipost print (return address)."""
        self.ensure_one()
        return self.partner_id._l10n_no_dispatch_postal_address()
