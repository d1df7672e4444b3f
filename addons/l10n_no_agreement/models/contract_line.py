from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

#: Written by the regulation run and the invoicing run only (sudo after checking the caller).
PROTECTED_LINE_FIELDS = ("l10n_no_regulation_pending_price", "l10n_no_regulation_pending_date")


class ContractLine(models.Model):
    _inherit = "contract.line"

    l10n_no_regulation_rule = fields.Selection(
        [
            ("none", "No regulation"),
            ("residential", "Residential rent (husleieloven § 4-2)"),
            ("commercial", "Commercial lease (index month)"),
            ("percentage", "Plain percentage"),
        ],
        string="Price regulation",
        default="none",
        required=True,
    )
    l10n_no_regulation_last_set = fields.Date(
        "Price last set", help="The day the price was agreed or last regulated: the 12 months and the index month "
        "of a residential rent run from it; for a commercial lease, the index month the price rests on is the "
        "clause's index month before this day."
    )
    l10n_no_regulation_base_amount = fields.Float(
        "Agreed amount", digits="Product Price",
        help="The agreed (starting) unit price a commercial lease's floor protects; empty: the current price.",
    )
    l10n_no_regulation_index_month = fields.Integer("Index month", default=10)
    l10n_no_regulation_effective_month = fields.Integer("Effective month", default=1)
    l10n_no_regulation_effective_day = fields.Integer("Effective day", default=1)
    l10n_no_regulation_share = fields.Float("Share of index change (%)", default=100.0)
    l10n_no_regulation_floor = fields.Boolean("Not below the agreed amount", default=True)
    l10n_no_regulation_percent = fields.Float("Percentage", help="Plain percentage change per regulation.")
    l10n_no_regulation_notice_months = fields.Integer(
        "Notice (months)", default=1,
        help="The written notice the clause requires before a new price applies (commercial lease and plain "
        "percentage; 0: none). A residential rent always has the law's one month.",
    )
    l10n_no_regulation_pending_price = fields.Float(
        "New price", digits="Product Price", readonly=True, copy=False,
        help="The regulated unit price, applied by the invoicing run to the first period starting on or after "
        "its date.",
    )
    l10n_no_regulation_pending_date = fields.Date("New price from", readonly=True, copy=False)

    @api.constrains("l10n_no_regulation_notice_months")
    def _check_l10n_no_regulation_notice_months(self):
        for line in self:
            if not 0 <= line.l10n_no_regulation_notice_months <= 24:
                raise ValidationError(self.env._("The notice of a price regulation is 0 to 24 months."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(set(vals) & set(PROTECTED_LINE_FIELDS) for vals in vals_list):
            raise AccessError(self.env._("A regulated price is scheduled by the regulation run only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) & set(PROTECTED_LINE_FIELDS):
            raise AccessError(self.env._("A regulated price is scheduled by the regulation run only."))
        return super().write(vals)

    def _l10n_no_regulation_apply_due(self):
        """Apply the scheduled new price to these lines whose period to invoice starts on or after its date
        (the new price is never invoiced for a period before it applies); returns the lines changed."""
        due = self.filtered(
            lambda line: line.l10n_no_regulation_pending_date
            and line.next_period_date_start
            and line.next_period_date_start >= line.l10n_no_regulation_pending_date
        )
        for line in due.sudo():
            line.write({
                "price_unit": line.l10n_no_regulation_pending_price,
                "l10n_no_regulation_last_set": line.l10n_no_regulation_pending_date,
                "l10n_no_regulation_pending_price": 0.0,
                "l10n_no_regulation_pending_date": False,
            })
        return due

    def _prepare_invoice_line(self):
        # EXTENDS contract: a regulated price applies from the first period starting on or after its date.
        self._l10n_no_regulation_apply_due()
        return super()._prepare_invoice_line()
