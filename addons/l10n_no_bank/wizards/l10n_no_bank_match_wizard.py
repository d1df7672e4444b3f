from odoo import api, fields, models


class L10nNoBankMatchWizard(models.TransientModel):
    """Match a payment that did not match by KID to open invoices, by hand."""

    _name = "l10n_no.bank.match.wizard"
    _description = "Match a bank payment to invoices"

    st_line_id = fields.Many2one("account.bank.statement.line", string="Payment", required=True, readonly=True)
    company_id = fields.Many2one(related="st_line_id.company_id")
    amount = fields.Monetary(related="st_line_id.amount", currency_field="currency_id")
    currency_id = fields.Many2one(related="st_line_id.currency_id")
    kid = fields.Char(related="st_line_id.l10n_no_bank_kid")
    reason = fields.Selection(related="st_line_id.l10n_no_bank_reason")
    partner_id = fields.Many2one("res.partner", string="Customer", compute="_compute_partner_id", store=True,
                                 readonly=False)
    invoice_ids = fields.Many2many(
        "account.move", string="Invoices",
        compute="_compute_invoice_ids", store=True, readonly=False,
        help="Proposed: the customer's one open invoice of exactly the payment's amount. Change it as needed.",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial')), ('company_id', '=', company_id), "
        "('commercial_partner_id', '=?', partner_id)]",
    )

    @api.depends("st_line_id")
    def _compute_partner_id(self):
        for wizard in self:
            wizard.partner_id = wizard.st_line_id.partner_id.commercial_partner_id

    @api.depends("partner_id")
    def _compute_invoice_ids(self):
        """Propose the customer's open invoice of exactly this amount when there is just one (a payment with
        a mistyped KID usually pays one invoice in full): one tap to match on a phone."""
        for wizard in self:
            if not wizard.partner_id or not wizard.st_line_id:
                wizard.invoice_ids = False
                continue
            candidates = self.env["account.move"].search([
                ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")), ("company_id", "=", wizard.company_id.id),
                ("commercial_partner_id", "=", wizard.partner_id.commercial_partner_id.id),
            ])
            currency = wizard.currency_id or wizard.company_id.currency_id
            exact = candidates.filtered(lambda m, w=wizard: not currency.compare_amounts(m.amount_residual, w.amount))
            wizard.invoice_ids = exact if len(exact) == 1 else False

    def action_match(self):
        self.ensure_one()
        self.st_line_id._l10n_no_bank_match_invoices(self.invoice_ids)
        return {"type": "ir.actions.act_window_close"}
