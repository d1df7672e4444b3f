from datetime import timezone

from nofaktura.exceptions import NofakturaError, ValidationError as NofakturaValidationError
from nofaktura.messages import text as nf_text
from nofaktura.peppol.ids import ICD_NO_ORGNR, ParticipantId
from nofaktura.peppol.lookup import SML_PRODUCTION, check_reachability

from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_sending_method = fields.Selection(
        selection_add=[("l10n_no_ehf", "by EHF (our access point)")],
        ondelete={"l10n_no_ehf": "set null"},
    )
    l10n_no_ehf_participant = fields.Char(
        string="Peppol participant",
        compute="_compute_l10n_no_ehf_participant",
        help="The Peppol id EHF is addressed to, e.g. 0192:987654325 (from the Peppol address or org number).",
    )
    l10n_no_ehf_peppol_reachable = fields.Boolean(
        string="Receives EHF invoices", copy=False, readonly=True,
        help="The Peppol lookup (SML and SMP) found an access point for EHF invoices.",
    )
    l10n_no_ehf_peppol_credit_note = fields.Boolean(string="Receives EHF credit notes", copy=False, readonly=True)
    l10n_no_ehf_peppol_checked_at = fields.Datetime(string="Peppol checked at", copy=False, readonly=True)
    l10n_no_ehf_peppol_expires_at = fields.Datetime(string="Peppol check valid until", copy=False, readonly=True)
    l10n_no_ehf_peppol_error = fields.Char(string="Peppol lookup error", copy=False, readonly=True)

    @api.depends("peppol_eas", "peppol_endpoint", "l10n_no_bronnoysund_number", "vat", "country_code")
    def _compute_l10n_no_ehf_participant(self):
        for partner in self:
            participant = partner._l10n_no_ehf_participant()
            partner.l10n_no_ehf_participant = str(participant) if participant else False

    def _l10n_no_ehf_participant(self):
        """The partner's Peppol participant, or None: its Peppol address, else its org number."""
        self.ensure_one()
        partner = self.commercial_partner_id
        candidates = []
        if partner.peppol_eas and partner.peppol_endpoint:
            candidates.append(f"{partner.peppol_eas}:{partner.peppol_endpoint}")
        if partner.l10n_no_bronnoysund_number:
            candidates.append(f"{ICD_NO_ORGNR}:{partner.l10n_no_bronnoysund_number}")
        vat = (partner.vat or "").replace(" ", "").upper()
        if vat.startswith("NO") and vat.endswith("MVA"):
            candidates.append(f"{ICD_NO_ORGNR}:{vat[2:-3]}")
        for candidate in candidates:
            try:
                return ParticipantId.parse(candidate)
            except NofakturaValidationError:
                continue
        return None

    # -------------------------------------------------------------------------
    # Reachability (SML/SMP lookup), cached on the partner
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_ehf_lookup(self, participant, now, zone):
        """The library lookup; one place so tests and demo mode can replace it."""
        return check_reachability(participant, now=now, zone=zone)

    def _l10n_no_ehf_refresh_reachability(self, force=False):
        """Look the partners up when the cached answer expired (or always with ``force``)."""
        now = fields.Datetime.now()
        for partner in self.mapped("commercial_partner_id"):
            if not force and partner.l10n_no_ehf_peppol_expires_at and partner.l10n_no_ehf_peppol_expires_at > now:
                continue
            participant = partner._l10n_no_ehf_participant()
            values = {"l10n_no_ehf_peppol_checked_at": now}
            if participant is None:
                values.update(
                    l10n_no_ehf_peppol_reachable=False,
                    l10n_no_ehf_peppol_credit_note=False,
                    l10n_no_ehf_peppol_expires_at=False,
                    l10n_no_ehf_peppol_error=self.env._("No Peppol address or organisation number."),
                )
            else:
                ap = self.env.company._l10n_no_ehf_access_point()
                zone = ap._l10n_no_ehf_sml_zone() if ap else SML_PRODUCTION
                try:
                    result = self._l10n_no_ehf_lookup(participant, now.replace(tzinfo=timezone.utc), zone)
                except NofakturaError as exc:
                    values.update(l10n_no_ehf_peppol_error=nf_text(exc, self.env.lang), l10n_no_ehf_peppol_expires_at=False)
                else:
                    values.update(
                        l10n_no_ehf_peppol_reachable=result.can_receive_invoice,
                        l10n_no_ehf_peppol_credit_note=result.can_receive_credit_note,
                        l10n_no_ehf_peppol_expires_at=result.expires_at.astimezone(timezone.utc).replace(tzinfo=None),
                        l10n_no_ehf_peppol_error=result.error or False,
                    )
            partner.sudo().write(values)

    def _l10n_no_ehf_can_receive(self, credit_note=False):
        """Whether EHF is offered for this customer (cached lookup, refreshed when expired)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        partner._l10n_no_ehf_refresh_reachability()
        return partner.l10n_no_ehf_peppol_credit_note if credit_note else partner.l10n_no_ehf_peppol_reachable

    def action_l10n_no_ehf_check_peppol(self):
        """Button: look the partner up in Peppol now.

        The lookup calls the network and stores its answer with full rights, so only billing users
        (account.group_account_invoice) who may read these partners can ask for it."""
        if not self.env.is_superuser() and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users can check a partner's Peppol registration."))
        self.check_access("read")
        self._l10n_no_ehf_refresh_reachability(force=True)
        partner = self[:1].commercial_partner_id
        if partner.l10n_no_ehf_peppol_error:
            message, kind = partner.l10n_no_ehf_peppol_error, "warning"
        elif partner.l10n_no_ehf_peppol_reachable:
            message, kind = self.env._("%(name)s can receive EHF.", name=partner.display_name), "success"
        else:
            message, kind = self.env._("%(name)s is not registered for EHF in Peppol.", name=partner.display_name), "info"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "message": message, "next": {"type": "ir.actions.act_window_close"}},
        }
