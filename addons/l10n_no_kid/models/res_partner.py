from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_no_customer_number_ids = fields.One2many(
        "l10n_no.customer.number",
        "partner_id",
        string="Customer numbers (KID)",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    l10n_no_customer_number = fields.Char(
        string="Customer number",
        compute="_compute_l10n_no_customer_number",
        help="The customer's number in the current company, used in the customer part of the KID. "
        "Assigned when the first invoice is posted in a journal with a KID agreement.",
    )

    @api.depends_context("company")
    @api.depends("commercial_partner_id.l10n_no_customer_number_ids.number")
    def _compute_l10n_no_customer_number(self):
        # sudo: the number is not confidential, and users without accounting rights may display partners
        company = self.env.company
        for partner in self:
            record = partner.sudo().commercial_partner_id.l10n_no_customer_number_ids.filtered(
                lambda r: r.company_id == company
            )[:1]
            partner.l10n_no_customer_number = str(record.number) if record else False

    def _l10n_no_get_customer_number(self, company):
        """Return the commercial partner's customer number in ``company``, assigning one if needed."""
        self.ensure_one()
        numbers = self.env["l10n_no.customer.number"].sudo()
        record = numbers.search(
            [("company_id", "=", company.id), ("partner_id", "=", self.commercial_partner_id.id)], limit=1
        ) or numbers._l10n_no_assign(self, company)
        return record.number
