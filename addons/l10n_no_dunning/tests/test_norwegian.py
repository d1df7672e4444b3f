"""Issue 16.4 and 16.5: a Norwegian accountant and a Norwegian customer read the dunning in Bokmål — the
chatter notes, the letter, its e-mail, the planner's explanations and the library's errors — and the letter
PDF (rendered by wkhtmltopdf, read back as text) carries the creditor's details in its body, in both
languages. "No English" is checked against every English phrase of our messages and of the library's
catalogue (``english_phrases``), so a text added later without a translation fails here too."""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import format_date

from odoo.addons.l10n_no_kid.tests.common import english_left, english_phrases, load_norwegian, pdf_text

from ..models.res_company import DEFAULT_LEVELS
from .common import DunningCommon

DUE = date(2026, 1, 10)
MODULES = ["l10n_no_kid", "l10n_no_dunning"]


@tagged("post_install", "-at_install")
class TestNorwegian(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_norwegian(cls.env, ["base", "mail", "account", *MODULES])
        # the preset levels in Bokmål, as a company created with nb_NO installed gets them
        for _seq, _name, nb_name, kind, *_rest in DEFAULT_LEVELS:
            if kind in cls.level:  # the inactive preset (betalingsoppfordring) is not among them
                cls.level[kind].with_context(lang="nb_NO").name = nb_name
        cls.company.write({
            "vat": "NO974760673MVA", "l10n_no_bronnoysund_number": "974760673", "l10n_no_foretaksregisteret": True,
            "street": "Strandgaten 12", "zip": "5013", "city": "Bergen",
        })
        cls.consumer.lang = "nb_NO"
        cls.accountant = new_test_user(
            cls.env, login="regnskap_nb", name="Regnskap", lang="nb_NO",
            groups="account.group_account_manager,account.group_account_user",
            company_id=cls.company.id, company_ids=cls.company.ids,
        )
        cls.phrases = english_phrases(MODULES)

    def _as_accountant(self):
        self.env = self.env(user=self.accountant, context=dict(self.env.context, lang="nb_NO"))

    def _pdf_text(self, letter):
        report = self.env["ir.actions.report"]
        if report.get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: the letter PDF cannot be rendered")
        with self.allow_pdf_render():
            pdf, _kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "l10n_no_dunning.action_report_dunning_letter", res_ids=letter.ids
            )
        return " ".join(pdf_text(pdf).split())

    def _assert_creditor_details(self, letter, text, lang):
        env = self.env(context=dict(self.env.context, lang=lang))
        invoice = letter.item_ids.move_id
        for expected in (
            self.company.name, "Strandgaten 12", "5013 Bergen", "974 760 673 MVA Foretaksregisteret",
            invoice.name, invoice.payment_reference, format_date(env, invoice.invoice_date_due),
            format_date(env, letter.deadline),
        ):
            self.assertIn(expected, text, f"{expected!r} is not on the {lang} letter:\n{text}")
        self.assertIn("86011117947", "".join(c for c in text if c.isdigit()))

    def test_run_chatter_letter_and_mail_in_bokmal(self):
        invoice = self._invoice(self.consumer, 1000.0, DUE)
        self._as_accountant()
        self._run(date(2026, 1, 13), confirm=True)
        run = self._run(date(2026, 1, 24), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual(letter.kind, "reminder")
        self.assertIn("Purring", letter.name)

        ours = (run | letter.run_id).message_ids | letter.message_ids
        notes = invoice.message_ids.filtered(lambda m: m.message_type == "comment")
        notes |= self.consumer.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertTrue(notes, "the dunning history note is missing")
        self.assertTrue(any("sendt" in (m.body or "") for m in notes), notes.mapped("body"))
        mail = letter.mail_message_id
        self.assertTrue(mail)
        seen = "\n".join([
            *(str(m.body or "") for m in ours | notes | mail), mail.subject or "", letter.name,
            *letter.item_ids.mapped(lambda i: i.note or ""), run.summary_display or "",
        ])
        self.assertEqual(english_left(seen, self.phrases), [])

        text = self._pdf_text(letter)
        self.assertIn("Purring", text)
        self.assertIn("Org.nr.", text)
        self._assert_creditor_details(letter, text, "nb_NO")
        self.assertEqual(english_left(text, self.phrases), [])

    def test_letter_in_english_for_an_english_customer(self):
        self.consumer.lang = "en_US"
        self._invoice(self.consumer, 1000.0, DUE)
        self._run(date(2026, 1, 13), confirm=True)
        letter = self._letter(self._run(date(2026, 1, 24), confirm=True), self.consumer)
        text = self._pdf_text(letter)
        self.assertIn("Reminder", text)
        self.assertIn("Org. no.", text)
        self._assert_creditor_details(letter, text, "en_US")

    def test_planner_explanations_in_bokmal(self):
        """Why an invoice was left out (the library's planner) reads in the accountant's language."""
        self._invoice(self.consumer, 1000.0, DUE)
        self._as_accountant()
        run = self._run(date(2026, 1, 11))  # one day overdue: no step yet
        self.assertFalse(run.letter_ids)
        self.assertEqual(english_left(run.summary_display or "", self.phrases), [])

    def test_library_policy_error_in_bokmal(self):
        self._as_accountant()
        with self.assertRaises(ValidationError) as caught:
            self.level["inkassovarsel"].with_env(self.env).deadline_days = 7
        message = str(caught.exception)
        self.assertIn("fristen må være minst 14 dager", message)
        self.assertEqual(english_left(message, self.phrases), [])
