from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import L10nNoDispatchCommon


@tagged("post_install", "-at_install")
class TestChannelChoice(L10nNoDispatchCommon):
    """Each branch of the default chain, the customer's preferred channel and fallback, and the reasons."""

    def test_ehf_when_reachable_in_peppol(self):
        move = self._customer_invoice(self.partner_no)
        choice = move._l10n_no_dispatch_choice()
        self.assertEqual(choice.channel.value, "ehf")
        self.assertTrue(move._l10n_no_dispatch_reach().ehf)
        self.assertIn("EHF", move._l10n_no_dispatch_describe(choice))

    def test_digipost_user_identified_by_name_and_address(self):
        move = self._customer_invoice(self.consumer)
        choice = move._l10n_no_dispatch_choice()
        self.assertEqual(choice.channel.value, "digipost")
        # not EHF: no Peppol id, said in words
        self.assertIn("not EHF", move._l10n_no_dispatch_describe(choice))
        # the answer is cached on the partner with its date; no second identification
        self.assertEqual(self.consumer.l10n_no_dispatch_digipost, "yes")
        self.assertTrue(self.consumer.l10n_no_dispatch_digipost_checked_at)
        calls = len(self.digipost.requests)
        move._l10n_no_dispatch_choice()
        self.assertEqual(len(self.digipost.requests), calls)

    def test_email_when_no_digipost_mailbox(self):
        move = self._customer_invoice(self.mail_customer)
        choice = move._l10n_no_dispatch_choice()
        self.assertEqual(choice.channel.value, "email")
        self.assertEqual(self.mail_customer.l10n_no_dispatch_digipost, "no")
        text = move._l10n_no_dispatch_describe(choice)
        self.assertIn("no Digipost mailbox", text)

    def test_print_when_only_a_postal_address(self):
        move = self._customer_invoice(self.paper_customer)
        choice = move._l10n_no_dispatch_choice()
        self.assertEqual(choice.channel.value, "print")
        self.assertIn("no e-mail address", move._l10n_no_dispatch_describe(choice))

    def test_nothing_reaches_the_customer(self):
        move = self._customer_invoice(self.nobody)
        choice = move._l10n_no_dispatch_choice()
        self.assertIsNone(choice.channel)
        text = move._l10n_no_dispatch_describe(choice)
        self.assertIn("No channel can reach the customer", text)
        self.assertIn("no complete postal address", text)

    def test_failed_digipost_lookup_is_unknown_never_no(self):
        self.digipost.fail_next(503, "API_UNAVAILABLE")
        move = self._customer_invoice(self.consumer)
        reach = move._l10n_no_dispatch_reach()
        self.assertIsNone(reach.digipost)
        self.assertFalse(self.consumer.l10n_no_dispatch_digipost)
        self.assertTrue(self.consumer.l10n_no_dispatch_digipost_error)
        choice = move._l10n_no_dispatch_choice(refresh=False)
        self.assertEqual(choice.channel.value, "email")
        self.assertIn("not known", move._l10n_no_dispatch_describe(choice))

    def test_channel_not_set_up_for_the_company_is_skipped_with_that_reason(self):
        self.company.sudo().l10n_no_dispatch_print_transport = False
        move = self._customer_invoice(self.paper_customer)
        choice = move._l10n_no_dispatch_choice()
        self.assertIsNone(choice.channel)
        self.assertIn("no print house is set up", move._l10n_no_dispatch_describe(choice))

    def test_preferred_channel_and_fallback(self):
        self.partner_no.write({"l10n_no_dispatch_channel": "print", "l10n_no_dispatch_fallback": "email"})
        move = self._customer_invoice(self.partner_no)
        choice = move._l10n_no_dispatch_choice()
        self.assertEqual(choice.channel.value, "print")
        self.assertEqual([c.value for c in choice.remaining], ["email"])
        self.assertTrue(move._l10n_no_dispatch_describe(choice).startswith("Preferred channel: Print"))
        # the preferred one cannot reach: the customer's own fallback, not the default chain
        self.partner_no.write({"street": False})
        choice = move._l10n_no_dispatch_choice()
        self.assertEqual(choice.channel.value, "email")
        self.assertTrue(move._l10n_no_dispatch_describe(choice).startswith("Fallback: E-mail"))

    def test_no_fallback_means_the_preferred_channel_or_nothing(self):
        self.paper_customer.write({"l10n_no_dispatch_channel": "email", "l10n_no_dispatch_fallback": "none"})
        move = self._customer_invoice(self.paper_customer)
        self.assertIsNone(move._l10n_no_dispatch_choice().channel)

    def test_fallback_text_is_checked(self):
        with self.assertRaises(ValidationError):
            self.partner_no.l10n_no_dispatch_fallback = "digipost, fax"
        self.partner_no.l10n_no_dispatch_fallback = "Digipost; e-mail"
        self.assertEqual([c.value for c in self.partner_no._l10n_no_dispatch_fallback_chain()], ["digipost", "email"])

    def test_channel_info_uses_cached_answers_only(self):
        move = self._customer_invoice(self.consumer)
        calls = len(self.digipost.requests)
        info = move.l10n_no_dispatch_channel_info
        self.assertEqual(len(self.digipost.requests), calls, "a form must not call Digipost")
        self.assertIn("not known", info)

    def test_send_and_print_shows_the_channel_and_queues(self):
        self.consumer.l10n_no_dispatch_channel = "digipost"
        move = self._customer_invoice(self.consumer)
        wizard = self.env["account.move.send.wizard"].with_context(active_model="account.move", active_ids=move.ids).create({})
        self.assertIn("l10n_no_dispatch", wizard.sending_methods)
        self.assertIn("Digipost", wizard.l10n_no_dispatch_channel_info)
        self.assertIn("l10n_no_dispatch_channels", wizard.alerts)
        wizard.action_send_and_print()
        self.assertEqual(move.l10n_no_dispatch_state, "queued")
        self.assertEqual(move.l10n_no_dispatch_job_ids.channel, "digipost")
