from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_no_attestant_id = fields.Many2one(
        "res.users", string="Attestant", check_company=True, copy=False, tracking=True,
        domain="[('share', '=', False)]",
        help="Attestant proposed by default coding (the first coded line's rule that names one); "
        "can be changed before the bill enters approval.",
    )
