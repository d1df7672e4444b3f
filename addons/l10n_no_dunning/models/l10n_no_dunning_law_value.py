from decimal import Decimal

from nofaktura.dunning import LawOverrides

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class L10nNoDunningLawValue(models.Model):
    """A value the company supplies for a period the library's law tables do not know (e.g. the
    forsinkelsesrente of a new half-year before the library is updated). Never guessed: without it the
    planner reports the claim as "law value unknown"."""

    _name = "l10n_no.dunning.law.value"
    _description = "Dunning law value supplied by the company"
    _order = "law_table, period_start desc"

    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    law_table = fields.Selection(
        [
            ("inkassosats", "Inkassosats (NOK, per year)"),
            ("forsinkelsesrente", "Forsinkelsesrente (% p.a., per half-year)"),
            ("standardkompensasjon", "Standard compensation (NOK, per half-year)"),
        ],
        required=True,
    )
    period_start = fields.Date(required=True, help="1 January, or 1 July for the half-year values.")
    value = fields.Float(required=True, digits=(16, 2))
    source = fields.Char(help="Where the value comes from (forskrift, Lovdata reference).")

    _unique_period = models.Constraint(
        "UNIQUE(company_id, law_table, period_start)", "One value per company, table and period."
    )

    @api.constrains("law_table", "period_start")
    def _check_period_start(self):
        for rec in self:
            start = rec.period_start
            ok = start.day == 1 and (start.month == 1 or (start.month == 7 and rec.law_table != "inkassosats"))
            if not ok and rec.law_table == "inkassosats":
                raise ValidationError(self.env._("The inkassosats is set per year: its period starts on 1 January."))
            if not ok:
                raise ValidationError(self.env._("Half-year values start on 1 January or 1 July."))

    def _l10n_no_dunning_overrides(self):
        values = {"inkassosats": {}, "forsinkelsesrente": {}, "standardkompensasjon": {}}
        for rec in self:
            values[rec.law_table][rec.period_start] = Decimal(f"{rec.value:.2f}")
        return LawOverrides(**values)
