from decimal import Decimal

from nofaktura.dunning import DunningPolicy

from odoo import api, fields, models

# Norwegian presets: (sequence, name, nb name, kind, days, anchor, fee, interest, compensation, deadline,
# channel, active). Purring 14 days after due (the first day a fee is lawful), inkassovarsel by post
# after the purring's deadline (§ 9 / § 3a: post always satisfies the written-notice rule), then the
# hand-over to an agency. The creditor's own betalingsoppfordring (egeninkasso) is prepared but inactive.
DEFAULT_LEVELS = [
    (10, "Payment reminder", "Betalingspåminnelse", "soft_reminder", 3, "due_date", False, False, False, 7,
     "email", True),
    (20, "Reminder", "Purring", "reminder", 14, "due_date", True, True, False, 14, "email", True),
    (30, "Inkassovarsel", "Inkassovarsel", "inkassovarsel", 0, "previous", True, True, False, 14, "post", True),
    (40, "Betalingsoppfordring", "Betalingsoppfordring", "betalingsoppfordring", 0, "previous", True, True,
     False, 14, "post", False),
    (50, "Hand-over to debt collection", "Overlevering til inkasso", "handover", 0, "previous", False, True,
     False, 0, "post", True),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_no_dunning_level_ids = fields.One2many("l10n_no.dunning.level", "company_id", string="Dunning levels")
    l10n_no_dunning_fee_product_id = fields.Many2one(
        "product.product",
        string="Dunning fee product",
        default=lambda self: self.env.ref("l10n_no_dunning.product_dunning_fee", raise_if_not_found=False),
        help="Product (and so income account) of the reminder / collection fee lines of fee invoices.",
    )
    l10n_no_dunning_interest_product_id = fields.Many2one(
        "product.product",
        string="Late-payment interest product",
        default=lambda self: self.env.ref("l10n_no_dunning.product_dunning_interest", raise_if_not_found=False),
    )
    l10n_no_dunning_compensation_product_id = fields.Many2one(
        "product.product",
        string="B2B compensation product",
        default=lambda self: self.env.ref(
            "l10n_no_dunning.product_dunning_compensation", raise_if_not_found=False
        ),
    )
    l10n_no_dunning_fee_account_id = fields.Many2one(
        "account.account",
        string="Fee income account",
        check_company=True,
        help="Reminder fees and B2B compensation are outside the scope of VAT and booked apart from sales; "
        "empty: 3900 'Annen driftsrelatert inntekt' of the Norwegian chart, else the product's account.",
    )
    l10n_no_dunning_interest_account_id = fields.Many2one(
        "account.account",
        string="Interest income account",
        check_company=True,
        help="Late-payment interest is financial income outside VAT; empty: 8055 'Renteinntekt "
        "kundefordringer' of the Norwegian chart, else the product's account.",
    )
    l10n_no_dunning_journal_id = fields.Many2one(
        "account.journal",
        string="Fee invoice journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Sales journal of the fee invoices; the company's first sales journal when empty.",
    )
    l10n_no_dunning_min_amount = fields.Monetary(
        string="Minimum amount to dun", currency_field="currency_id", default=50.0
    )
    l10n_no_dunning_auto = fields.Boolean(
        string="Daily dunning run", default=True, help="The daily job proposes the dunning letters of the day."
    )
    l10n_no_dunning_auto_send = fields.Boolean(
        string="Send without confirmation",
        help="The daily job also sends the letters it proposes. Off: a person confirms each run.",
    )
    l10n_no_dunning_handover_format = fields.Selection(
        [("csv", "CSV"), ("json", "JSON")], string="Hand-over file format", default="csv", required=True
    )
    l10n_no_dunning_law_value_ids = fields.One2many("l10n_no.dunning.law.value", "company_id")
    l10n_no_dunning_law_alerts = fields.Char(
        copy=False, groups="base.group_system",
        help="Technical: missing law values (table:period start) the accounting administrators were told of.",
    )

    # EXTENDS base
    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._l10n_no_dunning_create_default_levels()
        return companies

    def _l10n_no_dunning_create_default_levels(self):
        """Create the Norwegian preset levels for companies that have none."""
        Level = self.env["l10n_no.dunning.level"].sudo().with_context(active_test=False)
        template = self.env.ref("l10n_no_dunning.mail_template_dunning_letter", raise_if_not_found=False)
        report = self.env.ref("l10n_no_dunning.action_report_dunning_letter", raise_if_not_found=False)
        nb_active = "nb_NO" in dict(self.env["res.lang"].get_installed())
        for company in self:
            if Level.search_count([("company_id", "=", company.id)], limit=1):
                continue
            vals_list = [
                {
                    "company_id": company.id, "sequence": seq, "name": name, "kind": kind, "days": days,
                    "anchor": anchor, "fee": fee, "charge_interest": interest, "claim_compensation": comp,
                    "deadline_days": deadline, "channel": channel, "active": active,
                    "mail_template_id": template.id if template else False,
                    "report_id": report.id if report else False,
                }
                for (seq, name, _nb, kind, days, anchor, fee, interest, comp, deadline, channel, active)
                in DEFAULT_LEVELS
            ]
            levels = Level.with_context(lang="en_US").create(vals_list)
            if nb_active:
                for level, row in zip(levels, DEFAULT_LEVELS, strict=True):
                    level.update_field_translations("name", {"nb_NO": row[2]})

    def _l10n_no_dunning_income_accounts(self):
        """(fee account, interest account): the company's settings, else the accounts of the Norwegian
        chart (l10n_no) found by their template ids, else empty (the products' accounts apply)."""
        self.ensure_one()
        chart = self.env["account.chart.template"].with_company(self)
        fee = self.l10n_no_dunning_fee_account_id or chart.ref("chart3900", raise_if_not_found=False)
        interest = self.l10n_no_dunning_interest_account_id or chart.ref("chart8055", raise_if_not_found=False)
        Account = self.env["account.account"]
        return (fee or Account), (interest or Account)

    def _l10n_no_dunning_levels(self):
        self.ensure_one()
        # active levels only, whatever the context (the levels list shows archived ones with active_test off)
        return self.env["l10n_no.dunning.level"].search([("company_id", "=", self.id), ("active", "=", True)])

    def _l10n_no_dunning_policy(self, levels=None):
        """The company's levels as a library policy (checked against the law when built)."""
        self.ensure_one()
        levels = levels if levels is not None else self._l10n_no_dunning_levels()
        return DunningPolicy(
            tuple(level._l10n_no_dunning_policy_step() for level in levels),
            overrides=self.l10n_no_dunning_law_value_ids._l10n_no_dunning_overrides(),
            min_amount=Decimal(f"{self.l10n_no_dunning_min_amount:.2f}"),
        )
