from nofaktura.exceptions import ValidationError as NumberError
from nofaktura.identifiers import iban_bic, validate_account_number

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.res_company import _next_half_year
from .dialog import reopen_action

STEPS = [
    ("company", "Company"),
    ("bank", "Bank and KID"),
    ("access_point", "EHF access point"),
    ("dunning", "Dunning"),
    ("checklist", "Check list"),
]
#: KID layouts offered by the assistant. The layout is the bank's agreement with the company (length,
#: MOD10/MOD11, parts): the assistant offers the common shapes, the agreement decides.
KID_LAYOUTS = {
    "customer_invoice": {"l10n_no_kid_algorithm": "mod10", "l10n_no_kid_length": 15,
                         "l10n_no_kid_customer_digits": 5, "l10n_no_kid_invoice_digits": 9},
    "invoice_mod10": {"l10n_no_kid_algorithm": "mod10", "l10n_no_kid_length": 10,
                      "l10n_no_kid_customer_digits": 0, "l10n_no_kid_invoice_digits": 9},
    "invoice_mod11": {"l10n_no_kid_algorithm": "mod11", "l10n_no_kid_length": 10,
                      "l10n_no_kid_customer_digits": 0, "l10n_no_kid_invoice_digits": 9},
}
#: Dunning presets: which of the preset levels (by kind) are active.
DUNNING_PRESETS = {
    "standard": {"soft_reminder", "reminder", "inkassovarsel", "handover"},
    "reminders_only": {"soft_reminder", "reminder"},
    "own_collection": {"soft_reminder", "reminder", "inkassovarsel", "betalingsoppfordring"},
}
SYSTEM = "base.group_system"
ACCOUNT_MANAGER = "account.group_account_manager"


class L10nNoInvoicingSetup(models.TransientModel):
    """The setup assistant of Norwegian invoicing: one step per thing a new company must set up, each a
    method that checks its caller and returns a value, so XML-RPC can run the same steps as the screen."""

    _name = "l10n_no_invoicing.setup"
    _description = "Norwegian invoicing setup assistant"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    step = fields.Selection(STEPS, required=True, default="company")
    # -- step 1: the company from the Enhetsregisteret
    orgnr = fields.Char(
        string="Organisation number", default=lambda self: self.env.company._l10n_no_org_number() or False
    )
    brreg_status = fields.Selection(
        [("none", "Not looked up"), ("found", "Found"), ("not_found", "Not found"), ("deleted", "Deleted"),
         ("invalid", "Invalid number"), ("disabled", "Lookups off"), ("unavailable", "Service unavailable"),
         ("applied", "Applied")],
        default="none", readonly=True,
    )
    brreg_message = fields.Char(readonly=True)
    brreg_name = fields.Char(string="Name", readonly=True)
    brreg_form = fields.Char(string="Organisation form", readonly=True)
    brreg_address = fields.Text(string="Business address", readonly=True)
    brreg_postal_address = fields.Text(string="Postal address", readonly=True)
    brreg_vat = fields.Char(string="VAT number", readonly=True)
    brreg_vat_registered = fields.Boolean(string="In the VAT register", readonly=True)
    brreg_foretaksregisteret = fields.Boolean(string="In Foretaksregisteret", readonly=True)
    brreg_nace = fields.Char(string="Business code", readonly=True)
    brreg_warning = fields.Char(string="Warning", readonly=True)
    # -- step 2: bank account and KID agreement
    bank_acc_number = fields.Char(
        string="Bank account number",
        default=lambda self: self._default_bank_journal().bank_account_id.acc_number or False,
    )
    bank_journal_id = fields.Many2one(
        "account.journal", string="Bank journal", check_company=True,
        domain="[('type', '=', 'bank'), ('company_id', '=', company_id)]",
        default=lambda self: self._default_bank_journal(),
    )
    bank_bic = fields.Char(string="Bank (BIC)", compute="_compute_bank_bic")
    kid_layout = fields.Selection(
        [("customer_invoice", "Customer number + invoice number, MOD10, 15 digits"),
         ("invoice_mod10", "Invoice number only, MOD10, 10 digits"),
         ("invoice_mod11", "Invoice number only, MOD11, 10 digits"),
         ("none", "No KID agreement (yet)")],
        string="KID layout", default="customer_invoice",
        help="As written in the OCR giro / AvtaleGiro agreement with the bank. Other layouts can be set on the "
        "bank journal afterwards.",
    )
    kid_mandatory = fields.Boolean(string="KID mandatory")
    # -- step 3: access point
    access_point_id = fields.Many2one(
        "l10n_no_ehf.access.point", string="Access point", check_company=True,
        domain="[('company_id', '=', company_id)]",
        default=lambda self: self.env.company._l10n_no_ehf_access_point().id,
    )
    ap_name = fields.Char(string="New access point name")
    ap_transport_type = fields.Selection(
        lambda self: self.env["l10n_no_ehf.access.point"]._fields["transport_type"].selection,
        string="Connection",
        default="memory",
    )
    # -- step 4: dunning
    dunning_preset = fields.Selection(
        [("standard", "Reminder, inkassovarsel, hand-over to a debt-collection agency"),
         ("own_collection", "Reminder, inkassovarsel, own betalingsoppfordring (egeninkasso)"),
         ("reminders_only", "Reminders only")],
        default="standard",
    )
    law_table = fields.Selection(
        lambda self: self.env["l10n_no.dunning.law.value"]._fields["law_table"].selection,
        string="Missing law value",
        default=lambda self: self._default_missing_law_value(0),
    )
    law_period_start = fields.Date(string="Period start", default=lambda self: self._default_missing_law_value(1))
    law_value = fields.Float(string="Value", digits=(16, 2))
    # -- the check list
    checklist_html = fields.Html(compute="_compute_checklist_html", sanitize=False)
    checklist_done = fields.Boolean(compute="_compute_checklist_html")

    def _default_bank_journal(self):
        Journal = self.env["account.journal"]
        return Journal.search([*Journal._check_company_domain(self.env.company), ("type", "=", "bank")], limit=1)

    def _default_missing_law_value(self, index):
        missing = self._first_missing_law_value(self.env.company)
        return missing[index] if missing else False

    @api.model
    def _first_missing_law_value(self, company, today=None):
        today = today or fields.Date.context_today(self)
        LawValue = self.env["l10n_no.dunning.law.value"].sudo()
        for day in (today, _next_half_year(today)):
            missing = LawValue._l10n_no_dunning_missing(company.sudo(), day)
            if missing:
                return missing[0]
        return None

    @api.depends("bank_acc_number")
    def _compute_bank_bic(self):
        for wizard in self:
            try:
                wizard.bank_bic = iban_bic(wizard.bank_acc_number) if wizard.bank_acc_number else False
            except (NumberError, ValueError):
                wizard.bank_bic = False

    @api.depends("company_id", "step")
    def _compute_checklist_html(self):
        for wizard in self:
            company = wizard.company_id or self.env.company
            wizard.checklist_html = company._l10n_no_invoicing_checklist_html()
            wizard.checklist_done = all(item["done"] for item in company._l10n_no_invoicing_checklist())

    # ------------------------------------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------------------------------------

    @api.model
    def action_l10n_no_invoicing_open(self):
        """Open the assistant (from the menu, Settings, or after install): for those who may use it."""
        self.check_access("create")
        return self.env["ir.actions.act_window"]._for_xml_id("l10n_no_invoicing.action_l10n_no_invoicing_setup")

    def _l10n_no_invoicing_reopen(self):
        return reopen_action(self, self.env._("Set up Norwegian invoicing"))

    def action_lookup_company(self):
        """Step 1a: look the organisation number up and show what the register says; nothing is written
        yet. Returns the assistant again (status and message tell what happened)."""
        self.ensure_one()
        self.company_id._l10n_no_invoicing_require(SYSTEM, self.env._("set up the company"))
        answer = self.company_id._l10n_no_brreg_lookup(self.orgnr, use_cache=False)
        unit = answer.unit
        values = {"brreg_status": answer.status, "brreg_message": answer.message}
        if unit:
            code = unit.business_code
            values.update({
                "orgnr": unit.orgnr,
                "brreg_name": unit.name,
                "brreg_form": f"{unit.form.code} {unit.form.description}".strip(),
                "brreg_address": _address_text(unit.business_address),
                "brreg_postal_address": _address_text(unit.postal_address),
                "brreg_vat": unit.vat_number or False,
                "brreg_vat_registered": unit.vat_registered,
                "brreg_foretaksregisteret": unit.enterprise_registered,
                "brreg_nace": f"{code.code} {code.description}".strip() if code else False,
                "brreg_warning": ", ".join(_problem_texts(self.env, unit)) or False,
            })
            if unit.is_subunit:
                values["brreg_warning"] = self.env._(
                    "This is a sub-unit; the company's own number is %(parent)s.", parent=unit.parent_orgnr or "?")
        else:
            values.update({key: False for key in (
                "brreg_name", "brreg_form", "brreg_address", "brreg_postal_address", "brreg_vat", "brreg_nace",
                "brreg_warning")})
            values.update({"brreg_vat_registered": False, "brreg_foretaksregisteret": False})
        self.write(values)
        return self._l10n_no_invoicing_reopen()

    def action_apply_company(self):
        """Step 1b: write the confirmed register data on the company (name, addresses, VAT number
        NO…MVA when VAT-registered, Foretaksregisteret, business code), then go to the bank step."""
        self.ensure_one()
        self.company_id._l10n_no_invoicing_require(SYSTEM, self.env._("set up the company"))
        if self.brreg_status != "found":
            raise UserError(self.env._("Look the organisation number up first; only a unit found in the "
                                       "Enhetsregisteret can be applied."))
        answer = self.company_id._l10n_no_brreg_lookup(self.orgnr)
        if answer.status != "found":
            raise UserError(answer.message)
        self.company_id._l10n_no_invoicing_apply_unit(answer.unit)
        self.write({"brreg_status": "applied", "step": "bank"})
        return self._l10n_no_invoicing_reopen()

    def action_setup_bank(self):
        """Step 2: the company's bank account on a bank journal, with the KID agreement of that account."""
        self.ensure_one()
        self.company_id._l10n_no_invoicing_require(ACCOUNT_MANAGER, self.env._("set up the bank account"))
        try:
            number = validate_account_number(self.bank_acc_number or "")
        except NumberError as exc:
            raise UserError(self.env._("The bank account number is not valid: %(error)s", error=str(exc))) from exc
        company = self.company_id
        Bank = self.env["res.partner.bank"].sudo()  # the company's own account: accounting administrators set it
        account = Bank.search([("partner_id", "=", company.partner_id.id), ("sanitized_acc_number", "=", number),
                               "|", ("company_id", "=", company.id), ("company_id", "=", False)], limit=1)
        if not account:
            account = Bank.create({"acc_number": number, "partner_id": company.partner_id.id,
                                   "company_id": company.id, "allow_out_payment": True})
        journal = self.bank_journal_id
        if not journal:
            journal = self.env["account.journal"].create({
                "name": self.env._("Bank"), "type": "bank", "code": "BNK9", "company_id": company.id,
            })
        values = {"bank_account_id": account.id}
        if self.kid_layout and self.kid_layout != "none":
            values.update(KID_LAYOUTS[self.kid_layout], l10n_no_kid_enabled=True,
                          l10n_no_kid_mandatory=self.kid_mandatory, l10n_no_kid_prefix=False)
        journal.write(values)
        self.write({"bank_journal_id": journal.id, "step": "access_point"})
        return self._l10n_no_invoicing_reopen()

    def action_setup_access_point(self):
        """Step 3: the company's EHF access point, chosen or created. Credentials are not typed here: the
        system administrator enters them on the access point itself (only they can read them)."""
        self.ensure_one()
        self.company_id._l10n_no_invoicing_require(SYSTEM, self.env._("choose the EHF access point"))
        access_point = self.access_point_id
        if not access_point:
            if not self.ap_name:
                raise UserError(self.env._("Choose an access point or give a name for a new one."))
            access_point = self.env["l10n_no_ehf.access.point"].create({
                "name": self.ap_name, "company_id": self.company_id.id,
                "transport_type": self.ap_transport_type or "memory",
            })
        self.company_id.l10n_no_ehf_access_point_id = access_point
        self.write({"access_point_id": access_point.id, "step": "dunning"})
        return self._l10n_no_invoicing_reopen()

    def action_setup_dunning(self):
        """Step 4: the dunning preset (which preset levels are active) and, when one is missing, the law
        value of this or the coming half-year."""
        self.ensure_one()
        self.company_id._l10n_no_invoicing_require(ACCOUNT_MANAGER, self.env._("set up dunning"))
        company = self.company_id
        company._l10n_no_dunning_create_default_levels()
        Level = self.env["l10n_no.dunning.level"].with_context(active_test=False)
        levels = Level.search([("company_id", "=", company.id)])
        wanted = DUNNING_PRESETS[self.dunning_preset or "standard"]
        preset_kinds = {kind for kinds in DUNNING_PRESETS.values() for kind in kinds}
        # activate first, then deactivate: every intermediate set of levels stays lawful
        levels.filtered(lambda level: level.kind in wanted and not level.active).write({"active": True})
        levels.filtered(lambda level: level.kind in preset_kinds - wanted and level.active).write({"active": False})
        if self.law_table and self.law_period_start and self.law_value:
            self.env["l10n_no.dunning.law.value"].create({
                "company_id": company.id, "law_table": self.law_table,
                "period_start": self.law_period_start, "value": self.law_value,
                "source": self.env._("Entered in the setup assistant"),
            })
        missing = self._first_missing_law_value(company)
        self.write({
            "step": "checklist",
            "law_table": missing[0] if missing else False,
            "law_period_start": missing[1] if missing else False,
            "law_value": 0.0,
        })
        return self._l10n_no_invoicing_reopen()

    def action_next_step(self):
        """Skip to the next step without changing anything."""
        self.ensure_one()
        keys = [key for key, _label in STEPS]
        self.step = keys[min(keys.index(self.step) + 1, len(keys) - 1)]
        return self._l10n_no_invoicing_reopen()

    def action_previous_step(self):
        self.ensure_one()
        keys = [key for key, _label in STEPS]
        self.step = keys[max(keys.index(self.step) - 1, 0)]
        return self._l10n_no_invoicing_reopen()

    def action_finish(self):
        """Close the assistant; it stays reachable from the menu and Settings."""
        self.ensure_one()
        self.check_access("write")
        todo = self.env.ref("l10n_no_invoicing.todo_l10n_no_invoicing_setup", raise_if_not_found=False)
        if todo and todo.sudo().state == "open":
            todo.sudo().state = "done"
        return {"type": "ir.actions.act_window_close"}

    def l10n_no_invoicing_checklist(self):
        """The check list as data: [{key, label, done, hint}] (for XML-RPC and the dashboard)."""
        self.ensure_one()
        return (self.company_id or self.env.company)._l10n_no_invoicing_checklist()


def _address_text(address):
    if not address:
        return False
    return "\n".join([*address.lines, f"{address.postcode} {address.city}".strip()]).strip() or False


def _problem_texts(env, unit):
    labels = {
        "deleted": env._("deleted"),
        "bankrupt": env._("bankrupt"),
        "liquidation": env._("under liquidation"),
        "forced_dissolution": env._("under compulsory dissolution"),
        "closed": env._("closed down"),
    }
    return [labels[problem] for problem in unit.problems(fields.Date.today())]
