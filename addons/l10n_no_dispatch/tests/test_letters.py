"""Reminders and dunning letters go through the dispatch channels (l10n_no_dunning's run, confirmed by an
accounting administrator holding only that role).

E-mail: the dunning addon's own e-mail, as a job of the queue, handed over with the run. Post without a
print house: printed in-house with the run. Digipost: the letter PDF, sent by the cron through the fake
Digipost (which checks signatures and the XML schema); a final Digipost error falls back to the next
channel. EHF is never a channel for a letter, and a letter the level sends by post never goes by e-mail.
"""

import base64
from datetime import date
from pathlib import Path
from unittest.mock import patch

from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.l10n_no_dunning.tests.common import DunningCommon

from nofaktura.digipost.testing import FakeDigipost, _self_signed, load_schema, make_test_key

DUE = date(2026, 1, 10)
XSD = Path(__file__).resolve().parents[3].parent / "shared" / "corpora" / "digipost" / "xsd"


@tagged("post_install", "-at_install")
class TestLetters(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acc_admin = new_test_user(
            cls.env, login="letters_acc_admin", groups="base.group_user,account.group_account_manager",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        # the consumer is known to have no Digipost mailbox (cached answer): no lookup in these tests
        cls.consumer.write({"l10n_no_dispatch_digipost": "no", "l10n_no_dispatch_digipost_checked_at": fields.Datetime.now()})

    def _confirm(self, run):
        run.with_user(self.acc_admin).action_confirm()
        return run

    def _drain(self, **context):
        Job = self.env["l10n_no_dispatch.job"].with_context(**context)
        for _round in range(10):
            if not Job._cron_l10n_no_dispatch_send():
                break

    def _digipost(self):
        """Digipost set up for the company, its transport the fake's (which checks every request)."""
        if not XSD.is_dir():
            self.skipTest(f"the Digipost schemas are not at {XSD}")
        key = make_test_key()
        p12 = pkcs12.serialize_key_and_certificates(
            b"sender", key, _self_signed(key, "sender"), None, BestAvailableEncryption(b"secret"))
        self.company.sudo().write({
            "l10n_no_dispatch_digipost_user_id": "123456",
            "l10n_no_dispatch_digipost_key": base64.b64encode(p12),
            "l10n_no_dispatch_digipost_key_password": "secret",
        })
        fake = FakeDigipost(load_schema(XSD))
        fake.register_sender("123456", key.public_key())
        Company = type(self.env["res.company"])
        self.startPatcher(patch.object(Company, "_l10n_no_dispatch_digipost_transport", lambda company: fake.transport))
        return fake

    def test_email_letter_is_a_job_handed_over_with_the_run(self):
        self._invoice(self.consumer, 1000.0, DUE)
        run = self._confirm(self._run(date(2026, 1, 13)))
        letter = self._letter(run, self.consumer)
        job = letter.l10n_no_dispatch_job_ids
        self.assertEqual((job.channel, job.state, letter.channel), ("email", "sent", "email"))
        self.assertIn("not EHF: EHF carries invoices and credit notes, not reminders or dunning letters", job.reason)
        self.assertTrue(letter.mail_message_id)
        self.assertEqual(letter.delivery_state, "pending")
        with self._mail_server(date(2026, 1, 13)):
            self._letter_mails(letter).send()
        self.assertEqual((letter.delivery_state, letter.delivered_on), ("delivered", date(2026, 1, 13)))
        # delivering again (a retried batch) neither queues nor mails a second time
        message = letter.mail_message_id
        letter._l10n_no_dunning_deliver()
        self.assertEqual((len(letter.l10n_no_dispatch_job_ids), letter.mail_message_id), (1, message))
        self.assertEqual(letter.l10n_no_dispatch_info, "E-mail: Sent")

    def test_post_letter_printed_in_house_never_by_email_nor_ehf(self):
        self.consumer.l10n_no_dispatch_channel = "ehf"  # the customer's preference cannot carry a letter
        self._invoice(self.consumer, 1000.0, DUE)
        run = self._run(date(2026, 1, 13))
        letter = self._letter(run, self.consumer)
        letter.write({"channel": "post"})
        self._confirm(run)
        job = letter.l10n_no_dispatch_job_ids
        self.assertEqual((job.channel, job.state), ("print", "printed"))
        self.assertIn("not E-mail: this letter goes by post", job.reason)
        self.assertIn("not EHF", job.reason)
        self.assertFalse(letter.mail_message_id)
        self.assertTrue(letter.attachment_id)
        self.assertEqual((letter.delivery_state, letter.delivered_on), ("delivered", date(2026, 1, 13)))

    def test_no_channel_reaches_the_customer(self):
        nobody = self.env["res.partner"].create({"name": "Uten Adresse", "email": "not-an-address"})
        self._invoice(nobody, 1000.0, DUE)
        run = self._run(date(2026, 1, 13))
        letter = self._letter(run, nobody)
        self._confirm(run)
        job = letter.l10n_no_dispatch_job_ids
        self.assertEqual((job.channel, job.state), (False, "failed"))
        self.assertEqual(letter.delivery_state, "failed")
        self.assertIn("no complete postal address", letter.delivery_error)
        self.assertTrue(run.message_ids.filtered(lambda m: "could not be delivered" in (m.body or "")))

    def test_digipost_letter_with_its_pdf_and_fallback(self):
        fake = self._digipost()
        self.company.l10n_no_dispatch_digipost_print = False  # Digipost must not print: unknown -> next channel
        fake.add_user("Ola Nordmann|0155")
        now = fields.Datetime.now()
        self.consumer.write({"l10n_no_dispatch_digipost": "yes", "l10n_no_dispatch_digipost_checked_at": now})
        # the business is said to be in Digipost (an old answer), but Digipost does not know it any more
        self.business.write({"l10n_no_dispatch_digipost": "yes", "l10n_no_dispatch_digipost_checked_at": now})
        self._invoice(self.consumer, 1000.0, DUE)
        self._invoice(self.business, 2000.0, DUE)
        run = self._confirm(self._run(date(2026, 1, 13)))
        ola, fjord = self._letter(run, self.consumer), self._letter(run, self.business)
        self.assertEqual(ola.l10n_no_dispatch_job_ids.mapped("channel"), ["digipost"])
        self.assertEqual(ola.l10n_no_dispatch_job_ids.state, "queued")
        self.assertEqual(ola.delivery_state, "pending")
        report = self.env["ir.actions.report"]
        if report.get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: Digipost takes only a PDF")
        with self.allow_pdf_render(), patch.object(fields.Date, "context_today", lambda *a, **k: date(2026, 1, 13)), \
                self._mail_server(date(2026, 1, 13)):
            self._drain(force_report_rendering=True)
            self._drain(force_report_rendering=True)  # nothing left: nothing sent twice
        job = ola.l10n_no_dispatch_job_ids
        self.assertEqual((job.state, len(fake.messages)), ("delivered", 1))
        received = next(iter(fake.messages.values()))
        self.assertTrue(next(iter(received.files.values())).startswith(b"%PDF-"))
        self.assertEqual(received.message_id, job.idempotency_key)
        self.assertEqual((ola.delivery_state, ola.delivered_on), ("delivered", date(2026, 1, 13)))
        # Fjord AS: Digipost refused finally (unknown recipient) -> e-mail, the next channel of the chain
        jobs = fjord.l10n_no_dispatch_job_ids.sorted("id")
        self.assertEqual([(j.channel, j.state) for j in jobs], [("digipost", "failed"), ("email", "sent")])
        self.assertEqual(jobs[1].previous_job_id, jobs[0])
        self.assertTrue(fjord.mail_message_id)

    def test_only_letters_going_by_email_are_rendered_as_emails_together(self):
        """The dunning run renders the e-mails of a batch together; the customer in Digipost gets no
        rendered e-mail, the one going by e-mail gets the batch's (no second rendering of its own)."""
        self._digipost()
        self.business.write({"l10n_no_dispatch_digipost": "yes", "l10n_no_dispatch_digipost_checked_at": fields.Datetime.now()})
        self._invoice(self.consumer, 1000.0, DUE)
        self._invoice(self.business, 2000.0, DUE)
        Composer = type(self.env["mail.compose.message"])
        rendered = []
        real = Composer._prepare_mail_values

        def counting(composer, res_ids):
            if composer.model == "l10n_no.dunning.letter":
                rendered.append(sorted(res_ids))
            return real(composer, res_ids)

        with patch.object(Composer, "_prepare_mail_values", counting):
            run = self._confirm(self._run(date(2026, 1, 13)))
        ola, fjord = self._letter(run, self.consumer), self._letter(run, self.business)
        self.assertEqual(rendered, [ola.ids], "rendered once, together, and only the e-mail letter")
        self.assertEqual(ola.l10n_no_dispatch_job_ids.mapped("channel"), ["email"])
        self.assertEqual(ola.mail_message_id.partner_ids, self.consumer)
        self.assertEqual(fjord.l10n_no_dispatch_job_ids.mapped("channel"), ["digipost"])
        self.assertFalse(fjord.mail_message_id)
