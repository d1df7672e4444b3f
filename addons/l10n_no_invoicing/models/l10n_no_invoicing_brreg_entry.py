import json
from datetime import timedelta

import psycopg2

from nofaktura.brreg import parse_unit
from nofaktura.exceptions import RegistryUnavailable

from odoo import fields, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL

#: How long an answer is used before the register is asked again: units change rarely; a number that
#: was not found may be a company registered since.
FOUND_MAX_AGE = timedelta(days=7)
NOT_FOUND_MAX_AGE = timedelta(days=1)


class L10nNoInvoicingBrregEntry(models.Model):
    """The last answer of the Enhetsregisteret for one organisation number, shared by every company
    (the register is public data, NLOD 2.0, Brønnøysundregistrene). Written only by the lookup code (as
    superuser); people read it to see what a partner warning is based on."""

    _name = "l10n_no_invoicing.brreg.entry"
    _description = "Enhetsregisteret answer (cached)"
    _rec_name = "orgnr"
    _order = "fetched_at desc"

    orgnr = fields.Char(string="Organisation number", required=True, index=True, readonly=True)
    name = fields.Char(readonly=True)
    state = fields.Selection(
        [("found", "Found"), ("not_found", "Not found"), ("deleted", "Deleted")],
        required=True,
        readonly=True,
    )
    is_subunit = fields.Boolean(string="Sub-unit", readonly=True)
    data = fields.Text(string="Answer (JSON)", readonly=True)
    fetched_at = fields.Datetime(string="Fetched", required=True, readonly=True)

    _orgnr_unique = models.Constraint("UNIQUE(orgnr)", "One cached answer per organisation number.")

    def _l10n_no_invoicing_fresh(self, now=None):
        """Whether this answer may still be used instead of asking the register again."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        max_age = FOUND_MAX_AGE if self.state == "found" else NOT_FOUND_MAX_AGE
        return self.fetched_at and self.fetched_at + max_age > now

    def _l10n_no_invoicing_unit(self):
        """The cached unit as a ``nofaktura.brreg.Unit`` (None when the number was not found)."""
        self.ensure_one()
        if not self.data:
            return None
        try:
            return parse_unit(json.loads(self.data), subunit=self.is_subunit)
        except (ValueError, RegistryUnavailable):
            return None

    def _l10n_no_invoicing_store(self, orgnr, state, unit=None):
        """Create or refresh the entry of ``orgnr`` (as superuser); two workers storing the same number at
        once is harmless: the second one's insert is dropped."""
        Entry = self.sudo()
        vals = {
            "orgnr": orgnr,
            "state": state,
            "name": unit.name if unit else False,
            "is_subunit": bool(unit and unit.is_subunit),
            "data": json.dumps(dict(unit.raw), ensure_ascii=False) if unit else False,
            "fetched_at": fields.Datetime.now(),
        }
        entry = Entry.search([("orgnr", "=", orgnr)], limit=1)
        if entry:
            entry.write(vals)
            return entry
        try:
            with self.env.cr.savepoint():
                entry = Entry.create(vals)
                entry.flush_recordset()
        except psycopg2.IntegrityError:
            entry = Entry.search([("orgnr", "=", orgnr)], limit=1)
        return entry

    def _l10n_no_invoicing_serialize(self, orgnr):
        """Make the transactions that create something for ``orgnr`` at once (two clerks creating the same
        customer in two workers) run one after the other: a no-op update of the number's row makes a second
        transaction wait for the first and then fail with a serialisation error, which Odoo retries with a
        fresh view, where it finds what the first one created. A missing row means another transaction is
        inserting it (this one cannot see it yet): ConcurrencyError, also retried by Odoo."""
        self.flush_model(["fetched_at"])
        # an expected, retried conflict: not logged as a bad query
        self.env.cr.execute(SQL("UPDATE %s SET fetched_at = fetched_at WHERE orgnr = %s",
                                SQL.identifier(self._table), orgnr), log_exceptions=False)
        if not self.env.cr.rowcount:
            raise ConcurrencyError(self.env._(
                "Another person is creating a partner from the Enhetsregisteret with organisation number "
                "%(number)s at the same time; try again.", number=orgnr))
        return True
