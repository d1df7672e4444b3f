"""Bulk sending: thousands of posted invoices selected in the list, previewed per channel, then queued.

Why a wizard and not a loop in the list action: the user must see, before anything goes out, how many
invoices will take each channel and which ones cannot go anywhere (and why), as Odoo's own batch Send
& Print does with its summary. Queueing is cheap (the cron sends), so the wizard queues everything in one
request; each chunk of invoices is queued in a savepoint and a chunk that fails is retried invoice by
invoice, so one broken invoice never stops the rest and is listed with its reason.
"""

import logging

import psycopg2
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.pdf import merge_pdf

from ..models.l10n_no_dispatch_job import ACTIVE_STATES

_logger = logging.getLogger(__name__)

#: Invoices queued per savepoint; a failing chunk is retried one invoice at a time.
CHUNK_SIZE = 200
#: How many unreachable or failed invoices the preview and the result list by name.
LISTED = 500
CHANNELS = ("ehf", "digipost", "email", "print")
#: Fields only the wizard's own methods write (after their checks).
PROTECTED_FIELDS = frozenset({"state", "queued_count", "failed_count", "result_html"})
#: Job states after which a printed copy is only a copy: the invoice is not marked again.
DONE_STATES = ("sending", "sent", "delivered", "printed")


def check_billing(env):
    """Sending invoices is the billing clerk's job (and the accounting roles', which imply it)."""
    if not env.su and not env.user.has_group("account.group_account_invoice"):
        raise AccessError(env._("Only users who may send invoices can send them by channel."))


class L10nNoDispatchBulk(models.TransientModel):
    _name = "l10n_no_dispatch.bulk"
    _description = "Send invoices by channel"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True,
                                default=lambda self: self._l10n_no_dispatch_default_moves())
    state = fields.Selection([("preview", "Preview"), ("done", "Queued")], default="preview", required=True)
    # --- preview (computed from the invoices and the customers' cached reach) ---
    count_total = fields.Integer("Selected", compute="_compute_preview")
    count_ehf = fields.Integer("EHF", compute="_compute_preview")
    count_digipost = fields.Integer("Digipost", compute="_compute_preview")
    count_email = fields.Integer("E-mail", compute="_compute_preview")
    count_print = fields.Integer("Print", compute="_compute_preview")
    count_none = fields.Integer("No channel", compute="_compute_preview")
    count_not_invoice = fields.Integer("Not a posted customer invoice", compute="_compute_preview")
    count_already = fields.Integer("Already queued or sent", compute="_compute_preview")
    unreachable_html = fields.Html("Cannot be sent", compute="_compute_preview", sanitize=False)
    # --- result of the send ---
    queued_count = fields.Integer("Queued", readonly=True)
    failed_count = fields.Integer("Could not be queued", readonly=True)
    result_html = fields.Html("Result", readonly=True, sanitize=False)
    # --- progress of the queue for these invoices ---
    progress_html = fields.Html("Progress", compute="_compute_progress", sanitize=False)

    def _l10n_no_dispatch_default_moves(self):
        """The invoices selected in the list the wizard was opened from."""
        if self.env.context.get("active_model") != "account.move":
            return self.env["account.move"]
        return self.env["account.move"].browse(self.env.context.get("active_ids") or [])

    def write(self, vals):
        """The result of a send is written by the send only: a user cannot turn a sent wizard back into a
        preview or change its counts (the methods write as superuser after their checks)."""
        if not self.env.su and PROTECTED_FIELDS.intersection(vals):
            raise AccessError(self.env._("The result of a bulk send is written by the send itself."))
        return super().write(vals)

    # ------------------------------------------------------------------------------------------------
    # PREVIEW
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dispatch_classify(self):
        """Split the invoices of the wizard: {"not_invoice": moves, "already": moves, "none": [(move,
        reason)], channel: moves}. The choice uses the customers' cached Peppol and Digipost answers, never a
        lookup per invoice."""
        self.ensure_one()
        moves = self.move_ids._origin if self.move_ids._origin else self.move_ids
        result = {"not_invoice": moves.browse(), "already": moves.browse(), "none": []}
        result.update({channel: moves.browse() for channel in CHANNELS})
        sendable = moves.filtered(lambda m: m.state == "posted" and m.move_type in ("out_invoice", "out_refund"))
        result["not_invoice"] = moves - sendable
        if not sendable:
            return result
        active = self.env["l10n_no_dispatch.job"].sudo().search(
            [("move_id", "in", sendable.ids), ("state", "in", ACTIVE_STATES), ("letter_id", "=", False)])
        result["already"] = moves.browse(active.move_id.ids)
        for move in sendable - result["already"]:
            # cached answers only (refresh=False): the preview never calls Peppol or Digipost; a customer not
            # looked up yet is looked up once when the invoices are queued
            try:
                choice = move._l10n_no_dispatch_choice(refresh=False)
            except Exception as exc:  # noqa: BLE001 - a broken invoice is listed, never stops the preview
                _logger.info("No channel could be chosen for invoice %s", move.id, exc_info=True)
                result["none"].append((move, str(exc) or exc.__class__.__name__))
                continue
            if choice.channel is None:
                result["none"].append((move, move._l10n_no_dispatch_describe(choice)))
            else:
                result[choice.channel.value] |= move
        return result

    @api.depends("move_ids")
    def _compute_preview(self):
        for wizard in self:
            split = wizard._l10n_no_dispatch_classify()
            wizard.count_total = len(wizard.move_ids)
            for channel in CHANNELS:
                wizard[f"count_{channel}"] = len(split[channel])
            wizard.count_none = len(split["none"])
            wizard.count_not_invoice = len(split["not_invoice"])
            wizard.count_already = len(split["already"])
            rows = [(move, reason) for move, reason in split["none"]]
            rows += [(move, self.env._("Not a posted customer invoice or credit note.")) for move in split["not_invoice"]]
            wizard.unreachable_html = wizard._l10n_no_dispatch_rows_html(rows)

    def _l10n_no_dispatch_rows_html(self, rows):
        if not rows:
            return False
        items = Markup("").join(
            Markup("<li><b>%s</b> (%s): %s</li>") % (move.name or move.display_name, move.partner_id.display_name or "-", reason)
            for move, reason in rows[:LISTED]
        )
        more = Markup("")
        if len(rows) > LISTED:
            more = Markup("<p>%s</p>") % self.env._("… and %(count)s more", count=len(rows) - LISTED)
        return Markup("<ul>%s</ul>%s") % (items, more)

    # ------------------------------------------------------------------------------------------------
    # SEND
    # ------------------------------------------------------------------------------------------------

    def action_send(self):
        """Queue every invoice that has a channel; list those that failed. Returns the wizard again,
        showing the result and the queue's progress."""
        self.ensure_one()
        check_billing(self.env)
        if self.state != "preview":
            raise UserError(self.env._("These invoices were queued already: open the queue to follow them."))
        self.move_ids.check_access("read")
        split = self._l10n_no_dispatch_classify()
        # the unreachable ones too: they get a failed job with the reason and an activity (the core's rule)
        todo = self.move_ids - split["not_invoice"] - split["already"]
        jobs, failed = self._l10n_no_dispatch_queue(todo)
        unreachable = jobs.filtered(lambda j: j.state == "failed")
        rows = failed + [(job.move_id, job.last_error or job.reason) for job in unreachable]
        self.sudo().write({
            "state": "done",
            "queued_count": len(jobs - unreachable),
            "failed_count": len(rows),
            "result_html": self._l10n_no_dispatch_rows_html(rows),
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Send by channel"),
        }

    def _l10n_no_dispatch_queue(self, moves):
        """Queue ``moves`` by their chosen channel, chunk by chunk, each chunk in a savepoint; a chunk that
        fails is redone invoice by invoice so only the broken invoice is left out.
        Returns (jobs, [(move, reason)])."""
        jobs, failed = self.env["l10n_no_dispatch.job"], []
        for start in range(0, len(moves), CHUNK_SIZE):
            chunk = moves[start:start + CHUNK_SIZE]
            try:
                with self.env.cr.savepoint():
                    chunk_jobs = chunk._l10n_no_dispatch_enqueue()
                jobs |= chunk_jobs
                continue
            except Exception:  # noqa: BLE001 - retried one by one below, each failure recorded
                _logger.info("A chunk of invoices could not be queued at once: queueing them one by one")
            for move in chunk:
                try:
                    with self.env.cr.savepoint():
                        move_jobs = move._l10n_no_dispatch_enqueue()
                    jobs |= move_jobs
                except Exception as exc:  # noqa: BLE001 - one broken invoice never stops the rest
                    _logger.info("Invoice %s could not be queued for sending", move.id, exc_info=True)
                    failed.append((move, str(exc) or exc.__class__.__name__))
        return jobs, failed

    # ------------------------------------------------------------------------------------------------
    # PROGRESS
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dispatch_job_counts(self):
        """{state: count} of the queue's jobs for the wizard's invoices (the latest per invoice and channel)."""
        self.ensure_one()
        groups = self.env["l10n_no_dispatch.job"]._read_group(
            [("move_id", "in", self.move_ids.ids)], ["state"], ["__count"]
        )
        return dict(groups)

    @api.depends("state", "move_ids")
    def _compute_progress(self):
        labels = dict(self.env["l10n_no_dispatch.job"]._fields["state"]._description_selection(self.env))
        for wizard in self:
            if wizard.state != "done" or not wizard.id:
                wizard.progress_html = False
                continue
            counts = wizard._l10n_no_dispatch_job_counts()
            wizard.progress_html = Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li>%s: <b>%s</b></li>") % (labels.get(state, state), counts[state])
                for state in labels if counts.get(state)
            ) if counts else escape(self.env._("Nothing queued."))

    def action_open_jobs(self):
        """The queue's jobs of these invoices, grouped by state: the progress of the bulk send."""
        self.ensure_one()
        title = self.env._("Sending progress")
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "l10n_no_dispatch.job",
            "view_mode": "list,form",
            "domain": [("move_id", "in", self.move_ids.ids)],
            "context": {"group_by": ["state"]},
        }

    # ------------------------------------------------------------------------------------------------
    # MANUAL PRINT (one merged PDF for printing and posting in-house)
    # A printed invoice went out by paper, so it counts as sent (and is never sent again by another
    # channel), exactly like one the print house took. Printing again is harmless: the PDF is made again
    # for download, but an invoice already printed (or sent by another channel) gets no second job and
    # no second chatter line.
    # ------------------------------------------------------------------------------------------------

    def action_print(self):
        """"Print for posting": one PDF of the wizard's invoices, each marked as sent by print once.
        Returns the download of the merged PDF."""
        self.ensure_one()
        check_billing(self.env)
        moves = self.move_ids
        if not moves:
            raise UserError(self.env._("Select the invoices to print."))
        moves.check_access("read")
        wrong = moves.filtered(lambda m: m.state != "posted" or m.move_type not in ("out_invoice", "out_refund"))
        if wrong:
            raise UserError(self.env._(
                "Only posted customer invoices and credit notes are printed for posting; not: %(names)s.",
                names=", ".join(wrong[:10].mapped("display_name")),
            ))
        pdf = self._l10n_no_dispatch_merged_pdf(moves)
        self._l10n_no_dispatch_mark_printed(moves)
        attachment = self.env["ir.attachment"].create({
            "name": self.env._("Invoices to post (%(count)s).pdf", count=len(moves)),
            "raw": pdf,
            "mimetype": "application/pdf",
        })
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def _l10n_no_dispatch_merged_pdf(self, moves):
        """The invoice PDFs of ``moves``, in this order, as one PDF: the PDF Odoo keeps for an invoice (the one
        the customer got) when there is one, else Odoo's invoice report rendered for it. One invoice per
        rendering: wkhtmltopdf without patched Qt cannot render several documents at once, and a page
        break or header of one invoice never leaks into the next."""
        report = self.env.ref("account.account_invoices")
        parts = []
        for move in moves:
            stored = move.invoice_pdf_report_id.raw if move.invoice_pdf_report_id else b""
            if stored and stored.startswith(b"%PDF-"):
                parts.append(stored)
                continue
            content, kind = self.env["ir.actions.report"]._render_qweb_pdf(report, move.ids)
            if kind != "pdf" or not content.startswith(b"%PDF-"):
                raise UserError(self.env._("No PDF could be made of %(name)s (is wkhtmltopdf installed?).",
                                           name=move.display_name))
            parts.append(content)
        return parts[0] if len(parts) == 1 else merge_pdf(parts)

    def _l10n_no_dispatch_mark_printed(self, moves):
        """A job in state printed per invoice not yet sent: queued or failed jobs of the invoice are
        cancelled (the paper copy replaces them); an invoice already printed or sent stays as it is.
        Returns the new jobs."""
        Job = self.env["l10n_no_dispatch.job"].sudo()
        jobs = Job.search([("move_id", "in", moves.ids), ("letter_id", "=", False)])
        if jobs:
            # the cron holds the row of a job it is sending: wait for nobody, and read the states after locking
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(SQL("SELECT id FROM l10n_no_dispatch_job WHERE id IN %s FOR UPDATE NOWAIT",
                                            tuple(jobs.ids)))
            except psycopg2.errors.LockNotAvailable:
                raise UserError(self.env._(
                    "Some of these invoices are being sent right now; print them again in a minute.")) from None
            jobs.invalidate_recordset(["state"])
        done = jobs.filtered(lambda j: j.state in DONE_STATES).move_id
        to_mark = moves - done
        replaced = jobs.filtered(lambda j: j.state in ("queued", "failed") and j.move_id in to_mark)
        replaced.write({"state": "cancelled", "next_attempt": False})
        reason = self.env._("Printed in-house for posting by %(user)s.", user=self.env.user.name)
        now = fields.Datetime.now()
        vals_list = [{
            "company_id": move.company_id.id,
            "move_id": move.id,
            "partner_id": move.partner_id.id,
            "channel": "print",
            "state": "printed",
            "reason": reason,
            "idempotency_key": Job._l10n_no_dispatch_key(move, move.company_id),
            "sent_at": now,
            "delivered_at": now,
        } for move in to_mark]
        new_jobs = Job.create(vals_list)
        if to_mark:
            body = self.env._("Printed in-house for posting by %(user)s: counts as sent by print.",
                              user=self.env.user.name)
            to_mark._message_log_batch(bodies=dict.fromkeys(to_mark.ids, body))
        return new_jobs
