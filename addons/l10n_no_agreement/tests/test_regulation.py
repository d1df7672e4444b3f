from datetime import date
from decimal import Decimal
from unittest.mock import patch

from odoo.addons.l10n_no_agreement.models.l10n_no_kpi_value import L10nNoKpiValue
from odoo.exceptions import AccessError
from odoo.tests import tagged

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
        return regulation

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
