"""Reminders and dunning letters of l10n_no_dunning through the same channels as the invoices.

Why here and not in l10n_no_dunning: the dunning addon must work alone (e-mail or a PDF to post); when the
dispatch addon is installed, the run's send step hands each letter to the dispatch queue instead, so a
letter goes by the customer's channel — Digipost with its PDF, e-mail (the level's template, followed by
the dunning addon as before), the print house, or printed in-house with the run — with the same
idempotency keys, retries and fallback chain as an invoice. EHF carries invoices and credit notes only,
so it is skipped for letters with that reason. A letter the level sends by post never goes by e-mail
(inkassoloven: a notice must reach the debtor "på betryggende måte").

The law counts from the day a letter actually went out: the letter is "delivered" when its channel took
it (Digipost, the print house, printed with the run), or when the mail server accepted its e-mail; a
letter whose channels all failed is "delivery failed" and does not count as sent.
"""

from nofaktura.dispatch import DEFAULT_CHAIN, Channel, ChannelChoice, Reach, choose_channel, next_channel

from odoo import fields, models

from .l10n_no_dispatch_job import ACTIVE_STATES

def letter_choice(letter, refresh=True):
    """The channel a letter (a dunning letter, or another addon's letter with the same
    ``_l10n_no_dispatch_chain`` and ``_l10n_no_dispatch_reach``) takes, with the channels left out."""
    letter.ensure_one()
    chain, skipped = letter._l10n_no_dispatch_chain()
    choice = choose_channel(letter._l10n_no_dispatch_reach(refresh=refresh), None, chain)
    return ChannelChoice(choice.channel, choice.remaining, choice.reason, skipped + choice.skipped)


def letter_next_choice(letter, failed_job, failure):
    """After ``failed_job`` finally failed: the next channel of the letter's chain (channels that
    failed for it before are not tried again)."""
    letter.ensure_one()
    failed = Channel(failed_job.channel)
    chain, _skipped = letter._l10n_no_dispatch_chain()
    remaining = tuple(chain[chain.index(failed) + 1:]) if failed in chain else tuple(c for c in chain if c != failed)
    already = set(letter.l10n_no_dispatch_job_ids.sudo().filtered(
        lambda j: j.state == "failed" and j.channel).mapped("channel"))
    return next_channel(ChannelChoice(failed, remaining, ""), letter._l10n_no_dispatch_reach(), failure,
                        already_failed=already)


class L10nNoDunningLetter(models.Model):
    _inherit = "l10n_no.dunning.letter"

    l10n_no_dispatch_job_ids = fields.One2many(
        "l10n_no_dispatch.job", "letter_id", string="Dispatch jobs", readonly=True)
    l10n_no_dispatch_info = fields.Char(
        string="Dispatch", compute="_compute_l10n_no_dispatch_info",
        help="The channel the letter took (or takes) and how far it got.")

    def _compute_l10n_no_dispatch_info(self):
        states = dict(self.env["l10n_no_dispatch.job"]._fields["state"]._description_selection(self.env))
        for letter in self:
            job = letter.l10n_no_dispatch_job_ids.sorted("id")[-1:]
            if not job:
                letter.l10n_no_dispatch_info = False
                continue
            label = job._l10n_no_dispatch_channel_label() if job.channel else self.env._("nothing")
            letter.l10n_no_dispatch_info = f"{label}: {states.get(job.state, job.state)}" + (
                f" – {job.last_error}" if job.state == "failed" and job.last_error else "")

    # ------------------------------------------------------------------------------------------------
    # CHANNEL CHOICE
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dispatch_reach(self, refresh=True):
        """What is known about the customer (nofaktura ``Reach``); never EHF (it carries no letters)."""
        self.ensure_one()
        partner = self.partner_id
        digipost = None
        if self.company_id._l10n_no_dispatch_digipost_configured():
            digipost = partner._l10n_no_dispatch_digipost_reach(self.company_id, refresh=refresh)
        return Reach(ehf=False, digipost=digipost, email=partner.email or None,
                     postal_address=partner._l10n_no_dispatch_has_postal_address())

    def _l10n_no_dispatch_chain(self):
        """(chain, skipped): the customer's channels (preferred first) without those a letter cannot take,
        each left out with the reason in words (translated)."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        preferred = partner.l10n_no_dispatch_channel or None
        fallback = partner._l10n_no_dispatch_fallback_chain()
        chain = [Channel(preferred)] if preferred else []
        chain += [c for c in (DEFAULT_CHAIN if fallback is None else fallback) if c not in chain]
        if preferred == Channel.EHF.value and not [c for c in chain if c is not Channel.EHF]:
            chain += [c for c in DEFAULT_CHAIN if c not in chain]  # "EHF only": a letter takes the default chain
        left_out = {Channel.EHF: self.env._("EHF carries invoices and credit notes, not reminders or dunning letters")}
        if not self.company_id._l10n_no_dispatch_digipost_configured():
            left_out[Channel.DIGIPOST] = self.env._("Digipost is not set up for the company")
        if self.channel == "post":
            left_out[Channel.EMAIL] = self.env._("this letter goes by post (its dunning level or a missing or "
                                                 "unconfirmed e-mail address)")
        skipped = tuple((c, left_out[c]) for c in chain if c in left_out)
        return tuple(c for c in chain if c not in left_out), skipped

    def _l10n_no_dispatch_choice(self, refresh=True):
        """The channel this letter takes (nofaktura ``ChannelChoice``), with the channels left out."""
        return letter_choice(self, refresh)

    def _l10n_no_dispatch_next_choice(self, failed_job, failure):
        """After ``failed_job`` finally failed: the next channel of the letter's chain."""
        return letter_next_choice(self, failed_job, failure)

    def _l10n_no_dispatch_label(self, channel):
        return self.env["account.move"]._l10n_no_dispatch_label(channel)

    def _l10n_no_dispatch_describe(self, choice):
        """One translated sentence: the channel and why (each channel left out with its reason)."""
        self.ensure_one()
        # the library's reasons, translated (the same texts as for invoices: one translation each)
        reasons = {
            "the customer has no Digipost mailbox": self.env._("the customer has no Digipost mailbox"),
            "the customer's Digipost mailbox is not known (not identified)":
                self.env._("the customer's Digipost mailbox is not known (not identified)"),
            "the customer has no e-mail address": self.env._("the customer has no e-mail address"),
            "the customer's e-mail address is not valid": self.env._("the customer's e-mail address is not valid"),
            "the customer has no complete postal address": self.env._("the customer has no complete postal address"),
        }
        skipped = "; ".join(
            self.env._("not %(channel)s: %(why)s", channel=self._l10n_no_dispatch_label(channel),
                       why=reasons.get(why, why))
            for channel, why in choice.skipped
        )
        if choice.channel is None:
            return self.env._("No channel can reach the customer (%(why)s).", why=skipped or "-")
        text = self.env._("Channel: %(channel)s", channel=self._l10n_no_dispatch_label(choice.channel))
        return f"{text} ({skipped})." if skipped else f"{text}."

    # ------------------------------------------------------------------------------------------------
    # DELIVERY THROUGH THE QUEUE
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dunning_deliver(self):
        """EXTENDS l10n_no_dunning: hand the letter to the dispatch queue by the customer's channel (a
        letter already on its way is not queued again).

        E-mail and in-house print are done at once, with the run, as the dunning addon always did: the
        e-mail only enters Odoo's mail queue (the dunning addon follows it to the mail server and retries a
        refused connection) and the in-house PDF is what the person prints with the run. Digipost and the
        print house go through the queue's cron, with its retries and fallback."""
        self.ensure_one()
        if self.env.context.get("l10n_no_dispatch_direct") or self.kind == "handover" or self.channel == "agency":
            return super()._l10n_no_dunning_deliver()
        Job = self.env["l10n_no_dispatch.job"].sudo()
        if Job.search_count([("letter_id", "=", self.id), ("state", "in", ACTIVE_STATES)], limit=1):
            return True
        choice = self._l10n_no_dispatch_choice()
        if choice.channel is not None:
            self.sudo().write({"delivery_state": "pending", "delivered_on": False, "delivery_error": False})
        job = Job._l10n_no_dispatch_create(self, choice, self._l10n_no_dispatch_describe(choice))
        while job and job.state == "queued" and job._l10n_no_dispatch_at_once():
            job._l10n_no_dispatch_send()  # errors become a final failure of the job and its next channel
            job = job.search([("previous_job_id", "=", job.id)], limit=1)
        return True

    def _l10n_no_dunning_prepare_emails(self):
        """EXTENDS l10n_no_dunning: render together only the e-mails of the letters whose channel is e-mail
        (the customer's channel choice from what is already known; a Digipost customer's letter is not
        rendered as an e-mail it will not be sent as). The choice is made again when each letter is
        delivered; a letter whose e-mail was not rendered here renders it then."""
        if self.env.context.get("l10n_no_dispatch_direct"):
            return super()._l10n_no_dunning_prepare_emails()
        by_email = self.filtered(
            lambda l: l.kind != "handover" and l.channel == "email"
            and l._l10n_no_dispatch_choice(refresh=False).channel is Channel.EMAIL
        )
        return super(L10nNoDunningLetter, by_email)._l10n_no_dunning_prepare_emails()

    def _l10n_no_dispatch_pdf(self):
        """The letter PDF (``(bytes, filename)``), made once and kept on the letter: a retry sends the
        same document. Usually rendered with the letter's batch when the run was confirmed (see
        ``_l10n_no_dunning_render_pdfs``)."""
        self.ensure_one()
        attachment = self._l10n_no_dunning_pdf_attachment()
        return attachment.raw, attachment.name

    def _l10n_no_dispatch_send_email(self, job):
        """The e-mail channel of a letter: the dunning addon's own e-mail (the level's template with the
        letter PDF), whose delivery it follows as before."""
        self.ensure_one()
        self.sudo().channel = "email"
        self.with_context(l10n_no_dispatch_direct=True)._l10n_no_dunning_deliver()
        job._l10n_no_dispatch_mark("sent", str(self.mail_message_id.id or ""))
        return True

    def _l10n_no_dispatch_on_job(self, job):
        """The queue took the letter by a channel that does not report back later (Digipost, print): it
        went out today — or, printed in-house with the run, on the run's date."""
        self.ensure_one()
        if job.channel == Channel.EMAIL.value:
            return True  # the dunning addon follows the e-mail (accepted by the server -> delivered)
        in_house = job.channel == Channel.PRINT.value and not self.company_id.l10n_no_dispatch_print_transport
        self.sudo().write({
            "channel": "post" if job.channel == Channel.PRINT.value else self.channel,
            "delivery_state": "delivered",
            # printed with the run to be posted on the run's date (the dunning addon's rule); else today
            "delivered_on": self.date if in_house and self.date else fields.Date.context_today(self),
            "delivery_error": False,
        })
        return True

    def _l10n_no_dispatch_cancel_jobs(self):
        """Stop the letters' jobs that have not gone out (a person delivers the letter another way)."""
        jobs = self.env["l10n_no_dispatch.job"].sudo().search(
            [("letter_id", "in", self.ids), ("state", "in", ("queued", "failed"))])
        jobs.write({"state": "cancelled", "next_attempt": False})
        return jobs

    def action_l10n_no_dunning_mark_posted(self):
        """EXTENDS l10n_no_dunning: a letter posted by hand is no longer in the queue."""
        result = super(L10nNoDunningLetter, self.with_context(l10n_no_dispatch_direct=True)) \
            .action_l10n_no_dunning_mark_posted()
        self._l10n_no_dispatch_cancel_jobs()
        return result

    def action_l10n_no_dunning_resend_email(self):
        """EXTENDS l10n_no_dunning: resending by e-mail replaces the letter's unsent jobs."""
        result = super(L10nNoDunningLetter, self.with_context(l10n_no_dispatch_direct=True)) \
            .action_l10n_no_dunning_resend_email()
        self._l10n_no_dispatch_cancel_jobs()
        return result
