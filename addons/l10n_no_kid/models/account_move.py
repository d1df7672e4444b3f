from nofaktura import kid as nkid
from nofaktura.exceptions import LayoutError
from nofaktura.exceptions import ValidationError as KidValidationError
from nofaktura.messages import text as nf_text

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

#: The result of the vendor KID check: computed from the KID, never written by a user.
PROTECTED_VENDOR_KID_FIELDS = ("l10n_no_vendor_kid_state", "l10n_no_vendor_kid_algorithms", "l10n_no_vendor_kid_error")


class AccountMove(models.Model):
    """KID on customer invoices (from the agreement of the bank account they ask to be paid into),
    and the vendor's KID on bills (normalised, checked with any algorithm, flagged, optionally blocking)."""

    _inherit = "account.move"

    l10n_no_vendor_kid_state = fields.Selection(
        [("valid", "Valid KID"), ("invalid", "Invalid KID")],
        string="Vendor KID",
        compute="_compute_l10n_no_vendor_kid",
        store=True,
        help="Set on vendor bills whose payment reference is a KID (digits only): whether its check digit "
        "is valid with MOD10 or MOD11. Empty when the reference is not a KID.",
    )
    l10n_no_vendor_kid_algorithms = fields.Char(
        string="KID algorithms",
        compute="_compute_l10n_no_vendor_kid",
        store=True,
        help="The check-digit algorithms the vendor's KID satisfies.",
    )
    l10n_no_vendor_kid_error = fields.Char(
        string="KID error", compute="_compute_l10n_no_vendor_kid", store=True,
    )
    l10n_no_kid_reference = fields.Char(
        related="payment_reference",
        string="KID",
        help="The KID the customer types into the bank's KID field.",
    )
    l10n_no_kid_is_kid = fields.Boolean(
        string="Payment reference is a KID",
        compute="_compute_l10n_no_kid_is_kid",
        help="The customer invoice's payment reference is a KID: the form and the PDF call it \"KID\", next to "
        "the account it is paid into.",
    )

    # -------------------------------------------------------------------------
    # Which agreement applies
    # -------------------------------------------------------------------------

    def _l10n_no_kid_journal(self):
        """Return the bank journal whose KID agreement applies to this invoice (or an empty recordset).

        The KID must match the agreement of the account the customer pays into, so it is the bank
        journal of the invoice's recipient bank account. Only customer invoices get a KID: never
        credit notes, receipts or bills.
        """
        self.ensure_one()
        if self.move_type != "out_invoice":
            return self.env["account.journal"]
        return self.env["account.journal"]._l10n_no_kid_journal_for_bank_account(
            self.partner_bank_id, self.company_id
        )

    def _l10n_no_kid_layout(self):
        """Return the ``nofaktura.kid.KidLayout`` used for this invoice, or ``None`` when none applies."""
        journal = self._l10n_no_kid_journal()
        return journal._l10n_no_kid_layout() if journal else None

    # -------------------------------------------------------------------------
    # Building the KID
    # -------------------------------------------------------------------------

    def _l10n_no_kid_invoice_number(self, journal):
        """Return the digits used as the invoice part, as the agreement's journal says."""
        self.ensure_one()
        if journal.l10n_no_kid_invoice_source == "sequence":
            number = str(self.sequence_number or "")
        else:
            number = "".join(char for char in (self.name or "") if char.isdigit() and char.isascii())
        if not number or self.name in (False, "/"):
            raise UserError(
                self.env._("Invoice %(invoice)s has no number yet, so it cannot get a KID.", invoice=self.display_name)
            )
        return number

    def _l10n_no_kid_build(self):
        """Return the invoice's KID; ``UserError`` when the layout cannot hold its numbers."""
        self.ensure_one()
        journal = self._l10n_no_kid_journal()
        layout = journal._l10n_no_kid_layout() if journal else None
        if layout is None:
            return False
        customer = (
            self.partner_id._l10n_no_get_customer_number(self.company_id) if layout.customer_digits else None
        )
        invoice = self._l10n_no_kid_invoice_number(journal)
        try:
            return layout.build(customer, invoice)
        except LayoutError as exc:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s cannot get a KID from the agreement of %(journal)s: %(error)s "
                    "Widen the customer or invoice number part in the journal's KID settings "
                    "(the bank agreement must then be changed too).",
                    invoice=self.name,
                    journal=journal.display_name,
                    error=nf_text(exc, self.env.lang),
                )
            ) from exc

    def _get_invoice_computed_reference(self):
        # EXTENDS account
        # With a KID agreement the KID is the payment reference; without one the journal's reference
        # model (e.g. l10n_no's 'Norway') keeps working unchanged.
        # This runs inside the payment_reference compute, where an exception would surface at some
        # later flush; a layout that cannot hold the numbers is reported by _post instead.
        self.ensure_one()
        if self._l10n_no_kid_journal():
            try:
                return self._l10n_no_kid_build()
            except UserError:
                return False
        return super()._get_invoice_computed_reference()

    def _post(self, soft=True):
        # EXTENDS account
        self._l10n_no_kid_check_vendor_kids()
        posted = super()._post(soft=soft)
        journals = {move: move._l10n_no_kid_journal() for move in posted}
        # Posting many invoices at once: one customer-number assignment per company for all of them,
        # not a sequence draw, search and create per invoice inside _l10n_no_kid_build.
        numbered = posted.filtered(lambda m: journals[m].l10n_no_kid_customer_digits)
        for company, moves in numbered.grouped("company_id").items():
            self.env["l10n_no.customer.number"]._l10n_no_assign(moves.partner_id, company)
        for move in posted:
            journal = journals[move]
            if not journal:
                continue
            kid = move._l10n_no_kid_build()
            current = move.payment_reference
            # Replace an empty reference, any reference when KID is mandatory, and a KID of this layout
            # that is out of date (the partner or number changed between two postings).
            if current != kid and (
                not current or journal.l10n_no_kid_mandatory or journal._l10n_no_kid_layout().is_valid(current)
            ):
                move.payment_reference = kid
        return posted

    @api.depends("bank_partner_id", "currency_id", "preferred_payment_method_line_id", "move_type")
    def _compute_partner_bank_id(self):
        """Propose the company account whose journal has a KID agreement on customer invoices.

        Odoo proposes the first company account; when that one has no KID agreement the invoice goes
        out without KID until someone changes the recipient account by hand. The KID and the account
        must come from the same agreement, so an account with an agreement wins (same currency first).
        """
        result = super()._compute_partner_bank_id()
        for move in self.filtered(lambda m: m.move_type == "out_invoice" and m.company_id
                                  and not m.preferred_payment_method_line_id.journal_id):
            journal_model = self.env["account.journal"]
            if journal_model._l10n_no_kid_journal_for_bank_account(move.partner_bank_id, move.company_id):
                continue
            journals = journal_model.search(
                [
                    *journal_model._check_company_domain(move.company_id),
                    ("type", "=", "bank"),
                    ("l10n_no_kid_enabled", "=", True),
                    ("bank_account_id", "!=", False),
                ],
                order="sequence, id",
            ).filtered(lambda j, m=move: j.bank_account_id.partner_id == m.company_id.partner_id)
            if not journals:
                continue
            move.partner_bank_id = journals.sorted(
                lambda j, m=move: (j.currency_id or j.company_id.currency_id) != m.currency_id
            )[:1].bank_account_id
        return result

    @api.depends("move_type", "payment_reference", "journal_id", "partner_bank_id")
    def _compute_l10n_no_kid_is_kid(self):
        for move in self:
            move.l10n_no_kid_is_kid = move._l10n_no_kid_shown()

    def _l10n_no_kid_shown(self):
        """Whether the payment reference is a KID (ours, or l10n_no's 'Norway' model) to print as "KID"."""
        self.ensure_one()
        if self.move_type != "out_invoice" or not self.payment_reference:
            return False
        journal = self._l10n_no_kid_journal()
        if journal:
            return journal._l10n_no_kid_layout().is_valid(self.payment_reference)
        # l10n_no's 'Norway' reference model makes a MOD10 KID; a reference typed by hand is not one.
        return self.journal_id.invoice_reference_model == "no" and nkid.is_valid(self.payment_reference, "mod10")

    # -------------------------------------------------------------------------
    # Vendor bills: the vendor's KID
    # -------------------------------------------------------------------------

    def _l10n_no_vendor_kid_applies(self):
        """Bills from Norwegian (or country-less) vendors whose payment reference is meant as a KID."""
        self.ensure_one()
        country = self.commercial_partner_id.country_id
        return (
            self.move_type == "in_invoice"
            and (not country or country.code == "NO")
            and nkid.looks_like_kid(self.payment_reference)
        )

    @api.depends("move_type", "payment_reference", "commercial_partner_id.country_id")
    def _compute_l10n_no_vendor_kid(self):
        for move in self:
            state = algorithms = error = False
            if move._l10n_no_vendor_kid_applies():
                try:
                    number = nkid.validate(move.payment_reference)
                    state = "valid"
                    algorithms = ", ".join(sorted(a.value.upper() for a in nkid.satisfied_algorithms(number)))
                except KidValidationError as exc:
                    state, error = "invalid", nf_text(exc, self.env.lang)
            move.l10n_no_vendor_kid_state = state
            move.l10n_no_vendor_kid_algorithms = algorithms
            move.l10n_no_vendor_kid_error = error

    # -------------------------------------------------------------------------
    # Normalising: a KID is digits; the spaces a person or an OCR scan adds are not part of it
    # -------------------------------------------------------------------------

    def _l10n_no_normalise_vendor_kid(self):
        for move in self:
            if move.move_type == "in_invoice" and nkid.looks_like_kid(move.payment_reference):
                compact = nkid.compact(move.payment_reference)
                if compact != move.payment_reference:
                    move.with_context(l10n_no_kid_normalising=True).payment_reference = compact

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS account
        moves = super().create(vals_list)
        moves._l10n_no_normalise_vendor_kid()
        return moves

    def write(self, vals):
        # EXTENDS account: the vendor KID check is computed from the KID, never written (a bill marked
        # "valid KID" by hand would be paid with a wrong reference). Read-only in the view is no protection.
        touched = sorted(set(vals) & set(PROTECTED_VENDOR_KID_FIELDS))
        if touched and not self.env.su:
            raise AccessError(self.env._(
                "%(fields)s are set by the KID check, not directly.", fields=", ".join(touched)
            ))
        res = super().write(vals)
        if "payment_reference" in vals and not self.env.context.get("l10n_no_kid_normalising"):
            self._l10n_no_normalise_vendor_kid()
        return res

    # -------------------------------------------------------------------------
    # Blocking
    # -------------------------------------------------------------------------

    def _l10n_no_kid_check_vendor_kids(self):
        """Refuse to post bills with an invalid KID when their company asks for it."""
        blocked = self.filtered(
            lambda m: m.move_type == "in_invoice"
            and m.l10n_no_vendor_kid_state == "invalid"
            and m.company_id.l10n_no_kid_block_invalid_vendor_kid
        )
        if blocked:
            raise UserError(
                self.env._(
                    "These bills have an invalid KID and cannot be posted: %(bills)s. "
                    "Correct the payment reference (or clear it if the vendor gave no KID).",
                    bills=", ".join(
                        f"{m.display_name} ({m.payment_reference}: {m.l10n_no_vendor_kid_error})" for m in blocked
                    ),
                )
            )
