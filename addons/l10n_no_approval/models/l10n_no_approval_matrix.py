from decimal import Decimal

from nofaktura.approval import Authority, AttestantRule, Level, Matrix, MatrixError, Role, Substitution

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

BILL_DOMAIN = "[('move_type', 'in', ('in_invoice', 'in_refund'))]"
BAND_STEP = 100000


def to_decimal(value):
    """Odoo keeps monetary values as floats; the library wants exact Decimals (to the øre)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


class Person(int):
    """A user id that prints as the user's name, so the library's reasons read well."""

    def __new__(cls, user):
        person = super().__new__(cls, user.id)
        person.label = user.name or str(user.id)
        return person

    def __str__(self):
        return self.label


def library_text(env, message):
    """A library refusal, matrix error or routing note in the user's language (bokmål or English).

    The approval library carries both versions (``message.text(lang)``); Odoo's translation files
    cannot reach its texts, so every place they go to a user (errors, notes, chatter) uses this.
    """
    return message.text("nb" if env.lang and env.lang.startswith("nb") else "en")


class L10nNoApprovalMatrix(models.Model):
    """A company's delegation of attest and anvis authority; its levels are OCA tier definitions."""

    _name = "l10n.no.approval.matrix"
    _description = "Approval matrix (attest and anvis)"
    _inherit = ["mail.thread"]
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: self.env._("Attest and anvis"), tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    company_limit = fields.Monetary(
        tracking=True,
        help="No personal limit goes above this amount (in the company currency). 0 means no company limit.",
    )
    escalate_after_days = fields.Integer(
        tracking=True,
        help="A step nobody acted on for this many days is opened to the next level up as well. 0 = never.",
    )
    auto_start = fields.Boolean(
        default=True,
        tracking=True,
        help="Start the approval of vendor bills that nobody sent for approval (received by EHF, e-mail, "
        "import) once they have not been edited for a quarter of an hour.",
    )
    level_ids = fields.One2many("tier.definition", "l10n_no_matrix_id", string="Steps")
    authority_ids = fields.One2many("l10n.no.approval.authority", "matrix_id", string="Authorities")
    attestant_rule_ids = fields.One2many("l10n.no.approval.attestant", "matrix_id", string="Attestants")

    @api.constrains("active", "company_id")
    def _check_one_per_company(self):
        for matrix in self.filtered("active"):
            if self.search_count([("company_id", "=", matrix.company_id.id), ("active", "=", True)]) > 1:
                raise ValidationError(
                    self.env._("%(company)s already has an active approval matrix.", company=matrix.company_id.name)
                )

    @api.constrains("company_limit", "escalate_after_days", "level_ids")
    def _check_library(self):
        for matrix in self:
            if matrix.company_limit < 0 or matrix.escalate_after_days < 0:
                raise ValidationError(self.env._("Limits and days cannot be negative."))
            try:
                matrix._to_library(date_from=None)
            except MatrixError as exc:
                raise ValidationError(library_text(self.env, exc)) from exc

    @api.model_create_multi
    def create(self, vals_list):
        matrices = super().create(vals_list)
        for matrix in matrices.filtered(lambda m: not m.level_ids):
            # the Norwegian preset: attest, then anvis
            matrix.write({"level_ids": [matrix._level_command("attest", 1, 0.0), matrix._level_command("anvis", 1, 0.0)]})
        return matrices

    def _level_command(self, role, level, above):
        names = {
            "attest": self.env._("Attest"),
            "anvis": self.env._("Anvis"),
        }
        name = names[role] if level == 1 else self.env._("%(role)s level %(level)s", role=names[role], level=level)
        return Command.create({"name": name, "l10n_no_role": role, "l10n_no_level": level, "l10n_no_above": above})

    def action_add_amount_band(self):
        """Norwegian preset: one more anvis level, starting NOK 100 000 above the highest band so far."""
        for matrix in self:
            anvis = matrix.level_ids.filtered(lambda d: d.l10n_no_role == "anvis")
            top = max(anvis.mapped("l10n_no_level") or [0])
            above = max(anvis.mapped("l10n_no_above") or [0.0]) + BAND_STEP
            matrix.write({"level_ids": [matrix._level_command("anvis", top + 1, above)]})
        return True

    def _to_library(self, date_from=None):
        """The library's Matrix, with its Levels keyed back to the tier definitions they came from."""
        self.ensure_one()
        levels = {}
        for definition in self.level_ids.filtered("active"):
            level = Level(
                role=Role(definition.l10n_no_role),
                level=definition.l10n_no_level,
                above=to_decimal(definition.l10n_no_above),
                name=definition.name,
            )
            levels[level] = definition
        substitutes = self.env["l10n.no.approval.substitute"].sudo().search([
            ("company_id", "=", self.company_id.id),
            *([("date_to", ">=", date_from)] if date_from else []),
        ])
        matrix = Matrix(
            levels=tuple(levels),
            authorities=tuple(
                Authority(
                    person=Person(a.user_id),
                    role=Role(a.role),
                    level=a.level,
                    limit=to_decimal(a.limit_amount) if a.limit_amount else None,
                )
                for a in self.authority_ids
            ),
            attestant_rules=tuple(
                AttestantRule(person=Person(r.user_id), vendor=r.partner_id.commercial_partner_id.id)
                if r.kind == "vendor"
                else AttestantRule(
                    person=Person(r.user_id), dimension=str(r.analytic_account_id.root_plan_id.id),
                    value=r.analytic_account_id.id,
                )
                for r in self.attestant_rule_ids
            ),
            substitutions=tuple(
                Substitution(person=Person(s.user_id), substitute=Person(s.substitute_id), start=s.date_from, end=s.date_to)
                for s in substitutes
            ),
            company_limit=to_decimal(self.company_limit) if self.company_limit else None,
            escalate_after_days=self.escalate_after_days or None,
        )
        return matrix, levels
