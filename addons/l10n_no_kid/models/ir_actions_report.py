from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def get_paperformat(self):
        """Norwegian companies print on the window-envelope A4 unless a format was chosen.

        Odoo's default A4 keeps 11 mm side margins as CSS: body text then reaches into the barcode zone
        Digipost's print service keeps free (x 0-15 mm) and the address sits right, where a Norwegian
        envelope has no window. A report with its own paperformat, or a company that picked another
        format than Odoo's default, keeps it.
        """
        paperformat = super().get_paperformat()
        company = self.env.company
        default_a4 = self.env.ref("base.paperformat_euro", raise_if_not_found=False)
        if self.paperformat_id or company.country_code != "NO" or paperformat != default_a4:
            return paperformat
        return self.env.ref("l10n_no_kid.paperformat_no_window_envelope", raise_if_not_found=False) or paperformat
