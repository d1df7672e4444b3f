from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import L10nNoDispatchCommon


@tagged("post_install", "-at_install")
class TestDispatchSecurity(L10nNoDispatchCommon):
    """Who may send, retry and cancel; direct writes refused; another company's jobs invisible."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls._user_cls("dispatch_billing", ["base.group_user", "account.group_account_invoice"])
        cls.internal = cls._user_cls("dispatch_internal", ["base.group_user"])
        cls.company_b = cls.env["res.company"].create({"name": "Selskap B AS"})
        cls.billing_b = cls._user_cls("dispatch_billing_b", ["base.group_user", "account.group_account_invoice"],
                                      company=cls.company_b)

    @classmethod
    def _user_cls(cls, login, groups, company=None):
        from odoo import Command
        company = company or cls.company
        return cls.env["res.users"].create({
            "name": login, "login": login, "email": f"{login}@example.no",
            "company_id": company.id, "company_ids": [Command.set(company.ids)],
            "group_ids": [Command.set([cls.env.ref(g).id for g in groups])],
        })

    def test_billing_may_send_internal_may_not(self):
        move = self._customer_invoice(self.paper_customer)
        with self.assertRaises(AccessError):
            move.with_user(self.internal).action_l10n_no_dispatch_send()
        result = move.with_user(self.billing).action_l10n_no_dispatch_send()
        self.assertEqual(result["type"], "ir.actions.client")
        self.assertEqual(move.l10n_no_dispatch_state, "queued")

    def test_direct_writes_and_creates_are_refused(self):
        move = self._customer_invoice(self.paper_customer)
        job = move.with_user(self.billing)._l10n_no_dispatch_enqueue()
        for values in ({"state": "sent"}, {"channel": "email"}, {"idempotency_key": "other"}, {"attempts": 0}):
            with self.assertRaises(AccessError):
                job.with_user(self.billing).write(values)
        with self.assertRaises(AccessError):
            self.env["l10n_no_dispatch.job"].with_user(self.billing).create({
                "company_id": self.company.id, "move_id": move.id, "channel": "print", "idempotency_key": "x"})
        # even an administrator goes through the actions (only superuser code writes jobs)
        with self.assertRaises(AccessError):
            job.with_user(self.env.ref("base.user_admin")).write({"state": "printed"})

    def test_internal_user_may_not_retry_or_cancel(self):
        move = self._customer_invoice(self.paper_customer)
        job = move._l10n_no_dispatch_enqueue()
        with self.assertRaises(AccessError):
            job.with_user(self.internal).action_cancel()
        self.assertTrue(job.with_user(self.billing).action_cancel())
        self.assertEqual(job.state, "cancelled")

    def test_billing_retries_a_failed_job(self):
        self.paper_customer.write({"l10n_no_dispatch_channel": "print", "l10n_no_dispatch_fallback": "none"})
        move = self._customer_invoice(self.paper_customer)
        job = move._l10n_no_dispatch_enqueue()
        # the print house cannot be reached, and the company allows one try: the job fails for good
        self.company.sudo().write({"l10n_no_dispatch_print_folder": "/proc/nonexistent/print",
                                   "l10n_no_dispatch_max_attempts": 1})
        self._run_cron()
        self.assertEqual(job.state, "failed")
        self.company.sudo().l10n_no_dispatch_print_folder = self.print_dir
        self.assertTrue(job.with_user(self.billing).action_retry())
        self.assertEqual(job.state, "queued")
        self._run_cron()
        self.assertEqual(job.state, "printed")

    def test_other_company_jobs_are_invisible(self):
        move = self._customer_invoice(self.paper_customer)
        job = move._l10n_no_dispatch_enqueue()
        Job = self.env["l10n_no_dispatch.job"]
        self.assertFalse(Job.with_user(self.billing_b).search([("id", "=", job.id)]))
        self.assertEqual(Job.with_user(self.billing).search([("id", "=", job.id)]), job)
        with self.assertRaises(AccessError):
            job.with_user(self.billing_b).action_cancel()

    def test_secrets_are_for_administrators_only(self):
        company = self.company.with_user(self.billing)
        with self.assertRaises(AccessError):
            company.read(["l10n_no_dispatch_digipost_key_password"])
        with self.assertRaises(AccessError):
            company.read(["l10n_no_dispatch_digipost_key"])
