import json
import logging
from collections import Counter, defaultdict
from decimal import Decimal

from nofaktura.dunning import DunningPolicyError, Reason, StepKind, letters, plan
from nofaktura.dunning.handover import (
    Debtor,
    DebtorKind,
    ExportFileProvider,
    HandoverClaim,
    Notice,
)
from nofaktura.exceptions import NofakturaError
from nofaktura.identifiers import is_valid_mva, is_valid_orgnr, validate_mva, validate_orgnr
from nofaktura.messages import text as nf_text

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from .account_move import to_decimal
from .dunning_access import check_accountant, check_protected_fields
from .l10n_no_dunning_letter import item_values


def _valid_org_number(partner):
    """The debtor's organisation number for the agency: from the company registry or the MVA
    number, only when it passes its check digit (a wrong number in a claim is worse than none)."""
    if partner.company_registry and is_valid_orgnr(partner.company_registry):
        return validate_orgnr(partner.company_registry)
    if partner.vat and is_valid_mva(partner.vat):
        return validate_mva(partner.vat)[2:11]
    return ""

_logger = logging.getLogger(__name__)

#: Customers examined per proposal batch, and letters sent per sending batch.
BATCH_SIZE = 500
SEND_BATCH_SIZE = 50
#: Fields of a run only its actions change (see dunning_access).
PROTECTED_RUN_FIELDS = ("state", "summary", "handover_attachment_ids", "trigger", "letter_ids", "name", "company_id")


class L10nNoDunningRun(models.Model):
    """A dunning run: proposes one letter per customer and level on its date, and sends them once a
    person (or, if the company allows it, the daily job) confirms."""

    _name = "l10n_no.dunning.run"
    _description = "Dunning run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    date = fields.Date(
        required=True,
        default=lambda self: self._l10n_no_dunning_today(),
        help="The day the run dunns for: deadlines, fees and interest are computed for this day.",
    )
    trigger = fields.Selection([("manual", "Manual"), ("cron", "Daily job")], default="manual", required=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("proposed", "Proposed"),
            ("done", "Sent"),
            ("empty", "Nothing to send"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    letter_ids = fields.One2many("l10n_no.dunning.letter", "run_id", string="Letters")
    letter_count = fields.Integer(compute="_compute_letter_count")
    warning_count = fields.Integer(compute="_compute_letter_count")
    failed_count = fields.Integer(compute="_compute_letter_count", string="Undelivered letters")
    summary = fields.Text(readonly=True, help="Technical: how many invoices were skipped, by reason (JSON).")
    summary_display = fields.Text(
        string="Skipped invoices", compute="_compute_summary_display",
        help="How many invoices were skipped, by reason, one line each.",
    )
    handover_attachment_ids = fields.Many2many("ir.attachment", string="Hand-over files", readonly=True)

    @api.depends("letter_ids.state", "letter_ids.warning", "letter_ids.delivery_state")
    def _compute_letter_count(self):
        for run in self:
            run.failed_count = len(run.letter_ids.filtered(lambda l: l.delivery_state == "failed"))
            run.letter_count = len(run.letter_ids)
            run.warning_count = len(run.letter_ids.filtered(lambda l: l.warning and l.state == "proposed"))

    @api.depends("summary")
    def _compute_summary_display(self):
        for run in self:
            run.summary_display = run._l10n_no_dunning_summary_lines()

    def _l10n_no_dunning_summary_lines(self):
        """The skipped counts as readable lines, the unknown law value first (it needs a person)."""
        self.ensure_one()
        summary = json.loads(self.summary or "{}")
        labels = {
            Reason.PAID.value: self.env._("paid"),
            Reason.NOT_DUE.value: self.env._("not yet due for the next step"),
            Reason.DISPUTED.value: self.env._("disputed"),
            Reason.BLOCKED.value: self.env._("dunning blocked on the customer"),
            Reason.PAYMENT_PENDING.value: self.env._("payment on its way"),
            Reason.HANDED_OVER.value: self.env._("already handed over"),
            Reason.FINISHED.value: self.env._("all levels done"),
            Reason.WAITING_DAYS.value: self.env._("waiting days of the level not over"),
            Reason.DEADLINE_RUNNING.value: self.env._("deadline of the last letter still running"),
            Reason.WAITING_FEE_DATE.value: self.env._("too early for a fee"),
            Reason.MISSING_INKASSOVARSEL.value: self.env._("no inkassovarsel sent yet"),
            Reason.BELOW_MINIMUM.value: self.env._("below the minimum amount"),
        }
        lines = []
        unknown = summary.get(Reason.LAW_VALUE_UNKNOWN.value)
        if unknown:
            lines.append(self._l10n_no_dunning_law_value_alert(unknown, summary.get("law_value_unknown_example")))
        for reason, count in sorted(summary.items()):
            if reason in (Reason.LAW_VALUE_UNKNOWN.value, "law_value_unknown_example"):
                continue
            lines.append(self.env._("%(count)s skipped: %(reason)s", count=count, reason=labels.get(reason, reason)))
        return "\n".join(lines) or False

    def _l10n_no_dunning_law_value_alert(self, count, example):
        """The alert for claims skipped because a law value of this run's period is missing."""
        self.ensure_one()
        half = "H1" if self.date.month <= 6 else "H2"
        return self.env._(
            "%(count)s claims skipped: a law value is missing (%(example)s). Enter the %(year)s %(half)s values "
            "under Dunning > Law values.",
            count=count,
            example=example or "-",
            year=self.date.year,
            half=half,
        )

    def _l10n_no_dunning_today(self):
        """The only day a run may be dated: today in the user's time zone (one method, so the tests can
        move the clock without moving Odoo's)."""
        return fields.Date.context_today(self)

    def _l10n_no_dunning_date_error(self, day):
        """A run is dated today, never another day (issues 9 and 10.2). A later day would charge fees and
        interest not yet due; an earlier day would print deadlines and waiting periods that count from a
        day the letter did not go out, shortening the debtor's 14 days (inkassoloven § 9, § 10). No rule
        of the law needs a back-dated letter: a letter posted on another day is marked so on the letter."""
        today = self._l10n_no_dunning_today()
        if fields.Date.to_date(day) == today:
            return None
        return ValidationError(self.env._(
            "A dunning run is dated today (%(today)s), not %(date)s: deadlines, fees and interest are "
            "counted from the day the letters really go out.",
            today=today,
            date=day,
        ))

    @api.constrains("date")
    def _check_date_today(self):
        for run in self.filtered(lambda r: r.state in ("draft", "proposed")):
            error = run._l10n_no_dunning_date_error(run.date)
            if error:
                raise error

    # EXTENDS base
    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")  # the caller's rights first: no date check answers a portal user
        for vals in vals_list:
            error = vals.get("date") and self._l10n_no_dunning_date_error(vals["date"])
            if error:
                raise error
            # a run starts as a draft and fills itself; the trigger is free at creation (the daily job sets it)
            if vals.get("state", "draft") != "draft":
                check_protected_fields(self, vals, ("state",))
            check_protected_fields(self, vals, ("summary", "letter_ids", "handover_attachment_ids"))
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("l10n_no.dunning.run") or self.env._("New")
        return super().create(vals_list)

    # EXTENDS base
    def write(self, vals):
        self.check_access("write")  # the caller's rights first: no date check answers a portal user
        check_protected_fields(self, vals, PROTECTED_RUN_FIELDS)
        if "date" in vals:
            error = self._l10n_no_dunning_date_error(vals["date"])
            if error:
                raise error
            if not self.env.su and any(run.state != "draft" for run in self):
                raise ValidationError(self.env._("The date of a proposed or sent run cannot change."))
        return super().write(vals)

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_propose(self):
        """Propose the letters of the run (all batches at once: a person is waiting for them)."""
        for run in self:
            if run.state != "draft":
                raise UserError(self.env._("Only a draft run can propose letters."))
            run._check_date_today()
            while True:
                _processed, remaining = run._l10n_no_dunning_propose_batch()
                if not remaining:
                    break
            run._l10n_no_dunning_proposed()
        return True

    def _l10n_no_dunning_proposed(self):
        """All customers examined: the run waits for a confirmation, or, without a letter to send, says so
        (a run of 0 letters never reads "Sent")."""
        for run in self:
            if run.letter_ids.filtered(lambda l: l.state == "proposed"):
                run.sudo().state = "proposed"
            else:
                run.sudo().state = "empty"
                run.message_post(body=self.env._("Nothing to send: no customer is due for a letter on %(date)s.",
                                                 date=format_date(self.env, run.date)))
            run._l10n_no_dunning_post_law_value_alert()
        return True

    def _l10n_no_dunning_sent(self):
        """All proposed letters handled: "Sent" only when a letter went out (all may have been dropped, or
        paid since the proposal)."""
        for run in self:
            run.sudo().state = "done" if run.letter_ids.filtered(lambda l: l.state == "sent") else "empty"
        return True

    def action_confirm(self):
        """Send the proposed letters: each one is re-planned first, so payments that arrived since the
        proposal drop or shrink it. Accounting administrators only (checked here, not only in the view)."""
        check_accountant(self)
        for run in self:
            if run.state == "empty":
                continue  # nothing to send: confirming it again changes nothing
            if run.state != "proposed":
                raise UserError(self.env._("Propose the letters before sending them."))
            run._check_date_today()
            while run._l10n_no_dunning_send_batch():
                pass
            run._l10n_no_dunning_sent()
        return True

    def action_cancel(self):
        for run in self:
            if run.state == "done":
                raise UserError(self.env._("A run that was sent cannot be cancelled."))
            proposed = run.letter_ids.filtered(lambda l: l.state == "proposed")
            proposed.item_ids.sudo().write({"state": "dropped"})
            proposed.sudo().state = "cancel"
            run.sudo().state = "cancel"
        return True

    def action_open_letters(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_no_dunning.action_l10n_no_dunning_letter")
        action["domain"] = [("run_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------------------------------------
    # PROPOSAL
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dunning_policy(self):
        self.ensure_one()
        levels = self.company_id._l10n_no_dunning_levels()
        if not levels:
            raise UserError(self.env._("%(company)s has no dunning levels.", company=self.company_id.name))
        try:
            return levels, self.company_id._l10n_no_dunning_policy(levels)
        except DunningPolicyError as exc:
            raise UserError(nf_text(exc, self.env.lang)) from exc

    def _l10n_no_dunning_claim_partners(self, domain, limit):
        """Customers with unexamined overdue invoices, locked for this transaction.

        ``FOR UPDATE SKIP LOCKED`` on the customers lets several workers (or a manual run next to the daily
        job) share the work without two of them writing letters for the same customer.
        """
        groups = self.env["account.move"]._read_group(
            domain, ["commercial_partner_id"], order="commercial_partner_id", limit=limit
        )
        partner_ids = [partner.id for (partner,) in groups]
        if not partner_ids:
            return []
        rows = self.env.execute_query(SQL(
            "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR UPDATE SKIP LOCKED", partner_ids
        ))
        return [row[0] for row in rows]

    def _l10n_no_dunning_propose_batch(self, limit=BATCH_SIZE):
        """Examine up to ``limit`` customers; returns (invoices examined, invoices left)."""
        self.ensure_one()
        company = self.company_id
        Move = self.env["account.move"]
        levels, policy = self._l10n_no_dunning_policy()
        domain = Move._l10n_no_dunning_overdue_domain(company, self.date) + [
            ("l10n_no_dunning_checked_run_id", "!=", self.id),
        ]
        partner_ids = self._l10n_no_dunning_claim_partners(domain, limit)
        if not partner_ids:
            return 0, 0
        moves = Move.search(domain + [("commercial_partner_id", "in", partner_ids)])
        decisions = plan(moves._l10n_no_dunning_claims(company, self.date), policy, self.date)
        self._l10n_no_dunning_create_letters(decisions, levels)
        self._l10n_no_dunning_add_summary(Counter(d.reason.value for d in decisions if not d.ready), decisions)
        # technical marker, written in one statement (account.move.write does posted-entry checks per move)
        self.env.execute_query(SQL(
            "UPDATE account_move SET l10n_no_dunning_checked_run_id = %s WHERE id = ANY(%s)", self.id, moves.ids
        ))
        moves.invalidate_recordset(["l10n_no_dunning_checked_run_id"])
        return len(moves), Move.search_count(domain)

    def _l10n_no_dunning_create_letters(self, decisions, levels):
        currency = self.company_id.currency_id
        ready = [d for d in decisions if d.ready]
        # a hand-over is not a letter to the customer: keep it apart from the notices
        groups = letters([d for d in ready if d.step.kind is not StepKind.HANDOVER]) + letters(
            [d for d in ready if d.step.kind is StepKind.HANDOVER]
        )
        if not groups:
            return self.env["l10n_no.dunning.letter"]
        partners = self.env["res.partner"].browse([g.customer_id for g in groups])
        letter_vals = []
        for group in groups:
            top = max(group.decisions, key=lambda d: d.step_index)
            level = levels[top.step_index]
            partner = partners.browse(group.customer_id)
            channel, warning = self.env["l10n_no.dunning.letter"]._l10n_no_dunning_channel(level, partner, self.date)
            letter_vals.append({
                "run_id": self.id,
                "company_id": self.company_id.id,
                "currency_id": currency.id,
                "partner_id": partner.id,
                "level_id": level.id,
                "kind": group.kind.value,
                "channel": channel,
                "warning": warning,
                "deadline": group.deadline or False,
                "fee": float(group.fee),
                "interest": float(group.interest),
                "compensation": float(group.compensation),
                "principal": float(group.principal),
                "total": float(group.total),
            })
        # users cannot create letters or items (ACL): the run creates them, for its own company only
        Letter = self.env["l10n_no.dunning.letter"].sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        created = Letter.create(letter_vals)
        self.env["l10n_no.dunning.item"].sudo().create([
            {
                **item_values(d, levels[d.step_index], currency),
                "letter_id": letter.id,
                "run_id": self.id,
                "company_id": self.company_id.id,
                "partner_id": letter.partner_id.id,
                "currency_id": currency.id,
            }
            for letter, group in zip(created, groups, strict=True)
            for d in group.decisions
        ])
        return created.sudo(False)

    def _l10n_no_dunning_add_summary(self, counts, decisions):
        summary = json.loads(self.summary or "{}")
        for reason, count in counts.items():
            summary[reason] = summary.get(reason, 0) + count
        unknown = next((nf_text(d.text, self.env.lang) for d in decisions if d.reason is Reason.LAW_VALUE_UNKNOWN), None)
        if unknown:
            summary["law_value_unknown_example"] = unknown
        self.sudo().summary = json.dumps(summary, sort_keys=True)

    def _l10n_no_dunning_post_law_value_alert(self):
        """On every run that skipped claims for a missing law value: a message on the run, so the 0 letters
        it proposes are never silent."""
        for run in self:
            summary = json.loads(run.summary or "{}")
            unknown = summary.get(Reason.LAW_VALUE_UNKNOWN.value)
            if unknown:
                run.message_post(body=run._l10n_no_dunning_law_value_alert(
                    unknown, summary.get("law_value_unknown_example")
                ))
        return True

    # ------------------------------------------------------------------------------------------------
    # SENDING
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dunning_send_batch(self, limit=SEND_BATCH_SIZE):
        """Send up to ``limit`` proposed letters (locked, so two confirmations never send twice).
        Returns how many were handled."""
        self.ensure_one()
        check_accountant(self)
        self.env["l10n_no.dunning.letter"].flush_model(["state", "run_id"])
        rows = self.env.execute_query(SQL(
            "SELECT id FROM l10n_no_dunning_letter WHERE run_id = %s AND state = 'proposed' "
            "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            self.id,
            limit,
        ))
        batch = self.env["l10n_no.dunning.letter"].browse([row[0] for row in rows])
        if not batch:
            return 0
        levels, policy = self._l10n_no_dunning_policy()
        sent = batch._l10n_no_dunning_send_letters(levels, policy)
        handovers = sent.filtered(lambda l: l.kind == "handover")
        if handovers:
            self._l10n_no_dunning_hand_over(handovers)
        return len(batch)

    # ------------------------------------------------------------------------------------------------
    # HAND-OVER
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dunning_handover_provider(self):
        """The library provider that hands claims to the agency. TO OVERRIDE for an agency's API."""
        return ExportFileProvider(format=self.company_id.l10n_no_dunning_handover_format)

    def _l10n_no_dunning_hand_over(self, handover_letters):
        """Give the claims of ``handover_letters`` to the agency and keep the file on the run."""
        self.ensure_one()
        check_accountant(self)
        items = handover_letters.item_ids.filtered(lambda i: i.state == "sent")
        # the sent history of all handed-over invoices in one query (it serves the claims and the fee invoices)
        sent_items = self.env["l10n_no.dunning.item"].search(
            [("move_id", "in", items.move_id.ids), ("state", "=", "sent")], order="date, id"
        )
        history_ids = defaultdict(list)
        for sent_item in sent_items:
            history_ids[sent_item.move_id.id].append(sent_item.id)
        claims = [
            self._l10n_no_dunning_handover_claim(
                item,
                sent_items.browse(
                    [i for i in history_ids[item.move_id.id] if i != item.id]
                ).with_prefetch(sent_items._prefetch_ids),
            )
            for item in items
        ]
        reference = f"{self.name}-{handover_letters[:1].id}".replace("/", "-")
        try:
            with self._l10n_no_dunning_handover_provider() as provider:
                receipt = provider.hand_over(claims, reference=reference)
        except NofakturaError as exc:
            raise UserError(self.env._("The hand-over to the debt-collection agency failed: %(error)s", error=nf_text(exc, self.env.lang))) from exc
        if receipt.content:
            self.sudo().handover_attachment_ids = [fields.Command.link(self.env["ir.attachment"].create({
                "name": receipt.reference,
                "raw": receipt.content,
                "res_model": self._name,
                "res_id": self.id,
            }).id)]
        # the fee invoices of handed-over claims go with them
        fee_moves = sent_items.letter_id.fee_move_id.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        fee_moves.sudo().write({"l10n_no_dunning_state": "handed_over"})

    def _l10n_no_dunning_handover_claim(self, item, history):
        """The library claim for ``item``; ``history`` is the invoice's other sent items, oldest first."""
        move = item.move_id
        partner = move.commercial_partner_id
        currency = self.company_id.currency_id
        open_fee_letters = history.letter_id.filtered(
            lambda l: l.fee_move_id and l.fee_move_id.payment_state in ("not_paid", "partial")
        )
        # a letter's fee is invoiced once: it goes with the first of its claims
        fees = sum(
            letter.fee for letter in open_fee_letters
            if letter.item_ids.filtered(lambda i: i.state == "sent")[:1].move_id == move
        )
        interest = sum(h.interest for h in history if h.letter_id in open_fee_letters) + item.interest
        rates = (item.interest_rate or history[-1:].interest_rate or "").split(" / ")[-1].replace(" %", "")
        return HandoverClaim(
            debtor=Debtor(
                name=partner.name or "",
                kind=DebtorKind.PERSON
                if partner.l10n_no_dunning_customer_kind == "consumer" else DebtorKind.ORGANISATION,
                org_number=_valid_org_number(partner),
                address_lines=tuple(x for x in (partner.street, partner.street2) if x),
                postcode=partner.zip or "",
                city=partner.city or "",
                country=partner.country_id.code or "",
                email=partner.email or "",
                phone=partner.phone or "",
                customer_number=partner.ref or "",
            ),
            claim_number=move.name,
            invoice_date=move.invoice_date,
            due_date=move.invoice_date_due,
            principal=to_decimal(item.open_amount, currency),
            interest=to_decimal(interest, currency),
            fees=to_decimal(fees, currency),
            kid=move.payment_reference or "",
            currency=currency.name,
            interest_rate=Decimal(rates) if rates else None,
            interest_from=move.invoice_date_due,
            notices=tuple(
                Notice(h.kind, h.date, h.deadline or None, to_decimal(h.fee, currency), h.channel or "")
                for h in history
            ),
            reference=str(move.id),
        )

    # ------------------------------------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_l10n_no_dunning(self):
        """Daily job: per company, propose (and, if allowed, send) today's letters in batches; commits
        after each batch and re-triggers itself when its time is up."""
        if "lang" not in self.env.context:  # a cron has no language: write notes in the company's
            return self.with_context(lang=self.env.company.partner_id.lang or self.env.user.lang)._cron_l10n_no_dunning()
        today = self._l10n_no_dunning_today()
        cron = self.env.ref("l10n_no_dunning.ir_cron_l10n_no_dunning")
        for company in self.env["res.company"].search([("l10n_no_dunning_auto", "=", True)]):
            run = self.search([
                ("company_id", "=", company.id), ("date", "=", today), ("trigger", "=", "cron"),
            ], limit=1)
            if run.state in ("done", "empty", "cancel"):
                continue
            if not run:
                run = self.with_company(company).create({"company_id": company.id, "date": today, "trigger": "cron"})
            while run.state == "draft":
                processed, remaining = run._l10n_no_dunning_propose_batch()
                if not remaining:
                    run._l10n_no_dunning_proposed()
                if not self.env["ir.cron"]._commit_progress(processed, remaining=remaining) and remaining:
                    cron._trigger()
                    return
            if company.l10n_no_dunning_auto_send and run.state == "proposed":
                while sent := run._l10n_no_dunning_send_batch():
                    if not self.env["ir.cron"]._commit_progress(sent):
                        cron._trigger()
                        return
                run._l10n_no_dunning_sent()
