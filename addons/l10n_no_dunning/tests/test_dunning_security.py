import smtplib
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DunningCommon

DUE = date(2026, 1, 10)


@tagged("post_install", "-at_install")
class TestDunningSecurity(DunningCommon):
    """Issues 9.10, 9.5, 10.2, 10.4 and 10.5: return values, law-value alerts, roles, companies and
    fields that change only through the dunning actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env, login="fakturering", name="Fakturering", groups="account.group_account_invoice",
            company_id=cls.company.id, company_ids=cls.company.ids,
        )

    # --- A (9.10): XML-RPC cannot marshal None -------------------------------------------------------

    def test_01_public_methods_return_a_value(self):
        self._invoice(self.consumer, 1000.0, DUE)
        self._invoice(self.business, 2000.0, DUE)
        run = self._new_run(date(2026, 1, 13))
        self.assertIsNotNone(run.action_propose())
        consumer_letter, business_letter = self._letter(run, self.consumer), self._letter(run, self.business)
        self.assertIsNotNone(consumer_letter.action_l10n_no_dunning_set_post())
        self.assertIsNotNone(business_letter.action_drop())
        self.assertIsNotNone(run.action_confirm())
        self.assertEqual(consumer_letter.state, "sent")
        other = self._new_run(date(2026, 1, 14))
        self.assertIsNotNone(other.action_cancel())

    def test_02_skipped_summary_is_readable(self):
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        invoice.l10n_no_dunning_disputed = True
        run = self._run(date(2026, 1, 13))
        self.assertEqual(run.summary_display, "1 skipped: disputed")
        self.assertNotIn("{", run.summary_display)

    # --- C (9.5): a missing law value is announced ----------------------------------------------------

    def _interest_level_only(self):
        self.levels.write({"active": False})
        self.env["l10n_no.dunning.level"].create({
            "name": "P1", "kind": "reminder", "days": 14, "anchor": "due_date", "fee": True, "charge_interest": True,
        })

    def test_10_run_announces_skipped_claims_for_missing_law_value(self):
        self._interest_level_only()
        self._invoice(self.consumer, 1000.0, date(2026, 6, 20))
        run = self._run(date(2026, 7, 15))
        self.assertFalse(run.letter_ids)
        self.assertIn("1 claims skipped", run.summary_display)
        self.assertIn("2026 H2", run.summary_display)
        posted = run.message_ids.filtered(lambda m: "claims skipped" in (m.body or ""))
        self.assertEqual(len(posted), 1)
        self.assertIn("2026 H2", posted.body)

    def test_11_implausible_law_values_refused(self):
        LawValue = self.env["l10n_no.dunning.law.value"]
        for table, value in (
            ("forsinkelsesrente", 30.5), ("forsinkelsesrente", -1.0), ("forsinkelsesrente", 125.0),
            ("standardkompensasjon", 46.0), ("inkassosats", 75000.0),
        ):
            with self.subTest(table=table, value=value), self.assertRaises(ValidationError):
                LawValue.create({"law_table": table, "period_start": date(2027, 1, 1), "value": value})
        value = LawValue.create({"law_table": "forsinkelsesrente", "period_start": date(2026, 7, 1), "value": 12.0})
        with self.assertRaises(ValidationError):
            value.value = 120.0

    def test_12_cron_tells_the_managers_once_before_the_period(self):
        Notification = self.env["mail.notification"]
        manager_partner = self.env.user.partner_id

        def alerts():
            return Notification.search([
                ("res_partner_id", "=", manager_partner.id),
                ("mail_message_id.subject", "=", "Dunning: law value missing"),
            ])

        LawValue = self.env["l10n_no.dunning.law.value"]
        with self.patch_today(date(2026, 6, 10)):
            LawValue._cron_l10n_no_dunning_check_law_values()
        self.assertEqual(len(alerts()), 1)
        self.assertIn("forsinkelsesrente", alerts().mail_message_id.body.lower())
        self.assertIn("2026-07-01", alerts().mail_message_id.body)
        self.assertNotIn(self.billing.partner_id, alerts().res_partner_id)
        with self.patch_today(date(2026, 6, 11)):
            LawValue._cron_l10n_no_dunning_check_law_values()
        self.assertEqual(len(alerts()), 1, "announced once, not every day")

    def patch_today(self, day):
        from unittest.mock import patch  # noqa: PLC0415

        return patch.object(fields.Date, "context_today", lambda *a, **k: day)

    # --- D (10.2): dates and roles --------------------------------------------------------------------

    def test_20_run_dated_today_only(self):
        """Issue 9: a run is dated today; neither a later nor an earlier day, at creation, by a later
        change of date, or by confirming yesterday's proposal today."""
        Run = self.env["l10n_no.dunning.run"].with_user(self.billing)
        today = fields.Date.context_today(Run)
        for day in (today + timedelta(days=1), today - timedelta(days=1), date(2026, 1, 13)):
            with self.subTest(day=day), self.assertRaises(ValidationError):
                Run.create({"company_id": self.company.id, "date": day})
        run = Run.create({"company_id": self.company.id})
        self.assertEqual(run.date, today)
        for day in (today + timedelta(days=1), today - timedelta(days=1)):
            with self.subTest(day=day), self.assertRaises(ValidationError):
                run.write({"date": day})
        # proposed yesterday, confirmed today: refused (the letters would carry yesterday's deadlines)
        self._invoice(self.consumer, 1000.0, DUE)
        yesterday = self._new_run(date(2026, 1, 13))
        yesterday.action_propose()
        self.today = date(2026, 1, 14)
        with self.assertRaises(ValidationError):
            yesterday.action_confirm()
        self.assertEqual(yesterday.state, "proposed")

    def test_21_billing_user_proposes_but_does_not_send(self):
        self._invoice(self.consumer, 1000.0, DUE)
        self.today = date(2026, 1, 13)
        run = self.env["l10n_no.dunning.run"].with_user(self.billing).create(
            {"company_id": self.company.id, "date": date(2026, 1, 13)}
        )
        self.assertTrue(run.action_propose())
        self.assertEqual(run.letter_ids.state, "proposed")
        with self.assertRaises(AccessError):
            run.action_confirm()
        with self.assertRaises(AccessError):
            run._l10n_no_dunning_send_batch()
        self.assertEqual((run.state, run.letter_ids.state), ("proposed", "proposed"))
        run.with_user(self.env.user).action_confirm()
        self.assertEqual(run.letter_ids.state, "sent")

    # --- E (10.4, 10.5): companies and protected fields -----------------------------------------------

    def test_30_users_do_not_create_letters_or_items(self):
        self._invoice(self.consumer, 1000.0, DUE)
        run = self._run(date(2026, 1, 13))
        letter = run.letter_ids
        for user in (self.billing, self.env.user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["l10n_no.dunning.item"].with_user(user).create({
                    "letter_id": letter.id, "run_id": run.id, "company_id": self.company.id,
                    "currency_id": letter.currency_id.id, "partner_id": self.consumer.id,
                    "move_id": letter.item_ids.move_id.id, "date": run.date, "level_id": letter.level_id.id,
                    "kind": "reminder",
                })
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["l10n_no.dunning.letter"].with_user(user).create({
                    "run_id": run.id, "company_id": self.company.id, "currency_id": letter.currency_id.id,
                    "partner_id": self.consumer.id, "level_id": letter.level_id.id, "kind": "reminder",
                    "channel": "post",
                })

    def test_31_no_item_or_letter_across_companies(self):
        """check_company on the relational fields: even the code's sudo cannot mix companies."""
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        run = self._run(date(2026, 1, 13))
        letter = run.letter_ids
        other = self.env["res.company"].create({"name": "Annet AS"})
        foreign_level = other._l10n_no_dunning_levels()[:1]
        self.assertTrue(foreign_level)
        with self.assertRaises(UserError):
            self.env["l10n_no.dunning.item"].sudo().create({
                "letter_id": letter.id, "run_id": run.id, "company_id": self.company.id,
                "currency_id": letter.currency_id.id, "partner_id": self.consumer.id, "move_id": invoice.id,
                "date": run.date, "level_id": foreign_level.id, "kind": "reminder",
            })
        with self.assertRaises(UserError):
            self.env["l10n_no.dunning.letter"].sudo().create({
                "run_id": run.id, "company_id": other.id, "currency_id": letter.currency_id.id,
                "partner_id": self.consumer.id, "level_id": foreign_level.id, "kind": "reminder", "channel": "post",
            })
        for model, fname in (("l10n_no.dunning.item", "move_id"), ("l10n_no.dunning.item", "letter_id"),
                             ("l10n_no.dunning.letter", "run_id"), ("l10n_no.dunning.letter", "fee_move_id")):
            self.assertTrue(self.env[model]._fields[fname].check_company, (model, fname))

    def test_32_status_and_amounts_not_writable_directly(self):
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        run = self._run(date(2026, 1, 13))
        letter = run.letter_ids
        for user in (self.billing, self.env.user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    run.with_user(user).write({"state": "done"})
                with self.assertRaises(AccessError):
                    letter.with_user(user).write({"fee": 10000.0})
                with self.assertRaises(AccessError):
                    letter.with_user(user).write({"state": "sent"})
                with self.assertRaises(AccessError):
                    letter.item_ids.with_user(user).write({"state": "sent"})
                with self.assertRaises(AccessError):
                    invoice.with_user(user).write({"l10n_no_dunning_state": "handed_over"})
        self.assertEqual((run.state, letter.state, letter.fee, invoice.l10n_no_dunning_state),
                         ("proposed", "proposed", 0.0, "none"))
        # the channel of a proposed letter stays the user's choice
        letter.with_user(self.billing).write({"channel": "post"})
        self.assertEqual(letter.channel, "post")

    # --- B (9.4): only a delivered letter counts ------------------------------------------------------

    def _failed_reminder(self):
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        run = self._run(date(2026, 1, 13), confirm=True, deliver=False)
        letter = run.letter_ids
        self.assertEqual((letter.kind, letter.channel, letter.state), ("soft_reminder", "email", "sent"))
        self.assertTrue(letter.mail_message_id)
        self.assertEqual(letter.delivery_state, "pending")
        self.assertEqual(
            [p.sent_on for p in invoice._l10n_no_dunning_history(date(2026, 1, 13))[invoice.id]], [date(2026, 1, 13)]
        )
        with self._mail_server(date(2026, 1, 13), reject=smtplib.SMTPDataError(550, "no such mailbox")):
            self._letter_mails(letter).send()
        return invoice, run, letter

    def test_40_failed_email_is_not_a_step_taken(self):
        invoice, run, letter = self._failed_reminder()
        self.assertEqual(letter.delivery_state, "failed")
        self.assertIn("no such mailbox", letter.delivery_error)
        self.assertEqual(run.failed_count, 1)
        self.assertTrue(run.message_ids.filtered(lambda m: "could not be delivered" in (m.body or "")))
        self.assertFalse(invoice._l10n_no_dunning_history().get(invoice.id))

    def test_41_mark_posted_counts_from_the_day_it_went_out(self):
        invoice, _run, letter = self._failed_reminder()
        with self.assertRaises(AccessError):
            letter.with_user(self.billing).action_l10n_no_dunning_mark_posted()
        with self.patch_today(date(2026, 1, 20)):
            self.assertTrue(letter.action_l10n_no_dunning_mark_posted())
        self.assertEqual(
            (letter.delivery_state, letter.channel, letter.delivered_on), ("delivered", "post", date(2026, 1, 20))
        )
        self.assertEqual(letter.attachment_id.mimetype, "application/pdf")
        self.assertEqual([p.sent_on for p in invoice._l10n_no_dunning_history()[invoice.id]], [date(2026, 1, 20)])

    def test_42_resend_by_email(self):
        _invoice, _run, letter = self._failed_reminder()
        first = letter.mail_message_id
        self.assertTrue(letter.action_l10n_no_dunning_resend_email())
        self.assertNotEqual(letter.mail_message_id, first)
        self.assertIn(letter.delivery_state, ("pending", "delivered"))
        self.assertFalse(letter.delivery_error)

    def _letter_mail(self, letter):
        mail = self._letter_mails(letter)
        self.assertEqual(len(mail), 1)
        return mail

    def test_43_queued_email_is_no_step_taken_until_sent(self):
        """Issue 9: the reminder's e-mail (deadline the 20th) still waits in the mail queue on the 24th,
        when the purring would be due: nothing new is proposed, its deadline counts as if it went out that
        day. The mail server accepts it on the 25th: from then on it counts as sent."""
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        letter = self._run(date(2026, 1, 13), confirm=True, deliver=False).letter_ids
        self.assertEqual((letter.kind, letter.delivery_state, letter.deadline),
                         ("soft_reminder", "pending", date(2026, 1, 20)))
        step = invoice._l10n_no_dunning_history(date(2026, 1, 24))[invoice.id][0]
        self.assertEqual((step.sent_on, step.deadline), (date(2026, 1, 24), date(2026, 1, 31)))
        self.assertFalse(self._letter(self._run(date(2026, 1, 24)), self.consumer))
        with self._mail_server(date(2026, 1, 25)):
            self._letter_mail(letter).send()
        self.assertEqual((letter.delivery_state, letter.delivered_on), ("delivered", date(2026, 1, 25)),
                         letter.delivery_error)
        self.assertFalse(letter.run_id.message_ids.filtered(lambda m: "could not be delivered" in (m.body or "")))
        self.assertEqual(self._letter(self._run(date(2026, 1, 26)), self.consumer).kind, "reminder")

    def test_44_refused_by_mail_server_shows_failed_and_is_retried(self):
        """The mail server refuses the connection: the letter shows "Delivery failed" (not sent), the hourly
        job hands the e-mail back to the queue, and when the server accepts it the letter counts from then."""
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        run = self._run(date(2026, 1, 13), confirm=True, deliver=False)
        letter = run.letter_ids
        mail = self._letter_mail(letter)
        Letter = self.env["l10n_no.dunning.letter"]
        refused = ConnectionRefusedError(111, "Connection refused")
        with self._mail_server(date(2026, 1, 13), refuse=refused):
            mail.send()
        self.assertEqual((mail.state, letter.delivery_state, letter.delivery_attempts), ("exception", "failed", 1))
        self.assertIn("Connection failed", letter.delivery_error)
        self.assertEqual(run.failed_count, 1)
        self.assertFalse(invoice._l10n_no_dunning_history(date(2026, 1, 14)).get(invoice.id))
        # retried by the hourly job; refused again (2nd attempt), retried again (3rd), then the server accepts
        self.assertEqual(Letter._cron_l10n_no_dunning_retry_email(), 1)
        self.assertEqual((mail.state, letter.delivery_state, letter.delivery_attempts), ("outgoing", "pending", 2))
        with self._mail_server(date(2026, 1, 14), refuse=refused):
            mail.send()
        self.assertEqual(letter.delivery_state, "failed")
        self.assertEqual(Letter._cron_l10n_no_dunning_retry_email(), 1)
        with self._mail_server(date(2026, 1, 15)):
            mail.send()
        self.assertEqual((letter.delivery_state, letter.delivered_on, letter.delivery_attempts),
                         ("delivered", date(2026, 1, 15), 3))
        self.assertFalse(letter.delivery_error)
        self.assertEqual([p.sent_on for p in invoice._l10n_no_dunning_history()[invoice.id]], [date(2026, 1, 15)])
        self.assertEqual(Letter._cron_l10n_no_dunning_retry_email(), 0)

    def test_45_no_endless_retry_and_no_retry_of_a_wrong_address(self):
        self._invoice(self.consumer, 1000.0, DUE)
        self._invoice(self.business, 1000.0, DUE)
        run = self._run(date(2026, 1, 13), confirm=True, deliver=False)
        consumer, business = self._letter(run, self.consumer), self._letter(run, self.business)
        Letter = self.env["l10n_no.dunning.letter"]
        for _attempt in range(3):
            with self._mail_server(date(2026, 1, 13), refuse=OSError("no route to host")):
                self._letter_mail(consumer).send()
            Letter._cron_l10n_no_dunning_retry_email()
        self.assertEqual((consumer.delivery_state, consumer.delivery_attempts), ("failed", 3))
        self.assertEqual(self._letter_mail(consumer).state, "exception", "a person must act after three attempts")
        # a bounce or a wrong address is not the server's fault: shown as failed, never retried by itself
        business.mail_message_id.notification_ids.filtered(lambda n: n.res_partner_id == self.business).sudo().write(
            {"notification_status": "bounce", "failure_type": "mail_bounce", "failure_reason": "550 unknown user"}
        )
        self.assertEqual(business.delivery_state, "failed")
        self.assertEqual(Letter._cron_l10n_no_dunning_retry_email(), 0)
        self.assertEqual(business.delivery_state, "failed")

    # --- G (9.3): KID and account from the same agreement ---------------------------------------------

    def test_50_letter_prints_the_account_of_the_fee_invoice_kid(self):
        """The company's first account has no KID agreement; the fee invoice's KID belongs to the
        agreement of the claim's account, so that account is printed, not the first one."""
        first = self.env["res.partner.bank"].create(
            {"acc_number": "15030113709", "partner_id": self.company.partner_id.id, "sequence": -1}
        )
        self.assertEqual(self.company.partner_id.bank_ids[:1], first)
        self._invoice(self.consumer, 1000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        run = self._run(date(2026, 1, 24), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual(letter.fee_move_id.partner_bank_id, self.bank_account)
        self.assertTrue(letter.fee_move_id.payment_reference)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "l10n_no_dunning.action_report_dunning_letter", letter.ids
        )[0].decode()
        self.assertIn(letter.fee_move_id.payment_reference, html)
        self.assertIn(self.bank_account.acc_number, html)
        self.assertNotIn(first.acc_number, html)

    # --- F (9.9): fees and interest outside VAT, on their own accounts --------------------------------

    def test_60_fee_invoice_lines_on_own_accounts_in_customer_language(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        self.env["ir.module.module"]._load_module_terms(["l10n_no_dunning"], ["nb_NO"], overwrite=True)
        self.consumer.lang = "nb_NO"
        self._invoice(self.consumer, 1000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        run = self._run(date(2026, 1, 24), confirm=True)
        fee_move = self._letter(run, self.consumer).fee_move_id
        lines = fee_move.invoice_line_ids
        fee_line = lines.filtered(lambda l: l.product_id == self.company.l10n_no_dunning_fee_product_id)
        interest_line = lines.filtered(lambda l: l.product_id == self.company.l10n_no_dunning_interest_product_id)
        self.assertEqual((fee_line.account_id.code, interest_line.account_id.code), ("3900", "8055"))
        self.assertFalse(lines.tax_ids)
        self.assertTrue(fee_line.name.startswith("Gebyr"), fee_line.name)
        self.assertTrue(interest_line.name.startswith("Forsinkelsesrente"), interest_line.name)
        own = self.env["account.account"].create({"code": "3910", "name": "Purregebyr", "account_type": "income"})
        self.company.l10n_no_dunning_fee_account_id = own
        self.assertEqual(self.company._l10n_no_dunning_income_accounts()[0], own)

    # --- H: one failing delivery does not block the batch ---------------------------------------------

    def test_70_one_failing_letter_does_not_block_the_batch(self):
        from unittest.mock import patch  # noqa: PLC0415

        self._invoice(self.consumer, 1000.0, DUE)
        self._invoice(self.business, 2000.0, DUE)
        run = self._run(date(2026, 1, 13))
        Letter = type(self.env["l10n_no.dunning.letter"])
        original = Letter._l10n_no_dunning_deliver

        def deliver(letter):
            if letter.partner_id == self.consumer:
                raise ValueError("template broken")
            return original(letter)

        with patch.object(Letter, "_l10n_no_dunning_deliver", deliver):
            run.action_confirm()
        broken, fine = self._letter(run, self.consumer), self._letter(run, self.business)
        self.assertEqual((broken.state, broken.delivery_state), ("sent", "failed"))
        self.assertIn("template broken", broken.delivery_error)
        self.assertEqual(fine.state, "sent")
        self.assertNotEqual(fine.delivery_state, "failed")
        self.assertEqual((run.state, run.failed_count), ("done", 1))
