"""Bulk sending from the invoice list and manual print of a merged PDF, as a billing clerk.

The preview counts the invoices per channel from the customers' cached answers (no Digipost call), the
send queues every invoice even when one in the middle is broken, a second bulk send or a second cron run
never sends twice, and "Print for posting" makes one PDF whose pages are the invoices' pages and marks
each invoice printed once.
"""

import io
import tempfile
from unittest.mock import patch

from pypdf import PdfReader

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class BulkCommon(AccountTestInvoicingCommon):
    @classmethod
    @AccountTestInvoicingCommon.setup_country("no")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.folder = tempfile.mkdtemp(prefix="nofaktura-printhouse-")
        cls.company.write({
            # Digipost counts as set up (the sender id and a certificate); the tests never reach it
            "l10n_no_dispatch_digipost_user_id": "123456",
            "l10n_no_dispatch_print_transport": "folder",
            "l10n_no_dispatch_print_folder": cls.folder,
        })
        cls.company.sudo().l10n_no_dispatch_digipost_key = b"Y2VydGlmaWNhdGU="
        cls.billing = new_test_user(
            cls.env, login="bulk_billing", groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        now = fields.Datetime.now()
        no = cls.env.ref("base.no").id
        address = {"street": "Storgata 1", "zip": "0155", "city": "Oslo", "country_id": no}
        checked = {"l10n_no_dispatch_digipost_checked_at": now}
        Partner = cls.env["res.partner"]
        cls.p_digipost = Partner.create({"name": "Kari Digipost", **address, "l10n_no_dispatch_digipost": "yes", **checked})
        cls.p_email = Partner.create({"name": "Per Epost", "email": "per@example.no", "l10n_no_dispatch_digipost": "no", **checked})
        cls.p_paper = Partner.create({"name": "Pål Papir", **address, "l10n_no_dispatch_digipost": "no", **checked})
        cls.p_none = Partner.create({"name": "Nils Ingen", "l10n_no_dispatch_digipost": "no", **checked})

    @classmethod
    def _invoice(cls, partner, amount=100.0, post=True):
        move = cls.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({
                "name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
            })],
        })
        if post:
            move.action_post()
        return move

    def _wizard(self, moves, user=None):
        return self.env["l10n_no_dispatch.bulk"].with_user(user or self.billing).with_context(
            active_model="account.move", active_ids=moves.ids).create({})

    def _no_digipost_call(self):
        """Any Digipost client made during the block fails the test: the cached answers must do."""
        Company = type(self.env["res.company"])
        return patch.object(Company, "_l10n_no_dispatch_digipost_client",
                            side_effect=AssertionError("Digipost was called although the answer is cached"))

    def _drain(self):
        """The cron until the queue is empty (as the scheduler would, batch after batch)."""
        Job = self.env["l10n_no_dispatch.job"]
        for _round in range(20):
            if not Job._cron_l10n_no_dispatch_send(batch_size=2):
                break


@tagged("post_install", "-at_install")
class TestBulkSend(BulkCommon):
    def test_preview_counts_per_channel_from_the_cache(self):
        moves = (
            self._invoice(self.p_digipost) + self._invoice(self.p_digipost)
            + self._invoice(self.p_email) + self._invoice(self.p_email) + self._invoice(self.p_email)
            + self._invoice(self.p_paper) + self._invoice(self.p_none) + self._invoice(self.p_email, post=False)
        )
        with self._no_digipost_call():
            wizard = self._wizard(moves)
            counts = {name: wizard[f"count_{name}"] for name in (
                "total", "ehf", "digipost", "email", "print", "none", "not_invoice", "already")}
        self.assertEqual(counts, {"total": 8, "ehf": 0, "digipost": 2, "email": 3, "print": 1, "none": 1,
                                  "not_invoice": 1, "already": 0})
        none_move = moves.filtered(lambda m: m.partner_id == self.p_none)
        self.assertIn(none_move.name, wizard.unreachable_html)
        self.assertIn("no complete postal address", wizard.unreachable_html)
        self.assertIn("no e-mail address", wizard.unreachable_html)
        self.assertIn("Not a posted customer invoice", wizard.unreachable_html)
        # queueing uses the same cached answers: still no Digipost call
        with self._no_digipost_call():
            wizard.action_send()
        jobs = self.env["l10n_no_dispatch.job"].search([("move_id", "in", moves.ids)])
        self.assertEqual(sorted(jobs.filtered("channel").mapped("channel")),
                         sorted(["digipost"] * 2 + ["email"] * 3 + ["print"]))
        self.assertEqual(jobs.filtered(lambda j: j.state == "failed").move_id, none_move)
        self.assertEqual((wizard.queued_count, wizard.failed_count), (6, 1))
        self.assertIn(none_move.name, wizard.result_html)

    def test_broken_invoice_in_the_middle_does_not_stop_the_rest(self):
        moves = self.env["account.move"].concat(*(self._invoice(self.p_email, 100.0 + i) for i in range(5)))
        broken = moves[2]
        Move = type(self.env["account.move"])
        real_choice = Move._l10n_no_dispatch_choice

        def choice(move, *args, **kwargs):
            if move == broken:
                raise ValueError("the invoice data is broken")
            return real_choice(move, *args, **kwargs)

        with patch.object(Move, "_l10n_no_dispatch_choice", choice), mute_logger(
                "odoo.addons.l10n_no_dispatch.wizards.l10n_no_dispatch_bulk"):
            wizard = self._wizard(moves)
            self.assertEqual((wizard.count_email, wizard.count_none), (4, 1))
            self.assertIn("the invoice data is broken", wizard.unreachable_html)
            wizard.action_send()
        self.assertEqual((wizard.queued_count, wizard.failed_count), (4, 1))
        self.assertIn(broken.name, wizard.result_html)
        self.assertIn("the invoice data is broken", wizard.result_html)
        Job = self.env["l10n_no_dispatch.job"]
        self.assertEqual(Job.search([("move_id", "in", moves.ids)]).move_id, moves - broken)
        self.assertIn("Queued", wizard.progress_html)

        self._drain()
        jobs = Job.search([("move_id", "in", moves.ids)])
        self.assertEqual(set(jobs.mapped("state")), {"sent"})
        self.assertEqual((moves - broken).mapped("l10n_no_dispatch_state"), ["sent"] * 4)
        self.assertEqual(broken.l10n_no_dispatch_state, "none")
        mails = self._invoice_mails(moves)
        self.assertEqual(len(mails), 4)

        # a second bulk send of the same selection: the four already sent are left alone, the repaired
        # one goes now; the cron run again sends nothing twice
        wizard2 = self._wizard(moves)
        self.assertEqual((wizard2.count_already, wizard2.count_email), (4, 1))
        wizard2.action_send()
        self.assertEqual(wizard2.queued_count, 1)
        self._drain()
        self._drain()
        self.assertEqual(len(Job.search([("move_id", "in", moves.ids)])), 5)
        self.assertEqual(len(self._invoice_mails(moves)), 5)
        self.assertEqual(len(self._invoice_mails(broken)), 1)
        action = wizard2.action_open_jobs()
        self.assertEqual(self.env["l10n_no_dispatch.job"].search_count(action["domain"]), 5)

    def test_sending_twice_in_one_wizard_is_refused_and_needs_billing_rights(self):
        move = self._invoice(self.p_email)
        wizard = self._wizard(move)
        wizard.action_send()
        with self.assertRaises(UserError):
            wizard.action_send()
        clerk = new_test_user(self.env, login="bulk_internal", groups="base.group_user")
        with self.assertRaises(AccessError):
            self._wizard(move, user=clerk).action_send()

    def _invoice_mails(self, moves):
        return self.env["mail.mail"].sudo().search([("model", "=", "account.move"), ("res_id", "in", moves.ids)])


@tagged("post_install", "-at_install")
class TestManualPrint(BulkCommon):
    def _print(self, moves, user=None):
        """The list action "Print for posting" (a server action, run as the user)."""
        server_action = self.env.ref("l10n_no_dispatch.l10n_no_dispatch_print_action").with_user(user or self.billing)
        return server_action.with_context(active_model="account.move", active_ids=moves.ids,
                                          force_report_rendering=True).run()

    def _pages(self, pdf):
        return len(PdfReader(io.BytesIO(pdf)).pages)

    def test_merged_pdf_marks_each_invoice_printed_once(self):
        report = self.env["ir.actions.report"]
        if report.get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: no PDF can be rendered (apt-get install wkhtmltopdf)")
        lines = 40  # a long invoice runs over two pages
        moves = self._invoice(self.p_paper) + self._invoice(self.p_email) + self._invoice(self.p_digipost)
        moves[1].button_draft()
        moves[1].write({"invoice_line_ids": [Command.create({
            "name": f"Line {i}", "quantity": 1, "price_unit": 10.0, "tax_ids": [Command.clear()]}) for i in range(lines)]})
        moves[1].action_post()
        # one of them was queued already (by e-mail): the paper copy replaces that job
        queued = moves[1].with_user(self.billing)._l10n_no_dispatch_enqueue()
        self.assertEqual(queued.state, "queued")
        with self.allow_pdf_render():  # wkhtmltopdf fetches the report's CSS from this test's server
            single = [self._pages(report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "account.account_invoices", move.ids)[0]) for move in moves]
            action = self._print(moves)
            again = self._print(moves[:2])
        self.assertGreater(single[1], 1)
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertEqual(self._pages(attachment.raw), sum(single))
        self.assertEqual(attachment.mimetype, "application/pdf")
        jobs = self.env["l10n_no_dispatch.job"].search([("move_id", "in", moves.ids)])
        printed = jobs.filtered(lambda j: j.state == "printed")
        self.assertEqual(printed.move_id, moves)
        self.assertEqual(len(printed), 3, "printing again does not count twice")
        self.assertEqual(queued.state, "cancelled")
        self.assertEqual(moves.mapped("l10n_no_dispatch_state"), ["printed"] * 3)
        for move in moves:
            notes = move.message_ids.filtered(lambda m: "Printed in-house for posting" in (m.body or ""))
            self.assertEqual(len(notes), 1)
        second = self.env["ir.attachment"].browse(int(again["url"].split("/")[3].split("?")[0]))
        self.assertEqual(self._pages(second.raw), single[0] + single[1])

    def test_only_posted_customer_invoices_and_only_billing(self):
        draft = self._invoice(self.p_paper, post=False)
        with self.assertRaises(UserError):
            self._print(draft)
        clerk = new_test_user(self.env, login="print_internal", groups="base.group_user")
        posted = self._invoice(self.p_paper)
        with self.assertRaises(AccessError):
            self._print(posted, user=clerk)
        self.assertFalse(self.env["l10n_no_dispatch.job"].search([("move_id", "=", posted.id)]))
