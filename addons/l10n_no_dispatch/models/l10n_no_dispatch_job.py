import logging
from datetime import timedelta, timezone

import psycopg2.errors

from nofaktura.digipost import Document, Message, MessageStatus, PrintDetails, PrintIfUnread
from nofaktura.dispatch import PrintJob
from nofaktura.exceptions import DuplicateSubmission, NofakturaError, ServiceUnavailable, TransportError
from nofaktura.peppol.transports.retry import backoff_delay

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CHANNELS = [
    ("ehf", "EHF"),
    ("digipost", "Digipost"),
    ("email", "E-mail"),
    ("print", "Print"),
]
STATES = [
    ("queued", "Queued"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("printed", "Printed"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
#: A job in one of these states is on its way or done: the document is not queued again.
ACTIVE_STATES = ("queued", "sending", "sent", "delivered", "printed")
#: How often an EHF hand-over to l10n_no_ehf's queue is looked at again.
EHF_POLL = timedelta(minutes=5)
#: Fields only this module's methods write (a person retries or cancels through the buttons).
PROTECTED_FIELDS = frozenset({
    "state", "channel", "idempotency_key", "move_id", "letter_id", "company_id", "attempts", "next_attempt",
    "last_error", "delivery_reference", "ehf_outgoing_id", "previous_job_id", "reason", "sent_at", "delivered_at",
    "partner_id",
})


class L10nNoDispatchJob(models.Model):
    """One document (an invoice, or a dunning letter) on its way to the customer by one channel.

    queued → (sending →) sent / delivered / printed, or → failed. A job that finally fails hands the
    document to the next channel of the customer's chain in a new job (``previous_job_id``); a job keeps its
    ``idempotency_key`` over all its retries, and the key is what the channel sees (Digipost message id, EHF
    transmission, print batch), so a retry never sends twice. The cron claims due rows with
    ``FOR UPDATE SKIP LOCKED``, so several workers share the queue.
    """

    _name = "l10n_no_dispatch.job"
    _description = "Invoice dispatch job"
    _order = "id desc"
    _rec_name = "idempotency_key"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", index="btree_not_null", ondelete="cascade", readonly=True, check_company=True,
    )
    letter_id = fields.Many2one(
        "l10n_no.dunning.letter", string="Dunning letter", index="btree_not_null", ondelete="cascade", readonly=True,
        check_company=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    channel = fields.Selection(CHANNELS, readonly=True, index=True)
    state = fields.Selection(STATES, required=True, default="queued", readonly=True, index=True)
    reason = fields.Char(string="Why this channel", readonly=True)
    idempotency_key = fields.Char(required=True, readonly=True, copy=False)
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(readonly=True, index=True)
    last_error = fields.Text(readonly=True)
    delivery_reference = fields.Char(readonly=True, copy=False, help="The channel's reference: Digipost message, "
                                     "EHF transmission, print batch or e-mail message.")
    ehf_outgoing_id = fields.Many2one("l10n_no_ehf.outgoing", string="EHF transmission", readonly=True)
    previous_job_id = fields.Many2one("l10n_no_dispatch.job", string="Replaces", readonly=True, ondelete="set null")
    sent_at = fields.Datetime(readonly=True)
    delivered_at = fields.Datetime(readonly=True)

    _key_uniq = models.UniqueIndex("(company_id, idempotency_key)", "A dispatch job with this key exists.")
    _one_active_per_move = models.UniqueIndex(
        "(move_id) WHERE letter_id IS NULL AND state IN ('queued', 'sending', 'sent', 'delivered', 'printed')",
        "This invoice is already on its way to the customer.",
    )
    _one_active_per_letter = models.UniqueIndex(
        "(letter_id) WHERE state IN ('queued', 'sending', 'sent', 'delivered', 'printed')",
        "This letter is already on its way to the customer.",
    )

    # -------------------------------------------------------------------------
    # Only our code writes jobs
    # -------------------------------------------------------------------------

    def _l10n_no_dispatch_check_direct_write(self, fnames):
        """A job says what goes to whom by which channel and how far it got; its state, channel and key are
        written only by this module's methods (which check the caller and then work as superuser)."""
        if not self.env.su and PROTECTED_FIELDS.intersection(fnames):
            raise AccessError(self.env._(
                "Dispatch jobs are changed only by the dispatch actions (send, retry, cancel)."
            ))

    @api.model_create_multi
    def create(self, vals_list):
        """Only our queue creates jobs. A job that just failed or was cancelled frees its document's "one
        active job" slot (a unique index): pending state writes are flushed before the next job (the fallback
        after a final failure, the printed job replacing a queued one) is inserted, else the insert hits it."""
        if not self.env.su:
            raise AccessError(self.env._("Dispatch jobs are created only by the dispatch actions (send)."))
        self.flush_model(["state"])
        return super().create(vals_list)

    def write(self, vals):
        self._l10n_no_dispatch_check_direct_write(vals)
        return super().write(vals)

    # -------------------------------------------------------------------------
    # Queueing (called as superuser by the callers that checked the rights)
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_dispatch_keys(self, documents, company=None):
        """``{document id: key}`` for documents of one model: unique per company and never reused (database,
        company — ``company`` or the document's —, document and the count of its earlier jobs), the earlier
        jobs of all of them counted in one query. Hook: an addon queueing a document of its own EXTENDS it."""
        if not documents:
            return {}
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8]
        is_letter = documents._name == "l10n_no.dunning.letter"
        field = "letter_id" if is_letter else "move_id"
        domain = [(field, "in", documents.ids)]
        if not is_letter:
            domain.append(("letter_id", "=", False))
        counts = {document.id: count for document, count in self.sudo().with_context(active_test=False)._read_group(
            domain, [field], ["__count"])}
        kind = "ltr" if is_letter else "inv"
        return {
            document.id: f"nfd-{db_uuid}-{(company or document.company_id).id}-{kind}{document.id}-"
                         f"{counts.get(document.id, 0) + 1}"
            for document in documents
        }

    @api.model
    def _l10n_no_dispatch_key(self, document, company):
        """The key of the next job of ``document`` (see ``_l10n_no_dispatch_keys``)."""
        return self._l10n_no_dispatch_keys(document, company)[document.id]

    @api.model
    def _l10n_no_dispatch_document_values(self, document):
        """The job's link to its document: an invoice or a dunning letter. Hook: an addon queueing a
        document of its own (an agreement's price regulation notice) EXTENDS this with its own field."""
        is_letter = document._name == "l10n_no.dunning.letter"
        return {"move_id": False if is_letter else document.id, "letter_id": document.id if is_letter else False}

    @api.model
    def _l10n_no_dispatch_create(self, document, choice, reason, previous=None):
        """A job for ``document`` (an invoice or a dunning letter) by ``choice.channel``.

        Without a channel the job is created failed, with the reason, and the responsible user gets an
        activity: the document cannot go anywhere until the customer's data is fixed.
        """
        return self._l10n_no_dispatch_create_many([(document, choice, reason)], previous=previous)

    @api.model
    def _l10n_no_dispatch_create_many(self, items, previous=None):
        """Jobs for ``items``, ``(document, choice, reason)`` triples of documents without an active job, as
        ``_l10n_no_dispatch_create`` makes one — in one insert, with one count of earlier jobs per document
        model for the keys and one chatter insert for the "queued" notes (what made enqueueing slow in bulk).
        ``previous``: the job these replace (a fallback after a final failure: its note says it already)."""
        now = fields.Datetime.now()
        documents = {}
        for document, _choice, _reason in items:
            documents.setdefault(document._name, document.browse())
            documents[document._name] |= document
        keys = {name: self._l10n_no_dispatch_keys(records) for name, records in documents.items()}
        vals_list = []
        for document, choice, reason in items:
            values = {
                "company_id": document.company_id.id,
                **self._l10n_no_dispatch_document_values(document),
                "partner_id": document.partner_id.id,
                "channel": choice.channel.value if choice.channel else False,
                "reason": reason,
                "idempotency_key": keys[document._name][document.id],
                "previous_job_id": previous.id if previous else False,
                "next_attempt": now,
            }
            if choice.channel is None:
                values.update(state="failed", last_error=reason, next_attempt=False)
            vals_list.append(values)
        jobs = self.sudo().create(vals_list)
        for job, (_document, choice, reason) in zip(jobs, items, strict=True):
            if choice.channel is None:
                job._l10n_no_dispatch_nothing_left(reason)
        if not previous:
            queued = {job: self.env._("Queued for sending. %(reason)s", reason=reason)
                      for job, (_document, choice, reason) in zip(jobs, items, strict=True) if choice.channel}
            jobs._l10n_no_dispatch_log(queued)
        return jobs

    def _l10n_no_dispatch_nothing_left(self, reason):
        """No channel reaches the customer: say so in the chatter and give the responsible user an activity."""
        for job in self:
            document = job._l10n_no_dispatch_document()
            job._l10n_no_dispatch_post(self.env._("Not sent: %(reason)s", reason=reason))
            user = (document.invoice_user_id if "invoice_user_id" in document._fields else document.create_uid) \
                or document.create_uid
            document.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Could not be sent to the customer"),
                note=reason,
                user_id=user.id or self.env.user.id,
            )

    # -------------------------------------------------------------------------
    # Actions
    # -------------------------------------------------------------------------

    def _l10n_no_dispatch_check_sender(self):
        """Billing users (and accountants and administrators) send; others may not."""
        user = self.env.user
        if not self.env.is_superuser() and not any(
            user.has_group(group) for group in (
                "account.group_account_invoice", "account.group_account_user", "account.group_account_manager")
        ):
            raise AccessError(self.env._("Only billing and accounting users may send or retry invoices."))

    def action_retry(self):
        """Button: try a failed job again now, with the same key (the channel refuses a double)."""
        self._l10n_no_dispatch_check_sender()
        self.check_access("write")
        if any(job.state != "failed" or not job.channel for job in self):
            raise UserError(self.env._("Only failed jobs with a channel can be retried."))
        self.mapped("move_id").check_access("write")
        for job in self:
            if job._l10n_no_dispatch_document_active():
                raise UserError(self.env._(
                    "%(name)s is already on its way by another job; it is not sent twice.",
                    name=job._l10n_no_dispatch_document().display_name))
        self.sudo().write({"state": "queued", "attempts": 0, "next_attempt": fields.Datetime.now(),
                           "last_error": False, "ehf_outgoing_id": False})
        for job in self:
            job._l10n_no_dispatch_post(self.env._("Sending by %(channel)s retried by %(user)s.",
                                                  channel=job._l10n_no_dispatch_channel_label(), user=self.env.user.name))
        self._l10n_no_dispatch_trigger()
        return True

    def action_cancel(self):
        """Button: stop a job that has not gone out yet."""
        self._l10n_no_dispatch_check_sender()
        self.check_access("write")
        if any(job.state not in ("queued", "failed") for job in self):
            raise UserError(self.env._("Only queued or failed jobs can be cancelled."))
        self.sudo().write({"state": "cancelled", "next_attempt": False})
        for job in self:
            job._l10n_no_dispatch_post(self.env._("Sending by %(channel)s cancelled by %(user)s.",
                                                  channel=job._l10n_no_dispatch_channel_label(), user=self.env.user.name))
        return True

    # -------------------------------------------------------------------------
    # Helpers
    # -------------------------------------------------------------------------

    def _l10n_no_dispatch_document(self):
        self.ensure_one()
        return self.letter_id or self.move_id

    def _l10n_no_dispatch_document_active(self):
        """Another job of the same document is on its way."""
        self.ensure_one()
        domain = [("id", "!=", self.id), ("state", "in", ACTIVE_STATES)]
        if self.letter_id:
            domain.append(("letter_id", "=", self.letter_id.id))
        else:
            domain += [("move_id", "=", self.move_id.id), ("letter_id", "=", False)]
        return bool(self.sudo().search_count(domain, limit=1))

    def _l10n_no_dispatch_channel_label(self):
        self.ensure_one()
        return dict(self._fields["channel"]._description_selection(self.env)).get(self.channel) or "?"

    def _l10n_no_dispatch_post(self, body):
        """The same line in the chatter of each job's document (the invoice, or the letter)."""
        self._l10n_no_dispatch_log(dict.fromkeys(self, body))

    @api.model
    def _l10n_no_dispatch_log(self, bodies):
        """``{job: text}``: each text as a note in the chatter of its job's document, one insert per document
        model (``_message_log_batch``): a record of what happened, nobody is notified."""
        by_model = {}
        for job, body in bodies.items():
            document = job._l10n_no_dispatch_document()
            if document:
                by_model.setdefault(document._name, {})[document.id] = body
        for name, texts in by_model.items():
            self.env[name].sudo().browse(list(texts))._message_log_batch(texts)

    @api.model
    def _l10n_no_dispatch_trigger(self):
        cron = self.env.ref("l10n_no_dispatch.ir_cron_l10n_no_dispatch_send", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    # -------------------------------------------------------------------------
    # The cron: claim a batch (FOR UPDATE SKIP LOCKED), send, follow up
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_dispatch_claim(self, states, limit, ehf_only=False):
        """Lock up to ``limit`` due rows; rows another worker holds are skipped, so several workers share
        the queue without sending a document twice. ``ehf_only``: EHF hand-overs still followed."""
        self.flush_model()
        self.env.cr.execute(SQL(
            """
            SELECT id FROM l10n_no_dispatch_job
             WHERE state IN %s AND (next_attempt IS NULL OR next_attempt <= %s)
               AND (%s IS NOT TRUE OR (channel = 'ehf' AND ehf_outgoing_id IS NOT NULL AND next_attempt IS NOT NULL))
             ORDER BY next_attempt NULLS FIRST, id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            tuple(states), fields.Datetime.now(), ehf_only, limit,
        ))
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_l10n_no_dispatch_send(self, batch_size=100):
        """Send what is queued and follow EHF hand-overs, a batch at a time; under the scheduler each batch
        is committed with its progress, so a crash loses at most one batch and another worker may help."""
        if not self.env.su:
            return self.sudo()._cron_l10n_no_dispatch_send(batch_size=batch_size)
        batch_size = max(1, int(batch_size or 100))
        in_cron = bool(self.env.context.get("cron_id"))
        done = 0
        while True:
            batch = self._l10n_no_dispatch_claim(("queued",), batch_size)
            batch._l10n_no_dispatch_send()
            followed = self._l10n_no_dispatch_claim(("sending", "sent"), batch_size, ehf_only=True)
            followed._l10n_no_dispatch_follow()
            done += len(batch)
            remaining = self.search_count([("state", "=", "queued"), ("next_attempt", "<=", fields.Datetime.now())])
            if not (batch or followed):
                remaining = 0  # what is due is locked by another worker: it is that worker's
            if not in_cron:
                break
            time_left = self.env["ir.cron"]._commit_progress(len(batch) + len(followed), remaining=remaining)
            if not (batch or followed) or not remaining or time_left <= 0:
                break
        if remaining:
            self._l10n_no_dispatch_trigger()
        return done

    def _l10n_no_dispatch_send(self):
        """Send each job of this batch by its channel; one broken document never stops the others."""
        with self.env["res.company"]._l10n_no_dispatch_digipost_batch():  # one Digipost client per company
            for job in self:
                try:
                    with self.env.cr.savepoint():
                        job._l10n_no_dispatch_send_one()
                except TransportError as exc:
                    job._l10n_no_dispatch_transport_error(exc)
                except (NofakturaError, UserError, ValueError) as exc:
                    job._l10n_no_dispatch_final_failure(str(exc))
                except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable) as exc:
                    # another transaction held the invoice: try again later, it is not the channel's fault
                    job._l10n_no_dispatch_transport_error(ServiceUnavailable(type(exc).__name__))
                except Exception as exc:  # pylint: disable=broad-exception-caught
                    # A fault in one document's sending (a bug, a broken report) must not stop the batch: the
                    # document goes to its next channel and the fault is logged for the administrator.
                    _logger.exception("Dispatch %s: unexpected error", job.idempotency_key)
                    job._l10n_no_dispatch_final_failure(self.env._("Unexpected error: %(error)s",
                                                                   error=type(exc).__name__))
        return True

    def _l10n_no_dispatch_send_one(self):
        """Hand the document to its channel (implemented per channel in ``_l10n_no_dispatch_send_<channel>``)."""
        self.ensure_one()
        if not self.channel:
            raise UserError(self.env._("No channel."))
        return getattr(self, f"_l10n_no_dispatch_send_{self.channel}")()

    # --- EHF: handed to l10n_no_ehf's own queue -----------------------------------------------------------

    def _l10n_no_dispatch_send_ehf(self):
        """Check the EHF and hand it to l10n_no_ehf's outgoing queue (its idempotency key and access point);
        the job follows that transmission (``_l10n_no_dispatch_follow``) and fails over when it finally fails."""
        move = self.move_id
        if not move or self.letter_id:
            raise UserError(self.env._("Only invoices and credit notes are sent as EHF."))
        if reason := move._l10n_no_ehf_cannot_send_reason():
            raise UserError(reason)
        outgoing = move.l10n_no_ehf_outgoing_ids.filtered(
            lambda o: o.kind == "invoice" and o.state in ("queued", "sent", "delivered"))[:1]
        if not outgoing:
            xml, export_errors = move._l10n_no_ehf_export_xml()
            fatal, findings = move._l10n_no_ehf_run_check(xml, export_errors)
            if fatal:
                raise UserError(self.env._("The EHF check found errors: %(errors)s", errors="; ".join(
                    f"{f['rule']}: {f['message']}" for f in findings if f["flag"] == "fatal")[:1000]))
            outgoing = move._l10n_no_ehf_enqueue(xml)
        self.write({
            "state": "sending",
            "ehf_outgoing_id": outgoing.id,
            "delivery_reference": outgoing.idempotency_key,
            "attempts": self.attempts + 1,
            "next_attempt": fields.Datetime.now() + EHF_POLL,
        })

    def _l10n_no_dispatch_follow(self):
        """Follow EHF hand-overs: the transmission's state becomes the job's; its final failure moves the
        invoice to the next channel."""
        now = fields.Datetime.now()
        for job in self:
            outgoing = job.ehf_outgoing_id
            state = outgoing.state
            if state in ("sent", "delivered"):
                job.write({
                    "state": state,
                    "sent_at": outgoing.sent_at or now,
                    "delivered_at": outgoing.delivered_at if state == "delivered" else False,
                    "delivery_reference": outgoing.message_id or outgoing.idempotency_key,
                    # a sent EHF is looked at again until delivered (the access point's receipt)
                    "next_attempt": now + EHF_POLL if state == "sent" and outgoing.next_try else False,
                    "last_error": False,
                })
            elif state == "failed":
                job._l10n_no_dispatch_final_failure(outgoing.error_message or self.env._("EHF failed"))
            elif state == "cancelled" or not outgoing:
                job.write({"state": "cancelled", "next_attempt": False,
                           "last_error": outgoing.error_message or self.env._("The EHF transmission was cancelled.")})
            else:
                job.next_attempt = now + EHF_POLL
        return True

    # --- Digipost -----------------------------------------------------------------------------------------

    def _l10n_no_dispatch_digipost_message(self):
        """The Digipost message: the PDF, the invoice data (pay from the mailbox), print details when the
        company lets Digipost print for recipients without a mailbox. ``message_id`` is the job's key."""
        document = self._l10n_no_dispatch_document()
        company = self.company_id
        partner = document.partner_id
        recipient = partner._l10n_no_dispatch_digipost_recipient()
        if recipient is None:
            raise UserError(self.env._("%(partner)s has neither an organisation number nor a complete address "
                                       "Digipost can identify.", partner=partner.display_name))
        pdf, _name = self._l10n_no_dispatch_pdf()
        invoice = document._l10n_no_dispatch_invoice_data() if self.move_id and not self.letter_id else None
        subject = (document.display_name or "")[:100]
        print_details = print_if_unread = None
        if company.l10n_no_dispatch_digipost_print:
            address = partner._l10n_no_dispatch_postal_address()
            return_address = company._l10n_no_dispatch_return_address()
            if address and return_address:
                print_details = PrintDetails(recipient=address, return_address=return_address)
                if company.l10n_no_dispatch_digipost_print_unread_days > 0:
                    print_if_unread = PrintIfUnread.after_days(
                        company.l10n_no_dispatch_digipost_print_unread_days, print_details,
                        now=fields.Datetime.now().replace(tzinfo=timezone.utc))
        return Message(
            message_id=self.idempotency_key,
            recipient=recipient,
            primary=Document(pdf, subject, invoice=invoice),
            print_details=print_details,
            print_if_unread=print_if_unread,
            invoice_reference=(document.name or "")[:80] if self.move_id and not self.letter_id else None,
        )

    def _l10n_no_dispatch_send_digipost(self):
        message = self._l10n_no_dispatch_digipost_message()
        try:
            with self.company_id._l10n_no_dispatch_digipost_session() as client:
                delivery = client.send(message)
        except DuplicateSubmission:
            # Digipost has this message id: an earlier attempt got through (its answer was lost).
            self._l10n_no_dispatch_mark("sent", self.delivery_reference or self.idempotency_key,
                                        note=self.env._("already at Digipost"))
            return
        state = {
            MessageStatus.DELIVERED: "delivered",
            MessageStatus.DELIVERED_TO_PRINT: "printed",
        }.get(delivery.status, "sent")
        reference = ", ".join(delivery.document_uuids) or delivery.message_id
        self._l10n_no_dispatch_mark(state, reference, note=self.env._("already at Digipost") if delivery.duplicate else "")

    # --- E-mail: Odoo's own sending ----------------------------------------------------------------------

    def _l10n_no_dispatch_send_email(self):
        """Odoo's Send & Print by e-mail (the invoice's mail template, the PDF attached). The mail is queued in
        this transaction: a failure rolls it back with the job's savepoint, so a retry never mails twice."""
        if self.letter_id:
            return self.letter_id._l10n_no_dispatch_send_email(self)
        move = self.move_id
        if not move.partner_id.email:
            raise UserError(self.env._("%(partner)s has no e-mail address.", partner=move.partner_id.display_name))
        self.env["account.move.send"]._generate_and_send_invoices(move, sending_methods=["email"])
        message = self.env["mail.message"].search([
            ("model", "=", "account.move"), ("res_id", "=", move.id), ("message_type", "=", "comment"),
        ], order="id desc", limit=1)
        self._l10n_no_dispatch_mark("sent", str(message.id or ""))
        return True

    # --- Print house --------------------------------------------------------------------------------------

    def _l10n_no_dispatch_send_print(self):
        """One letter per batch, named by the job's key: a retry writes the same names, and a batch the print
        house already has is recognised (``duplicate``) instead of printed twice."""
        document = self._l10n_no_dispatch_document()
        address = document.partner_id._l10n_no_dispatch_postal_address()
        if address is None:
            raise UserError(self.env._("%(partner)s has no complete postal address.",
                                       partner=document.partner_id.display_name))
        pdf, _name = self._l10n_no_dispatch_pdf()
        house = self.company_id._l10n_no_dispatch_print_house()
        try:
            receipt = house.submit(self.idempotency_key, [PrintJob(self.idempotency_key, pdf, address)])
        finally:
            house.fs.close()
        self._l10n_no_dispatch_mark("printed", receipt.manifest,
                                    note=self.env._("already at the print house") if receipt.duplicate else "")

    def _l10n_no_dispatch_pdf(self):
        self.ensure_one()
        return self._l10n_no_dispatch_document()._l10n_no_dispatch_pdf()

    def _l10n_no_dispatch_mark(self, state, reference, note=""):
        """The channel took the document: record it and say so in the chatter."""
        self.ensure_one()
        now = fields.Datetime.now()
        self.write({
            "state": state,
            "delivery_reference": reference,
            "attempts": self.attempts + 1,
            "sent_at": now,
            "delivered_at": now if state in ("delivered", "printed") else False,
            "last_error": False,
            "next_attempt": False,
        })
        if self.move_id and not self.letter_id and state in ("sent", "delivered", "printed"):
            self.move_id.sudo().is_move_sent = True
        texts = {
            "sent": self.env._("Sent by %(channel)s (%(reference)s)%(note)s."),
            "delivered": self.env._("Delivered by %(channel)s (%(reference)s)%(note)s."),
            "printed": self.env._("Handed to print by %(channel)s (%(reference)s)%(note)s."),
        }
        self._l10n_no_dispatch_post(texts[state] % {
            "channel": self._l10n_no_dispatch_channel_label(), "reference": reference or "?",
            "note": f", {note}" if note else ""})

    def _l10n_no_dispatch_transport_error(self, exc):
        """Retry later only an error that may pass (``TransportError.retryable``); else the channel failed."""
        self.ensure_one()
        attempts = self.attempts + 1
        max_attempts = self.company_id.l10n_no_dispatch_max_attempts or 6
        if exc.retryable and attempts < max_attempts:
            self.write({
                "attempts": attempts,
                "last_error": str(exc),
                "next_attempt": fields.Datetime.now() + backoff_delay(attempts, base=60.0, maximum=6 * 3600.0),
            })
            _logger.info("Dispatch %s: %s, try %d of %d later", self.idempotency_key, type(exc).__name__,
                         attempts + 1, max_attempts)
            return
        self.attempts = attempts
        self._l10n_no_dispatch_final_failure(str(exc))

    def _l10n_no_dispatch_final_failure(self, message):
        """The channel failed for good: the next channel of the chain takes over (a new job, traced in the
        chatter), or nothing is left (failed with the reason, and an activity for the responsible user).
        Returns the new job (or an empty recordset)."""
        self.ensure_one()
        self.write({"state": "failed", "last_error": message, "next_attempt": False})
        document = self._l10n_no_dispatch_document()
        if not self.channel or not document:
            return self.browse()
        failed_label = self._l10n_no_dispatch_channel_label()
        choice = document._l10n_no_dispatch_next_choice(self, message)
        if choice.channel is None:
            reason = self.env._("%(channel)s failed (%(error)s) and no other channel can reach the customer.",
                                channel=failed_label, error=message)
            self._l10n_no_dispatch_nothing_left(reason)
            return self.browse()
        label = dict(self._fields["channel"]._description_selection(self.env))[choice.channel.value]
        reason = self.env._("%(failed)s failed (%(error)s); next: %(channel)s.",
                            failed=failed_label, error=message, channel=label)
        self._l10n_no_dispatch_post(reason)
        return self._l10n_no_dispatch_create(document, choice, reason, previous=self)
