from datetime import date
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from nofaktura import kid as nkid

from odoo.addons.l10n_no_agreement.models import l10n_no_agreement_run as run_module

from .common import AgreementCommon

OCA_LOGGER = "odoo.addons.contract.models.contract"
RUN_LOGGER = "odoo.addons.l10n_no_agreement.models.l10n_no_agreement_run"


@tagged("post_install", "-at_install")
class TestAgreementRun(AgreementCommon):
    def test_several_periods_posted_with_kid_and_queued_for_sending(self):
        customer = self._customer("Fjord AS")
        agreement = self._agreement(customer, date(2026, 1, 1), price=1200.0)
        for day in ("2026-01-01", "2026-02-01", "2026-03-01"):
            run = self._run(day)
            self.assertEqual((run.state, run.contract_count, run.invoice_count, run.failure_count), ("done", 1, 1, 0))
        invoices = self._invoices(agreement)
        self.assertEqual(invoices.mapped("l10n_no_agreement_period_start"),
                         [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)])
        self.assertEqual(invoices.mapped("invoice_date"), [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)])
        for invoice in invoices:
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(invoice.amount_total, 1200.0)
            self.assertEqual(len(invoice.payment_reference), 15)
            self.assertTrue(nkid.is_valid(invoice.payment_reference, "mod10"), invoice.payment_reference)
            if "l10n_no_dispatch.job" in self.env:
                # with the channel dispatch installed (a full install): one job per invoice, by its channel
                self.assertEqual(len(invoice.l10n_no_dispatch_job_ids), 1)
            else:
                # without it: handed to Odoo's own sending queue
                self.assertTrue(invoice.sending_data)
        self.assertIn("01/01/2026", invoices[0].invoice_line_ids.name)
        self.assertEqual(agreement.recurring_next_date, date(2026, 4, 1))
        # a second run the same day finds nothing due
        self.assertFalse(self._run("2026-03-01").invoice_count)
        self.assertEqual(len(self._invoices(agreement)), 3)

    def test_catch_up_one_invoice_per_missed_period_in_order(self):
        agreement = self._agreement(self._customer("Sein AS"), date(2025, 9, 1))
        run = self._run("2026-01-15")
        self.assertEqual((run.contract_count, run.invoice_count), (1, 5))
        invoices = self._invoices(agreement)
        self.assertEqual(invoices.mapped("l10n_no_agreement_period_start"),
                         [date(2025, m, 1) for m in (9, 10, 11, 12)] + [date(2026, 1, 1)])
        self.assertEqual(invoices.sorted("id").ids, invoices.ids, "created oldest period first")
        self.assertEqual(invoices.mapped("invoice_date"), invoices.mapped("l10n_no_agreement_period_start"))
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(agreement.recurring_next_date, date(2026, 2, 1))
        self.assertFalse(self._run("2026-01-20").invoice_count)

    def test_broken_agreement_is_listed_and_the_others_invoiced(self):
        good = [self._agreement(self._customer(f"Kunde{i} AS"), date(2026, 1, 1)) for i in range(3)]
        broken_customer = self._customer("Stor AS")
        # its customer number does not fit the KID agreement's 5 customer digits: posting fails
        self.env["l10n_no.customer.number"].create(
            {"partner_id": broken_customer.id, "company_id": self.company.id, "number": 1234567}
        )
        broken = self._agreement(broken_customer, date(2026, 1, 1))
        with mute_logger(OCA_LOGGER, RUN_LOGGER):
            run = self._run("2026-01-01")
        self.assertEqual((run.contract_count, run.invoice_count, run.failure_count), (3, 3, 1))
        self.assertEqual(run.failure_ids.contract_id, broken)
        self.assertEqual(run.failure_ids.period_date, date(2026, 1, 1))
        self.assertIn("KID", run.failure_ids.reason)
        for agreement in good:
            self.assertEqual(self._invoices(agreement).mapped("state"), ["posted"])
        self.assertFalse(self._invoices(broken), "the broken agreement's invoice is rolled back")
        self.assertEqual(broken.recurring_next_date, date(2026, 1, 1), "still due: the next run tries again")
        self.assertTrue(broken.invoice_generation_error)
        self.assertEqual(broken.l10n_no_agreement_failure_ids, run.failure_ids)
        # once fixed, the next run invoices it and clears OCA's flag
        self.env["l10n_no.customer.number"].search([("partner_id", "=", broken_customer.id)]).number = 99
        run = self._run("2026-01-02")
        self.assertEqual((run.contract_count, run.failure_count), (1, 0))
        self.assertFalse(broken.invoice_generation_error)

    def test_interrupted_run_restarts_without_duplicates(self):
        agreements = [self._agreement(self._customer(f"Avbrutt{i} AS"), date(2025, 11, 1)) for i in range(5)]
        runs = self.env["l10n_no.agreement.run"].sudo()
        cron = self.env.ref("l10n_no_agreement.ir_cron_l10n_no_agreement_invoice")
        # The scheduler's time runs out after the first batch of two agreements.
        with self._today("2026-01-05"), patch.object(run_module, "BATCH_SIZE", 2), \
                patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *a, **k: 0):
            self.assertFalse(runs.with_context(cron_id=cron.id)._cron_l10n_no_agreement())
            first = runs.search([("company_id", "=", self.company.id)], limit=1)
            self.assertEqual(first.state, "stopped")
        self.assertEqual(first.contract_count, 2)
        # ... it was started again (cron._trigger) and goes on where it stopped.
        with self._today("2026-01-05"):
            self.assertTrue(runs._cron_l10n_no_agreement())
        for agreement in agreements:
            invoices = self._invoices(agreement)
            self.assertEqual(invoices.mapped("l10n_no_agreement_period_start"),
                             [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)])

    def test_same_period_never_invoiced_twice(self):
        agreement = self._agreement(self._customer("Dobbel AS"), date(2026, 1, 1))
        self._run("2026-01-01")
        # A worker whose changes to the agreement were lost (but not its invoice) would invoice January
        # again: the database refuses it and the run lists the agreement.
        agreement.contract_line_ids.write({"last_date_invoiced": False, "recurring_next_date": date(2026, 1, 1)})
        with mute_logger(OCA_LOGGER, RUN_LOGGER, "odoo.sql_db"):
            run = self._run("2026-01-02")
        self.assertEqual(run.failure_count, 1)
        self.assertIn("already been invoiced", run.failure_ids.reason)
        self.assertEqual(len(self._invoices(agreement)), 1)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._invoices(agreement).copy({
                "l10n_no_agreement_contract_id": agreement.id,
                "l10n_no_agreement_period_start": date(2026, 1, 1),
            })

    def test_oca_job_runs_our_run(self):
        agreement = self._agreement(self._customer("Oca AS"), date(2026, 1, 1))
        with self._today("2026-01-01"):
            self.env["contract.contract"]._cron_recurring_create()
        self.assertEqual(self._invoices(agreement).mapped("state"), ["posted"])
        self.assertFalse(self.env.ref("contract.contract_cron_for_invoice").active)

    def test_only_billing_users_run(self):
        self._agreement(self._customer("Rett AS"), date(2026, 1, 1))
        with self.assertRaises(AccessError):
            self.env["l10n_no.agreement.run"].with_user(self.internal).action_run_now()
        run = self._run("2026-01-01")
        with self.assertRaises(AccessError):
            run.with_user(self.clerk).write({"invoice_count": 0})
        with self.assertRaises(AccessError):
            self.env["l10n_no.agreement.run"].with_user(self.clerk).create(
                {"name": "x", "company_id": self.company.id, "date": date(2026, 1, 1), "trigger": "manual"}
            )

    def test_large_selection_goes_to_the_scheduled_job(self):
        """More agreements due than the manual limit (here 2): nothing is invoiced while the user waits, the
        scheduled job is started and the user told; the job then invoices them (sharing batches); a small
        selection is invoiced at once."""
        agreements = self.env["contract.contract"]
        for name in ("Stor A AS", "Stor B AS", "Stor C AS"):
            agreements |= self._agreement(self._customer(name), date(2026, 1, 1))
        cron = self.env.ref("l10n_no_agreement.ir_cron_l10n_no_agreement_invoice")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        with patch.object(run_module, "MANUAL_LIMIT", 2), \
                patch("odoo.addons.l10n_no_agreement.models.contract_contract.MANUAL_LIMIT", 2):
            with self._today("2026-01-01"):
                action = agreements.with_user(self.clerk).action_l10n_no_agreement_invoice_now()
                self.assertEqual(action["tag"], "display_notification")
                self.assertIn("3 agreements are due", action["params"]["message"])
                self.assertFalse(self.env["account.move"].search_count(
                    [("l10n_no_agreement_contract_id", "in", agreements.ids)]))
                self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1)
                # the company's "Run now" says the same
                action = self.env["l10n_no.agreement.run"].with_user(self.clerk).action_run_now()
                self.assertEqual(action["tag"], "display_notification")
                # the scheduled job invoices them
                self.env["l10n_no.agreement.run"]._cron_l10n_no_agreement()
            for agreement in agreements:
                self.assertEqual(len(self._invoices(agreement)), 1)
            # a small selection (within the limit) is invoiced at once
            small = self._agreement(self._customer("Liten AS"), date(2026, 2, 1))
            run = self._run("2026-02-01", contracts=small)
            self.assertEqual((run.contract_count, run.invoice_count), (1, 1))
