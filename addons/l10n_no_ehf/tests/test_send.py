import shutil
import tempfile
from pathlib import Path
from unittest.mock import patch

import psycopg2

from nofaktura.exceptions import RecipientRejected, ServiceUnavailable
from nofaktura.peppol import ids
from nofaktura.peppol.transports import DeliveryState

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import BUYER_ORGNR, SELLER_ORGNR, L10nNoEhfCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestSend(L10nNoEhfCommon):
    def test_send_and_print_queues_and_the_cron_sends_through_the_fake(self):
        move = self._invoice()
        self._send_ehf(move)
        outgoing = move.l10n_no_ehf_outgoing_ids
        self.assertEqual(len(outgoing), 1)
        self.assertEqual((outgoing.state, move.l10n_no_ehf_state), ("queued", "queued"))
        self.assertEqual(self.ap.sent, [], "nothing leaves before the cron")
        self._run_send_cron()
        self.assertEqual(outgoing.state, "sent")
        self.assertEqual(len(self.ap.sent), 1)
        document = self.ap.sent[0].document
        self.assertEqual(str(document.sender), f"0192:{SELLER_ORGNR}")
        self.assertEqual(str(document.receiver), f"0192:{BUYER_ORGNR}")
        self.assertEqual(document.document_type, ids.INVOICE)
        self.assertEqual(document.idempotency_key, outgoing.idempotency_key)
        self.assertIn(b"<cbc:ID>" + move.name.encode() + b"</cbc:ID>", document.content)
        self.assertEqual(outgoing.message_id, self.ap.sent[0].message_id)
        # delivery is followed up
        self.ap.set_state(outgoing.message_id, DeliveryState.DELIVERED)
        with self._due_now():
            pass
        self._run_send_cron()
        self.assertEqual((outgoing.state, move.l10n_no_ehf_state), ("delivered", "delivered"))
        bodies = " ".join(move.message_ids.mapped("body"))
        self.assertIn("EHF queued", bodies)
        self.assertIn("EHF sent", bodies)
        self.assertIn("EHF delivered", bodies)

    def test_credit_note_is_sent_as_credit_note(self):
        invoice = self._invoice()
        refund = self._invoice(move_type="out_refund", reversed_entry_id=invoice.id)
        self._send_ehf(refund)
        self._run_send_cron()
        self.assertEqual(self.ap.sent[0].document.document_type, ids.CREDIT_NOTE)

    def test_retryable_errors_are_retried_with_backoff(self):
        move = self._invoice()
        self._send_ehf(move)
        outgoing = move.l10n_no_ehf_outgoing_ids
        self.ap.fail_next(2, ServiceUnavailable("503 from AP"), operation="send")
        self._run_send_cron()
        self.assertEqual((outgoing.state, outgoing.attempts, outgoing.error_code), ("queued", 1, "unavailable"))
        first_delay = outgoing.next_try - outgoing.write_date
        self._run_send_cron()  # not due yet: the access point is not asked
        self.assertEqual(len(self.ap.calls), 1)
        with self._due_now():
            pass
        self._run_send_cron()
        self.assertEqual(outgoing.attempts, 2)
        self.assertGreater(outgoing.next_try - outgoing.write_date, first_delay, "the delay grows")
        with self._due_now():
            pass
        self._run_send_cron()
        self.assertEqual(outgoing.state, "sent")
        self.assertEqual(len(self.ap.sent), 1)
        self.ap.assert_all_used()

    def test_gives_up_after_max_attempts(self):
        self.access_point.max_attempts = 2
        move = self._invoice()
        self._send_ehf(move)
        self.ap.fail_next(2, ServiceUnavailable(), operation="send")
        self._run_send_cron()
        with self._due_now():
            pass
        self._run_send_cron()
        outgoing = move.l10n_no_ehf_outgoing_ids
        self.assertEqual((outgoing.state, outgoing.attempts), ("failed", 2))
        self.assertEqual(move.l10n_no_ehf_state, "failed")

    def test_a_lost_answer_is_not_sent_twice(self):
        move = self._invoice()
        self._send_ehf(move)
        self.ap.lose_next_response()  # the AP got it, our worker saw a timeout
        self._run_send_cron()
        outgoing = move.l10n_no_ehf_outgoing_ids
        self.assertEqual((outgoing.state, outgoing.error_code), ("queued", "timeout"))
        with self._due_now():
            pass
        self._run_send_cron()
        self.assertEqual(outgoing.state, "sent")
        self.assertEqual(len(self.ap.sent), 1, "the idempotency key made the retry a no-op")
        self.assertEqual(outgoing.message_id, self.ap.sent[0].message_id)

    def test_non_retryable_error_fails_at_once_then_a_person_retries(self):
        move = self._invoice()
        self._send_ehf(move)
        self.ap.fail_next(1, RecipientRejected("unknown receiver"), operation="send")
        self._run_send_cron()
        outgoing = move.l10n_no_ehf_outgoing_ids
        self.assertEqual((outgoing.state, outgoing.error_code), ("failed", "rejected"))
        self.assertIn("unknown receiver", move.l10n_no_ehf_error)
        self.assertIn("could not be sent", move.message_ids[0].body)
        move.action_l10n_no_ehf_retry()
        self.assertEqual(outgoing.state, "queued")
        self._run_send_cron()
        self.assertEqual(outgoing.state, "sent")
        self.assertEqual(len(self.ap.sent), 1)

    def test_delivery_failure_reported_by_the_access_point(self):
        move = self._invoice()
        self._send_ehf(move)
        self._run_send_cron()
        outgoing = move.l10n_no_ehf_outgoing_ids
        self.ap.set_state(outgoing.message_id, DeliveryState.FAILED, "receiver AP refused the certificate")
        with self._due_now():
            pass
        self._run_send_cron()
        self.assertEqual((outgoing.state, outgoing.error_code), ("failed", "delivery_failed"))

    def test_a_failed_invoice_can_be_switched_to_email(self):
        move = self._invoice()
        self._send_ehf(move)
        self.ap.fail_next(1, RecipientRejected("no"), operation="send")
        self._run_send_cron()
        move.action_l10n_no_ehf_send_by_email()
        self.assertEqual(move.l10n_no_ehf_outgoing_ids.state, "cancelled")
        mails = self.env["mail.message"].search([
            ("model", "=", "account.move"), ("res_id", "=", move.id), ("partner_ids", "in", self.partner_no.ids),
        ])
        self.assertTrue(mails, "the invoice went to the customer by e-mail")

    def test_the_same_invoice_is_never_queued_twice(self):
        move = self._invoice()
        self._send_ehf(move)
        self._send_ehf(move)
        self._run_send_cron()
        self._send_ehf(move)
        self.assertEqual(len(move.l10n_no_ehf_outgoing_ids), 1)
        self.assertEqual(len(self.ap.sent), 1)
        # and the database refuses a second active transmission whatever the code path
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.env["l10n_no_ehf.outgoing"].sudo().create({
                "move_id": move.id, "idempotency_key": "other-key", "state": "queued",
            })

    def test_claim_takes_due_rows_up_to_the_limit(self):
        moves = self._invoice() | self._invoice() | self._invoice()
        self._send_ehf(moves)
        Outgoing = self.env["l10n_no_ehf.outgoing"]
        self.assertEqual(len(Outgoing._l10n_no_ehf_claim(("queued",), 2)), 2)
        moves[0].l10n_no_ehf_outgoing_ids.sudo().next_try = "2999-01-01 00:00:00"
        claimed = Outgoing._l10n_no_ehf_claim(("queued",), 10)
        self.assertEqual(claimed.move_id, moves[1:])

    def test_odoo_peppol_in_use_means_our_route_steps_aside(self):
        move = self._invoice()
        self._send_ehf(move)  # queued while our route was the one in use
        company_cls = type(self.env["res.company"])
        with patch.object(company_cls, "_l10n_no_ehf_odoo_peppol_active", autospec=True, return_value=True):
            send = self.env["account.move.send"]
            self.assertFalse(send._is_applicable_to_company("l10n_no_ehf", self.company))
            self.assertFalse(send._is_applicable_to_move("l10n_no_ehf", move))
            self._run_send_cron()
        self.assertEqual(move.l10n_no_ehf_outgoing_ids.state, "cancelled")
        self.assertEqual(self.ap.sent, [])

    def test_peppol_chosen_too_means_not_ours(self):
        move = self._invoice()
        send = self.env["account.move.send"]
        self.assertFalse(send._is_applicable_to_move("l10n_no_ehf", move, sending_methods={"peppol", "l10n_no_ehf"}))

    def test_account_peppol_detection_reads_its_state(self):
        """account_peppol may not be installed; when it is, its registration state decides."""
        company = self.company
        self.assertFalse(company._l10n_no_ehf_odoo_peppol_active())
        if "account_peppol_proxy_state" in company._fields:
            company.account_peppol_proxy_state = "receiver"
            self.assertTrue(company._l10n_no_ehf_odoo_peppol_active())


@tagged("post_install", "-at_install", "post_install_l10n")
class TestSendFolder(L10nNoEhfCommon):
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="l10n_no_ehf_"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.access_point.write({"transport_type": "folder", "folder_path": str(self.folder)})

    def test_folder_exchange_outbox_receipts_and_no_duplicates(self):
        move = self._invoice()
        self._send_ehf(move)
        self._run_send_cron()
        outgoing = move.l10n_no_ehf_outgoing_ids
        files = sorted(p.name for p in (self.folder / "outbox").iterdir())
        self.assertEqual(files, [outgoing.message_id])
        self.assertEqual(files[0], f"{outgoing.idempotency_key}.xml")
        # a retry of the same transmission finds the file and writes nothing new
        outgoing.sudo().write({"state": "queued", "next_try": "2000-01-01 00:00:00"})
        self._run_send_cron()
        self.assertEqual(outgoing.state, "sent")
        self.assertEqual(len(list((self.folder / "outbox").iterdir())), 1)
        # the access point picks it up and confirms
        (self.folder / "outbox" / outgoing.message_id).unlink()
        (self.folder / "receipts" / f"{outgoing.message_id}.ok").write_text("delivered")
        with self._due_now():
            pass
        self._run_send_cron()
        self.assertEqual(outgoing.state, "delivered")

    def test_folder_unwritable_is_retried(self):
        (self.folder / "outbox").write_text("not a directory")
        move = self._invoice()
        self._send_ehf(move)
        self._run_send_cron()
        outgoing = move.l10n_no_ehf_outgoing_ids
        self.assertEqual(outgoing.state, "queued")
        self.assertTrue(outgoing.error_code)
        (self.folder / "outbox").unlink()
        with self._due_now():
            pass
        self._run_send_cron()
        self.assertEqual(outgoing.state, "sent")


@tagged("post_install", "-at_install", "post_install_l10n")
class TestSendAndPrintRoute(L10nNoEhfCommon):
    """Issue 9.2: with our access point configured, EHF goes our way, never Odoo's Peppol."""

    def _wizard(self, move):
        return self.env["account.move.send.wizard"].with_context(
            active_model="account.move", active_ids=move.ids,
        ).create({})

    def test_our_route_is_preselected_and_odoo_peppol_hidden(self):
        move = self._invoice()
        send = self.env["account.move.send"]
        self.assertFalse(send._is_applicable_to_company("peppol", self.company))
        self.assertFalse(send._is_applicable_to_move("peppol", move))
        checkboxes = self._wizard(move).sending_method_checkboxes
        self.assertNotIn("peppol", checkboxes)
        self.assertTrue(checkboxes["l10n_no_ehf"]["checked"])

    def test_customer_set_to_peppol_goes_through_our_access_point(self):
        move = self._invoice()
        send = self.env["account.move.send"]
        # account_peppol (not installed in these tests) adds "peppol" to the defaults whenever it
        # could apply: simulate what the classes below ours in the MRO return.
        mro = type(send).__mro__
        ours = next(c for c in mro if c.__module__ == "odoo.addons.l10n_no_ehf.models.account_move_send")
        below = mro[mro.index(ours) + 1]
        with patch.object(below, "_get_default_sending_methods", create=True,
                          new=lambda _self, _move: {"peppol", "email"}):
            methods = send._get_default_sending_methods(move)
        self.assertEqual(methods, {"l10n_no_ehf", "email"})

    def test_without_our_access_point_odoo_peppol_is_left_alone(self):
        company = self.company
        company.l10n_no_ehf_access_point_id = False
        send = self.env["account.move.send"]
        self.assertTrue(send._is_applicable_to_company("peppol", company))
        self.assertFalse(send._is_applicable_to_company("l10n_no_ehf", company))
