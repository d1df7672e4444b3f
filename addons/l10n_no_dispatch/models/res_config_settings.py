from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_no_dispatch_digipost_user_id = fields.Char(related="company_id.l10n_no_dispatch_digipost_user_id", readonly=False)
    l10n_no_dispatch_digipost_environment = fields.Selection(
        related="company_id.l10n_no_dispatch_digipost_environment", readonly=False)
    l10n_no_dispatch_digipost_key = fields.Binary(
        related="company_id.l10n_no_dispatch_digipost_key", readonly=False, groups="base.group_system")
    l10n_no_dispatch_digipost_key_password = fields.Char(
        related="company_id.l10n_no_dispatch_digipost_key_password", readonly=False, groups="base.group_system")
    l10n_no_dispatch_digipost_print = fields.Boolean(related="company_id.l10n_no_dispatch_digipost_print", readonly=False)
    l10n_no_dispatch_digipost_print_unread_days = fields.Integer(
        related="company_id.l10n_no_dispatch_digipost_print_unread_days", readonly=False)
    l10n_no_dispatch_print_transport = fields.Selection(
        related="company_id.l10n_no_dispatch_print_transport", readonly=False)
    l10n_no_dispatch_print_folder = fields.Char(related="company_id.l10n_no_dispatch_print_folder", readonly=False)
    l10n_no_dispatch_print_sftp_host = fields.Char(related="company_id.l10n_no_dispatch_print_sftp_host", readonly=False)
    l10n_no_dispatch_print_sftp_port = fields.Integer(related="company_id.l10n_no_dispatch_print_sftp_port", readonly=False)
    l10n_no_dispatch_print_sftp_username = fields.Char(
        related="company_id.l10n_no_dispatch_print_sftp_username", readonly=False)
    l10n_no_dispatch_print_sftp_password = fields.Char(
        related="company_id.l10n_no_dispatch_print_sftp_password", readonly=False, groups="base.group_system")
    l10n_no_dispatch_print_sftp_host_key = fields.Text(
        related="company_id.l10n_no_dispatch_print_sftp_host_key", readonly=False, groups="base.group_system")
    l10n_no_dispatch_print_directory = fields.Char(related="company_id.l10n_no_dispatch_print_directory", readonly=False)
    l10n_no_dispatch_print_manifest = fields.Selection(related="company_id.l10n_no_dispatch_print_manifest", readonly=False)
    l10n_no_dispatch_print_prefix = fields.Char(related="company_id.l10n_no_dispatch_print_prefix", readonly=False)
    l10n_no_dispatch_max_attempts = fields.Integer(related="company_id.l10n_no_dispatch_max_attempts", readonly=False)
