from odoo import api, fields, models
from odoo.exceptions import AccessError

# What anybody may write on a review of a bill without going through the approval methods: the
# systray promotes waiting reviews to pending, OCA's reminder cron stamps its date, and a reviewer
# may leave a comment. Everything else (status, who acted, when, sequence, definition) is written
# only by the approval methods, which run with sudo after the library said yes.
FREE_FIELDS = {"last_reminder_date"}


class TierReview(models.Model):
    _inherit = "tier.review"

    l10n_no_role = fields.Selection(related="definition_id.l10n_no_role", string="Role")
    l10n_no_forward_user_id = fields.Many2one("res.users", string="Forwarded to", readonly=True)
    l10n_no_pending_since = fields.Date(string="Pending since", readonly=True)
    l10n_no_note = fields.Char(string="Routing note", readonly=True)
    l10n_no_acted_for = fields.Char(string="Acted for", readonly=True)
    l10n_no_fingerprint = fields.Char(string="Approved fingerprint", readonly=True, copy=False)
    l10n_no_refresh = fields.Integer(string="Reviewer refresh", readonly=True, copy=False)

    @api.model
    def _get_reviewer_fields(self):
        return [*super()._get_reviewer_fields(), "l10n_no_refresh", "l10n_no_forward_user_id", "done_by"]

    @api.depends(lambda self: self._get_reviewer_fields())
    def _compute_reviewer_ids(self):
        # One library context per bill for all its reviews, instead of one per review.
        ours = self.filtered(lambda r: r.definition_id.review_type == "l10n_no_matrix" and r.model == "account.move")
        super(TierReview, self - ours)._compute_reviewer_ids()
        by_move = {}
        for review in ours:
            by_move.setdefault(review.res_id, self.browse())
            by_move[review.res_id] |= review
        for res_id, reviews in by_move.items():
            move = self.env["account.move"].sudo().browse(res_id).exists()
            found = move._l10n_no_reviewers_map(reviews) if move else {}
            for review in reviews:
                review.reviewer_ids = found.get(review, self.env["res.users"])
        return True

    def _get_reviewers(self):
        if self.definition_id.review_type != "l10n_no_matrix" or self.model != "account.move":
            return super()._get_reviewers()
        move = self.env["account.move"].sudo().browse(self.res_id).exists()
        if not move:
            return self.env["res.users"]
        return move._l10n_no_reviewers_for(self)

    def _l10n_no_guarded(self):
        return self.filtered(lambda r: r.model == "account.move")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("model") == "account.move" for vals in vals_list):
            raise AccessError(self.env._("Reviews of bills are created by requesting approval on the bill."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self._l10n_no_guarded():
            guarded = self._l10n_no_guarded()
            keys = set(vals)
            promote = keys == {"status"} and vals["status"] == "pending" and all(
                r.status in ("waiting", "pending") for r in guarded
            )
            comment = keys == {"comment"} and all(self.env.user in r.reviewer_ids for r in guarded)
            if not (promote or comment or keys <= FREE_FIELDS):
                raise AccessError(
                    self.env._("Approve, reject, send back or forward the bill instead of editing its reviews.")
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_only_by_restart(self):
        if not self.env.su and self._l10n_no_guarded():
            raise AccessError(self.env._("Reviews of bills are removed only by restarting the approval."))
