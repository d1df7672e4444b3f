from decimal import Decimal

from nofaktura.digipost import InvoiceData
from nofaktura.dispatch import DEFAULT_CHAIN, Channel, ChannelChoice, Reach, choose_channel, next_channel
from nofaktura.exceptions import NofakturaError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .l10n_no_dispatch_job import ACTIVE_STATES

DISPATCH_STATES = [
    ("none", "Not sent"),
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("printed", "Printed"),
    ("failed", "Failed"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_no_dispatch_job_ids = fields.One2many("l10n_no_dispatch.job", "move_id", string="Dispatch jobs")
    l10n_no_dispatch_state = fields.Selection(
        DISPATCH_STATES, string="Dispatch", compute="_compute_l10n_no_dispatch_state", store=True, index=True,
        help="How far the invoice got on its way to the customer (the latest dispatch job).",
    )
    l10n_no_dispatch_channel = fields.Selection(
        related="l10n_no_dispatch_last_job_id.channel", string="Dispatch channel")
    l10n_no_dispatch_last_job_id = fields.Many2one(
        "l10n_no_dispatch.job", compute="_compute_l10n_no_dispatch_state", store=True, string="Latest dispatch job")
    l10n_no_dispatch_channel_info = fields.Char(
        string="Channel", compute="_compute_l10n_no_dispatch_channel_info",
        help="The channel the invoice takes (or took) and why.",
    )
    l10n_no_dispatch_job_count = fields.Integer(compute="_compute_l10n_no_dispatch_job_count")

    def write(self, vals):
        # EXTENDS account: the dispatch status follows the jobs; nobody sets it by hand (a form, XML-RPC)
        if not self.env.su and {"l10n_no_dispatch_state", "l10n_no_dispatch_last_job_id"}.intersection(vals):
            raise AccessError(self.env._("The dispatch status of an invoice changes only by sending it."))
        return super().write(vals)

    @api.depends("l10n_no_dispatch_job_ids.state", "l10n_no_dispatch_job_ids.letter_id")
    def _compute_l10n_no_dispatch_state(self):
        for move in self:
            job = move.l10n_no_dispatch_job_ids.filtered(lambda j: not j.letter_id).sorted("id")[-1:]
            move.l10n_no_dispatch_last_job_id = job
            state = job.state
            if state == "sending":
                state = "queued"
            elif state == "cancelled" or not state:
                state = "none"
            move.l10n_no_dispatch_state = state

    def _compute_l10n_no_dispatch_job_count(self):
        groups = self.env["l10n_no_dispatch.job"]._read_group(
            [("move_id", "in", self.ids)], ["move_id"], ["__count"])
        counts = {move.id: count for move, count in groups}
        for move in self:
            move.l10n_no_dispatch_job_count = counts.get(move.id, 0)

    @api.depends_context("uid")
    @api.depends("partner_id", "state", "l10n_no_dispatch_state")
    def _compute_l10n_no_dispatch_channel_info(self):
        for move in self:
            if not move.is_sale_document() or not move.partner_id:
                move.l10n_no_dispatch_channel_info = False
                continue
            job = move.l10n_no_dispatch_last_job_id
            if job and job.state != "cancelled":
                move.l10n_no_dispatch_channel_info = job.reason or job._l10n_no_dispatch_channel_label()
                if job.state == "failed" and job.last_error:
                    move.l10n_no_dispatch_channel_info = self.env._(
                        "%(channel)s failed: %(error)s", channel=job._l10n_no_dispatch_channel_label() if job.channel
                        else self.env._("nothing"), error=job.last_error)
                continue
            # Only what is known (cached lookups): a form or list never calls Peppol or Digipost.
            move.l10n_no_dispatch_channel_info = move._l10n_no_dispatch_describe(
                move._l10n_no_dispatch_choice(refresh=False))

    # -------------------------------------------------------------------------
    # What reaches the customer
    # -------------------------------------------------------------------------

    def _l10n_no_dispatch_unavailable(self):
        """Channels the company cannot use now, each with the reason in words (translated)."""
        self.ensure_one()
        company = self.company_id
        unavailable = {}
        if not self.env["account.move.send"]._l10n_no_ehf_route_active(company):
            unavailable[Channel.EHF] = self.env._("EHF through an access point is not set up for the company")
        if not company._l10n_no_dispatch_digipost_configured():
            unavailable[Channel.DIGIPOST] = self.env._("Digipost is not set up for the company")
        if not company.l10n_no_dispatch_print_transport:
            unavailable[Channel.PRINT] = self.env._("no print house is set up for the company")
        return unavailable

    def _l10n_no_dispatch_reach(self, refresh=True):
        """What is known about how the customer can be reached (nofaktura ``Reach``).

        EHF comes from l10n_no_ehf's Peppol lookup, Digipost from the company's Digipost identification, both
        cached on the partner; ``refresh`` looks up what is missing or expired (network calls). A lookup that
        failed is ``None`` (unknown), never "no": an unknown Digipost user must not become paid print.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        address = self.partner_id
        unavailable = self._l10n_no_dispatch_unavailable()
        ehf = None
        if Channel.EHF not in unavailable:
            if not partner._l10n_no_ehf_participant():
                ehf = False
            else:
                if refresh:
                    partner._l10n_no_ehf_refresh_reachability()
                if partner.l10n_no_ehf_peppol_error and not partner.l10n_no_ehf_peppol_expires_at:
                    ehf = None  # the lookup failed
                elif partner.l10n_no_ehf_peppol_checked_at:
                    credit_note = self.move_type == "out_refund"
                    ehf = bool(partner.l10n_no_ehf_peppol_credit_note if credit_note else partner.l10n_no_ehf_peppol_reachable)
        digipost = None
        if Channel.DIGIPOST not in unavailable:
            digipost = address._l10n_no_dispatch_digipost_reach(self.company_id, refresh=refresh)
        return Reach(
            ehf=ehf,
            digipost=digipost,
            email=address.email or None,
            postal_address=address._l10n_no_dispatch_has_postal_address(),
        )

    def _l10n_no_dispatch_chain(self):
        """``(preferred, fallback)`` of the customer (fallback None: the default chain)."""
        self.ensure_one()
        partner = self.partner_id if self.partner_id.l10n_no_dispatch_channel else self.commercial_partner_id
        preferred = partner.l10n_no_dispatch_channel or None
        fallback_partner = self.partner_id if self.partner_id.l10n_no_dispatch_fallback else self.commercial_partner_id
        return preferred, fallback_partner._l10n_no_dispatch_fallback_chain()

    def _l10n_no_dispatch_choice(self, refresh=True, channel=None, exclude=()):
        """The channel this invoice takes (nofaktura ``ChannelChoice``); ``channel`` overrides the preferred one."""
        self.ensure_one()
        reach = self._l10n_no_dispatch_reach(refresh=refresh)
        preferred, fallback = self._l10n_no_dispatch_chain()
        unavailable = self._l10n_no_dispatch_unavailable()
        return choose_channel(reach, channel or preferred, fallback, exclude=[*unavailable, *exclude])

    def _l10n_no_dispatch_next_choice(self, failed_job, failure):
        """After ``failed_job`` finally failed: the next channel of the chain (nofaktura ``next_channel``)."""
        self.ensure_one()
        failed = Channel(failed_job.channel)
        preferred, fallback = self._l10n_no_dispatch_chain()
        chain = []
        for channel in ((Channel(preferred),) if preferred else ()) + tuple(DEFAULT_CHAIN if fallback is None else fallback):
            if channel not in chain:
                chain.append(channel)
        remaining = tuple(chain[chain.index(failed) + 1:]) if failed in chain else tuple(c for c in chain if c != failed)
        already = set(self.env["l10n_no_dispatch.job"].sudo().search([
            ("move_id", "=", self.id), ("letter_id", "=", False), ("state", "=", "failed"), ("channel", "!=", False),
        ]).mapped("channel"))
        previous = ChannelChoice(failed, remaining, "")
        reach = self._l10n_no_dispatch_reach(refresh=True)
        return next_channel(previous, reach, failure, already_failed=[*already, *self._l10n_no_dispatch_unavailable()])

    def _l10n_no_dispatch_why(self, channel, text):
        """The library's reason for skipping ``channel``, in the user's language."""
        unavailable = self._l10n_no_dispatch_unavailable()
        if channel in unavailable:
            return unavailable[channel]
        known = {
            "the customer cannot receive EHF (not in the Peppol network)":
                self.env._("the customer cannot receive EHF (not in the Peppol network)"),
            "the customer's Peppol registration is not known (not looked up)":
                self.env._("the customer's Peppol registration is not known (not looked up)"),
            "the customer has no Digipost mailbox": self.env._("the customer has no Digipost mailbox"),
            "the customer's Digipost mailbox is not known (not identified)":
                self.env._("the customer's Digipost mailbox is not known (not identified)"),
            "the customer has no e-mail address": self.env._("the customer has no e-mail address"),
            "the customer's e-mail address is not valid": self.env._("the customer's e-mail address is not valid"),
            "the customer has no complete postal address": self.env._("the customer has no complete postal address"),
            "it already failed for this invoice": self.env._("it already failed for this invoice"),
        }
        return known.get(text, text)

    def _l10n_no_dispatch_label(self, channel):
        return dict(self.env["l10n_no_dispatch.job"]._fields["channel"]._description_selection(self.env)).get(
            Channel(channel).value, str(channel))

    def _l10n_no_dispatch_describe(self, choice):
        """One translated sentence: the channel and why (each channel skipped with its reason)."""
        self.ensure_one()
        skipped = "; ".join(
            self.env._("not %(channel)s: %(why)s", channel=self._l10n_no_dispatch_label(channel),
                       why=self._l10n_no_dispatch_why(channel, why))
            for channel, why in choice.skipped
        )
        if choice.channel is None:
            if not skipped:
                return self.env._("No channel is configured for the customer.")
            return self.env._("No channel can reach the customer (%(why)s).", why=skipped)
        preferred, _fallback = self._l10n_no_dispatch_chain()
        label = self._l10n_no_dispatch_label(choice.channel)
        if preferred and choice.channel.value == preferred:
            text = self.env._("Preferred channel: %(channel)s", channel=label)
        elif preferred:
            text = self.env._("Fallback: %(channel)s", channel=label)
        else:
            text = self.env._("Channel: %(channel)s", channel=label)
        return f"{text} ({skipped})." if skipped else f"{text}."

    # -------------------------------------------------------------------------
    # Sending
    # -------------------------------------------------------------------------

    def _l10n_no_dispatch_enqueue(self, channel=None):
        """Queue each invoice for its channel (``channel`` overrides the customer's preferred one).

        Idempotent: an invoice already queued or on its way is not queued again (its job is returned). An
        invoice no channel can reach gets a failed job with the reason, and an activity for the responsible
        user. Returns the jobs, in the order of the invoices.

        Batch-friendly: the active jobs of all invoices are looked up at once, the new jobs are created in
        one insert with one count for their keys and one chatter insert (``_l10n_no_dispatch_create_many``),
        and Digipost lookups of the batch share one client per company.
        """
        Job = self.env["l10n_no_dispatch.job"]
        Job._l10n_no_dispatch_check_sender()
        self.check_access("write")
        if channel:
            Channel(channel)  # a wrong value fails here
        moves = self.browse(list(dict.fromkeys(self.ids)))  # an invoice given twice is queued once
        for move in moves:
            if move.state != "posted" or not move.is_sale_document():
                raise UserError(self.env._(
                    "Only posted customer invoices and credit notes are sent (%(name)s).", name=move.display_name))
        job_of = {job.move_id.id: job for job in Job.sudo().search([
            ("move_id", "in", moves.ids), ("letter_id", "=", False), ("state", "in", ACTIVE_STATES)])}
        items = []
        with self.env["res.company"]._l10n_no_dispatch_digipost_batch():
            for move in moves.filtered(lambda m: m.id not in job_of):
                choice = move._l10n_no_dispatch_choice(refresh=True, channel=channel)
                items.append((move, choice, move._l10n_no_dispatch_describe(choice)))
        created = Job.sudo()._l10n_no_dispatch_create_many(items)
        job_of.update({job.move_id.id: job for job in created})
        jobs = Job.sudo().browse([job_of[move.id].id for move in moves])
        if jobs.filtered(lambda j: j.state == "queued"):
            jobs._l10n_no_dispatch_trigger()
        return jobs.with_env(self.env)

    def action_l10n_no_dispatch_send(self):
        """Button / XML-RPC: send the invoices by their customers' channels. Returns a notification."""
        jobs = self._l10n_no_dispatch_enqueue()
        failed = jobs.filtered(lambda j: j.state == "failed")
        message = self.env._("%(count)s invoice(s) queued for sending.", count=len(jobs) - len(failed))
        if failed:
            message += " " + self.env._("%(count)s cannot be sent: %(names)s", count=len(failed),
                                        names=", ".join(failed.move_id.mapped("name")))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "warning" if failed else "success", "message": message,
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    def action_l10n_no_dispatch_jobs(self):
        """Smart button: the dispatch jobs of these invoices (for those who may read jobs)."""
        self.env["l10n_no_dispatch.job"].check_access("read")
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_no_dispatch.action_l10n_no_dispatch_job")
        action["domain"] = [("move_id", "in", self.ids)]
        action["context"] = {}
        return action

    def _l10n_no_dispatch_pdf(self):
        """The invoice PDF (``(bytes, filename)``): the one Odoo keeps for it, generated when missing."""
        self.ensure_one()
        if not self.invoice_pdf_report_id:
            # Odoo's Send & Print makes and keeps the PDF ("download" method: nothing is sent); errors go to
            # the chatter. (from_cron=False: that flag reads the batch wizard's sending_data, absent here.)
            self.env["account.move.send"]._generate_and_send_invoices(self, sending_methods=["manual"], allow_raising=False)
            self.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
        attachment = self.invoice_pdf_report_id
        if not attachment or not (attachment.raw or b"").startswith(b"%PDF-"):
            raise UserError(self.env._("No PDF could be made of %(name)s.", name=self.display_name))
        return attachment.raw, attachment.name

    def _l10n_no_dispatch_invoice_data(self):
        """Amount, account, due date and KID for Digipost's invoice type, or None when something is missing."""
        self.ensure_one()
        account = (self.partner_bank_id.acc_number or "").replace(" ", "").replace(".", "")
        if not account or not self.invoice_date_due or self.move_type != "out_invoice" or self.currency_id.name != "NOK":
            return None
        kid = self.payment_reference if (self.payment_reference or "").isdigit() else None
        try:
            return InvoiceData(amount=Decimal(str(self.amount_residual)), account=account,
                               due_date=self.invoice_date_due, kid=kid)
        except (NofakturaError, ValueError):
            return None
