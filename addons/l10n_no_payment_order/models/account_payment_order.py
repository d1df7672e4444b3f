import datetime
import hashlib
import re
from decimal import Decimal

from nofaktura.bank.pain001 import write_pain001
from nofaktura.bank.pain002 import REASON_CODES, StatusKind, read_pain002
from nofaktura.bank.payment_order import CreditTransfer, InvoiceReference, PaymentOrder, PostalAddress
from nofaktura.bank.proposal import Bill, Reason, propose
from nofaktura.exceptions import NofakturaError, TransportError
from nofaktura.kid import looks_like_kid
from nofaktura.messages import msg
from nofaktura.messages import text as nf_text

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

#: Who approves an order for sending (four-eyes): the Invoicing/Accounting administrator.
APPROVER_GROUP = "account.group_account_manager"
#: Our own fields on the order: written only by the methods below (never by a plain write).
PROTECTED = {
    "l10n_no_approved_by_id", "l10n_no_approved_date", "l10n_no_approved_fingerprint", "l10n_no_message_id",
    "l10n_no_file_name", "l10n_no_file_sha256", "l10n_no_file_time", "l10n_no_sent_time", "l10n_no_sent_by_id",
    "l10n_no_sent_to", "l10n_no_confirmed_by_id",
}  # fmt: skip
_INTERNAL = "l10n_no_payment_internal"


class AccountPaymentOrder(models.Model):
    _name = "account.payment.order"
    _inherit = ["account.payment.order", "tier.validation"]
    # Four-eyes on sending (base_tier_validation): a confirmed order is reviewed before its file is written.
    _state_from = ["open"]
    _state_to = ["generated", "uploaded"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    l10n_no_is_credit_transfer = fields.Boolean(related="payment_mode_id.l10n_no_is_credit_transfer",
                                                string="Norwegian credit transfer")
    l10n_no_leftout_ids = fields.One2many("l10n_no.payment.leftout", "order_id", string="Left out", readonly=True)
    l10n_no_leftout_count = fields.Integer(string="Bills left out", compute="_compute_l10n_no_leftout_count")
    l10n_no_confirmed_by_id = fields.Many2one("res.users", string="Confirmed by", readonly=True, copy=False)
    l10n_no_approved_by_id = fields.Many2one("res.users", string="Approved for sending by", readonly=True, copy=False,
                                             tracking=True)
    l10n_no_approved_date = fields.Datetime(string="Approved on", readonly=True, copy=False)
    l10n_no_approved_fingerprint = fields.Char(string="Approved fingerprint", readonly=True, copy=False)
    l10n_no_message_id = fields.Char(string="Message id", readonly=True, copy=False, index="btree_not_null")
    l10n_no_file_name = fields.Char(string="Payment file", readonly=True, copy=False)
    l10n_no_file_sha256 = fields.Char(string="File SHA-256", readonly=True, copy=False)
    l10n_no_file_time = fields.Datetime(string="File written", readonly=True, copy=False)
    l10n_no_sent_time = fields.Datetime(string="Sent", readonly=True, copy=False, tracking=True)
    l10n_no_sent_by_id = fields.Many2one("res.users", string="Sent by", readonly=True, copy=False)
    l10n_no_sent_to = fields.Char(string="Sent to", readonly=True, copy=False)

    @api.depends("l10n_no_leftout_ids")
    def _compute_l10n_no_leftout_count(self):
        for order in self:
            order.l10n_no_leftout_count = len(order.l10n_no_leftout_ids)

    # ------------------------------------------------------------------------------------------
    # Guard: state and our fields change only through the methods below
    # ------------------------------------------------------------------------------------------

    def write(self, vals):
        if not self.env.context.get(_INTERNAL) and not self.env.su:
            touched = PROTECTED & set(vals)
            if "state" in vals and any(self.mapped("l10n_no_is_credit_transfer")):
                touched.add("state")
            if touched:
                raise AccessError(self.env._(
                    "%(fields)s of a Norwegian payment order change only through its buttons.",
                    fields=", ".join(sorted(touched)),
                ))
        return super().write(vals)

    def _l10n_no_internal(self):
        return self.with_context(**{_INTERNAL: True})

    def _l10n_no_orders(self):
        return self.filtered("l10n_no_is_credit_transfer")

    # ------------------------------------------------------------------------------------------
    # Proposal
    # ------------------------------------------------------------------------------------------

    def _l10n_no_bill(self, line, today, approved=None):
        """The library's view of one open payable journal item.

        ``approved`` is l10n_no_approval's gate (the one of posting and registering a payment) unless given."""
        move = line.move_id
        if approved is None:
            approved = not move._l10n_no_approval_refusal()
        bank = line.partner_bank_id or move.partner_bank_id
        reference = (move.payment_reference or "").strip()
        kid = reference if reference and looks_like_kid(reference) else None
        # The payee's own reference (their invoice number), never our internal bill number.
        message = move.ref or (reference if not kid else None)
        partner = move.commercial_partner_id
        currency = line.currency_id or line.company_id.currency_id
        residual = line.amount_residual_currency if line.currency_id else line.amount_residual
        amount = Decimal(f"{abs(residual):.{currency.decimal_places}f}")
        address = None
        if partner.country_id:
            address = PostalAddress(country=partner.country_id.code, town=(partner.city or None) and partner.city[:35])
        return Bill(
            ref=line.id, payee=(partner.id, bank.id), payee_name=(partner.name or "")[:140],
            due_date=line.date_maturity or move.invoice_date_due or today, amount=amount,
            payee_account=bank.acc_number or None, account_confirmed=move._l10n_no_payment_payee_confirmed(bank),
            currency=currency.name, kid=kid, message=message and message[:140], number=(move.ref or move.name)[:35],
            approved=approved, blocked=move.payment_state == "blocked",
            credit_note=move.move_type == "in_refund", payee_bic=bank.bank_bic or None, payee_address=address,
            regulatory_code=partner.l10n_no_payment_purpose_code or None,
            regulatory_text=partner.l10n_no_payment_purpose_text or None,
        )  # fmt: skip

    def _l10n_no_open_payables(self):
        """Open vendor bill and credit note items of the order's company not already in another live order."""
        self.ensure_one()
        lines = self.env["account.move.line"].search([
            ("company_id", "=", self.company_id.id), ("parent_state", "=", "posted"),
            ("account_type", "=", "liability_payable"), ("reconciled", "=", False),
            ("move_id.move_type", "in", ("in_invoice", "in_refund")), ("amount_residual", "!=", 0),
        ])  # fmt: skip
        return lines.filtered(lambda ml: not ml.payment_line_ids.filtered(
            lambda pl: pl.order_id != self and pl.state in ("draft", "open", "generated")))

    def action_l10n_no_propose(self, days=None):
        """Fill a draft order with the bills to pay now and list the others with the reason.

        Lines added by the proposal before are replaced; ``days`` overrides the payment mode's horizon."""
        self.check_access("write")  # the Payments group; the steps below write as the order's own methods
        for order in self._l10n_no_orders():
            if order.state != "draft":
                raise UserError(self.env._("Only a draft payment order can be proposed again."))
            today = fields.Date.context_today(order)
            horizon = order.payment_mode_id.l10n_no_proposal_days if days is None else days
            candidates = order._l10n_no_open_payables()
            order.payment_line_ids.filtered("l10n_no_group_key").unlink()
            candidates -= order.payment_line_ids.move_line_id  # lines the user added by hand stay as they are
            proposal = propose([order._l10n_no_bill(ml, today) for ml in candidates], today=today,
                               horizon_days=max(0, horizon),
                               net_credit_notes=order.payment_mode_id.l10n_no_net_credit_notes)  # fmt: skip
            order._l10n_no_add_lines(proposal)
            order.l10n_no_leftout_ids.unlink()
            self.env["l10n_no.payment.leftout"].create([
                {"order_id": order.id, "move_line_id": left.bill.ref, "reason": left.reason.value,
                 "detail": (order._l10n_no_leftout_detail(left) or "")[:250] or False}
                for left in proposal.left_out
            ])  # fmt: skip
        return True

    def _l10n_no_leftout_detail(self, left):
        """The library's detail, or for a bill not approved the approval gate's own reason."""
        if left.reason is Reason.NOT_APPROVED:
            return self.env["account.move.line"].browse(left.bill.ref).move_id._l10n_no_approval_refusal() or None
        return left.detail

    def _l10n_no_check_payable(self):
        """The approval gate for every bill in the order: refused with its reason, or logged under override."""
        self.ensure_one()
        moves = self.payment_line_ids.move_line_id.move_id
        return moves._l10n_no_check_payable(action=self.env._("Put in payment order %(order)s", order=self.name))

    def _l10n_no_add_lines(self, proposal):
        self.ensure_one()
        MoveLine = self.env["account.move.line"]
        vals_list = []
        for line in proposal.lines:
            key = f"bill-{line.bill.ref}"
            for bill, amount in ((line.bill, line.bill.amount), *((c, -c.amount) for c in line.credit_notes)):
                ml = MoveLine.browse(bill.ref)
                vals = ml._prepare_payment_line_vals(self)
                vals.update({
                    "communication": line.kid or line.text or bill.number,
                    "communication_type": "structured" if line.kid else "normal",
                    "amount_currency": float(amount), "l10n_no_group_key": key,
                    "partner_bank_id": (ml.partner_bank_id or ml.move_id.partner_bank_id).id,
                })  # fmt: skip
                vals_list.append(vals)
        return self.env["account.payment.line"].create(vals_list)

    def _l10n_no_check_lines(self):
        """Every line of the order must still pass the proposal's checks (also lines added by hand)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        lines = self.payment_line_ids
        if not lines.move_line_id or lines.filtered(lambda pl: not pl.move_line_id):
            raise UserError(self.env._("Every line of a Norwegian payment order must pay a vendor bill."))
        # Approval first, with the gate's reason; the approval override is the only exception (logged).
        self._l10n_no_check_payable()
        bills = [self._l10n_no_bill(ml, today, approved=True) for ml in lines.move_line_id]
        proposal = propose(bills, today=today, chosen=[b.ref for b in bills],
                           net_credit_notes=self.payment_mode_id.l10n_no_net_credit_notes)  # fmt: skip
        if proposal.left_out:
            MoveLine = self.env["account.move.line"]
            reasons = dict(self.env["l10n_no.payment.leftout"]._fields["reason"]._description_selection(self.env))
            raise UserError(self.env._("These bills cannot be paid:\n%(list)s", list="\n".join(
                f"{MoveLine.browse(left.bill.ref).move_id.display_name}: {reasons[left.reason.value]}"
                + (f" ({left.detail})" if left.detail else "")
                for left in proposal.left_out)))
        # Group as the check decided; hand-added lines get the same netting as proposed ones.
        by_ml = {pl.move_line_id.id: pl for pl in lines}
        for line in proposal.lines:
            for bill in line.bills:
                by_ml[bill.ref].l10n_no_group_key = f"bill-{line.bill.ref}"
        return True

    # ------------------------------------------------------------------------------------------
    # Workflow (OCA states) with the Norwegian checks
    # ------------------------------------------------------------------------------------------

    def draft2open(self):
        self.check_access("write")  # the Payments group; the steps below write as the order's own methods
        for order in self._l10n_no_orders():
            order._l10n_no_check_lines()
            order._l10n_no_ensure_method_line()
        ours = self._l10n_no_orders()
        result = super(AccountPaymentOrder, self.with_context(force_payment_move=True, **{_INTERNAL: True}))\
            .draft2open()  # fmt: skip
        ours._l10n_no_internal().write({"l10n_no_confirmed_by_id": self.env.uid})
        # Confirming sends the order round for its review (four eyes) at once.
        ours.filtered("need_validation").sudo().request_validation()
        return result

    def _l10n_no_ensure_method_line(self):
        """The bank journal needs an outgoing method line for the Norwegian credit transfer."""
        self.ensure_one()
        journal = self.journal_id
        method = self.payment_mode_id.payment_method_id
        if journal and not journal.outbound_payment_method_line_ids.filtered(lambda line: line.payment_method_id == method):
            journal.sudo().outbound_payment_method_line_ids = [Command.create(
                {"name": method.name, "payment_method_id": method.id})]

    def _l10n_no_fingerprint(self):
        """What the approver saw: every payment's amount, currency, account and reference."""
        self.ensure_one()
        parts = [self.journal_id.bank_account_id.sanitized_acc_number or ""]
        for payment in self.payment_ids.sorted("id"):
            parts.append("|".join([
                str(payment.id), f"{payment.amount:.6f}", payment.currency_id.name or "",
                payment.partner_bank_id.sanitized_acc_number or "", payment.partner_id.name or "",
                ";".join(f"{pl.move_line_id.id}:{pl.amount_currency:.6f}:{pl.communication}"
                         for pl in payment.payment_line_ids.sorted("id")),
            ]))  # fmt: skip
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    # ------------------------------------------------------------------------------------------
    # Four eyes by tier validation (the OCA reviews; the rules below hold for every caller)
    # ------------------------------------------------------------------------------------------

    def _l10n_no_makers(self):
        """Who may never review this order: the person who made it and the one who confirmed it."""
        self.ensure_one()
        return self.sudo().create_uid | self.sudo().l10n_no_confirmed_by_id

    def _l10n_no_check_reviewer(self):
        """The current user may approve or reject this order now, or a clear error says why not."""
        self.ensure_one()
        self.check_access("write")
        if self.l10n_no_is_credit_transfer and not self.env.user.has_group(APPROVER_GROUP):
            raise AccessError(self.env._("Only an accounting administrator may approve a payment order for sending."))
        if self.state not in self._state_from:
            raise UserError(self.env._("Only a confirmed payment order can be approved for sending."))
        if self.env.user in self._l10n_no_makers():
            raise UserError(self.env._(
                "Four eyes: the order was made or confirmed by you, so someone else must approve it for sending."))
        if not self.can_review:
            raise UserError(self.env._("You are not a reviewer of payment order %(order)s now.", order=self.name))
        return True

    def validate_tier(self):
        self.ensure_one()
        self._l10n_no_check_reviewer()
        return super().validate_tier() or True

    def reject_tier(self):
        self.ensure_one()
        self._l10n_no_check_reviewer()
        return super().reject_tier() or True

    def _validate_tier(self, tiers=False):
        self.ensure_one()
        if self.env.user in self._l10n_no_makers() or (
                self.l10n_no_is_credit_transfer and not self.env.user.has_group(APPROVER_GROUP)):
            # OCA also approves "on the attempt" (a reviewer generating the file); never for the maker.
            return None
        result = super(AccountPaymentOrder, self.sudo())._validate_tier(tiers.sudo() if tiers else tiers)
        if self.l10n_no_is_credit_transfer and self.validation_status == "validated":
            self._l10n_no_internal().write({
                "l10n_no_approved_by_id": self.env.uid, "l10n_no_approved_date": fields.Datetime.now(),
                "l10n_no_approved_fingerprint": self._l10n_no_fingerprint(),
            })  # fmt: skip
            self.message_post(body=self.env._("Approved for sending by %(user)s.", user=self.env.user.name))
        return result

    def _rejected_tier(self, tiers=False):
        self.ensure_one()
        if self.env.user in self._l10n_no_makers():
            return None
        return super(AccountPaymentOrder, self.sudo())._rejected_tier(tiers.sudo() if tiers else tiers)

    def request_validation(self):
        # Reviews are created by the order's own methods (tier.review refuses direct writes on orders).
        for order in self:
            order.check_access("write")
        reviews = super(AccountPaymentOrder, self.sudo()).request_validation()
        # need_validation has no dependencies: it would stay cached as True for the rest of the transaction.
        self.invalidate_recordset(["need_validation", "review_ids", "validation_status"])
        return reviews

    def _tier_validation_check_state_on_write(self, vals):
        self.invalidate_recordset(["need_validation"])
        return super()._tier_validation_check_state_on_write(vals)

    def restart_validation(self):
        """Drop the reviews of confirmed orders and send them round again (after a change or a rejection)."""
        for order in self:
            order.check_access("write")
        open_orders = self.filtered(lambda o: o.state in self._state_from)
        super(AccountPaymentOrder, open_orders.sudo()).restart_validation()
        open_orders.invalidate_recordset(["need_validation", "review_ids", "validation_status"])
        open_orders._l10n_no_internal().write(
            {"l10n_no_approved_by_id": False, "l10n_no_approved_date": False, "l10n_no_approved_fingerprint": False})
        open_orders.sudo().request_validation()
        return True

    def _tier_validation_check_write_remove_reviews(self, vals):
        # OCA drops the reviews when an order is cancelled or goes back to draft: the order's business,
        # not the caller's rights on tier.review.
        return super(AccountPaymentOrder, self.sudo())._tier_validation_check_write_remove_reviews(vals)

    def _get_under_validation_exceptions(self):
        # Written by the order's own methods while it is under review; users are kept out by write().
        return [*super()._get_under_validation_exceptions(), *PROTECTED]

    def _l10n_no_review_changed(self):
        """A change of what was approved (amounts, accounts, references) restarts the review."""
        changed = self.filtered(lambda o: o.l10n_no_is_credit_transfer and o.state in self._state_from
                                and o.l10n_no_approved_fingerprint
                                and o.l10n_no_approved_fingerprint != o._l10n_no_fingerprint())  # fmt: skip
        if changed:
            changed.sudo().restart_validation()
            for order in changed:
                order.sudo().message_post(body=self.env._(
                    "The order changed after it was approved for sending; its review starts again."))
        return True

    def _l10n_no_check_approved(self):
        for order in self:
            order._l10n_no_check_payable()  # a bill changed since confirmation is refused here
            reviews = order.sudo().review_ids
            if order.validation_status != "validated" or not reviews or not order.l10n_no_approved_by_id:
                raise UserError(self.env._("Payment order %(order)s must be approved for sending first (four eyes).",
                                           order=order.name))
            if reviews.done_by & order._l10n_no_makers() or order.l10n_no_approved_by_id & order._l10n_no_makers():
                raise UserError(self.env._(
                    "Four eyes: payment order %(order)s was approved by the person who made or confirmed it.",
                    order=order.name))
            if order.l10n_no_approved_fingerprint != order._l10n_no_fingerprint():
                raise UserError(self.env._(
                    "Payment order %(order)s changed after it was approved; restart its validation and have it "
                    "approved again.", order=order.name))
        return True

    def open2generated(self):
        self.check_access("write")  # the Payments group; the steps below write as the order's own methods
        self._l10n_no_orders()._l10n_no_check_approved()
        return super(AccountPaymentOrder, self._l10n_no_internal()).open2generated()

    def generate_payment_file(self):
        self.ensure_one()
        self.check_access("write")  # the Payments group; the steps below write as the order's own methods
        if not self.l10n_no_is_credit_transfer:
            return super().generate_payment_file()
        self._l10n_no_check_approved()
        now = fields.Datetime.now()
        message_id = f"{re.sub(r'[^A-Za-z0-9-]', '', self.name or '')[:16]}-{self.id}-{now:%y%m%d%H%M%S}"
        order = self._l10n_no_payment_order(message_id)
        version = self.payment_mode_id.l10n_no_pain_version or "03"
        data = write_pain001(order, created=now.replace(tzinfo=datetime.UTC), version=version)
        filename = f"pain001-{message_id}.xml"
        batches = order.batch_ids()
        for payment in self.payment_ids:
            e2e = _e2e(payment)
            payment.with_context(**{_INTERNAL: True}).write(
                {"l10n_no_end_to_end_id": e2e, "l10n_no_payment_info_id": batches[e2e]})
        self._l10n_no_internal().write({
            "l10n_no_message_id": message_id, "l10n_no_file_name": filename,
            "l10n_no_file_sha256": hashlib.sha256(data).hexdigest(), "l10n_no_file_time": now,
        })  # fmt: skip
        return data, filename

    def _l10n_no_payment_order(self, message_id):
        """The library's checked PaymentOrder of this order's payments (errors name the payment at fault)."""
        self.ensure_one()
        company = self.company_id
        journal = self.journal_id
        mode = self.payment_mode_id
        transfers = []
        for payment in self.payment_ids.filtered(lambda p: p.state != "canceled").sorted("id"):
            transfers.append(self._l10n_no_transfer(payment, mode))
        try:
            return PaymentOrder(
                message_id=message_id, debtor_name=company.name[:140],
                debtor_account=journal.bank_account_id.acc_number or "",
                debtor_orgnr=company.company_registry or None,
                debtor_bic=journal.bank_account_id.bank_bic or None,
                bank_customer_id=mode.l10n_no_bank_agreement_id or None,
                batch_booking=mode.l10n_no_batch_booking, regulatory_reporting=True,
                execution_date=min((t.execution_date for t in transfers), default=fields.Date.context_today(self)),
                transfers=tuple(transfers),
            )  # fmt: skip
        except NofakturaError as exc:
            raise UserError(self.env._("The payment file cannot be written: %(error)s", error=nf_text(exc, self.env.lang))) from exc

    def _l10n_no_transfer(self, payment, mode):
        lines = payment.payment_line_ids.sorted("id")
        bill_lines = lines.filtered(lambda pl: pl.amount_currency > 0)
        currency = payment.currency_id
        places = currency.decimal_places
        partner = payment.partner_id.commercial_partner_id
        bank = payment.partner_bank_id
        kid = text = None
        invoices = ()
        if len(lines) == 1:
            if lines.communication_type == "structured":
                kid = lines.communication
            else:
                text = (lines.communication or "")[:140]
        else:
            invoices = tuple(
                InvoiceReference(
                    (pl.move_line_id.move_id.ref or pl.move_line_id.move_id.name)[:35],
                    Decimal(f"{abs(pl.amount_currency):.{places}f}"), credit_note=pl.amount_currency < 0,
                )  # fmt: skip
                for pl in lines
            )
        address = None
        if partner.country_id:
            address = PostalAddress(country=partner.country_id.code, town=(partner.city or None) and partner.city[:35])
        abroad = bank.acc_number and bank.sanitized_acc_number[:2].isalpha() and bank.sanitized_acc_number[:2] != "NO"
        try:
            return CreditTransfer(
                end_to_end_id=_e2e(payment), amount=Decimal(f"{payment.amount:.{places}f}"), currency=currency.name,
                creditor_name=(partner.name or "")[:140], creditor_account=bank.acc_number or "",
                creditor_bic=bank.bank_bic or None, creditor_address=address, kid=kid, text=text, invoices=invoices,
                execution_date=max(bill_lines.mapped("date") or [fields.Date.context_today(self)]),
                category_purpose=mode.l10n_no_category_purpose or None,
                regulatory_code=(partner.l10n_no_payment_purpose_code or None) if abroad else None,
                regulatory_text=(partner.l10n_no_payment_purpose_text or None) if abroad else None,
            )  # fmt: skip
        except NofakturaError as exc:
            raise UserError(self.env._("Payment to %(partner)s cannot be written: %(error)s",
                                       partner=partner.display_name, error=nf_text(exc, self.env.lang))) from exc

    # ------------------------------------------------------------------------------------------
    # Delivery
    # ------------------------------------------------------------------------------------------

    def _l10n_no_file(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].search([
            ("res_model", "=", self._name), ("res_id", "=", self.id), ("name", "=", self.l10n_no_file_name),
        ], limit=1)  # fmt: skip
        data = attachment.raw if attachment else b""
        if not data or hashlib.sha256(data).hexdigest() != self.l10n_no_file_sha256:
            raise UserError(self.env._("The payment file of %(order)s is missing or was changed; it is not sent.",
                                       order=self.name))
        return data

    def action_l10n_no_send(self):
        """Deliver the generated file by the bank journal's channel (or record that it was downloaded) — once."""
        return self.generated2uploaded()

    def generated2uploaded(self):
        """OCA's "file uploaded" step; for a Norwegian order it first delivers the file (or records the
        download), exactly once, then posts the payments and reconciles them with the bills."""
        self.check_access("write")  # the Payments group; the steps below write as the order's own methods
        ours = self._l10n_no_orders()
        files = {order.id: order._l10n_no_check_sendable() for order in ours}
        # Post and reconcile first, deliver last: if delivery fails, everything is rolled back and nothing
        # went to the bank; once the file is delivered only our own bookkeeping is left to write.
        result = super(AccountPaymentOrder, self._l10n_no_internal()).generated2uploaded()
        for order in ours:
            order._l10n_no_deliver(files[order.id])
            order.payment_ids.filtered(lambda p: p.state != "canceled").with_context(**{_INTERNAL: True}).write(
                {"l10n_no_bank_state": "sent"})
            order.message_post(body=self.env._("Payment file %(file)s sent (%(where)s).",
                                               file=order.l10n_no_file_name, where=order.l10n_no_sent_to))
        return result

    def _l10n_no_check_sendable(self):
        """The file to send, after checking the order may be sent (approved, unchanged, never sent)."""
        self.ensure_one()
        self.check_access("write")
        if self.l10n_no_sent_time or self.state != "generated":
            raise UserError(self.env._("Payment order %(order)s was already sent or has no file to send.",
                                       order=self.name))
        self._l10n_no_check_approved()
        return self._l10n_no_file()

    def _l10n_no_deliver(self, data):
        self.ensure_one()
        mode = self.payment_mode_id
        if mode.l10n_no_delivery == "channel":
            source = self.journal_id._l10n_no_bank_source()
            if source is None:
                raise UserError(self.env._("Bank journal %(journal)s has no folder or SFTP channel.",
                                           journal=self.journal_id.display_name))
            try:
                where = source.deliver(self.l10n_no_file_name, data, mode.l10n_no_outbox or "outbox")
            except TransportError as exc:
                raise UserError(self.env._("Sending the payment file failed: %(error)s", error=nf_text(exc, self.env.lang))) from exc
            finally:
                source.close()
        else:
            where = self.env._("downloaded by %(user)s", user=self.env.user.name)
        self._l10n_no_internal().write({
            "l10n_no_sent_time": fields.Datetime.now(), "l10n_no_sent_by_id": self.env.uid,
            "l10n_no_sent_to": where,
        })  # fmt: skip

    def _l10n_no_check_not_sent(self):
        for order in self._l10n_no_orders():
            if order.l10n_no_sent_time and any(p.l10n_no_bank_state != "rejected" for p in order.payment_ids):
                raise UserError(self.env._(
                    "Payment order %(order)s was sent to the bank: it cannot be cancelled or sent again. "
                    "Ask the bank to stop a payment; a payment the bank rejects reopens its bill.", order=order.name))

    def action_cancel(self):
        self.check_access("write")  # the Payments group; the steps below write as the order's own methods
        self._l10n_no_check_not_sent()
        ours = self._l10n_no_orders()
        result = super(AccountPaymentOrder, self._l10n_no_internal()).action_cancel()
        ours._l10n_no_internal().write({"l10n_no_approved_by_id": False, "l10n_no_approved_fingerprint": False})
        return result

    def cancel2draft(self):
        self.check_access("write")  # the Payments group; the steps below write as the order's own methods
        for order in self._l10n_no_orders():
            if order.l10n_no_sent_time:
                raise UserError(self.env._("Payment order %(order)s was sent to the bank; make a new order.",
                                           order=order.name))
        return super(AccountPaymentOrder, self._l10n_no_internal()).cancel2draft()

    # ------------------------------------------------------------------------------------------
    # Feedback: pain.002 status reports
    # ------------------------------------------------------------------------------------------

    def action_l10n_no_upload_answer(self):
        """Upload a pain.002 or camt.054 from the bank (the bank-file import of l10n_no_bank reads both)."""
        self.ensure_one()
        return self.journal_id.action_l10n_no_bank_import()

    @api.model
    def _l10n_no_apply_status(self, data, filename):
        """Apply a pain.002 to the order it answers; return (order, summary text)."""
        try:
            report = read_pain002(data, source=filename)
        except NofakturaError as exc:
            raise UserError(self.env._("The status report was refused: %(error)s", error=nf_text(exc, self.env.lang))) from exc
        order = self.search([("l10n_no_message_id", "=", report.original_message_id or "-"),
                             ("company_id", "in", self.env.companies.ids)], limit=1)  # fmt: skip
        if not order:
            raise UserError(self.env._(
                "The status report %(file)s answers payment file %(message)s, which no payment order here sent.",
                file=filename, message=report.original_message_id or "?"))
        unlisted = "ACCP" if order.payment_mode_id.l10n_no_unlisted_accepted else None
        counts = {"accepted": 0, "rejected": 0, "pending": 0}
        for payment in order.payment_ids.filtered("l10n_no_end_to_end_id").sorted("id"):
            outcome = report.outcome(payment.l10n_no_end_to_end_id, payment.l10n_no_payment_info_id,
                                     unlisted_in_partial=unlisted)  # fmt: skip
            if outcome.kind is StatusKind.REJECTED:
                counts["rejected"] += 1
                if payment.l10n_no_bank_state in ("sent", "accepted"):
                    payment._l10n_no_reject(self._l10n_no_reason_words(outcome.reasons))
            elif outcome.kind is StatusKind.ACCEPTED:
                counts["accepted"] += 1
                if payment.l10n_no_bank_state == "sent":
                    payment.with_context(**{_INTERNAL: True}).l10n_no_bank_state = "accepted"
            else:
                counts["pending"] += 1
        summary = self.env._(
            "Status report %(file)s for %(order)s: %(accepted)s accepted, %(rejected)s rejected, "
            "%(pending)s still pending.", file=filename, order=order.name, **counts)
        order.message_post(body=summary)
        return order, summary

    @api.model
    def _l10n_no_reason_words(self, reasons):
        """The bank's reasons in words: code, our translated text for the code, and the bank's own text."""
        if not reasons:
            return self.env._("No reason given by the bank")
        parts = []
        for reason in reasons:
            head = reason.code or reason.proprietary or "-"
            if reason.code in REASON_CODES:  # the library's catalogue has the reason in English and Bokmål
                head += f" ({nf_text(msg(f'pain002.{reason.code}'), self.env.lang)})"
            parts.append(f"{head}: {' '.join(reason.additional_info)}" if reason.additional_info else head)
        return "; ".join(parts)


def _e2e(payment):
    """End-to-end id of a payment: unique in the database, at most 35 characters, the bank echoes it back."""
    return f"NOFK{payment.id:010d}"

