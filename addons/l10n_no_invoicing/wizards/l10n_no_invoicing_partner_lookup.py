from odoo import fields, models
from odoo.exceptions import UserError

from .dialog import reopen_action


class L10nNoInvoicingPartnerLookup(models.TransientModel):
    """Find a unit in the Enhetsregisteret by organisation number or name, then fill an existing partner
    or create a customer or vendor from it."""

    _name = "l10n_no_invoicing.partner.lookup"
    _description = "Look up in the Enhetsregisteret"

    query = fields.Char(string="Organisation number or name")
    partner_id = fields.Many2one("res.partner", string="Partner to fill", readonly=True)
    partner_role = fields.Selection(
        [("customer", "Customer"), ("vendor", "Vendor"), ("both", "Customer and vendor")],
        string="Create as", default="customer",
    )
    message = fields.Char(readonly=True)
    line_ids = fields.One2many("l10n_no_invoicing.partner.lookup.line", "wizard_id", string="Found")

    def _l10n_no_invoicing_reopen(self):
        return reopen_action(self, self.env._("Look up in the Enhetsregisteret"))

    def action_search(self):
        """Ask the register for the query and list what it found (or why it could not)."""
        self.ensure_one()
        self.env["res.partner"].check_access("create" if not self.partner_id else "write")
        units, message = self.env.company._l10n_no_brreg_search(self.query, limit=20)
        today = fields.Date.context_today(self)
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create({
                "orgnr": unit.orgnr,
                "name": unit.name,
                "form": unit.form.code,
                "city": (unit.business_address or unit.postal_address).city
                if (unit.business_address or unit.postal_address) else False,
                "vat_registered": unit.vat_registered,
                "warning": ", ".join(unit.problems(today)) or False,
            })
            for unit in units
        ]
        if not units and not message and self.query:
            message = self.env._("Nothing found in the Enhetsregisteret for %(query)s.", query=self.query)
        self.message = message or False
        return self._l10n_no_invoicing_reopen()


class L10nNoInvoicingPartnerLookupLine(models.TransientModel):
    _name = "l10n_no_invoicing.partner.lookup.line"
    _description = "Enhetsregisteret search result"

    wizard_id = fields.Many2one("l10n_no_invoicing.partner.lookup", required=True, ondelete="cascade")
    orgnr = fields.Char(string="Organisation number", readonly=True)
    name = fields.Char(readonly=True)
    form = fields.Char(readonly=True)
    city = fields.Char(readonly=True)
    vat_registered = fields.Boolean(string="VAT registered", readonly=True)
    warning = fields.Char(readonly=True)

    def action_use(self):
        """Fill the wizard's partner from this unit, or create a customer/vendor from it; opens the partner."""
        self.ensure_one()
        wizard = self.wizard_id
        if wizard.partner_id:
            wizard.partner_id.check_access("write")
        else:
            self.env["res.partner"].check_access("create")
        answer = self.env.company._l10n_no_brreg_lookup(self.orgnr)
        if answer.status != "found":
            raise UserError(answer.message)
        values = self.env["res.company"]._l10n_no_brreg_partner_values(answer.unit)
        partner = wizard.partner_id
        if partner:
            partner.write(values)
        else:
            # one customer per number even when two people create it at the same moment
            self.env["l10n_no_invoicing.brreg.entry"].sudo()._l10n_no_invoicing_serialize(answer.unit.orgnr)
            existing = self.env["res.partner"].search(
                [("l10n_no_bronnoysund_number", "=", values["l10n_no_bronnoysund_number"]), ("is_company", "=", True)],
                limit=1,
            )
            if existing:
                partner = existing
            else:
                role = wizard.partner_role or "customer"
                values["customer_rank"] = 1 if role in ("customer", "both") else 0
                values["supplier_rank"] = 1 if role in ("vendor", "both") else 0
                partner = self.env["res.partner"].create(values)
        partner._l10n_no_brreg_check()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
