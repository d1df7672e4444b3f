"""The dunning letter PDF, rendered for real by wkhtmltopdf, passes the print check.

An inkassovarsel goes by post when the debtor has no e-mail channel: it must be A4, keep the print
service's barcode zone free, embed its fonts and show the debtor's address in the envelope window
(``nofaktura.printcheck``, Digipost's rules plus the C5/C4 window).
"""

import io
import logging
from datetime import date

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from nofaktura.printcheck import check_print_ready

from .common import DunningCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestLetterPrint(DunningCommon):
    def test_dunning_letter_pdf_is_print_ready(self):
        report = self.env["ir.actions.report"]
        if report.get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: the letter PDF cannot be rendered (apt-get install wkhtmltopdf)")
        self._invoice(self.consumer, 1000.0, date(2026, 1, 10))
        self._run(date(2026, 1, 13), confirm=True)
        run = self._run(date(2026, 1, 24), confirm=True)
        letter = self._letter(run, self.consumer)
        self.assertEqual(letter.kind, "reminder")
        with self.allow_pdf_render():  # wkhtmltopdf fetches the report's CSS from this test's server
            pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
                "l10n_no_dunning.action_report_dunning_letter", res_ids=letter.ids
            )
        self.assertEqual(kind, "pdf")
        findings = check_print_ready(pdf, recipient=["Ola Nordmann", "Storgata 1", "0155 Oslo"])
        for finding in findings:
            _logger.info("print check of %s: %s", letter.display_name, finding)
        self.assertEqual([str(f) for f in findings], [])


@tagged("post_install", "-at_install")
class TestLetterBatchPdf(DunningCommon):
    """A confirmed batch renders its letters with one wkhtmltopdf process (about 1.2 s each when one per
    letter), and each letter's delivery uses its own part of it."""

    def setUp(self):
        super().setUp()
        Report = type(self.env["ir.actions.report"])
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "install":
            self.skipTest("wkhtmltopdf is not installed: the letter PDFs cannot be rendered")
        self.wkhtmltopdf_calls = []
        real = Report._run_wkhtmltopdf

        def counting(report, bodies, *args, **kwargs):
            self.wkhtmltopdf_calls.append(len(bodies))
            return real(report, bodies, *args, **kwargs)

        self.patch(Report, "_run_wkhtmltopdf", counting)
        self.by_post = self.env["res.partner"].create({
            "name": "Kari Post", "street": "Elvegata 3", "zip": "7010", "city": "Trondheim",
            "country_id": self.env.ref("base.no").id,
        })
        for partner in (self.consumer, self.business, self.by_post):
            self._invoice(partner, 1000.0, date(2026, 1, 10))

    def _confirm(self):
        run = self._new_run(date(2026, 1, 13))
        run.action_propose()
        letters = run.letter_ids
        self.assertEqual(len(letters), 3)
        self.assertEqual(sorted(letters.mapped("channel")), ["email", "email", "post"])
        with self.allow_pdf_render():  # wkhtmltopdf fetches the report's CSS from this test's server
            run.with_context(force_report_rendering=True).action_confirm()
        return letters

    def test_one_wkhtmltopdf_process_for_the_batch(self):
        letters = self._confirm()
        self.assertEqual(self.wkhtmltopdf_calls, [3])
        self.assertEqual(letters.mapped("state"), ["sent"] * 3)
        self.assertNotIn("failed", letters.mapped("delivery_state"))
        pdfs = [letter.attachment_id.raw for letter in letters]
        self.assertTrue(all(pdf.startswith(b"%PDF") for pdf in pdfs))
        for letter in letters:  # each letter has its own part of the batch
            pages = PdfFileReader(io.BytesIO(letter.attachment_id.raw)).pages
            text = " ".join(" ".join(page.extract_text().split()) for page in pages)
            self.assertIn(letter.partner_id.name, text)
            others = {"Ola Nordmann", "Fjord AS", "Kari Post"} - {letter.partner_id.name}
            self.assertFalse([name for name in others if name in text])
        for letter in letters.filtered(lambda l: l.channel == "email"):
            # the e-mail carries the PDF rendered with the batch, as the letter keeps it (reprints as sent)
            self.assertEqual(letter.mail_message_id.attachment_ids.raw, letter.attachment_id.raw)
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, _kind = report._render_qweb_pdf("l10n_no_dunning.action_report_dunning_letter", letters[:1].ids)
        self.assertEqual(pdf, pdfs[0])
        self.assertEqual(self.wkhtmltopdf_calls, [3], "a sent letter reprints from its saved PDF")

    def test_batch_failure_falls_back_to_one_letter_at_a_time(self):
        Report = type(self.env["ir.actions.report"])
        real = Report._render_qweb_pdf_prepare_streams
        broken = self.business

        def failing(report, report_ref, data, res_ids=None):
            letters = self.env["l10n_no.dunning.letter"].browse(res_ids or [])
            if len(letters) > 1 or broken in letters.partner_id:
                raise ValueError("broken letter")
            return real(report, report_ref, data, res_ids=res_ids)

        self.patch(Report, "_render_qweb_pdf_prepare_streams", failing)
        with mute_logger("odoo.addons.l10n_no_dunning.models.l10n_no_dunning_letter"):
            letters = self._confirm()
        bad = letters.filtered(lambda l: l.partner_id == broken)
        self.assertEqual(letters.mapped("state"), ["sent"] * 3)
        self.assertEqual(bad.delivery_state, "failed")
        self.assertIn("broken letter", bad.delivery_error)
        for letter in letters - bad:
            self.assertNotEqual(letter.delivery_state, "failed")
            self.assertTrue(letter.attachment_id.raw.startswith(b"%PDF"))
        self.assertEqual(self.wkhtmltopdf_calls, [1, 1])
