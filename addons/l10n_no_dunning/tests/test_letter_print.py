"""The dunning letter PDF, rendered for real by wkhtmltopdf, passes the print check.

An inkassovarsel goes by post when the debtor has no e-mail channel: it must be A4, keep the print
service's barcode zone free, embed its fonts and show the debtor's address in the envelope window
(``nofaktura.printcheck``, Digipost's rules plus the C5/C4 window).
"""

import logging
from datetime import date

from odoo.tests import tagged

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
