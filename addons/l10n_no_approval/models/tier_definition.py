from odoo import api, fields, models

from .l10n_no_approval_matrix import BILL_DOMAIN


class TierDefinition(models.Model):
    """A step of a Norwegian approval matrix is an OCA tier definition whose reviewers the library computes."""

    _inherit = "tier.definition"

    review_type = fields.Selection(
        selection_add=[("l10n_no_matrix", "Norwegian approval matrix")],
        ondelete={"l10n_no_matrix": "cascade"},
    )
    l10n_no_matrix_id = fields.Many2one(
        "l10n.no.approval.matrix", string="Approval matrix", ondelete="cascade", index=True
    )
    l10n_no_role = fields.Selection([("attest", "Attest"), ("anvis", "Anvis")], string="Role")
    l10n_no_level = fields.Integer(string="Level", default=1)
    l10n_no_above = fields.Monetary(
        string="From amount", currency_field="l10n_no_currency_id",
        help="The step is part of a bill's route when its total (company currency) is above this amount.",
    )
    l10n_no_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")

    @api.model_create_multi
    def create(self, vals_list):
        move_model = self.env["ir.model"]._get_id("account.move")
        for vals in vals_list:
            if vals.get("l10n_no_matrix_id"):
                matrix = self.env["l10n.no.approval.matrix"].browse(vals["l10n_no_matrix_id"])
                vals.update({
                    "model_id": move_model,
                    "review_type": "l10n_no_matrix",
                    "definition_type": "domain",
                    "definition_domain": BILL_DOMAIN,
                    "company_id": matrix.company_id.id,
                    "approve_sequence": True,
                    "approve_sequence_bypass": False,
                    "allow_write_for_reviewer": True,
                    "has_comment": False,
                    "notify_on_create": False,
                    "notify_on_pending": False,
                })
        return super().create(vals_list)
