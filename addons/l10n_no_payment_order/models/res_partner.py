from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_no_payment_purpose_code = fields.Char(
        string="Payment purpose code (abroad)", size=10,
        help="Norway's currency register code for what payments to this vendor's account abroad are for "
        "(e.g. 14 import of goods). Written as regulatory reporting in the payment file; ask your bank for the list.",
    )
    l10n_no_payment_purpose_text = fields.Char(
        string="Payment purpose (abroad)", size=35,
        help="What payments abroad to this vendor are for, in words (at most 35 characters).",
    )
