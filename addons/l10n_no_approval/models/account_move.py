from datetime import timedelta

from nofaktura.approval import Bill, NotEligible, actors, check_may_act, may_forward_to, next_step, route

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_repr

from .l10n_no_approval_matrix import Person, library_text, to_decimal

BILL_TYPES = ("in_invoice", "in_refund")
# Written only by the approval methods (with sudo), never directly, over RPC neither.
PROTECTED_FIELDS = {"l10n_no_do_not_pay_reason", "l10n_no_autopost_after_approval"}
# l10n_no_ehf's flags of a received payee account or sender waiting for a person (optional addon).
CONFIRMATION_FIELDS = ("l10n_no_ehf_payee_to_confirm", "l10n_no_ehf_sender_to_confirm")
# OCA's stored result of the reviews: computed, never written by anybody.
COMPUTED_STATE = {"validation_status"}
# What an approval vouches for, or what routes it; other writes (tokens, sending data) skip the check.
ROUTED_FIELDS = {
    "partner_id", "partner_bank_id", "currency_id", "invoice_line_ids", "line_ids", "move_type", "company_id",
    "l10n_no_attestant_id", "amount_total", "state",
}
ACTIVITY = "l10n_no_approval.mail_activity_l10n_no_approve"
OVERRIDE_GROUP = "l10n_no_approval.group_l10n_no_approval_override"
#: bills sent round per committed batch by the approval cron
START_BATCH = 200
QUIET_MINUTES = 15


class ApprovalContext:
    """The library's view of one bill: matrix, bill, steps, and the reviews that carry them."""

    def __init__(self, matrix, bill, steps, reviews, stale, today):
        self.matrix = matrix
        self.bill = bill
        self.steps = steps
        self.reviews = reviews  # one tier.review (or None) per step
        self.stale = stale
        self.today = today

    @property
    def acted(self):
        return {
            i: Person(r.done_by)
            for i, r in enumerate(self.reviews)
            if r and r.status == "approved" and r.done_by
        }

    @property
    def index(self):
        return next_step(self.steps, self.acted)

    def kwargs(self, index):
        review = self.reviews[index]
        return {
            "acted": self.acted,
            "today": self.today,
            "pending_since": (review.l10n_no_pending_since or None) if review else None,
            "forwarded_to": Person(review.l10n_no_forward_user_id)
            if review and review.l10n_no_forward_user_id
            else None,
        }


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_no_approval_required = fields.Boolean(
        compute="_compute_l10n_no_approval", string="Needs approval (attest and anvis)"
    )
    l10n_no_approved = fields.Boolean(compute="_compute_l10n_no_approval", string="Approved")
    l10n_no_approval_step = fields.Char(compute="_compute_l10n_no_approval", string="Approval step")
    l10n_no_approval_note = fields.Char(compute="_compute_l10n_no_approval", string="Approval note")
    l10n_no_do_not_pay_reason = fields.Text(
        string="Do not pay", readonly=True, copy=False, tracking=True,
        help="Set when an approver rejected the bill; the reason they gave.",
    )
    l10n_no_autopost_after_approval = fields.Boolean(string="Post after approval", readonly=True, copy=False)
    l10n_no_payee_unconfirmed = fields.Boolean(
        compute="_compute_l10n_no_payee_unconfirmed", string="Payee account not confirmed",
        help="Nobody has confirmed the bank account this bill would be paid to yet (Odoo's \"Send money\" trust "
        "on the vendor's account, or an account received by EHF that is still to confirm): approving the bill "
        "does not confirm the account, and it is not paid until someone does.",
    )

    # ------------------------------------------------------------------ mapping to the library

    def _l10n_no_matrix(self):
        self.ensure_one()
        if self.move_type not in BILL_TYPES:
            return self.env["l10n.no.approval.matrix"]
        return self.env["l10n.no.approval.matrix"].sudo().search(
            [("company_id", "=", self.company_id.id), ("active", "=", True)], limit=1
        )

    def _l10n_no_in_flow(self):
        """Whether this is a vendor bill of a company that approves its bills."""
        self.ensure_one()
        return bool(self._l10n_no_matrix())

    def _l10n_no_reviews(self):
        self.ensure_one()
        return self.sudo().review_ids.filtered(lambda r: r.definition_id.review_type == "l10n_no_matrix").sorted(
            "sequence"
        )

    def _l10n_no_fingerprint(self):
        """What an approval vouches for: vendor, payee account, currency, amount, type."""
        self.ensure_one()
        move = self.sudo()
        digits = move.company_currency_id.decimal_places
        return "|".join((
            str(move.commercial_partner_id.id),
            str(move.partner_bank_id.id),
            str(move.currency_id.id),
            float_repr(move.amount_total_signed, digits),
            move.move_type,
        ))

    def _l10n_no_library_bill(self):
        self.ensure_one()
        move = self.sudo()
        vendor = move.commercial_partner_id
        beneficiaries = self.env["res.users"].sudo().with_context(active_test=False).search([
            ("partner_id.commercial_partner_id", "=", vendor.id),
        ]) if vendor else self.env["res.users"]
        dimensions = set()
        account_ids = set()
        for line in move.invoice_line_ids:
            for key in (line.analytic_distribution or {}):
                account_ids.update(int(part) for part in str(key).split(",") if part.isdigit())
        for account in self.env["account.analytic.account"].sudo().browse(sorted(account_ids)).exists():
            dimensions.add((str(account.root_plan_id.id), account.id))
        attestant = move["l10n_no_attestant_id"] if "l10n_no_attestant_id" in move._fields else False
        return Bill(
            amount=abs(to_decimal(move.amount_total_signed)),
            currency=move.currency_id.name or "",
            vendor=vendor.id or None,
            dimensions=tuple(sorted(dimensions)),
            registered_by=Person(move.create_uid) if move.create_uid else None,
            beneficiaries=frozenset(Person(u) for u in beneficiaries),
            attestant=Person(attestant) if attestant else None,
        )

    def _l10n_no_context(self):
        self.ensure_one()
        matrix = self._l10n_no_matrix()
        if not matrix:
            return None
        library_matrix, levels = matrix._to_library(date_from=fields.Date.context_today(self))
        bill = self._l10n_no_library_bill()
        steps = route(library_matrix, bill)
        reviews = self._l10n_no_reviews()
        by_definition = {r.definition_id.id: r for r in reviews}
        step_definitions = [levels[step.level].id for step in steps]
        stale = bool(reviews) and set(by_definition) != set(step_definitions)
        pairs = [by_definition.get(definition_id) for definition_id in step_definitions]
        return ApprovalContext(library_matrix, bill, steps, pairs, stale, fields.Date.context_today(self))

    def _l10n_no_reviewers_for(self, review):
        """Who may act on ``review`` today, by the library."""
        return self._l10n_no_reviewers_map(review).get(review, self.env["res.users"])

    def _l10n_no_reviewers_map(self, reviews):
        """{review: users who may act on it today} for reviews of this bill, from one library context."""
        self.ensure_one()
        ctx = self._l10n_no_context()
        users = self.env["res.users"]
        if ctx is None or ctx.stale:
            return {}
        result = {}
        for review in reviews:
            if review not in ctx.reviews:
                continue
            if review.status == "approved":
                result[review] = review.done_by
                continue
            index = ctx.reviews.index(review)
            now = actors(ctx.matrix, ctx.bill, ctx.steps, index, **ctx.kwargs(index))
            result[review] = users.browse(sorted(int(p) for p in now.persons))
        return result

    # ------------------------------------------------------------------ computed state

    def _l10n_no_payee_depends(self):
        # l10n_no_ehf's "to confirm" account counts when that addon is installed (no dependency on it).
        extra = ["l10n_no_ehf_payee_to_confirm"] if "l10n_no_ehf_payee_to_confirm" in self._fields else []
        return ["move_type", "partner_bank_id.allow_out_payment", *extra]

    @api.depends(lambda self: self._l10n_no_payee_depends())
    def _compute_l10n_no_payee_unconfirmed(self):
        ehf = "l10n_no_ehf_payee_to_confirm" in self._fields
        for move in self:
            bill = move.sudo()
            unconfirmed = bool(bill.partner_bank_id) and not bill.partner_bank_id.allow_out_payment
            pending = ehf and bool(bill.l10n_no_ehf_payee_to_confirm)
            move.l10n_no_payee_unconfirmed = move.move_type in BILL_TYPES and (unconfirmed or pending)

    @api.depends_context("uid")
    @api.depends("review_ids.status", "review_ids.reviewer_ids", "state", "move_type", "amount_total_signed")
    def _compute_l10n_no_approval(self):
        for move in self:
            required = bool(move.id) and move.move_type in BILL_TYPES and move._l10n_no_in_flow()
            move.l10n_no_approval_required = required
            move.l10n_no_approved = required and move._l10n_no_is_approved()
            step, note = False, False
            if required:
                current = move._l10n_no_reviews().filtered(lambda r: r.status == "pending")[:1]
                if current:
                    step = f"{current.name}: {current.todo_by or '-'}"
                    note = current.l10n_no_note or False
            move.l10n_no_approval_step = step
            move.l10n_no_approval_note = note

    def _l10n_no_is_approved(self):
        """Fully approved, for exactly what it says now (vendor, bank account, amount)."""
        self.ensure_one()
        reviews = self.sudo().review_ids
        ours = self._l10n_no_reviews()
        if not ours or self.l10n_no_do_not_pay_reason:
            return False
        if any(r.status != "approved" for r in reviews):
            return False
        fingerprint = self._l10n_no_fingerprint()
        return all(r.l10n_no_fingerprint == fingerprint for r in ours)

    def _l10n_no_blocking_reason(self):
        self.ensure_one()
        ours = self._l10n_no_reviews()
        name = self.name if self.name and self.name != "/" else self.env._("This bill")
        if self.l10n_no_do_not_pay_reason:
            return self.env._(
                "%(bill)s was rejected (do not pay): %(reason)s", bill=name, reason=self.l10n_no_do_not_pay_reason
            )
        if not ours:
            return self.env._(
                "%(bill)s must be attested and approved (anvist) before it is posted or paid. "
                "Send it for approval first (Request Validation).",
                bill=name,
            )
        pending = ours.filtered(lambda r: r.status in ("waiting", "pending"))
        if pending:
            current = pending[:1]
            return self.env._(
                "%(bill)s is not fully approved yet: waiting for %(step)s (%(who)s).",
                bill=name, step=current.name, who=current.todo_by or current.l10n_no_note or "-",
            )
        return self.env._(
            "%(bill)s was changed after it was approved (amount, vendor or bank account); "
            "its approval must be restarted.",
            bill=name,
        )

    # ------------------------------------------------------------------ OCA tier validation hooks

    def evaluate_tier(self, tier):
        if tier.review_type != "l10n_no_matrix":
            return super().evaluate_tier(tier)
        result = self.browse()
        for move in self:
            if move.move_type not in BILL_TYPES or move._l10n_no_matrix() != tier.l10n_no_matrix_id:
                continue
            matrix, levels = tier.l10n_no_matrix_id._to_library()
            if tier in {levels[step.level] for step in route(matrix, move._l10n_no_library_bill())}:
                result |= move
        return result

    def request_validation(self):
        ours = self.filtered(lambda m: m.move_type in BILL_TYPES and m._l10n_no_in_flow())
        created = self.env["tier.review"]
        others = self - ours
        if others:
            created |= super(AccountMove, others.sudo()).request_validation()
        for move in ours:
            if move.state != "draft" or move._l10n_no_reviews():
                continue
            if not self.env.su:
                move.check_access("write")
            ctx = move._l10n_no_context()
            if not ctx.steps:
                continue
            _matrix, levels = move._l10n_no_matrix()._to_library()
            reviews = self.env["tier.review"].sudo().create([
                {
                    "model": move._name,
                    "res_id": move.id,
                    "definition_id": levels[step.level].id,
                    "requested_by": self.env.uid,
                    "sequence": step.index + 1,
                    "status": "waiting",
                }
                for step in ctx.steps
            ])
            created |= reviews
            move.sudo().message_post(body=self.env._(
                "Sent for approval: %(steps)s.", steps=", ".join(reviews.mapped("name"))
            ))
            move._l10n_no_advance()
        return created

    def restart_validation(self):
        if not self.env.su:
            self.check_access("write")
        super(AccountMove, self.sudo()).restart_validation()
        self.sudo().write({"l10n_no_do_not_pay_reason": False})
        self._l10n_no_sync_activities()
        return True

    def action_l10n_no_request_approval(self):
        """Send the bills round for approval; True (over XML-RPC too, where a recordset cannot travel)."""
        self.request_validation()
        return True

    def _l10n_no_is_payee_confirmation(self, vals, exceptions):
        """The write of l10n_no_ehf's "Confirm payee/sender" (issue 10.6): its flags cleared and the
        confirmed account set, as superuser after the accounting manager's rights were checked (Odoo
        adds bookkeeping keys that the lock allows anyway). The lock of a circulating bill must let it
        through, or a received account could never be confirmed while the bill waits; the changed bank
        account restarts the approval (fingerprint)."""
        flags = {f for f in CONFIRMATION_FIELDS if f in self._fields}
        locked = set(vals) - set(exceptions)
        return bool(self.env.su and flags & set(vals) and locked <= flags | {"partner_bank_id"}
                    and not any(vals[f] for f in flags & set(vals)))

    def _check_allow_write_under_validation(self, vals):
        if self._l10n_no_is_payee_confirmation(vals, self._get_under_validation_exceptions()):
            return True
        return super()._check_allow_write_under_validation(vals)

    def _check_allow_write_after_validation(self, vals):
        if self._l10n_no_is_payee_confirmation(vals, self._get_after_validation_exceptions()):
            return True
        return super()._check_allow_write_after_validation(vals)

    def _get_under_validation_exceptions(self):
        # written by the approval methods themselves (with sudo); users are kept out by write()
        return [*super()._get_under_validation_exceptions(), *PROTECTED_FIELDS]

    def _tier_validation_check_state_on_write(self, vals):
        # The approval override group passes OCA's check too; _post has already written it in the chatter.
        if self.env.user.has_group(OVERRIDE_GROUP):
            overridden = self.filtered(lambda m: m.move_type in BILL_TYPES and m._l10n_no_in_flow())
            return super(AccountMove, self - overridden)._tier_validation_check_state_on_write(vals)
        return super()._tier_validation_check_state_on_write(vals)

    def _tier_validation_check_write_remove_reviews(self, vals):
        # OCA drops the reviews when a bill goes back to draft or is cancelled; that is the
        # approval methods' business, not the caller's rights on tier.review.
        return super(AccountMove, self.sudo())._tier_validation_check_write_remove_reviews(vals)

    def _validate_tier(self, tiers=False):
        if any(m._l10n_no_reviews() for m in self):
            # Approval of a Norwegian route is one step per action through validate_tier; OCA's
            # "approve everything I can" (e.g. on a post attempt) must not approve two steps at once.
            return None
        return super(AccountMove, self.sudo())._validate_tier(tiers.sudo() if tiers else tiers)

    def _rejected_tier(self, tiers=False):
        if any(m._l10n_no_reviews() for m in self):
            return None
        return super(AccountMove, self.sudo())._rejected_tier(tiers.sudo() if tiers else tiers)

    def validate_tier(self):
        self.ensure_one()
        if not self._l10n_no_reviews():
            self.check_access("read")  # OCA's path reads the reviews as superuser: the caller must see the bill
            return super().validate_tier()
        return self.action_l10n_no_approve()

    def reject_tier(self):
        self.ensure_one()
        if not self._l10n_no_reviews():
            self.check_access("read")
            return super().reject_tier()
        return self.action_l10n_no_open_wizard("reject")

    def unlink(self):
        self.sudo().review_ids.unlink()
        return super().unlink()

    # ------------------------------------------------------------------ actions

    def _l10n_no_check_actor(self):
        """The context and step index the current user may act on now, or a UserError saying why not."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only draft bills are approved."))
        ctx = self._l10n_no_context()
        if ctx is None or not self._l10n_no_reviews():
            raise UserError(self.env._("This bill has not been sent for approval."))
        if ctx.stale:
            raise UserError(self.env._(
                "The approval matrix or the bill changed since the approval started; restart the approval."
            ))
        if self.validation_status == "rejected":
            raise UserError(self.env._("This bill was rejected; restart the approval to send it round again."))
        index = ctx.index
        if index is None:
            raise UserError(self.env._("The bill is already fully approved."))
        try:
            check_may_act(ctx.matrix, ctx.bill, ctx.steps, Person(self.env.user), **ctx.kwargs(index))
        except NotEligible as exc:
            raise UserError(library_text(self.env, exc)) from exc
        return ctx, index

    def action_l10n_no_approve(self, comment=False):
        """Attest or anvis the current step as the current user (the library decides whether they may)."""
        for move in self:
            ctx, index = move._l10n_no_check_actor()
            review = ctx.reviews[index]
            now = actors(ctx.matrix, ctx.bill, ctx.steps, index, **ctx.kwargs(index))
            absent = [str(a) for a, stand_in in now.substituted if int(stand_in) == self.env.uid]
            review.sudo().write({
                "status": "approved",
                "done_by": self.env.uid,
                "reviewed_date": fields.Datetime.now(),
                "comment": comment or False,
                "l10n_no_fingerprint": move._l10n_no_fingerprint(),
                "l10n_no_acted_for": ", ".join(absent) or False,
            })
            body = self.env._("%(step)s: approved by %(user)s.", step=review.name, user=self.env.user.name)
            if absent:
                body += " " + self.env._("(substitute for %s)", ", ".join(absent))
            if comment:
                body += " " + comment
            move.sudo().message_post(body=body)
            move._l10n_no_advance()
        return True

    def _l10n_no_reject(self, reason):
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason why the bill must not be paid."))
        ctx, index = self._l10n_no_check_actor()
        review = ctx.reviews[index]
        review.sudo().write({
            "status": "rejected", "done_by": self.env.uid, "reviewed_date": fields.Datetime.now(), "comment": reason,
        })
        self._l10n_no_reviews().filtered(lambda r: r.status in ("waiting", "pending")).sudo().write(
            {"status": "cancel"}
        )
        self.sudo().write({"l10n_no_do_not_pay_reason": reason})
        self.sudo().message_post(body=self.env._(
            "%(step)s: rejected by %(user)s. Do not pay: %(reason)s",
            step=review.name, user=self.env.user.name, reason=reason,
        ))
        self._l10n_no_sync_activities()
        registrant = self.sudo().create_uid
        if registrant and not registrant.share and registrant.active and registrant != self.env.user:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=registrant.id,
                summary=self.env._("Bill rejected: do not pay"),
                note=reason,
            )
        return True

    def _l10n_no_send_back(self, reason):
        self.ensure_one()
        ctx, index = self._l10n_no_check_actor()
        if index == 0:
            raise UserError(self.env._("This is the first step; reject the bill or forward it instead."))
        current, previous = ctx.reviews[index], ctx.reviews[index - 1]
        previous_user = previous.done_by
        today = fields.Date.context_today(self)
        current.sudo().write({"status": "waiting", "l10n_no_forward_user_id": False, "l10n_no_pending_since": False})
        previous.sudo().write({
            "status": "pending", "done_by": False, "reviewed_date": False, "l10n_no_fingerprint": False,
            "l10n_no_acted_for": False, "l10n_no_pending_since": today, "comment": reason or False,
            "l10n_no_forward_user_id": previous_user.id,
        })
        self.sudo().message_post(body=self.env._(
            "%(step)s: sent back to %(previous)s (%(user)s) by %(actor)s. %(reason)s",
            step=current.name, previous=previous.name, user=previous_user.name or "-",
            actor=self.env.user.name, reason=reason or "",
        ))
        self._l10n_no_refresh_reviewers()
        return True

    def _l10n_no_forward(self, user, comment):
        self.ensure_one()
        ctx, index = self._l10n_no_check_actor()
        kwargs = ctx.kwargs(index)
        kwargs.pop("forwarded_to")
        if user == self.env.user or not may_forward_to(ctx.matrix, ctx.bill, ctx.steps, Person(user), **kwargs):
            raise UserError(self.env._(
                "%(user)s may not act on %(step)s of this bill, so it cannot be forwarded to them.",
                user=user.name, step=ctx.reviews[index].name,
            ))
        review = ctx.reviews[index]
        review.sudo().write({"l10n_no_forward_user_id": user.id, "comment": comment or False})
        self.sudo().message_post(body=self.env._(
            "%(step)s: forwarded by %(actor)s to %(user)s. %(comment)s",
            step=review.name, actor=self.env.user.name, user=user.name, comment=comment or "",
        ))
        self._l10n_no_refresh_reviewers()
        return True

    def action_l10n_no_open_wizard(self, action="reject"):
        self.ensure_one()
        if not self._l10n_no_reviews():
            # a routed bill's wizard checks the caller against the matrix; no wizard on any other bill
            # the caller may not see
            self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "l10n.no.approval.action",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id, "default_action": action},
        }

    def action_l10n_no_reject(self):
        return self.action_l10n_no_open_wizard("reject")

    def action_l10n_no_send_back(self):
        return self.action_l10n_no_open_wizard("send_back")

    def action_l10n_no_forward(self):
        return self.action_l10n_no_open_wizard("forward")

    # ------------------------------------------------------------------ moving the route on

    def _l10n_no_advance(self):
        """Open the next step (pending, with an activity for each person who may act), or finish."""
        for move in self:
            ctx = move._l10n_no_context()
            if ctx is None or ctx.stale:
                continue
            index = ctx.index
            if index is None:
                move.sudo().message_post(body=self.env._("Fully approved: the bill can be posted and paid."))
                move._l10n_no_sync_activities()
                if move.l10n_no_autopost_after_approval and move.state == "draft":
                    move.sudo().action_post()
                    move.sudo().message_post(body=self.env._("Posted automatically after approval (vendor set to auto-post)."))
                continue
            review = ctx.reviews[index]
            if review.status == "waiting":
                review.sudo().write({"status": "pending", "l10n_no_pending_since": fields.Date.context_today(self)})
            move._l10n_no_refresh_reviewers()
        return True

    def _l10n_no_refresh_reviewers(self):
        """Recompute who may act (substitutes, escalation, forwarding) and keep activities in step."""
        for move in self:
            reviews = move._l10n_no_reviews().filtered(lambda r: r.status in ("waiting", "pending"))
            if reviews:
                reviews.sudo().write({"l10n_no_refresh": max(reviews.mapped("l10n_no_refresh")) + 1})
                reviews.flush_recordset()
            ctx = move._l10n_no_context()
            if ctx is not None and not ctx.stale and ctx.index is not None:
                current = ctx.reviews[ctx.index]
                reason = None
                if not current.reviewer_ids:
                    reason = actors(ctx.matrix, ctx.bill, ctx.steps, ctx.index, **ctx.kwargs(ctx.index)).reason
                # the note is kept in the language of whoever refreshed first: a refresh in the other
                # language (the nightly cron, a colleague) must not rewrite it and post it again
                same = {reason.text("en"), reason.text("nb")} if reason else {""}
                if (current.l10n_no_note or "") not in same:
                    note = library_text(self.env, reason) if reason else False
                    current.sudo().write({"l10n_no_note": note})
                    if note:
                        move.sudo().message_post(body=note)
        self._l10n_no_sync_activities()
        return True

    def _l10n_no_sync_activities(self):
        """One 'Approve bill' activity per person who may act on the current step, none otherwise."""
        activity_type = self.env.ref(ACTIVITY, raise_if_not_found=False)
        if not activity_type:
            return False
        for move in self.sudo():
            current = move._l10n_no_reviews().filtered(lambda r: r.status == "pending")[:1]
            wanted = current.reviewer_ids if current and move.state == "draft" else self.env["res.users"]
            existing = move.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            existing.filtered(lambda a: a.user_id not in wanted).unlink()
            have = existing.exists().mapped("user_id")
            for user in wanted - have:
                move.activity_schedule(
                    ACTIVITY,
                    user_id=user.id,
                    summary=self.env._("%(step)s: %(bill)s", step=current.name, bill=move.partner_id.name or ""),
                    note=current.l10n_no_forward_user_id == user and current.comment or "",
                )
        return True

    # ------------------------------------------------------------------ no way round

    def write(self, vals):
        if not self.env.su and (PROTECTED_FIELDS | COMPUTED_STATE) & set(vals):
            raise AccessError(self.env._("The approval state of a bill changes only through its approval actions."))
        if {"partner_id", "partner_bank_id"} & set(vals):
            for move in self.filtered(lambda m: m.state == "posted" and m.move_type in BILL_TYPES):
                changed = ("partner_bank_id" in vals and vals["partner_bank_id"] != move.partner_bank_id.id) or (
                    "partner_id" in vals and vals["partner_id"] != move.partner_id.id
                )
                if changed and move._l10n_no_in_flow():
                    raise UserError(self.env._(
                        "%(bill)s is posted: reset it to draft to change the vendor or the bank account. "
                        "It then needs approval again.",
                        bill=move.name,
                    ))
        result = super().write(vals)
        if ROUTED_FIELDS & set(vals):
            self._l10n_no_restart_if_changed()
        if {"l10n_no_attestant_id", "invoice_line_ids", "line_ids"} & set(vals):
            # the coded attestant or the dimensions may name other people for the open steps
            self.filtered(lambda m: m.state == "draft" and m.validation_status in ("waiting", "pending"))._l10n_no_refresh_reviewers()
        return result

    def _l10n_no_restart_if_changed(self):
        """A draft bill whose amount, vendor or bank account changed after an approval starts over."""
        for move in self.filtered(lambda m: m.state == "draft" and m.move_type in BILL_TYPES):
            ours = move._l10n_no_reviews()
            if not ours or move.l10n_no_do_not_pay_reason or any(r.status == "rejected" for r in ours):
                continue  # a rejected bill waits for someone to restart it on purpose
            fingerprint = move._l10n_no_fingerprint()
            changed = any(r.status == "approved" and r.l10n_no_fingerprint != fingerprint for r in ours)
            ctx = move._l10n_no_context()
            if changed or (ctx is not None and ctx.stale):
                move.sudo().restart_validation()
                move.sudo().message_post(body=self.env._(
                    "The amount, vendor, bank account or route changed after approval started: approval restarted."
                ))
                move.sudo().request_validation()
        return True

    def _l10n_no_approval_refusal(self):
        """Why this bill may not be posted or paid now, or False when it may.

        The one gate of posting, registering a payment and payment orders (l10n_no_payment_order):
        a bill of a company that approves its bills must be fully approved for exactly what it says now
        (vendor, bank account, currency, amount)."""
        self.ensure_one()
        if self.move_type not in BILL_TYPES or not self._l10n_no_in_flow() or self._l10n_no_is_approved():
            return False
        return self._l10n_no_blocking_reason()

    def _post(self, soft=True):
        self._l10n_no_check_payable(action=self.env._("Posted"))
        return super()._post(soft=soft)

    def _l10n_no_check_payable(self, action=None):
        """Refuse posting or paying a bill that is not fully approved, unless the user holds approval
        override (logged).

        ``action`` names what was done in the log (posted, a payment order); a registered payment by default."""
        override = self.env.user.has_group(OVERRIDE_GROUP)
        for move in self:
            reason = move._l10n_no_approval_refusal()
            if not reason:
                continue
            if not override:
                raise UserError(reason)
            move.sudo().message_post(body=self.env._(
                "%(action)s without completed approval by %(user)s (approval override). %(reason)s",
                action=action or self.env._("Payment registered"), user=self.env.user.name, reason=reason,
            ))
        return True

    def _autopost_bill(self):
        # Odoo posts received bills of trusted vendors directly; here they go round for approval
        # first and are posted when the last step approves.
        if self.move_type in BILL_TYPES and self._l10n_no_in_flow():
            autopost = bool(
                self.company_id.autopost_bills and self.partner_id and self.partner_id.autopost_bills == "always"
            )
            if autopost:
                self.sudo().write({"l10n_no_autopost_after_approval": True})
            self.sudo().request_validation()
            return None
        return super()._autopost_bill()

    @api.model
    def _l10n_no_start_waiting_bills(self, company_domain, quiet):
        """Send round, a batch at a time, the bills nobody sent; each batch committed when the scheduler
        runs this (so thousands of received bills neither hold one long transaction nor start over).
        False when the scheduler's time ran out."""
        in_cron = bool(self.env.context.get("cron_id"))
        domain = [*company_domain, ("review_ids", "=", False), ("partner_id", "!=", False),
                  ("amount_total", "!=", 0), ("write_date", "<", quiet)]  # fmt: skip
        last_id = 0
        while batch := self.sudo().search([*domain, ("id", ">", last_id)], order="id", limit=START_BATCH):
            batch.request_validation()
            last_id = batch[-1].id
            if in_cron and self.env["ir.cron"]._commit_progress(len(batch)) <= 0:
                return False
        return True

    @api.model
    def _cron_l10n_no_approval(self):
        """Start approval of bills nobody sent round; move steps to and from substitutes; escalate."""
        if "lang" not in self.env.context:  # a cron has no language: write notes in the company's
            return self.with_context(lang=self.env.company.partner_id.lang or self.env.user.lang)._cron_l10n_no_approval()
        quiet = fields.Datetime.now() - timedelta(minutes=QUIET_MINUTES)
        for matrix in self.env["l10n.no.approval.matrix"].sudo().search([("active", "=", True)]):
            company = [("company_id", "=", matrix.company_id.id), ("move_type", "in", BILL_TYPES), ("state", "=", "draft")]
            if matrix.auto_start and not self._l10n_no_start_waiting_bills(company, quiet):
                return True  # the scheduler's time is up: the next run goes on where this one stopped
            open_bills = self.sudo().search([*company, ("validation_status", "in", ("waiting", "pending"))])
            open_bills._l10n_no_restart_if_changed()
            open_bills.exists()._l10n_no_refresh_reviewers()
        return True
