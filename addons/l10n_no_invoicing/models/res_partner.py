import re

from odoo import api, fields, models
from odoo.exceptions import AccessError

#: Set only by the Enhetsregisteret check (as superuser): a user cannot clear a warning by writing.
BRREG_FIELDS = ("l10n_no_brreg_flag", "l10n_no_brreg_reason", "l10n_no_brreg_checked")
#: Partners checked per batch of the daily job; the scheduler commits after each batch.
CHECK_BATCH = 50
#: A partner is checked again after this many days.
RECHECK_DAYS = 7


class ResPartner(models.Model):
    _inherit = "res.partner"

    l10n_no_brreg_flag = fields.Boolean(
        string="Enhetsregisteret warning", readonly=True, copy=False,
        help="Set by the Enhetsregisteret check: the unit is deleted, bankrupt, being dissolved, unknown, or its "
        "VAT registration does not match the partner's VAT number.",
    )
    l10n_no_brreg_reason = fields.Text(string="Enhetsregisteret findings", readonly=True, copy=False)
    l10n_no_brreg_checked = fields.Datetime(string="Checked in the Enhetsregisteret", readonly=True, copy=False)

    # EXTENDS base
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(key in vals for vals in vals_list for key in BRREG_FIELDS):
            raise AccessError(self.env._("The Enhetsregisteret findings are set by the check, not by hand."))
        return super().create(vals_list)

    # EXTENDS base
    def write(self, vals):
        if not self.env.su and any(key in vals for key in BRREG_FIELDS):
            raise AccessError(self.env._("The Enhetsregisteret findings are set by the check, not by hand."))
        return super().write(vals)

    # ------------------------------------------------------------------------------------------------

    def _l10n_no_brreg_orgnr(self):
        """The organisation number to check: the Brønnøysund number, the company registry, else the digits
        of a NO…MVA VAT number; empty for a person or a foreign company."""
        self.ensure_one()
        for value in (self.l10n_no_bronnoysund_number, self.company_registry):
            digits = re.sub(r"\D", "", value or "")
            if len(digits) == 9:
                return digits
        vat = re.sub(r"[\s.-]", "", (self.vat or "").upper())
        match = re.fullmatch(r"(?:NO)?(\d{9})MVA", vat)
        return match.group(1) if match else ""

    def _l10n_no_brreg_company(self):
        self.ensure_one()
        return self.company_id or self.env.company

    def _l10n_no_brreg_findings(self, answer):
        """Reasons to warn about a partner, from the register's answer (list of texts; empty: all well)."""
        self.ensure_one()
        unit = answer.unit
        if answer.status == "not_found":
            return [answer.message]
        if answer.status == "deleted":
            when = unit.deleted_date if unit and unit.deleted_date else None
            return [self.env._("Deleted from the Enhetsregisteret on %(date)s.", date=when) if when
                    else self.env._("Deleted from the Enhetsregisteret.")]
        reasons = []
        if unit.bankrupt:
            reasons.append(self.env._("Bankrupt (konkurs) since %(date)s.", date=unit.bankrupt_date) if unit.bankrupt_date
                           else self.env._("Bankrupt (konkurs)."))
        if unit.under_liquidation:
            reasons.append(self.env._("Under liquidation (under avvikling) since %(date)s.", date=unit.liquidation_date)
                           if unit.liquidation_date else self.env._("Under liquidation (under avvikling)."))
        if unit.forced_dissolution:
            reasons.append(self.env._("Under compulsory liquidation or dissolution (tvangsavvikling/tvangsoppløsning)."))
        if unit.closed_date and unit.closed_date <= fields.Date.context_today(self):
            reasons.append(self.env._("The establishment closed down on %(date)s.", date=unit.closed_date))
        if not unit.is_subunit:
            vat = re.sub(r"[\s.-]", "", (self.vat or "").upper())
            has_mva = bool(re.fullmatch(r"(?:NO)?\d{9}MVA", vat))
            if has_mva and not unit.vat_registered:
                reasons.append(self.env._("The partner has the VAT number %(vat)s, but %(number)s is not in the VAT register "
                                 "(Merverdiavgiftsregisteret): do not charge VAT on its behalf.",
                                 vat=self.vat, number=unit.orgnr))
            elif unit.vat_registered and not has_mva:
                reasons.append(self.env._("%(number)s is in the VAT register, but the partner has no VAT number: it should be "
                                 "%(vat)s.", number=unit.orgnr, vat=unit.vat_number))
            elif has_mva and vat.removeprefix("NO")[:9] != unit.orgnr:
                reasons.append(self.env._("The VAT number %(vat)s belongs to another organisation number than %(number)s.",
                                 vat=self.vat, number=unit.orgnr))
        return reasons

    def _l10n_no_brreg_check(self, use_cache=True, wait=False):
        """Check these partners against the register and store the flag and the reasons (as superuser).
        Returns {"checked": n, "flagged": n, "skipped": n, "unavailable": message or ""}: a service that
        is down stops the batch and leaves earlier findings as they were."""
        result = {"checked": 0, "flagged": 0, "skipped": 0, "unavailable": ""}
        now = fields.Datetime.now()
        for partner in self:
            number = partner._l10n_no_brreg_orgnr()
            company = partner._l10n_no_brreg_company()
            if not number or not company.l10n_no_brreg_enabled:
                result["skipped"] += 1
                continue
            answer = company._l10n_no_brreg_lookup(number, use_cache=use_cache, wait=wait)
            if answer.status == "unavailable":
                result["unavailable"] = answer.message
                break
            if answer.status in ("invalid", "disabled"):
                reasons = [answer.message] if answer.status == "invalid" else []
                if answer.status == "disabled":
                    result["skipped"] += 1
                    continue
            else:
                reasons = partner._l10n_no_brreg_findings(answer)
            partner.sudo().write({
                "l10n_no_brreg_flag": bool(reasons),
                "l10n_no_brreg_reason": "\n".join(reasons) or False,
                "l10n_no_brreg_checked": now,
            })
            result["checked"] += 1
            result["flagged"] += bool(reasons)
        return result

    def action_l10n_no_brreg_check(self):
        """Button: check these partners now (fresh answers). For billing and accounting users (and contact
        managers) who can see the partners: the check only sets the warning, as superuser."""
        self.check_access("read")
        user = self.env.user
        if not (self.env.su or user.has_group("account.group_account_invoice")
                or user.has_group("base.group_partner_manager")):
            raise AccessError(self.env._("Only billing and accounting users may check partners in the "
                                         "Enhetsregisteret."))
        # a person waits a moment (up to 2 s a lookup) rather than be refused because the daily check or
        # another user of this worker has just used the lookups the register allows per second
        result = self._l10n_no_brreg_check(use_cache=False, wait=True)
        if result["unavailable"]:
            message, kind = result["unavailable"], "warning"
        elif result["flagged"]:
            message, kind = self.env._("%(count)s partner(s) need attention: see the warning on the form.",
                              count=result["flagged"]), "warning"
        elif result["checked"]:
            message, kind = self.env._("Checked in the Enhetsregisteret: nothing to report."), "success"
        else:
            message, kind = self.env._("Nothing to check: no Norwegian organisation number (or lookups are switched off)."), \
                "info"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.env._("Enhetsregisteret"), "message": message, "type": kind, "sticky": False,
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    def action_l10n_no_brreg_lookup(self):
        """Button: open the lookup with this partner's number (or name) to fill it from the register."""
        self.ensure_one()
        self.check_access("write")
        wizard = self.env["l10n_no_invoicing.partner.lookup"].create({
            "partner_id": self.id,
            "query": self._l10n_no_brreg_orgnr() or self.name or "",
        })
        wizard.action_search()
        return wizard._l10n_no_invoicing_reopen()

    @api.model
    def l10n_no_brreg_candidates(self, query="", limit=8):
        """Name-search-like helper for a form or an XML-RPC caller: the register's units matching ``query``
        (a name or an organisation number) as a list of dicts with the partner values they would fill,
        and a ``message`` entry when the register could not be asked. Needs the right to create partners."""
        self.check_access("create")
        units, message = self.env.company._l10n_no_brreg_search(query, limit=limit)
        Company = self.env["res.company"]
        return {
            "message": message,
            "candidates": [
                {
                    "orgnr": unit.orgnr,
                    "name": unit.name,
                    "form": unit.form.code,
                    "city": (unit.business_address or unit.postal_address).city
                    if (unit.business_address or unit.postal_address) else "",
                    "vat_registered": unit.vat_registered,
                    "problems": list(unit.problems(fields.Date.context_today(self))),
                    "values": Company._l10n_no_brreg_partner_values(unit),
                }
                for unit in units
            ],
        }

    @api.onchange("l10n_no_bronnoysund_number")
    def _onchange_l10n_no_brreg_number(self):
        """Typing an organisation number on a partner fills what is still empty from the register; when the
        register cannot be asked the form says so and still saves."""
        number = re.sub(r"\s", "", self.l10n_no_bronnoysund_number or "")
        if len(number) != 9 or not number.isdigit():
            return None
        company = self.company_id or self.env.company
        if not company.l10n_no_brreg_enabled:
            return None
        answer = company._l10n_no_brreg_lookup(number)
        if answer.status in ("unavailable", "invalid", "not_found", "deleted"):
            return {"warning": {"title": self.env._("Enhetsregisteret"), "message": answer.message}}
        values = company._l10n_no_brreg_partner_values(answer.unit)
        for key, value in values.items():
            if key == "l10n_no_bronnoysund_number":
                continue
            if key == "country_id":
                value = self.env["res.country"].browse(value)
            if key == "is_company" or not self[key]:
                self[key] = value
        problems = self._l10n_no_brreg_findings(answer)
        if problems:
            return {"warning": {"title": self.env._("Enhetsregisteret"), "message": "\n".join(problems)}}
        return None

    @api.model
    def _cron_l10n_no_brreg_check_partners(self, batch_size=CHECK_BATCH):
        """Daily: check the company partners with a Norwegian organisation number, oldest check first, a
        batch at a time, committing each batch with the scheduler's progress. Stops when the register is
        down or the time is up; what is left is done by the next run."""
        if not self.env.su:
            return self.sudo()._cron_l10n_no_brreg_check_partners(batch_size=batch_size)
        in_cron = bool(self.env.context.get("cron_id"))
        cutoff = fields.Datetime.subtract(fields.Datetime.now(), days=RECHECK_DAYS)
        domain = [
            ("is_company", "=", True),
            "|", ("l10n_no_brreg_checked", "=", False), ("l10n_no_brreg_checked", "<", cutoff),
            "|", "|", ("l10n_no_bronnoysund_number", "!=", False), ("company_registry", "!=", False),
            ("vat", "=ilike", "NO%MVA"),
        ]
        total = {"checked": 0, "flagged": 0, "skipped": 0, "unavailable": ""}
        seen = set()
        while True:
            batch = self.search([*domain, ("id", "not in", list(seen))], limit=batch_size,
                                order="l10n_no_brreg_checked asc nulls first, id")
            if not batch:
                break
            seen.update(batch.ids)
            result = batch._l10n_no_brreg_check(wait=True)
            for key in ("checked", "flagged", "skipped"):
                total[key] += result[key]
            if result["unavailable"]:
                total["unavailable"] = result["unavailable"]
                break
            if not in_cron:
                continue
            remaining = self.search_count([*domain, ("id", "not in", list(seen))])
            time_left = self.env["ir.cron"]._commit_progress(len(batch), remaining=remaining)
            if not remaining or time_left <= 0:
                break
        return total
