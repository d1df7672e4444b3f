import base64
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from nofaktura import kid as nkid

from odoo.addons.l10n_no_agreement.wizards import l10n_no_agreement_mass_invoice as mass_module

from .common import AgreementCommon


@tagged("post_install", "-at_install")
class TestMassInvoice(AgreementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.members = cls.env["res.partner.category"].create({"name": "Medlem"})
        cls.fee = cls.env["product.product"].create({
            "name": "Kontingent", "type": "service", "list_price": 500.0, "taxes_id": [Command.clear()],
        })
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Medlemspris", "company_id": cls.company.id,
            "item_ids": [Command.create({"applied_on": "0_product_variant", "product_id": cls.fee.id,
                                         "compute_price": "fixed", "fixed_price": 450.0})],
        })
        cls.a = cls._customer("Alfa AS", category_id=[Command.set(cls.members.ids)], company_registry="974760673",
                              ref="K-1")
        cls.b = cls._customer("Beta AS", category_id=[Command.set(cls.members.ids)], ref="K-2")
        other_company = cls.setup_other_company()["company"]
        cls.foreign = cls._customer("Utland AS", category_id=[Command.set(cls.members.ids)],
                                    company_id=other_company.id)

    def _wizard(self, **values):
        return self.env["l10n_no.agreement.mass.invoice"].with_user(self.clerk).create({
            "product_line_ids": [Command.create({"product_id": self.fee.id, "quantity": 2, "price_mode": "pricelist"}),
                                 Command.create({"product_id": self.rent.id, "quantity": 1, "price_mode": "fixed",
                                                 "price_unit": 100.0})],
            "pricelist_id": self.pricelist.id,
            **values,
        })

    def test_category_preview_then_create_and_post(self):
        wizard = self._wizard(selection_mode="category", category_ids=[Command.set(self.members.ids)])
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        # the other company's customer is not selectable by this company (record rules on partners)
        self.assertEqual(wizard.line_ids.partner_id, self.a | self.b)
        self.assertEqual((wizard.customer_count, wizard.error_count), (2, 0))
        self.assertEqual(wizard.amount_untaxed, 2 * (2 * 450.0 + 100.0))
        self.assertFalse(self.env["account.move"].search([("partner_id", "in", (self.a | self.b).ids)]))
        wizard.action_create_invoices()
        invoices = wizard.line_ids.invoice_id
        self.assertEqual(len(invoices), 2)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(invoices.mapped("amount_total"), [1000.0, 1000.0])
        for invoice in invoices:
            self.assertTrue(nkid.is_valid(invoice.payment_reference, "mod10"))
        with self.assertRaises(UserError):
            wizard.action_create_invoices()

    def test_file_with_bad_lines(self):
        content = "orgnr\n974760673\n974760674\nK-2\nK-404\nK-1\n\n".encode()
        wizard = self._wizard(selection_mode="file", file=base64.b64encode(content), file_name="kunder.csv")
        wizard.action_preview()
        lines = wizard.line_ids
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines.mapped("partner_id"), self.a | self.b)
        errors = {line.source: line.error for line in lines if line.error}
        self.assertIn("check digit", errors["line 3: 974760674"])
        self.assertIn("No customer", errors["line 5: K-404"])
        self.assertIn("already on line 2", errors["line 6: K-1"])
        self.assertEqual((wizard.customer_count, wizard.error_count), (2, 3))
        wizard.action_create_invoices()
        self.assertEqual(len(wizard.line_ids.invoice_id), 2)
        self.assertFalse(lines.filtered("error").invoice_id)

    def test_cannot_be_invoiced_reasons_and_failed_creation(self):
        gone = self._customer("Borte AS")
        big = self._customer("Stor AS")
        wizard = self._wizard(selection_mode="partners", partner_ids=[Command.set((self.a | gone | big).ids)])
        gone.active = False
        wizard.action_preview()
        by_partner = {line.partner_id: line for line in wizard.line_ids}
        self.assertIn("archived", by_partner[gone].error)
        self.assertFalse(by_partner[self.a].error or by_partner[big].error)
        # between the preview and the run, Stor AS gets a customer number its KID cannot hold
        self.env["l10n_no.customer.number"].create({"partner_id": big.id, "company_id": self.company.id,
                                                    "number": 1234567})
        wizard.action_create_invoices()
        self.assertIn("KID", by_partner[big].error)
        self.assertFalse(by_partner[big].invoice_id)
        self.assertEqual(by_partner[self.a].invoice_id.state, "posted")
        self.assertFalse(self.env["account.move"].search([("partner_id", "=", big.id)]))

    def test_rights(self):
        with self.assertRaises(AccessError):
            self.env["l10n_no.agreement.mass.invoice"].with_user(self.internal).create({})
        wizard = self._wizard(selection_mode="category")
        with self.assertRaises(UserError):
            wizard.action_preview()  # no category chosen

    def test_large_selection_queued_for_the_scheduled_job(self):
        """More customers than the manual limit (here 1): nothing is created while the user waits, the
        scheduled job is started and the user told; the job creates the invoices as that user, in batches
        (here of 1, so two batches), and the queued wizard survives the transient vacuum until it is done."""
        cron = self.env.ref("l10n_no_agreement.ir_cron_l10n_no_agreement_mass_invoice")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        wizard = self._wizard(selection_mode="category", category_ids=[Command.set(self.members.ids)])
        wizard.action_preview()
        with patch.object(mass_module, "MANUAL_LIMIT", 1):
            action = wizard.action_create_invoices()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("2 invoices", action["params"]["message"])
        self.assertEqual(wizard.state, "queued")
        self.assertFalse(wizard.line_ids.invoice_id)
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1)
        with self.assertRaisesRegex(UserError, "scheduled job already"):
            wizard.action_create_invoices()
        # the vacuum keeps a queued wizard and its lines however old, and drops an old draft one
        old = self._wizard(selection_mode="category", category_ids=[Command.set(self.members.ids)])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE l10n_no_agreement_mass_invoice SET write_date = now() - interval '2 days' WHERE id IN %s",
            [(wizard.id, old.id)])
        for table in ("l10n_no_agreement_mass_invoice_line", "l10n_no_agreement_mass_invoice_product"):
            self.env.cr.execute(SQL("UPDATE %s SET write_date = now() - interval '2 days' WHERE wizard_id IN %s",
                                    SQL.identifier(table), (wizard.id, old.id)))
        self.env.invalidate_all()
        for model in ("l10n_no.agreement.mass.invoice.line", "l10n_no.agreement.mass.invoice.product",
                      "l10n_no.agreement.mass.invoice"):
            self.env[model]._transient_clean_rows_older_than(3600)
        self.assertTrue(wizard.exists())
        self.assertEqual((len(wizard.line_ids), len(wizard.product_line_ids)), (2, 2))
        self.assertFalse(old.exists())
        # the job: a batch at a time, as the user who queued it
        Wizard = self.env["l10n_no.agreement.mass.invoice"]
        self.assertEqual(Wizard._cron_l10n_no_mass_invoice(batch_size=1), 1)
        self.assertEqual((len(wizard.line_ids.invoice_id), wizard.state), (1, "queued"))
        self.assertEqual(Wizard._cron_l10n_no_mass_invoice(batch_size=1), 1)
        invoices = wizard.line_ids.invoice_id
        self.assertEqual((len(invoices), wizard.state), (2, "done"))
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(invoices.create_uid, self.clerk)
        self.assertEqual(Wizard._cron_l10n_no_mass_invoice(batch_size=1), 0)
        with self.assertRaises(AccessError):
            Wizard.with_user(self.internal)._cron_l10n_no_mass_invoice()
