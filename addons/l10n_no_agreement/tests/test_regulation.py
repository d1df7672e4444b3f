from datetime import date
from decimal import Decimal
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command
from odoo.addons.l10n_no_agreement.models.l10n_no_kpi_value import L10nNoKpiValue
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from nofaktura.kpi import TABLE_03013, Period
from nofaktura.kpi.testing import FakeSsb, FakeTable

from .common import AgreementCommon


def _kpi_values():
    """2023M09 = 130.0, rising 0.3 a month (2024M02 = 131.5, 2024M10 = 133.9, 2025M02 = 135.1), except a
    dip in 2025M10 (120.0) for the commercial floor."""
    values = {Period(2023, 9).shift(k): Decimal("130.0") + Decimal("0.3") * k for k in range(26)}
    values[Period(2025, 10)] = Decimal("120.0")
    return values


@tagged("post_install", "-at_install")
class TestRegulation(AgreementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeSsb([FakeTable(TABLE_03013, _kpi_values())])

    def _fetch(self, user=None):
        with patch.object(L10nNoKpiValue, "_l10n_no_kpi_transport", lambda model: self.fake.transport):
            return self.env["l10n_no.kpi.value"].with_user(user or self.clerk).action_fetch_kpi()

    def _clause(self, agreement, **values):
        # The clause is set by whoever edits the agreement (OCA: the sales/accounting users); here the admin.
        agreement.contract_line_ids.write(values)
        return agreement.contract_line_ids

    def _regulate(self, day, effective, confirm=True):
        with self._today(day):
            regulation = self.env["l10n_no.agreement.regulation"].with_user(self.clerk).create(
                {"effective_date": effective, "notice_date": day}
            )
            self.assertIs(regulation.action_propose(), True)
            if confirm:
                self.assertIs(regulation.action_confirm(), True)
                self._deliver()
        return regulation

    def _deliver(self):
        """With the channel dispatch installed (a full install), the notices are queued for the customer's
        channel: these customers have an e-mail address and no Digipost, so the queue e-mails them."""
        if "l10n_no_dispatch.job" in self.env:
            self.env["l10n_no_dispatch.job"].sudo()._cron_l10n_no_dispatch_send()

    def _notices(self, agreement):
        return agreement.message_ids.filtered(lambda m: m.message_type == "comment" and m.partner_ids)

    def test_fetch_stores_values_with_base_year(self):
        self._fetch()
        value = self.env["l10n_no.kpi.value"].search([("period", "=", "2025M02")])
        self.assertEqual((value.table_code, value.base_year, value.value), ("03013", 2015, 135.1))
        self.assertEqual(self.env["l10n_no.kpi.value"].search_count([("table_code", "=", "03013")]), 26)
        # a second fetch changes nothing; only the fetch writes
        with patch.object(L10nNoKpiValue, "_l10n_no_kpi_transport", lambda model: self.fake.transport):
            self.assertEqual(self.env["l10n_no.kpi.value"].with_user(self.clerk).sudo()._l10n_no_kpi_fetch(), 0)
        with self.assertRaises(AccessError):
            value.with_user(self.clerk).write({"value": 1.0})
        with self.assertRaises(AccessError):
            self._fetch(self.internal)

    def test_residential_proposed_with_index_values_notice_and_applied_from_effective_date(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        customer = self._customer("Bolig Hansen", lang="nb_NO")
        agreement = self._agreement(customer, date(2025, 3, 1), price=12000.0)
        line = self._clause(agreement, l10n_no_regulation_rule="residential",
                            l10n_no_regulation_last_set=date(2024, 2, 1))
        with self._today("2025-03-20"):
            self._fetch()
        regulation = self._regulate("2025-03-20", date(2025, 5, 1))
        proposal = regulation.line_ids
        self.assertEqual(len(proposal), 1)
        self.assertTrue(proposal.allowed)
        # 12 000 × 135.1 / 131.5 (2024M02, the month of the last setting → 2025M02, the last before the notice)
        self.assertEqual((proposal.index_from[:7], proposal.index_to[:7]), ("2024M02", "2025M02"))
        self.assertAlmostEqual(proposal.new_price, 12328.52, places=2)
        self.assertEqual(proposal.effective_date, date(2025, 5, 1))
        self.assertEqual(regulation.state, "done")
        notices = self._notices(agreement)
        self.assertEqual(len(notices), 1)
        self.assertEqual(notices.partner_ids, customer)
        # in the customer's language: the library's text of the outcome and the sentences around it
        self.assertIn("12 000,00 → 12 328,52 fra 01.05.2025; KPI 2024M02 131,5 → 2025M02 135,1 (2015=100)",
                      notices.body)
        self.assertIn("Prisene i avtalen", notices.body)
        self.assertIn("Prisregulering", notices.subject)
        self.assertEqual((line.l10n_no_regulation_pending_price, line.l10n_no_regulation_pending_date),
                         (12328.52, date(2025, 5, 1)))
        # the invoicing run: March and April at the old price, May (period start = effective date) at the new
        self._run("2025-04-01")
        self._run("2025-05-01")
        invoices = self._invoices(agreement)
        self.assertEqual(invoices.mapped("l10n_no_agreement_period_start"),
                         [date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)])
        self.assertEqual(invoices.mapped("amount_total"), [12000.0, 12000.0, 12328.52])
        self.assertEqual(line.price_unit, 12328.52)
        self.assertEqual(line.l10n_no_regulation_last_set, date(2025, 5, 1))
        self.assertFalse(line.l10n_no_regulation_pending_date)

    def test_residential_refused_within_twelve_months_with_reason(self):
        customer = self._customer("Bolig Berg")
        agreement = self._agreement(customer, date(2025, 3, 1), price=9000.0)
        line = self._clause(agreement, l10n_no_regulation_rule="residential",
                            l10n_no_regulation_last_set=date(2024, 6, 1))
        with self._today("2025-03-20"):
            self._fetch()
        regulation = self._regulate("2025-03-20", date(2025, 5, 1))
        proposal = regulation.line_ids
        self.assertFalse(proposal.allowed)
        self.assertEqual(proposal.new_price, 9000.0)
        self.assertIn("less than 12 months since 2024-06-01", proposal.reason)
        self.assertIn("2025-06-01", proposal.reason)
        self.assertFalse(line.l10n_no_regulation_pending_date)
        self.assertFalse(self._notices(agreement))

    def test_commercial_floor(self):
        customer = self._customer("Butikk Olsen")
        agreement = self._agreement(customer, date(2025, 1, 1), price=10500.0)
        line = self._clause(agreement, l10n_no_regulation_rule="commercial",
                            l10n_no_regulation_last_set=date(2025, 1, 1), l10n_no_regulation_base_amount=10000.0,
                            l10n_no_regulation_index_month=10, l10n_no_regulation_effective_month=1,
                            l10n_no_regulation_effective_day=1, l10n_no_regulation_floor=True)
        with self._today("2025-11-20"):
            self._fetch()
        regulation = self._regulate("2025-11-20", date(2026, 1, 1))
        proposal = regulation.line_ids
        # 10 500 × 120.0 / 133.9 (2024M10 → 2025M10) = 9 410.01, below the agreed 10 000: the floor holds
        self.assertTrue(proposal.allowed)
        self.assertTrue(proposal.floor_applied)
        self.assertEqual((proposal.index_from[:7], proposal.index_to[:7]), ("2024M10", "2025M10"))
        self.assertEqual(proposal.new_price, 10000.0)
        self.assertEqual(line.l10n_no_regulation_pending_date, date(2026, 1, 1))

    def test_missing_index_and_caller_checks(self):
        customer = self._customer("Bolig Dahl")
        agreement = self._agreement(customer, date(2025, 3, 1), price=8000.0)
        line = self._clause(agreement, l10n_no_regulation_rule="residential",
                            l10n_no_regulation_last_set=date(2024, 2, 1))
        regulation = self._regulate("2025-03-20", date(2025, 5, 1), confirm=False)
        self.assertFalse(regulation.line_ids.allowed)
        self.assertIn("fetch the KPI", regulation.line_ids.reason)
        with self.assertRaises(AccessError):
            line.with_user(self.clerk).write({"l10n_no_regulation_pending_price": 1.0})
        with self.assertRaises(AccessError):
            regulation.with_user(self.clerk).write({"state": "done"})
        with self.assertRaises(AccessError):
            regulation.with_user(self.internal).action_propose()

    # --- the notice letter, notice months, several clauses, the percentage rule --------------------------------

    def test_percentage_end_to_end_with_notice_letter(self):
        """A plain percentage: proposed, confirmed with a notice letter (PDF in the customer's language, the
        company's details), e-mailed once; the run invoices the old price before the effective date and the
        new one from it."""
        self.env["res.lang"]._activate_lang("nb_NO")
        self.env["ir.module.module"]._load_module_terms(["l10n_no_kid", "l10n_no_agreement"], ["nb_NO"], overwrite=True)
        self.company.write({"company_registry": "988077917", "street": "Storgata 1", "zip": "0155", "city": "Oslo"})
        customer = self._customer("Medlem Lie", lang="nb_NO")
        agreement = self._agreement(customer, date(2025, 3, 1), price=1000.0)
        line = self._clause(agreement, l10n_no_regulation_rule="percentage", l10n_no_regulation_percent=3.0)
        self.assertEqual(line.l10n_no_regulation_notice_months, 1)
        regulation = self._regulate("2025-03-20", date(2025, 5, 1))
        proposal = regulation.line_ids
        self.assertTrue(proposal.allowed)
        self.assertEqual((proposal.new_price, proposal.effective_date), (1030.0, date(2025, 5, 1)))
        notice = regulation.notice_ids
        self.assertEqual(len(notice), 1)
        self.assertEqual((notice.contract_id, notice.partner_id, notice.state), (agreement, customer, "sent"))
        self.assertEqual(notice.line_ids, proposal)
        # the letter: in Norwegian, with the outcome and the company's § 5-1-1 details
        letter = notice.attachment_id.raw.decode()
        self.assertIn("Varsel om prisregulering", letter)
        self.assertIn("1 000,00 → 1 030,00 fra 01.05.2025", letter)
        self.assertIn("988 077 917", letter)
        self.assertIn("Ny pris", letter)
        # e-mailed once, with the letter attached, to the customer
        mails = self._notices(agreement)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.attachment_ids.name, notice.attachment_id.name)
        self.assertEqual(notice.mail_message_id, mails)
        # giving the notices again sends nothing more; confirming again is refused
        notice.sudo()._l10n_no_agreement_send()
        with self._today("2025-03-20"), self.assertRaisesRegex(UserError, "confirmed already"):
            regulation.with_user(self.clerk).action_confirm()
        self.assertEqual(len(self._notices(agreement)), 1)
        self.assertEqual(len(regulation.notice_ids), 1)
        # the price from its date, not before
        self._run("2025-04-01")
        self.assertEqual(line.price_unit, 1000.0)
        self._run("2025-05-01")
        self.assertEqual(self._invoices(agreement).mapped("amount_total"), [1000.0, 1000.0, 1030.0])
        self.assertEqual(line.price_unit, 1030.0)

    def test_notice_months_of_commercial_and_percentage_clauses(self):
        """A commercial lease with one month's notice cannot be regulated from 1 January by a notice of
        10 December (deadline 1 December); with no notice required it can; a percentage clause with three
        months' notice likewise."""
        late = self._agreement(self._customer("Butikk Sent"), date(2025, 1, 1), price=10000.0)
        none = self._agreement(self._customer("Butikk Fri"), date(2025, 1, 1), price=10000.0)
        percent = self._agreement(self._customer("Klubb Tre"), date(2025, 1, 1), price=500.0)
        commercial = {"l10n_no_regulation_rule": "commercial", "l10n_no_regulation_last_set": date(2025, 1, 1),
                      "l10n_no_regulation_floor": False,
                      "l10n_no_regulation_index_month": 10, "l10n_no_regulation_effective_month": 1,
                      "l10n_no_regulation_effective_day": 1}
        self._clause(late, **commercial)
        self._clause(none, **commercial, l10n_no_regulation_notice_months=0)
        self._clause(percent, l10n_no_regulation_rule="percentage", l10n_no_regulation_percent=2.0,
                     l10n_no_regulation_notice_months=3)
        with self.assertRaises(ValidationError):
            percent.contract_line_ids.write({"l10n_no_regulation_notice_months": 25})
        with self._today("2025-12-10"):
            self._fetch()
        regulation = self._regulate("2025-12-10", date(2026, 1, 1), confirm=False)
        by_agreement = {line.contract_id: line for line in regulation.line_ids}
        self.assertFalse(by_agreement[late].allowed)
        self.assertIn("after the deadline 2025-12-01", by_agreement[late].reason)
        self.assertTrue(by_agreement[none].allowed)
        self.assertAlmostEqual(by_agreement[none].new_price, 10000.0 * 120.0 / 133.9, places=2)
        self.assertFalse(by_agreement[percent].allowed)
        self.assertIn("after the deadline 2025-10-01", by_agreement[percent].reason)

    def test_several_lines_with_different_clauses_one_notice(self):
        """One agreement, a residential line and a percentage line: each proposed by its own rule, one
        notice for the agreement listing both, both prices applied by the run from the effective date."""
        customer = self._customer("Bolig og Parkering")
        agreement = self._agreement(customer, date(2025, 3, 1), price=12000.0)
        rent = self._clause(agreement, l10n_no_regulation_rule="residential",
                            l10n_no_regulation_last_set=date(2024, 2, 1))
        agreement.write({"contract_line_ids": [Command.create({
            "product_id": self.rent.id, "name": "Parkering", "quantity": 1.0, "price_unit": 500.0,
            "date_start": date(2025, 3, 1), "recurring_rule_type": "monthly", "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
            "l10n_no_regulation_rule": "percentage", "l10n_no_regulation_percent": 10.0,
        })]})
        parking = agreement.contract_line_ids - rent
        with self._today("2025-03-20"):
            self._fetch()
        regulation = self._regulate("2025-03-20", date(2025, 5, 1))
        lines = {line.contract_line_id: line for line in regulation.line_ids}
        self.assertEqual(set(lines), {rent, parking})
        self.assertTrue(all(line.allowed for line in lines.values()))
        self.assertAlmostEqual(lines[rent].new_price, 12328.52, places=2)
        self.assertEqual(lines[parking].new_price, 550.0)
        self.assertEqual(len(regulation.notice_ids), 1)
        self.assertEqual(regulation.notice_ids.line_ids, regulation.line_ids)
        letter = regulation.notice_ids.attachment_id.raw.decode()
        self.assertIn("Parkering", letter)
        self.assertEqual(len(self._notices(agreement)), 1)
        self._run("2025-04-01")
        self.assertEqual((rent.price_unit, parking.price_unit), (12000.0, 500.0))
        self._run("2025-05-01")
        self.assertEqual(self._invoices(agreement).mapped("amount_total"), [12500.0, 12500.0, 12878.52])
        self.assertEqual((rent.price_unit, parking.price_unit), (12328.52, 550.0))

    def test_notices_are_unique_and_made_by_the_regulation_only(self):
        """The notice is unique per regulation and agreement (a second one cannot be made, whatever path)."""
        customer = self._customer("Klubb Unik")
        agreement = self._agreement(customer, date(2025, 3, 1), price=100.0)
        self._clause(agreement, l10n_no_regulation_rule="percentage", l10n_no_regulation_percent=5.0)
        regulation = self._regulate("2025-03-20", date(2025, 5, 1))
        notice = regulation.notice_ids
        self.assertEqual(regulation.sudo()._l10n_no_regulation_make_notices(regulation.line_ids), notice)
        with self.assertRaises(AccessError):
            notice.with_user(self.clerk).write({"state": "draft"})
        with self.assertRaises(AccessError):
            self.env["l10n_no.agreement.notice"].with_user(self.clerk).create({
                "name": "x", "regulation_id": regulation.id, "company_id": self.company.id,
                "contract_id": agreement.id, "partner_id": customer.id, "notice_date": date(2025, 3, 20)})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["l10n_no.agreement.notice"].sudo().create({
                "name": "x", "regulation_id": regulation.id, "company_id": self.company.id,
                "contract_id": agreement.id, "partner_id": customer.id, "notice_date": date(2025, 3, 20)})
