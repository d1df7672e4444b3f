from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .l10n_no_agreement_run import MANUAL_LIMIT

#: At most this many missed periods are invoiced for one agreement in one run (a daily agreement
#: started years ago is a data error, not a catch-up).
MAX_CATCH_UP_PERIODS = 60


class ContractContract(models.Model):
    _inherit = "contract.contract"

    l10n_no_agreement_failure_ids = fields.One2many(
        "l10n_no.agreement.run.failure", "contract_id", string="Invoicing failures", readonly=True
    )

    # -------------------------------------------------------------------------
    # OCA's invoicing run, replaced
    # -------------------------------------------------------------------------

    @api.model
    def _cron_recurring_create(self, date_ref=False, create_type="invoice"):
        # OVERRIDES contract: OCA's job (whether or not its cron record is active) runs our invoicing run,
        # so invoices are never created twice by two runs, and one broken agreement never stops the rest.
        if create_type != "invoice":
            return super()._cron_recurring_create(date_ref=date_ref, create_type=create_type)
        return self.env["l10n_no.agreement.run"]._cron_l10n_no_agreement(date_ref=date_ref or None)

    def _prepare_invoice(self, date_invoice, journal=None):
        # EXTENDS contract: the invoice remembers its agreement and the period it covers; a unique index
        # on both makes a second invoice for the same period impossible, whatever path creates it.
        vals = super()._prepare_invoice(date_invoice, journal=journal)
        due = self.contract_line_ids.filtered(lambda line: line._can_be_invoiced(date_invoice))
        starts = [start for start in due.mapped("next_period_date_start") if start]
        vals["l10n_no_agreement_contract_id"] = self.id
        vals["l10n_no_agreement_period_start"] = min(starts) if starts else False
        return vals

    # -------------------------------------------------------------------------
    # Our run: claiming, catch-up
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_agreement_due_sql(self, company, date_ref, exclude_ids, only_ids=None):
        only = SQL("AND id = ANY(%s)", list(only_ids)) if only_ids is not None else SQL()
        return SQL(
            """
              FROM contract_contract
             WHERE company_id = %(company)s
               AND active
               AND COALESCE(generation_type, 'invoice') = 'invoice'
               AND recurring_next_date <= %(date)s
               AND (date_end IS NULL OR recurring_next_date <= date_end)
               AND NOT (id = ANY(%(exclude)s))
               %(only)s
            """,
            company=company.id,
            date=date_ref,
            exclude=list(exclude_ids),
            only=only,
        )

    @api.model
    def _l10n_no_agreement_due_count(self, company, date_ref, exclude_ids=(), only_ids=None):
        """How many agreements of ``company`` are due on ``date_ref`` (locked ones included)."""
        self.flush_model()
        rows = self.env.execute_query(
            SQL("SELECT COUNT(*) %s", self._l10n_no_agreement_due_sql(company, date_ref, exclude_ids, only_ids))
        )
        return rows[0][0]

    @api.model
    def _l10n_no_agreement_claim(self, company, date_ref, limit, exclude_ids=(), only_ids=None):
        """Lock up to ``limit`` due agreements for this transaction.

        ``FOR UPDATE SKIP LOCKED``: agreements another worker holds are skipped, so several workers (the
        daily job, a manual run, another server) share the work; once that worker commits, an agreement
        is no longer due (its next date moved on with its invoices, in the same transaction), so nobody
        invoices it again.
        """
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                "SELECT id %s ORDER BY recurring_next_date, id LIMIT %s FOR UPDATE SKIP LOCKED",
                self._l10n_no_agreement_due_sql(company, date_ref, exclude_ids, only_ids),
                limit,
            )
        )
        contracts = self.browse([row[0] for row in rows])
        # What this worker read before the lock may have been changed by a worker that committed since.
        self.env.invalidate_all()
        return contracts

    def _l10n_no_agreement_is_due(self, date_ref):
        self.ensure_one()
        next_date = self.recurring_next_date
        return bool(next_date and next_date <= date_ref and (not self.date_end or next_date <= self.date_end))

    def _l10n_no_agreement_invoice_due(self, date_ref):
        """Create these agreements' invoices for every period due on ``date_ref``: one invoice per
        missed period (catch-up), oldest first. Each round invoices the next due period of every agreement
        still due, through OCA's own preparation in one ``create`` (which moves each agreement's dates on);
        returns the new invoices. ``UserError`` when an agreement is due but has nothing to invoice, or is
        behind by more than MAX_CATCH_UP_PERIODS periods."""
        moves = self.env["account.move"]
        for _period in range(MAX_CATCH_UP_PERIODS):
            due = self.filtered(lambda contract: contract._l10n_no_agreement_is_due(date_ref))
            if not due:
                return moves
            new = due._recurring_create_invoice()
            empty = due - new.l10n_no_agreement_contract_id
            if empty:
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s is due on %(date)s but has no line to invoice.",
                        agreement=empty[0].display_name,
                        date=empty[0].recurring_next_date,
                    )
                )
            moves |= new
        behind = self.filtered(lambda contract: contract._l10n_no_agreement_is_due(date_ref))
        raise UserError(
            self.env._(
                "Agreement %(agreement)s has more than %(count)s periods to invoice: check its start and next "
                "invoice dates.",
                agreement=behind[:1].display_name,
                count=MAX_CATCH_UP_PERIODS,
            )
        )

    @api.model
    def _add_contract_origin(self, invoices):
        # OVERRIDES contract: the same chatter message, but each invoice's agreement is read from its link
        # (l10n_no_agreement_contract_id) instead of searching every agreement's invoice lines again.
        linked = invoices.filtered("l10n_no_agreement_contract_id")
        result = super(ContractContract, self - linked.l10n_no_agreement_contract_id)._add_contract_origin(
            invoices - linked
        )
        translation = self.env._("by contract")
        for move in linked:
            contract = move.l10n_no_agreement_contract_id
            move.message_post(
                body=Markup("%s %s %s.")
                % (move._creation_message(), translation, contract._get_html_link(title=contract.display_name))
            )
        return result

    @api.model
    def _invoice_followers(self, invoices):
        # OVERRIDES contract: as OCA's, with the agreement read from the invoice's link.
        subtype = self.env.ref("contract.mail_message_subtype_invoice_created")
        linked = invoices.filtered("l10n_no_agreement_contract_id")
        result = super(ContractContract, self - linked.l10n_no_agreement_contract_id)._invoice_followers(
            invoices - linked
        )
        for contract, moves in linked.grouped("l10n_no_agreement_contract_id").items():
            partners = contract.message_follower_ids.filtered(lambda f: subtype in f.subtype_ids).partner_id
            if partners:
                moves.message_subscribe(partner_ids=partners.ids)
        return result

    def action_l10n_no_agreement_invoice_now(self):
        """Button on the agreements: invoice, post and send every period due today (catch-up included),
        like the daily run does, with the failure (if any) shown in the run's log. More than the manual
        run's limit (MANUAL_LIMIT due agreements) are not invoiced while the user waits: the scheduled job
        is started instead (it commits per batch and shares the batches between workers), and the user is
        told so."""
        run_model = self.env["l10n_no.agreement.run"]
        run_model._l10n_no_agreement_check_user()
        today = fields.Date.context_today(self)
        due = sum(
            self.sudo()._l10n_no_agreement_due_count(company, today, only_ids=contracts.ids)
            for company, contracts in self.grouped("company_id").items()
        )
        if due > MANUAL_LIMIT:
            return run_model._l10n_no_agreement_queued(due)
        runs = run_model
        for company, contracts in self.grouped("company_id").items():
            run = run_model.sudo()._l10n_no_agreement_start(company, "manual")
            run._l10n_no_agreement_execute(only=contracts)
            runs |= run
        return runs.sudo(False)._l10n_no_agreement_action()
