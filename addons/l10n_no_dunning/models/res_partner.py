from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_no_dunning_blocked = fields.Boolean(
        string="No dunning", help="Never send reminders or collection notices to this customer."
    )
    l10n_no_dunning_customer_kind = fields.Selection(
        [("business", "Business"), ("consumer", "Consumer")],
        string="Debtor kind",
        compute="_compute_l10n_no_dunning_customer_kind",
        store=True,
        readonly=False,
        help="Consumers owe no B2B compensation (forsinkelsesrenteloven § 3a). Defaults from 'Company'.",
    )
    l10n_no_dunning_notice_email = fields.Char(
        string="E-mail confirmed for notices",
        help="An address the customer uses with us or agreed to receive notices at. An inkassovarsel by "
        "e-mail to another address is flagged: inkassoloven § 3a asks for delivery 'på betryggende måte'.",
    )
    l10n_no_dunning_item_ids = fields.One2many("l10n_no.dunning.item", "partner_id", string="Dunning history")
    l10n_no_dunning_item_count = fields.Integer(compute="_compute_l10n_no_dunning_item_count")

    @api.depends("is_company", "parent_id.is_company")
    def _compute_l10n_no_dunning_customer_kind(self):
        for partner in self:
            commercial = partner.parent_id if partner.parent_id and not partner.is_company else partner
            partner.l10n_no_dunning_customer_kind = "business" if commercial.is_company else "consumer"

    def _compute_l10n_no_dunning_item_count(self):
        counts = dict(
            self.env["l10n_no.dunning.item"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids), ("state", "=", "sent")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.l10n_no_dunning_item_count = counts.get(partner.commercial_partner_id, 0)

    def action_l10n_no_dunning_history(self):
        self.ensure_one()
        self.env["l10n_no.dunning.item"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_no_dunning.action_l10n_no_dunning_item")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_sent": 1}
        return action
