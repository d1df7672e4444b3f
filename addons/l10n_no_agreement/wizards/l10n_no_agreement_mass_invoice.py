import base64
import csv
import io

from nofaktura.identifiers import compact_orgnr, is_valid_orgnr

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_is_zero

#: Invoices created and posted per savepoint batch.
BATCH_SIZE = 100
#: First cells taken as a header line of an imported file (lower case).
HEADER_CELLS = {
    "orgnr", "org.nr", "org.nr.", "org nr", "organisasjonsnummer", "organisation number", "organization number",
    "org_number", "ref", "reference", "customer ref", "customer_ref", "kundenummer", "kunde", "customer",
}  # fmt: skip


class L10nNoAgreementMassInvoice(models.TransientModel):
    """Mass invoicing: one invoice per customer of a selection, from a template of products, with a
    preview (counts, totals, and who cannot be invoiced and why) before anything is created."""

    _name = "l10n_no.agreement.mass.invoice"
    _description = "Mass invoicing"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Template"), ("preview", "Preview"), ("done", "Done")], default="draft", required=True
    )
    selection_mode = fields.Selection(
        [("category", "Customer category"), ("partners", "List of customers"), ("file", "File (CSV)")],
        string="Customers",
        default="category",
        required=True,
    )
    category_ids = fields.Many2many("res.partner.category", string="Categories")
    partner_ids = fields.Many2many("res.partner", string="Customer list", check_company=True)
    file = fields.Binary(
        help="A CSV or text file, one customer a line: the organisation number or the customer reference "
        "in the first column. A header line is allowed.",
    )
    file_name = fields.Char()
    product_line_ids = fields.One2many("l10n_no.agreement.mass.invoice.product", "wizard_id", string="Products")
    pricelist_id = fields.Many2one(
        "product.pricelist", check_company=True,
        help="Prices of lines priced by price list come from this list; empty: each customer's own list.",
    )
    journal_id = fields.Many2one(
        "account.journal", required=True, check_company=True, domain="[('type', '=', 'sale')]",
        default=lambda self: self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(self.env.company), ("type", "=", "sale")], limit=1
        ),
    )
    invoice_date = fields.Date(required=True, default=fields.Date.context_today)
    post = fields.Boolean("Post and send", default=True, help="Post the invoices (KID) and send them.")
    line_ids = fields.One2many("l10n_no.agreement.mass.invoice.line", "wizard_id", string="Preview")
    customer_count = fields.Integer("Customers to invoice", compute="_compute_totals")
    error_count = fields.Integer("Cannot be invoiced", compute="_compute_totals")
    invoice_count = fields.Integer("Invoices created", compute="_compute_totals")
    amount_untaxed = fields.Monetary("Total without VAT", compute="_compute_totals")
    amount_total = fields.Monetary("Total with VAT", compute="_compute_totals")

    @api.depends("line_ids.error", "line_ids.amount_untaxed", "line_ids.amount_total", "line_ids.invoice_id")
    def _compute_totals(self):
        for wizard in self:
            good = wizard.line_ids.filtered(lambda line: not line.error)
            wizard.customer_count = len(good)
            wizard.error_count = len(wizard.line_ids) - len(good)
            wizard.invoice_count = len(wizard.line_ids.invoice_id)
            wizard.amount_untaxed = sum(good.mapped("amount_untaxed"))
            wizard.amount_total = sum(good.mapped("amount_total"))

    # -------------------------------------------------------------------------
    # Selection
    # -------------------------------------------------------------------------

    def _l10n_no_partner_domain(self):
        return [("company_id", "in", [False, self.company_id.id])]

    def _l10n_no_selected(self):
        """``[(partner or None, source, error or "")]`` for the selection, in order."""
        self.ensure_one()
        partners = self.env["res.partner"]
        if self.selection_mode == "category":
            if not self.category_ids:
                raise UserError(self.env._("Choose at least one customer category."))
            found = partners.search([*self._l10n_no_partner_domain(), ("category_id", "child_of", self.category_ids.ids)],
                                    order="name, id")
            return [(partner, partner.display_name, "") for partner in found]
        if self.selection_mode == "partners":
            # archived customers stay in the list, to be shown as such rather than dropped silently
            listed = self.with_context(active_test=False).partner_ids
            if not listed:
                raise UserError(self.env._("Add at least one customer to the list."))
            return [(partner, partner.display_name, "") for partner in listed]
        return self._l10n_no_read_file()

    def _l10n_no_read_file(self):
        if not self.file:
            raise UserError(self.env._("Choose the file to import."))
        raw = base64.b64decode(self.file)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise UserError(self.env._("The file is not a text (CSV) file.")) from exc
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        result = []
        seen = {}
        partners = self.env["res.partner"].with_context(active_test=False)
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            value = (row[0] if row else "").strip()
            if not value:
                continue
            if number == 1 and value.lower() in HEADER_CELLS:
                continue
            source = self.env._("line %(line)s: %(value)s", line=number, value=value)
            digits = compact_orgnr(value) if value.replace(" ", "").replace(".", "").isdigit() else ""
            if len(digits) == 9:
                if not is_valid_orgnr(digits):
                    result.append((None, source, self.env._("%(value)s is not a valid organisation number "
                                                            "(check digit).", value=value)))
                    continue
                found = partners.search([
                    *self._l10n_no_partner_domain(), "|", "|", ("company_registry", "=", digits),
                    ("vat", "=", f"NO{digits}MVA"), ("vat", "=", f"NO{digits}"),
                ])
                found = found.commercial_partner_id
                what = self.env._("organisation number")
            else:
                found = partners.search([*self._l10n_no_partner_domain(), ("ref", "=", value)])
                what = self.env._("customer reference")
            if not found:
                result.append((None, source, self.env._("No customer with %(what)s %(value)s.", what=what, value=value)))
            elif len(found) > 1:
                result.append((None, source, self.env._(
                    "%(value)s matches %(count)s customers: %(names)s.",
                    value=value, count=len(found), names=", ".join(found.mapped("display_name")),
                )))
            elif found.id in seen:
                result.append((None, source, self.env._(
                    "%(customer)s is already on %(other)s.", customer=found.display_name, other=seen[found.id],
                )))
            else:
                seen[found.id] = source
                result.append((found, source, ""))
        if not result:
            raise UserError(self.env._("The file has no customer lines."))
        return result

    # -------------------------------------------------------------------------
    # Prices
    # -------------------------------------------------------------------------

    def _l10n_no_invoice_lines(self, partner):
        """``(line values, untaxed, total)`` for one customer; ``UserError`` when it cannot be invoiced."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        pricelist = self.pricelist_id or partner.with_company(company).property_product_pricelist
        fiscal_position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
        lines, untaxed, total = [], 0.0, 0.0
        for template in self.product_line_ids:
            if template.price_mode == "pricelist":
                if not pricelist:
                    raise UserError(self.env._("No price list: choose one or give the customer one."))
                price = pricelist._get_product_price(
                    template.product_id.with_company(company), template.quantity, currency=currency,
                    date=self.invoice_date,
                )
            else:
                price = template.price_unit
            taxes = fiscal_position.map_tax(template.product_id.taxes_id._filter_taxes_by_company(company))
            amounts = taxes.compute_all(price, currency, template.quantity, template.product_id, partner)
            untaxed += amounts["total_excluded"]
            total += amounts["total_included"]
            lines.append(Command.create({
                "product_id": template.product_id.id,
                "name": template.name or template.product_id.display_name,
                "quantity": template.quantity,
                "price_unit": price,
                "tax_ids": [Command.set(taxes.ids)],
            }))
        if float_is_zero(total, precision_rounding=currency.rounding):
            raise UserError(self.env._("The invoice would be zero."))
        return lines, untaxed, total

    def _l10n_no_check_partner(self, partner):
        if not partner.active:
            raise UserError(self.env._("The customer is archived."))
        if partner.company_id and partner.company_id != self.company_id:
            raise UserError(self.env._("The customer belongs to another company."))
        return True

    # -------------------------------------------------------------------------
    # Buttons
    # -------------------------------------------------------------------------

    def action_preview(self):
        """Work out who is invoiced and for how much, and who cannot be and why; nothing is created."""
        self.ensure_one()
        self.env["l10n_no.agreement.run"]._l10n_no_agreement_check_user()
        if self.state == "done":
            raise UserError(self.env._("These invoices have been created already."))
        if not self.product_line_ids:
            raise UserError(self.env._("Add at least one product."))
        values = []
        for partner, source, error in self._l10n_no_selected():
            untaxed = total = 0.0
            if not error:
                try:
                    self._l10n_no_check_partner(partner)
                    _lines, untaxed, total = self._l10n_no_invoice_lines(partner)
                except UserError as exc:
                    error = str(exc.args[0])
            values.append({
                "partner_id": partner.id if partner else False,
                "source": source,
                "error": error or False,
                "amount_untaxed": untaxed,
                "amount_total": total,
            })
        self.line_ids = [Command.clear()] + [Command.create(vals) for vals in values]
        self.state = "preview"
        return self._l10n_no_reopen()

    def action_back(self):
        self.ensure_one()
        if self.state == "preview":
            self.line_ids = [Command.clear()]
            self.state = "draft"
        return self._l10n_no_reopen()

    def action_create_invoices(self):
        """Create (and post and send) one invoice per previewed customer, a savepoint per customer:
        a customer that fails is marked with the reason, the others are invoiced."""
        self.ensure_one()
        self.env["l10n_no.agreement.run"]._l10n_no_agreement_check_user()
        if self.state != "preview":
            raise UserError(self.env._("Preview the invoices first."))
        moves_model = self.env["account.move"].with_company(self.company_id)
        todo = self.line_ids.filtered(lambda line: not line.error and not line.invoice_id)
        for start in range(0, len(todo), BATCH_SIZE):
            for line in todo[start:start + BATCH_SIZE]:
                try:
                    with self.env.cr.savepoint():
                        invoice_lines, _untaxed, _total = self._l10n_no_invoice_lines(line.partner_id)
                        move = moves_model.create({
                            "move_type": "out_invoice",
                            "company_id": self.company_id.id,
                            "partner_id": line.partner_id.address_get(["invoice"])["invoice"],
                            "journal_id": self.journal_id.id,
                            "invoice_date": self.invoice_date,
                            "invoice_line_ids": invoice_lines,
                        })
                        if self.post:
                            move._l10n_no_agreement_post_and_send()
                        line.invoice_id = move
                except Exception as exc:  # noqa: BLE001 - one customer's error must not stop the others
                    line.error = f"{type(exc).__name__}: {exc.args[0] if exc.args else exc}"
        send_cron = self.env.ref("account.ir_cron_account_move_send", raise_if_not_found=False)
        if self.post and send_cron and "l10n_no_dispatch.job" not in self.env:
            send_cron.sudo()._trigger()
        self.state = "done"
        return self._l10n_no_reopen()

    def action_view_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.invoice_id.ids)],
        }

    def _l10n_no_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class L10nNoAgreementMassInvoiceProduct(models.TransientModel):
    _name = "l10n_no.agreement.mass.invoice.product"
    _description = "Mass invoicing: product"

    wizard_id = fields.Many2one("l10n_no.agreement.mass.invoice", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True)
    name = fields.Char("Description")
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit")
    price_mode = fields.Selection(
        [("pricelist", "Price list"), ("fixed", "Fixed price")], default="pricelist", required=True
    )
    price_unit = fields.Float("Fixed price", digits="Product Price")

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(self.env._("The quantity must be positive."))


class L10nNoAgreementMassInvoiceLine(models.TransientModel):
    _name = "l10n_no.agreement.mass.invoice.line"
    _description = "Mass invoicing: customer"
    _order = "id"

    wizard_id = fields.Many2one("l10n_no.agreement.mass.invoice", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer")
    source = fields.Char("Selected as")
    error = fields.Char("Cannot be invoiced because")
    amount_untaxed = fields.Monetary("Without VAT")
    amount_total = fields.Monetary("With VAT")
    invoice_id = fields.Many2one("account.move")
