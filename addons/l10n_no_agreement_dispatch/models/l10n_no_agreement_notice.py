"""Price regulation notices through the dispatch queue, by the customer's channel.

A notice is a letter: it goes by Digipost (as a letter, no invoice data), by the print house or printed
in-house, or by e-mail, in the order of the customer's channel and fallback chain. EHF carries invoices and
credit notes only, so an EHF customer's notice takes the next channel (as a dunning letter does), with the
reason. The queue keys, retries and fails over as for invoices; one active job per notice (a unique index).
"""

from odoo import fields, models
from odoo.addons.l10n_no_dispatch.models.l10n_no_dispatch_job import ACTIVE_STATES
from odoo.addons.l10n_no_dispatch.models.l10n_no_dunning_letter import letter_choice, letter_next_choice

from nofaktura.dispatch import DEFAULT_CHAIN, Channel, Reach


class L10nNoAgreementNotice(models.Model):
    _inherit = "l10n_no.agreement.notice"

    l10n_no_dispatch_job_ids = fields.One2many(
        "l10n_no_dispatch.job", "l10n_no_agreement_notice_id", string="Dispatch jobs", readonly=True)

    def _l10n_no_agreement_send(self):
        """EXTENDS l10n_no_agreement: queue each notice for the customer's channel instead of Odoo's e-mail.
        A notice queued or on its way already is not queued again. Returns True."""
        Job = self.env["l10n_no_dispatch.job"].sudo()
        queued = False
        for notice in self.filtered(lambda n: n.state == "draft"):
            if Job.search_count([("l10n_no_agreement_notice_id", "=", notice.id), ("state", "in", ACTIVE_STATES)],
                                limit=1):  # fmt: skip
                continue
            choice = notice._l10n_no_dispatch_choice()
            notice.sudo().state = "queued" if choice.channel is not None else "failed"
            job = Job._l10n_no_dispatch_create(notice, choice, notice._l10n_no_dispatch_describe(choice))
            queued = queued or job.state == "queued"
        if queued:
            Job._l10n_no_dispatch_trigger()
        return True

    # -------------------------------------------------------------------------
    # The channel (as a dunning letter's: no EHF)
    # -------------------------------------------------------------------------

    def _l10n_no_dispatch_reach(self, refresh=True):
        """What is known about the customer (nofaktura ``Reach``); never EHF (it carries no letters)."""
        self.ensure_one()
        digipost = None
        if self.company_id._l10n_no_dispatch_digipost_configured():
            digipost = self.partner_id._l10n_no_dispatch_digipost_reach(self.company_id, refresh=refresh)
        return Reach(ehf=False, digipost=digipost, email=self.partner_id.email or None,
                     postal_address=self.partner_id._l10n_no_dispatch_has_postal_address())  # fmt: skip

    def _l10n_no_dispatch_chain(self):
        """(chain, skipped): the customer's channels, preferred first, without those a notice cannot take
        (each with the reason, translated)."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        preferred = partner.l10n_no_dispatch_channel or None
        fallback = partner._l10n_no_dispatch_fallback_chain()
        chain = [Channel(preferred)] if preferred else []
        chain += [c for c in (DEFAULT_CHAIN if fallback is None else fallback) if c not in chain]
        if preferred == Channel.EHF.value and not [c for c in chain if c is not Channel.EHF]:
            chain += [c for c in DEFAULT_CHAIN if c not in chain]  # "EHF only": a notice takes the default chain
        left_out = {Channel.EHF: self.env._("EHF carries invoices and credit notes, not notices")}
        if not self.company_id._l10n_no_dispatch_digipost_configured():
            left_out[Channel.DIGIPOST] = self.env._("Digipost is not set up for the company")
        skipped = tuple((c, left_out[c]) for c in chain if c in left_out)
        return tuple(c for c in chain if c not in left_out), skipped

    def _l10n_no_dispatch_choice(self, refresh=True):
        """The channel this notice takes: chosen as for a dunning letter."""
        return letter_choice(self, refresh)

    def _l10n_no_dispatch_next_choice(self, failed_job, failure):
        """After ``failed_job`` finally failed: the next channel of the notice's chain."""
        return letter_next_choice(self, failed_job, failure)

    def _l10n_no_dispatch_describe(self, choice):
        """The same sentence as for a dunning letter (the dispatch addon's texts and translations)."""
        self.ensure_one()
        return self.env["l10n_no.dunning.letter"].new({})._l10n_no_dispatch_describe(choice)

    def _l10n_no_dispatch_pdf(self):
        """The letter PDF for Digipost and the print house (``(bytes, filename)``), made once."""
        return self._l10n_no_agreement_pdf()
