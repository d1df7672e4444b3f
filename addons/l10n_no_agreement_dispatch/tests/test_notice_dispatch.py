"""Price regulation notices go through the dispatch queue by the customer's channel (confirmed by a billing
clerk holding only Invoicing): e-mail through the queue's cron, in-house print without a print house, EHF
never (an EHF customer's notice takes the next channel, with the reason), nothing twice."""

from datetime import date

from odoo.tests import tagged

from odoo.addons.l10n_no_agreement.tests.common import AgreementCommon


@tagged("post_install", "-at_install")
class TestNoticeDispatch(AgreementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.address = {"street": "Storgata 1", "zip": "0155", "city": "Oslo"}

    def _agreement_with_clause(self, customer):
        agreement = self._agreement(customer, date(2025, 3, 1), price=1000.0)
        agreement.contract_line_ids.write({"l10n_no_regulation_rule": "percentage", "l10n_no_regulation_percent": 4.0})
        return agreement

    def _confirm(self):
        with self._today("2025-03-20"):
            regulation = self.env["l10n_no.agreement.regulation"].with_user(self.clerk).create(
                {"effective_date": date(2025, 5, 1), "notice_date": date(2025, 3, 20)})
            regulation.action_propose()
            regulation.action_confirm()
        return regulation

    def _drain(self):
        Job = self.env["l10n_no_dispatch.job"]
        for _round in range(5):
            if not Job._cron_l10n_no_dispatch_send():
                break

    def _mails(self, agreement):
        return agreement.message_ids.filtered(lambda m: m.message_type == "comment" and m.partner_ids)

    def test_email_customer_gets_the_notice_by_the_queue_once(self):
        customer = self._customer("Epost Kunde")
        agreement = self._agreement_with_clause(customer)
        regulation = self._confirm()
        notice = regulation.notice_ids
        job = notice.l10n_no_dispatch_job_ids
        self.assertEqual((job.channel, job.state, notice.state), ("email", "queued", "queued"))
        self.assertIn("ntc", job.idempotency_key)
        self.assertFalse(self._mails(agreement), "nothing is e-mailed before the queue sends it")
        self._drain()
        self.assertEqual((job.state, notice.state), ("sent", "sent"))
        mail = self._mails(agreement)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.attachment_ids.name, notice.attachment_id.name)
        self.assertEqual(notice.mail_message_id, mail)
        # giving the notice again (a retried confirmation) neither queues nor sends a second time
        notice.sudo()._l10n_no_agreement_send()
        notice.sudo().state = "draft"  # even if the notice were back to "to send", its active job stops it
        notice.sudo()._l10n_no_agreement_send()
        self._drain()
        self.assertEqual((len(notice.l10n_no_dispatch_job_ids), len(self._mails(agreement))), (1, 1))

    def test_ehf_customer_falls_back_with_the_reason(self):
        customer = self._customer("Ehf Kunde", l10n_no_dispatch_channel="ehf")
        self._agreement_with_clause(customer)
        job = self._confirm().notice_ids.l10n_no_dispatch_job_ids
        self.assertEqual(job.channel, "email")
        self.assertIn("EHF carries invoices and credit notes, not notices", job.reason)

    def test_print_in_house_without_a_print_house(self):
        customer = self._customer("Papir Kunde", l10n_no_dispatch_channel="print", **self.address)
        self._agreement_with_clause(customer)
        notice = self._confirm().notice_ids
        self._drain()
        job = notice.l10n_no_dispatch_job_ids
        self.assertEqual((job.channel, job.state, notice.state), ("print", "printed", "sent"))
        self.assertTrue(notice.attachment_id)
        self.assertEqual(notice.activity_ids.summary, "Print and post this notice")
        self.assertEqual(notice.activity_ids.user_id, self.clerk)

    def test_nobody_reaches_the_customer(self):
        customer = self.env["res.partner"].create({"name": "Uten Adresse", "email": "not-an-address"})
        self._agreement_with_clause(customer)
        notice = self._confirm().notice_ids
        job = notice.l10n_no_dispatch_job_ids
        self.assertEqual((job.channel, job.state, notice.state), (False, "failed", "failed"))
        self.assertIn("no complete postal address", job.reason)
        self.assertTrue(notice.activity_ids)
