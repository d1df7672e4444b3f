from odoo import api, fields, models
from odoo.exceptions import ValidationError

from nofaktura.coding import CodingError, normalize_distribution


class L10nNoCodingRule(models.Model):
    """Default coding (standardkontering) of vendor bill lines, for one product or one vendor.

    Fields left empty on a rule are not coded by it: a product rule may give the account and tax while
    the vendor rule gives the department, and Odoo's analytic distribution models fill what neither gives.
    """

    _name = "l10n_no.coding.rule"
    _description = "Default coding rule for vendor bills"
    _inherit = ["analytic.mixin", "mail.thread"]
    _order = "company_id, rule_type, sequence, id"
    _check_company_auto = True

    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    rule_type = fields.Selection(
        [("product", "Product"), ("vendor", "Vendor")],
        string="Applies to", required=True, default="vendor", tracking=True,
        help="A product rule codes every bill line with that product; a vendor rule codes the lines of "
        "that vendor's bills that no product rule coded.",
    )
    product_id = fields.Many2one(
        "product.product", check_company=True, index="btree_not_null", tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Vendor", check_company=True, index="btree_not_null", tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    account_id = fields.Many2one(
        "account.account", string="Expense Account", check_company=True, tracking=True,
        domain="[('account_type', 'not in', ('asset_receivable', 'liability_payable', 'off_balance'))]",
    )
    tax_ids = fields.Many2many(
        "account.tax", check_company=True,
        domain="[('type_tax_use', '=', 'purchase')]",
        help="Replaces the taxes of the lines it codes. On a received (EHF) line the rule's tax is used "
        "only when its rate matches the rate the vendor invoiced.",
    )
    attestant_id = fields.Many2one(
        "res.users", check_company=True, tracking=True,
        domain="[('share', '=', False)]",
        help="Proposed attestant of the bills this rule codes: the person who confirms that the goods or "
        "services were received and that the coding is right.",
    )
    note = fields.Text()

    _product_uniq = models.UniqueIndex(
        "(company_id, product_id) WHERE rule_type = 'product' AND active",
        "There is already an active coding rule for this product in this company.",
    )
    _vendor_uniq = models.UniqueIndex(
        "(company_id, partner_id) WHERE rule_type = 'vendor' AND active",
        "There is already an active coding rule for this vendor in this company.",
    )

    @api.depends("rule_type", "product_id", "partner_id")
    def _compute_display_name(self):
        for rule in self:
            target = rule.product_id if rule.rule_type == "product" else rule.partner_id
            kind = self.env._("Product rule") if rule.rule_type == "product" else self.env._("Vendor rule")
            rule.display_name = f"{kind}: {target.display_name or '?'}"

    @api.constrains("rule_type", "product_id", "partner_id", "account_id", "tax_ids", "analytic_distribution",
                    "attestant_id")
    def _check_rule(self):
        for rule in self:
            if rule.rule_type == "product" and (not rule.product_id or rule.partner_id):
                raise ValidationError(self.env._("A product rule names a product and no vendor."))
            if rule.rule_type == "vendor" and (not rule.partner_id or rule.product_id):
                raise ValidationError(self.env._("A vendor rule names a vendor and no product."))
            if not (rule.account_id or rule.tax_ids or rule.analytic_distribution or rule.attestant_id):
                raise ValidationError(
                    self.env._("Coding rule %(rule)s codes nothing: give it an account, a tax, an analytic distribution "
                      "or an attestant.", rule=rule.display_name)
                )
            if rule.tax_ids.filtered(lambda tax: tax.type_tax_use != "purchase"):
                raise ValidationError(
                    self.env._("Coding rule %(rule)s: only purchase taxes can code vendor bills.", rule=rule.display_name)
                )
            if rule.account_id and rule.account_id.account_type in (
                "asset_receivable", "liability_payable", "off_balance",
            ):
                raise ValidationError(
                    self.env._("Coding rule %(rule)s: account %(account)s is a receivable, payable or off-balance account "
                      "and cannot code a bill line.", rule=rule.display_name, account=rule.account_id.display_name)
                )
            if rule.analytic_distribution:
                try:
                    normalize_distribution(rule.analytic_distribution, rule._l10n_no_plan_of())
                except CodingError as exc:
                    raise ValidationError(
                        self.env._("Coding rule %(rule)s: %(reason)s.", rule=rule.display_name, reason=exc)
                    ) from exc
            if rule.attestant_id and rule.attestant_id.share:
                raise ValidationError(
                    self.env._("Coding rule %(rule)s: the attestant must be an internal user.", rule=rule.display_name)
                )

    def _l10n_no_plan_of(self):
        """{analytic account id: root plan id} for the accounts of this rule's distribution."""
        self.ensure_one()
        ids = {int(i) for key in (self.analytic_distribution or {}) for i in str(key).split(",") if i.strip().isdigit()}
        accounts = self.env["account.analytic.account"].browse(ids).exists()
        return {str(account.id): str(account.root_plan_id.id) for account in accounts}
