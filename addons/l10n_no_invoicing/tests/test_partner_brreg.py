from odoo import sql_db
from odoo.exceptions import AccessError, ConcurrencyError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import (
    BANKRUPT_ORGNR,
    CUSTOMER_ORGNR,
    GONE_ORGNR,
    NO_VAT_ORGNR,
    UNKNOWN_ORGNR,
    BrregCommon,
)


@tagged("post_install", "-at_install", "post_install_l10n")
class TestPartnerBrreg(BrregCommon):
    def _partner(self, orgnr, vat=None, **values):
        return self.env["res.partner"].create({
            "name": values.pop("name", f"Partner {orgnr}"), "is_company": True,
            "country_id": self.env.ref("base.no").id, "l10n_no_bronnoysund_number": orgnr,
            "vat": vat or False, **values,
        })

    def test_typing_the_number_fills_the_form(self):
        with Form(self.env["res.partner"].with_user(self.billing)) as form:
            form.company_type = "company"
            form.l10n_no_bronnoysund_number = CUSTOMER_ORGNR
            self.assertEqual(form.name, "KUNDE AS")
            self.assertEqual(form.country_id, self.env.ref("base.no"))
            self.assertEqual(form.vat, f"NO{CUSTOMER_ORGNR}MVA")
            self.assertEqual((form.street, form.zip, form.city), ("Tyvholmen 1", "0101", "OSLO"))
        partner = form.record
        self.assertEqual(partner.name, "KUNDE AS")

    def test_form_still_saves_when_the_register_is_down(self):
        with self.service_down("connect"), Form(self.env["res.partner"].with_user(self.billing)) as form:
            form.name = "Typed By Hand AS"
            form.company_type = "company"
            form.country_id = self.env.ref("base.no")
            form.l10n_no_bronnoysund_number = CUSTOMER_ORGNR  # the onchange gets a warning, no exception
            self.assertEqual(form.name, "Typed By Hand AS")
        self.assertTrue(form.record.id)

    def test_check_flags_bankrupt_deleted_unknown_and_vat_mismatch(self):
        ok = self._partner(CUSTOMER_ORGNR, vat=f"NO{CUSTOMER_ORGNR}MVA")
        bankrupt = self._partner(BANKRUPT_ORGNR, vat=f"NO{BANKRUPT_ORGNR}MVA")
        gone = self._partner(GONE_ORGNR)
        unknown = self._partner(UNKNOWN_ORGNR)
        vat_not_registered = self._partner(NO_VAT_ORGNR, vat=f"NO{NO_VAT_ORGNR}MVA")
        vat_missing = self._partner(CUSTOMER_ORGNR, name="Kunde without VAT")
        partners = ok | bankrupt | gone | unknown | vat_not_registered | vat_missing
        partners.with_user(self.billing).action_l10n_no_brreg_check()
        self.assertFalse(ok.l10n_no_brreg_flag, ok.l10n_no_brreg_reason)
        self.assertTrue(ok.l10n_no_brreg_checked)
        self.assertTrue(bankrupt.l10n_no_brreg_flag)
        self.assertIn("konkurs", bankrupt.l10n_no_brreg_reason)
        self.assertIn("2026-03-01", bankrupt.l10n_no_brreg_reason)
        self.assertTrue(gone.l10n_no_brreg_flag)
        self.assertIn("Deleted", gone.l10n_no_brreg_reason)
        self.assertTrue(unknown.l10n_no_brreg_flag)
        self.assertIn("no unit", unknown.l10n_no_brreg_reason)
        self.assertTrue(vat_not_registered.l10n_no_brreg_flag)
        self.assertIn("not in the VAT register", vat_not_registered.l10n_no_brreg_reason)
        self.assertTrue(vat_missing.l10n_no_brreg_flag)
        self.assertIn(f"NO{CUSTOMER_ORGNR}MVA", vat_missing.l10n_no_brreg_reason)

    def test_service_down_keeps_earlier_findings(self):
        bankrupt = self._partner(BANKRUPT_ORGNR, vat=f"NO{BANKRUPT_ORGNR}MVA")
        bankrupt._l10n_no_brreg_check()
        self.assertTrue(bankrupt.l10n_no_brreg_flag)
        with self.service_down("500"):
            action = bankrupt.with_user(self.billing).action_l10n_no_brreg_check()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Enhetsregisteret", action["params"]["message"])
        self.assertTrue(bankrupt.l10n_no_brreg_flag, "a failed check does not clear a warning")

    def test_answers_are_cached(self):
        self._partner(CUSTOMER_ORGNR, vat=f"NO{CUSTOMER_ORGNR}MVA")._l10n_no_brreg_check()
        self._partner(CUSTOMER_ORGNR, vat=f"NO{CUSTOMER_ORGNR}MVA", name="Second")._l10n_no_brreg_check()
        self.assertEqual(len(self.fake.requests), 1)
        entry = self.env["l10n_no_invoicing.brreg.entry"].search([("orgnr", "=", CUSTOMER_ORGNR)])
        self.assertEqual((entry.state, entry.name), ("found", "KUNDE AS"))

    def test_flags_cannot_be_written_by_hand(self):
        partner = self._partner(BANKRUPT_ORGNR)
        partner._l10n_no_brreg_check()
        with self.assertRaises(AccessError):
            partner.with_user(self.billing).write({"l10n_no_brreg_flag": False})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.billing).create({"name": "X", "l10n_no_brreg_flag": True})
        self.assertTrue(partner.l10n_no_brreg_flag)

    def test_cron_checks_in_batches(self):
        partners = self._partner(CUSTOMER_ORGNR, vat=f"NO{CUSTOMER_ORGNR}MVA") | self._partner(BANKRUPT_ORGNR) \
            | self._partner(GONE_ORGNR)
        result = self.env["res.partner"]._cron_l10n_no_brreg_check_partners(batch_size=2)
        self.assertGreaterEqual(result["checked"], 3)
        self.assertTrue(all(partners.mapped("l10n_no_brreg_checked")))
        self.assertEqual(partners.mapped("l10n_no_brreg_flag"), [False, True, True])
        again = self.env["res.partner"]._cron_l10n_no_brreg_check_partners(batch_size=2)
        self.assertEqual(again["checked"], 0, "checked partners wait for the re-check period")

    def test_switched_off_sends_nothing(self):
        self.company.l10n_no_brreg_enabled = False
        partner = self._partner(BANKRUPT_ORGNR)
        result = partner._l10n_no_brreg_check()
        self.assertEqual(result["skipped"], 1)
        self.assertFalse(self.fake.requests)
        self.assertFalse(partner.l10n_no_brreg_flag)

    def test_lookup_wizard_creates_a_vendor_by_name(self):
        Lookup = self.env["l10n_no_invoicing.partner.lookup"].with_user(self.billing)
        wizard = Lookup.create({"query": "konkurs", "partner_role": "vendor"})
        wizard.action_search()
        self.assertEqual(wizard.line_ids.mapped("name"), ["KONKURS AS"])
        self.assertEqual(wizard.line_ids.warning, "bankrupt")
        action = wizard.line_ids.action_use()
        vendor = self.env["res.partner"].browse(action["res_id"])
        self.assertEqual(vendor.l10n_no_bronnoysund_number, BANKRUPT_ORGNR)
        self.assertEqual((vendor.supplier_rank, vendor.customer_rank), (1, 0))
        self.assertTrue(vendor.l10n_no_brreg_flag, "a new partner is checked at once")

    def test_lookup_wizard_does_not_create_a_customer_another_transaction_is_creating(self):
        """Two clerks create the same customer at once (two workers). Another connection commits the number's
        cached answer after this transaction began, as the first clerk's transaction does: this one cannot see
        it (repeatable read), so it must have Odoo retry it (ConcurrencyError) instead of creating a second
        partner. (The acceptance test test_11_brreg_setup runs the two clerks for real.)"""
        wizard = self.env["l10n_no_invoicing.partner.lookup"].with_user(self.billing).create({"query": CUSTOMER_ORGNR})
        line = self.env["l10n_no_invoicing.partner.lookup.line"].with_user(self.billing).create({
            "wizard_id": wizard.id, "orgnr": CUSTOMER_ORGNR, "name": "KUNDE AS"})
        Partner = self.env["res.partner"]
        before = Partner.search_count([("l10n_no_bronnoysund_number", "=", CUSTOMER_ORGNR)])
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("INSERT INTO l10n_no_invoicing_brreg_entry (orgnr, state, fetched_at) "
                          "VALUES (%s, 'found', now() AT TIME ZONE 'UTC')", [CUSTOMER_ORGNR])
            other.commit()
            with mute_logger("odoo.sql_db"), self.assertRaises(ConcurrencyError):
                line.action_use()
        finally:
            other.execute("DELETE FROM l10n_no_invoicing_brreg_entry WHERE orgnr = %s", [CUSTOMER_ORGNR])
            other.commit()
            other.close()
        self.assertEqual(Partner.search_count([("l10n_no_bronnoysund_number", "=", CUSTOMER_ORGNR)]), before)

    def test_lookup_wizard_by_number_and_service_down(self):
        Lookup = self.env["l10n_no_invoicing.partner.lookup"].with_user(self.billing)
        wizard = Lookup.create({"query": "974 760 673"})
        wizard.action_search()
        self.assertEqual(wizard.line_ids.orgnr, CUSTOMER_ORGNR)
        with self.service_down("timeout"):
            wizard = Lookup.create({"query": "kunde"})
            wizard.action_search()
        self.assertFalse(wizard.line_ids)
        self.assertIn("Enhetsregisteret", wizard.message)

    def test_partner_button_fills_existing_partner(self):
        partner = self._partner(CUSTOMER_ORGNR, name="kunde")
        action = partner.with_user(self.billing).action_l10n_no_brreg_lookup()
        wizard = self.env["l10n_no_invoicing.partner.lookup"].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.orgnr, CUSTOMER_ORGNR)
        wizard.line_ids.with_user(self.billing).action_use()
        self.assertEqual(partner.name, "KUNDE AS")
        self.assertEqual(partner.vat, f"NO{CUSTOMER_ORGNR}MVA")

    def test_candidates_helper(self):
        result = self.env["res.partner"].with_user(self.billing).l10n_no_brreg_candidates("kunde")
        self.assertEqual(result["message"], "")
        self.assertEqual([c["orgnr"] for c in result["candidates"]], [CUSTOMER_ORGNR])
        self.assertEqual(result["candidates"][0]["values"]["vat"], f"NO{CUSTOMER_ORGNR}MVA")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.internal).l10n_no_brreg_candidates("kunde")
