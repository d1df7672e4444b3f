from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .account_move_line import by_coding, is_coding

BILL_TYPES = ("in_invoice", "in_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_no_attestant_id = fields.Many2one(
        "res.users", string="Attestant", check_company=True, copy=False, tracking=True,
        domain="[('share', '=', False)]",
        help="Attestant proposed by default coding (the first coded line's rule that names one); "
        "can be changed before the bill enters approval.",
    )
    l10n_no_coding_problem = fields.Text(
        string="Coding Problems", compute="_compute_l10n_no_coding_problem",
        help="Why lines of this bill cannot be coded; the bill stays in draft until they are solved.",
    )

    @api.depends("line_ids.l10n_no_coding_problem")
    def _compute_l10n_no_coding_problem(self):
        for move in self:
            problems = move.invoice_line_ids.filtered("l10n_no_coding_problem").mapped("l10n_no_coding_problem")
            move.l10n_no_coding_problem = "\n".join(problems) or False

    def _l10n_no_coding_problems(self):
        """Current problems of each draft vendor bill, resolved afresh (rules may have changed)."""
        result = {}
        bills = self.filtered(lambda move: move.move_type in BILL_TYPES)
        lines = bills.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        rules = lines._l10n_no_fetch_rules()
        cache = {}
        for move in bills:
            problems = [
                values["l10n_no_coding_problem"]
                for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
                if (values := line._l10n_no_coding_values(rules, cache))["l10n_no_coding_problem"]
            ]
            if problems:
                result[move] = problems
        return result

    def action_l10n_no_apply_coding(self):
        """Apply the default coding rules again to the lines of these draft vendor bills.

        Lines recoded by hand are coded by the rules again: this is the "reset to default coding" button.
        Returns True.
        """
        bills = self.filtered(lambda move: move.move_type in BILL_TYPES and move.state == "draft")
        if not bills:
            raise UserError(self.env._("Default coding applies to draft vendor bills and refunds only."))
        lines = bills.invoice_line_ids
        by_coding(lines).write({"l10n_no_recoded": False})
        lines._l10n_no_apply_coding()
        return True

    def write(self, vals):
        result = super().write(vals)
        if "partner_id" in vals and not is_coding(self.env):
            # another vendor: its rule codes the lines that no product rule coded
            self.filtered(lambda move: move.move_type in BILL_TYPES).invoice_line_ids._l10n_no_apply_coding()
        return result

    def _l10n_no_check_coding(self):
        problems = self._l10n_no_coding_problems()
        if problems:
            text = "\n".join(
                self.env._("%(bill)s: %(problem)s", bill=move.display_name, problem=problem)
                for move, move_problems in problems.items()
                for problem in move_problems
            )
            raise UserError(self.env._("These vendor bills cannot be posted before they are coded:\n%s", text))
        return True

    def _post(self, soft=True):
        # EXTENDS account: a bill whose lines cannot be coded stays in draft, whoever posts it.
        self._l10n_no_check_coding()
        return super()._post(soft=soft)

    def _autopost_bill(self):
        # EXTENDS account: the automatic posting of received bills leaves an uncoded bill in draft.
        problems = self._l10n_no_coding_problems().get(self)
        if problems:
            self.message_post(body=Markup("%s<ul>%s</ul>") % (
                self.env._("Not posted automatically: the bill cannot be coded."),
                Markup("").join(Markup("<li>%s</li>") % problem for problem in problems),
            ))
            return False
        return super()._autopost_bill()
