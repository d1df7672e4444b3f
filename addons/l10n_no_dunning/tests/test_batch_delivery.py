"""Confirming a run does its work per batch, not per letter, without changing what each letter gets:
the e-mails of the letters are rendered together (one mail composer per template), the fee invoices are
created with their journal amounts known (Odoo writes none of their lines a second time), and the
dunning status goes on the invoices without Odoo's invoice synchronisation (benchmarks/dunning_odoo.py)."""

from datetime import date
from unittest.mock import patch

from odoo.tests import tagged

from .common import DunningCommon

DUE = date(2026, 1, 10)


@tagged("post_install", "-at_install")
class TestBatchDelivery(DunningCommon):
    def setUp(self):
        super().setUp()
        self.invoices = self._invoice(self.consumer, 1000.0, DUE) | self._invoice(self.business, 2000.0, DUE)
        self.Composer = type(self.env["mail.compose.message"])
        self.Letter = type(self.env["l10n_no.dunning.letter"])
        self.rendered = []
        real = self.Composer._prepare_mail_values

        def counting(composer, res_ids):
            if composer.model == "l10n_no.dunning.letter":
                self.rendered.append(sorted(res_ids))
            return real(composer, res_ids)

        self.patch(self.Composer, "_prepare_mail_values", counting)

    def test_emails_rendered_together_each_for_its_own_letter(self):
        with patch.object(self.Letter, "message_post_with_source", side_effect=AssertionError("rendered alone")):
            run = self._run(date(2026, 1, 13), confirm=True, deliver=False)
        self.assertEqual(self.rendered, [sorted(run.letter_ids.ids)], "one composer renders all the e-mails")
        for partner in (self.consumer, self.business):
            letter = self._letter(run, partner)
            message = letter.mail_message_id
            self.assertEqual((message.model, message.res_id), (letter._name, letter.id))
            self.assertEqual(message.partner_ids, partner)
            self.assertEqual(message.subject, f"{letter.level_id.name} – {self.company.name}")
            self.assertIn(partner.name, message.body)
            self.assertEqual(len(message.attachment_ids), 1)
            self.assertEqual(message.attachment_ids.raw, letter.attachment_id.raw)
            self.assertEqual(letter.delivery_state, "pending")
        self.assertEqual(len(self._letter_mails(run.letter_ids)), 2, "one e-mail queued per letter")

    def test_a_batch_that_cannot_be_rendered_together_goes_letter_by_letter(self):
        real = self.Composer._prepare_mail_values

        def refuse_batches(composer, res_ids):
            if composer.model == "l10n_no.dunning.letter" and len(res_ids) > 1:
                raise ValueError("broken batch")
            return real(composer, res_ids)

        with patch.object(self.Composer, "_prepare_mail_values", refuse_batches):
            run = self._run(date(2026, 1, 13), confirm=True, deliver=False)
        self.assertEqual(len(run.letter_ids), 2)
        for letter in run.letter_ids:
            self.assertTrue(letter.mail_message_id)
            self.assertEqual(letter.delivery_state, "pending")
        self.assertEqual(run.failed_count, 0)

    def test_fee_invoice_lines_are_written_once_with_their_amounts(self):
        self._run(date(2026, 1, 13), confirm=True)
        MoveLine = type(self.env["account.move.line"])
        rewritten = []
        real_write = MoveLine.write

        def recording(lines, vals):
            if {"balance", "amount_currency"} & set(vals):
                rewritten.extend(lines.ids)
            return real_write(lines, vals)

        with patch.object(MoveLine, "write", recording):
            run = self._run(date(2026, 1, 24), confirm=True, deliver=False)
        letter = self._letter(run, self.consumer)
        fee_move = letter.fee_move_id
        self.assertEqual(fee_move.state, "posted")
        self.assertAlmostEqual(fee_move.amount_total, letter.fee + letter.interest + letter.compensation)
        self.assertGreater(letter.fee, 0)
        for line in fee_move.invoice_line_ids:
            self.assertAlmostEqual(line.balance, -line.price_unit)
            self.assertAlmostEqual(line.amount_currency, line.balance)
            self.assertAlmostEqual(line.price_subtotal, line.price_unit)
        receivable = fee_move.line_ids.filtered(lambda l: l.account_id.account_type == "asset_receivable")
        self.assertAlmostEqual(receivable.balance, fee_move.amount_total)
        self.assertAlmostEqual(fee_move.amount_residual, fee_move.amount_total)
        self.assertFalse(set(rewritten) & set(run.letter_ids.fee_move_id.line_ids.ids),
                         "Odoo's tax synchronisation wrote the fee lines' amounts again")

    def test_dunning_status_is_not_an_edit_of_the_invoice(self):
        self.assertFalse(any(self.invoices.mapped("is_manually_modified")))
        run = self._run(date(2026, 1, 13), confirm=True, deliver=False)
        self.assertEqual(set(self.invoices.mapped("l10n_no_dunning_state")), {"in_dunning"})
        self.assertEqual(self.invoices.l10n_no_dunning_level_id, run.letter_ids.level_id)
        self.assertFalse(any(self.invoices.mapped("is_manually_modified")),
                         "the dunning status marked the invoices as edited by hand")
