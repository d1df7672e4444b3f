from datetime import timedelta

from nofaktura.exceptions import LookupFailed

from odoo import fields
from odoo.tests import tagged

from .common import L10nNoEhfCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestReachability(L10nNoEhfCommon):
    def test_lookup_is_cached_until_it_expires(self):
        partner = self.partner_no
        self.assertEqual(partner.l10n_no_ehf_participant, "0192:974760673")
        self.assertTrue(partner._l10n_no_ehf_can_receive())
        self.assertEqual(self.lookup_mock.call_count, 1)
        self.assertTrue(partner.l10n_no_ehf_peppol_reachable)
        self.assertTrue(partner.l10n_no_ehf_peppol_checked_at)
        self.assertGreater(partner.l10n_no_ehf_peppol_expires_at, fields.Datetime.now())
        partner._l10n_no_ehf_can_receive()
        self.assertEqual(self.lookup_mock.call_count, 1, "cached: no second lookup")
        partner.l10n_no_ehf_peppol_expires_at = fields.Datetime.now() - timedelta(minutes=1)
        partner._l10n_no_ehf_can_receive()
        self.assertEqual(self.lookup_mock.call_count, 2, "expired: looked up again")

    def test_refresh_button_forces_a_lookup_and_changes_the_answer(self):
        partner = self.partner_no
        partner._l10n_no_ehf_can_receive()
        self.reachable_participants.clear()
        action = partner.action_l10n_no_ehf_check_peppol()
        self.assertEqual(self.lookup_mock.call_count, 2)
        self.assertFalse(partner.l10n_no_ehf_peppol_reachable)
        self.assertEqual(action["params"]["type"], "info")

    def test_reachability_decides_whether_ehf_is_offered(self):
        move = self._invoice()
        send = self.env["account.move.send"]
        self.assertTrue(send._is_applicable_to_move("l10n_no_ehf", move))
        other = self.partner_no.copy({"name": "Ikke i Peppol AS", "vat": "NO995525828MVA",
                                      "l10n_no_bronnoysund_number": "995525828",
                                      "peppol_eas": "0192", "peppol_endpoint": "995525828"})
        self.assertEqual(other.l10n_no_ehf_participant, "0192:995525828")
        move2 = self._invoice(partner=other)
        self.assertFalse(send._is_applicable_to_move("l10n_no_ehf", move2))
        self.assertIn("cannot receive EHF", move2._l10n_no_ehf_cannot_send_reason())
        # and Send & Print says so
        alerts = send._get_alerts(move2, {move2: {"sending_methods": {"l10n_no_ehf"}, "invoice_edi_format": "ubl_bis3",
                                                   "extra_edis": {}}})
        self.assertIn("l10n_no_ehf_not_applicable", alerts)

    def test_failed_lookup_is_recorded_not_cached_as_negative(self):
        self.lookup_mock.side_effect = LookupFailed("DNS timeout")
        partner = self.partner_no
        self.assertFalse(partner._l10n_no_ehf_can_receive())
        self.assertEqual(partner.l10n_no_ehf_peppol_error, "DNS timeout")
        self.assertFalse(partner.l10n_no_ehf_peppol_expires_at, "an unknown answer is asked again next time")

    def test_partner_without_identifier(self):
        partner = self.env["res.partner"].create({"name": "Privatperson", "country_id": self.env.ref("base.no").id})
        self.assertFalse(partner.l10n_no_ehf_participant)
        self.assertFalse(partner._l10n_no_ehf_can_receive())
        self.assertEqual(self.lookup_mock.call_count, 0)
