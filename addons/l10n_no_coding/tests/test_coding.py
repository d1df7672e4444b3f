from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CodingCommon


@tagged("post_install", "-at_install")
class TestCoding(CodingCommon):

    def test_product_rule_codes_a_typed_in_line(self):
        bill = self._bill(self.supplier, [{"product_id": self.paper.id, "quantity": 2, "price_unit": 50.0}])
        line = bill.invoice_line_ids
        self.assertEqual(line.account_id, self.account_office)
        self.assertEqual(line.tax_ids, self.tax_rule)
        # the product rule has no distribution: the vendor rule's department is used
        self.assertEqual(line.analytic_distribution, {str(self.dept_office.id): 100})
        self.assertEqual(line.l10n_no_coding_source, "product")
        self.assertEqual(line.l10n_no_coding_rule_id, self.product_rule)
        self.assertIn("Product rule: Paper A4", line.l10n_no_coding_note)
        self.assertIn("Vendor rule: Kontorrekvisita AS", line.l10n_no_coding_note)
        self.assertFalse(line.l10n_no_coding_problem)
        # the product rule's attestant comes first
        self.assertEqual(bill.l10n_no_attestant_id, self.attestant)
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_the_form_shows_the_coding_while_typing(self):
        with Form(self.env["account.move"].with_context(default_move_type="in_invoice")) as bill_form:
            bill_form.partner_id = self.supplier
            bill_form.invoice_date = "2026-11-30"
            with bill_form.invoice_line_ids.new() as line_form:
                line_form.product_id = self.paper
                line_form.price_unit = 50.0
                # before saving: the product rule's account and tax, the vendor rule's department
                self.assertEqual(line_form.account_id, self.account_office)
                self.assertEqual(line_form.tax_ids[:], self.tax_rule)
                self.assertEqual(line_form.analytic_distribution, {str(self.dept_office.id): 100})
                self.assertEqual(line_form.l10n_no_coding_source, "product")
            with bill_form.invoice_line_ids.new() as line_form:
                line_form.name = "Freight"
                line_form.price_unit = 10.0
        bill = bill_form.record
        # a line without product is coded by the vendor rule when saved
        self.assertEqual(bill.invoice_line_ids[1].account_id, self.account_other)
        self.assertEqual(bill.invoice_line_ids.mapped("l10n_no_coding_source"), ["product", "vendor"])
        self.assertEqual(bill.l10n_no_attestant_id, self.attestant)
        self.assertFalse(any(bill.invoice_line_ids.mapped("l10n_no_recoded")))

    def test_vendor_rule_codes_lines_without_product_rule(self):
        bill = self._bill(self.supplier, [
            {"product_id": self.pens.id, "price_unit": 20.0},
            {"name": "Delivery", "price_unit": 99.0},
        ])
        for line in bill.invoice_line_ids:
            self.assertEqual(line.account_id, self.account_other)
            self.assertEqual(line.analytic_distribution, {str(self.dept_office.id): 100})
            self.assertEqual(line.l10n_no_coding_source, "vendor")
            self.assertEqual(line.l10n_no_coding_rule_id, self.vendor_rule)
        self.assertEqual(bill.l10n_no_attestant_id, self.attestant_b)

    def test_changing_the_vendor_or_product_codes_again(self):
        bill = self._bill(self.other_vendor, [{"product_id": self.pens.id, "price_unit": 20.0}])
        line = bill.invoice_line_ids
        self.assertNotEqual(line.account_id, self.account_other)
        self.assertIn(line.l10n_no_coding_source, ("odoo", "none"))
        bill.partner_id = self.supplier
        self.assertEqual(line.account_id, self.account_other)
        self.assertEqual(line.l10n_no_coding_source, "vendor")
        line.product_id = self.paper
        self.assertEqual(line.account_id, self.account_office)
        self.assertEqual(line.l10n_no_coding_source, "product")

    def test_falls_back_to_odoos_distribution_model(self):
        self.env["account.analytic.distribution.model"].create({
            "partner_id": self.other_vendor.id,
            "analytic_distribution": {str(self.project_x.id): 100},
            "company_id": self.company.id,
        })
        bill = self._bill(self.other_vendor, [{"product_id": self.pens.id, "price_unit": 20.0}])
        line = bill.invoice_line_ids
        self.assertEqual(line.analytic_distribution, {str(self.project_x.id): 100})
        self.assertEqual(line.l10n_no_coding_source, "model")
        self.assertFalse(line.l10n_no_coding_rule_id)
        self.assertFalse(bill.l10n_no_attestant_id)

    def test_rule_distribution_wins_over_distribution_model(self):
        self.env["account.analytic.distribution.model"].create({
            "partner_id": self.supplier.id,
            "analytic_distribution": {str(self.dept_sales.id): 100},
        })
        bill = self._bill(self.supplier, [{"product_id": self.pens.id, "price_unit": 20.0}])
        self.assertEqual(bill.invoice_line_ids.analytic_distribution, {str(self.dept_office.id): 100})
        self.assertEqual(bill.invoice_line_ids.l10n_no_coding_source, "vendor")

    def test_uncodeable_line_keeps_the_bill_in_draft(self):
        self.company.l10n_no_coding_required = True
        journal_default = self.company_data["default_journal_purchase"].default_account_id
        bill = self._bill(self.other_vendor, [{"name": "Mystery item", "price_unit": 10.0}])
        line = bill.invoice_line_ids
        self.assertEqual(line.account_id, journal_default)
        self.assertEqual(line.l10n_no_coding_source, "none")
        self.assertIn("Mystery item", line.l10n_no_coding_problem)
        self.assertIn("Other Vendor AS", bill.l10n_no_coding_problem)
        with self.assertRaisesRegex(UserError, "(?s)cannot be posted before they are coded.*Mystery item"), \
                self.env.cr.savepoint():
            bill.action_post()
        self.assertEqual(bill.state, "draft")
        # Odoo's automatic posting of received bills leaves it in draft, with the reason
        self.company.autopost_bills = True
        self.other_vendor.autopost_bills = "always"
        bill._autopost_bill()
        self.assertEqual(bill.state, "draft")
        self.assertIn("Not posted automatically", bill.message_ids[0].body)
        # coding it by hand solves it
        line.account_id = self.account_manual
        self.assertEqual(line.l10n_no_coding_source, "manual")
        self.assertFalse(bill.l10n_no_coding_problem)
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_not_required_leaves_uncoded_lines_postable(self):
        bill = self._bill(self.other_vendor, [{"name": "Mystery item", "price_unit": 10.0}])
        self.assertEqual(bill.invoice_line_ids.l10n_no_coding_source, "none")
        self.assertFalse(bill.l10n_no_coding_problem)
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_a_rule_added_later_is_checked_at_posting(self):
        self.company.l10n_no_coding_required = True
        bill = self._bill(self.other_vendor, [{"name": "Consulting", "price_unit": 10.0}])
        self.assertTrue(bill.l10n_no_coding_problem)
        self.env["l10n_no.coding.rule"].create({
            "rule_type": "vendor", "partner_id": self.other_vendor.id, "account_id": self.account_manual.id,
        })
        bill.action_l10n_no_apply_coding()
        self.assertEqual(bill.invoice_line_ids.account_id, self.account_manual)
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_recoding_is_tracked_in_the_chatter(self):
        bill = self._bill(self.supplier, [{"product_id": self.paper.id, "price_unit": 50.0}])
        line = bill.invoice_line_ids
        attestant_env = self.env(user=self.attestant)
        attestant_line = line.with_env(attestant_env)
        attestant_line.write({
            "account_id": self.account_manual.id,
            "analytic_distribution": {str(self.dept_sales.id): 60, str(self.dept_office.id): 40},
        })
        self.assertTrue(line.l10n_no_recoded)
        self.assertEqual(line.l10n_no_coding_source, "manual")
        message = bill.message_ids[0]
        self.assertIn("recoded by Kari Attestant", message.body)
        self.assertIn("680010 Office supplies → 660010 Repairs", message.body)
        self.assertIn("Office 100 %", message.body)
        self.assertIn("Sales 60 %", message.body)
        # a fraction in the reader's decimal sign: 12,5 % in Bokmål
        self.env["res.lang"]._activate_lang("nb_NO")
        text = line.with_context(lang="nb_NO")._l10n_no_distribution_text(
            {str(self.dept_sales.id): 12.5, str(self.dept_office.id): 87.5}
        )
        self.assertIn("Sales 12,5 %", text)
        self.assertIn("87,5 %", text)
        self.assertNotIn("12.5", text)
        # the recoding stays when the bill is saved again, and the button restores the default coding
        bill.ref = "INV-1"
        self.assertEqual(line.account_id, self.account_manual)
        bill.action_l10n_no_apply_coding()
        self.assertEqual(line.account_id, self.account_office)
        self.assertEqual(line.l10n_no_coding_source, "product")

    def test_received_bill_keeps_the_vendors_tax_rate(self):
        """An import path: an empty bill, then the vendor and lines written on it, with the taxes invoiced."""
        other_rate = self.env["account.tax"].create({
            "name": "Purchase 7 %", "amount": 7, "type_tax_use": "purchase", "company_id": self.company.id,
        })
        bill = self.env["account.move"].create({"move_type": "in_invoice"})
        bill.write({"partner_id": self.supplier.id, "invoice_date": "2026-11-30"})
        bill.write({"invoice_line_ids": [
            Command.create({"product_id": self.paper.id, "price_unit": 100.0, "tax_ids": [Command.set(other_rate.ids)],
                            "is_imported": True}),
            Command.create({"product_id": self.paper.id, "price_unit": 100.0,
                            "tax_ids": [Command.set(self.tax_purchase_a.ids)], "is_imported": True}),
        ]})
        kept, replaced = bill.invoice_line_ids
        self.assertEqual(kept.tax_ids, other_rate)
        self.assertEqual(kept.account_id, self.account_office)
        self.assertEqual(replaced.tax_ids, self.tax_rule)  # same rate: the rule's tax code is used
        self.assertEqual(bill.l10n_no_attestant_id, self.attestant)

    def test_rules_are_checked(self):
        Rule = self.env["l10n_no.coding.rule"]
        with self.assertRaisesRegex(ValidationError, "adds up to 90.00 %"), self.env.cr.savepoint():
            Rule.create({"rule_type": "vendor", "partner_id": self.other_vendor.id,
                         "analytic_distribution": {str(self.dept_office.id): 90}})
        with self.assertRaisesRegex(ValidationError, "codes nothing"), self.env.cr.savepoint():
            Rule.create({"rule_type": "vendor", "partner_id": self.other_vendor.id})
        with self.assertRaisesRegex(ValidationError, "only purchase taxes"), self.env.cr.savepoint():
            Rule.create({"rule_type": "vendor", "partner_id": self.other_vendor.id,
                         "tax_ids": [Command.set(self.tax_sale_a.ids)]})
        with self.assertRaisesRegex(ValidationError, "product rule names a product"), self.env.cr.savepoint():
            Rule.create({"rule_type": "product", "partner_id": self.other_vendor.id,
                         "account_id": self.account_manual.id})
        # two plans, each 100 %
        rule = Rule.create({"rule_type": "vendor", "partner_id": self.other_vendor.id, "analytic_distribution": {
            str(self.dept_office.id): 100, str(self.project_x.id): 100,
        }})
        self.assertEqual(rule.display_name, "Vendor rule: Other Vendor AS")

    def test_refund_and_customer_invoices(self):
        refund = self._bill(self.supplier, [{"product_id": self.paper.id, "price_unit": 50.0}], move_type="in_refund")
        self.assertEqual(refund.invoice_line_ids.account_id, self.account_office)
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.supplier.id,
            "invoice_line_ids": [Command.create({"product_id": self.paper.id, "price_unit": 50.0})],
        })
        self.assertNotEqual(invoice.invoice_line_ids.account_id, self.account_office)
        self.assertFalse(invoice.invoice_line_ids.l10n_no_coding_source)
