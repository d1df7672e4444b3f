import json

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import L10nNoEhfCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestCheckBeforeSend(L10nNoEhfCommon):
    def _break_company_vat(self):
        """Legacy data: a VAT number with a wrong check digit (Odoo's own form check is bypassed)."""
        self.env.cr.execute("UPDATE res_partner SET vat = 'NO988077910MVA' WHERE id = %s", [self.company.partner_id.id])
        self.env.invalidate_all()

    def test_valid_invoice_passes_the_check(self):
        move = self._invoice()
        result = move.l10n_no_ehf_check()
        self.assertEqual(len(result), 1)
        self.assertTrue(result[0]["valid"])
        self.assertEqual(move.l10n_no_ehf_check_state, "ok")
        self.assertTrue(move.l10n_no_ehf_check_date)
        action = move.action_l10n_no_ehf_check()
        self.assertEqual(action["params"]["type"], "success")

    def test_invalid_invoice_lists_what_to_fix_and_is_not_sent(self):
        self._break_company_vat()
        move = self._invoice()
        result = move.l10n_no_ehf_check()[0]
        self.assertFalse(result["valid"])
        by_rule = {f["rule"]: f for f in result["findings"]}
        self.assertIn("NO-R-001", by_rule)
        finding = by_rule["NO-R-001"]
        self.assertEqual(finding["flag"], "fatal")
        # the person is sent to the company's VAT field, not to an XPath
        self.assertEqual((finding["model"], finding["res_id"], finding["field"]),
                         ("res.partner", self.company.partner_id.id, "vat"))
        self.assertIn(self.company.partner_id.display_name, finding["fix"])
        self.assertEqual(move.l10n_no_ehf_check_state, "fatal")
        self.assertIn("NO-R-001", move.l10n_no_ehf_findings_html)
        # Sending stops with the list, and nothing is queued or sent
        with self.assertRaises(UserError) as caught:
            self._send_ehf(move)
        self.assertIn("NO-R-001", str(caught.exception))
        self.assertIn("VAT", str(caught.exception))
        self.assertFalse(move.l10n_no_ehf_outgoing_ids)
        self.assertEqual(self.ap.sent, [])

    def test_warnings_are_shown_and_do_not_stop_sending(self):
        # A sole proprietorship not registered in Foretaksregisteret must not claim it: NO-R-002 warns.
        self.company.l10n_no_ehf_foretaksregisteret = False
        move = self._invoice()
        result = move.l10n_no_ehf_check()[0]
        self.assertTrue(result["valid"])
        self.assertEqual([f["rule"] for f in result["findings"]], ["NO-R-002"])
        self.assertEqual(result["findings"][0]["flag"], "warning")
        self.assertEqual(move.l10n_no_ehf_check_state, "warning")
        self.assertEqual(move.action_l10n_no_ehf_check()["params"]["type"], "warning")
        self._send_ehf(move)
        self.assertEqual(move.l10n_no_ehf_state, "queued")
        self.assertTrue(any("NO-R-002" in (m.body or "") for m in move.message_ids))

    def test_check_result_is_plain_data_for_xml_rpc(self):
        """XML-RPC clients call l10n_no_ehf_check() and get plain lists and dicts."""
        self._break_company_vat()
        results = self._invoice().l10n_no_ehf_check()
        self.assertEqual(json.loads(json.dumps(results)), results)
        self.assertEqual(set(results[0]), {"move_id", "name", "valid", "findings"})
        self.assertLessEqual({"rule", "flag", "location", "message", "message_nb"}, set(results[0]["findings"][-1]))

    def test_check_refuses_vendor_bills(self):
        bill = self.env["account.move"].create({"move_type": "in_invoice", "partner_id": self.partner_no.id})
        with self.assertRaises(UserError):
            bill.l10n_no_ehf_check()

    def test_alert_in_send_and_print_after_a_failed_check(self):
        self._break_company_vat()
        move = self._invoice()
        move.l10n_no_ehf_check()
        moves_data = {move: {"sending_methods": {"l10n_no_ehf"}, "invoice_edi_format": "ubl_bis3", "extra_edis": {}}}
        alerts = self.env["account.move.send"]._get_alerts(move, moves_data)
        self.assertIn("l10n_no_ehf_check_failed", alerts)
