"""The whole path against a fake bank (a folder channel): proposal → four-eyes → pain.001 → delivery →
pain.002 (accepted, partially rejected, the same answer twice) → camt.054 debit booking."""

import datetime
import io
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from lxml import etree
from nofaktura.bank.generate import CamtEntry, CamtTx, write_camt054
from nofaktura.bank.pain002 import StatusReason
from nofaktura.bank.pain002_writer import write_pain002
from nofaktura.bank.testing import local_sftp_server

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import file_path

from odoo.addons.l10n_no_bank.tests.common import L10nNoBankCommon

ACCOUNT = "86011117947"


def _schema(version):
    # ../shared/corpora next to the repository (the project's tests never copy the corpora).
    addon = Path(file_path("l10n_no_payment_order"))
    xsd = addon.parents[2] / "shared/corpora/iso20022/python-sepaxml/sepaxml/schemas" / f"pain.001.001.{version}.xsd"
    return etree.XMLSchema(etree.parse(str(xsd))) if xsd.is_file() else None


@tagged("post_install", "-at_install")
class TestNorwegianPaymentOrder(L10nNoBankCommon):
    @classmethod
    def get_default_groups(cls):
        # account_payment_order moves Odoo's "manage bank accounts" access to its Payments group.
        return super().get_default_groups() | cls.quick_ref("account_payment_order.group_account_payment")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.company_registry = "988077917"
        cls.bank_account.bank_id = cls.env["res.bank"].create({"name": "DNB", "bic": "DNBANOKK"})
        cls.tmp = Path(tempfile.mkdtemp(prefix="l10n_no_payment_"))
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.bank_journal.write({"l10n_no_bank_channel": "folder", "l10n_no_bank_folder": str(cls.tmp)})
        cls.mode = cls.env["account.payment.mode"].create({
            "name": "Norwegian credit transfer (DNB)", "company_id": cls.company.id,
            "payment_method_id": cls.env.ref("l10n_no_payment_order.payment_method_no_credit_transfer").id,
            "bank_account_link": "fixed", "fixed_journal_id": cls.bank_journal.id, "payment_order_ok": True,
            "group_lines": True, "l10n_no_bank_agreement_id": "AGR-4711", "l10n_no_net_credit_notes": True,
            "l10n_no_delivery": "channel", "l10n_no_proposal_days": 10,
        })
        payments_group = "account_payment_order.group_account_payment"
        common = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.maker = new_test_user(cls.env, login="pay_maker", groups=f"account.group_account_user,{payments_group}",
                                  **common)
        cls.approver = new_test_user(cls.env, login="pay_approver",
                                     groups=f"account.group_account_manager,account.group_account_user,{payments_group}",
                                     **common)
        cls.today = fields.Date.context_today(cls.env.user)
        cls.vendors = {}
        for name, account, trusted in (("Kraft AS", "15035684279", True), ("Papir AS", "12345678903", True),
                                       ("Ny Konto AS", "97100012344", False)):
            partner = cls._create_partner_no(name)
            bank = cls.env["res.partner.bank"].create({"acc_number": account, "partner_id": partner.id,
                                                       "allow_out_payment": trusted})
            cls.vendors[name] = (partner, bank)

    def bill(self, vendor, amount, kid=None, ref=None, days=3, move_type="in_invoice", post=True):
        partner, bank = self.vendors[vendor]
        move = self.env["account.move"].create({
            "move_type": move_type, "partner_id": partner.id, "partner_bank_id": bank.id,
            "invoice_date": self.today, "invoice_date_due": self.today + datetime.timedelta(days=days),
            "payment_reference": kid or False, "ref": ref or False, "invoice_payment_term_id": False,
            "invoice_line_ids": [Command.create({"name": "Vare", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })  # fmt: skip
        if post:
            move.action_post()
        return move

    def new_order(self, user=None):
        return self.env["account.payment.order"].with_user(user or self.maker).create(
            {"payment_mode_id": self.mode.id, "payment_type": "outbound"})

    def sent_order(self):
        """Three payments proposed, confirmed, approved by another person, written and delivered."""
        self.kid_bill = self.bill("Kraft AS", 1000, kid="1234567890128")
        self.text_bill = self.bill("Papir AS", 500, ref="F-2026-17")
        self.credit = self.bill("Papir AS", 120, ref="K-2026-3", move_type="in_refund")
        self.other_bill = self.bill("Papir AS", 80, ref="F-2026-18", days=1)
        order = self.new_order()
        order.action_l10n_no_propose()
        order.draft2open()
        order.with_user(self.approver).validate_tier()
        order.with_user(self.maker).open2generated()
        order.with_user(self.maker).action_l10n_no_send()
        return order

    # -- proposal ----------------------------------------------------------------------------------

    def test_proposal_pays_what_may_be_paid_and_lists_the_rest(self):
        ok = self.bill("Kraft AS", 1000, kid="1234567890128")
        netted = self.bill("Papir AS", 500, ref="F-1")
        credit = self.bill("Papir AS", 100, ref="K-1", move_type="in_refund")
        unconfirmed = self.bill("Ny Konto AS", 200, ref="F-2")
        blocked = self.bill("Kraft AS", 300, ref="F-3")
        blocked.action_toggle_block_payment()
        later = self.bill("Kraft AS", 500, ref="F-5", days=40)
        bad_kid = self.bill("Kraft AS", 600, kid="1234567890127")
        order = self.new_order()
        self.assertTrue(order.action_l10n_no_propose())
        self.assertEqual(order.payment_line_ids.move_line_id.move_id, ok | netted | credit)
        left = {lo.move_id: lo.reason for lo in order.l10n_no_leftout_ids}
        self.assertEqual(left, {unconfirmed: "unconfirmed_account", blocked: "blocked", later: "not_due",
                                bad_kid: "invalid_kid"})
        kid_line = order.payment_line_ids.filtered(lambda pl: pl.move_line_id.move_id == ok)
        self.assertEqual((kid_line.communication_type, kid_line.communication), ("structured", "1234567890128"))
        # A bill chosen by hand that may not be paid is refused at confirmation, with the reason.
        unconfirmed.line_ids.filtered(lambda l: l.account_type == "liability_payable").create_payment_line_from_move_line(
            order)
        with self.assertRaisesRegex(UserError, "nobody has confirmed"):
            order.draft2open()
        # The warning is shown where the bill is listed: its line, its left-out row, the bill itself.
        line_of = {pl.move_line_id.move_id: pl for pl in order.payment_line_ids}
        self.assertTrue(line_of[unconfirmed].l10n_no_payee_unconfirmed)
        self.assertFalse(line_of[ok].l10n_no_payee_unconfirmed)
        self.assertTrue(order.l10n_no_leftout_ids.filtered(lambda lo: lo.move_id == unconfirmed).l10n_no_payee_unconfirmed)
        self.assertEqual((unconfirmed.l10n_no_payee_unconfirmed, ok.l10n_no_payee_unconfirmed), (True, False))
        # Proposing again replaces the proposed lines (the hand-picked one stays and is still refused).
        order.action_l10n_no_propose(days=60)
        self.assertIn(later, order.payment_line_ids.move_line_id.move_id)
        self.assertNotIn(later, order.l10n_no_leftout_ids.move_id)

    def test_only_fully_approved_bills_are_paid(self):
        """The approval gate of l10n_no_approval (the one of posting and registering a payment) decides."""
        approver_group = "l10n_no_approval.group_l10n_no_approver"
        common = {"company_id": self.company.id, "company_ids": [Command.set(self.company.ids)]}
        att = new_test_user(self.env, login="pay_att", groups=approver_group, **common)
        boss = new_test_user(self.env, login="pay_boss", groups=approver_group, **common)
        override = new_test_user(self.env, login="pay_override", groups=(
            "account.group_account_user,account_payment_order.group_account_payment,"
            "l10n_no_approval.group_l10n_no_approval_override"), **common)
        self.env["l10n.no.approval.matrix"].create({"name": "Bills", "company_id": self.company.id, "authority_ids": [
            Command.create({"user_id": att.id, "role": "attest"}),
            Command.create({"user_id": boss.id, "role": "anvis", "limit_amount": 200000}),
        ]})  # fmt: skip

        def approved(amount, ref):
            move = self.bill("Kraft AS", amount, ref=ref, post=False)
            move.request_validation()
            move.with_user(att).validate_tier()
            move.with_user(boss).validate_tier()
            return move

        good = approved(1000, "F-10")
        good.action_post()
        # Approved, then its amount changed behind the form, posted under the override (logged).
        changed = approved(2000, "F-11")
        changed.invoice_line_ids.sudo().with_context(check_move_validity=False).write({"price_unit": 9000})
        changed.with_user(override).action_post()
        # Sent for approval and never approved, posted under the override.
        pending = self.bill("Kraft AS", 3000, ref="F-12", post=False)
        pending.request_validation()
        pending.with_user(override).action_post()
        self.assertEqual((changed + pending).mapped("state"), ["posted", "posted"])

        order = self.new_order()
        order.action_l10n_no_propose()
        self.assertEqual(order.payment_line_ids.move_line_id.move_id, good)
        left = {lo.move_id: (lo.reason, lo.detail) for lo in order.l10n_no_leftout_ids}
        self.assertEqual(left[changed][0], "not_approved")
        self.assertIn("changed after it was approved", left[changed][1])
        self.assertEqual(left[pending][0], "not_approved")
        self.assertIn("not fully approved yet", left[pending][1])

        def payable(move):
            return move.line_ids.filtered(lambda line: line.account_type == "liability_payable")

        # Added by hand: the same gate refuses, with its reason.
        with self.assertRaisesRegex(UserError, "not fully approved yet"):
            payable(pending).with_user(self.maker).create_payment_line_from_move_line(order)
        # The approval override may add it (logged), but the gate still holds for whoever confirms.
        payable(changed).with_user(override).create_payment_line_from_move_line(order)
        self.assertIn("Put in payment order", "\n".join(changed.sudo().message_ids.mapped("body")))
        with self.assertRaisesRegex(UserError, "changed after it was approved"):
            order.with_user(self.maker).draft2open()
        self.assertEqual(order.state, "draft")

    # -- four eyes and the file --------------------------------------------------------------------

    def test_four_eyes_file_and_delivery_once(self):
        self.bill("Kraft AS", 1000, kid="1234567890128")
        self.bill("Papir AS", 500, ref="F-2026-17")
        self.bill("Papir AS", 120, ref="K-2026-3", move_type="in_refund")
        order = self.new_order()
        order.action_l10n_no_propose()
        order.draft2open()
        self.assertEqual(len(order.payment_ids), 2, "the credit note is netted into its bill's payment")
        with self.assertRaisesRegex(UserError, "approved for sending first"):
            order.with_user(self.maker).open2generated()
        with self.assertRaises(AccessError):
            order.with_user(self.maker).validate_tier()
        # The approver may not approve an order they made.
        own = self.new_order(self.approver)
        self.bill("Kraft AS", 50, kid="123456785")
        own.with_user(self.approver).action_l10n_no_propose()
        own.with_user(self.approver).draft2open()
        self.assertNotIn(self.approver, own.review_ids.reviewer_ids, "the maker is never a reviewer")
        with self.assertRaisesRegex(UserError, "Four eyes"):
            own.with_user(self.approver).validate_tier()
        with self.assertRaisesRegex(UserError, "approved for sending first"):
            own.with_user(self.approver).open2generated()
        # The reviews themselves are written only by the order's methods (XML-RPC reaches tier.review too).
        with self.assertRaises(AccessError):
            own.review_ids.with_user(self.approver).write({"status": "approved", "done_by": self.approver.id})
        with self.assertRaises(AccessError):
            own.review_ids.with_user(self.approver).unlink()
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.approver).create({
                "model": own._name, "res_id": own.id, "status": "approved",
                "definition_id": own.review_ids.definition_id.id})
        self.assertEqual(own.validation_status, "pending")
        # State and our fields cannot be written directly.
        with self.assertRaises(AccessError):
            order.with_user(self.maker).write({"state": "uploaded"})
        self.assertEqual(order.validation_status, "pending")
        self.assertIn(self.approver, order.review_ids.reviewer_ids)
        self.assertNotIn(self.maker, order.review_ids.reviewer_ids)
        self.assertTrue(order.with_user(self.approver).validate_tier())
        self.assertEqual((order.validation_status, order.l10n_no_approved_by_id), ("validated", self.approver))
        order.with_user(self.maker).open2generated()
        self.assertEqual(order.state, "generated")
        data = order._l10n_no_file()
        self.assertTrue(order.l10n_no_file_name.startswith("pain001-") and len(order.l10n_no_file_sha256) == 64)
        root = etree.fromstring(data)
        schema = _schema("03")
        if schema is not None:
            self.assertTrue(schema.validate(root), schema.error_log)
        ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
        self.assertEqual(root.findtext(".//p:InitgPty/p:Id/p:OrgId/p:Othr/p:Id", namespaces=ns), "AGR-4711")
        self.assertEqual(root.findtext(".//p:DbtrAcct/p:Id/p:Othr/p:Id", namespaces=ns), ACCOUNT)
        self.assertEqual(root.findtext(".//p:CdtrRefInf/p:Ref", namespaces=ns), "1234567890128")
        self.assertEqual(sorted(e.text for e in root.iterfind(".//p:RfrdDocInf/p:Tp/p:CdOrPrtry/p:Cd", ns)),
                         ["CINV", "CREN"])
        self.assertEqual(sorted(e.text for e in root.iterfind(".//p:InstdAmt", ns)), ["1000.00", "380.00"])
        order.with_user(self.maker).action_l10n_no_send()
        delivered = self.tmp / "outbox" / order.l10n_no_file_name
        self.assertEqual(delivered.read_bytes(), data)
        self.assertEqual(order.state, "uploaded")
        self.assertTrue(order.l10n_no_sent_time and order.l10n_no_sent_by_id == self.maker)
        self.assertEqual(set(order.payment_ids.mapped("l10n_no_bank_state")), {"sent"})
        with self.assertRaisesRegex(UserError, "already sent"):
            order.with_user(self.maker).action_l10n_no_send()
        with self.assertRaisesRegex(UserError, "cannot be cancelled or sent again"):
            order.with_user(self.maker).action_uploaded_cancel()
        with self.assertRaises(AccessError):
            order.payment_ids[:1].with_user(self.maker).write({"l10n_no_bank_state": "booked"})

    def test_change_after_approval_needs_a_new_approval(self):
        self.bill("Kraft AS", 1000, kid="1234567890128")
        order = self.new_order()
        order.action_l10n_no_propose()
        order.draft2open()
        order.with_user(self.approver).validate_tier()
        # A change of a payment restarts the review at once ...
        order.payment_ids.partner_bank_id = self.vendors["Papir AS"][1]
        self.assertEqual(order.validation_status, "pending")
        self.assertFalse(order.l10n_no_approved_by_id)
        with self.assertRaisesRegex(UserError, "approved for sending first"):
            order.with_user(self.maker).open2generated()
        # ... and a change the order does not see (the payee's name) is caught by the fingerprint.
        order.with_user(self.approver).validate_tier()
        self.vendors["Kraft AS"][0].name = "Kraft og Lys AS"
        with self.assertRaisesRegex(UserError, "changed after it was approved"):
            order.with_user(self.maker).open2generated()
        self.assertTrue(order.with_user(self.maker).restart_validation())
        self.assertEqual(order.validation_status, "pending")
        order.with_user(self.approver).validate_tier()
        order.with_user(self.maker).open2generated()
        self.assertEqual(order.state, "generated")

    def test_version_09(self):
        self.mode.l10n_no_pain_version = "09"
        self.bill("Kraft AS", 1000, kid="1234567890128")
        order = self.new_order()
        order.action_l10n_no_propose()
        order.draft2open()
        order.with_user(self.approver).validate_tier()
        order.with_user(self.maker).open2generated()
        root = etree.fromstring(order._l10n_no_file())
        self.assertEqual(root.nsmap[None], "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09")
        schema = _schema("09")
        if schema is not None:
            self.assertTrue(schema.validate(root), schema.error_log)

    # -- the bank answers ---------------------------------------------------------------------------

    def answer(self, order, name, **statuses):
        library_order = order._l10n_no_payment_order(order.l10n_no_message_id)
        data = write_pain002(library_order, message_id=f"BANK-{name}", created=datetime.datetime(2026, 12, 3, 10),
                             **statuses)
        (self.tmp / name).write_bytes(data)
        return data

    def payment_of(self, order, move):
        return order.payment_ids.filtered(lambda p: move in p.payment_line_ids.move_line_id.move_id)

    def test_partial_rejection_reopens_the_bill_and_tells_the_accountant(self):
        order = self.sent_order()
        self.assertIn(self.kid_bill.payment_state, ("paid", "in_payment"))
        rejected = self.payment_of(order, self.text_bill)
        accepted = order.payment_ids - rejected
        self.answer(order, "status-1.xml", group_status="PART", transaction_statuses={
            rejected.l10n_no_end_to_end_id: ("RJCT", [StatusReason("AC04", additional_info=("Konto oppgjort",))]),
            **{p.l10n_no_end_to_end_id: ("ACCP", []) for p in accepted},
        })
        imports = self.bank_journal._l10n_no_bank_poll()
        self.assertEqual(imports.file_format, "pain.002")
        self.assertEqual(imports.payment_order_id, order)
        self.assertEqual(set(accepted.mapped("l10n_no_bank_state")), {"accepted"})
        self.assertEqual(rejected.l10n_no_bank_state, "rejected")
        self.assertIn("AC04 (Closed account number): Konto oppgjort", rejected.l10n_no_bank_reason)
        self.assertEqual(rejected.state, "canceled")
        self.assertEqual(self.text_bill.payment_state, "not_paid")
        self.assertEqual(self.credit.payment_state, "not_paid")
        activity = self.text_bill.activity_ids
        self.assertEqual(activity.user_id, self.maker)
        self.assertIn("Closed account number", activity.note)
        # The reopened bills can be proposed again in a new order.
        again = self.new_order()
        again.action_l10n_no_propose()
        self.assertIn(self.text_bill, again.payment_line_ids.move_line_id.move_id)

        # The same answer file twice (uploaded by hand after the channel read it): refused, nothing changes.
        data = (self.tmp / "processed" / "status-1.xml").read_bytes()
        with self.assertRaisesRegex(UserError, "already read"):
            self.Import.with_user(self.approver)._l10n_no_bank_import(data, "status-1-again.xml",
                                                                       journal=self.bank_journal)
        # A later report rejecting an accepted one still rejects; a rejected one stays rejected.
        self.answer(order, "status-2.xml", group_status="ACCP")
        self.bank_journal._l10n_no_bank_poll()
        self.assertEqual(rejected.l10n_no_bank_state, "rejected")
        self.assertEqual(set(accepted.mapped("l10n_no_bank_state")), {"accepted"})

    def test_whole_file_rejected_and_unknown_report(self):
        order = self.sent_order()
        other = order._l10n_no_payment_order("SOMEONE-ELSE-1")  # the same payments in a file we never sent
        data = self.answer(order, "rjct.xml", group_status="RJCT", group_reasons=[StatusReason("FF01")])
        (self.tmp / "rjct.xml").unlink()
        record = self.Import.with_user(self.approver)._l10n_no_bank_import(data, "rjct.xml", journal=self.bank_journal)
        self.assertEqual(record.state, "done")
        self.assertEqual(set(order.payment_ids.mapped("l10n_no_bank_state")), {"rejected"})
        self.assertIn("FF01 (Invalid file format)", order.payment_ids[0].l10n_no_bank_reason)
        self.assertEqual({m.payment_state for m in (self.kid_bill | self.text_bill | self.other_bill)}, {"not_paid"})
        # All payments rejected: the order may now be cancelled.
        self.assertTrue(order.action_uploaded_cancel())
        # A report answering a file nobody here sent is refused.
        foreign = write_pain002(other, message_id="B-9", created=datetime.datetime(2026, 12, 3, 11), group_status="ACCP")
        with self.assertRaisesRegex(UserError, "no payment order here sent"):
            self.Import._l10n_no_bank_import(foreign, "foreign.xml", journal=self.bank_journal)
        # A billing user may not import bank answers.
        billing = new_test_user(self.env, login="pay_billing", groups="account.group_account_invoice",
                                company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        with self.assertRaises(AccessError):
            self.Import.with_user(billing)._l10n_no_bank_import(foreign, "foreign2.xml", journal=self.bank_journal)

    def test_camt054_debit_books_and_reconciles_the_payments(self):
        order = self.sent_order()
        self.answer(order, "accp.xml", group_status="ACCP")
        self.bank_journal._l10n_no_bank_poll()
        payments = order.payment_ids.sorted("id")
        entries = [CamtEntry([CamtTx(Decimal(f"{p.amount:.2f}"), end_to_end_id=p.l10n_no_end_to_end_id,
                                     bank_reference=f"B{p.id}")],
                             booking_date=self.today, credit=False, bank_code=("PMNT", "ICDT", "DMCT"))
                   for p in payments]  # fmt: skip
        # An unrelated debit (a card payment) stays to be checked by hand.
        entries.append(CamtEntry([CamtTx(Decimal("99.00"), end_to_end_id="NOTOURS", bank_reference="X1")],
                                 booking_date=self.today, credit=False))
        out = io.StringIO()
        write_camt054(out, entries, account=ACCOUNT, message_id="CAMT-DEBIT-1")
        (self.tmp / "camt-debit.xml").write_bytes(out.getvalue().encode())
        record = self.bank_journal.with_user(self.approver)._l10n_no_bank_poll()
        self.assertEqual(record.file_format, "camt.054")
        self.assertEqual(record.count_matched, len(payments))
        self.assertEqual(set(payments.mapped("l10n_no_bank_state")), {"booked"})
        for payment in payments:
            outstanding = payment.move_id.line_ids.filtered(lambda l, p=payment: l.account_id == p.outstanding_account_id)
            self.assertTrue(outstanding.reconciled)
        lines = record.statement_line_ids
        self.assertEqual(len(lines), len(payments) + 1)
        self.assertEqual(lines.filtered(lambda l: l.amount == -99).l10n_no_bank_state, "unmatched")
        # The same camt.054 again books nothing twice.
        (self.tmp / "camt-debit-again.xml").write_bytes(out.getvalue().encode())
        again = self.bank_journal._l10n_no_bank_poll()
        self.assertFalse(again.filtered(lambda r: r.state == "done"))
        self.assertEqual(len(self.StLine.search([("l10n_no_bank_import_id", "=", record.id)])), len(payments) + 1)

    # -- who may do what ----------------------------------------------------------------------------

    def test_roles(self):
        self.bill("Kraft AS", 1000, kid="1234567890128")
        self.bill("Ny Konto AS", 200, ref="F-9")
        order = self.new_order()
        order.action_l10n_no_propose()
        common = {"company_id": self.company.id, "company_ids": [Command.set(self.company.ids)]}
        internal = new_test_user(self.env, login="pay_internal", groups="base.group_user", **common)
        billing = new_test_user(self.env, login="pay_billing2", groups="account.group_account_invoice", **common)
        portal = new_test_user(self.env, login="pay_portal", groups="base.group_portal", **common)
        for user in (internal, billing, portal):
            with self.assertRaises(AccessError):
                order.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                order.l10n_no_leftout_ids.with_user(user).read(["reason"])
            with self.assertRaises(AccessError):
                self.env["account.payment.order"].with_user(user).create(
                    {"payment_mode_id": self.mode.id, "payment_type": "outbound"})
        # An accountant of another company sees neither the order nor what it left out.
        other = self.setup_other_company()["company"]
        stranger = new_test_user(self.env, login="pay_stranger", company_id=other.id,
                                 company_ids=[Command.set(other.ids)],
                                 groups="account.group_account_manager,account_payment_order.group_account_payment")
        self.assertFalse(self.env["account.payment.order"].with_user(stranger).search([("id", "=", order.id)]))
        self.assertFalse(self.env["l10n_no.payment.leftout"].with_user(stranger).search(
            [("id", "in", order.l10n_no_leftout_ids.ids)]))
        # The maker (Payments group, full accounting, not administrator) sees the reasons but cannot approve.
        self.assertEqual(order.l10n_no_leftout_ids.with_user(self.maker).mapped("reason"), ["unconfirmed_account"])
        order.draft2open()
        with self.assertRaises(AccessError):
            order.with_user(self.maker).validate_tier()
        with self.assertRaises(AccessError):
            order.with_user(self.maker).reject_tier()
        with self.assertRaises(AccessError):
            order.review_ids.with_user(self.maker).write({"status": "approved"})
        for user in (internal, billing):
            for method in ("open2generated", "validate_tier", "action_l10n_no_send"):
                with self.assertRaises(AccessError, msg=f"{user.login} calls {method}"):
                    getattr(order.with_user(user), method)()
        with self.assertRaises(AccessError):
            order.with_user(self.maker).write({"l10n_no_approved_by_id": self.maker.id})
        self.assertTrue(order.with_user(self.approver).validate_tier())

    def test_bank_reasons_in_norwegian(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        self.env["ir.module.module"]._load_module_terms(["l10n_no_payment_order"], ["nb_NO"], overwrite=True)
        Order = self.env["account.payment.order"]
        reasons = (StatusReason("AC04", additional_info=("Konto oppgjort",)), StatusReason(None, "X99"))
        self.assertEqual(Order._l10n_no_reason_words(reasons), "AC04 (Closed account number): Konto oppgjort; X99")
        self.assertEqual(Order.with_context(lang="nb_NO")._l10n_no_reason_words(reasons),
                         "AC04 (Kontoen er avsluttet): Konto oppgjort; X99")
        self.assertEqual(Order.with_context(lang="nb_NO")._l10n_no_reason_words(()), "Banken oppga ingen grunn")
        leftout = self.env["l10n_no.payment.leftout"].with_context(lang="nb_NO")
        labels = dict(leftout._fields["reason"]._description_selection(leftout.env))
        self.assertEqual(labels["blocked"], "Sperret for betaling")

    def test_contact_managers_keep_bank_accounts(self):
        # account_payment_order gives res.partner.bank and res.bank to its Payments group only; this addon
        # restores Odoo's access for contact managers (trusting an account still needs its own group).
        clerk = new_test_user(self.env, login="pay_contacts", groups="base.group_partner_manager,base.group_user",
                              company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        partner = self.vendors["Kraft AS"][0]
        bank = self.env["res.partner.bank"].with_user(clerk).create({"acc_number": "12345678903",
                                                                     "partner_id": partner.id})
        self.assertFalse(bank.allow_out_payment)
        with self.assertRaisesRegex(UserError, "trust"):
            bank.with_user(clerk).allow_out_payment = True

    def test_sftp_delivery_and_answer_through_the_same_channel(self):
        self.bill("Kraft AS", 1000, kid="1234567890128")
        order = self.new_order()
        order.action_l10n_no_propose()
        order.draft2open()
        order.with_user(self.approver).validate_tier()
        order.with_user(self.maker).open2generated()
        sftp_root = self.tmp / "sftp"
        (sftp_root / "inbox").mkdir(parents=True)
        self.mode.l10n_no_outbox = "to-bank"
        with mute_logger("paramiko.transport"), local_sftp_server(sftp_root) as server:
            self.bank_journal.write({
                "l10n_no_bank_channel": "sftp", "l10n_no_bank_sftp_host": server.host,
                "l10n_no_bank_sftp_port": server.port, "l10n_no_bank_sftp_username": server.username,
                "l10n_no_bank_sftp_password": server.password, "l10n_no_bank_sftp_host_key": server.host_key,
                "l10n_no_bank_sftp_directory": "inbox",
            })  # fmt: skip
            order.with_user(self.maker).action_l10n_no_send()
            delivered = sftp_root / "inbox" / "to-bank" / order.l10n_no_file_name
            self.assertEqual(delivered.read_bytes(), order._l10n_no_file())
            self.assertEqual(order.l10n_no_sent_to, f"inbox/to-bank/{order.l10n_no_file_name}")
            library_order = order._l10n_no_payment_order(order.l10n_no_message_id)
            (sftp_root / "inbox" / "status.xml").write_bytes(write_pain002(
                library_order, message_id="BANK-S1", created=datetime.datetime(2026, 12, 3, 10), group_status="ACCP"))
            record = self.bank_journal._l10n_no_bank_poll()
        self.assertEqual((record.file_format, record.origin, record.payment_order_id), ("pain.002", "sftp", order))
        self.assertEqual(order.payment_ids.l10n_no_bank_state, "accepted")
