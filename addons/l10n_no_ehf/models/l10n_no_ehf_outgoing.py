import logging
from datetime import timedelta

from nofaktura.exceptions import (
    AuthenticationFailed,
    DuplicateSubmission,
    LookupFailed,
    NofakturaError,
    RateLimited,
    RecipientRejected,
    ServiceUnavailable,
    TransportError,
    TransportTimeout,
)
from nofaktura.messages import text as nf_text
from nofaktura.peppol.ids import (
    BILLING_PROCESS,
    INVOICE_RESPONSE,
    INVOICE_RESPONSE_PROCESS,
    ParticipantId,
    document_type_for_root,
)
from nofaktura.peppol.transports import DeliveryState, OutgoingDocument
from nofaktura.peppol.transports.retry import backoff_delay

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

#: The one table of error codes: code -> (label, may pass when tried later)
ERROR_CODES = {
    "timeout": ("The access point did not answer in time", True),
    "unavailable": ("The access point is unavailable", True),
    "rate_limited": ("The access point asks us to slow down", True),
    "auth": ("The access point refused our credentials", False),
    "rejected": ("The access point rejected the document", False),
    "delivery_failed": ("The document could not be delivered to the customer", False),
    "config": ("EHF sending is not configured correctly", False),
    "unknown": ("Unexpected error", False),
}
STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
STATUS_POLL = timedelta(minutes=30)
STATUS_GIVE_UP = timedelta(days=7)


def error_code_for(exc):
    """Our error code for a library exception (most specific first)."""
    for cls, code in (
        (RateLimited, "rate_limited"),
        (TransportTimeout, "timeout"),
        (LookupFailed, "timeout"),
        (ServiceUnavailable, "unavailable"),
        (AuthenticationFailed, "auth"),
        (RecipientRejected, "rejected"),
    ):
        if isinstance(exc, cls):
            return code
    if isinstance(exc, TransportError):
        return "unavailable" if exc.retryable else "unknown"
    return "config"


class L10nNoEhfOutgoing(models.Model):
    """One EHF document on its way to the access point: a small state machine.

    queued → sent → delivered, or → failed (with an error code from ``ERROR_CODES``). Only codes that
    may pass later are retried, with exponential backoff (``next_try``). The idempotency key is unique
    per invoice and version, and passed to the access point, so a retry never sends twice; at most one
    transmission per invoice is active at a time.
    """

    _name = "l10n_no_ehf.outgoing"
    _description = "EHF transmission"
    _order = "id desc"
    _rec_name = "idempotency_key"
    _check_company_auto = True

    move_id = fields.Many2one("account.move", required=True, ondelete="cascade", index=True, readonly=True, check_company=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    access_point_id = fields.Many2one("l10n_no_ehf.access.point", readonly=True, check_company=True)
    kind = fields.Selection(
        [("invoice", "Invoice / credit note"), ("response", "Invoice Response")],
        required=True, default="invoice", readonly=True,
    )
    state = fields.Selection(STATES, required=True, default="queued", index=True, readonly=True)
    error_code = fields.Selection([(code, label) for code, (label, _retry) in ERROR_CODES.items()], readonly=True)
    error_message = fields.Text(readonly=True)
    attempts = fields.Integer(readonly=True)
    next_try = fields.Datetime(readonly=True, index=True)
    version = fields.Integer(required=True, default=1, readonly=True)
    idempotency_key = fields.Char(required=True, readonly=True, copy=False)
    message_id = fields.Char(string="Message id at the access point", readonly=True, copy=False)
    sender = fields.Char(readonly=True)
    receiver = fields.Char(readonly=True)
    document_type = fields.Char(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Document", readonly=True)
    sent_at = fields.Datetime(readonly=True)
    delivered_at = fields.Datetime(readonly=True)

    _idempotency_key_uniq = models.UniqueIndex("(idempotency_key)", "An EHF transmission with this key exists.")
    _one_active_per_move = models.UniqueIndex(
        "(move_id, kind) WHERE state IN ('queued', 'sent', 'delivered')",
        "This document already has an active EHF transmission.",
    )

    # -------------------------------------------------------------------------
    # Only our code writes transmissions
    # -------------------------------------------------------------------------

    def _l10n_no_ehf_check_direct_write(self):
        """A transmission says what goes to whom and how far it got; the cron sends it with full
        rights. So it is created and changed only by this module's methods (which check the caller
        and then work as superuser), never by a direct create/write (XML-RPC, import, a form)."""
        if not self.env.su:
            raise AccessError(self.env._(
                "EHF transmissions are changed only by the EHF actions (send, retry, send by e-mail)."
            ))

    @api.model_create_multi
    def create(self, vals_list):
        self._l10n_no_ehf_check_direct_write()
        return super().create(vals_list)

    def write(self, vals):
        self._l10n_no_ehf_check_direct_write()
        return super().write(vals)

    # -------------------------------------------------------------------------
    # Queueing
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_ehf_enqueue(self, move, xml, kind="invoice", receiver=None):
        """Queue ``xml`` for ``move``. If a transmission of this kind is already queued, sent or
        delivered, it is returned and nothing new is queued (no document goes twice)."""
        # The caller must be allowed to change the document it sends (or be our own code as superuser).
        move.check_access("write")
        active = self.search([("move_id", "=", move.id), ("kind", "=", kind), ("state", "in", ("queued", "sent", "delivered"))], limit=1)
        if active:
            return active
        # Rights checked above; the transmission itself is written as superuser (see create/write).
        return self.sudo()._l10n_no_ehf_create_transmission(move, xml, kind, receiver).with_env(self.env)

    @api.model
    def _l10n_no_ehf_create_transmission(self, move, xml, kind, receiver):
        company = move.company_id
        access_point = company._l10n_no_ehf_access_point()
        if not access_point:
            raise UserError(self.env._("No EHF access point is configured for %(company)s.", company=company.name))
        previous = self.with_context(active_test=False).search([("move_id", "=", move.id), ("kind", "=", kind)], order="version desc", limit=1)
        version = previous.version + 1 if previous else 1
        sender = company._l10n_no_ehf_participant()
        if receiver is None:
            participant = move.commercial_partner_id._l10n_no_ehf_participant()
            receiver = str(participant) if participant else False
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8]
        prefix = "ir" if kind == "response" else "inv"
        key = f"{db_uuid}-{prefix}-{move.id}-v{version}"
        filename = f"{move.name or move.id}-{prefix}-v{version}.xml".replace("/", "_")
        record = self.create({
            "move_id": move.id,
            "access_point_id": access_point.id,
            "kind": kind,
            "version": version,
            "idempotency_key": key,
            "sender": str(sender) if sender else False,
            "receiver": receiver,
            "document_type": INVOICE_RESPONSE if kind == "response" else False,
            "next_try": fields.Datetime.now(),
        })
        record.attachment_id = self.env["ir.attachment"].create({
            "name": filename,
            "raw": xml,
            "mimetype": "application/xml",
            "res_model": self._name,
            "res_id": record.id,
        })
        if kind == "invoice":
            move.message_post(body=self.env._("EHF queued for %(receiver)s through %(ap)s.", receiver=receiver, ap=access_point.name))
        self._l10n_no_ehf_trigger()
        return record

    def _l10n_no_ehf_check_attachment(self):
        """The document to send is the one queued for this invoice, in this company: nothing else
        (another record's file, another company's) ever goes out under this transmission."""
        for record in self.sudo():
            attachment = record.attachment_id
            if (
                not attachment
                or attachment.res_model != record._name
                or attachment.res_id != record.id
                or (attachment.company_id and attachment.company_id != record.company_id)
                or (record.access_point_id and record.access_point_id.company_id != record.company_id)
            ):
                raise UserError(self.env._(
                    "The document of EHF transmission %(key)s does not belong to it; it is not sent.",
                    key=record.idempotency_key,
                ))

    def _l10n_no_ehf_requeue(self):
        """A person retries a failed transmission: same key, so the access point can refuse a double."""
        if any(record.state != "failed" for record in self):
            raise UserError(self.env._("Only failed transmissions can be retried."))
        self.move_id.check_access("write")
        self._l10n_no_ehf_check_attachment()
        self.sudo().write({"state": "queued", "attempts": 0, "next_try": fields.Datetime.now(), "error_code": False})
        for record in self:
            record.move_id.message_post(body=self.env._("EHF retry requested by %(user)s.", user=self.env.user.name))

    @api.model
    def _l10n_no_ehf_trigger(self):
        cron = self.env.ref("l10n_no_ehf.ir_cron_l10n_no_ehf_send", raise_if_not_found=False)
        if cron:
            cron._trigger()

    # -------------------------------------------------------------------------
    # The cron: claim a batch (FOR UPDATE SKIP LOCKED), send, poll status
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_ehf_claim(self, states, limit):
        """Lock up to ``limit`` due rows; rows another worker holds are skipped, so several
        workers (and servers) share the queue without sending a document twice."""
        self.flush_model()
        self.env.cr.execute(SQL(
            """
            SELECT id FROM l10n_no_ehf_outgoing
             WHERE state IN %s AND (next_try IS NULL OR next_try <= %s)
             ORDER BY next_try NULLS FIRST, id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            tuple(states), fields.Datetime.now(), limit,
        ))
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_l10n_no_ehf_send(self, batch_size=50):
        """Send what is queued and poll what was sent, a batch at a time."""
        if "lang" not in self.env.context:  # a cron has no language: write notes in the company's
            return self.with_context(lang=self.env.company.partner_id.lang or self.env.user.lang)._cron_l10n_no_ehf_send(batch_size=batch_size)
        if not self.env.su:
            # Called from code with a user's rights (tests, a manual run): the cron's own rights.
            return self.sudo()._cron_l10n_no_ehf_send(batch_size=batch_size)
        in_cron = bool(self.env.context.get("cron_id"))
        while True:
            batch = self._l10n_no_ehf_claim(("queued",), batch_size)
            batch._l10n_no_ehf_send()
            polled = self._l10n_no_ehf_claim(("sent",), batch_size)
            polled._l10n_no_ehf_poll_status()
            remaining = self.search_count([("state", "=", "queued"), ("next_try", "<=", fields.Datetime.now())])
            if not (batch or polled):
                # Everything due is locked by another worker that is sending it (or hangs on it until the
                # server's time limit ends it): it is that worker's, or the next regular run's. Reporting
                # it as remaining would make the scheduler start this job again at once, in a busy loop.
                remaining = 0
            if not in_cron:
                break
            time_left = self.env["ir.cron"]._commit_progress(len(batch) + len(polled), remaining=remaining)
            if not (batch or polled) or not remaining or time_left <= 0:
                break
        if remaining:
            self._l10n_no_ehf_trigger()

    def _l10n_no_ehf_document(self):
        self.ensure_one()
        content = self.attachment_id.raw
        if self.kind == "response":
            document_type, process = INVOICE_RESPONSE, INVOICE_RESPONSE_PROCESS
        else:
            root = "CreditNote" if self.move_id.move_type == "out_refund" else "Invoice"
            document_type, process = document_type_for_root(root), BILLING_PROCESS
        return OutgoingDocument(
            content=content,
            sender=ParticipantId.parse(self.sender or ""),
            receiver=ParticipantId.parse(self.receiver or ""),
            document_type=document_type,
            idempotency_key=self.idempotency_key,
            process=process,
            filename=self.attachment_id.name,
        )

    def _l10n_no_ehf_send(self):
        for access_point in self.access_point_id:
            records = self.filtered(lambda r: r.access_point_id == access_point)
            try:
                transport = access_point._l10n_no_ehf_transport()
            except (UserError, NofakturaError) as exc:
                records._l10n_no_ehf_fail("config", nf_text(exc, self.env.lang))
                continue
            with transport:
                for record in records:
                    record._l10n_no_ehf_send_one(transport)
        self.filtered(lambda r: not r.access_point_id)._l10n_no_ehf_fail("config", self.env._("No access point."))

    def _l10n_no_ehf_send_one(self, transport):
        self.ensure_one()
        move = self.move_id
        if self.kind == "invoice" and (move.company_id._l10n_no_ehf_odoo_peppol_active() or move._l10n_no_ehf_odoo_peppol_handles()):
            self.write({"state": "cancelled", "error_message": self.env._("Odoo's own Peppol service handles this invoice.")})
            move.message_post(body=self.env._("EHF through our access point cancelled: Odoo's Peppol service sends this invoice."))
            return
        try:
            self._l10n_no_ehf_check_attachment()
            document = self._l10n_no_ehf_document()
        except (NofakturaError, ValueError, UserError) as exc:
            self._l10n_no_ehf_fail("config", nf_text(exc, self.env.lang))
            return
        try:
            receipt = transport.send(document)
        except DuplicateSubmission as exc:
            # The access point already has this key: it was sent by an earlier attempt.
            self._l10n_no_ehf_mark_sent(exc.message_id or self.message_id or "", note=self.env._("already at the access point"))
            return
        except TransportError as exc:
            self._l10n_no_ehf_transport_error(exc)
            return
        self._l10n_no_ehf_mark_sent(receipt.message_id, note=self.env._("already at the access point") if receipt.duplicate else "")

    def _l10n_no_ehf_mark_sent(self, message_id, note=""):
        self.ensure_one()
        now = fields.Datetime.now()
        self.write({
            "state": "sent",
            "message_id": message_id,
            "sent_at": now,
            "attempts": self.attempts + 1,
            "error_code": False,
            "error_message": False,
            "next_try": now + STATUS_POLL,
        })
        if self.kind == "invoice":
            self.move_id.message_post(body=self.env._(
                "EHF sent to %(receiver)s through %(ap)s (message %(message)s)%(note)s.",
                receiver=self.receiver, ap=self.access_point_id.name, message=message_id or "?",
                note=f", {note}" if note else "",
            ))

    def _l10n_no_ehf_transport_error(self, exc):
        self.ensure_one()
        code = error_code_for(exc)
        attempts = self.attempts + 1
        max_attempts = self.access_point_id.max_attempts or 6
        if exc.retryable and attempts < max_attempts:
            delay = backoff_delay(attempts, base=60.0, maximum=6 * 3600.0)
            self.write({
                "attempts": attempts,
                "error_code": code,
                "error_message": nf_text(exc, self.env.lang),
                "next_try": fields.Datetime.now() + delay,
            })
            _logger.info("EHF %s: %s, try %d of %d later", self.idempotency_key, code, attempts + 1, max_attempts)
            return
        self.attempts = attempts
        self._l10n_no_ehf_fail(code, nf_text(exc, self.env.lang))

    def _l10n_no_ehf_fail(self, code, message):
        for record in self:
            record.write({"state": "failed", "error_code": code, "error_message": message, "next_try": False})
            record.move_id.message_post(body=self.env._(
                "EHF could not be sent: %(label)s. %(message)s You can retry or send it by e-mail.",
                label=dict(record._fields["error_code"]._description_selection(self.env))[code],
                message=message,
            ))

    def _l10n_no_ehf_poll_status(self):
        for access_point in self.access_point_id:
            records = self.filtered(lambda r: r.access_point_id == access_point)
            try:
                transport = access_point._l10n_no_ehf_transport()
            except (UserError, NofakturaError):
                continue
            with transport:
                for record in records:
                    record._l10n_no_ehf_poll_one(transport)

    def _l10n_no_ehf_poll_one(self, transport):
        self.ensure_one()
        now = fields.Datetime.now()
        if not self.message_id:
            self.next_try = False
            return
        try:
            status = transport.status(self.message_id)
        except TransportError as exc:
            self.write({"next_try": now + STATUS_POLL, "error_message": nf_text(exc, self.env.lang)})
            return
        if status.state is DeliveryState.DELIVERED:
            self.write({"state": "delivered", "delivered_at": now, "next_try": False, "error_message": False})
            if self.kind == "invoice":
                self.move_id.message_post(body=self.env._("EHF delivered to %(receiver)s.", receiver=self.receiver))
        elif status.state is DeliveryState.FAILED:
            self._l10n_no_ehf_fail("delivery_failed", status.detail or "")
        elif self.sent_at and now - self.sent_at > STATUS_GIVE_UP:
            self.next_try = False  # stays "sent"; the access point never confirmed
        else:
            self.next_try = now + STATUS_POLL
