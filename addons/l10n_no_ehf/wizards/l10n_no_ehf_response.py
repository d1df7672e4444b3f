from nofaktura.peppol.invoice_response import ACTION_CODES, REASON_CODES

from odoo import fields, models


class L10nNoEhfResponseWizard(models.TransientModel):
    """Reject a received EHF with a Peppol Invoice Response (code RE), saying why."""

    _name = "l10n_no_ehf.response.wizard"
    _description = "Reject received EHF"

    move_id = fields.Many2one("account.move", required=True)
    reason_code = fields.Selection(
        [(code, label) for code, label in REASON_CODES.items() if code not in ("NON", "PPD")],
        required=True, default="REF",
    )
    action_code = fields.Selection(list(ACTION_CODES.items()), default="NIN")
    reason = fields.Text(required=True, help="What the seller should know; it is sent to them.")

    def action_send(self):
        self.ensure_one()
        self.move_id._l10n_no_ehf_send_response("RE", self.reason_code, self.reason, self.action_code)
        return {"type": "ir.actions.act_window_close"}
