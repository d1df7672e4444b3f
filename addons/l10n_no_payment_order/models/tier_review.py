from odoo import api, models
from odoo.exceptions import AccessError

ORDER = "account.payment.order"
#: What anybody may write on a review of a payment order: the systray promotes waiting reviews to
#: pending and OCA's reminder cron stamps its date. Status, who acted and when are written only by
#: the order's validate/reject methods, which check the four-eyes rule first and then use sudo.
FREE_FIELDS = {"last_reminder_date"}


class TierReview(models.Model):
    _inherit = "tier.review"

    def _l10n_no_order_reviews(self):
        return self.filtered(lambda r: r.model == ORDER)

    def _get_reviewers(self):
        reviewers = super()._get_reviewers()
        if self.model == ORDER and self.res_id:
            order = self.env[ORDER].sudo().browse(self.res_id).exists()
            if order:
                # Four eyes: whoever made or confirmed the order never reviews it, whatever the definition says.
                reviewers -= order._l10n_no_makers()
        return reviewers

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("model") == ORDER for vals in vals_list):
            raise AccessError(self.env._("Reviews of payment orders are created by confirming the order."))
        return super().create(vals_list)

    def write(self, vals):
        ours = self._l10n_no_order_reviews()
        if ours and not self.env.su:
            keys = set(vals)
            promote = keys == {"status"} and vals["status"] == "pending" and all(
                r.status in ("waiting", "pending") for r in ours)
            comment = keys == {"comment"} and all(self.env.user in r.reviewer_ids for r in ours)
            if not (promote or comment or keys <= FREE_FIELDS):
                raise AccessError(self.env._(
                    "Validate or reject the payment order instead of editing its reviews."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _l10n_no_unlink_order_reviews_only_by_the_order(self):
        if not self.env.su and self._l10n_no_order_reviews():
            raise AccessError(self.env._("Reviews of payment orders are removed only by restarting the validation."))
