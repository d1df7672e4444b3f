import json
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

#: Written by the proposal and the confirmation only.
PROTECTED_REGULATION_FIELDS = ("state", "company_id", "line_ids", "notice_ids")


class L10nNoAgreementRegulation(models.Model):
    """A yearly price regulation of the agreements of one company: the proposal (one line per agreement line
    with a clause: the new price, the index values used, or why not) to review, then the confirmation that
    posts the notices and schedules the new prices from their effective date."""

    _name = "l10n_no.agreement.regulation"
    _description = "Agreement price regulation"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, readonly=True
    )
    effective_date = fields.Date(
        required=True, help="From when the new prices apply (residential rents: not before the law allows; "
        "commercial leases: the clause's day in this date's year)."
    )
    notice_date = fields.Date(
        required=True, default=fields.Date.context_today, help="The day the notices are given (on confirmation)."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("proposed", "Proposed"), ("done", "Confirmed")],
        default="draft", required=True, readonly=True,
    )  # fmt: skip
    line_ids = fields.One2many("l10n_no.agreement.regulation.line", "regulation_id", string="Lines", readonly=True)
    notice_ids = fields.One2many("l10n_no.agreement.notice", "regulation_id", string="Notices", readonly=True)
    notice_count = fields.Integer(compute="_compute_notice_count")

    @api.depends("effective_date")
    def _compute_name(self):
        for regulation in self:
            regulation.name = self.env._("Regulation from %(date)s", date=regulation.effective_date or "")

    @api.depends("notice_ids")
    def _compute_notice_count(self):
        for regulation in self:
            regulation.notice_count = len(regulation.notice_ids)

    # -------------------------------------------------------------------------
    # Who may do it
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_regulation_check_user(self):
        """Proposing and confirming a regulation is the billing clerk's job (Invoicing; the accounting roles
        hold it through their groups): the same people set agreement prices and invoice them."""
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users (Invoicing) may regulate agreement prices."))
        return True

    def write(self, vals):
        self.check_access("write")  # the access rules first: who may not write at all is told so
        if not self.env.su and set(vals) & set(PROTECTED_REGULATION_FIELDS):
            raise AccessError(self.env._("A regulation's state and lines are written by its buttons only."))
        if not self.env.su and any(regulation.state != "draft" for regulation in self):
            raise UserError(self.env._("Only a draft regulation can be changed: make a new one."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        if any(regulation.state == "done" for regulation in self):
            raise UserError(self.env._("A confirmed regulation is kept: its notices were given."))

    # -------------------------------------------------------------------------
    # Buttons
    # -------------------------------------------------------------------------

    def action_propose(self):
        """Compute the proposal (again): one line per active agreement line with a clause; returns True."""
        self._l10n_no_regulation_check_user()
        if any(regulation.state == "done" for regulation in self):
            raise UserError(self.env._("This regulation is confirmed already."))
        series = self.env["l10n_no.kpi.value"]._l10n_no_kpi_series()
        for regulation in self:
            regulation.check_access("write")
            contract_lines = self.env["contract.line"].search([
                ("contract_id.company_id", "=", regulation.company_id.id),
                ("contract_id.active", "=", True),
                ("l10n_no_regulation_rule", "!=", "none"),
                ("is_canceled", "=", False),
                "|", ("date_end", "=", False), ("date_end", ">=", regulation.effective_date),
            ])  # fmt: skip
            values = [regulation._l10n_no_regulation_line_values(line, series) for line in contract_lines]
            regulation.sudo().write({"line_ids": [fields.Command.clear()] + [fields.Command.create(v) for v in values],
                                     "state": "proposed"})  # fmt: skip
        return True

    def action_confirm(self):
        """Give the notices (a letter per agreement to its customer, in the customer's language, sent by
        Odoo's e-mail or, with the channel dispatch, by the customer's channel) and schedule each allowed
        new price from its effective date; returns True.

        The regulation's row is locked first: two people (or two workers) confirming the same regulation
        at once are served one after the other, and the second finds it confirmed and is told so — the
        notices go out once."""
        self._l10n_no_regulation_check_user()
        self.check_access("write")
        self._l10n_no_regulation_lock()
        for regulation in self:
            if regulation.state == "done":
                raise UserError(self.env._("This regulation is confirmed already: its notices were given."))
            if regulation.state != "proposed":
                raise UserError(self.env._("Propose the regulation first, then confirm it."))
            if regulation.notice_date != fields.Date.context_today(self):
                raise UserError(
                    self.env._("The notice date is not today: propose again, so the notices say when they are given.")
                )
            allowed = regulation.line_ids.filtered("allowed")
            for line in allowed:
                contract_line = line.contract_line_id
                if contract_line.l10n_no_regulation_pending_date:
                    raise UserError(
                        self.env._("%(line)s has a new price pending already: propose again.",
                                   line=contract_line.display_name)
                    )  # fmt: skip
                contract_line.sudo().write({
                    "l10n_no_regulation_pending_price": line.new_price,
                    "l10n_no_regulation_pending_date": line.effective_date,
                })
            regulation.sudo().state = "done"
            notices = regulation.sudo()._l10n_no_regulation_make_notices(allowed)
            notices._l10n_no_agreement_send()
        return True

    def _l10n_no_regulation_lock(self):
        """Lock these regulations' rows until the transaction ends (a second confirmation waits, then fails
        on the changed row and is retried by the server, and then sees the regulation confirmed)."""
        if self.ids:
            self.env.cr.execute(SQL("SELECT id FROM %s WHERE id IN %s FOR UPDATE", SQL.identifier(self._table),
                                    tuple(self.ids)))  # fmt: skip
            self.invalidate_recordset(["state"])
        return True

    def _l10n_no_regulation_make_notices(self, allowed):
        """One notice per agreement with an allowed new price (never two: a unique index)."""
        self.ensure_one()
        Notice = self.env["l10n_no.agreement.notice"].sudo()
        existing = Notice.search([("regulation_id", "=", self.id)])
        values = []
        for contract in allowed.contract_id - existing.contract_id:
            partner = contract.partner_id
            name = self.with_context(lang=partner.lang or "en_US").env._(
                "Price regulation of %(agreement)s", agreement=contract.name)
            values.append({"name": name, "regulation_id": self.id, "company_id": self.company_id.id,
                           "contract_id": contract.id, "partner_id": partner.id,
                           "notice_date": self.notice_date})  # fmt: skip
        return existing | Notice.create(values)

    def action_view_notices(self):
        """Smart button: this regulation's notices (the letters and how they went out)."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Notices"),
            "res_model": "l10n_no.agreement.notice",
            "view_mode": "list,form",
            "domain": [("regulation_id", "=", self.id)],
        }

    # -------------------------------------------------------------------------
    # The maths (library) and the notice
    # -------------------------------------------------------------------------

    def _l10n_no_regulation_line_values(self, contract_line, series):
        """The library's outcome for one agreement line, as values of a regulation line."""
        from nofaktura.exceptions import IndexNotPublished, RegulationError  # noqa: PLC0415

        self.ensure_one()
        values = {"contract_line_id": contract_line.id, "old_price": contract_line.price_unit,
                  "new_price": contract_line.price_unit, "effective_date": self.effective_date,
                  "allowed": False}  # fmt: skip
        refusal = self._l10n_no_regulation_precheck(contract_line)
        if refusal:
            return {**values, "reason": refusal}
        try:
            result = self._l10n_no_regulation_compute(contract_line, series)
        except IndexNotPublished as error:
            return {**values, "reason": self.env._(
                "The index is not stored: fetch the KPI first (%(error)s).", error=error)}
        except (RegulationError, ValueError) as error:
            return {**values, "reason": str(error)}
        if result.allowed and result.effective_date < self.notice_date:
            return {**values, "effective_date": result.effective_date, "reason": self.env._(
                "The new price would apply from %(date)s, before the notice is given.", date=result.effective_date)}
        lang = contract_line.contract_id.partner_id.lang or "en_US"
        data = result.as_json()
        values.update({
            "allowed": result.allowed,
            "new_price": float(result.new_amount),
            "effective_date": result.effective_date,
            "index_from": str(result.index_from) if result.index_from else False,
            "index_to": str(result.index_to) if result.index_to else False,
            "change_percent": float(result.applied_percent) if result.applied_percent is not None else 0.0,
            "floor_applied": result.floor_applied,
            # the reason is for the clerk reviewing the list (the user's language), the summary for the notice
            "reason": (result.reason.text("nb") if (self.env.lang or "").startswith("nb")
                       else str.__str__(result.reason)) if result.reason else False,
            "summary": result.text("nb" if lang.startswith("nb") else "en"),
            "result_json": json.dumps(data, ensure_ascii=False),
        })  # fmt: skip
        return values

    def _l10n_no_regulation_precheck(self, contract_line):
        """Why a line cannot be regulated before any maths (a pending price, a price from the price list)."""
        if contract_line.l10n_no_regulation_pending_date:
            return self.env._("A new price from %(date)s is pending already.",
                              date=contract_line.l10n_no_regulation_pending_date)  # fmt: skip
        if contract_line.automatic_price:
            return self.env._("The price comes from the price list, not from the agreement.")
        if not contract_line.l10n_no_regulation_last_set and contract_line.l10n_no_regulation_rule != "percentage":
            return self.env._("The day the price was last set is missing on the agreement line.")
        return False

    def _l10n_no_regulation_compute(self, contract_line, series):
        from nofaktura.kpi import CommercialClause, commercial_lease, percentage, residential_rent  # noqa: PLC0415

        price = Decimal(str(contract_line.price_unit))
        rule = contract_line.l10n_no_regulation_rule
        if rule == "residential":
            return residential_rent(price, last_set=contract_line.l10n_no_regulation_last_set,
                                    notice_date=self.notice_date, series=series,
                                    effective_date=self.effective_date)  # fmt: skip
        if rule == "commercial":
            clause = CommercialClause(
                index_month=contract_line.l10n_no_regulation_index_month,
                effective_month=contract_line.l10n_no_regulation_effective_month,
                effective_day=contract_line.l10n_no_regulation_effective_day,
                share_percent=Decimal(str(contract_line.l10n_no_regulation_share)),
                floor=contract_line.l10n_no_regulation_floor,
                notice_months=contract_line.l10n_no_regulation_notice_months,
            )
            last_set = contract_line.l10n_no_regulation_last_set
            year = last_set.year if last_set >= clause.effective_date(last_set.year) else last_set.year - 1
            agreed = contract_line.l10n_no_regulation_base_amount or contract_line.price_unit
            return commercial_lease(price, agreed_rent=Decimal(str(agreed)), index_from=clause.index_period(year),
                                    year=self.effective_date.year, series=series, clause=clause,
                                    notice_date=self.notice_date)  # fmt: skip
        return percentage(price, Decimal(str(contract_line.l10n_no_regulation_percent)),
                          effective_date=self.effective_date, notice_date=self.notice_date,
                          notice_months=contract_line.l10n_no_regulation_notice_months)  # fmt: skip


class L10nNoAgreementRegulationLine(models.Model):
    _name = "l10n_no.agreement.regulation.line"
    _description = "Agreement price regulation line"
    _order = "regulation_id, contract_id, id"

    regulation_id = fields.Many2one("l10n_no.agreement.regulation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="regulation_id.company_id", store=True)
    contract_line_id = fields.Many2one("contract.line", required=True, ondelete="cascade")
    contract_id = fields.Many2one(related="contract_line_id.contract_id", store=True, string="Agreement")
    partner_id = fields.Many2one(related="contract_id.partner_id", string="Customer")
    rule = fields.Selection(related="contract_line_id.l10n_no_regulation_rule")
    allowed = fields.Boolean(readonly=True)
    old_price = fields.Float("Current price", digits="Product Price", readonly=True)
    new_price = fields.Float("New price", digits="Product Price", readonly=True)
    effective_date = fields.Date("From", readonly=True)
    index_from = fields.Char("Index from", readonly=True)
    index_to = fields.Char("Index to", readonly=True)
    change_percent = fields.Float("Change (%)", digits=(16, 2), readonly=True)
    floor_applied = fields.Boolean("Floor", readonly=True)
    reason = fields.Text("Why not", readonly=True)
    summary = fields.Char(readonly=True)
    result_json = fields.Text("Outcome (JSON)", readonly=True)
