from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalFlow(ApprovalCommon):
    def test_preset_matrix_has_attest_anvis_and_a_band(self):
        levels = self.matrix.level_ids.sorted(lambda d: (d.l10n_no_role != "attest", d.l10n_no_level))
        self.assertEqual(
            [(d.l10n_no_role, d.l10n_no_level, d.l10n_no_above) for d in levels],
            [("attest", 1, 0.0), ("anvis", 1, 0.0), ("anvis", 2, 100000.0)],
        )
        self.assertTrue(all(d.review_type == "l10n_no_matrix" and d.model == "account.move" for d in levels))

    def test_two_step_route_attest_then_anvis(self):
        move = self.bill(1000)
        self.assertTrue(move.need_validation)
        move.with_user(self.clerk).request_validation()
        reviews = self.reviews(move)
        self.assertEqual(reviews.mapped("name"), ["Attest", "Anvis"])
        self.assertEqual(reviews[0].status, "pending")
        self.assertEqual(reviews[0].reviewer_ids, self.att | self.att_b)
        self.assertEqual(reviews[1].reviewer_ids, self.boss | self.boss_b)
        # an activity for each person who may attest
        activities = move.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("l10n_no_approval.mail_activity_l10n_no_approve")
        )
        self.assertEqual(activities.user_id, self.att | self.att_b)
        # anvis before attest is refused
        with self.assertRaisesRegex(UserError, "Boss may not act on Attest"):
            move.with_user(self.boss).validate_tier()
        move.with_user(self.att).validate_tier()
        self.assertEqual(reviews[0].status, "approved")
        self.assertEqual(reviews[0].done_by, self.att)
        self.assertTrue(reviews[0].reviewed_date)
        self.assertEqual(reviews[1].status, "pending")
        with self.assertRaisesRegex(UserError, "not fully approved yet"):
            move.with_user(self.clerk).action_post()
        move.with_user(self.boss_b).validate_tier()
        self.assertEqual(move.validation_status, "validated")
        self.assertTrue(move.l10n_no_approved)
        move.with_user(self.clerk).action_post()
        self.assertEqual(move.state, "posted")
        self.assertIn("Anvis: approved by Bossb", "\n".join(move.sudo().message_ids.mapped("body")))

    def test_amount_band_needs_a_second_anviser_and_limits_hold(self):
        move = self.bill(150000)
        move.with_user(self.clerk).request_validation()
        reviews = self.reviews(move)
        self.assertEqual(reviews.mapped("name"), ["Attest", "Anvis", "Anvis level 2"])
        self.assertEqual(reviews[1].reviewer_ids, self.boss)  # boss_b's limit is 20 000
        self.assertEqual(reviews[2].reviewer_ids, self.cfo)
        move.with_user(self.att).validate_tier()
        with self.assertRaisesRegex(UserError, "Bossb may not act"):
            move.with_user(self.boss_b).validate_tier()
        move.with_user(self.boss).validate_tier()
        move.with_user(self.cfo).validate_tier()
        self.assertTrue(move.l10n_no_approved)

    def test_self_approval_and_four_eyes(self):
        # the anviser registered the bill: not eligible for it
        self.boss.group_ids |= self.env.ref("account.group_account_invoice")
        move = self.bill(1000, user=self.boss)
        move.with_user(self.boss).request_validation()
        self.assertEqual(self.reviews(move)[1].reviewer_ids, self.boss_b)
        move.with_user(self.att).validate_tier()
        with self.assertRaisesRegex(UserError, "Boss registered the bill; nobody may approve their own bill"):
            move.with_user(self.boss).validate_tier()
        # a vendor that is the attestant's own partner
        own = self.bill(500, partner=self.att.partner_id)
        own.with_user(self.clerk).request_validation()
        self.assertEqual(self.reviews(own)[0].reviewer_ids, self.att_b)
        # one person holding attest and anvis authority acts once
        self.matrix.write({"authority_ids": [Command.create({"user_id": self.att.id, "role": "anvis"})]})
        move2 = self.bill(700)
        move2.with_user(self.clerk).request_validation()
        move2.with_user(self.att).validate_tier()
        with self.assertRaisesRegex(UserError, "attestant and anviser must be different persons"):
            move2.with_user(self.att).validate_tier()

    def test_norwegian_user_gets_the_refusal_and_the_routing_note_in_bokmal(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        self.boss.group_ids |= self.env.ref("account.group_account_invoice")
        move = self.bill(1000, user=self.boss)
        move.with_user(self.boss).request_validation()
        move.with_user(self.att).validate_tier()
        as_nb = move.with_user(self.boss).with_context(lang="nb_NO")
        with self.assertRaisesRegex(UserError, "^Boss registrerte fakturaen; ingen kan godkjenne sin egen faktura[.]$"):
            as_nb.validate_tier()
        with self.assertRaisesRegex(UserError, "^Boss registered the bill; nobody may approve their own bill[.]$"):
            move.with_user(self.boss).with_context(lang="en_US").validate_tier()
        # nobody may anvis: the note is written in the language of the user whose action routed it
        big = self.bill(5000000)
        big.with_user(self.clerk).request_validation()
        big.with_user(self.att).with_context(lang="nb_NO").validate_tier()
        review = self.reviews(big)[1]
        self.assertIn("Ingen kan behandle Anvis", review.l10n_no_note)
        self.assertIn("beløpsgrensen til Boss er lavere enn 5000000.00 NOK", review.l10n_no_note)
        posted = big.message_ids.filtered(lambda m: "Ingen kan behandle" in (m.body or ""))
        self.assertEqual(len(posted), 1)
        # an English refresh (the nightly cron) neither rewrites the note nor posts it again
        big.with_context(lang="en_US")._l10n_no_refresh_reviewers()
        self.assertIn("Ingen kan behandle Anvis", review.l10n_no_note)
        self.assertFalse(big.message_ids.filtered(lambda m: "Nobody may act" in (m.body or "")))

    def test_matrix_error_in_the_administrators_language(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        matrix = self.matrix.with_context(lang="nb_NO")
        with self.assertRaisesRegex(
            ValidationError, "^Hver kombinasjon av rolle og nivå kan bare forekomme én gang i en matrise[.]$"
        ):
            matrix.write({"level_ids": [matrix._level_command("attest", 1, 0.0)]})
        with self.assertRaisesRegex(ValidationError, "^Each role and level appears once in a matrix[.]$"):
            self.matrix.write({"level_ids": [self.matrix._level_command("attest", 1, 0.0)]})

    def test_reject_with_reason_blocks_post_and_payment(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        action = move.with_user(self.att).reject_tier()
        self.assertEqual(action["res_model"], "l10n.no.approval.action")
        wizard = self.env["l10n.no.approval.action"].with_user(self.att).create(
            {"move_id": move.id, "action": "reject", "reason": "Varene er ikke mottatt"}
        )
        wizard.action_confirm()
        self.assertEqual(move.validation_status, "rejected")
        self.assertEqual(move.l10n_no_do_not_pay_reason, "Varene er ikke mottatt")
        with self.assertRaisesRegex(UserError, "do not pay"):
            move.with_user(self.clerk).action_post()
        with self.assertRaisesRegex(UserError, "Give the reason"):
            other = self.bill(10)
            other.with_user(self.clerk).request_validation()
            other.with_user(self.att)._l10n_no_reject("  ")
        # restarting sends it round again, without the do-not-pay mark
        move.with_user(self.clerk).restart_validation()
        self.assertFalse(move.l10n_no_do_not_pay_reason)
        self.assertFalse(move.review_ids)

    def test_send_back_and_forward(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        with self.assertRaisesRegex(UserError, "first step"):
            move.with_user(self.att)._l10n_no_send_back("why")
        with self.assertRaisesRegex(UserError, "Boss may not act on Attest of this bill"):
            move.with_user(self.att)._l10n_no_forward(self.boss, "please")
        move.with_user(self.att)._l10n_no_forward(self.att_b, "Du bestilte dette")
        reviews = self.reviews(move)
        self.assertEqual(reviews[0].reviewer_ids, self.att_b)
        # the forwarder is no longer a reviewer, so the bill leaves their list (and their sight)
        with self.assertRaises(AccessError):
            move.with_user(self.att).validate_tier()
        with self.assertRaisesRegex(UserError, "forwarded to Attb"):
            move.with_user(self.boss).validate_tier()
        move.with_user(self.att_b).validate_tier()
        move.with_user(self.boss)._l10n_no_send_back("Feil prosjekt")
        self.assertEqual(reviews[0].status, "pending")
        self.assertEqual(reviews[1].status, "waiting")
        self.assertEqual(reviews[0].reviewer_ids, self.att_b)
        self.assertFalse(reviews[0].done_by)
        move.with_user(self.att_b).validate_tier()
        move.with_user(self.boss).validate_tier()
        self.assertTrue(move.l10n_no_approved)
        bodies = "\n".join(move.sudo().message_ids.mapped("body"))
        self.assertIn("forwarded by Att to Attb", bodies)
        self.assertIn("sent back to Attest (Attb) by Boss", bodies)

    def test_substitute_takes_over_and_gives_back(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        today = fields.Date.context_today(move)
        sub = self.env["l10n.no.approval.substitute"].with_user(self.boss).create({
            "user_id": self.boss.id, "substitute_id": self.cfo.id,
            "date_from": today - timedelta(days=1), "date_to": today + timedelta(days=7),
        })
        review = self.reviews(move)[1]
        self.assertEqual(review.reviewer_ids, self.cfo | self.boss_b)
        with self.assertRaisesRegex(UserError, "Boss is away today; Cfo acts on Anvis instead"):
            move.with_user(self.boss).validate_tier()
        # the period ends: the step goes back
        sub.sudo().write({"date_to": today - timedelta(days=1), "date_from": today - timedelta(days=5)})
        self.assertEqual(review.reviewer_ids, self.boss | self.boss_b)
        # another substitution, the cron sees it in force and the substitute approves for the absent one
        sub.sudo().write({"date_to": today + timedelta(days=1)})
        self.env["account.move"]._cron_l10n_no_approval()
        move.with_user(self.cfo).validate_tier()
        self.assertEqual(self.reviews(move)[1].l10n_no_acted_for, "Boss")
        self.assertTrue(move.l10n_no_approved)

    def test_escalation_after_days(self):
        self.matrix.escalate_after_days = 3
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        review = self.reviews(move)[1]
        self.assertNotIn(self.cfo, review.reviewer_ids)
        review.sudo().l10n_no_pending_since = fields.Date.context_today(move) - timedelta(days=3)
        move._l10n_no_refresh_reviewers()
        self.assertIn(self.cfo, review.reviewer_ids)
        move.with_user(self.cfo).validate_tier()
        self.assertTrue(move.l10n_no_approved)

    def test_edit_under_validation_by_a_reviewer_restarts(self):
        self.boss.group_ids |= self.env.ref("account.group_account_invoice")
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        # OCA lets the pending reviewer edit (allow_write_for_reviewer); a new bank account restarts the round
        move.with_user(self.boss).write({"partner_bank_id": self.other_bank.id})
        reviews = self.reviews(move)
        self.assertEqual([r.status for r in reviews], ["pending", "waiting"])
        self.assertFalse(reviews.done_by)
        self.assertIn("approval restarted", "\n".join(move.sudo().message_ids.mapped("body")))

    def test_edit_after_approval_with_the_lock_skipped_restarts(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        move.with_user(self.boss).validate_tier()
        self.assertTrue(move.l10n_no_approved)
        # OCA's lock yields to a context key anybody can send over XML-RPC; the fingerprint does not
        move.with_user(self.clerk).with_context(skip_validation_check=True).write(
            {"partner_bank_id": self.other_bank.id}
        )
        self.assertEqual([r.status for r in self.reviews(move)], ["pending", "waiting"])
        self.assertFalse(move.l10n_no_approved)
        with self.assertRaises(UserError):
            move.with_user(self.clerk).action_post()

    def test_amount_changed_behind_the_form_is_caught_at_posting(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        move.with_user(self.boss).validate_tier()
        # a line written directly (not through the bill) changes the total without a bill write
        line = move.invoice_line_ids
        line.sudo().with_context(check_move_validity=False).write({"price_unit": 9000})
        self.assertFalse(move.l10n_no_approved)
        with self.assertRaisesRegex(UserError, "changed after it was approved"):
            move.with_user(self.clerk).action_post()

    def test_posted_bill_bank_account_cannot_change(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        move.with_user(self.boss).validate_tier()
        move.with_user(self.clerk).action_post()
        with self.assertRaisesRegex(UserError, "reset it to draft"):
            move.with_user(self.clerk).write({"partner_bank_id": self.other_bank.id})

    def test_autopost_vendor_goes_round_and_posts_after_approval(self):
        self.company.autopost_bills = True
        self.vendor.autopost_bills = "always"
        move = self.bill(1000)
        move._autopost_bill()
        self.assertEqual(move.state, "draft")
        self.assertTrue(move.review_ids)
        move.with_user(self.att).validate_tier()
        move.with_user(self.boss).validate_tier()
        self.assertEqual(move.state, "posted")

    def test_cron_starts_bills_nobody_sent(self):
        move = self.bill(1000)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move SET write_date = now() - interval '1 hour' WHERE id = %s", (move.id,)
        )
        move.invalidate_recordset()
        self.env["account.move"]._cron_l10n_no_approval()
        self.assertEqual(self.reviews(move).mapped("status"), ["pending", "waiting"])

    def test_cron_starts_waiting_bills_in_batches(self):
        """More waiting bills than one batch: every one is sent round, and the loop ends."""
        from ..models import account_move as module

        moves = self.env["account.move"].concat(*(self.bill(100 + i) for i in range(5)))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move SET write_date = now() - interval '1 hour' WHERE id IN %s", (tuple(moves.ids),)
        )
        moves.invalidate_recordset()
        with patch.object(module, "START_BATCH", 2):
            self.assertTrue(self.env["account.move"]._cron_l10n_no_approval())
        for move in moves:
            self.assertEqual(self.reviews(move).mapped("status"), ["pending", "waiting"])

    def test_nobody_eligible_says_why(self):
        move = self.bill(5000000)
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        review = self.reviews(move)[1]
        self.assertFalse(review.reviewer_ids)
        self.assertIn("Nobody may act on Anvis", review.l10n_no_note)
        self.assertIn("the limit of Boss is below 5000000.00 NOK", move.l10n_no_approval_note)

    def test_attestant_from_default_coding_attests(self):
        self.env["l10n_no.coding.rule"].create({
            "rule_type": "vendor", "partner_id": self.vendor.id, "attestant_id": self.att_b.id,
            "company_id": self.company.id,
        })
        move = self.bill(1000)
        self.assertEqual(move.l10n_no_attestant_id, self.att_b)
        move.with_user(self.clerk).request_validation()
        self.assertEqual(self.reviews(move)[0].reviewer_ids, self.att_b)
        with self.assertRaisesRegex(UserError, "Att may not act on Attest"):
            move.with_user(self.att).validate_tier()
        move.with_user(self.att_b).validate_tier()
        move.with_user(self.boss).validate_tier()
        self.assertTrue(move.l10n_no_approved)

    def test_coded_attestant_who_registered_the_bill_falls_back_to_the_pool(self):
        self.att_b.group_ids |= self.env.ref("account.group_account_invoice")
        move = self.bill(1000, user=self.att_b)
        move.with_user(self.att_b).write({"l10n_no_attestant_id": self.att_b.id})
        move.with_user(self.att_b).request_validation()
        review = self.reviews(move)[0]
        self.assertEqual(review.reviewer_ids, self.att)

    def test_customer_invoices_are_not_routed(self):
        invoice = self.init_invoice("out_invoice", amounts=[100], post=True)
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.review_ids)

    def test_unconfirmed_payee_account_is_flagged_for_approvers(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        # Nobody trusted the vendor's account yet: the approver's list shows it.
        mine = self.env["account.move"].with_user(self.att).search(
            [("id", "=", move.id), ("can_review", "=", True)])
        self.assertEqual(mine, move)
        self.assertTrue(mine.l10n_no_payee_unconfirmed)
        self.vendor_bank.sudo().allow_out_payment = True
        self.assertFalse(move.with_user(self.att).l10n_no_payee_unconfirmed)
        if "l10n_no_ehf_payee_to_confirm" in move._fields:
            # l10n_no_ehf installed: an account received by EHF and still to confirm counts too
            received = self.bill(500)
            received.sudo().l10n_no_ehf_payee_to_confirm = "12345678903"
            self.assertTrue(received.l10n_no_payee_unconfirmed)
        # The list the approvers open renders with the flag.
        arch = self.env["account.move"].with_user(self.att).get_views(
            [(self.env.ref("l10n_no_approval.view_move_list_l10n_no_to_approve").id, "list")])
        self.assertIn("l10n_no_payee_unconfirmed", str(arch["views"]["list"]["arch"]))

    def test_received_payee_account_confirmed_while_the_bill_circulates(self):
        """l10n_no_ehf's confirmation of a received account passes the lock of a bill under approval;
        the confirmed account restarts the round (whatever was approved vouched for another account)."""
        if "l10n_no_ehf_payee_to_confirm" not in self.env["account.move"]._fields:
            self.skipTest("l10n_no_ehf is not installed in this database")
        manager = self.env["res.users"].create({
            "name": "Manager", "login": "manager", "company_id": self.company.id,
            "company_ids": [Command.set(self.company.ids)],
            "group_ids": [Command.set([self.env.ref("account.group_account_manager").id])],
        })
        move = self.bill(1000)
        move.sudo().l10n_no_ehf_payee_to_confirm = "1234.56.78903"
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        move.with_user(manager).action_l10n_no_ehf_confirm_received()
        self.assertFalse(move.l10n_no_ehf_payee_to_confirm)
        self.assertEqual(move.partner_bank_id, self.other_bank)
        self.assertEqual([r.status for r in self.reviews(move)], ["pending", "waiting"])
        # the lock still holds for anything else under validation
        with self.assertRaises(ValidationError):
            move.with_user(self.clerk).write({"ref": "changed while circulating"})
