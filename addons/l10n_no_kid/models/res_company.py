from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_no_kid_block_invalid_vendor_kid = fields.Boolean(
        string="Block bills with an invalid KID",
        help="Refuse to post a vendor bill whose payment reference looks like a KID but has a wrong "
        "check digit (MOD10 and MOD11 both fail). Without it the bill is only flagged.",
    )
