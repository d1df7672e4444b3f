from odoo.tests import HttpCase, tagged

from .common import COMPANY_ORGNR, CUSTOMER_ORGNR, BrregCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestPartnerAutocompleteTour(BrregCommon, HttpCase):
    """The organisation-number widget in a real browser: suggestions from the (fake) register while typing
    a name, and the form filled by the server once one is chosen."""

    def test_partner_autocomplete(self):
        self.start_tour("/odoo/action-account.res_partner_action_customer/new",
                        "l10n_no_brreg_partner_autocomplete", login="brreg_sysadmin")
        partner = self.env["res.partner"].search([("l10n_no_bronnoysund_number", "=", CUSTOMER_ORGNR)])
        self.assertEqual(partner.name, "KUNDE AS")
        self.assertEqual(partner.vat, f"NO{CUSTOMER_ORGNR}MVA")
        self.assertEqual(partner.city, "OSLO")


@tagged("post_install", "-at_install", "post_install_l10n")
class TestSetupAssistantTour(BrregCommon, HttpCase):
    """The setup assistant in a real browser, from its menu to the shrunk check list, as an accounting and
    system administrator; the company data is then read back from the database."""

    tour_login = "brreg_sysadmin"

    def _checklist(self):
        return {item["key"]: item["done"] for item in self.company._l10n_no_invoicing_checklist()}

    def test_setup_assistant(self):
        self._run_setup_tour()

    def _run_setup_tour(self):
        company = self.company
        company.l10n_no_ehf_access_point_id = False
        Level = self.env["l10n_no.dunning.level"].with_context(active_test=False)
        Level.search([("company_id", "=", company.id)]).unlink()
        journal = self.env["l10n_no_invoicing.setup"].with_user(self.sysadmin)._default_bank_journal()
        journal.bank_account_id = False
        before = self._checklist()
        for key in ("org_number", "address", "bank_account", "kid_agreement", "access_point", "dunning_levels"):
            self.assertFalse(before[key], f"{key} must be missing before the tour, or the tour proves nothing")

        self.start_tour("/odoo", "l10n_no_invoicing_setup_assistant", login=self.tour_login)

        self.assertEqual(company.name, "FJORDFAKTURA AS")
        self.assertEqual(company.vat, f"NO{COMPANY_ORGNR}MVA")
        self.assertEqual(company.l10n_no_bronnoysund_number, COMPANY_ORGNR)
        self.assertEqual((company.street, company.zip, company.city), ("Tyvholmen 1", "0101", "OSLO"))
        self.assertTrue(company.l10n_no_foretaksregisteret)
        self.assertEqual(journal.bank_account_id.sanitized_acc_number, "86011117947")
        self.assertEqual(journal.bank_account_id.partner_id, company.partner_id)
        self.assertTrue(journal.l10n_no_kid_enabled)
        self.assertEqual((journal.l10n_no_kid_algorithm, journal.l10n_no_kid_length), ("mod11", 10))
        self.assertEqual(company.l10n_no_ehf_access_point_id.name, "Tour access point")
        levels = {level.kind: level.active for level in Level.search([("company_id", "=", company.id)])}
        self.assertTrue(levels["reminder"])
        self.assertFalse(levels["inkassovarsel"], "the reminders-only preset was chosen")
        after = self._checklist()
        self.assertEqual([key for key, done in after.items() if not done and key != "law_values"], [])


@tagged("post_install", "-at_install", "post_install_l10n")
class TestSetupAssistantTourPhone(TestSetupAssistantTour):
    """The same at phone width with touch: the menu is in the app sidebar, the dialog is full screen."""

    browser_size = "375x667"
    touch_enabled = True

    def test_setup_assistant(self):
        self._run_setup_tour()
