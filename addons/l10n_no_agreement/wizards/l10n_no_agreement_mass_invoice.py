import base64
import csv
import io
from datetime import timedelta

from nofaktura.identifiers import compact_orgnr, is_valid_orgnr

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.constants import GC_UNLINK_LIMIT
from odoo.tools import SQL, float_is_zero

from ..models.l10n_no_agreement_run import MANUAL_LIMIT

#: Invoices created and posted per savepoint batch.
BATCH_SIZE = 100
#: First cells taken as a header line of an imported file (lower case).
HEADER_CELLS = {
    "orgnr", "org.nr", "org.nr.", "org nr", "organisasjonsnummer", "organisation number", "organization number",
    "org_number", "ref", "reference", "customer ref", "customer_ref", "kundenummer", "kunde", "customer",
}  # fmt: skip


def _clean_rows_older_than(model, seconds, keep_domain):
    """Odoo's transient vacuum (``TransientModel._transient_clean_rows_older_than``) without the rows of a
    wizard queued for the scheduled job: they must outlive the idle limit until the job has invoiced them."""
    seconds = max(seconds, 300)
    old = model.sudo().search([
        ("write_date", "<", model.env.cr.now() - timedelta(seconds=seconds)), *keep_domain,
    ], limit=GC_UNLINK_LIMIT)
    old.unlink()
    return len(old) == GC_UNLINK_LIMIT


class L10nNoAgreementMassInvoice(models.TransientModel):
    """Mass invoicing: one invoice per customer of a selection, from a template of products, with a
    preview (counts, totals, and who cannot be invoiced and why) before anything is created."""

    _name = "l10n_no.agreement.mass.invoice"
    _description = "Mass invoicing"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Template"), ("preview", "Preview"), ("queued", "Queued"), ("done", "Done")], default="draft",
        required=True,
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
        a customer that fails is marked with the reason, the others are invoiced. More than MANUAL_LIMIT
        customers are not invoiced while the user waits: the wizard is queued for the scheduled job (it
        claims its lines in batches with row locks, so several workers share them, and commits each
        batch), and the user is told so."""
        self.ensure_one()
        self.env["l10n_no.agreement.run"]._l10n_no_agreement_check_user()
        if self.state == "queued":
            raise UserError(self.env._("These invoices are being created by the scheduled job already."))
        if self.state != "preview":
            raise UserError(self.env._("Preview the invoices first."))
        todo = self.line_ids.filtered(lambda line: not line.error and not line.invoice_id)
        if len(todo) > MANUAL_LIMIT:
            self.state = "queued"
            self.env.ref("l10n_no_agreement.ir_cron_l10n_no_agreement_mass_invoice").sudo()._trigger()
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "title": self.env._("Mass invoicing"),
                    "message": self.env._(
                        "%(count)s invoices, more than the %(limit)s created while you wait: the scheduled job "
                        "creates them in the background. Open this mass invoicing again later to see them.",
                        count=len(todo), limit=MANUAL_LIMIT,
                    ),
                    "sticky": True,
                    "next": self._l10n_no_reopen(),
                },
            }
        self._l10n_no_create_invoices(todo)
        self.state = "done"
        return self._l10n_no_reopen()

    def _l10n_no_create_invoices(self, lines):
        """Create (and post) the invoices of these preview lines, one savepoint per customer; a failure is
        written on its line. Returns the invoices created."""
        self.ensure_one()
        moves_model = self.env["account.move"].with_company(self.company_id)
        moves = moves_model
        for line in lines:
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
                    moves |= move
            except Exception as exc:  # noqa: BLE001 - one customer's error must not stop the others
                line.error = f"{type(exc).__name__}: {exc.args[0] if exc.args else exc}"
        send_cron = self.env.ref("account.ir_cron_account_move_send", raise_if_not_found=False)
        if self.post and moves and send_cron and "l10n_no_dispatch.job" not in self.env:
            send_cron.sudo()._trigger()
        return moves

    @api.model
    def _cron_l10n_no_mass_invoice(self, batch_size=BATCH_SIZE):
        """The scheduled job of queued mass invoicings: claim up to ``batch_size`` lines still to invoice
        (``FOR UPDATE SKIP LOCKED``: lines another worker holds are skipped), invoice them as the user who
        queued them (with that user's rights and company), commit, and go on while time is left. A wizard
        with nothing left to invoice is done. Returns the number of lines handled."""
        if not self.env.su:
            self.env["l10n_no.agreement.run"]._l10n_no_agreement_check_user()
            return self.sudo()._cron_l10n_no_mass_invoice(batch_size=batch_size)
        in_cron = bool(self.env.context.get("cron_id"))
        done = 0
        while True:
            lines = self._l10n_no_claim_lines(batch_size)
            for wizard, wizard_lines in lines.grouped("wizard_id").items():
                user = wizard.create_uid
                as_user = wizard.with_user(user).with_company(wizard.company_id).with_context(
                    allowed_company_ids=[wizard.company_id.id])
                as_user._l10n_no_create_invoices(wizard_lines.with_env(as_user.env))
            self.env.flush_all()
            for wizard in lines.wizard_id:
                if not wizard.line_ids.filtered(lambda line: not line.error and not line.invoice_id):
                    wizard.state = "done"
            done += len(lines)
            remaining = self.env["l10n_no.agreement.mass.invoice.line"].search_count(
                [("wizard_id.state", "=", "queued"), ("error", "=", False), ("invoice_id", "=", False)])
            if not lines or not in_cron:
                break
            if self.env["ir.cron"]._commit_progress(len(lines), remaining=remaining) <= 0:
                break
        return done

    @api.model
    def _l10n_no_claim_lines(self, limit):
        """Lock up to ``limit`` lines of queued wizards still to invoice, for this transaction."""
        self.env.flush_all()
        rows = self.env.execute_query(SQL(
            """
            SELECT line.id
              FROM l10n_no_agreement_mass_invoice_line line
              JOIN l10n_no_agreement_mass_invoice wizard ON wizard.id = line.wizard_id
             WHERE wizard.state = 'queued' AND line.error IS NULL AND line.invoice_id IS NULL
             ORDER BY line.id
             LIMIT %s
               FOR UPDATE OF line SKIP LOCKED
            """,
            limit,
        ))
        self.env.invalidate_all()
        return self.env["l10n_no.agreement.mass.invoice.line"].browse([row[0] for row in rows])

    def _transient_clean_rows_older_than(self, seconds):
        # EXTENDS the transient vacuum: a wizard queued for the scheduled job is kept until it is done,
        # however long the job waits for a worker.
        return _clean_rows_older_than(self, seconds, [("state", "!=", "queued")])

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

    def _transient_clean_rows_older_than(self, seconds):
        # EXTENDS the transient vacuum: the products of a queued wizard are kept until the job invoiced it.
        return _clean_rows_older_than(self, seconds, [("wizard_id.state", "!=", "queued")])

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

    def _transient_clean_rows_older_than(self, seconds):
        # EXTENDS the transient vacuum: the customers of a queued wizard are kept until the job invoiced them.
        return _clean_rows_older_than(self, seconds, [("wizard_id.state", "!=", "queued")])
