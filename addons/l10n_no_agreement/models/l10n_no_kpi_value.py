from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

#: Settings (ir.config_parameter), never assumptions: Statistics Norway may continue the KPI in a new table
#: on a new base year; the values of each table are kept with their base year.
PARAM_TABLE = "l10n_no_agreement.kpi_table"
PARAM_CONTENTS = "l10n_no_agreement.kpi_contents_code"
PARAM_BASE_YEAR = "l10n_no_agreement.kpi_base_year"
#: How many months the fetch asks for (two years covers the 12-month rule and an October-to-October clause).
FETCH_MONTHS = 26


class L10nNoKpiValue(models.Model):
    _name = "l10n_no.kpi.value"
    _description = "Consumer price index value (Statistics Norway)"
    _order = "table_code, period desc"
    _rec_name = "period"

    # Public data, the same for every company: no company field, no company rule.
    table_code = fields.Char("Table", required=True, readonly=True)
    base_year = fields.Integer(required=True, readonly=True, help="The year the index is 100 (2015 for 03013).")
    period = fields.Char(required=True, readonly=True, help="The month, as Statistics Norway writes it: 2025M02.")
    value = fields.Float(digits=(16, 4), required=True, readonly=True)

    _table_period_unique = models.Constraint(
        "UNIQUE(table_code, period)", "An index month is stored once per table."
    )

    @api.model
    def _l10n_no_kpi_table(self):
        """The index table from the settings (default: 03013, 2015 = 100)."""
        from nofaktura.kpi import IndexTable  # noqa: PLC0415 - the library is an external dependency

        params = self.env["ir.config_parameter"].sudo()
        try:
            return IndexTable(
                table=params.get_param(PARAM_TABLE, "03013"),
                contents_code=params.get_param(PARAM_CONTENTS, "KpiIndMnd"),
                base_year=int(params.get_param(PARAM_BASE_YEAR, "2015")),
            )
        except ValueError as error:
            raise UserError(self.env._("The KPI table settings are wrong: %(error)s", error=error)) from error

    @api.model
    def _l10n_no_kpi_transport(self):
        """The httpx transport of the Statistics Norway client: None = the network. Tests override this
        method to return ``nofaktura.kpi.testing.FakeSsb(...).transport``."""
        return None

    @api.model
    def _l10n_no_kpi_series(self):
        """The stored values of the configured table as a library ``IndexSeries``."""
        from nofaktura.kpi import IndexSeries, IndexValue, Period  # noqa: PLC0415

        table = self._l10n_no_kpi_table()
        rows = self.sudo().search([("table_code", "=", table.table), ("base_year", "=", table.base_year)])
        values = [
            IndexValue(period=Period.parse(row.period), value=Decimal(str(round(row.value, 4))),
                       base_year=row.base_year, table=row.table_code)
            for row in rows
        ]  # fmt: skip
        return IndexSeries(table.table, table.base_year, values)

    @api.model
    def action_fetch_kpi(self):
        """Button "Fetch KPI": the billing clerk (or the cron) reads the latest months from Statistics Norway.
        Values are public and written by this method only (sudo after the check); returns a notification."""
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users (Invoicing) may fetch the KPI."))
        count = self._l10n_no_kpi_fetch()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("KPI"),
                "message": self.env._("%(count)s new or changed index months stored.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _cron_l10n_no_kpi_fetch(self):
        return self._l10n_no_kpi_fetch()

    @api.model
    def _l10n_no_kpi_fetch(self):
        """Fetch and store (insert or correct) the last FETCH_MONTHS months; returns how many changed."""
        from nofaktura.exceptions import IndexDataError, TransportError  # noqa: PLC0415
        from nofaktura.kpi import SsbClient  # noqa: PLC0415

        table = self._l10n_no_kpi_table()
        try:
            with SsbClient(table, transport=self._l10n_no_kpi_transport()) as ssb:
                series = ssb.fetch_latest(FETCH_MONTHS)
        except (TransportError, IndexDataError) as error:
            raise UserError(self.env._("Statistics Norway could not be read: %(error)s", error=error)) from error
        stored = {
            row.period: row
            for row in self.sudo().search([("table_code", "=", table.table), ("base_year", "=", table.base_year)])
        }
        changed = 0
        for period, index in series.items():
            value = float(index.value)
            row = stored.get(period.code)
            if row is None:
                self.sudo().create({"table_code": table.table, "base_year": table.base_year,
                                    "period": period.code, "value": value})  # fmt: skip
                changed += 1
            elif row.value != value:
                row.sudo().value = value
                changed += 1
        return changed
