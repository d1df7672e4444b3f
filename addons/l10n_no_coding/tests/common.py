from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user


class CodingCommon(AccountTestInvoicingCommon):
    """A company with a product rule (paper), a vendor rule (office supplier) and analytic accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env.user.group_ids |= cls.env.ref("analytic.group_analytic_accounting")
        plan = cls.env["account.analytic.plan"].create({"name": "Department"})
        cls.project_plan = cls.env["account.analytic.plan"].create({"name": "Project"})
        cls.dept_office = cls.env["account.analytic.account"].create({"name": "Office", "plan_id": plan.id})
        cls.dept_sales = cls.env["account.analytic.account"].create({"name": "Sales", "plan_id": plan.id})
        cls.project_x = cls.env["account.analytic.account"].create({"name": "Project X", "plan_id": cls.project_plan.id})
        expense = cls.company_data["default_account_expense"]
        cls.account_office = cls.copy_account(expense, {"name": "Office supplies", "code": "680010"})
        cls.account_other = cls.copy_account(expense, {"name": "Other operating costs", "code": "679010"})
        cls.account_manual = cls.copy_account(expense, {"name": "Repairs", "code": "660010"})
        cls.tax_rule = cls.tax_purchase_b
        cls.tax_rule.name = "Purchase rule tax"
        cls.attestant = new_test_user(
            cls.env, login="attestant", name="Kari Attestant", groups="account.group_account_invoice",
        )
        cls.attestant_b = new_test_user(
            cls.env, login="attestant_b", name="Per Attestant", groups="account.group_account_invoice",
        )
        cls.paper = cls.env["product.product"].create({"name": "Paper A4", "standard_price": 50.0})
        cls.pens = cls.env["product.product"].create({"name": "Pens", "standard_price": 20.0})
        cls.supplier = cls.env["res.partner"].create({"name": "Kontorrekvisita AS", "is_company": True})
        cls.other_vendor = cls.env["res.partner"].create({"name": "Other Vendor AS", "is_company": True})
        Rule = cls.env["l10n_no.coding.rule"]
        cls.product_rule = Rule.create({
            "rule_type": "product", "product_id": cls.paper.id, "account_id": cls.account_office.id,
            "tax_ids": [Command.set(cls.tax_rule.ids)], "attestant_id": cls.attestant.id,
        })
        cls.vendor_rule = Rule.create({
            "rule_type": "vendor", "partner_id": cls.supplier.id, "account_id": cls.account_other.id,
            "analytic_distribution": {str(cls.dept_office.id): 100}, "attestant_id": cls.attestant_b.id,
        })

    @classmethod
    def _bill(cls, partner, lines, env=None, move_type="in_invoice"):
        env = env or cls.env
        return env["account.move"].create({
            "move_type": move_type,
            "partner_id": partner.id if partner else False,
            "invoice_date": "2026-11-30",
            "invoice_line_ids": [Command.create(line) for line in lines],
        })
