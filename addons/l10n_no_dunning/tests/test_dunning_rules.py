from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningRules(DunningCommon):

    def test_01_presets_per_company(self):
        kinds = self.levels.mapped("kind")
        self.assertEqual(kinds, ["soft_reminder", "reminder", "inkassovarsel", "handover"])
        inactive = self.env["l10n_no.dunning.level"].with_context(active_test=False).search(
            [("company_id", "=", self.company.id), ("active", "=", False)]
        )
        self.assertEqual(inactive.mapped("kind"), ["betalingsoppfordring"])
        self.assertTrue(self.level["reminder"].fee)
        self.assertEqual(self.level["inkassovarsel"].channel, "post")
        self.assertTrue(self.company.l10n_no_dunning_fee_product_id)
        self.env["res.lang"]._activate_lang("nb_NO")
        other = self.env["res.company"].create({"name": "Nytt AS"})
        other_levels = other.with_context(active_test=False).l10n_no_dunning_level_ids
        self.assertEqual(len(other_levels), 5)
        reminder = other_levels.filtered(lambda l: l.kind == "reminder")
        self.assertEqual(reminder.with_context(lang="nb_NO").name, "Purring")
        self.assertEqual(reminder.with_context(lang="en_US").name, "Reminder")

    def test_02_unlawful_levels_refused(self):
        with self.assertRaises(ValidationError):
            self.level["inkassovarsel"].deadline_days = 10
        with self.assertRaises(ValidationError):
            self.level["soft_reminder"].fee = True
        with self.assertRaises(ValidationError):
            self.level["inkassovarsel"].active = False  # the hand-over needs an inkassovarsel first

    def test_03_law_value_periods(self):
        with self.assertRaises(ValidationError):
            self.env["l10n_no.dunning.law.value"].create(
                {"law_table": "inkassosats", "period_start": date(2027, 7, 1), "value": 760}
            )
        value = self.env["l10n_no.dunning.law.value"].create(
            {"law_table": "inkassosats", "period_start": date(2027, 1, 1), "value": 760}
        )
        overrides = value._l10n_no_dunning_overrides()
        self.assertEqual(str(overrides.inkassosats[date(2027, 1, 1)]), "760.00")

    def test_04_run_states(self):
        run = self._new_run(date(2026, 1, 13))
        with self.assertRaises(UserError):
            run.action_confirm()
        run.action_propose()
        with self.assertRaises(UserError):
            run.action_propose()
        run.action_cancel()
        self.assertEqual(run.state, "cancel")
        self.assertTrue(run.name.startswith("DUN/"))

    def test_05_customer_kind_default(self):
        self.assertEqual(self.consumer.l10n_no_dunning_customer_kind, "consumer")
        self.assertEqual(self.business.l10n_no_dunning_customer_kind, "business")
        contact = self.env["res.partner"].create({"name": "Kari", "parent_id": self.business.id})
        self.assertEqual(contact.l10n_no_dunning_customer_kind, "business")

    def test_06_norwegian_letter(self):
        """The letter follows the customer's language; nb.po carries the legal texts."""
        self.env["res.lang"]._activate_lang("nb_NO")
        self.env["ir.module.module"]._load_module_terms(["l10n_no_dunning"], ["nb_NO"], overwrite=True)
        self.consumer.lang = "nb_NO"
        self._invoice(self.consumer, 1000.0, date(2026, 1, 10))
        run = self._run(date(2026, 1, 13))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "l10n_no_dunning.action_report_dunning_letter", run.letter_ids.ids
        )[0].decode()
        for text in ("Betalingspåminnelse", "Å betale", "Betalingsfrist", "Hovedstol"):
            self.assertIn(text, html)

    def test_07_multi_company_rules(self):
        """Runs, letters, items and levels of one company are invisible to a user of another."""
        self._invoice(self.consumer, 1000.0, date(2026, 1, 10))
        run = self._run(date(2026, 1, 13))
        other = self.env["res.company"].create({"name": "Annet AS"})
        user = self.env["res.users"].create({
            "name": "Regnskap Annet", "login": "regnskap-annet", "company_id": other.id,
            "company_ids": [(6, 0, other.ids)],
            "group_ids": [(6, 0, [self.env.ref("account.group_account_manager").id])],
        })
        for model, record in (
            ("l10n_no.dunning.run", run),
            ("l10n_no.dunning.letter", run.letter_ids),
            ("l10n_no.dunning.item", run.letter_ids.item_ids),
            ("l10n_no.dunning.level", self.levels),
        ):
            self.assertTrue(record)
            self.assertFalse(self.env[model].with_user(user).search([("id", "in", record.ids)]), model)
        self.assertEqual(len(self.env["l10n_no.dunning.level"].with_user(user).search([])), 4)

    def test_08_daily_job(self):
        """The cron proposes today's run per company (batches commit through ir.cron, patched here),
        sends only where the company allows it, and does not create a second run the same day."""
        self._invoice(self.consumer, 1000.0, date(2026, 1, 10))
        Run = self.env["l10n_no.dunning.run"].sudo()  # the cron runs as the superuser
        no_commit = patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda *a, **k: float("inf"))
        with freeze_time("2026-01-13 08:00:00"), no_commit:
            Run._cron_l10n_no_dunning()
            run = Run.search([("company_id", "=", self.company.id), ("trigger", "=", "cron")])
            self.assertEqual((len(run), run.state, run.date), (1, "proposed", date(2026, 1, 13)))
            self.assertEqual(run.letter_ids.state, "proposed")
            self.company.l10n_no_dunning_auto_send = True
            Run._cron_l10n_no_dunning()
            self.assertEqual(Run.search_count([("company_id", "=", self.company.id), ("trigger", "=", "cron")]), 1)
            self.assertEqual((run.state, run.letter_ids.state), ("done", "sent"))

    def test_20_handover_org_number_only_when_valid(self):
        """The agency gets a checked organisation number or none, never a cut-down VAT string."""
        from ..models.l10n_no_dunning_run import _valid_org_number  # noqa: PLC0415

        Partner = self.env["res.partner"]
        self.assertEqual(_valid_org_number(Partner.new({"name": "A", "company_registry": "974760673"})), "974760673")
        self.assertEqual(_valid_org_number(Partner.new({"name": "B", "vat": "NO 988 077 917 MVA"})), "988077917")
        self.assertEqual(_valid_org_number(Partner.new({"name": "C", "vat": "NO988077918MVA"})), "")
        self.assertEqual(_valid_org_number(Partner.new({"name": "D", "vat": "SE556677889901"})), "")
        self.assertEqual(_valid_org_number(Partner.new({"name": "E"})), "")
