import logging
import threading
import time
from collections import namedtuple
from datetime import date

from markupsafe import Markup, escape
from nofaktura.brreg import DEFAULT_BASE_URL, BrregClient, RateLimiter
from nofaktura.exceptions import BadQuery, ServiceUnavailable, UnitDeleted, UnitNotFound, ValidationError
from nofaktura.identifiers import validate_orgnr

from odoo import api, fields, models, modules
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

#: One answer of the register for the Odoo side: ``status`` is found, not_found, deleted, invalid,
#: disabled or unavailable; ``unit`` a ``nofaktura.brreg.Unit`` or None; ``message`` text to show.
BrregAnswer = namedtuple("BrregAnswer", "status unit message")

# One limiter per worker process and base URL: a batch check or a user typing quickly cannot send more
# than a few requests a second to a public service (the register asks for moderate use).
_LIMITERS = {}
_LIMITERS_LOCK = threading.Lock()


def _shared_limiter(base_url):
    with _LIMITERS_LOCK:
        if base_url not in _LIMITERS:
            _LIMITERS[base_url] = RateLimiter(5, per=1.0, burst=10)
        return _LIMITERS[base_url]


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_no_brreg_enabled = fields.Boolean(
        string="Enhetsregisteret lookups",
        default=True,
        help="Fill company, customer and vendor data from the Enhetsregisteret (Brønnøysundregistrene) and "
        "check saved partners for deleted, bankrupt or dissolving units. Off: nothing is sent to the register.",
    )
    l10n_no_brreg_base_url = fields.Char(
        string="Enhetsregisteret API URL",
        default=DEFAULT_BASE_URL,
        help="The open API of the Enhetsregisteret; change it only for the register's test environment.",
    )
    l10n_no_invoicing_nace = fields.Char(
        string="Business code (NACE)", help="Main business code (næringskode) from the Enhetsregisteret."
    )
    l10n_no_invoicing_org_form = fields.Char(
        string="Organisation form", help="Legal form from the Enhetsregisteret, e.g. AS, ENK, NUF."
    )

    # ------------------------------------------------------------------------------------------------
    # Enhetsregisteret
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_brreg_transport(self):
        """The httpx transport to the register: None means the real network. Tests replace this method
        with one returning ``nofaktura.brreg.testing.FakeRegistry().transport``."""
        return None

    def _l10n_no_brreg_limiter(self):
        self.ensure_one()
        return _shared_limiter(self._l10n_no_brreg_base_url())

    def _l10n_no_brreg_base_url(self):
        self.ensure_one()
        return (self.sudo().l10n_no_brreg_base_url or DEFAULT_BASE_URL).strip()

    def _l10n_no_brreg_client(self):
        """A client for this company's settings. Raises ServiceUnavailable instead of reaching the
        network from a test that forgot to inject a transport."""
        self.ensure_one()
        transport = self._l10n_no_brreg_transport()
        if transport is None and modules.module.current_test:
            raise ServiceUnavailable("Network lookups are disabled while tests run.")
        try:
            return BrregClient(
                base_url=self._l10n_no_brreg_base_url(),
                transport=transport,
                cache=False,  # the database keeps the answers (l10n_no_invoicing.brreg.entry)
                limiter=self._l10n_no_brreg_limiter(),
            )
        except ValueError as exc:
            raise ServiceUnavailable(
                self.env._("The Enhetsregisteret API URL is not valid: %(url)s", url=self.l10n_no_brreg_base_url)
            ) from exc

    def _l10n_no_brreg_lookup(self, orgnr, use_cache=True, wait=False):
        """Ask the register (or its cached answer) about ``orgnr``: a main unit, else a sub-unit.

        Never raises for the service: a BrregAnswer with status ``unavailable`` and a message a person can
        read comes back instead, so a form or a batch goes on without the answer. ``wait`` (batch jobs)
        waits up to 2 seconds for the rate limiter instead of giving up at once."""
        self.ensure_one()
        if not self.l10n_no_brreg_enabled:
            return BrregAnswer("disabled", None, self.env._("Enhetsregisteret lookups are switched off for %(company)s.",
                                                            company=self.name))
        try:
            number = validate_orgnr(orgnr or "")
        except ValidationError:
            return BrregAnswer("invalid", None, self.env._(
                "%(number)s is not a valid organisation number (9 digits with a MOD11 check digit).",
                number=orgnr or "",
            ))
        Entry = self.env["l10n_no_invoicing.brreg.entry"].sudo()
        entry = Entry.search([("orgnr", "=", number)], limit=1)
        if use_cache and entry and entry._l10n_no_invoicing_fresh():
            return self._l10n_no_brreg_answer(entry.state, entry._l10n_no_invoicing_unit(), number)
        if wait:
            delay = self._l10n_no_brreg_limiter().wait_time()
            if 0 < delay <= 2:
                time.sleep(delay)
        try:
            with self._l10n_no_brreg_client() as client:
                unit = client.lookup_any(number)
        except UnitDeleted:
            Entry._l10n_no_invoicing_store(number, "deleted")
            return self._l10n_no_brreg_answer("deleted", None, number)
        except UnitNotFound:
            Entry._l10n_no_invoicing_store(number, "not_found")
            return self._l10n_no_brreg_answer("not_found", None, number)
        except (ServiceUnavailable, BadQuery) as exc:
            _logger.info("Enhetsregisteret lookup of %s failed: %s", number, exc)
            return BrregAnswer("unavailable", None, self.env._(
                "The Enhetsregisteret could not be asked just now (%(error)s). Nothing was changed; try again later.",
                error=str(exc),
            ))
        Entry._l10n_no_invoicing_store(number, "deleted" if unit.deleted else "found", unit)
        return self._l10n_no_brreg_answer("deleted" if unit.deleted else "found", unit, number)

    def _l10n_no_brreg_answer(self, state, unit, number):
        if state == "not_found":
            return BrregAnswer("not_found", None, self.env._(
                "The Enhetsregisteret has no unit with organisation number %(number)s.", number=number))
        if state == "deleted":
            return BrregAnswer("deleted", unit, self.env._(
                "%(number)s has been deleted from the Enhetsregisteret.", number=number))
        return BrregAnswer("found", unit, "")

    def _l10n_no_brreg_search(self, query, limit=8):
        """Main units whose name matches ``query`` (the register's matching), or the unit with that number
        when ``query`` is an organisation number. Returns (units, message): message is set when nothing
        could be asked."""
        self.ensure_one()
        query = (query or "").strip()
        if not query:
            return [], ""
        digits = "".join(ch for ch in query if not ch.isspace())
        if digits.isdigit():
            answer = self._l10n_no_brreg_lookup(digits)
            return ([answer.unit] if answer.unit else []), answer.message
        if not self.l10n_no_brreg_enabled:
            return [], self.env._("Enhetsregisteret lookups are switched off for %(company)s.", company=self.name)
        try:
            with self._l10n_no_brreg_client() as client:
                page = client.search(query, size=max(1, min(int(limit), 50)))
        except (ServiceUnavailable, BadQuery) as exc:
            return [], self.env._(
                "The Enhetsregisteret could not be searched just now (%(error)s).", error=str(exc))
        return list(page.units), ""

    @api.model
    def _l10n_no_brreg_partner_values(self, unit):
        """Partner values from a unit: name, address (business address, else postal), country, VAT number
        when in the VAT register, organisation number, contact data."""
        address = unit.business_address or unit.postal_address
        values = {
            "name": unit.name,
            "is_company": True,
            "l10n_no_bronnoysund_number": unit.parent_orgnr if unit.is_subunit and unit.parent_orgnr else unit.orgnr,
        }
        if unit.vat_number and not unit.is_subunit:
            values["vat"] = unit.vat_number
        if address:
            values.update({
                "street": address.lines[0] if address.lines else False,
                "street2": ", ".join(address.lines[1:]) or False,
                "zip": address.postcode or False,
                "city": address.city or False,
            })
            country = self.env["res.country"].search([("code", "=", address.country_code or "NO")], limit=1)
            if country:
                values["country_id"] = country.id
        for key, value in (("website", unit.website), ("email", unit.email), ("phone", unit.phone)):
            if value:
                values[key] = value
        return values

    # ------------------------------------------------------------------------------------------------
    # Check list
    # ------------------------------------------------------------------------------------------------

    def _l10n_no_invoicing_checklist(self, today=None):
        """What the company still lacks for Norwegian invoicing: [{key, label, done, hint}], in the order
        the setup assistant asks. Read as superuser within this company (it only says yes or no)."""
        self.ensure_one()
        company = self.sudo()
        env = company.env
        today = today or fields.Date.context_today(self)
        items = []

        def add(key, label, done, hint=""):
            items.append({"key": key, "label": label, "done": bool(done), "hint": hint})

        add("org_number", env._("Organisation number"), company._l10n_no_org_number(),
            env._("Step 1: type the organisation number and confirm the Enhetsregisteret data."))
        add("address", env._("Company address"), company.street and company.zip and company.city,
            env._("Step 1 fills it from the Enhetsregisteret."))
        journals = env["account.journal"].search([*env["account.journal"]._check_company_domain(company),
                                                  ("type", "=", "bank")])
        add("bank_account", env._("Bank account on a bank journal"), journals.filtered("bank_account_id"),
            env._("Step 2: the account number customers pay into."))
        add("kid_agreement", env._("KID agreement"), journals.filtered("l10n_no_kid_enabled"),
            env._("Step 2: the KID layout of the bank's OCR giro agreement."))
        add("access_point", env._("EHF access point"), company._l10n_no_ehf_access_point(),
            env._("Step 3 (system administrator): the access point that sends and receives EHF."))
        add("dunning_levels", env._("Dunning levels"), company._l10n_no_dunning_levels(),
            env._("Step 4: a dunning preset."))
        LawValue = env["l10n_no.dunning.law.value"]
        selection = dict(LawValue._fields["law_table"].selection)
        missing = []
        for day in (today, _next_half_year(today)):
            for table, start in LawValue._l10n_no_dunning_missing(company, day):
                if (table, start) not in missing:
                    missing.append((table, start))
        add("law_values", env._("Dunning law values for this and the coming half-year"), not missing,
            "; ".join(env._("%(table)s from %(start)s", table=selection[table], start=start)
                      for table, start in missing))
        return items

    def _l10n_no_invoicing_checklist_html(self):
        rows = []
        for item in self._l10n_no_invoicing_checklist():
            icon = "fa-check-circle text-success" if item["done"] else "fa-exclamation-circle text-warning"
            state = self.env._("done") if item["done"] else self.env._("missing")
            hint = Markup(" <span class='text-muted'>— %s</span>") % item["hint"] if not item["done"] and item[
                "hint"] else Markup()
            rows.append(Markup(
                "<li class='o_l10n_no_checklist_item' data-key='%s' data-done='%s'>"
                "<i class='fa %s' role='img' title='%s' aria-label='%s'/> %s%s</li>"
            ) % (item["key"], "1" if item["done"] else "0", icon, state, state, escape(item["label"]), hint))
        return Markup("<ul class='list-unstyled o_l10n_no_checklist'>%s</ul>") % Markup().join(rows)

    def _l10n_no_invoicing_require(self, group, what):
        """Refuse the caller unless they hold ``group`` (an xml id)."""
        if not self.env.su and not self.env.user.has_group(group):
            who = {
                "base.group_system": self.env._("system administrators"),
                "account.group_account_manager": self.env._("accounting administrators"),
            }.get(group) or self.env.ref(group).sudo().full_name
            raise AccessError(self.env._("Only %(who)s may %(what)s.", who=who, what=what))
        return True

    def _l10n_no_invoicing_apply_unit(self, unit):
        """Write the register's data on this company (the caller checked the rights)."""
        self.ensure_one()
        if unit.is_subunit:
            raise UserError(self.env._(
                "%(number)s is a sub-unit (an establishment). Use the organisation number of the legal entity, "
                "%(parent)s.", number=unit.orgnr, parent=unit.parent_orgnr or "?"))
        values = self._l10n_no_brreg_partner_values(unit)
        values.pop("is_company", None)
        for key in ("website", "email", "phone"):
            if self[key]:
                values.pop(key, None)
        values["vat"] = unit.vat_number or False
        values["company_registry"] = unit.orgnr
        values["l10n_no_foretaksregisteret"] = unit.enterprise_registered
        values["l10n_no_ehf_foretaksregisteret"] = unit.enterprise_registered
        code = unit.business_code
        values["l10n_no_invoicing_nace"] = f"{code.code} {code.description}".strip() if code else False
        values["l10n_no_invoicing_org_form"] = f"{unit.form.code} {unit.form.description}".strip()
        self.write(values)
        return True


def _next_half_year(day):
    """The first day of the half-year after the one ``day`` is in."""
    return date(day.year, 7, 1) if day.month < 7 else date(day.year + 1, 1, 1)
