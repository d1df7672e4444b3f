from decimal import Decimal

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_list
from odoo.tools.misc import get_lang

from nofaktura.coding import BillLine, CodingError, CodingRule, code_line

BILL_TYPES = ("in_invoice", "in_refund")
CODED_BY_RULE = ("product", "vendor", "model")
CODING_FIELDS = ("account_id", "tax_ids", "analytic_distribution")


class _CodingToken:
    """Marks the writes the coding makes itself. A Python object in the context: an XML-RPC or JSON-RPC
    caller can send any context key, but not this object, so a caller cannot pass for the coding."""

    __slots__ = ()

    def __repr__(self):
        return "<l10n_no_coding>"


CODING = _CodingToken()


def by_coding(records):
    """The records in the context of the coding's own writes."""
    return records.with_context(l10n_no_coding_apply=CODING)


def is_coding(env):
    return env.context.get("l10n_no_coding_apply") is CODING


#: set by the coding itself only: writing them would fake "coded by hand" or hide a problem
PROTECTED_FIELDS = frozenset({
    "l10n_no_recoded", "l10n_no_coding_source", "l10n_no_coding_rule_id", "l10n_no_coding_note",
    "l10n_no_coding_problem",
})


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    l10n_no_coding_source = fields.Selection(
        [
            ("product", "Product rule"),
            ("vendor", "Vendor rule"),
            ("model", "Distribution model"),
            ("manual", "Coded by hand"),
            ("odoo", "Odoo default"),
            ("none", "Not coded"),
        ],
        string="Coded by", compute="_compute_l10n_no_coding", store=True, copy=False,
        help="Who coded this vendor bill line: a product rule, a vendor rule (default coding), one of "
        "Odoo's analytic distribution models, a person, Odoo's own default (the product's expense account), "
        "or nobody (the journal's default account only).",
    )
    l10n_no_coding_rule_id = fields.Many2one(
        "l10n_no.coding.rule", string="Coding Rule", compute="_compute_l10n_no_coding", store=True,
        copy=False, index="btree_not_null", bypass_search_access=True,
        help="The default coding rule that coded this line (the product rule when both rules coded it).",
    )
    l10n_no_coding_note = fields.Char(
        string="Coding", compute="_compute_l10n_no_coding", store=True, copy=False,
        help="Which rule coded which field of this line.",
    )
    l10n_no_coding_problem = fields.Char(
        string="Coding Problem", compute="_compute_l10n_no_coding", store=True, copy=False,
        help="Why this line cannot be coded; the bill cannot be posted until it is solved.",
    )
    l10n_no_recoded = fields.Boolean(
        string="Recoded by Hand", copy=False, readonly=True,
        help="Someone changed the account, taxes or analytic distribution of this line by hand.",
    )

    # ------------------------------------------------------------------
    # Resolution (the order and the reasons live in nofaktura.coding)
    # ------------------------------------------------------------------

    def _l10n_no_is_bill_line(self):
        self.ensure_one()
        return self.display_type == "product" and self.move_id.move_type in BILL_TYPES

    def _l10n_no_fetch_rules(self):
        """Every active rule that may code these lines, keyed by (type, company, product/vendor id)."""
        lines = self.filtered(lambda line: line.display_type == "product" and line.move_id.move_type in BILL_TYPES)
        if not lines:
            return {}
        Rule = self.env["l10n_no.coding.rule"]
        rules = Rule.search([
            ("company_id", "in", lines.company_id._origin.ids),
            "|",
            "&", ("rule_type", "=", "product"), ("product_id", "in", lines.product_id._origin.ids),
            "&", ("rule_type", "=", "vendor"), ("partner_id", "in", lines.move_id.commercial_partner_id._origin.ids),
        ])
        result = {}
        for rule in rules:
            target = rule.product_id if rule.rule_type == "product" else rule.partner_id
            result.setdefault((rule.rule_type, rule.company_id.id, target.id), rule)
        return result

    def _l10n_no_library_rule(self, rule, cache):
        if not rule:
            return None
        if rule.id not in cache:
            try:
                cache[rule.id] = CodingRule(
                    rule.display_name,
                    account=str(rule.account_id.id) if rule.account_id else None,
                    taxes=tuple(str(tax_id) for tax_id in rule.tax_ids.ids) or None,
                    distribution=rule.analytic_distribution or None,
                    attestant=str(rule.attestant_id.id) if rule.attestant_id else None,
                    plan_of=rule._l10n_no_plan_of(),
                )
            except CodingError:
                cache[rule.id] = None
        return cache[rule.id]

    def _l10n_no_model_distribution(self, cache=None):
        """What Odoo's own analytic distribution models give this line (extended, not duplicated).

        Lines with the same arguments share one look-up, as in Odoo's own compute.
        """
        self.ensure_one()
        arguments = self._get_analytic_distribution_arguments(self.env["account.analytic.plan"])
        key = ("model", repr(sorted(arguments.items(), key=lambda item: item[0])))
        if cache is not None and key in cache:
            return cache[key]
        result = self.env["account.analytic.distribution.model"]._get_distribution(arguments) or {}
        if cache is not None:
            cache[key] = result
        return result

    def _l10n_no_resolve(self, rules, cache, with_model=True):
        """(library coding, product rule, vendor rule) for one bill line."""
        self.ensure_one()
        company = self.company_id._origin.id
        product = self.product_id._origin
        product_rule = rules.get(("product", company, product.id)) if product else None
        vendor = self.move_id.commercial_partner_id._origin
        vendor_rule = rules.get(("vendor", company, vendor.id)) if vendor else None
        product_key = str(product.id) if product else None
        vendor_key = str(vendor.id) if vendor else None
        lib_product = self._l10n_no_library_rule(product_rule, cache)
        lib_vendor = self._l10n_no_library_rule(vendor_rule, cache)
        coding = code_line(
            BillLine(
                self.name or self.product_id.display_name or "",
                Decimal(str(self.price_subtotal or 0)),
                product=product_key,
                vendor=vendor_key,
            ),
            {product_key: lib_product} if lib_product else {},
            {vendor_key: lib_vendor} if lib_vendor else {},
            model_distribution=self._l10n_no_model_distribution(cache) if with_model else None,
            default_account=str(self.account_id._origin.id) if self.account_id else None,
        )
        return coding, product_rule, vendor_rule

    # ------------------------------------------------------------------
    # Odoo's own computes, extended: the form shows the coding while the line is typed
    # ------------------------------------------------------------------

    def _l10n_no_live_codings(self):
        lines = self.filtered(lambda line: line.display_type == "product" and line.move_id.move_type in BILL_TYPES)
        if not lines:
            return []
        rules = lines._l10n_no_fetch_rules()
        if not rules:
            return []
        cache = {}
        return [(line, line._l10n_no_resolve(rules, cache, with_model=False)[0]) for line in lines]

    def _compute_account_id(self):
        # EXTENDS account: the product rule's, else the vendor rule's expense account
        result = super()._compute_account_id()
        for line, coding in self._l10n_no_live_codings():
            if coding.account.source in ("product", "vendor"):
                line.account_id = self.env["account.account"].browse(int(coding.account.value))
        return result

    def _compute_tax_ids(self):
        # EXTENDS account: the rule's taxes, except on lines whose taxes the vendor invoiced (imported)
        result = super()._compute_tax_ids()
        for line, coding in self._l10n_no_live_codings():
            if coding.taxes.source in ("product", "vendor") and not line.is_imported:
                line.tax_ids = line._l10n_no_rule_taxes(coding)
        return result

    def _compute_analytic_distribution(self):
        # EXTENDS account: a rule's distribution comes before Odoo's distribution models
        result = super()._compute_analytic_distribution()
        for line, coding in self._l10n_no_live_codings():
            if coding.distribution.source in ("product", "vendor"):
                line.analytic_distribution = {key: float(value) for key, value in coding.distribution.value.items()}
        return result

    def _l10n_no_rule_taxes(self, coding):
        """The rule's taxes as the line gets them: through the bill's fiscal position."""
        self.ensure_one()
        taxes = self.env["account.tax"].browse([int(i) for i in coding.taxes.value or ()])
        if taxes and self.move_id.fiscal_position_id:
            taxes = self.move_id.fiscal_position_id.map_tax(taxes)
        return taxes

    def _l10n_no_line_label(self):
        self.ensure_one()
        return f"{self.name or self.product_id.display_name or ''}".strip() or f"#{self.id}"

    @api.depends(
        "display_type", "product_id", "partner_id", "account_id", "tax_ids", "analytic_distribution",
        "move_id.move_type", "move_id.commercial_partner_id", "move_id.journal_id", "company_id",
        "l10n_no_recoded",
    )
    def _compute_l10n_no_coding(self):
        rules = self._l10n_no_fetch_rules()
        cache = {}
        for line in self:
            if not line._l10n_no_is_bill_line():
                line.l10n_no_coding_source = False
                line.l10n_no_coding_rule_id = False
                line.l10n_no_coding_note = False
                line.l10n_no_coding_problem = False
                continue
            line.update(line._l10n_no_coding_values(rules, cache))

    def _l10n_no_coding_values(self, rules, cache):
        self.ensure_one()
        coding, product_rule, vendor_rule = self._l10n_no_resolve(rules, cache)
        rule_by_source = {"product": product_rule, "vendor": vendor_rule}
        differs = (
            (coding.account.source in ("product", "vendor") and str(self.account_id._origin.id) != coding.account.value)
            or (coding.taxes.source in ("product", "vendor") and not self.is_imported
                and self.tax_ids._origin != self._l10n_no_rule_taxes(coding))
            or (coding.distribution.source in CODED_BY_RULE
                and not _same_distribution(self.analytic_distribution, coding.distribution.value))
        )
        source = coding.source
        if self.l10n_no_recoded or differs:
            source = "manual"
        elif source == "default":
            journal_default = self.move_id.journal_id.default_account_id
            source = "none" if not self.account_id or self.account_id == journal_default else "odoo"
        labels = {
            "account": self.env._("account"), "taxes": self.env._("taxes"),
            "distribution": self.env._("analytic distribution"), "attestant": self.env._("attestant"),
            "model": self.env._("distribution model"),
        }
        problem = False
        if not self.account_id:
            problem = self.env._(
                "Line %(line)s has no account: no product or vendor rule gives one, and the journal has no "
                "default account.", line=self._l10n_no_line_label(),
            )
        elif source == "none" and self.company_id.l10n_no_coding_required:
            problem = self.env._(
                "Line %(line)s is not coded: no product rule for %(product)s, no vendor rule for %(vendor)s and no "
                "analytic distribution model matches. Add a rule, or code the line by hand.",
                line=self._l10n_no_line_label(),
                product=self.product_id.display_name or self.env._("(no product)"),
                vendor=self.move_id.commercial_partner_id.display_name or self.env._("(no vendor)"),
            )
        return {
            "l10n_no_coding_source": source,
            "l10n_no_coding_rule_id": (rule_by_source.get(coding.source) or rule_by_source.get("vendor")
                                       if coding.source in ("product", "vendor") else False),
            "l10n_no_coding_note": coding.summary(labels) or False,
            "l10n_no_coding_problem": problem,
        }

    # ------------------------------------------------------------------
    # Applying the coding: every creation path goes through create/write
    # ------------------------------------------------------------------

    def _l10n_no_apply_coding(self):
        """Write the rules' account, taxes and distribution on draft vendor bill lines.

        Taxes the vendor invoiced (imported lines) are replaced only by a rule tax of the same rate, so
        a received EHF keeps its totals. Returns the lines that changed.
        """
        lines = self.filtered(lambda line: line._l10n_no_is_bill_line() and line.parent_state == "draft")
        rules = lines._l10n_no_fetch_rules()
        cache = {}
        changed = self.browse()
        attestants = {}
        for line in lines:
            coding, _product_rule, _vendor_rule = line._l10n_no_resolve(rules, cache)
            vals = {}
            if coding.account.source in ("product", "vendor") and str(line.account_id.id) != coding.account.value:
                vals["account_id"] = int(coding.account.value)
            if coding.taxes.source in ("product", "vendor"):
                taxes = line._l10n_no_rule_taxes(coding)
                same_rate = sorted(taxes.mapped("amount")) == sorted(line.tax_ids.mapped("amount"))
                if taxes != line.tax_ids and (not line.is_imported or same_rate):
                    vals["tax_ids"] = [fields.Command.set(taxes.ids)]
            if coding.distribution.source in ("product", "vendor") and not _same_distribution(
                line.analytic_distribution, coding.distribution.value
            ):
                vals["analytic_distribution"] = {key: float(value) for key, value in coding.distribution.value.items()}
            if vals:
                by_coding(line).write(vals)
                changed |= line
            if coding.attestant.value and not line.move_id.l10n_no_attestant_id:
                attestants.setdefault(line.move_id, int(coding.attestant.value))
        # one write per attestant, not per bill
        by_attestant = {}
        for move, user_id in attestants.items():
            by_attestant[user_id] = by_attestant.get(user_id, self.env["account.move"]) | move
        for user_id, moves in by_attestant.items():
            by_coding(moves).write({"l10n_no_attestant_id": user_id})
        return changed

    def _l10n_no_check_protected(self, vals_list):
        if is_coding(self.env):
            return
        for vals in vals_list:
            if fields_set := PROTECTED_FIELDS.intersection(vals):
                raise AccessError(self.env._(
                    "The coding origin of a bill line (%(fields)s) is set by default coding only: change the "
                    "account, taxes or analytic distribution instead.", fields=", ".join(sorted(fields_set)),
                ))

    @api.model_create_multi
    def create(self, vals_list):
        self._l10n_no_check_protected(vals_list)
        lines = super().create(vals_list)
        if not is_coding(self.env):
            lines.filtered(lambda line: line.move_id.move_type in BILL_TYPES)._l10n_no_apply_coding()
        return lines

    def write(self, vals):
        self._l10n_no_check_protected([vals])
        if is_coding(self.env) or not (set(vals) & {"product_id", *CODING_FIELDS}):
            return super().write(vals)
        watched = self.filtered(lambda line: line._l10n_no_is_bill_line() and line.parent_state == "draft")
        before = {
            line.id: (line.account_id, line.tax_ids, dict(line.analytic_distribution or {}), line.l10n_no_coding_source)
            for line in watched
        }
        result = super().write(vals)
        if "product_id" in vals:
            # another product: its rule codes the line again
            watched._l10n_no_apply_coding()
            return result
        for line in watched:
            account, taxes, distribution, source = before[line.id]
            if (account, taxes, distribution) == (line.account_id, line.tax_ids, dict(line.analytic_distribution or {})):
                continue
            by_coding(line).l10n_no_recoded = True
            if source in CODED_BY_RULE or source == "manual":
                line._l10n_no_log_recoding(account, taxes, distribution)
        return result

    def _l10n_no_distribution_text(self, distribution):
        if not distribution:
            return self.env._("none")
        ids = {int(i) for key in distribution for i in str(key).split(",") if i.strip().isdigit()}
        names = {str(a.id): a.display_name for a in self.env["account.analytic.account"].browse(ids).exists()}
        # the reader's decimal sign: "Sales 12,5 %" in Bokmål, "Sales 12.5 %" in English
        decimal_point = self.env["res.lang"]._get_data(code=get_lang(self.env).code).decimal_point or "."
        parts = []
        for key, percent in distribution.items():
            label = " / ".join(names.get(i.strip(), i.strip()) for i in str(key).split(","))
            number = f"{Decimal(str(percent)).normalize():f}".replace(".", decimal_point)
            parts.append(f"{label} {number} %")
        return format_list(self.env, parts)

    def _l10n_no_log_recoding(self, account, taxes, distribution):
        """Chatter note on the bill: which line, who, old → new coding."""
        self.ensure_one()
        rows = []
        if account != self.account_id:
            rows.append((self.env._("Account"), _account_text(account), _account_text(self.account_id)))
        if taxes != self.tax_ids:
            rows.append((self.env._("Taxes"), ", ".join(taxes.mapped("name")) or "-",
                         ", ".join(self.tax_ids.mapped("name")) or "-"))
        if dict(distribution) != dict(self.analytic_distribution or {}):
            rows.append((self.env._("Analytic"), self._l10n_no_distribution_text(distribution),
                         self._l10n_no_distribution_text(self.analytic_distribution)))
        if not rows:
            return False
        items = Markup("").join(
            Markup("<li>%s: %s → %s</li>") % (label, old, new) for label, old, new in rows
        )
        body = Markup("%s<ul>%s</ul>") % (
            self.env._("Line %(line)s recoded by %(user)s:", line=self._l10n_no_line_label(), user=self.env.user.name),
            items,
        )
        self.move_id._message_log(body=body)
        return True


def _same_distribution(current, wanted):
    current = current or {}
    wanted = wanted or {}
    if set(map(str, current)) != set(map(str, wanted)):
        return False
    return all(abs(Decimal(str(current[key])) - Decimal(str(wanted[str(key)]))) < Decimal("0.005") for key in current)


def _account_text(account):
    return f"{account.code or ''} {account.name or ''}".strip() or "-"
