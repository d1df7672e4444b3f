"""Price regulation notices go through the dispatch queue by the customer's channel (confirmed by a billing
clerk holding only Invoicing): e-mail through the queue's cron, in-house print without a print house, EHF
never (an EHF customer's notice takes the next channel, with the reason), nothing twice."""

import base64
from datetime import date
from pathlib import Path
from unittest.mock import patch

from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from odoo import fields
from odoo.tests import tagged

from odoo.addons.l10n_no_agreement.tests.common import AgreementCommon

from nofaktura.digipost.testing import FakeDigipost, _self_signed, load_schema, make_test_key

XSD = Path(__file__).resolve().parents[3].parent / "shared" / "corpora" / "digipost" / "xsd"


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

    def test_digipost_gets_the_letter_pdf_once(self):
        """A Digipost customer: the notice letter (a PDF, no invoice data) goes to the fake Digipost (which
        checks the signature and the XML schema) with the job's key as message id; draining again sends
        nothing more."""
        if not XSD.is_dir():
            self.skipTest(f"the Digipost schemas are not at {XSD}")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: Digipost takes only a PDF")
        key = make_test_key()
        p12 = pkcs12.serialize_key_and_certificates(
            b"sender", key, _self_signed(key, "sender"), None, BestAvailableEncryption(b"secret"))
        self.company.sudo().write({
            "l10n_no_dispatch_digipost_user_id": "123456", "l10n_no_dispatch_digipost_key": base64.b64encode(p12),
            "l10n_no_dispatch_digipost_key_password": "secret", "l10n_no_dispatch_digipost_print": False,
        })
        fake = FakeDigipost(load_schema(XSD))
        fake.register_sender("123456", key.public_key())
        fake.add_user("974760673")
        self.startPatcher(patch.object(type(self.env["res.company"]), "_l10n_no_dispatch_digipost_transport",
                                       lambda company: fake.transport))
        customer = self._customer("Digi Kunde", l10n_no_bronnoysund_number="974760673", **self.address,
                                  l10n_no_dispatch_digipost="yes", l10n_no_dispatch_digipost_checked_at=fields.Datetime.now())
        self._agreement_with_clause(customer)
        notice = self._confirm().notice_ids
        job = notice.l10n_no_dispatch_job_ids
        self.assertEqual((job.channel, job.state), ("digipost", "queued"))
        self.assertIn("not EHF", job.reason)
        with self.allow_pdf_render():
            Job = self.env["l10n_no_dispatch.job"].with_context(force_report_rendering=True)
            for _round in range(2):  # the second finds nothing left: nothing sent twice
                Job._cron_l10n_no_dispatch_send()
        self.assertEqual((job.state, notice.state, len(fake.messages)), ("delivered", "sent", 1))
        received = next(iter(fake.messages.values()))
        self.assertEqual(received.message_id, job.idempotency_key)
        self.assertTrue(next(iter(received.files.values())).startswith(b"%PDF-"))
        self.assertTrue(notice.attachment_id.raw.startswith(b"%PDF-"))
