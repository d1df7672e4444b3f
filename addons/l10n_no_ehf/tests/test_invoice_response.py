from unittest.mock import patch

from lxml import etree

from nofaktura.peppol import ids

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import L10nNoEhfCommon
from .ehf_samples import ehf_invoice

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


@tagged("post_install", "-at_install", "post_install_l10n")
class TestInvoiceResponse(L10nNoEhfCommon):
    def _received_bill(self, number="F-2001"):
        self.ap.push_incoming(ehf_invoice(number))
        self.env["l10n_no_ehf.incoming"]._cron_l10n_no_ehf_receive()
        return self.env["l10n_no_ehf.incoming"].search([("name", "=", number)]).move_id

    def test_reject_with_reason_is_sent_as_invoice_response(self):
        bill = self._received_bill()
        action = bill.action_l10n_no_ehf_reject()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({
            "reason_code": "REF", "action_code": "NIN", "reason": "Ordrenummer mangler",
        })
        wizard.action_send()
        self.assertEqual(bill.l10n_no_ehf_response_state, "rejected")
        outgoing = bill.l10n_no_ehf_outgoing_ids
        self.assertEqual((outgoing.kind, outgoing.state), ("response", "queued"))
        self._run_send_cron()
        self.assertEqual(outgoing.state, "sent")
        document = self.ap.sent[0].document
        self.assertEqual(document.document_type, ids.INVOICE_RESPONSE)
        self.assertEqual(document.process, ids.INVOICE_RESPONSE_PROCESS)
        self.assertEqual(str(document.receiver), "0192:995525828")
        tree = etree.fromstring(document.content)
        self.assertEqual(tree.findtext("cac:DocumentResponse/cac:Response/cbc:ResponseCode", namespaces=NS), "RE")
        self.assertEqual(tree.findtext(".//cac:Status/cbc:StatusReason", namespaces=NS), "Ordrenummer mangler")
        self.assertEqual(tree.findtext("cac:DocumentResponse/cac:DocumentReference/cbc:ID", namespaces=NS), "F-2001")
        self.assertFalse(bill.l10n_no_ehf_state, "the response does not count as sending an invoice")
        with self.assertRaises(UserError):
            bill._l10n_no_ehf_send_response("RE", "REF", "again")

    def test_accepted_bills_are_confirmed_when_the_company_wants_it(self):
        self.company.l10n_no_ehf_confirm_accepted = True
        bill = self._received_bill("F-2002")
        bill.invoice_date = bill.invoice_date or "2026-03-01"
        bill.action_l10n_no_ehf_confirm_received()  # the new vendor's payee account (issue 10.6)
        bill.action_post()
        self.assertEqual(bill.l10n_no_ehf_response_state, "accepted")
        self._run_send_cron()
        tree = etree.fromstring(self.ap.sent[0].document.content)
        self.assertEqual(tree.findtext("cac:DocumentResponse/cac:Response/cbc:ResponseCode", namespaces=NS), "AP")

    def test_no_response_by_default_and_not_for_bills_not_received_as_ehf(self):
        bill = self._received_bill("F-2003")
        bill.action_l10n_no_ehf_confirm_received()
        bill.action_post()
        self.assertEqual(bill.l10n_no_ehf_response_state, "none")
        manual = self.env["account.move"].create({"move_type": "in_invoice", "partner_id": self.partner_no.id})
        with self.assertRaises(UserError):
            manual._l10n_no_ehf_send_response("RE", "REF", "no")

    def test_rejection_needs_a_reason(self):
        bill = self._received_bill("F-2004")
        with self.assertRaises(UserError):
            bill._l10n_no_ehf_send_response("RE")

    def test_a_response_breaking_the_t111_rules_is_never_queued(self):
        """The writer is trusted no further than the rules: a response the seller's access point would
        reject (here: the response code emptied) is refused before anything is queued or answered."""
        from ..models import account_move as module

        bill = self._received_bill("F-2005")
        real_build = module.build_invoice_response

        def broken_build(response):
            return real_build(response).replace(b'listID="UNCL4343OpSubset">RE<',
                                                b'listID="UNCL4343OpSubset">XX<')

        with patch.object(module, "build_invoice_response", broken_build), \
                self.assertRaisesRegex(UserError, "Invoice Response rules"):
            bill._l10n_no_ehf_send_response("RE", "REF", "Ordrenummer mangler")
        self.assertFalse(bill.l10n_no_ehf_outgoing_ids)
        self.assertEqual(bill.l10n_no_ehf_response_state, "none")
