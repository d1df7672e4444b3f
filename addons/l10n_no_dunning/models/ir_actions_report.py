import lxml.html

from odoo import models
from odoo.addons.base.models.ir_actions_report import _wkhtml

ARTICLE = "//div[contains(concat(' ', normalize-space(@class), ' '), ' article ')]"


def one_document(bodies):
    """The HTML bodies of several letters (one per ``article``, as ``_prepare_html`` makes them) as one
    document, each article from a new page: the first body with the articles of the others appended."""
    first = lxml.html.document_fromstring(bodies[0])
    last = first.xpath(ARTICLE)[-1]
    for body in bodies[1:]:
        for article in lxml.html.document_fromstring(body).xpath(ARTICLE):
            article.set("style", f"page-break-before: always; {article.get('style') or ''}".strip())
            last.addnext(article)
            last = article
    return lxml.html.tostring(first, encoding="unicode", doctype="<!DOCTYPE html>")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(self, bodies, *args, **kwargs):
        """EXTENDS base: the letters of a dunning batch (``l10n_no_dunning_one_document`` in the context,
        see ``l10n_no.dunning.letter._l10n_no_dunning_render_pdfs``) go to wkhtmltopdf as one input
        document when it is built without Odoo's patched Qt (e.g. Debian's package): that build refuses
        more than one input document, and ignores report headers and footers anyway. Odoo then splits the
        PDF per letter by page count (or, with the patched build, by outlines)."""
        if len(bodies) > 1 and self.env.context.get("l10n_no_dunning_one_document") and not _wkhtml().is_patched_qt:
            bodies = [one_document(bodies)]
        return super()._run_wkhtmltopdf(bodies, *args, **kwargs)
