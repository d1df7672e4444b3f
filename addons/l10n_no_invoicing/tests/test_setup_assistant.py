from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import COMPANY_ORGNR, GONE_ORGNR, BrregCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestSetupAssistant(BrregCommon):
    def _wizard(self, user, **values):
        return self.env["l10n_no_invoicing.setup"].with_user(user).create(values)

    def _items(self, wizard):
        return {item["key"]: item for item in wizard.l10n_no_invoicing_checklist()}

    def test_company_from_register_is_shown_before_it_is_written(self):
        wizard = self._wizard(self.sysadmin, orgnr="988 077 917")
        action = wizard.action_lookup_company()
        self.assertEqual(action["res_id"], wizard.id)
        self.assertEqual(wizard.brreg_status, "found")
        self.assertEqual(wizard.brreg_name, "FJORDFAKTURA AS")
        self.assertEqual(wizard.brreg_vat, f"NO{COMPANY_ORGNR}MVA")
        self.assertTrue(wizard.brreg_foretaksregisteret)
        self.assertIn("62.010", wizard.brreg_nace)
        self.assertEqual(wizard.brreg_address, "Tyvholmen 1\n0101 OSLO")
        self.assertNotEqual(self.company.name, "FJORDFAKTURA AS", "nothing is written before confirmation")
        self.assertFalse(self.company.vat)

        wizard.action_apply_company()
        self.assertEqual(wizard.step, "bank")
        company = self.company
        self.assertEqual(company.name, "FJORDFAKTURA AS")
        self.assertEqual(company.vat, f"NO{COMPANY_ORGNR}MVA")
        self.assertEqual(company.l10n_no_bronnoysund_number, COMPANY_ORGNR)
        self.assertEqual((company.street, company.zip, company.city), ("Tyvholmen 1", "0101", "OSLO"))
        self.assertTrue(company.l10n_no_foretaksregisteret)
        self.assertTrue(company.l10n_no_ehf_foretaksregisteret)
        self.assertTrue(company.l10n_no_invoicing_nace.startswith("62.010"))
        self.assertTrue(company.l10n_no_invoicing_org_form.startswith("AS"))
        self.assertTrue(self._items(wizard)["org_number"]["done"])

    def test_company_step_needs_a_system_administrator(self):
        wizard = self._wizard(self.acc_admin, orgnr=COMPANY_ORGNR)
        with self.assertRaises(AccessError):
            wizard.action_lookup_company()
        with self.assertRaises(AccessError):
            wizard.action_apply_company()
        with self.assertRaises(AccessError):
            self.env["l10n_no_invoicing.setup"].with_user(self.billing).create({})

    def test_service_down_shows_a_message_and_changes_nothing(self):
        wizard = self._wizard(self.sysadmin, orgnr=COMPANY_ORGNR)
        with self.service_down("timeout"):
            wizard.action_lookup_company()
        self.assertEqual(wizard.brreg_status, "unavailable")
        self.assertIn("Enhetsregisteret", wizard.brreg_message)
        with self.assertRaises(UserError):
            wizard.action_apply_company()
        self.assertFalse(self.company.vat)

    def test_bad_unknown_and_gone_numbers(self):
        wizard = self._wizard(self.sysadmin, orgnr="988077918")
        wizard.action_lookup_company()
        self.assertEqual(wizard.brreg_status, "invalid")
        self.assertFalse(self.fake.requests, "a bad check digit is refused before any request")
        wizard.orgnr = GONE_ORGNR
        wizard.action_lookup_company()
        self.assertEqual(wizard.brreg_status, "deleted")
        self.assertIn("deleted", wizard.brreg_message)

    def test_bank_account_and_kid_agreement(self):
        wizard = self._wizard(self.acc_admin, step="bank", bank_acc_number="8601 11 17947",
                              kid_layout="invoice_mod11", kid_mandatory=True)
        journal = wizard.bank_journal_id
        self.assertTrue(journal, "the company's bank journal is proposed")
        wizard.action_setup_bank()
        self.assertEqual(wizard.step, "access_point")
        self.assertEqual(journal.bank_account_id.sanitized_acc_number, "86011117947")
        self.assertEqual(journal.bank_account_id.partner_id, self.company.partner_id)
        self.assertTrue(journal.l10n_no_kid_enabled)
        self.assertEqual((journal.l10n_no_kid_algorithm, journal.l10n_no_kid_length), ("mod11", 10))
        self.assertTrue(journal.l10n_no_kid_mandatory)
        items = self._items(wizard)
        self.assertTrue(items["bank_account"]["done"] and items["kid_agreement"]["done"])

    def test_bank_step_checks_the_number_and_the_caller(self):
        wizard = self._wizard(self.acc_admin, step="bank", bank_acc_number="8601 11 17948")
        with self.assertRaises(UserError):
            wizard.action_setup_bank()
        self.assertFalse(self.company_data["default_journal_bank"].l10n_no_kid_enabled)

    def test_access_point_only_by_system_administrator(self):
        wizard = self._wizard(self.acc_admin, step="access_point", ap_name="Our AP", ap_transport_type="memory")
        with self.assertRaises(AccessError):
            wizard.action_setup_access_point()
        wizard = self._wizard(self.sysadmin, step="access_point", ap_name="Our AP", ap_transport_type="memory",
                              access_point_id=False)
        wizard.action_setup_access_point()
        self.assertEqual(self.company.l10n_no_ehf_access_point_id.name, "Our AP")
        self.assertTrue(self._items(wizard)["access_point"]["done"])

    def test_dunning_preset_and_law_value(self):
        wizard = self._wizard(self.acc_admin, step="dunning", dunning_preset="reminders_only")
        wizard.action_setup_dunning()
        Level = self.env["l10n_no.dunning.level"].with_context(active_test=False)
        levels = {lvl.kind: lvl for lvl in Level.search([("company_id", "=", self.company.id)])}
        self.assertTrue(levels["reminder"].active)
        self.assertFalse(levels["inkassovarsel"].active)
        self.assertFalse(levels["handover"].active)
        wizard.write({"step": "dunning", "dunning_preset": "standard"})
        wizard.action_setup_dunning()
        self.assertTrue(levels["inkassovarsel"].active and levels["handover"].active)
        self.assertEqual(wizard.step, "checklist")

    def test_law_value_missing_for_the_coming_half_year_is_listed_and_can_be_entered(self):
        company = self.company
        far = date(2099, 3, 1)
        items = {i["key"]: i for i in company._l10n_no_invoicing_checklist(today=far)}
        self.assertFalse(items["law_values"]["done"])
        self.assertIn("2099-01-01", items["law_values"]["hint"])
        self.assertIn("2099-07-01", items["law_values"]["hint"], "the coming half-year is checked too")
        LawValue = self.env["l10n_no.dunning.law.value"].with_user(self.acc_admin)
        for table in ("inkassosats", "forsinkelsesrente", "standardkompensasjon"):
            values = {"inkassosats": 700.0, "forsinkelsesrente": 12.5, "standardkompensasjon": 350.0}
            LawValue.create({"company_id": company.id, "law_table": table, "period_start": "2099-01-01",
                             "value": values[table]})
            if table != "inkassosats":
                LawValue.create({"company_id": company.id, "law_table": table, "period_start": "2099-07-01",
                                 "value": values[table]})
        items = {i["key"]: i for i in company._l10n_no_invoicing_checklist(today=far)}
        self.assertTrue(items["law_values"]["done"], items["law_values"]["hint"])

    def test_checklist_html_and_settings_block(self):
        settings = self.env["res.config.settings"].with_user(self.sysadmin).create({})
        html = str(settings.l10n_no_invoicing_checklist_html)
        self.assertIn("data-key='org_number' data-done='0'", html)
        action = settings.action_l10n_no_invoicing_open_setup()
        self.assertEqual(action["res_model"], "l10n_no_invoicing.setup")
        self.assertEqual(action["target"], "new")

    def test_steps_can_be_skipped_and_finished(self):
        wizard = self._wizard(self.acc_admin)
        wizard.action_next_step()
        self.assertEqual(wizard.step, "bank")
        wizard.action_previous_step()
        self.assertEqual(wizard.step, "company")
        todo = self.env.ref("l10n_no_invoicing.todo_l10n_no_invoicing_setup")
        todo.state = "open"
        self.assertEqual(wizard.action_finish()["type"], "ir.actions.act_window_close")
        self.assertEqual(todo.state, "done")
