import base64

from odoo.tests import HttpCase, tagged

from .common import L10nNoBankCommon


@tagged("post_install", "-at_install")
class TestBankTours(L10nNoBankCommon, HttpCase):
    """Bank file upload and the match of a payment to check, in a real browser (Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_journal.name = "Tour Bank"

    def _tour_file(self, payments):
        self.env["ir.attachment"].create({
            "name": "l10n_no_bank_tour.txt", "datas": base64.b64encode(self.ocr_file(payments)),
        })

    def _customer_kid(self):
        number = self.partner_no._l10n_no_get_customer_number(self.company)
        return self.bank_journal._l10n_no_kid_layout().build(number, 987654)  # the customer, a wrong invoice

    def test_01_upload_from_the_journal(self):
        self.invoice(amount=640.0)
        self._tour_file([(self._customer_kid(), "640.00")])
        self.start_tour(
            f"/odoo/action-account.action_account_journal_form/{self.bank_journal.id}",
            "l10n_no_bank_upload_tour", login=self.env.user.login,
        )
        record = self.Import.search([], order="id desc", limit=1)
        self.assertEqual(record.journal_id, self.bank_journal)
        self.assertEqual(record.origin, "upload")
        self.assertEqual(record.count_unmatched, 1)


@tagged("post_install", "-at_install")
class TestBankToursPhone(L10nNoBankCommon, HttpCase):
    """The same people on a phone: Odoo's web client at phone width, with touch."""

    browser_size = "375x667"
    touch_enabled = True

    def test_01_match_a_payment_to_check(self):
        invoice = self.invoice(amount=640.0)
        number = self.partner_no._l10n_no_get_customer_number(self.company)
        kid = self.bank_journal._l10n_no_kid_layout().build(number, 987654)
        line = self.lines_of(self.import_file(self.ocr_file([(kid, "640.00")])))
        self.assertEqual(line.l10n_no_bank_state, "unmatched")
        self.start_tour(
            "/odoo/action-l10n_no_bank.l10n_no_bank_st_line_unmatched_action",
            "l10n_no_bank_match_phone_tour", login=self.env.user.login,
        )
        self.assertEqual(line.l10n_no_bank_state, "manual")
        self.assertEqual(invoice.payment_state, "paid")
