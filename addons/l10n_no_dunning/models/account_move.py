from collections import defaultdict
from decimal import Decimal

from nofaktura.dunning import Claim, CustomerKind, PastStep, StepKind

from odoo import api, fields, models
from odoo.tools import SQL

from .dunning_access import check_protected_fields

#: Dunning fields of an invoice only the dunning run changes (see dunning_access).
PROTECTED_MOVE_FIELDS = (
    "l10n_no_dunning_state",
    "l10n_no_dunning_level_id",
    "l10n_no_dunning_last_date",
    "l10n_no_dunning_interest_until",
    "l10n_no_dunning_checked_run_id",
    "l10n_no_dunning_fee_letter_id",
)


def to_decimal(value, currency):
    """Odoo's float amounts to Decimal, rounded to the currency once at the boundary."""
    return Decimal(f"{currency.round(value):.{currency.decimal_places}f}")


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_no_dunning_disputed = fields.Boolean(
        string="Disputed", copy=False, tracking=True, help="The customer disputes the invoice: no dunning."
    )
    l10n_no_dunning_state = fields.Selection(
        [("none", "Not dunned"), ("in_dunning", "In dunning"), ("handed_over", "Handed over")],
        string="Dunning status",
        default="none",
        required=True,
        copy=False,
        index=True,
        help="Changes are logged in the chatter by the dunning run itself.",
    )
    l10n_no_dunning_level_id = fields.Many2one(
        "l10n_no.dunning.level", string="Last dunning level", copy=False, readonly=True
    )
    l10n_no_dunning_last_date = fields.Date(string="Last dunned on", copy=False, readonly=True)
    l10n_no_dunning_interest_until = fields.Date(
        string="Interest charged until", copy=False, readonly=True,
        help="Late-payment interest up to (excluding) this day is on a fee invoice already.",
    )
    l10n_no_dunning_item_ids = fields.One2many("l10n_no.dunning.item", "move_id", string="Dunning history")
    l10n_no_dunning_item_count = fields.Integer(compute="_compute_l10n_no_dunning_item_count")
    l10n_no_dunning_checked_run_id = fields.Many2one(
        "l10n_no.dunning.run", copy=False, readonly=True, index="btree_not_null",
        help="Technical: the last run that examined this invoice (lets batches resume).",
    )
    l10n_no_dunning_fee_letter_id = fields.Many2one(
        "l10n_no.dunning.letter", string="Fee invoice of", copy=False, readonly=True, index="btree_not_null",
        help="Set on fee invoices: they carry the fees and interest of this dunning letter and are not "
        "dunned themselves.",
    )

    @api.depends("l10n_no_dunning_item_ids.state")
    def _compute_l10n_no_dunning_item_count(self):
        for move in self:
            move.l10n_no_dunning_item_count = len(move.l10n_no_dunning_item_ids.filtered(lambda i: i.state == "sent"))

    # EXTENDS account
    def write(self, vals):
        check_protected_fields(self, vals, PROTECTED_MOVE_FIELDS)
        return super().write(vals)

    def action_l10n_no_dunning_history(self):
        self.ensure_one()
        self.check_access("read")
        self.env["l10n_no.dunning.item"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_no_dunning.action_l10n_no_dunning_item")
        action["domain"] = [("move_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------------------------------------
    # SELECTION
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _l10n_no_dunning_overdue_domain(self, company, today):
        """Posted customer invoices of ``company`` in its currency, open and past due on ``today``."""
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial", "in_payment")),
            ("invoice_date_due", "<", today),
            ("l10n_no_dunning_state", "!=", "handed_over"),
            ("l10n_no_dunning_fee_letter_id", "=", False),
            ("currency_id", "=", company.currency_id.id),
        ]

    def _l10n_no_dunning_payment_pending_ids(self):
        """Invoices of ``self`` with a payment on its way, which the planner must skip:

        - Odoo's own "In Payment" status (paid by a payment not yet matched with the bank);
        - a registered payment still in draft or in process for the invoice;
        - an incoming bank statement line not yet reconciled that comes from the same customer or
          carries the invoice's payment reference (KID) or number.
        """
        if not self:
            return set()
        self.env.flush_all()  # the queries read states, residuals and partners computed in this transaction
        # the unreconciled incoming bank lines are few: select them once, then match (a correlated
        # sub-query per invoice scanned the company's entries for each invoice)
        rows = self.env.execute_query(SQL(
            """
            WITH lines AS MATERIALIZED (
                SELECT sl.payment_ref, sp.commercial_partner_id AS partner_id
                  FROM account_bank_statement_line sl
                  JOIN account_move sm ON sm.id = sl.move_id
             LEFT JOIN res_partner sp ON sp.id = sl.partner_id
                 WHERE sm.company_id = ANY(%(companies)s)
                   AND sm.state = 'posted'
                   AND NOT COALESCE(sl.is_reconciled, FALSE)
                   AND sl.amount > 0
            ), moves AS MATERIALIZED (
                SELECT id, name, payment_reference, commercial_partner_id, payment_state
                  FROM account_move WHERE id = ANY(%(ids)s)
            )
            SELECT m.id FROM moves m WHERE m.payment_state = 'in_payment'
             UNION
            SELECT rel.invoice_id FROM account_move__account_payment rel
              JOIN account_payment p ON p.id = rel.payment_id
             WHERE rel.invoice_id = ANY(%(ids)s) AND p.state IN ('draft', 'in_process')
             UNION
            SELECT m.id FROM moves m JOIN lines l
                ON l.partner_id = m.commercial_partner_id
                OR (COALESCE(m.payment_reference, '') != '' AND l.payment_ref ILIKE '%%' || m.payment_reference || '%%')
                OR l.payment_ref ILIKE '%%' || m.name || '%%'
            """,
            ids=list(self.ids),
            companies=self.company_id.ids,
        ))
        return {row[0] for row in rows}

    @api.model
    def _l10n_no_dunning_credit_by_partner(self, company, partner_ids):
        """Unallocated customer credit (open credit notes, unreconciled payments) per commercial partner.

        It is set against the oldest overdue invoices first, so a customer whose credit covers the
        claim is not dunned for it.
        """
        if not partner_ids:
            return {}
        self.env.flush_all()
        rows = self.env.execute_query(SQL(
            """
            SELECT p.commercial_partner_id, -SUM(aml.amount_residual)
              FROM account_move_line aml
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN res_partner p ON p.id = aml.partner_id
             WHERE aml.company_id = %(company)s
               AND aml.parent_state = 'posted'
               AND acc.account_type = 'asset_receivable'
               AND NOT aml.reconciled
               AND aml.amount_residual < 0
               AND p.commercial_partner_id = ANY(%(partners)s)
             GROUP BY p.commercial_partner_id
            """,
            company=company.id,
            partners=list(partner_ids),
        ))
        return {partner_id: to_decimal(amount, company.currency_id) for partner_id, amount in rows}

    # ------------------------------------------------------------------------------------------------
    # LIBRARY MAPPING
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_dunning_history(self, day=None):
        """Sent dunning items per invoice, oldest first, as library ``PastStep``s, seen on ``day`` (the
        run's date; default today).

        A letter whose e-mail is still in the mail queue ("Going out") has not reached the debtor: it is a
        step under way, so no second letter of its kind goes out, but its waiting period cannot have
        started before ``day`` (issue 9: a queued e-mail does not count as sent until it is sent)."""
        day = day or fields.Date.context_today(self)
        # a letter whose e-mail failed never reached the debtor: it is no step taken (issue 9.4)
        items = self.env["l10n_no.dunning.item"].search(
            [("move_id", "in", self.ids), ("state", "=", "sent"), ("letter_id.delivery_state", "!=", "failed")],
            order="date, id",
        )
        history = defaultdict(list)
        for item in items:
            currency = item.currency_id
            sent_on, deadline = item.letter_id.delivered_on or item.date, item.deadline or None
            if item.letter_id.delivery_state == "pending" and day > item.date:
                # still queued: as if it went out on ``day``, its deadline as far from it as planned
                shift = day - item.date
                sent_on, deadline = day, deadline and deadline + shift
            history[item.move_id.id].append(PastStep(
                StepKind(item.kind),
                sent_on,  # the waiting periods run from the day the letter actually went out
                to_decimal(item.fee, currency),
                deadline,
                to_decimal(item.compensation, currency),
            ))
        return history

    def _l10n_no_dunning_claims(self, company, day=None):
        """The invoices of ``self`` as library claims on ``day`` (the run's date), with history, skip flags
        and allocated credit."""
        currency = company.currency_id
        pending = self._l10n_no_dunning_payment_pending_ids()
        history = self._l10n_no_dunning_history(day)
        credit = self._l10n_no_dunning_credit_by_partner(company, set(self.commercial_partner_id.ids))
        claims = []
        for move in self.sorted(lambda m: (m.invoice_date_due, m.id)):
            partner = move.commercial_partner_id
            open_amount = to_decimal(move.amount_residual, currency)
            available = credit.get(partner.id, Decimal(0))
            if available > 0 and open_amount > 0:
                used = min(available, open_amount)
                credit[partner.id] = available - used
                open_amount -= used
            kind = partner.l10n_no_dunning_customer_kind or ("business" if partner.is_company else "consumer")
            claims.append(Claim(
                id=move.id,
                customer_id=partner.id,
                due_date=move.invoice_date_due,
                open_amount=open_amount,
                customer_kind=CustomerKind(kind),
                history=tuple(history.get(move.id, ())),
                disputed=move.l10n_no_dunning_disputed,
                blocked=partner.l10n_no_dunning_blocked,
                payment_pending=move.id in pending,
                handed_over=move.l10n_no_dunning_state == "handed_over",
                interest_charged_until=move.l10n_no_dunning_interest_until or None,
            ))
        return claims
