from lxml import etree

from odoo.tests import tagged

from .common import L10nNoBankCommon


@tagged("post_install", "-at_install")
class TestBankScreens(L10nNoBankCommon):
    """The import wizard starts on the journal it was opened from; the payments to check can be matched on a
    phone (a kanban card with the Match button, which Odoo's web client shows on small screens)."""

    def _wizard_journal(self, **context):
        Wizard = self.env["l10n_no.bank.import.wizard"].with_context(**context)
        return self.env["account.journal"].browse(Wizard.default_get(["journal_id"]).get("journal_id"))

    def test_01_wizard_opened_from_a_journal_takes_it(self):
        other = self.env["account.journal"].create({"name": "Second bank", "code": "BNK9", "type": "bank"})
        self.assertEqual(self._wizard_journal(active_model="account.journal", active_id=other.id), other)
        self.assertEqual(
            self._wizard_journal(active_model="account.journal", active_id=self.bank_journal.id), self.bank_journal
        )
        self.assertEqual(self._wizard_journal(default_journal_id=other.id), other)
        # the journal's own button
        action = other.action_l10n_no_bank_import()
        self.assertEqual(self._wizard_journal(**action["context"]), other)
        # from the journals' Action menu: the binding passes the journal as active_id
        binding = self.env.ref("l10n_no_bank.l10n_no_bank_import_wizard_action_journal")
        self.assertEqual(binding.binding_model_id.model, "account.journal")
        # a sales journal is no bank journal: not taken
        sale = self.company_data["default_journal_sale"]
        self.assertNotEqual(self._wizard_journal(active_model="account.journal", active_id=sale.id), sale)
        # opened from the menu with two bank journals: the person chooses
        self.assertFalse(self._wizard_journal())

    def test_02_wizard_from_the_menu_with_one_bank_journal_takes_it(self):
        banks = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)]
        )
        (banks - self.bank_journal).action_archive()
        self.assertEqual(self._wizard_journal(), self.bank_journal)

    def test_03_payments_to_check_have_a_phone_view_with_match(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_no_bank.l10n_no_bank_st_line_unmatched_action")
        kinds = [kind for _view, kind in action["views"]]
        self.assertIn("kanban", kinds, "the web client shows the kanban on a phone")
        kanban_id = next(view for view, kind in action["views"] if kind == "kanban")
        arch = etree.fromstring(self.env["account.bank.statement.line"].get_view(kanban_id, "kanban")["arch"])
        self.assertTrue(arch.xpath("//button[@name='action_l10n_no_bank_match']"))
        # on the desktop list the Match button comes right after the amount, not after every optional column
        list_id = next(view for view, kind in action["views"] if kind == "list")
        arch = etree.fromstring(self.env["account.bank.statement.line"].get_view(list_id, "list")["arch"])
        names = [node.get("name") for node in arch if node.tag in ("field", "button")]
        self.assertLess(names.index("action_l10n_no_bank_match"), names.index("l10n_no_bank_reason"))

    def test_04_match_wizard_proposes_the_one_invoice_of_that_amount(self):
        invoice = self.invoice(amount=640.0)
        self.invoice(amount=300.0)
        number = self.partner_no._l10n_no_get_customer_number(self.company)
        kid = self.bank_journal._l10n_no_kid_layout().build(number, 987654)  # the customer, a wrong invoice
        line = self.lines_of(self.import_file(self.ocr_file([(kid, "640.00")])))
        self.assertEqual(line.l10n_no_bank_reason, "customer_only")
        action = line.action_l10n_no_bank_match()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(wizard.invoice_ids, invoice)
        wizard.action_match()
        self.assertEqual(invoice.payment_state, "paid")
        # two open invoices of that amount: the person chooses
        self.invoice(amount=500.0)
        self.invoice(amount=500.0)
        line = self.lines_of(self.import_file(self.camt_file([(kid, "500.00", "REF-B")], message_id="MSG-B"), name="b.xml"))
        action = line.action_l10n_no_bank_match()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertFalse(wizard.invoice_ids)
