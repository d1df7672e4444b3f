import base64

from odoo import api, fields, models


class L10nNoBankImportWizard(models.TransientModel):
    """Upload a Nets OCR giro or camt.053/054 file into a bank journal (format detected from the content)."""

    _name = "l10n_no.bank.import.wizard"
    _description = "Import a bank file (OCR giro / camt)"

    journal_id = fields.Many2one(
        "account.journal", string="Bank journal", required=True,
        domain="[('type', '=', 'bank')]",
        default=lambda self: self._default_journal_id(),
    )
    data_file = fields.Binary(string="Bank file", required=True, attachment=False)
    filename = fields.Char()

    @api.model
    def _default_journal_id(self):
        """The journal the wizard was opened from (its form, its dashboard card or the Action menu of the
        journals), else the company's only bank journal; never another company's."""
        context = self.env.context
        Journal = self.env["account.journal"]
        journal = Journal
        if context.get("default_journal_id"):
            journal = Journal.browse(context["default_journal_id"])
        elif context.get("active_model") == "account.journal" and context.get("active_id"):
            journal = Journal.browse(context["active_id"])
        elif context.get("active_model") == "account.bank.statement.line" and context.get("active_id"):
            journal = self.env["account.bank.statement.line"].browse(context["active_id"]).journal_id
        journal = journal.exists().filtered(lambda j: j.type == "bank" and j.company_id in self.env.companies)
        if not journal:
            banks = Journal.search([("type", "=", "bank"), ("company_id", "in", self.env.companies.ids)], limit=2)
            journal = banks if len(banks) == 1 else Journal
        return journal.id

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
