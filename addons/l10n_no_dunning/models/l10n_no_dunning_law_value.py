from datetime import timedelta
from decimal import Decimal

from markupsafe import Markup
from nofaktura.dunning import LawOverrides
from nofaktura.dunning.tables import PLAUSIBLE_RANGES, TABLES, ImplausibleLawValue, check_plausible
from nofaktura.exceptions import LawTableError

from odoo import api, fields, models

#: How far ahead the daily check looks for a law value the library and the company both lack.
LOOK_AHEAD_DAYS = 30
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

    @api.constrains("law_table", "value")
    def _check_plausible(self):
        """A mistyped value (125 for 12.5) would be charged to every debtor: refuse it here."""
        for rec in self:
            try:
                check_plausible(rec.law_table, Decimal(f"{rec.value:.2f}"))
            except ImplausibleLawValue as exc:
                low, high = PLAUSIBLE_RANGES[rec.law_table]
                raise ValidationError(self.env._(
                    "%(value)s is not a plausible %(table)s: it must lie between %(low)s and %(high)s.",
                    value=rec.value,
                    table=dict(self._fields["law_table"]._description_selection(self.env))[rec.law_table],
                    low=low,
                    high=high,
                )) from exc

    @api.model
    def _l10n_no_dunning_missing(self, company, day):
        """Law tables with no value (library or company) for ``day``: [(table, period start)]."""
        overrides = company.l10n_no_dunning_law_value_ids._l10n_no_dunning_overrides()
        missing = []
        for name, table in TABLES.items():
            try:
                table.lookup(day, overrides)
            except LawTableError:
                missing.append((name, table.period(day).start))
        return missing

    @api.model
    def _cron_l10n_no_dunning_check_law_values(self):
        """Daily: tell the accounting administrators of each company, once per missing value, that a law
        value of the period starting within LOOK_AHEAD_DAYS is unknown, before runs start skipping claims."""
        if "lang" not in self.env.context:  # a cron has no language: write notes in the company's
            return self.with_context(lang=self.env.company.partner_id.lang or self.env.user.lang)._cron_l10n_no_dunning_check_law_values()
        today = fields.Date.context_today(self)
        manager_group = self.env.ref("account.group_account_manager")
        selection = dict(self._fields["law_table"]._description_selection(self.env))
        for company in self.env["res.company"].search([("active", "=", True)]):
            alerted = set(filter(None, (company.l10n_no_dunning_law_alerts or "").split(",")))
            new = []
            for day in (today, today + timedelta(days=LOOK_AHEAD_DAYS)):
                for name, start in self._l10n_no_dunning_missing(company, day):
                    key = f"{name}:{start.isoformat()}"
                    if key not in alerted and key not in {k for k, _ in new}:
                        new.append((key, self.env._(
                            "%(table)s for the period starting %(start)s", table=selection[name], start=start
                        )))
            if not new:
                continue
            managers = manager_group.all_user_ids.filtered(
                lambda u, c=company: c in u.company_ids and not u.share and u.active and not u._is_public()
            )
            if managers:
                body = Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._(
                        "%(company)s: the dunning law tables have no value for the following. Until it is entered "
                        "under Dunning > Law values, dunning runs skip every claim that needs it.",
                        company=company.name,
                    ),
                    Markup().join(Markup("<li>%s</li>") % text for _key, text in new),
                )
                self.env["mail.thread"].sudo().message_notify(
                    partner_ids=managers.partner_id.ids,
                    subject=self.env._("Dunning: law value missing"),
                    body=body,
                )
            company.sudo().l10n_no_dunning_law_alerts = ",".join(sorted(alerted | {k for k, _ in new}))
        return True

    def _l10n_no_dunning_overrides(self):
        values = {"inkassosats": {}, "forsinkelsesrente": {}, "standardkompensasjon": {}}
        for rec in self:
            values[rec.law_table][rec.period_start] = Decimal(f"{rec.value:.2f}")
        return LawOverrides(**values)
