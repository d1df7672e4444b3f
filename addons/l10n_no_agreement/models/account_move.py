from odoo import fields, models
from odoo.exceptions import AccessError

#: Which invoices a run may post and hand on: customer documents only (bills from supplier agreements
#: stay drafts for the approval flow, as with OCA's own run).
CUSTOMER_TYPES = ("out_invoice", "out_refund")
#: Set when the invoice is created from its agreement (and the run's link by the run); never written by hand:
#: the period is what keeps an agreement from being invoiced twice for it.
PROTECTED_AGREEMENT_FIELDS = ("l10n_no_agreement_contract_id", "l10n_no_agreement_period_start", "l10n_no_agreement_run_id")


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_no_agreement_contract_id = fields.Many2one(
        "contract.contract",
        string="Agreement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The agreement (contract) this invoice was created from.",
    )
    l10n_no_agreement_period_start = fields.Date(
        string="Agreement period start",
        readonly=True,
        copy=False,
        help="First day of the agreement period this invoice covers. One invoice per agreement and period "
        "(a cancelled one excepted): a run interrupted and started again never invoices a period twice.",
    )
    l10n_no_agreement_run_id = fields.Many2one(
        "l10n_no.agreement.run",
        string="Invoicing run",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    _l10n_no_agreement_period_unique = models.UniqueIndex(
        "(l10n_no_agreement_contract_id, l10n_no_agreement_period_start) "
        "WHERE (l10n_no_agreement_contract_id IS NOT NULL AND l10n_no_agreement_period_start IS NOT NULL "
        "AND state != 'cancel')",
        "This agreement period has already been invoiced.",
    )

    def write(self, vals):
        if not self.env.su and set(vals) & set(PROTECTED_AGREEMENT_FIELDS):
            raise AccessError(self.env._("An invoice's agreement and period are set by the agreement invoicing only."))
        return super().write(vals)

    def _l10n_no_agreement_post_and_send(self):
        """Post the customer invoices among ``self`` (l10n_no_kid gives each its KID at posting) and hand
        them to the channel dispatch when l10n_no_dispatch is installed, else to Odoo's own sending queue
        (the ``account.move.send`` job, which sends by the customer's preferred method). Returns the
        posted invoices."""
        to_post = self.filtered(lambda m: m.move_type in CUSTOMER_TYPES and m.state == "draft")
        if not to_post:
            return to_post
        to_post.action_post()
        if "l10n_no_dispatch.job" in self.env and hasattr(type(self), "_l10n_no_dispatch_enqueue"):
            to_post._l10n_no_dispatch_enqueue()
        else:
            to_post.sending_data = {
                "author_user_id": self.env.user.id,
                "author_partner_id": self.env.user.partner_id.id,
            }
        return to_post
