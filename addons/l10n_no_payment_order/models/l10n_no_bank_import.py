import hashlib
from decimal import Decimal

from nofaktura.bank.detect import iso20022_message

from odoo import api, fields, models

from odoo.addons.l10n_no_bank.models.l10n_no_bank_import import AlreadyImported


class L10nNoBankImport(models.Model):
    """The bank-file import of l10n_no_bank also reads the bank's answers to our payment files:
    pain.002 status reports (uploaded or fetched by the journal's channel) update the payments of
    the order they answer; camt.054 debit notifications book our payments and reconcile them."""

    _inherit = "l10n_no.bank.import"

    file_format = fields.Selection(selection_add=[("pain.002", "ISO 20022 pain.002 (payment status)")],
                                   ondelete={"pain.002": "set null"})
    payment_order_id = fields.Many2one("account.payment.order", string="Payment order", readonly=True,
                                       check_company=True)

    @api.model
    def _l10n_no_bank_import(self, data, filename, journal=None, origin="upload"):
        message = iso20022_message(data[:8192]) if data else None
        if not (message and message.startswith("pain.002")):
            return super()._l10n_no_bank_import(data, filename, journal=journal, origin=origin)
        self._l10n_no_bank_check_importer()
        checksum = hashlib.sha256(data).hexdigest()
        companies = self.env.companies.ids
        previous = self.search([("checksum", "=", checksum), ("file_format", "=", "pain.002"),
                                ("state", "=", "done"), ("company_id", "in", companies)], limit=1)  # fmt: skip
        if previous:
            raise AlreadyImported(self.env._(
                "The status report %(file)s was already read (%(previous)s); nothing was changed.",
                file=filename, previous=previous.name))
        with self.env.cr.savepoint():
            # The importer's groups were checked above; the payment order models belong to the Payments group.
            Order = self.env["account.payment.order"].sudo().with_context(allowed_company_ids=companies)
            order, summary = Order._l10n_no_apply_status(data, filename)
            # The log is written by the import only (l10n_no_bank): as superuser, after the check above.
            record = self.sudo().create({
                "name": filename, "journal_id": (journal or order.journal_id).id, "company_id": order.company_id.id,
                "file_format": "pain.002", "origin": origin, "checksum": checksum, "message": summary,
                "payment_order_id": order.id,
            })  # fmt: skip
            record._l10n_no_bank_attach(data)
        return record.sudo(False)

    def _l10n_no_bank_decide_one(self, payment, journal, invoices_by_kid, consumed):
        if payment.amount < 0 and payment.end_to_end_id and not (payment.is_reversal or payment.is_return):
            decision = self._l10n_no_payment_decision(payment, journal)
            if decision:
                return decision
        return super()._l10n_no_bank_decide_one(payment, journal, invoices_by_kid, consumed)

    def _l10n_no_payment_decision(self, payment, journal):
        """A debit that is one of our sent payments (same end-to-end id and amount): reconcile it with
        the payment's outstanding line."""
        ours = self.env["account.payment"].sudo().search([
            ("company_id", "=", journal.company_id.id), ("l10n_no_end_to_end_id", "=", payment.end_to_end_id),
            ("l10n_no_bank_state", "in", ("sent", "accepted")), ("state", "!=", "canceled"),
        ], limit=1)  # fmt: skip
        if not ours or not ours.move_id:
            return None
        places = ours.currency_id.decimal_places
        if Decimal(f"{ours.amount:.{places}f}") != -payment.amount:
            return None
        account = ours.outstanding_account_id
        lines = ours.move_id.line_ids.filtered(lambda line: line.account_id == account and not line.reconciled)
        if not lines:
            return None
        return {
            "state": "paid", "partner": ours.partner_id.commercial_partner_id.sudo(False),
            "invoices": ours.payment_line_ids.move_line_id.move_id.sudo(False), "account": account.sudo(False),
            "lines": lines.sudo(False), "l10n_no_payment": ours,
        }  # fmt: skip

    def _l10n_no_bank_reconcile(self, lines, new, decisions):
        result = super()._l10n_no_bank_reconcile(lines, new, decisions)
        booked = self.env["account.payment"].sudo()
        for decision in decisions:
            if decision.get("l10n_no_payment"):
                booked |= decision["l10n_no_payment"]
        if booked:
            booked.with_context(l10n_no_payment_internal=True).write({"l10n_no_bank_state": "booked"})
        return result
