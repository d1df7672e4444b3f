import logging
from datetime import timedelta

from markupsafe import Markup
from nofaktura.dunning import StepKind, letters, plan
from nofaktura.messages import text as nf_text

from odoo import api, fields, models, modules, tools
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date, split_every
from odoo.tools.misc import get_lang
from odoo.tools.safe_eval import safe_eval, time

from .dunning_access import check_accountant, check_protected_fields
from .l10n_no_dunning_level import STEP_KINDS

_logger = logging.getLogger(__name__)

# inkassoloven § 9 / § 3a: an inkassovarsel or betalingsoppfordring by e-mail must reach the debtor
# "på betryggende måte"; an address the debtor used with us within this many days counts as such.
EMAIL_RECENTLY_USED_DAYS = 365
LEGAL_NOTICE_KINDS = ("inkassovarsel", "betalingsoppfordring")
#: Fields of a letter only the dunning actions change (see dunning_access); a user may change the
#: channel and the warning of a proposed letter.
PROTECTED_LETTER_FIELDS = (
    "run_id", "company_id", "currency_id", "partner_id", "level_id", "kind", "state", "drop_reason",
    "deadline", "fee", "interest", "compensation", "principal", "total", "item_ids", "fee_move_id",
    "attachment_id", "delivery_state", "delivered_on", "delivery_error", "mail_message_id", "delivery_attempts",
)
#: Notification states of an e-mail that never reached the customer.
FAILED_NOTIFICATION_STATES = ("exception", "bounce")
#: The mail server could not be reached or refused the connection: worth retrying. Anything else (a
#: refused recipient, a bounce, a bad address) is not retried by itself: a person looks at the address.
RETRIED_FAILURE_TYPES = ("mail_smtp",)
#: How many times an e-mail letter is handed to the mail server before a person must act.
EMAIL_ATTEMPTS = 3
#: Letters rendered by one wkhtmltopdf process when a batch is confirmed (one process per letter cost
#: about 1.2 s each; see benchmarks/dunning_odoo.py).
PDF_BATCH_SIZE = 50
#: Key in the cursor's cache (``cr.cache``) of the e-mails of the letters being sent, rendered together
#: (``_l10n_no_dunning_prepare_emails``) and each taken by its letter's delivery.
PREPARED_EMAILS = "l10n_no_dunning.prepared_emails"


def format_percent(env, rate, lang_code=None):
    """A rate as people of ``lang_code`` (default: the user's) write it: "12,00 %" in Bokmål, "12.00 %" in
    English (a space before the sign, as in Norwegian typesetting)."""
    lang = env["res.lang"].browse(get_lang(env, lang_code).id)
    return f"{lang.format('%.2f', float(rate), grouping=True)} %"


def format_rates(env, stored, lang_code=None):
    """The stored rates of an item ("12.25 % / 12.00 %", the library's decimal point) in ``lang_code``."""
    parts = [part.replace("%", "").strip() for part in (stored or "").split("/")]
    return " / ".join(format_percent(env, part, lang_code) for part in parts if part)


def item_values(decision, level, currency):
    """Item field values from a library decision (Decimal → float once, at the boundary)."""
    result = decision.interest
    return {
        "move_id": decision.claim.id,
        "level_id": level.id,
        "step_index": decision.step_index,
        "kind": decision.step.kind.value,
        "date": decision.date,
        "due_date": decision.claim.due_date,
        "open_amount": float(decision.claim.open_amount),
        "fee": float(decision.fee),
        "interest": float(result.amount) if result else 0.0,
        "interest_from": result.start if result and result.days else False,
        "interest_to": result.end if result and result.days else False,
        "interest_rate": " / ".join(f"{part.rate} %" for part in result.parts) if result else False,
        "compensation": float(decision.compensation),
        "deadline": decision.deadline or False,
        "note": "\n".join(decision.notes) or False,
    }


class L10nNoDunningLetter(models.Model):
    """One dunning document to one customer in one run, listing all its claims at that step."""

    _name = "l10n_no.dunning.letter"
    _description = "Dunning letter"
    _inherit = ["mail.thread"]
    _order = "run_id desc, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    run_id = fields.Many2one("l10n_no.dunning.run", required=True, index=True, ondelete="cascade", check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, help="The company currency: only it is dunned.")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, check_company=True)
    date = fields.Date(related="run_id.date", store=True)
    level_id = fields.Many2one("l10n_no.dunning.level", required=True, check_company=True)
    kind = fields.Selection(STEP_KINDS, required=True)
    channel = fields.Selection(
        [("email", "E-mail"), ("post", "Post"), ("agency", "Debt-collection agency")],
        required=True,
        tracking=True,
    )
    state = fields.Selection(
        [("proposed", "Proposed"), ("sent", "Sent"), ("dropped", "Dropped"), ("cancel", "Cancelled")],
        default="proposed",
        required=True,
        index=True,
        tracking=True,
    )
    warning = fields.Text(help="Why this letter may not satisfy the law as planned (e.g. e-mail channel).")
    drop_reason = fields.Text()
    deadline = fields.Date()
    fee = fields.Monetary(currency_field="currency_id")
    interest = fields.Monetary(currency_field="currency_id")
    compensation = fields.Monetary(currency_field="currency_id", string="B2B compensation")
    principal = fields.Monetary(currency_field="currency_id", readonly=True)
    total = fields.Monetary(currency_field="currency_id", readonly=True)
    item_ids = fields.One2many("l10n_no.dunning.item", "letter_id", string="Invoices")
    fee_move_id = fields.Many2one("account.move", string="Fee invoice", readonly=True, copy=False, check_company=True)
    attachment_id = fields.Many2one("ir.attachment", string="Letter PDF", readonly=True, copy=False)
    delivery_state = fields.Selection(
        [("pending", "Going out"), ("delivered", "Delivered"), ("failed", "Delivery failed")],
        readonly=True, copy=False, tracking=True, index="btree_not_null",
        help="A letter whose delivery failed does not count as sent: the planner ignores it until it is "
        "resent by e-mail or marked as posted on paper.",
    )
    delivered_on = fields.Date(
        readonly=True, copy=False,
        help="The day the letter actually went out (e-mail accepted by the mail server, or marked as posted); "
        "the law's waiting periods run from it.",
    )
    delivery_error = fields.Text(readonly=True, copy=False)
    mail_message_id = fields.Many2one("mail.message", string="E-mail", readonly=True, copy=False, index="btree_not_null")
    delivery_attempts = fields.Integer(string="E-mail attempts", readonly=True, copy=False)

    # EXTENDS base
    def write(self, vals):
        check_protected_fields(self, vals, PROTECTED_LETTER_FIELDS)
        if {"channel", "warning"} & set(vals) and not self.env.su and any(l.state != "proposed" for l in self):
            raise UserError(self.env._("Only a proposed letter can change its channel."))
        return super().write(vals)

    @api.depends("run_id.name", "partner_id.name", "partner_id.lang", "kind")
    def _compute_name(self):
        # The name is the letter's title for the customer too (PDF and mail attachment): the kind in
        # the customer's language.
        for letter in self:
            env = letter.with_context(lang=letter.partner_id.lang or self.env.lang).env
            kinds = dict(self._fields["kind"]._description_selection(env))
            letter.name = f"{letter.run_id.name or ''} – {letter.partner_id.name or ''} ({kinds.get(letter.kind, '')})"

    # ------------------------------------------------------------------------------------------------
    # CHANNEL CHECKS
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _l10n_no_dunning_channel(self, level, partner, today):
        """(channel, warning) for a letter of ``level`` to ``partner``."""
        if level.kind == "handover":
            return "agency", False
        if level.channel != "email":
            return level.channel, False
        if not partner.email:
            return "post", self.env._("The customer has no e-mail address: the letter goes by post.")
        if level.kind in LEGAL_NOTICE_KINDS and not self._l10n_no_dunning_email_trusted(partner, today):
            return "email", self.env._(
                "The %(kind)s goes by e-mail to %(email)s, an address the customer has not confirmed or used "
                "with us: inkassoloven § 9 and § 3a require delivery 'på betryggende måte'. Send it by post "
                "or confirm the address on the customer.",
                kind=dict(self._fields["kind"]._description_selection(self.env))[level.kind],
                email=partner.email,
            )
        return "email", False

    @api.model
    def _l10n_no_dunning_email_trusted(self, partner, today):
        email = (partner.email or "").strip().lower()
        if email and email == (partner.l10n_no_dunning_notice_email or "").strip().lower():
            return True
        since = fields.Datetime.to_datetime(today - timedelta(days=EMAIL_RECENTLY_USED_DAYS))
        return bool(self.env["mail.message"].sudo().search_count([
            ("author_id", "child_of", partner.id),
            ("email_from", "ilike", email),
            ("message_type", "=", "email"),
            ("date", ">=", since),
        ], limit=1))

    def action_l10n_no_dunning_set_post(self):
        self.filtered(lambda l: l.state == "proposed" and l.channel == "email").write(
            {"channel": "post", "warning": False}
        )
        return True

    def action_drop(self):
        self.check_access("write")
        proposed = self.filtered(lambda l: l.state == "proposed")
        proposed.item_ids.sudo().write({"state": "dropped"})
        proposed.sudo().write({"state": "dropped", "drop_reason": self.env._("Dropped by %(user)s.", user=self.env.user.name)})
        return True

    # ------------------------------------------------------------------------------------------------
    # DELIVERY
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dunning_on_notifications(self, notifications):
        """Follow the e-mail of sent letters: accepted by the server → delivered that day; refused or
        bounced → failed (shown on the letter and its run, and no longer counted as a step taken)."""
        messages = notifications.mail_message_id.filtered(lambda m: m.model == self._name)
        if not messages:
            return True
        letters = self.sudo().search([("mail_message_id", "in", messages.ids), ("state", "=", "sent")])
        today = fields.Date.context_today(self)
        for letter in letters:
            mine = notifications.filtered(
                lambda n, l=letter: n.mail_message_id == l.mail_message_id and n.res_partner_id == l.partner_id
            )
            failed = mine.filtered(lambda n: n.notification_status in FAILED_NOTIFICATION_STATES)
            if failed:
                first = failed[:1]
                reason = first.format_failure_reason() or first.failure_type or ""
                if first.failure_reason and first.failure_reason not in reason:
                    reason = f"{reason}: {first.failure_reason}" if reason else first.failure_reason
                letter._l10n_no_dunning_delivery_failed(reason)
            elif mine.filtered(lambda n: n.notification_status == "sent") and letter.delivery_state == "pending":
                letter.write({"delivery_state": "delivered", "delivered_on": today, "delivery_error": False})
        return True

    def _l10n_no_dunning_delivery_failed(self, reason):
        for letter in self.filtered(lambda l: l.delivery_state != "failed"):
            letter.sudo().write({"delivery_state": "failed", "delivered_on": False, "delivery_error": reason})
            letter.run_id.sudo().message_post(body=self.env._(
                "The letter to %(customer)s could not be delivered by e-mail (%(reason)s). It does not count as "
                "sent: resend it by e-mail or print and post it and mark it as posted.",
                customer=letter.partner_id.display_name,
                reason=reason or "-",
            ))
        return True

    @api.model
    def _cron_l10n_no_dunning_retry_email(self):
        """Hourly job: hand the e-mail of a letter the mail server refused (connection or server error, not
        a wrong address or a bounce) back to Odoo's mail queue, up to ``EMAIL_ATTEMPTS`` times in all. The
        letter shows "Delivery failed" until then and "Going out" again while queued; it counts as sent only
        when the server accepts it."""
        if "lang" not in self.env.context:  # a cron has no language: write notes in the company's
            return self.with_context(lang=self.env.company.partner_id.lang or self.env.user.lang)._cron_l10n_no_dunning_retry_email()
        letters = self.sudo().search([
            ("state", "=", "sent"), ("channel", "=", "email"), ("delivery_state", "=", "failed"),
            ("delivery_attempts", "<", EMAIL_ATTEMPTS), ("mail_message_id", "!=", False),
        ])
        mails = self.env["mail.mail"].sudo().search([
            ("mail_message_id", "in", letters.mail_message_id.ids), ("state", "=", "exception"),
        ])
        retried = self.browse()
        for letter in letters:
            notifications = letter.mail_message_id.notification_ids.filtered(
                lambda n, l=letter: n.res_partner_id == l.partner_id and n.notification_status == "exception"
            )
            mail = mails.filtered(lambda m, l=letter: m.mail_message_id == l.mail_message_id)
            if not mail or not notifications or notifications.filtered(
                lambda n: n.failure_type not in RETRIED_FAILURE_TYPES
            ):
                continue
            mail.mark_outgoing()
            notifications.write({"notification_status": "ready", "failure_type": False, "failure_reason": False})
            letter.write({"delivery_state": "pending", "delivery_attempts": letter.delivery_attempts + 1})
            retried |= letter
        if retried:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return len(retried)

    def action_l10n_no_dunning_mark_posted(self):
        """A person posted the letter on paper today: it counts as sent from today."""
        check_accountant(self)
        letters = self.filtered(lambda l: l.state == "sent" and l.kind != "handover" and l.delivery_state != "delivered")
        if letters != self:
            raise UserError(self.env._("Only a sent letter not yet delivered can be marked as posted."))
        today = fields.Date.context_today(self)
        for letter in letters:
            if letter.channel != "post" or not letter.attachment_id:
                letter.sudo().channel = "post"
                letter._l10n_no_dunning_deliver()
            letter.sudo().write({"delivery_state": "delivered", "delivered_on": today, "delivery_error": False})
        return True

    def action_l10n_no_dunning_resend_email(self):
        """Send a letter whose e-mail failed again by e-mail (after the address was corrected)."""
        check_accountant(self)
        letters = self.filtered(lambda l: l.state == "sent" and l.delivery_state == "failed")
        if letters != self:
            raise UserError(self.env._("Only a letter whose delivery failed can be resent."))
        for letter in letters:
            if not letter.partner_id.email:
                raise UserError(self.env._("%(customer)s has no e-mail address.", customer=letter.partner_id.display_name))
            letter.sudo().write({"channel": "email", "delivery_error": False})
            letter._l10n_no_dunning_deliver()
        return True

    # ------------------------------------------------------------------------------------------------
    # SENDING
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dunning_replan_decisions(self, policy):
        """Library decisions, by invoice id, for the proposed items of ``self`` as the invoices are now
        (payments may have arrived since the proposal). The claims of all the letters are read in one
        go per run, so a customer's credit is set against its invoices once, not again per letter."""
        decisions = {}
        for run, run_letters in self.grouped("run_id").items():
            moves = run_letters.item_ids.filtered(lambda i: i.state == "proposed").move_id
            claims = moves._l10n_no_dunning_claims(run.company_id, run.date)
            decisions.update((d.claim.id, d) for d in plan(claims, policy, run.date))
        return decisions

    def _l10n_no_dunning_replan(self, levels, decisions):
        """Apply the re-planned ``decisions`` (see ``_l10n_no_dunning_replan_decisions``) to the letter:
        items no longer allowed are dropped; the others take the new amounts.
        Returns the library letter, or None when nothing is left to send."""
        self.ensure_one()
        currency = self.company_id.currency_id
        items = self.item_ids.filtered(lambda i: i.state == "proposed")
        ready = []
        for item in items:
            decision = decisions.get(item.move_id.id)
            if decision is None or not decision.ready or decision.step_index != item.step_index:
                item.sudo().write({
                    "state": "dropped",
                    "note": nf_text(decision.text, self.env.lang) if decision else self.env._("The invoice is no longer open."),
                })
                continue
            item.sudo().write(item_values(decision, levels[decision.step_index], currency))
            ready.append(decision)
        if not ready:
            self.sudo().write({"state": "dropped", "drop_reason": self.env._("Nothing left to dun when confirmed.")})
            return None
        return letters(ready)[0]

    def _l10n_no_dunning_send_letters(self, levels, policy):
        """Confirm proposed letters: re-plan each, post their fee invoices (in one batch), record the
        history on the invoices, deliver, and log. Returns the letters actually sent."""
        check_accountant(self)
        plans = {}
        decisions = self._l10n_no_dunning_replan_decisions(policy)
        for letter in self:
            plan_letter = letter._l10n_no_dunning_replan(levels, decisions)
            if plan_letter is not None:
                letter._l10n_no_dunning_apply_plan(plan_letter, levels)
                plans[letter.id] = plan_letter
        sent = self.browse(list(plans))
        with_fees = sent.filtered(
            lambda l: l.kind != "handover" and (l.fee or l.interest or l.compensation)
        )
        if with_fees:
            fee_moves = self.env["account.move"].create(
                # the lines are labelled in the customer's language
                [
                    letter.with_context(lang=letter.partner_id.lang or self.env.lang)
                    ._l10n_no_dunning_fee_invoice_vals(plans[letter.id])
                    for letter in with_fees
                ]
            )
            fee_moves.action_post()
            for letter, fee_move in zip(with_fees, fee_moves, strict=True):
                letter.sudo().fee_move_id = fee_move
        sent.item_ids.filtered(lambda i: i.state == "proposed").sudo().write({"state": "sent"})
        sent.sudo().write({"state": "sent"})
        sent._l10n_no_dunning_update_invoices(plans, levels)
        to_deliver = sent.filtered(lambda l: l.kind != "handover")
        # one wkhtmltopdf process for the batch, not one per letter; a letter left out renders alone below
        with_pdf = to_deliver._l10n_no_dunning_render_pdfs()
        # the e-mails of the batch rendered together, each taken by its letter's delivery below; a letter
        # whose PDF could not be rendered with the batch renders alone (its PDF and e-mail) when delivered
        together = with_pdf if self._l10n_no_dunning_renders_pdfs() else to_deliver
        self.env.cr.cache[PREPARED_EMAILS] = together._l10n_no_dunning_prepare_emails()
        try:
            for letter in to_deliver:
                # each delivery in its own savepoint: one broken template, PDF or address does not stop the
                # batch; the failure is recorded on the letter, which then does not count as sent (issue 9.4)
                try:
                    with self.env.cr.savepoint():
                        letter._l10n_no_dunning_deliver()
                except Exception as exc:  # noqa: BLE001 - any delivery error is recorded, never lost
                    _logger.warning("Dunning letter %s could not be delivered", letter.id, exc_info=True)
                    letter._l10n_no_dunning_delivery_failed(nf_text(exc, self.env.lang) or exc.__class__.__name__)
        finally:
            self.env.cr.cache.pop(PREPARED_EMAILS, None)
        sent._l10n_no_dunning_log()
        return sent

    def _l10n_no_dunning_report(self):
        self.ensure_one()
        return self.level_id.report_id or self.env.ref("l10n_no_dunning.action_report_dunning_letter")

    def _l10n_no_dunning_render_pdfs(self):
        """Render the PDFs of the letters together: one wkhtmltopdf process per group of up to
        ``PDF_BATCH_SIZE`` letters of the same report, split into one PDF per letter by Odoo (by page count,
        or by the outlines of each letter's ``article``), each kept as the letter's PDF under the report's
        attachment name. The delivery then reuses it instead of starting wkhtmltopdf once per letter: the
        e-mail template's report through the report's "reload from attachment", the posted letter and the
        dispatch queue through ``attachment_id``. A group that cannot be rendered or split is left alone:
        its letters are rendered one by one when delivered, each in its own savepoint, so a broken letter is
        recorded as failed without stopping the others. Returns the letters rendered."""
        Report = self.env["ir.actions.report"]
        if not self._l10n_no_dunning_renders_pdfs():
            return self.browse()
        rendered = self.browse()
        todo = self.filtered(lambda l: l.attachment_id.mimetype != "application/pdf")
        for report, group in todo.grouped(lambda l: l._l10n_no_dunning_report()).items():
            report_sudo = Report._get_report(report)
            for chunk in split_every(PDF_BATCH_SIZE, group.ids, self.browse):
                try:
                    with self.env.cr.savepoint():
                        streams = Report.with_context(
                            webp_as_jpg=True, l10n_no_dunning_one_document=True
                        )._render_qweb_pdf_prepare_streams(report, {}, res_ids=chunk.ids)
                        rendered |= chunk._l10n_no_dunning_keep_pdfs(report_sudo, streams)
                except Exception:  # noqa: BLE001 - the letters are rendered one by one when delivered
                    _logger.warning("Dunning letters %s could not be rendered together", chunk.ids, exc_info=True)
        return rendered

    def _l10n_no_dunning_renders_pdfs(self):
        """Whether reports become PDFs here: Odoo's test mode renders HTML one letter at a time instead
        (``_pre_render_qweb_pdf``) unless a test forces the rendering."""
        testing = modules.module.current_test or tools.config["test_enable"]
        return not testing or bool(self.env.context.get("force_report_rendering"))

    def _l10n_no_dunning_keep_pdfs(self, report_sudo, streams):
        """Save each letter's stream of ``streams`` (from ``_render_qweb_pdf_prepare_streams``) as its PDF."""
        vals_list, letters = [], self.browse()
        for letter in self:
            data = streams.get(letter.id) or {}
            if data.get("attachment"):  # already saved (a reprint): exactly as it was
                letter.sudo().attachment_id = data["attachment"]
                letters |= letter
            elif data.get("stream"):
                name = report_sudo.attachment and safe_eval(report_sudo.attachment, {"object": letter, "time": time})
                vals_list.append({
                    "name": name or f"{letter.name}.pdf",
                    "raw": data["stream"].getvalue(),
                    "res_model": letter._name,
                    "res_id": letter.id,
                    "mimetype": "application/pdf",
                })
                letters |= letter
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        for attachment in attachments:
            self.browse(attachment.res_id).sudo().attachment_id = attachment
        return letters

    def _l10n_no_dunning_pdf_attachment(self):
        """The letter's PDF as an attachment: the one it already has (rendered with its batch, or sent by
        e-mail), else rendered now (and saved by the report when it keeps its prints)."""
        self.ensure_one()
        if self.attachment_id.mimetype == "application/pdf":
            return self.attachment_id
        report = self._l10n_no_dunning_report()
        Report = self.env["ir.actions.report"]
        content, _format = Report._render_qweb_pdf(report, self.ids)
        report_sudo = Report._get_report(report)
        attachment = report_sudo.attachment and report_sudo.retrieve_attachment(self)
        if not attachment:
            attachment = self.env["ir.attachment"].sudo().create({
                "name": f"{self.name}.pdf",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            })
        self.sudo().attachment_id = attachment
        return attachment

    def _l10n_no_dunning_apply_plan(self, plan_letter, levels):
        top = max(plan_letter.decisions, key=lambda d: d.step_index)
        self.sudo().write({
            "level_id": levels[top.step_index].id,
            "kind": plan_letter.kind.value,
            "fee": float(plan_letter.fee),
            "interest": float(plan_letter.interest),
            "compensation": float(plan_letter.compensation),
            "principal": float(plan_letter.principal),
            "total": float(plan_letter.total),
            "deadline": plan_letter.deadline or False,
        })

    def _l10n_no_dunning_update_invoices(self, plans, levels):
        """Dunning status, level and interest date on the dunned invoices, one write per distinct value."""
        groups = {}
        for letter in self:
            plan_letter = plans[letter.id]
            for decision in plan_letter.decisions:
                vals = {
                    "l10n_no_dunning_state": "handed_over"
                    if plan_letter.kind is StepKind.HANDOVER else "in_dunning",
                    "l10n_no_dunning_level_id": levels[decision.step_index].id,
                    "l10n_no_dunning_last_date": letter.date,
                }
                if decision.interest and decision.interest.days:
                    vals["l10n_no_dunning_interest_until"] = decision.interest.end
                groups.setdefault(tuple(sorted(vals.items())), []).append(decision.claim.id)
        # Only the dunning fields change: no journal item to synchronise, and the invoice was not edited
        # by a person (skip_is_manually_modified), so neither of Odoo's invoice synchronisations runs.
        moves = self.env["account.move"].sudo().with_context(skip_invoice_sync=True, skip_is_manually_modified=True)
        for key, move_ids in groups.items():
            moves.browse(move_ids).write(dict(key))

    def _l10n_no_dunning_fee_invoice_vals(self, plan_letter):
        """A customer invoice for the fee, interest and compensation of this letter, on income accounts,
        due on the letter's deadline. l10n_no_kid gives it a KID when posted, like any customer invoice."""
        self.ensure_one()
        company = self.company_id
        journal = company.l10n_no_dunning_journal_id or self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        if not journal:
            raise UserError(self.env._("No sales journal for the dunning fee invoices of %(company)s.", company=company.name))
        products = {
            "fee": company.l10n_no_dunning_fee_product_id,
            "interest": company.l10n_no_dunning_interest_product_id,
            "compensation": company.l10n_no_dunning_compensation_product_id,
        }
        if not all(products.values()):
            raise UserError(self.env._("Set the dunning fee, interest and compensation products in the settings."))
        fee_account, interest_account = company._l10n_no_dunning_income_accounts()
        lang = self.env.lang  # the language of the labels below: their numbers follow it
        lines = []
        if plan_letter.fee:
            lines.append(self._l10n_no_dunning_fee_line(
                products["fee"], self.env._("%(level)s fee", level=self.level_id.name), plan_letter.fee, fee_account
            ))
        for decision in plan_letter.decisions:
            move_name = self.env["account.move"].browse(decision.claim.id).name
            if decision.interest and decision.interest.amount:
                result = decision.interest
                label = self.env._(
                    "Late-payment interest on %(invoice)s, %(principal)s from %(start)s to %(end)s (%(rates)s p.a.)",
                    invoice=move_name,
                    principal=format_amount(self.env, float(decision.claim.open_amount), self.currency_id, lang_code=lang),
                    start=format_date(self.env, result.start, lang_code=lang),
                    end=format_date(self.env, result.end - timedelta(days=1), lang_code=lang),
                    rates=" / ".join(format_percent(self.env, p.rate, lang) for p in result.parts),
                )
                lines.append(self._l10n_no_dunning_fee_line(products["interest"], label, result.amount, interest_account))
            if decision.compensation:
                lines.append(self._l10n_no_dunning_fee_line(
                    products["compensation"],
                    self.env._("Standard compensation (forsinkelsesrenteloven § 3a) for %(invoice)s", invoice=move_name),
                    decision.compensation,
                    fee_account,
                ))
        # paid into the same account as the claims, so l10n_no_kid gives it a KID of that agreement
        bank = self.item_ids.move_id.partner_bank_id[:1]
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            **({"partner_bank_id": bank.id} if bank else {}),
            "journal_id": journal.id,
            "partner_id": self.partner_id.id,
            "invoice_date": self.date,
            "invoice_date_due": self.deadline or self.date,
            "invoice_payment_term_id": False,
            "currency_id": company.currency_id.id,
            "l10n_no_dunning_fee_letter_id": self.id,
            "invoice_origin": self.run_id.name,
            "invoice_line_ids": lines,
        }

    def _l10n_no_dunning_payment_bank(self):
        """The account the letter asks to pay into: the one of the fee invoice (its journal's KID
        agreement made the KID printed next to it), else the one of the dunned invoices. Never simply
        the company's first account: a KID is only valid on the account of its agreement (issue 9.3)."""
        self.ensure_one()
        return (
            self.fee_move_id.partner_bank_id
            or self.item_ids.filtered(lambda i: i.state == "sent").move_id.partner_bank_id[:1]
            or self.item_ids.move_id.partner_bank_id[:1]
            or self.company_id.partner_id.bank_ids[:1]
        )

    def _l10n_no_dunning_fee_line(self, product, label, amount, account=None):
        """A fee invoice line without VAT (fees, interest and compensation are outside its scope), on
        ``account`` when given (see res.company._l10n_no_dunning_income_accounts).

        The line's journal amounts are given too (a credit of ``amount`` in the company's currency, the
        fee invoice's currency): a line without taxes whose amounts are known is left alone by Odoo's
        tax synchronisation, which otherwise writes every line once more after creating it (a sixth of
        the cost of confirming a letter, benchmarks/dunning_odoo.py)."""
        credit = -float(amount)
        return fields.Command.create({
            **({"account_id": account.id} if account else {}),
            "product_id": product.id,
            "name": label,
            "quantity": 1,
            "price_unit": float(amount),
            "balance": credit,
            "amount_currency": credit,
            "tax_ids": [fields.Command.clear()],  # no VAT on fees, interest or compensation
        })

    def _l10n_no_dunning_mail_template(self):
        self.ensure_one()
        return self.level_id.mail_template_id or self.env.ref("l10n_no_dunning.mail_template_dunning_letter")

    def _l10n_no_dunning_prepare_emails(self):
        """The e-mails of the letters sent by e-mail, rendered together per template: one mail composer
        renders the subjects, bodies, recipients and attached PDFs of all its letters at once, as Odoo's
        composer does for a batch, instead of one composer per letter. Each letter is then posted in its
        own savepoint (``_l10n_no_dunning_deliver``, which finds its e-mail in the cursor's cache under
        ``PREPARED_EMAILS``, whoever calls it). A group that cannot be rendered together is left out: its
        letters are rendered one by one when delivered, so one broken letter fails alone.
        Returns ``{letter id: message_post values}``."""
        prepared = {}
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        emailed = self.filtered(lambda l: l.channel == "email")
        for template, group in emailed.grouped(lambda l: l._l10n_no_dunning_mail_template()).items():
            try:
                with self.env.cr.savepoint():
                    composer = self.env["mail.compose.message"].with_context(
                        default_composition_mode="comment",
                        default_model=self._name,
                        default_res_ids=group.ids,
                        default_template_id=template.id,
                    ).create({"message_type": "comment", "subtype_id": subtype_id})
                    prepared.update(composer._manage_mail_values(composer._prepare_mail_values(group.ids)))
            except Exception:  # noqa: BLE001 - the letters are rendered one by one when delivered
                _logger.warning("Dunning e-mails %s could not be rendered together", group.ids, exc_info=True)
        return prepared

    def _l10n_no_dunning_deliver(self):
        """E-mail through the level's template (with the letter PDF) or render the PDF for posting. The
        e-mail rendered with the letter's batch is used when there is one (``_l10n_no_dunning_prepare_emails``);
        otherwise the template is rendered for this letter alone."""
        self.ensure_one()
        if self.channel == "email":
            self.sudo().write({"delivery_state": "pending", "delivered_on": False, "delivery_attempts": 1})
            email_values = self.env.cr.cache.get(PREPARED_EMAILS, {}).pop(self.id, None)
            if email_values:
                message = self.message_post(**email_values)
            else:
                message = self.message_post_with_source(
                    self._l10n_no_dunning_mail_template(), message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            message = message[:1] or self.message_ids[:1]
            self.sudo().mail_message_id = message
            attachment = message.attachment_ids[:1] or self.attachment_id
            # the notification may have been sent (or refused) while posting
            self._l10n_no_dunning_on_notifications(message.notification_ids)
        else:
            attachment = self._l10n_no_dunning_pdf_attachment()
            # printed by the run to be posted on the run's date (never later than today, see the run's date
            # constraint); a letter posted on another day is marked so by a person (mark as posted)
            self.sudo().write({"delivery_state": "delivered", "delivered_on": self.date})
        self.sudo().attachment_id = attachment

    def _l10n_no_dunning_log(self):
        """Notes on the customer and on each invoice (the dunning history in Odoo's thread), in batch."""
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        move_bodies, partner_bodies = {}, {}
        # the user who sends reads the log first: amounts, dates and rates in their language ("kr 37,50")
        lang = self.env.lang
        for letter in self:
            def amount(value, letter=letter):
                return format_amount(self.env, value, letter.currency_id, lang_code=lang)

            body = Markup("%s") % self.env._(
                "%(kind)s sent on %(date)s by %(channel)s (%(run)s); %(deadline)s; fee %(fee)s, "
                "interest %(interest)s, compensation %(compensation)s.",
                kind=kinds[letter.kind],
                date=format_date(self.env, letter.date, lang_code=lang),
                channel=channels[letter.channel],
                run=letter.run_id.name,
                deadline=self.env._("pay by %(deadline)s", deadline=format_date(self.env, letter.deadline, lang_code=lang))
                if letter.deadline else self.env._("no payment deadline"),
                fee=amount(letter.fee),
                interest=amount(letter.interest),
                compensation=amount(letter.compensation),
            )
            for move in letter.item_ids.filtered(lambda i: i.state == "sent").move_id:
                move_bodies[move.id] = body
            partner_bodies[letter.partner_id.id] = body
        moves = self.env["account.move"].browse(list(move_bodies))
        moves._message_log_batch(bodies=move_bodies, message_type="comment")
        self.env["res.partner"].browse(list(partner_bodies))._message_log_batch(
            bodies=partner_bodies, message_type="comment"
        )
