from datetime import timedelta

from nofaktura.digipost import ForeignAddress, NameAndAddress, NorwegianAddress, PostalAddress, Recipient
from nofaktura.dispatch import Channel
from nofaktura.exceptions import NofakturaError

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .l10n_no_dispatch_job import CHANNELS

#: The value of ``l10n_no_dispatch_fallback`` meaning "no fallback: the preferred channel or nothing".
NO_FALLBACK = "none"
#: How long a Digipost identification answer ("has a mailbox" or not) is trusted.
DIGIPOST_CACHE = timedelta(days=30)


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_sending_method = fields.Selection(
        selection_add=[("l10n_no_dispatch", "by the customer's channel (EHF, Digipost, e-mail, print)")],
        ondelete={"l10n_no_dispatch": "set null"},
    )
    l10n_no_dispatch_channel = fields.Selection(
        CHANNELS,
        string="Preferred invoice channel",
        help="Empty: chosen automatically (EHF if the customer is in Peppol, else Digipost, else e-mail, else print).",
    )
    l10n_no_dispatch_fallback = fields.Char(
        string="Fallback channels",
        help="Channels tried after the preferred one, in order, separated by commas (ehf, digipost, email, print). "
        "Empty: EHF, Digipost, e-mail, print. 'none': no fallback.",
    )
    l10n_no_dispatch_digipost = fields.Selection(
        [("yes", "Has a Digipost mailbox"), ("no", "No Digipost mailbox")],
        string="Digipost", copy=False, readonly=True,
        help="The last answer of Digipost's identification; empty when never asked or the lookup failed.",
    )
    l10n_no_dispatch_digipost_checked_at = fields.Datetime(string="Digipost checked at", copy=False, readonly=True)
    l10n_no_dispatch_digipost_error = fields.Char(string="Digipost lookup error", copy=False, readonly=True)

    @api.constrains("l10n_no_dispatch_fallback")
    def _check_l10n_no_dispatch_fallback(self):
        for partner in self:
            partner._l10n_no_dispatch_fallback_chain()

    def _l10n_no_dispatch_fallback_chain(self):
        """The fallback as the library wants it: None (default chain), () (none) or a tuple of channels."""
        self.ensure_one()
        text = (self.l10n_no_dispatch_fallback or "").strip().lower()
        if not text:
            return None
        if text == NO_FALLBACK:
            return ()
        chain = []
        for part in text.replace(";", ",").split(","):
            part = part.strip().replace("e-mail", "email")
            if not part:
                continue
            try:
                chain.append(Channel(part))
            except ValueError:
                raise ValidationError(self.env._(
                    "Unknown channel %(channel)r in the fallback channels of %(partner)s; use ehf, digipost, email, print "
                    "or 'none'.", channel=part, partner=self.display_name)) from None
        return tuple(chain)

    # -------------------------------------------------------------------------
    # Postal address and Digipost identification
    # -------------------------------------------------------------------------

    def _l10n_no_dispatch_has_postal_address(self):
        self.ensure_one()
        return bool(self._l10n_no_dispatch_name() and self.street and self.zip and self.city)

    def _l10n_no_dispatch_name(self):
        self.ensure_one()
        if self.parent_id and self.type == "invoice" and not self.name:
            return self.commercial_partner_id.name
        return self.commercial_partner_id.name if self.commercial_partner_id.is_company else self.name

    def _l10n_no_dispatch_postal_address(self):
        """The nofaktura ``PostalAddress`` for print, or None when the address is not complete."""
        self.ensure_one()
        if not self._l10n_no_dispatch_has_postal_address():
            return None
        lines = tuple(line for line in (self.street, self.street2) if line)
        if not self.country_id or self.country_id.code == "NO":
            address = NorwegianAddress(lines=lines, zip_code=self.zip.strip(), city=self.city.strip())
        else:
            lines += (f"{self.zip} {self.city}".strip(),)
            address = ForeignAddress(lines=lines[:4], country_code=self.country_id.code)
        return PostalAddress(name=self._l10n_no_dispatch_name()[:130], address=address)

    def _l10n_no_dispatch_orgnr(self):
        """The Norwegian organisation number of the customer's company, or None."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if not partner.is_company:
            return None
        number = (partner.l10n_no_bronnoysund_number or "").replace(" ", "")
        vat = (partner.vat or "").replace(" ", "").upper()
        if not number and vat.startswith("NO"):
            number = vat[2:].removesuffix("MVA")
        return number if len(number) == 9 and number.isdigit() else None

    def _l10n_no_dispatch_digipost_recipient(self):
        """How Digipost finds this customer: organisation number, else name and address; None if neither."""
        self.ensure_one()
        orgnr = self._l10n_no_dispatch_orgnr()
        try:
            if orgnr:
                return Recipient.by_organisation_number(orgnr)
            if self._l10n_no_dispatch_has_postal_address() and (not self.country_id or self.country_id.code == "NO"):
                return Recipient.by_name_and_address(NameAndAddress(
                    fullname=self._l10n_no_dispatch_name(), addressline1=self.street,
                    addressline2=self.street2 or None, postalcode=self.zip.strip(), city=self.city.strip()))
        except NofakturaError:
            return None
        return None

    def _l10n_no_dispatch_digipost_reach(self, company, refresh=True):
        """True/False: Digipost answered (cached on the partner for 30 days); None: unknown or the lookup failed.

        A failed lookup stores its error and leaves the earlier answer alone: it never becomes "no"."""
        self.ensure_one()
        partner = self if self.l10n_no_dispatch_digipost_checked_at or not self.parent_id else self.commercial_partner_id
        now = fields.Datetime.now()
        fresh = partner.l10n_no_dispatch_digipost_checked_at and \
            now - partner.l10n_no_dispatch_digipost_checked_at < DIGIPOST_CACHE
        if partner.l10n_no_dispatch_digipost and (fresh or not refresh):
            return partner.l10n_no_dispatch_digipost == "yes"
        if not refresh:
            return None
        recipient = self._l10n_no_dispatch_digipost_recipient()
        if recipient is None:
            return False  # nothing to identify the customer by: Digipost cannot reach them
        try:
            with company._l10n_no_dispatch_digipost_session() as client:
                identification = client.identify(recipient)
        except (NofakturaError, UserError) as exc:
            self.sudo().write({"l10n_no_dispatch_digipost_error": str(exc)[:500]})
            return None
        self.sudo().write({
            "l10n_no_dispatch_digipost": "yes" if identification.is_digipost_user else "no",
            "l10n_no_dispatch_digipost_checked_at": now,
            "l10n_no_dispatch_digipost_error": False,
        })
        return identification.is_digipost_user
