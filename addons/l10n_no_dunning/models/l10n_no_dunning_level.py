from nofaktura.dunning import Anchor, DunningPolicy, DunningPolicyError, PolicyStep, StepKind
from nofaktura.messages import text as nf_text

from odoo import api, fields, models
from odoo.exceptions import ValidationError

STEP_KINDS = [
    ("soft_reminder", "Payment reminder (no fee)"),
    ("reminder", "Reminder (purring)"),
    ("inkassovarsel", "Inkassovarsel"),
    ("betalingsoppfordring", "Betalingsoppfordring"),
    ("handover", "Hand-over to debt collection"),
]


class L10nNoDunningLevel(models.Model):
    """One step of a company's dunning policy; the active levels in sequence order form the policy
    the library planner (``nofaktura.dunning.planner``) applies, and are checked against the law there."""

    _name = "l10n_no.dunning.level"
    _description = "Dunning level"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(STEP_KINDS, required=True, default="reminder")
    days = fields.Integer(
        required=True,
        default=14,
        help="Minimum number of days after the due date or after the previous level was sent.",
    )
    anchor = fields.Selection(
        [("due_date", "After the due date"), ("previous", "After the previous level")],
        required=True,
        default="previous",
    )
    fee = fields.Boolean(
        help="Charge the fee the law allows for this kind of notice (1/20 of the inkassosats for a reminder "
        "or inkassovarsel, 3/20 for a betalingsoppfordring). The planner drops it when the law does not allow it.",
    )
    charge_interest = fields.Boolean(
        string="Charge interest", help="Invoice the late-payment interest accrued until this notice."
    )
    claim_compensation = fields.Boolean(
        string="Claim B2B compensation",
        help="Claim the standard compensation of forsinkelsesrenteloven § 3a from business customers "
        "(fees already charged are deducted).",
    )
    deadline_days = fields.Integer(
        required=True,
        default=14,
        help="Payment deadline given in the notice; at least 14 days for an inkassovarsel or "
        "betalingsoppfordring.",
    )
    channel = fields.Selection(
        [("email", "E-mail"), ("post", "Post")], required=True, default="email"
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail template",
        domain=[("model", "=", "l10n_no.dunning.letter")],
    )
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Letter",
        domain=[("model", "=", "l10n_no.dunning.letter")],
    )

    # ------------------------------------------------------------------------------------------------
    # LIBRARY MAPPING
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dunning_policy_step(self):
        self.ensure_one()
        return PolicyStep(
            kind=StepKind(self.kind),
            days=self.days,
            after=Anchor(self.anchor),
            fee=self.fee,
            deadline_days=self.deadline_days,
            charge_interest=self.charge_interest,
            claim_compensation=self.claim_compensation,
            name=self.name,
        )

    @api.constrains("kind", "days", "anchor", "fee", "deadline_days", "sequence", "active", "company_id")
    def _check_l10n_no_dunning_policy(self):
        for company in self.company_id:
            levels = company._l10n_no_dunning_levels()  # archived levels are not part of the policy
            if not levels:
                continue
            try:
                DunningPolicy(tuple(level._l10n_no_dunning_policy_step() for level in levels))
            except DunningPolicyError as exc:
                raise ValidationError(
                    self.env._("The dunning levels of %(company)s are not lawful: %(error)s", company=company.name, error=nf_text(exc, self.env.lang))
                ) from exc
