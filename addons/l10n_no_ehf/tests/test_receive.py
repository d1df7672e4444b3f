import base64
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import VENDOR_ORGNR, L10nNoEhfCommon
from .ehf_samples import HOSTILE, PDF, ehf_invoice


@tagged("post_install", "-at_install", "post_install_l10n")
class TestReceive(L10nNoEhfCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A known vendor, recorded only with its org number (no VAT, no Peppol address)
        cls.vendor = cls.env["res.partner"].create({
            "name": "Leverandør AS (kjent)", "is_company": True, "l10n_no_bronnoysund_number": VENDOR_ORGNR,
            "country_id": cls.env.ref("base.no").id,
        })

    def _receive(self):
        return self.env["l10n_no_ehf.incoming"]._cron_l10n_no_ehf_receive()

    def _bills(self):
        return self.env["account.move"].search([("move_type", "in", ("in_invoice", "in_refund")), ("company_id", "=", self.company.id)])

    def test_valid_ehf_from_the_access_point_becomes_a_draft_bill(self):
        in_id = self.ap.push_incoming(ehf_invoice())
        self._receive()
        self.assertEqual(self.ap.acknowledged, [in_id])
        incoming = self.env["l10n_no_ehf.incoming"].search([("transport_id", "=", in_id)])
        self.assertEqual((incoming.state, incoming.valid, incoming.source), ("imported", True, "access_point"))
        bill = incoming.move_id
        self.assertEqual((bill.move_type, bill.state), ("in_invoice", "draft"))
        self.assertEqual(bill.journal_id, self.company_data["default_journal_purchase"])
        self.assertEqual(bill.partner_id, self.vendor, "found by organisation number 0192")
        self.assertEqual(bill.ref, "F-1001")
        self.assertAlmostEqual(bill.amount_total, 1250.0)
        # KID checked and kept as payment reference
        self.assertEqual(bill.payment_reference, "1234567897")
        self.assertTrue(incoming.kid_valid)
        # the payee account is new for this vendor: kept to be confirmed, not added (issue 10.6)
        self.assertEqual(bill.l10n_no_ehf_payee_to_confirm, "86011117947")
        self.assertFalse(self.vendor.bank_ids)
        bill.action_l10n_no_ehf_confirm_received()
        self.assertEqual(bill.partner_bank_id.acc_number, "86011117947")
        self.assertEqual(bill.partner_bank_id.partner_id, self.vendor)
        # all attachments kept, the original XML archived
        attachments = self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", bill.id)])
        self.assertIn(PDF, attachments.mapped("raw"))
        self.assertIn(b"dato;timer\n2026-02-27;8\n", attachments.mapped("raw"))
        self.assertEqual(incoming.attachment_id.raw, ehf_invoice())
        self.assertEqual(bill.l10n_no_ehf_incoming_id, incoming)
        self.assertEqual(bill.l10n_no_ehf_check_state, "ok")

    def test_invalid_ehf_is_imported_with_its_findings(self):
        xml = ehf_invoice().replace(b'<cbc:PayableAmount currencyID="NOK">1250.00', b'<cbc:PayableAmount currencyID="NOK">1300.00')
        self.assertNotEqual(xml, ehf_invoice())
        self.ap.push_incoming(xml)
        self._receive()
        incoming = self.env["l10n_no_ehf.incoming"].search([])
        self.assertEqual(incoming.state, "imported")
        self.assertFalse(incoming.valid)
        self.assertIn("BR-CO-16", [f["rule"] for f in incoming.findings])
        bill = incoming.move_id
        self.assertTrue(bill)
        self.assertEqual(bill.l10n_no_ehf_check_state, "fatal")
        self.assertIn("error", " ".join(bill.message_ids.mapped("body")))

    def test_the_same_document_twice_creates_one_bill(self):
        xml = ehf_invoice()
        self.ap.push_incoming(xml)
        self.ap.push_incoming(xml)  # same bytes
        self.ap.push_incoming(xml.replace(b"<cbc:ID>F-1001</cbc:ID>", b"<cbc:ID>F-1001</cbc:ID>\n"))  # same number
        self._receive()
        self.assertEqual(len(self._bills()), 1)
        self.assertEqual(len(self.env["l10n_no_ehf.incoming"].search([])), 1)
        self.assertEqual(len(self.ap.acknowledged), 3, "duplicates are acknowledged, not offered again")
        # the next invoice of the same vendor is new
        self.ap.push_incoming(ehf_invoice("F-1002"))
        self._receive()
        self.assertEqual(len(self._bills()), 2)

    def test_unknown_vendor_is_created_from_the_document(self):
        self.ap.push_incoming(ehf_invoice(seller_orgnr="991825827", seller_name="Ny Leverandør AS"))
        self._receive()
        bill = self.env["l10n_no_ehf.incoming"].search([]).move_id
        vendor = bill.partner_id
        self.assertEqual(vendor.name, "Ny Leverandør AS")
        self.assertEqual(vendor.l10n_no_bronnoysund_number, "991825827")
        self.assertEqual((vendor.peppol_eas, vendor.peppol_endpoint), ("0192", "991825827"))
        self.assertEqual(vendor.city, "Trondheim")

    def test_invalid_kid_is_flagged(self):
        self.ap.push_incoming(ehf_invoice(kid="1234567890"))
        self._receive()
        incoming = self.env["l10n_no_ehf.incoming"].search([])
        self.assertFalse(incoming.kid_valid)
        self.assertIn("not valid", incoming.move_id.message_ids[0].body)

    def test_credit_note_becomes_a_vendor_refund(self):
        self.ap.push_incoming(ehf_invoice("K-1", kind="CreditNote", attachments=False))
        self._receive()
        self.assertEqual(self.env["l10n_no_ehf.incoming"].search([]).move_id.move_type, "in_refund")

    def test_hostile_xml_is_refused_without_a_bill(self):
        in_id = self.ap.push_incoming(HOSTILE)
        before = len(self._bills())
        self._receive()
        incoming = self.env["l10n_no_ehf.incoming"].search([])
        self.assertEqual(incoming.state, "refused")
        self.assertIn("DOCTYPE", incoming.error_message.upper().replace("DTD", "DOCTYPE"))
        self.assertFalse(incoming.move_id)
        self.assertEqual(len(self._bills()), before)
        self.assertEqual(self.ap.acknowledged, [in_id])
        self.assertNotIn(b"root:", incoming.attachment_id.raw or b"")

    def test_not_an_invoice_is_refused(self):
        self.ap.push_incoming(b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'/>")
        self._receive()
        self.assertEqual(self.env["l10n_no_ehf.incoming"].search([]).state, "refused")

    def test_upload_wizard(self):
        attachment = self.env["ir.attachment"].create({"name": "faktura.xml", "raw": ehf_invoice("F-7")})
        wizard = self.env["l10n_no_ehf.upload.wizard"].create({"attachment_ids": [(6, 0, attachment.ids)]})
        action = wizard.action_import()
        incoming = self.env["l10n_no_ehf.incoming"].search(action["domain"])
        self.assertEqual((incoming.source, incoming.name), ("upload", "F-7"))
        self.assertTrue(incoming.move_id)

    def test_mail_alias_uses_odoo_import_and_a_second_mail_adds_no_bill(self):
        xml = ehf_invoice("F-MAIL")
        custom_values = {"move_type": "in_invoice", "company_id": self.company.id,
                         "journal_id": self.company_data["default_journal_purchase"].id}

        def deliver():
            msg = {"from": "faktura@leverandor.example", "subject": "Faktura F-MAIL", "body": "<p>Vedlagt</p>",
                   "attachments": [("F-MAIL.xml", xml, {})], "message_type": "email"}
            move = self.env["account.move"].message_new(msg, custom_values)
            move.message_post(body="Vedlagt", message_type="email", author_id=self.vendor.id,
                              attachments=[("F-MAIL.xml", xml)])
            return move

        bill = deliver()
        self.assertTrue(bill.invoice_line_ids, "Odoo's own UBL import filled the bill")
        self.assertTrue(bill.l10n_no_ehf_incoming_id)
        self.assertEqual(bill.l10n_no_ehf_incoming_id.source, "mail")
        self.assertEqual(bill.partner_id, self.vendor)
        again = deliver()
        self.assertEqual(again, bill)
        self.assertEqual(len(self._bills().filtered(lambda m: m.ref == "F-MAIL")), 1)

    def test_base64_upload_of_the_same_file_is_a_duplicate(self):
        xml = ehf_invoice("F-9")
        Incoming = self.env["l10n_no_ehf.incoming"]
        first = Incoming._l10n_no_ehf_import(xml, company=self.company)
        second = Incoming._l10n_no_ehf_import(base64.b64decode(base64.b64encode(xml)), company=self.company)
        self.assertEqual(first, second)
        self.assertTrue(second.env.context.get("l10n_no_ehf_duplicate"))

    def _as_on_a_server(self):
        """Make Odoo's import take the path it takes outside tests (``_can_commit`` true) and record
        every commit instead of doing it: a commit there destroys our savepoint on a real server."""
        commit = patch.object(self.env.cr, "commit")
        can_commit = patch(
            "odoo.addons.account.models.account_document_import_mixin._can_commit", return_value=True
        )
        self.addCleanup(commit.stop)
        self.addCleanup(can_commit.stop)
        can_commit.start()
        return commit.start()

    def test_receiving_never_commits_half_an_import(self):
        commit = self._as_on_a_server()
        self.ap.push_incoming(ehf_invoice("F-SRV"))
        self._receive()
        self.assertEqual(commit.call_count, 0, "the import of one document is one transaction")
        incoming = self.env["l10n_no_ehf.incoming"].search([])
        self.assertEqual(incoming.state, "imported")
        self.assertAlmostEqual(incoming.move_id.amount_total, 1250.0)
        self.assertEqual(incoming.move_id.partner_id, self.vendor)
        self.assertEqual(incoming.attachment_id.raw, ehf_invoice("F-SRV"))

    def test_upload_never_commits_half_an_import(self):
        commit = self._as_on_a_server()
        attachment = self.env["ir.attachment"].create({"name": "faktura.xml", "raw": ehf_invoice("F-UP")})
        wizard = self.env["l10n_no_ehf.upload.wizard"].create({"attachment_ids": [(6, 0, attachment.ids)]})
        incoming = self.env["l10n_no_ehf.incoming"].search(wizard.action_import()["domain"])
        self.assertEqual(commit.call_count, 0)
        self.assertEqual(incoming.state, "imported")
        self.assertTrue(incoming.move_id.invoice_line_ids)

    def test_failed_import_leaves_nothing_and_can_be_retried(self):
        self._as_on_a_server()
        bills_before = self._bills()
        partners_before = self.env["res.partner"].search_count([])
        xml = ehf_invoice("F-ERR", seller_orgnr="991825827", seller_name="Ny Leverandør AS")
        Common = type(self.env["account.edi.xml.ubl_bis3"])
        with patch.object(Common, "_import_fill_invoice", side_effect=UserError("boom")):
            self.ap.push_incoming(xml)
            self._receive()
        incoming = self.env["l10n_no_ehf.incoming"].search([])
        self.assertEqual(incoming.state, "error")
        self.assertFalse(incoming.move_id)
        self.assertEqual(self._bills(), bills_before, "no half-imported draft bill")
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before, "no vendor without a bill")
        self.assertTrue(incoming.action_l10n_no_ehf_retry_import())
        self.assertEqual(incoming.state, "imported")
        self.assertEqual(incoming.move_id.partner_id.l10n_no_bronnoysund_number, "991825827")


@tagged("post_install", "-at_install", "post_install_l10n")
class TestReceivedPayeeAccount(L10nNoEhfCommon):
    """Issue 10.6: a received bill never adds or replaces a vendor's payee account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({
            "name": "Leverandør AS (kjent)", "is_company": True, "l10n_no_bronnoysund_number": VENDOR_ORGNR,
            "peppol_eas": "0192", "peppol_endpoint": VENDOR_ORGNR, "country_id": cls.env.ref("base.no").id,
        })
        cls.trusted = cls.env["res.partner.bank"].create({
            "acc_number": "15031234561", "partner_id": cls.vendor.id, "allow_out_payment": True,
        })
        cls.billing = new_test_user(cls.env, login="ehf_bill_user", groups="account.group_account_invoice",
                                    company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

    def _mail(self, xml, number):
        custom_values = {"move_type": "in_invoice", "company_id": self.company.id,
                         "journal_id": self.company_data["default_journal_purchase"].id}
        msg = {"from": "faktura@angriper.example", "subject": number, "body": "<p>Vedlagt</p>",
               "attachments": [(f"{number}.xml", xml, {})], "message_type": "email"}
        # as the mail gateway does it: the record, then the message with its attachment
        move = self.env["account.move"].sudo().message_new(msg, custom_values)
        move.message_post(body="Vedlagt", message_type="email", attachments=[(f"{number}.xml", xml)])
        return move.with_env(self.env)

    def test_mail_with_a_new_account_for_a_known_vendor_changes_nothing_until_confirmed(self):
        bill = self._mail(ehf_invoice("F-FAKE", account="86011117947"), "F-FAKE")
        self.assertEqual(bill.partner_id, self.vendor)
        self.assertEqual(self.vendor.bank_ids, self.trusted, "no account added to the vendor")
        self.assertTrue(self.trusted.allow_out_payment)
        self.assertNotEqual(bill.partner_bank_id.sanitized_acc_number, "86011117947")
        self.assertEqual(bill.l10n_no_ehf_payee_to_confirm, "86011117947")
        self.assertIn("does not have on file", " ".join(bill.message_ids.mapped("body")))
        bill.invoice_date = "2026-03-01"
        with self.assertRaises(UserError):
            bill.action_post()
        with self.assertRaises(UserError):
            bill.action_register_payment()
        with self.assertRaises(AccessError):
            bill.with_user(self.billing).action_l10n_no_ehf_confirm_received()
        with self.assertRaises(AccessError):
            bill.with_user(self.billing).write({"l10n_no_ehf_payee_to_confirm": False})
        self.assertTrue(bill.action_l10n_no_ehf_confirm_received())
        self.assertFalse(bill.l10n_no_ehf_payee_to_confirm)
        self.assertEqual(bill.partner_bank_id.sanitized_acc_number, "86011117947")
        self.assertIn("Confirmed by", bill.message_ids[0].body)
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_access_point_bill_with_the_known_account_needs_no_confirmation(self):
        self.ap.push_incoming(ehf_invoice("F-OK", account="1503.12.34561"))
        self.env["l10n_no_ehf.incoming"]._cron_l10n_no_ehf_receive()
        bill = self.env["l10n_no_ehf.incoming"].search([("name", "=", "F-OK")]).move_id
        self.assertEqual(bill.partner_bank_id, self.trusted)
        self.assertFalse(bill.l10n_no_ehf_payee_to_confirm or bill.l10n_no_ehf_sender_to_confirm)

    def test_other_sender_address_must_be_confirmed(self):
        self.vendor.write({"peppol_eas": "0192", "peppol_endpoint": "999999999"})
        self.ap.push_incoming(ehf_invoice("F-SND", account="15031234561"))
        self.env["l10n_no_ehf.incoming"]._cron_l10n_no_ehf_receive()
        bill = self.env["l10n_no_ehf.incoming"].search([("name", "=", "F-SND")]).move_id
        self.assertEqual(bill.l10n_no_ehf_sender_to_confirm, "0192:995525828")
        self.assertEqual((self.vendor.peppol_eas, self.vendor.peppol_endpoint), ("0192", "999999999"))
        bill.invoice_date = "2026-03-01"
        with self.assertRaises(UserError):
            bill.action_post()
