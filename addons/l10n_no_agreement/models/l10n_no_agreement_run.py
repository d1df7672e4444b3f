import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

#: Agreements claimed, invoiced and (under the scheduler) committed together.
BATCH_SIZE = 100
#: A manual run invoices at most this many agreements while the user waits; more go to the daily job.
MANUAL_LIMIT = 500
#: Fields only the run itself writes.
PROTECTED_RUN_FIELDS = ("state", "contract_count", "invoice_count", "company_id", "date", "trigger", "name")


class L10nNoAgreementRun(models.Model):
    """One execution of the agreement invoicing run for one company: what it invoiced and which
    agreements it could not invoice, and why. Several runs (workers) may work at the same time; each
    agreement is invoiced by the one that claims it."""

    _name = "l10n_no.agreement.run"
    _description = "Agreement invoicing run"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Date(required=True, readonly=True, help="Periods due on or before this date are invoiced.")
    trigger = fields.Selection([("manual", "Manual"), ("cron", "Scheduled job")], required=True, readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("stopped", "Stopped (time limit; the next run goes on)")],
        default="running",
        required=True,
        readonly=True,
    )
    contract_count = fields.Integer("Agreements invoiced", readonly=True)
    invoice_count = fields.Integer("Invoices", readonly=True)
    failure_ids = fields.One2many("l10n_no.agreement.run.failure", "run_id", string="Not invoiced", readonly=True)
    failure_count = fields.Integer("Failures", compute="_compute_failure_count")
    invoice_ids = fields.One2many("account.move", "l10n_no_agreement_run_id", string="Invoice list", readonly=True)

    @api.depends("failure_ids")
    def _compute_failure_count(self):
        for run in self:
            run.failure_count = len(run.failure_ids)

    # -------------------------------------------------------------------------
    # Who may run it
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_agreement_check_user(self):
        """Invoicing agreements is the billing clerk's job (Invoicing); the run itself works with the
        scheduler's rights, so the check is here, not in the access rules."""
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users (Invoicing) may run agreement invoicing."))
        return True

    def write(self, vals):
        if not self.env.su and set(vals) & set(PROTECTED_RUN_FIELDS):
            raise AccessError(self.env._("An invoicing run's figures are written by the run only."))
        return super().write(vals)

    # -------------------------------------------------------------------------
    # Buttons
    # -------------------------------------------------------------------------

    @api.model
    def action_run_now(self):
        """Button: invoice what is due today in the user's current companies. Up to MANUAL_LIMIT
        agreements are invoiced while the user waits; with more, the scheduled job is started instead
        (it commits per batch and shares the work between workers)."""
        self._l10n_no_agreement_check_user()
        today = fields.Date.context_today(self)
        contracts = self.env["contract.contract"].sudo()
        runs = self.browse()
        for company in self.env.companies:
            due = contracts._l10n_no_agreement_due_count(company, today)
            if due > MANUAL_LIMIT:
                return self._l10n_no_agreement_queued(due)
            run = self.sudo()._l10n_no_agreement_start(company, "manual")
            run._l10n_no_agreement_execute()
            runs |= run
        return runs.sudo(False)._l10n_no_agreement_action()

    @api.model
    def _l10n_no_agreement_queued(self, due):
        """Too many agreements to invoice while the user waits: start the scheduled job (it claims batches,
        commits each and shares them between workers) and tell the user (a notification action)."""
        self.env.ref("l10n_no_agreement.ir_cron_l10n_no_agreement_invoice").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Agreement invoicing"),
                "message": self.env._(
                    "%(due)s agreements are due, more than the %(count)s invoiced while you wait: the scheduled "
                    "job invoices them in the background, with every other agreement due. Its runs are listed "
                    "under Agreement invoicing runs.",
                    due=due, count=MANUAL_LIMIT,
                ),
                "sticky": True,
            },
        }

    def _l10n_no_agreement_action(self):
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoicing runs"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("id", "in", self.ids)],
        }
        if len(self) == 1:
            action.update(view_mode="form", res_id=self.id)
        return action

    def action_view_invoices(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("l10n_no_agreement_run_id", "=", self.id)],
        }

    # -------------------------------------------------------------------------
    # The run
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_agreement_start(self, company, trigger, date_ref=None):
        date_ref = date_ref or fields.Date.context_today(self)
        return self.create({
            "name": self.env._("Agreements %(date)s", date=date_ref),
            "company_id": company.id,
            "date": date_ref,
            "trigger": trigger,
        })

    @api.model
    def _cron_l10n_no_agreement(self, date_ref=None):
        """The daily job: per company with agreements due, a run that commits per batch and stops when
        the scheduler's time is up (the next run goes on where it stopped)."""
        if not self.env.su:
            self._l10n_no_agreement_check_user()
            return self.sudo()._cron_l10n_no_agreement(date_ref=date_ref)
        date_ref = date_ref or fields.Date.context_today(self)
        contracts = self.env["contract.contract"]
        done = True
        due = contracts._read_group([("recurring_next_date", "<=", date_ref)], ["company_id"], order="company_id")
        for (company,) in due:
            if not contracts._l10n_no_agreement_due_count(company, date_ref):
                continue
            run = self._l10n_no_agreement_start(company, "cron", date_ref)
            if not run._l10n_no_agreement_execute():
                done = False
                break
        if not done:
            self.env.ref("l10n_no_agreement.ir_cron_l10n_no_agreement_invoice")._trigger()
        return done

    def _l10n_no_agreement_execute(self, batch_size=None, only=None):
        """Invoice every agreement due, ``batch_size`` at a time; ``only``: just these agreements.

        A batch is invoiced as a whole in one savepoint, and when anything in it fails, again one
        agreement per savepoint: one that fails is rolled back alone, listed with the reason, and the
        others go on (see _l10n_no_agreement_invoice_batch). Under the scheduler each batch is committed, so an
        interruption loses at most one batch, which the next run invoices (the agreement's dates move on
        in the same transaction as its invoices: nothing is invoiced twice). Returns False when the
        scheduler's time ran out before everything was invoiced."""
        self.ensure_one()
        batch_size = batch_size or BATCH_SIZE
        in_cron = bool(self.env.context.get("cron_id"))
        company = self.company_id
        contracts_model = self.env["contract.contract"].with_company(company)
        only_ids = only.ids if only is not None else None
        failed_ids = []
        send_cron = self.env.ref("account.ir_cron_account_move_send", raise_if_not_found=False)
        while True:
            batch = contracts_model._l10n_no_agreement_claim(company, self.date, batch_size, failed_ids, only_ids)
            if not batch:
                break
            invoiced, invoices = self._l10n_no_agreement_invoice_batch(batch, failed_ids)
            self.write({
                "contract_count": self.contract_count + invoiced,
                "invoice_count": self.invoice_count + invoices,
            })
            if send_cron and invoices and "l10n_no_dispatch.job" not in self.env:
                send_cron._trigger()
            if in_cron:
                remaining = contracts_model._l10n_no_agreement_due_count(company, self.date, failed_ids, only_ids)
                if self.env["ir.cron"]._commit_progress(len(batch), remaining=remaining) <= 0 and remaining:
                    self.state = "stopped"
                    return False
        self.state = "done"
        return True

    def _l10n_no_agreement_invoice(self, contracts):
        moves = contracts._l10n_no_agreement_invoice_due(self.date)
        moves.l10n_no_agreement_run_id = self
        moves._l10n_no_agreement_post_and_send()
        contracts._clear_invoice_generation_error()
        return moves

    def _l10n_no_agreement_invoice_batch(self, batch, failed_ids):
        """Invoice a claimed batch: first all together in one savepoint (one ``create`` and one posting
        for the batch, as fast as OCA's own batched run); if anything in it fails, the batch is rolled
        back and redone one agreement per savepoint, so the broken ones are listed with their reason and
        skipped and the others invoiced. Returns (agreements invoiced, invoices)."""
        try:
            with self.env.cr.savepoint():
                moves = self._l10n_no_agreement_invoice(batch)
            return len(batch), len(moves)
        except Exception:
            _logger.info("Agreement batch of %s failed as a whole; invoicing one agreement at a time", len(batch))
        invoiced = invoices = 0
        for contract in batch:
            try:
                with self.env.cr.savepoint():
                    moves = self._l10n_no_agreement_invoice(contract)
            except Exception as exc:
                failed_ids.append(contract.id)
                self._l10n_no_agreement_fail(contract, exc)
            else:
                invoiced += 1
                invoices += len(moves)
        return invoiced, invoices

    def _l10n_no_agreement_fail(self, contract, exc):
        if isinstance(exc, psycopg2.IntegrityError) and "l10n_no_agreement_period_unique" in str(exc):
            reason = self.env._("This agreement period has already been invoiced.")
        elif exc.args and isinstance(exc.args[0], str):
            reason = exc.args[0]
        else:
            reason = str(exc)
        reason = f"{type(exc).__name__}: {reason}"
        _logger.warning("Agreement %s (id %s) not invoiced: %s", contract.display_name, contract.id, reason)
        self.env["l10n_no.agreement.run.failure"].create({
            "run_id": self.id,
            "contract_id": contract.id,
            "period_date": contract.recurring_next_date,
            "reason": reason,
        })
        # OCA's own flag on the agreement (shown on its form and list, cleared by the next success).
        contract._record_invoice_generation_error(exc, "invoice")


class L10nNoAgreementRunFailure(models.Model):
    _name = "l10n_no.agreement.run.failure"
    _description = "Agreement not invoiced by a run"
    _order = "id"
    _check_company_auto = True

    run_id = fields.Many2one("l10n_no.agreement.run", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    contract_id = fields.Many2one("contract.contract", string="Agreement", required=True, readonly=True,
                                  index=True, ondelete="cascade", check_company=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", string="Customer")
    period_date = fields.Date("Due date", readonly=True)
    reason = fields.Text(required=True, readonly=True)
