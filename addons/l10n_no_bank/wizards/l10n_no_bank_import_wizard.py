import base64

from odoo import fields, models


class L10nNoBankImportWizard(models.TransientModel):
    """Upload a Nets OCR giro or camt.053/054 file into a bank journal (format detected from the content)."""

    _name = "l10n_no.bank.import.wizard"
    _description = "Import a bank file (OCR giro / camt)"

    journal_id = fields.Many2one(
        "account.journal", string="Bank journal", required=True, domain="[('type', '=', 'bank')]",
        default=lambda self: self.env.context.get("default_journal_id"),
    )
    data_file = fields.Binary(string="Bank file", required=True, attachment=False)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        record = self.env["l10n_no.bank.import"]._l10n_no_bank_import(
            base64.b64decode(self.data_file), self.filename or "bank-file", journal=self.journal_id, origin="upload"
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "l10n_no.bank.import",
            "res_id": record.id,
            "view_mode": "form",
            "target": "current",
        }
