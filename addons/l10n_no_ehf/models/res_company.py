from odoo import fields, models

# account_peppol's registration states in which Odoo's own Peppol route can send.
ODOO_PEPPOL_ACTIVE_STATES = ("sender", "smp_registration", "receiver")


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_no_ehf_access_point_id = fields.Many2one(
        "l10n_no_ehf.access.point",
        string="EHF access point",
        domain="[('company_id', '=', id)]",
        help="The access point this company sends and receives EHF through.",
    )
    l10n_no_ehf_foretaksregisteret = fields.Boolean(
        string="Registered in Foretaksregisteret",
        default=True,
        help="AS, ASA and NUF must state 'Foretaksregisteret' on invoices (foretaksregisterloven § 10-2); "
        "a sole proprietorship (ENK) that is not registered must not.",
    )
    l10n_no_ehf_confirm_accepted = fields.Boolean(
        string="Confirm accepted EHF bills",
        help="When a bill received as EHF is posted, answer the seller with an Invoice Response 'accepted'.",
    )

    def _l10n_no_ehf_odoo_peppol_active(self):
        """True when Odoo's own Peppol module sends for this company: our route then steps aside, so
        one document is never sent by two routes."""
        self.ensure_one()
        if "account_peppol_proxy_state" not in self._fields:
            return False
        return self.account_peppol_proxy_state in ODOO_PEPPOL_ACTIVE_STATES

    def _l10n_no_ehf_access_point(self):
        """The usable access point of this company, or an empty recordset."""
        self.ensure_one()
        ap = self.sudo().l10n_no_ehf_access_point_id
        return ap if ap.active else ap.browse()

    def _l10n_no_ehf_participant(self):
        """Our own Peppol participant (``0192:<orgnr>``), from the company partner."""
        self.ensure_one()
        return self.partner_id._l10n_no_ehf_participant()
