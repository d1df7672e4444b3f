import re

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_no_kid_block_invalid_vendor_kid = fields.Boolean(
        string="Block bills with an invalid KID",
        help="Refuse to post a vendor bill whose payment reference looks like a KID but has a wrong "
        "check digit (MOD10 and MOD11 both fail). Without it the bill is only flagged.",
    )
    l10n_no_foretaksregisteret = fields.Boolean(
        string="Registered in Foretaksregisteret",
        help="The company is registered in the Register of Business Enterprises (AS, ASA, NUF, ...): "
        "foretaksregisterloven § 10-2 requires the word 'Foretaksregisteret' on its invoices.",
    )

    def _l10n_no_org_number(self):
        """The 9-digit organisation number: the Brønnøysund number, else the company registry, else
        the digits of a Norwegian VAT number (NO + 9 digits + MVA); empty when none is known."""
        self.ensure_one()
        candidates = [self.l10n_no_bronnoysund_number, self.company_registry]
        if self.vat and re.fullmatch(r"NO\s*\d{3}\s*\d{3}\s*\d{3}\s*MVA", self.vat.upper().strip()):
            candidates.append(self.vat)
        for value in candidates:
            digits = re.sub(r"\D", "", value or "")
            if len(digits) == 9:
                return digits
        return ""

    def _l10n_no_legal_identity(self):
        """What bokføringsforskriften § 5-1-1 nr. 2 asks of the seller on a sales document, as text:
        "123 456 789 MVA Foretaksregisteret" ("MVA" when VAT registered, "Foretaksregisteret" when
        registered there). The label before it ("Org.nr.") is translated in the report."""
        self.ensure_one()
        number = self._l10n_no_org_number()
        if not number:
            return ""
        parts = [f"{number[:3]} {number[3:6]} {number[6:]}"]
        if self.vat:
            parts.append("MVA")
        if self.l10n_no_foretaksregisteret:
            parts.append("Foretaksregisteret")
        return " ".join(parts)
