import html
from datetime import date

from lxml import etree

from odoo.tests import tagged

from .common import DunningCommon

DUE = date(2026, 1, 10)


@tagged("post_install", "-at_install")
class TestDunningScreens(DunningCommon):
    """What a person reads on the dunning screens: totals that add each claim once, amounts, dates and
    rates in their language, runs that say what they did, and the active levels apart from archived ones."""

    def _list_arch(self, model, xmlid):
        return etree.fromstring(self.env[model].get_view(self.env.ref(xmlid).id, "list")["arch"])

    def test_01_history_totals_count_each_claim_once(self):
        """One 800 claim in four letters is 800, not kr 3 200: the history neither sums the principal in its
        footer nor in its groups (nor the fee, which each claim of a letter carries)."""
        invoice = self._invoice(self.consumer, 800.0, DUE)
        for day in (date(2026, 1, 13), date(2026, 1, 24), date(2026, 2, 8), date(2026, 2, 23)):
            self._run(day, confirm=True)
        items = invoice.l10n_no_dunning_item_ids
        self.assertEqual(len(items), 4)
        Item = self.env["l10n_no.dunning.item"]
        described = Item.fields_get(["open_amount", "fee", "interest"], ["aggregator"])
        self.assertFalse(described["open_amount"].get("aggregator"))
        self.assertFalse(described["fee"].get("aggregator"))
        self.assertEqual(described["interest"].get("aggregator"), "sum")  # interest is charged per letter
        arch = self._list_arch("l10n_no.dunning.item", "l10n_no_dunning.view_l10n_no_dunning_item_list")
        for name in ("open_amount", "fee"):
            self.assertFalse(arch.xpath(f"//field[@name='{name}'][@sum or @avg]"), name)
        # the invoice's own dunning tab lists the same items: no footer total there either
        move_arch = etree.fromstring(self.env["account.move"].get_view(False, "form")["arch"])
        embedded = move_arch.xpath("//field[@name='l10n_no_dunning_item_ids']//field[@name='open_amount'][@sum]")
        self.assertFalse(embedded)

    def test_02_chatter_amounts_and_dates_in_the_users_language(self):
        """The log on the invoice reads "gebyr kr 37,50" in Bokmål, never "fee 37.5, deadline -"."""
        self.env["res.lang"]._activate_lang("nb_NO")
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        first = self._run(date(2026, 1, 13), confirm=True)
        self.today = date(2026, 1, 24)
        run = self.env["l10n_no.dunning.run"].with_context(lang="nb_NO").create(
            {"company_id": self.company.id, "date": self.today}
        )
        run.action_propose()
        run.action_confirm()
        letter = self._letter(run, self.consumer)
        self.assertAlmostEqual(letter.fee, 37.50)
        bodies = [html.unescape(b) for b in invoice.message_ids.filtered(lambda m: m.message_type == "comment").mapped("body")]
        body = next(b for b in bodies if run.name in b)
        self.assertIn("kr\N{NO-BREAK SPACE}37,50", body)
        self.assertNotIn("37.5", body)
        self.assertIn("07.02.2026", body)  # the deadline in the Norwegian date format
        # a letter without a deadline says so in words, not "deadline -"
        soft = self._letter(first, self.consumer)
        soft.sudo().deadline = False
        soft.with_context(lang="en_US")._l10n_no_dunning_log()
        body = html.unescape(invoice.message_ids.filtered(lambda m: m.message_type == "comment")[:1].body)
        self.assertIn("no payment deadline", body)
        self.assertNotIn("deadline -", body)

    def test_03_interest_rates_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("nb_NO")
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        self._run(date(2026, 1, 24), confirm=True)
        item = invoice.l10n_no_dunning_item_ids.filtered(lambda i: i.kind == "reminder")
        self.assertEqual(item.interest_rate, "12.00 %")
        self.assertEqual(item.with_context(lang="nb_NO").interest_rate_display, "12,00 %")
        self.assertEqual(item.with_context(lang="en_US").interest_rate_display, "12.00 %")
        fee_lines = item.letter_id.with_context(lang="nb_NO").fee_move_id.invoice_line_ids
        self.assertTrue(fee_lines)

    def test_04_run_without_letters_never_says_sent(self):
        self._invoice(self.consumer, 1000.0, DUE)
        run = self._run(date(2026, 1, 12))  # two days overdue: no letter yet
        self.assertFalse(run.letter_ids)
        self.assertEqual(run.state, "empty")
        self.assertNotEqual(dict(run._fields["state"]._description_selection(self.env))[run.state], "Sent")
        self.assertTrue(run.message_ids.filtered(lambda m: "Nothing to send" in (m.body or "")))
        run.action_confirm()  # a client confirming it anyway (XML-RPC) changes nothing
        self.assertEqual(run.state, "empty")
        # a run whose every letter was dropped before sending did not send anything either
        run = self._run(date(2026, 1, 13))
        self.assertEqual(run.state, "proposed")
        run.letter_ids.action_drop()
        run.action_confirm()
        self.assertEqual(run.state, "empty")
        # a run that sent a letter is "Sent"
        run = self._run(date(2026, 1, 14), confirm=True)
        self.assertEqual(run.state, "done")

    def test_05_archived_levels_stay_out_of_the_policy_and_the_list(self):
        archived = self.env["l10n_no.dunning.level"].with_context(active_test=False).search([
            ("company_id", "=", self.company.id), ("active", "=", False),
        ])
        self.assertTrue(archived, "the preset has an archived betalingsoppfordring level")
        # even where archived levels are read (a list opened without the active filter), the policy and the
        # policy check use the active levels only
        levels = self.company.with_context(active_test=False)._l10n_no_dunning_levels()
        self.assertFalse(levels & archived)
        self.assertEqual(levels, self.levels)
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_no_dunning.action_l10n_no_dunning_level")
        self.assertNotIn("active_test", action.get("context") or "")
        # an archived level that breaks the law's order does not block editing the active ones
        archived[:1].with_context(active_test=False).write({"sequence": 1})
        self.levels[:1].with_context(active_test=False).write({"days": 4})
        self.assertEqual(self.levels[:1].days, 4)
