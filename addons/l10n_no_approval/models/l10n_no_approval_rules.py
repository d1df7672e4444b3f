from odoo import api, fields, models
from odoo.exceptions import ValidationError


class L10nNoApprovalAuthority(models.Model):
    """One person's delegated authority in a matrix: attest or anvis, at a level, up to a limit."""

    _name = "l10n.no.approval.authority"
    _description = "Approval authority (who may attest or anvis, up to which amount)"
    _check_company_auto = True
    _order = "role, level, limit_amount, id"

    matrix_id = fields.Many2one("l10n.no.approval.matrix", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="matrix_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", required=True, check_company=True, domain="[('share', '=', False)]", string="Person"
    )
    role = fields.Selection([("attest", "Attest"), ("anvis", "Anvis")], required=True, default="anvis")
    level = fields.Integer(default=1, required=True)
    limit_amount = fields.Monetary(string="Limit", help="Highest bill total this person may act on. 0 = no limit.")

    @api.constrains("level", "limit_amount")
    def _check_values(self):
        for authority in self:
            if authority.level < 1 or authority.limit_amount < 0:
                raise ValidationError(self.env._("Levels start at 1 and limits cannot be negative."))


class L10nNoApprovalAttestant(models.Model):
    """Who attests the bills of a vendor, or of a department or project (an analytic account)."""

    _name = "l10n.no.approval.attestant"
    _description = "Attestant per vendor or dimension"
    _check_company_auto = True

    matrix_id = fields.Many2one("l10n.no.approval.matrix", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="matrix_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [("vendor", "Vendor"), ("dimension", "Department / project")], required=True, default="vendor"
    )
    partner_id = fields.Many2one("res.partner", string="Vendor", check_company=True)
    analytic_account_id = fields.Many2one(
        "account.analytic.account", string="Department / project", check_company=True
    )
    user_id = fields.Many2one(
        "res.users", required=True, check_company=True, domain="[('share', '=', False)]", string="Attestant"
    )

    @api.constrains("kind", "partner_id", "analytic_account_id")
    def _check_key(self):
        for rule in self:
            if (rule.kind == "vendor") != bool(rule.partner_id) or (rule.kind == "dimension") != bool(
                rule.analytic_account_id
            ):
                raise ValidationError(
                    self.env._("An attestant rule names a vendor or a department/project, matching its kind.")
                )


class L10nNoApprovalSubstitute(models.Model):
    """A substitute (stedfortreder) acts for a person during a date range; steps go back after it."""

    _name = "l10n.no.approval.substitute"
    _description = "Approval substitute for a period"
    _check_company_auto = True
    _order = "date_from desc, id desc"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one(
        "res.users", required=True, check_company=True, default=lambda self: self.env.user, string="Away"
    )
    substitute_id = fields.Many2one(
        "res.users", required=True, check_company=True, domain="[('share', '=', False)]"
    )
    date_from = fields.Date(required=True, default=fields.Date.context_today)
    date_to = fields.Date(required=True)
    note = fields.Char()

    @api.constrains("user_id", "substitute_id", "date_from", "date_to")
    def _check_period(self):
        for sub in self:
            if sub.user_id == sub.substitute_id:
                raise ValidationError(self.env._("A person cannot be their own substitute."))
            if sub.date_to < sub.date_from:
                raise ValidationError(self.env._("The substitution cannot end before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._refresh_open_reviews()
        return records

    def write(self, vals):
        result = super().write(vals)
        self._refresh_open_reviews()
        return result

    def _refresh_open_reviews(self):
        """Pending steps move to the substitute now (and back when the cron sees the period end)."""
        moves = self.env["account.move"].sudo().search([
            ("company_id", "in", self.company_id.ids),
            ("validation_status", "in", ("waiting", "pending")),
        ])
        moves._l10n_no_refresh_reviewers()
        return True
