from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.tools import SQL

SEQUENCE_CODE = "l10n_no.customer.number"


class L10nNoCustomerNumber(models.Model):
    """A customer's number in one company: the stable customer part of its KIDs.

    Odoo's own KID uses the partner's database id, which is neither chosen by the company nor
    bounded in length. This number is assigned once, from a per-company sequence, and never
    reused: rows cannot be deleted and the sequence never goes back, so a KID printed years ago
    never starts pointing at another customer.
    """

    _name = "l10n_no.customer.number"
    _description = "Customer number (KID)"
    _order = "company_id, number"
    _rec_name = "number"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('parent_id', '=', False)]",
        help="The commercial partner (the company, or the person when there is no company).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    number = fields.Integer(
        required=True,
        help="Assigned from the company's sequence; set by hand only to keep numbers from an earlier system.",
    )
    active_partner = fields.Boolean(related="partner_id.active", string="Customer active")

    _company_number_unique = models.Constraint(
        "UNIQUE(company_id, number)", "This customer number is already used in this company."
    )
    _company_partner_unique = models.Constraint(
        "UNIQUE(company_id, partner_id)", "This customer already has a customer number in this company."
    )
    _number_positive = models.Constraint("CHECK(number > 0)", "A customer number is greater than zero.")

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Customer numbers are never deleted: KIDs already sent to customers contain them.")
        )

    @api.model
    def _l10n_no_sequence(self, company):
        """Return the company's customer-number sequence, created on first use."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search([("code", "=", SEQUENCE_CODE), ("company_id", "=", company.id)], limit=1)
        )
        if not sequence:
            # Two first invoices posted at once would create two sequences and draw the same numbers from
            # them. Touching the company row makes the second transaction wait for the first and then fail
            # with a serialization error, which Odoo's RPC layer and the cron retry: it then finds this one.
            self.env.cr.execute(SQL("UPDATE res_company SET write_date = write_date WHERE id = %s", company.id))
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .search([("code", "=", SEQUENCE_CODE), ("company_id", "=", company.id)], limit=1)
            )
        if not sequence:
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Customer numbers (KID) %(company)s", company=company.name),
                        "code": SEQUENCE_CODE,
                        "company_id": company.id,
                        "implementation": "standard",  # a PostgreSQL sequence: rolled-back numbers are skipped
                        "number_next": 1,
                        "number_increment": 1,
                        "padding": 0,
                    }
                )
            )
        return sequence

    @api.model
    def _l10n_no_assign(self, partners, company):
        """Give every commercial partner in ``partners`` a number in ``company`` if it has none.

        Returns the records created. Numbers taken by hand (imported from an earlier system) are
        skipped, so the sequence can run into them without ever reusing one.
        """
        commercial = partners.commercial_partner_id
        existing = self.sudo().search([("company_id", "=", company.id), ("partner_id", "in", commercial.ids)])
        missing = commercial - existing.partner_id
        if not missing:
            return self.browse()
        sequence = self._l10n_no_sequence(company)
        taken = None
        vals_list = []
        for partner in missing.sorted("id"):
            number = int(sequence._next())
            if taken is None:
                # One query per call, not one per number: the sequence only goes up, so only numbers
                # from the first one drawn onwards (typed by hand ahead of it) can collide.
                taken = set(
                    self.sudo()
                    .search([("company_id", "=", company.id), ("number", ">=", number)])
                    .mapped("number")
                )
            while number in taken:
                number = int(sequence._next())
            taken.add(number)
            vals_list.append({"partner_id": partner.id, "company_id": company.id, "number": number})
        try:
            with self.env.cr.savepoint():
                return self.sudo().create(vals_list)
        except errors.UniqueViolation as exc:
            # Another transaction (two first invoices of a new customer posted at the same moment) gave
            # the customer its number first. Odoo's RPC layer and the cron retry the whole call on this
            # error; the retry finds that number, so both invoices get the same customer part.
            raise ConcurrencyError(self.env._(
                "Another transaction assigned a customer number to the same customer at the same time."
            )) from exc
