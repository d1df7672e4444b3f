from pathlib import Path
from unittest.mock import patch

import psycopg2.errors

from nofaktura.exceptions import ServiceUnavailable

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import L10nNoDispatchCommon


@tagged("post_install", "-at_install")
class TestDispatchQueue(L10nNoDispatchCommon):
    """Sending through the queue: each channel, fallback after a final failure, retries without duplicates,
    the cron in batches."""

    def test_digipost_sends_once_with_the_job_key(self):
        (move,), job = self._queued(self.consumer)
        self.assertEqual((job.channel, job.state), ("digipost", "queued"))
        self.assertEqual(move.l10n_no_dispatch_state, "queued")
        # idempotent: queueing again returns the same job
        self.assertEqual(move._l10n_no_dispatch_enqueue(), job)
        self._run_cron()
        self.assertEqual(job.state, "delivered")
        self.assertEqual(move.l10n_no_dispatch_state, "delivered")
        self.assertIn(job.idempotency_key, self.digipost.messages)
        self.assertEqual(len(self.digipost.messages), 1)
        self.assertTrue(move.is_move_sent)
        self.assertIn("Delivered by Digipost", move.message_ids[0].body)
        # sent: queueing again neither creates a job nor sends
        self.assertEqual(move._l10n_no_dispatch_enqueue(), job)
        self._run_cron()
        self.assertEqual(len(self.digipost.messages), 1)

    def test_retry_after_lost_answer_is_not_a_duplicate(self):
        """The first attempt got through but its answer was lost: the retry sends the same key, Digipost
        refuses the reused id, and that counts as sent."""
        (move,), job = self._queued(self.consumer)
        message = job._l10n_no_dispatch_digipost_message()
        with self.company._l10n_no_dispatch_digipost_client() as client:
            client.send(message)  # "got through, answer lost"
        self._run_cron()
        self.assertEqual(job.state, "sent")
        self.assertEqual(len(self.digipost.messages), 1)
        self.assertIn("already at Digipost", move.message_ids[0].body)

    def test_retryable_error_waits_and_keeps_the_key(self):
        _moves, job = self._queued(self.consumer)
        key = job.idempotency_key
        self.digipost.fail_next(503, "API_UNAVAILABLE")
        self._run_cron()
        self.assertEqual((job.state, job.attempts), ("queued", 1))
        self.assertTrue(job.last_error)
        self.assertGreater(job.next_attempt, job.create_date)
        self._run_cron()  # not due yet: nothing sent
        self.assertFalse(self.digipost.messages)
        self._due_now()
        self._run_cron()
        self.assertEqual(job.state, "delivered")
        self.assertEqual(job.idempotency_key, key)
        self.assertEqual(list(self.digipost.messages), [key])

    def test_final_failure_moves_to_the_next_channel_with_chatter(self):
        self.consumer.write({"l10n_no_dispatch_channel": "digipost", "l10n_no_dispatch_fallback": "print"})
        (move,), job = self._queued(self.consumer)
        self.digipost.fail_next(400, "INVALID_PDF_CONTENT", "CLIENT_DATA")
        self._run_cron()
        self.assertEqual(job.state, "failed")
        nxt = move.l10n_no_dispatch_job_ids - job
        self.assertEqual((nxt.channel, nxt.previous_job_id), ("print", job))
        self.assertNotEqual(nxt.idempotency_key, job.idempotency_key)
        self.assertTrue(any("Digipost failed" in m.body and "next: Print" in m.body for m in move.message_ids))
        self._run_cron()
        self.assertEqual(nxt.state, "printed")
        self.assertEqual(move.l10n_no_dispatch_state, "printed")
        files = self._print_files()
        self.assertEqual(len([f for f in files if f.endswith(".pdf")]), 1)
        self.assertEqual(len([f for f in files if f.endswith(".csv")]), 1)

    def test_nothing_left_fails_with_reason_and_activity(self):
        self.consumer.write({"l10n_no_dispatch_channel": "digipost", "l10n_no_dispatch_fallback": "none"})
        (move,), job = self._queued(self.consumer)
        self.digipost.fail_next(401, "INVALID_SIGNATURE", "CLIENT_TECHNICAL")
        self._run_cron()
        self.assertEqual(job.state, "failed")
        self.assertEqual(move.l10n_no_dispatch_state, "failed")
        self.assertEqual(len(move.l10n_no_dispatch_job_ids), 1)
        self.assertTrue(move.activity_ids)
        self.assertIn("no other channel", move.message_ids[0].body)

    def test_invoice_nobody_can_reach_gets_a_failed_job_and_an_activity(self):
        (move,), job = self._queued(self.nobody)
        self.assertEqual(job.state, "failed")
        self.assertFalse(job.channel)
        self.assertIn("No channel can reach", job.last_error)
        self.assertTrue(move.activity_ids)

    def test_print_retry_does_not_print_twice(self):
        (move,), job = self._queued(self.paper_customer)
        self.assertEqual(job.channel, "print")
        # the batch reaches the print house but the transaction fails after it: the retry must see it
        job.sudo()._l10n_no_dispatch_send_print()
        job.sudo().write({"state": "queued", "delivery_reference": False})
        self._run_cron()
        self.assertEqual(job.state, "printed")
        self.assertIn("already at the print house", move.message_ids[0].body)
        self.assertEqual(len([f for f in self._print_files() if f.endswith(".pdf")]), 1)

    def test_email_through_odoo_mail(self):
        (move,), job = self._queued(self.mail_customer)
        self.assertEqual(job.channel, "email")
        self._run_cron()
        self.assertEqual(job.state, "sent")
        mail_message = self.env["mail.message"].browse(int(job.delivery_reference))
        self.assertEqual((mail_message.model, mail_message.res_id), ("account.move", move.id))
        self.assertIn(self.mail_customer, mail_message.partner_ids)
        self.assertTrue(mail_message.attachment_ids)

    def test_ehf_goes_through_the_ehf_queue_and_follows_it(self):
        (move,), job = self._queued(self.partner_no)
        self.assertEqual(job.channel, "ehf")
        self._run_cron()
        self.assertEqual(job.state, "sending")
        outgoing = job.ehf_outgoing_id
        self.assertEqual(outgoing.move_id, move)
        self._run_send_cron()  # l10n_no_ehf's own cron sends it
        self.assertEqual(outgoing.state, "sent")
        self._due_now()
        self._run_cron()
        self.assertEqual(job.state, "sent")
        self.assertEqual(move.l10n_no_dispatch_state, "sent")

    def test_ehf_final_failure_moves_to_digipost_then_email(self):
        (move,), job = self._queued(self.partner_no)
        self._run_cron()
        job.ehf_outgoing_id.sudo()._l10n_no_ehf_fail("rejected", "The access point rejected the document")
        self._due_now()
        self._run_cron()
        self.assertEqual(job.state, "failed")
        nxt = move.l10n_no_dispatch_job_ids - job
        # Kunde AS is not a Digipost user (its org number is unknown to the fake): e-mail
        self.assertEqual(nxt.channel, "email")
        self.assertTrue(any("EHF failed" in m.body for m in move.message_ids))

    def test_one_broken_invoice_does_not_stop_the_batch(self):
        _moves, jobs = self._queued(self.paper_customer, 3)
        broken = jobs[1]
        with self._print_fails(ServiceUnavailable("print house down for this one"), only=broken):
            self._run_cron()
        self.assertEqual(jobs.mapped("state"), ["printed", "queued", "printed"])
        self.assertEqual(broken.attempts, 1)

    def test_unexpected_error_in_one_invoice_fails_it_and_the_batch_goes_on(self):
        _moves, jobs = self._queued(self.paper_customer, 3)
        broken = jobs[1]
        with self._print_fails(KeyError("a bug"), only=broken), \
                mute_logger("odoo.addons.l10n_no_dispatch.models.l10n_no_dispatch_job"):
            self._run_cron()
        # print was the paper customer's last channel: failed, with the reason and an activity
        self.assertEqual(jobs.mapped("state"), ["printed", "failed", "printed"])
        self.assertIn("Unexpected error", broken.last_error)
        self.assertTrue(broken.move_id.activity_ids)

    def test_cron_works_in_batches(self):
        self._queued(self.paper_customer, 5)
        Job = self.env["l10n_no_dispatch.job"].sudo()
        self.assertEqual(Job._cron_l10n_no_dispatch_send(batch_size=2), 2)
        self.assertEqual(Job.search_count([("state", "=", "printed")]), 2)
        # under the scheduler it goes on batch after batch, committing progress
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", autospec=True, return_value=60) as progress:
            done = Job.with_context(cron_id=1)._cron_l10n_no_dispatch_send(batch_size=2)
        self.assertEqual(done, 3)
        self.assertEqual([c.args[1] for c in progress.call_args_list][:2], [2, 1])
        self.assertEqual(Job.search_count([("state", "=", "printed")]), 5)

    def test_xmlrpc_style_call_returns_a_value(self):
        move = self._customer_invoice(self.consumer)
        result = move.action_l10n_no_dispatch_send()
        self.assertEqual(result["type"], "ir.actions.client")
        self.assertTrue(move.l10n_no_dispatch_job_ids)
        self.assertTrue(move.l10n_no_dispatch_job_ids.action_cancel())
        self.assertEqual(move.l10n_no_dispatch_state, "none")
        self.assertIsInstance(self.env["l10n_no_dispatch.job"]._cron_l10n_no_dispatch_send(), int)
        self.assertTrue(Path(self.print_dir).is_dir())

    def test_a_concurrent_update_is_retried_later_not_a_channel_failure(self):
        (move,), job = self._queued(self.paper_customer)
        with self._print_fails(psycopg2.errors.SerializationFailure("could not serialize access")):
            self._run_cron()
        self.assertEqual((job.state, job.attempts), ("queued", 1))
        self.assertEqual(len(move.l10n_no_dispatch_job_ids), 1)

    def test_enqueue_in_bulk_keys_notes_and_order(self):
        """A selection is queued at once: keys counted per invoice (a cancelled job counts), one "queued"
        note per invoice, the jobs in the order of the invoices, an invoice selected twice queued once."""
        moves = (self._customer_invoice(self.paper_customer) | self._customer_invoice(self.mail_customer)
                 | self._customer_invoice(self.nobody))
        moves[0]._l10n_no_dispatch_enqueue().action_cancel()
        jobs = (moves + moves[1])._l10n_no_dispatch_enqueue()
        self.assertEqual(jobs.move_id, moves)
        self.assertEqual([job.move_id for job in jobs], list(moves))
        self.assertEqual(jobs.mapped("state"), ["queued", "queued", "failed"])
        self.assertEqual([job.idempotency_key.rsplit("-", 1)[1] for job in jobs], ["2", "1", "1"])
        self.assertEqual(len(set(jobs.mapped("idempotency_key"))), 3)
        queued_notes = [len(move.message_ids.filtered(lambda m: "Queued for sending" in (m.body or "")))
                        for move in moves]
        self.assertEqual(queued_notes, [2, 1, 0])
        self.assertTrue(moves[2].activity_ids)
        # on their way: the same jobs come back, nothing is queued twice
        again = moves[:2]._l10n_no_dispatch_enqueue()
        self.assertEqual(again, jobs[:2])
        self.assertEqual(len(moves[:2].l10n_no_dispatch_job_ids), 3)

    def test_one_digipost_client_per_drain_batch(self):
        """Building a client (PKCS#12 load, Digipost's certificate) was most of a Digipost send: one per
        company and settings in a batch, closed at its end; outside a batch one per use."""
        _moves, jobs = self._queued(self.consumer, 3)
        Company = type(self.env["res.company"])
        original = Company._l10n_no_dispatch_digipost_client

        def counting():
            return patch.object(Company, "_l10n_no_dispatch_digipost_client", autospec=True, side_effect=original)

        with counting() as made:
            self._run_cron()
        self.assertEqual(jobs.mapped("state"), ["delivered"] * 3)
        self.assertEqual(len(self.digipost.messages), 3)
        self.assertEqual(made.call_count, 1)

        with counting() as made:
            with self.company._l10n_no_dispatch_digipost_session() as alone:
                pass
            with self.env["res.company"]._l10n_no_dispatch_digipost_batch():
                with self.company._l10n_no_dispatch_digipost_session() as first:
                    pass
                with self.company._l10n_no_dispatch_digipost_session() as second:
                    pass
                self.company.sudo().l10n_no_dispatch_digipost_user_id = "654321"
                with self.company._l10n_no_dispatch_digipost_session() as changed:
                    pass
                self.assertFalse(first._http.is_closed)
        self.assertIs(first, second)
        self.assertIsNot(first, changed)
        self.assertEqual(made.call_count, 3)
        self.assertTrue(alone._http.is_closed and first._http.is_closed and changed._http.is_closed)
