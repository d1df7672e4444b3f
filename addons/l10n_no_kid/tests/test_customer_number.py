from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..hooks import assign_customer_numbers
from .common import L10nNoKidCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestCustomerNumber(L10nNoKidCommon):
    def test_01_assigned_on_demand_and_stable(self):
        """A number is assigned once per commercial partner and company, and then always returned."""
        number = self.partner_no._l10n_no_get_customer_number(self.company)
        self.assertGreater(number, 0)
        self.assertEqual(self.partner_no._l10n_no_get_customer_number(self.company), number)
        contact = self.env["res.partner"].create({"name": "Ola Nordmann", "parent_id": self.partner_no.id})
        self.assertEqual(contact._l10n_no_get_customer_number(self.company), number, "contacts share it")
        self.assertEqual(self.partner_no.with_company(self.company).l10n_no_customer_number, str(number))

    def test_02_distinct_numbers(self):
        """Two customers never share a number."""
        other = self._create_partner_no("Annen Kunde AS")
        first = self.partner_no._l10n_no_get_customer_number(self.company)
        second = other._l10n_no_get_customer_number(self.company)
        self.assertNotEqual(first, second)

    def test_03_unique_in_database(self):
        """The database refuses a second row with the same number, or a second number for a partner."""
        number = self.partner_no._l10n_no_get_customer_number(self.company)
        other = self._create_partner_no("Tredje Kunde AS")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["l10n_no.customer.number"].create(
                {"partner_id": other.id, "company_id": self.company.id, "number": number}
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["l10n_no.customer.number"].create(
                {"partner_id": self.partner_no.id, "company_id": self.company.id, "number": number + 1000}
            )

    def test_04_never_deleted_never_reused(self):
        """Numbers survive archiving and cannot be deleted; the sequence skips hand-entered numbers."""
        number = self.partner_no._l10n_no_get_customer_number(self.company)
        record = self.env["l10n_no.customer.number"].search(
            [("partner_id", "=", self.partner_no.id), ("company_id", "=", self.company.id)]
        )
        self.partner_no.action_archive()
        self.assertTrue(record.exists())
        with self.assertRaises(UserError):
            record.unlink()
        # a number imported from an earlier system, right where the sequence is heading
        imported = self._create_partner_no("Importert AS")
        self.env["l10n_no.customer.number"].create(
            {"partner_id": imported.id, "company_id": self.company.id, "number": number + 1}
        )
        newcomer = self._create_partner_no("Ny Kunde AS")
        self.assertNotIn(newcomer._l10n_no_get_customer_number(self.company), (number, number + 1))

    def test_05_per_company(self):
        """Each company numbers its own customers; a user sees only the numbers of their companies."""
        other_company = self.setup_other_company(name="Annet Selskap AS")["company"]
        here = self.partner_no._l10n_no_get_customer_number(self.company)
        there = self.partner_no._l10n_no_get_customer_number(other_company)
        self.assertTrue(here and there)
        records = self.env["l10n_no.customer.number"].sudo().search([("partner_id", "=", self.partner_no.id)])
        self.assertEqual(len(records), 2)
        user = self.env["res.users"].create(
            {
                "name": "Regnskap",
                "login": "kid_mc_user",
                "group_ids": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
                "company_id": self.company.id,
                "company_ids": [(6, 0, [self.company.id])],
            }
        )
        visible = self.env["l10n_no.customer.number"].with_user(user).search([("partner_id", "=", self.partner_no.id)])
        self.assertEqual(visible.company_id, self.company)

    def test_06_existing_customers_get_numbers_on_install(self):
        """The install hook numbers commercial partners with customer invoices or customer rank."""
        with_invoice = self._create_partner_no("Fakturert AS")
        self._invoice(partner=with_invoice, post=False, bank_account=False)
        ranked = self._create_partner_no("Rangert AS", customer_rank=1, company_id=self.company.id)
        vendor_only = self._create_partner_no("Leverandør AS", supplier_rank=1, company_id=self.company.id)
        Numbers = self.env["l10n_no.customer.number"]
        self.assertFalse(Numbers.search([("partner_id", "in", (with_invoice | ranked).ids)]))
        assigned = assign_customer_numbers(self.env, batch_size=1)
        for partner in (with_invoice, ranked):
            self.assertEqual(
                Numbers.search_count([("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]),
                1,
                partner.name,
            )
        self.assertGreaterEqual(assigned, 2)
        self.assertFalse(Numbers.search([("partner_id", "=", vendor_only.id)]))
        self.assertEqual(assign_customer_numbers(self.env), 0, "running again assigns nothing new")

    def test_07_visible_to_users_without_accounting_rights(self):
        """Any internal user displaying a partner sees its number; only accounting groups see the records."""
        number = self.partner_no._l10n_no_get_customer_number(self.company)
        user = self.env["res.users"].create(
            {
                "name": "Selger",
                "login": "kid_plain_user",
                "group_ids": [(6, 0, [self.env.ref("base.group_user").id])],
                "company_id": self.company.id,
                "company_ids": [(6, 0, [self.company.id])],
            }
        )
        partner = self.partner_no.with_user(user).with_company(self.company)
        self.assertEqual(partner.l10n_no_customer_number, str(number))

    def test_08_batch_post_numbers_every_customer(self):
        """Posting invoices of several new customers at once numbers each customer once, KIDs distinct."""
        first, second = self._create_partner_no("Batch En AS"), self._create_partner_no("Batch To AS")
        moves = (
            self._invoice(partner=first, post=False)
            | self._invoice(partner=second, post=False)
            | self._invoice(partner=first, post=False)
        )
        moves.action_post()
        Numbers = self.env["l10n_no.customer.number"]
        for partner in (first, second):
            self.assertEqual(
                Numbers.search_count([("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]), 1
            )
        self.assertEqual(len(set(moves.mapped("payment_reference"))), 3)
        self.assertTrue(all(moves.mapped("payment_reference")))
