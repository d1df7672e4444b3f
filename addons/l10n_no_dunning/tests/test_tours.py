from datetime import date

from odoo.tests import HttpCase, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningTours(DunningCommon, HttpCase):
    """The dunning run in a real browser (Chromium), as an accounting user clicks it."""

    def test_01_propose_and_confirm(self):
        invoice = self._invoice(self.consumer, 1000.0, date(2026, 1, 10))
        self.today = date(2026, 1, 13)  # the run's day (the form's default date comes from it)
        self.start_tour("/odoo/l10n-no-dunning-runs/new", "l10n_no_dunning_run_tour", login=self.env.user.login)
        run = self.env["l10n_no.dunning.run"].search([("company_id", "=", self.company.id)], limit=1)
        self.assertEqual(run.state, "done")
        self.assertEqual(invoice.l10n_no_dunning_item_ids.state, "sent")
