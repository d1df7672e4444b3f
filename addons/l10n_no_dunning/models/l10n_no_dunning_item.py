from odoo import api, fields, models

from .l10n_no_dunning_level import STEP_KINDS
from .l10n_no_dunning_letter import format_rates


class L10nNoDunningItem(models.Model):
    """One invoice in one dunning letter: the per-claim history the planner reads back (sent items),
    with the amounts the planner allowed for it."""

    _name = "l10n_no.dunning.item"
    _description = "Dunning history line (invoice in a dunning letter)"
    _order = "date desc, id desc"
    _check_company_auto = True

    letter_id = fields.Many2one("l10n_no.dunning.letter", required=True, index=True, ondelete="cascade", check_company=True)
    # copied from the letter at creation (plain fields: a run creates tens of thousands of items)
    run_id = fields.Many2one("l10n_no.dunning.run", required=True, index=True, ondelete="cascade", check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, check_company=True)
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade", check_company=True)
    invoice_date = fields.Date(related="move_id.invoice_date")
    due_date = fields.Date(string="Due date")
    date = fields.Date(required=True, index=True)
    level_id = fields.Many2one("l10n_no.dunning.level", required=True, check_company=True)
    step_index = fields.Integer(help="Technical: position of the level in the company's policy when planned.")
    kind = fields.Selection(STEP_KINDS, required=True)
    channel = fields.Selection(related="letter_id.channel")
    state = fields.Selection(
        [("proposed", "Proposed"), ("sent", "Sent"), ("dropped", "Dropped")],
        default="proposed",
        required=True,
        index=True,
    )
    # an invoice is in the history once per letter that claimed it: a total of its principal (or of the fee
    # of a letter, counted on each of its claims) would add the same money again, kr 3 200 for one 800 claim
    open_amount = fields.Monetary(string="Principal", currency_field="currency_id", aggregator=None)
    fee = fields.Monetary(
        currency_field="currency_id",
        aggregator=None,
        help="Fee the law allowed for this claim at this step. A letter charges its fee once; it counts against "
        "the fee cap of every claim in the letter.",
    )
    interest = fields.Monetary(currency_field="currency_id")
    interest_from = fields.Date()
    interest_to = fields.Date(help="Interest charged up to (excluding) this day.")
    interest_rate = fields.Char(help="Rates per half-year used, e.g. '12.25 % / 12.00 %'.")
    interest_rate_display = fields.Char(
        string="Interest rate", compute="_compute_interest_rate_display",
        help="The rates as the reader writes them (12,00 % in Bokmål).",
    )
    compensation = fields.Monetary(currency_field="currency_id", string="B2B compensation")
    deadline = fields.Date()
    note = fields.Text()

    @api.depends("interest_rate")
    @api.depends_context("lang")
    def _compute_interest_rate_display(self):
        for item in self:
            item.interest_rate_display = format_rates(self.env, item.interest_rate) or False
