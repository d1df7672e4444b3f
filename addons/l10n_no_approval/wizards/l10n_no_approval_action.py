from odoo import api, fields, models
from odoo.exceptions import UserError


class L10nNoApprovalAction(models.TransientModel):
    """Reject (do not pay), send back to the previous step, or forward to another eligible person."""

    _name = "l10n.no.approval.action"
    _description = "Approval action with a reason or comment"

    move_id = fields.Many2one("account.move", required=True, readonly=True, ondelete="cascade")
    action = fields.Selection(
        [("reject", "Reject (do not pay)"), ("send_back", "Send back to the previous step"),
         ("forward", "Forward to another person")],
        required=True, readonly=True, default="reject",
    )
    user_id = fields.Many2one("res.users", string="Forward to", domain="[('id', 'in', allowed_user_ids)]")
    allowed_user_ids = fields.Many2many("res.users", compute="_compute_allowed_user_ids")
    reason = fields.Text(string="Reason / comment")

    @api.depends("move_id", "action")
    def _compute_allowed_user_ids(self):
        for wizard in self:
            users = self.env["res.users"]
            move = wizard.move_id.sudo()
            if wizard.action == "forward" and move:
                current = move._l10n_no_reviews().filtered(lambda r: r.status == "pending")[:1]
                if current:
                    definition = current.definition_id
                    candidates = self.env["res.users"].browse(
                        move._l10n_no_matrix().authority_ids.filtered(
                            lambda a, d=definition: a.role == d.l10n_no_role and a.level == d.l10n_no_level
                        ).user_id.ids
                        + move._l10n_no_matrix().attestant_rule_ids.user_id.ids
                    )
                    users = candidates - self.env.user
            wizard.allowed_user_ids = users

    def action_confirm(self):
        self.ensure_one()
        move = self.move_id
        if self.action == "reject":
            move._l10n_no_reject(self.reason)
        elif self.action == "send_back":
            move._l10n_no_send_back(self.reason)
        else:
            if not self.user_id:
                raise UserError(self.env._("Choose the person to forward the bill to."))
            move._l10n_no_forward(self.user_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
