from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_no_coding_required = fields.Boolean(
        string="Vendor bills must be coded",
        help="When set, a vendor bill line that no product rule, vendor rule or analytic distribution "
        "model codes, and that nobody coded by hand, keeps the bill in draft.",
    )
