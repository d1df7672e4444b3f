import csv
import io
from datetime import date
from decimal import Decimal

from odoo.tests import tagged

from .common import DunningCommon

DUE = date(2026, 1, 10)


@tagged("post_install", "-at_install")
class TestDunningFlow(DunningCommon):

    def test_01_full_path_to_handover(self):
        """Overdue consumer invoice: reminder, purring with fee and interest, inkassovarsel by post,
        hand-over with an export file, and nothing more afterwards."""
        invoice = self._invoice(self.consumer, 1000.0, DUE)

        self.assertFalse(self._run(date(2026, 1, 12)).letter_ids)  # 2 days overdue: too early
        # day 3: the soft reminder (no fee, no interest)
        run = self._run(date(2026, 1, 13), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual((letter.kind, letter.channel, letter.state, letter.fee), ("soft_reminder", "email", "sent", 0))
        self.assertFalse(letter.fee_move_id)
        self.assertEqual(invoice.l10n_no_dunning_state, "in_dunning")
        self.assertTrue(letter.message_ids.filtered(lambda m: m.message_type == "comment"))

        # day 10: the reminder's deadline (day 10) has not expired
        self.assertFalse(self._run(date(2026, 1, 20)).letter_ids)

        # day 14: purring, the first day a fee is lawful
        run = self._run(date(2026, 1, 24), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual(letter.kind, "reminder")
        self.assertAlmostEqual(letter.fee, 37.50)
        self.assertAlmostEqual(letter.interest, 4.60)  # 1000 * 12 % * 14 / 365
        self.assertEqual(letter.deadline, date(2026, 2, 7))
        fee_move = letter.fee_move_id
        self.assertEqual(fee_move.state, "posted")
        self.assertAlmostEqual(fee_move.amount_total, 42.10)
        self.assertEqual(fee_move.invoice_date_due, date(2026, 2, 7))
        self.assertFalse(fee_move.invoice_line_ids.tax_ids)
        self.assertEqual(fee_move.l10n_no_dunning_fee_letter_id, letter)
        # l10n_no_kid: the fee invoice is paid with its own KID, into the claim's account
        self.assertEqual(fee_move.partner_bank_id, self.bank_account)
        self.assertRegex(fee_move.payment_reference or "", r"^\d{15}$")
        self.assertNotEqual(fee_move.payment_reference, invoice.payment_reference)
        self.assertEqual(invoice.l10n_no_dunning_interest_until, date(2026, 1, 24))

        # after the purring's deadline: inkassovarsel by post, interest from the last charge
        run = self._run(date(2026, 2, 8), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual((letter.kind, letter.channel), ("inkassovarsel", "post"))
        self.assertAlmostEqual(letter.fee, 37.50)
        self.assertAlmostEqual(letter.interest, 4.93)  # 15 days
        self.assertEqual(letter.deadline, date(2026, 2, 22))
        self.assertTrue(letter.attachment_id)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "l10n_no_dunning.action_report_dunning_letter", letter.ids
        )[0].decode()
        for text in ("Inkassovarsel", "at least 14 days", "debt collection", "02/22/2026", "12.00 %", "01/24/2026"):
            self.assertIn(text, html)
        # the fee invoices were not dunned themselves
        self.assertEqual(len(letter.item_ids), 1)

        self.assertFalse(self._run(date(2026, 2, 22)).letter_ids)  # varsel deadline still running

        run = self._run(date(2026, 2, 23), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual((letter.kind, letter.channel, letter.state), ("handover", "agency", "sent"))
        self.assertEqual(invoice.l10n_no_dunning_state, "handed_over")
        self.assertEqual(len(run.handover_attachment_ids), 1)
        rows = list(csv.DictReader(io.StringIO(run.handover_attachment_ids.raw.decode()), delimiter=";"))
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["claim_number"], invoice.name)
        self.assertEqual(row["debtor_kind"], "person")
        self.assertEqual(row["principal"], "1000.00")
        self.assertEqual(row["fees"], "75.00")
        self.assertEqual(row["interest"], "14.46")  # 4.60 + 4.93 + 4.93 up to the hand-over
        self.assertRegex(invoice.payment_reference, r"^\d{15}$")
        self.assertEqual(row["kid"], invoice.payment_reference)
        self.assertEqual(row["notices"].count(" deadline "), 3)
        self.assertEqual(set(invoice.l10n_no_dunning_item_ids.mapped("state")), {"sent"})
        self.assertEqual(self.consumer.l10n_no_dunning_item_count, 4)

        # handed over: never dunned again
        self.assertFalse(self._run(date(2026, 3, 20)).letter_ids)

    def test_02_partial_payment_between_steps(self):
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        self._run(date(2026, 1, 24), confirm=True)
        self._pay(invoice, 600.0, date(2026, 2, 1))
        self.assertEqual(invoice.payment_state, "partial")
        run = self._run(date(2026, 2, 8), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual(letter.kind, "inkassovarsel")
        self.assertAlmostEqual(letter.principal, 400.0)
        self.assertAlmostEqual(letter.interest, 1.97)  # 400 * 12 % * 15 / 365

    def test_03_credit_notes(self):
        """An open credit note is set against the oldest overdue invoice; a reconciled one lowers it."""
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        refund = self._invoice(self.consumer, 1000.0, DUE, move_type="out_refund")
        run = self._run(date(2026, 1, 13))
        self.assertFalse(run.letter_ids)
        self.assertIn('"paid": 1', run.summary)
        refund.button_draft()
        refund.invoice_line_ids.price_unit = 300.0
        refund.action_post()
        run = self._run(date(2026, 1, 13))
        self.assertAlmostEqual(self._letter(run, self.consumer).principal, 700.0)
        # reconcile the credit note with the invoice: the residual itself drops
        lines = (invoice + refund).line_ids.filtered(lambda l: l.account_id.account_type == "asset_receivable")
        lines.reconcile()
        self.assertAlmostEqual(invoice.amount_residual, 700.0)
        run = self._run(date(2026, 1, 14))
        self.assertAlmostEqual(self._letter(run, self.consumer).principal, 700.0)

    def test_04_consumer_vs_business_compensation(self):
        self.level["reminder"].claim_compensation = True
        self._invoice(self.consumer, 10000.0, DUE)
        self._invoice(self.business, 10000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        run = self._run(date(2026, 1, 24), confirm=True)
        consumer_letter, business_letter = self._letter(run, self.consumer), self._letter(run, self.business)
        self.assertAlmostEqual(consumer_letter.fee, 37.50)
        self.assertEqual(consumer_letter.compensation, 0)
        self.assertAlmostEqual(business_letter.fee, 37.50)
        self.assertAlmostEqual(business_letter.compensation, 422.50)  # 460 - 37.50
        self.assertIn(
            self.company.l10n_no_dunning_compensation_product_id,
            business_letter.fee_move_id.invoice_line_ids.product_id,
        )
        # the compensation already covers the inkassovarsel fee: no double recovery (§ 3a)
        run = self._run(date(2026, 2, 8), confirm=True)
        self.assertEqual(self._letter(run, self.business).fee, 0)
        self.assertAlmostEqual(self._letter(run, self.consumer).fee, 37.50)

    def test_05_payment_after_proposal_drops_the_letter(self):
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        other = self._invoice(self.business, 500.0, DUE)
        run = self._run(date(2026, 1, 13))
        self.assertEqual(len(run.letter_ids), 2)
        self._pay(invoice, 1000.0, date(2026, 1, 13))
        # a bank line from the business customer not yet reconciled: a payment on its way
        self.env["account.bank.statement.line"].create({
            "journal_id": self.bank_journal.id, "date": date(2026, 1, 13), "payment_ref": "betaling",
            "partner_id": self.business.id, "amount": 500.0,
        })
        run.action_confirm()
        for letter in run.letter_ids:
            self.assertEqual(letter.state, "dropped")
            self.assertFalse(letter.fee_move_id)
        self.assertEqual(invoice.l10n_no_dunning_state, "none")
        self.assertEqual(other.l10n_no_dunning_state, "none")
        notes = run.letter_ids.item_ids.mapped("note")
        self.assertIn("The claim is paid.", notes)
        self.assertIn("A payment is on its way.", notes)

    def test_06_partial_payment_after_proposal_updates_the_letter(self):
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        run = self._run(date(2026, 1, 24))
        self._pay(invoice, 250.0, date(2026, 1, 24))
        run.action_confirm()
        letter = self._letter(run, self.consumer)
        self.assertEqual(letter.state, "sent")
        self.assertAlmostEqual(letter.principal, 750.0)
        self.assertAlmostEqual(letter.interest, 3.45)  # 750 * 12 % * 14 / 365

    def test_07_one_letter_per_customer_skips(self):
        first = self._invoice(self.business, 1000.0, DUE)
        self._invoice(self.business, 2000.0, date(2026, 1, 5))
        disputed = self._invoice(self.business, 3000.0, DUE)
        disputed.l10n_no_dunning_disputed = True
        self._invoice(self.consumer, 1000.0, DUE)
        self.consumer.l10n_no_dunning_blocked = True
        self._invoice(self.business, 10.0, DUE)  # below the minimum amount
        self._run(date(2026, 1, 13), confirm=True)
        run = self._run(date(2026, 1, 24), confirm=True)
        self.assertEqual(len(run.letter_ids), 1)
        letter = run.letter_ids
        self.assertEqual(letter.partner_id, self.business)
        self.assertEqual(len(letter.item_ids), 2)
        self.assertNotIn(disputed, letter.item_ids.move_id)
        self.assertAlmostEqual(letter.fee, 37.50)  # one notice, one fee
        self.assertEqual(len(letter.fee_move_id.invoice_line_ids.filtered(
            lambda l: l.product_id == self.company.l10n_no_dunning_fee_product_id)), 1)
        self.assertEqual(first.l10n_no_dunning_level_id, self.level["reminder"])
        self.assertIn("disputed", run.summary)
        self.assertIn("blocked", run.summary)
        self.assertIn("below_minimum", run.summary)

    def test_08_fee_never_above_the_legal_cap(self):
        self.levels.write({"active": False})
        self.env["l10n_no.dunning.level"].create([
            {"name": "P1", "sequence": 1, "kind": "reminder", "days": 14, "anchor": "due_date", "fee": True},
            {"name": "P2", "sequence": 2, "kind": "reminder", "days": 0, "fee": True},
            {"name": "P3", "sequence": 3, "kind": "reminder", "days": 0, "fee": True},
            {"name": "IV", "sequence": 4, "kind": "inkassovarsel", "days": 0, "fee": True},
        ])
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        fees = []
        for day in (date(2026, 1, 24), date(2026, 2, 8), date(2026, 2, 23), date(2026, 3, 10)):
            run = self._run(day, confirm=True)
            fees.append(self._letter(run, self.consumer).fee)
        self.assertEqual(fees, [37.50, 37.50, 0.0, 0.0])
        fee_moves = invoice.l10n_no_dunning_item_ids.letter_id.fee_move_id
        self.assertAlmostEqual(sum(fee_moves.mapped("amount_total")), 75.0)

    def test_09_inkassovarsel_email_warning(self):
        self.level["inkassovarsel"].channel = "email"
        self._invoice(self.consumer, 1000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        self._run(date(2026, 1, 24), confirm=True)
        run = self._run(date(2026, 2, 8))
        letter = self._letter(run, self.consumer)
        self.assertEqual(letter.channel, "email")
        self.assertIn("§ 3a", letter.warning)
        self.assertEqual(run.warning_count, 1)
        letter.action_l10n_no_dunning_set_post()
        self.assertEqual((letter.channel, letter.warning), ("post", False))
        # an address the customer confirmed: no warning
        self.consumer.l10n_no_dunning_notice_email = "ola@example.no"
        Letter = self.env["l10n_no.dunning.letter"]
        self.assertEqual(
            Letter._l10n_no_dunning_channel(self.level["inkassovarsel"], self.consumer, date(2026, 2, 8)), ("email", False)
        )
        no_mail = self.consumer.copy({"email": False})
        channel, warning = Letter._l10n_no_dunning_channel(self.level["reminder"], no_mail, date(2026, 2, 8))
        self.assertEqual(channel, "post")
        self.assertTrue(warning)

    def test_10_unknown_law_value_is_reported_until_supplied(self):
        self.levels.write({"active": False})
        self.env["l10n_no.dunning.level"].create({
            "name": "P1", "kind": "reminder", "days": 14, "anchor": "due_date", "fee": True, "charge_interest": True,
        })
        self._invoice(self.consumer, 1000.0, date(2026, 6, 20))
        run = self._run(date(2026, 7, 15))
        self.assertFalse(run.letter_ids)
        self.assertIn("law_value_unknown", run.summary)
        self.assertIn("forsinkelsesrente", run.summary)
        self.env["l10n_no.dunning.law.value"].create({
            "law_table": "forsinkelsesrente", "period_start": date(2026, 7, 1), "value": 12.0, "source": "test",
        })
        run = self._run(date(2026, 7, 15))
        self.assertAlmostEqual(self._letter(run, self.consumer).interest, 8.22)  # 25 days at 12 %

    def test_11_batches_resume_without_duplicates(self):
        partners = self.env["res.partner"].create([{"name": f"Kunde {i}", "email": f"k{i}@example.no"} for i in range(3)])
        for partner in partners:
            self._invoice(partner, 1000.0, DUE)
            self._invoice(partner, 500.0, DUE)
        run = self._new_run(date(2026, 1, 13))
        self.assertEqual(run._l10n_no_dunning_propose_batch(limit=2), (4, 2))
        self.assertEqual(run._l10n_no_dunning_propose_batch(limit=2), (2, 0))
        self.assertEqual(run._l10n_no_dunning_propose_batch(limit=2), (0, 0))
        self.assertEqual(len(run.letter_ids), 3)
        self.assertEqual(len(run.letter_ids.item_ids), 6)

    def test_12_history_on_partner_and_invoice(self):
        invoice = self._invoice(self.business, 1000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        self.assertEqual(invoice.l10n_no_dunning_item_count, 1)
        self.assertEqual(self.business.l10n_no_dunning_item_count, 1)
        action = self.business.action_l10n_no_dunning_history()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), invoice.l10n_no_dunning_item_ids)
        self.assertTrue(invoice.message_ids.filtered(lambda m: "Payment reminder" in (m.body or "")))
        self.assertTrue(self.business.message_ids.filtered(lambda m: "Payment reminder" in (m.body or "")))

    def test_13_handover_of_several_invoices_keeps_each_history(self):
        """Two invoices handed over in one letter: each row carries its own notices, and the letters'
        fees are handed over once (with the first claim of each letter), not once per invoice."""
        first = self._invoice(self.consumer, 1000.0, DUE)
        second = self._invoice(self.consumer, 500.0, DUE)
        for day in (date(2026, 1, 13), date(2026, 1, 24), date(2026, 2, 8)):
            self._run(day, confirm=True)
        run = self._run(date(2026, 2, 23), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual((letter.kind, letter.state), ("handover", "sent"))
        self.assertEqual(len(run.handover_attachment_ids), 1)
        rows = list(csv.DictReader(io.StringIO(run.handover_attachment_ids.raw.decode()), delimiter=";"))
        self.assertEqual(sorted(row["claim_number"] for row in rows), sorted([first.name, second.name]))
        for row in rows:
            self.assertEqual(row["notices"].count(" deadline "), 3)
        self.assertEqual(sum(Decimal(row["fees"]) for row in rows), Decimal("75.00"))
        self.assertEqual({first.l10n_no_dunning_state, second.l10n_no_dunning_state}, {"handed_over"})

    def test_14_drop_and_cancel_leave_no_proposed_item(self):
        """Dropping letters or cancelling a run drops their invoices too, and sending then sends nothing."""
        self._invoice(self.consumer, 1000.0, DUE)
        self._invoice(self.business, 1000.0, DUE)
        run = self._run(date(2026, 1, 13))
        self.assertEqual(len(run.letter_ids), 2)
        run.letter_ids.action_drop()
        self.assertEqual(set(run.letter_ids.mapped("state")), {"dropped"})
        self.assertEqual(set(run.letter_ids.item_ids.mapped("state")), {"dropped"})
        self.assertTrue(all(run.letter_ids.mapped("drop_reason")))
        run.action_confirm()
        self.assertFalse(run.letter_ids.item_ids.filtered(lambda i: i.state == "sent"))

        other = self._run(date(2026, 1, 14))
        self.assertEqual(len(other.letter_ids), 2)
        other.action_cancel()
        self.assertEqual(set(other.letter_ids.mapped("state")), {"cancel"})
        self.assertEqual(set(other.letter_ids.item_ids.mapped("state")), {"dropped"})
