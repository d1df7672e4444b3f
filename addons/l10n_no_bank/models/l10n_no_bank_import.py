import base64
import hashlib
import io
import logging
from decimal import Decimal

from nofaktura.bank import detect_format, normalize_account, open_reader
from nofaktura.bank.matching import OpenItem, allocate
from nofaktura.exceptions import DocumentError, NofakturaError
from nofaktura.exceptions import ValidationError as KidValidationError
from nofaktura.kid import looks_like_kid
from nofaktura.messages import text as nf_text

import psycopg2.errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_round

_logger = logging.getLogger(__name__)

#: Statement lines are created and reconciled per chunk: bounded memory, one savepoint for the file.
CHUNK = 1000
#: Who may import bank files and match payments: the Community "Administrator" of Invoicing/Accounting
#: (group_account_manager, which implies only group_account_invoice) and, with full accounting
#: features enabled, the "Accountant" (group_account_user). An "Invoicing" user may not.
IMPORT_GROUPS = ("account.group_account_manager", "account.group_account_user")
#: Context for creating, posting and reconciling the statement entries of a file: no chatter tracking
#: of fields set at creation. Mail tracking of the new entries cost about a sixth of the import time
#: (benchmarks/bank_odoo.py) and records nothing a person needs: the import record and the attached
#: file say where each line came from. Not used for a company with the restrictive audit trail on.
NO_TRACKING = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
#: Tables a file fills, whose planner statistics the import keeps current while it runs (see
#: _l10n_no_bank_refresh_statistics), and the fewest new rows worth an ANALYZE.
GROWING_TABLES = ("account_partial_reconcile", "account_full_reconcile", "account_move_line", "account_move",
                  "account_bank_statement_line")  # fmt: skip
ANALYZE_MIN_ROWS = 2000
#: Context for creating a chunk's statement lines. Odoo's statement line create writes each line's new
#: entry once (statement_line_id, narration, name) and posts them together; every one of those writes
#: re-checked the balance of that entry with its own query and ran the invoice line synchronisation
#: (payment terms, taxes, rounding, which do not apply to a statement entry: two plain lines, no
#: taxes). ``check_move_validity=False`` and ``skip_invoice_sync=True`` are the flags Odoo itself uses
#: for such batches (point_of_sale creates a session's entries with both and checks the balance once
#: afterwards; reversing an entry skips the invoice sync); the balance is checked once per chunk here
#: too (_l10n_no_bank_check_balanced). The synchronisation between the statement line and its entry
#: (_synchronize_from_moves) still runs, and the reconciliation runs with Odoo's checks.
STATEMENT_LINE_CREATE = {"check_move_validity": False, "skip_invoice_sync": True}
#: How many already-imported transactions an import message lists before summing up the rest.
LISTED_DUPLICATES = 50

class AlreadyImported(UserError):
    """Every transaction of the file is already in Odoo: nothing new to create."""


FORMATS = [
    ("ocr", "Nets OCR giro"),
    ("camt.053", "ISO 20022 camt.053 (statement)"),
    ("camt.054", "ISO 20022 camt.054 (notification)"),
]


class L10nNoBankImport(models.Model):
    """One bank file received (uploaded, fetched from a folder or an SFTP server, or sent over XML-RPC).

    The record archives the file itself (an attachment) and says what came of it: the statement
    lines it created, the transactions that were already there, what was matched. The import is
    all-or-nothing: a file that cannot be read, names an unknown account or whose control totals do
    not add up creates nothing (a refused file fetched by a channel is kept with state 'refused').
    """

    _name = "l10n_no.bank.import"
    _description = "Bank file import (OCR giro / camt)"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="File name", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )
    journal_id = fields.Many2one("account.journal", string="Bank journal", readonly=True, check_company=True)
    file_format = fields.Selection(FORMATS, string="Format", readonly=True)
    origin = fields.Selection(
        [("upload", "Uploaded"), ("folder", "Local folder"), ("sftp", "SFTP"), ("api", "XML-RPC / API")],
        default="upload",
        readonly=True,
    )
    state = fields.Selection(
        [("done", "Imported"), ("duplicate", "Already imported"), ("refused", "Refused")],
        default="done",
        readonly=True,
        required=True,
    )
    message = fields.Text(readonly=True, help="What the import did, or why the file was refused.")
    checksum = fields.Char(readonly=True, index=True, help="SHA-256 of the file, to spot the same file again.")
    bank_message_id = fields.Char(string="Bank message id", readonly=True,
                                  help="OCR transmission number or camt message id.")
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    count_total = fields.Integer(string="Transactions", readonly=True)
    count_created = fields.Integer(string="New", readonly=True)
    count_duplicate = fields.Integer(string="Already imported", readonly=True)
    count_skipped = fields.Integer(string="Not booked", readonly=True,
                                   help="camt entries with a status other than booked (pending, information).")
    count_matched = fields.Integer(string="Reconciled", readonly=True)
    count_unmatched = fields.Integer(string="To check", readonly=True)
    currency_id = fields.Many2one("res.currency", related="journal_id.currency_id")
    statement_line_ids = fields.One2many(
        "account.bank.statement.line", "l10n_no_bank_import_id", string="Statement lines", readonly=True
    )

    # ------------------------------------------------------------------------------------------
    # Only the import writes its log
    # ------------------------------------------------------------------------------------------

    def _l10n_no_bank_check_direct_write(self):
        """The log says what a file did (its state, counts and checksum, which finds the same file
        again): the import methods check the caller and then write it as superuser; nobody creates or
        changes it directly (XML-RPC ignores read-only views)."""
        if not self.env.su:
            raise AccessError(self.env._("Bank file imports are recorded by the import only, not created or changed directly."))
        return True

    @api.model_create_multi
    def create(self, vals_list):
        self._l10n_no_bank_check_direct_write()
        return super().create(vals_list)

    def write(self, vals):
        self._l10n_no_bank_check_direct_write()
        return super().write(vals)

    # ------------------------------------------------------------------------------------------
    # Public entry points (web client wizard, channels, XML-RPC)
    # ------------------------------------------------------------------------------------------

    @api.model
    def l10n_no_bank_import_file(self, filename, data_base64, journal_id=False):
        """Import a bank file sent over XML-RPC / JSON-RPC; return a summary dict.

        Same rules as the upload wizard: refused files raise an error and create nothing.
        """
        self._l10n_no_bank_check_importer()
        self.check_access("create")
        journal = self.env["account.journal"].browse(journal_id) if journal_id else None
        record = self._l10n_no_bank_import(base64.b64decode(data_base64), filename, journal=journal, origin="api")
        return record._l10n_no_bank_summary()

    def _l10n_no_bank_summary(self):
        self.ensure_one()
        return {
            "import_id": self.id,
            "state": self.state,
            "format": self.file_format,
            "transactions": self.count_total,
            "created": self.count_created,
            "already_imported": self.count_duplicate,
            "reconciled": self.count_matched,
            "to_check": self.count_unmatched,
            "message": self.message,
        }

    @api.model
    def _l10n_no_bank_check_importer(self):
        """Raise ``AccessError`` unless the caller may import bank files and match payments.

        Checked in the methods, not only by hiding buttons and menus: the same methods are
        reachable over XML-RPC. Superuser mode (cron, channels run by the system) passes.
        """
        if self.env.su or any(self.env.user.has_group(group) for group in IMPORT_GROUPS):
            return True
        raise AccessError(
            self.env._(
                "Only an accounting administrator or accountant may import bank files or match bank payments "
                "(user %(user)s).",
                user=self.env.user.display_name,
            )
        )

    @api.model
    def _l10n_no_bank_import(self, data, filename, journal=None, origin="upload"):
        """Import ``data`` (bytes) all-or-nothing; return the import record or raise ``UserError``."""
        self._l10n_no_bank_check_importer()
        if not data:
            raise UserError(self.env._("The file %(file)s is empty.", file=filename))
        kind = detect_format(data[:8192])
        if kind not in dict(FORMATS):
            raise UserError(
                self.env._(
                    "The file %(file)s is neither a Nets OCR giro file nor an ISO 20022 camt.053/054 message; "
                    "nothing was imported.",
                    file=filename,
                )
            )
        try:
            with self.env.cr.savepoint():
                return self._l10n_no_bank_import_checked(data, filename, kind, journal, origin)
        except AlreadyImported:
            raise
        except NofakturaError as exc:
            raise UserError(
                self.env._("The bank file was refused and nothing was imported. %(error)s", error=nf_text(exc, self.env.lang))
            ) from exc

    @api.model
    def _l10n_no_bank_record_refused(self, data, filename, journal, origin, reason):
        """Keep a refused file fetched by a channel, so a person sees it and it is not fetched again."""
        kind = detect_format(data[:8192])
        record = self.sudo().create(
            {
                "name": filename,
                "journal_id": journal.id,
                "company_id": journal.company_id.id,
                "origin": origin,
                "state": "refused",
                "message": reason,
                "checksum": hashlib.sha256(data).hexdigest(),
                "file_format": kind if kind in dict(FORMATS) else False,
            }
        )
        record._l10n_no_bank_attach(data)
        return record.sudo(False)

    # ------------------------------------------------------------------------------------------
    # The import itself
    # ------------------------------------------------------------------------------------------

    def _l10n_no_bank_attach(self, data):
        self.ensure_one()
        self.sudo().attachment_id = self.env["ir.attachment"].with_context(l10n_no_bank_archive=True).create(
            {
                "name": self.name,
                "raw": data,
                "res_model": self._name,
                "res_id": self.id,
                "company_id": self.company_id.id,
            }
        )

    @api.model
    def _l10n_no_bank_journals_by_account(self, journal):
        """Map normalised account numbers to the bank journals that hold them (the accessible companies)."""
        journals = journal or self.env["account.journal"].search(
            [("type", "=", "bank"), ("bank_account_id", "!=", False), ("company_id", "in", self.env.companies.ids)]
        )
        return {
            normalize_account(j.bank_account_id.acc_number): j for j in journals if j.bank_account_id
        }

    @api.model
    def _l10n_no_bank_import_checked(self, data, filename, kind, journal, origin):
        by_account = self._l10n_no_bank_journals_by_account(journal)
        record = self.sudo().create(
            {
                "name": filename,
                "journal_id": journal.id if journal else False,
                "company_id": (journal.company_id if journal else self.env.company).id,
                "file_format": kind,
                "origin": origin,
                "checksum": hashlib.sha256(data).hexdigest(),
            }
        ).sudo(False)
        reader = open_reader(io.BytesIO(data), source=filename)
        context = _ImportContext(record, by_account, journal)
        companies = journal.company_id if journal else self.env["account.journal"].browse(
            [j.id for j in by_account.values()]).company_id
        store = record if any(companies.mapped("restrictive_audit_trail")) else record.with_context(**NO_TRACKING)
        chunk = []
        size = self.env.context.get("l10n_no_bank_chunk") or CHUNK
        for payment in reader:
            chunk.append(payment)
            if len(chunk) >= size:
                store._l10n_no_bank_store(chunk, context)
                self._l10n_no_bank_refresh_statistics(context)
                chunk = []
        if chunk:
            store._l10n_no_bank_store(chunk, context)
        summary = reader.summary
        if context.created == 0:
            # Nothing new: keep nothing (the savepoint is rolled back by the error) and say why.
            if context.duplicates:
                raise AlreadyImported(
                    self.env._(
                        "All %(count)s transactions of %(file)s were already imported; nothing new was created.\n%(list)s",
                        count=context.duplicate_count,
                        file=filename,
                        list=context.duplicate_text(),
                    )
                )
            if not context.skipped:
                raise UserError(self.env._("The file %(file)s holds no transactions.", file=filename))
        journals = context.journals
        record.sudo().write(
            {
                "journal_id": journals[:1].id if len(journals) == 1 else record.journal_id.id,
                "company_id": journals[:1].company_id.id if journals else record.company_id.id,
                "bank_message_id": summary.message_id,
                "date_from": summary.period_start,
                "date_to": summary.period_end,
                "count_total": summary.count,
                "count_created": context.created,
                "count_duplicate": context.duplicate_count,
                "count_skipped": context.skipped,
                "count_matched": context.matched,
                "count_unmatched": context.created - context.matched,
                "message": context.message(filename, summary),
            }
        )
        record._l10n_no_bank_attach(data)
        return record

    def _l10n_no_bank_store(self, payments, context):
        """Create the statement lines of one chunk of payments and reconcile what matches by KID."""
        self.ensure_one()
        StLine = self.env["account.bank.statement.line"]
        fresh = []
        for payment in payments:
            journal = context.journal_for(payment)
            currency = journal.currency_id or journal.company_id.currency_id
            if payment.currency and payment.currency != currency.name:
                raise DocumentError(
                    f"the transaction is in {payment.currency} but journal {journal.display_name} is in "
                    f"{currency.name}",
                    source=self.name,
                    line=payment.line,
                )
            if payment.status not in (None, "BOOK"):
                context.skipped += 1
                continue
            if payment.date is None:
                raise DocumentError("the transaction has neither a booking date nor a value date",
                                    source=self.name, line=payment.line)
            fresh.append((payment, journal))
        if not fresh:
            return
        existing = {}
        for journal, group in _group_by_journal(fresh).items():
            keys = [p.key for p, _j in group]
            for line in StLine.search_fetch(
                [("journal_id", "=", journal.id), ("l10n_no_bank_key", "in", keys)],
                ["l10n_no_bank_key", "date", "l10n_no_bank_import_id"],
            ):
                existing[journal.id, line.l10n_no_bank_key] = line
            # Payments booked on a shared statement line carry their key on their own journal item.
            for item in self.env["account.move.line"].search_fetch(
                [("company_id", "=", journal.company_id.id), ("journal_id", "=", journal.id),
                 ("l10n_no_bank_key", "in", keys)],
                ["l10n_no_bank_key", "statement_line_id"],
            ):  # fmt: skip
                existing[journal.id, item.l10n_no_bank_key] = item.statement_line_id
        new = []
        in_chunk = set()
        for payment, journal in fresh:
            line = existing.get((journal.id, payment.key))
            # The same transaction twice in one file (the reader gives repeats their own keys, so only a
            # broken file does this): an earlier chunk has already stored it under this very import, and
            # the database says so; nothing is kept per payment, so memory does not grow with the file.
            if (journal.id, payment.key) in in_chunk or (line is not None and line.l10n_no_bank_import_id.id == self.id):
                raise DocumentError("the same transaction appears twice in the file", source=self.name,
                                    line=payment.line)
            if line is not None:
                context.add_duplicate(payment, line)
            else:
                in_chunk.add((journal.id, payment.key))
                new.append((payment, journal))
        if not new:
            return
        decisions = self._l10n_no_bank_decide(new)
        order = self._l10n_no_bank_split(new, decisions)
        groups = [members for members in order if len(members) > 1]
        plain_analytic = bool(groups) and not self._l10n_no_bank_has_distribution_models(
            context, self.env["res.company"].union(*(new[group[0]][1].company_id for group in groups)))
        vals_list = [
            self._l10n_no_bank_line_vals(*new[members[0]], decisions[members[0]], context) if len(members) == 1
            else self._l10n_no_bank_group_vals([(*new[i], decisions[i]) for i in members], context, plain_analytic)
            for members in order
        ]
        # Superuser mode only because the payments of a group carry their keys on their journal items,
        # which nobody else may set (account.move.line); the caller's rights were checked
        # (_l10n_no_bank_check_importer) and the journals are those of the caller's companies.
        # create_uid stays the caller.
        lines = StLine.with_context(**STATEMENT_LINE_CREATE).sudo().create(vals_list).with_env(StLine.env)
        moves = lines.move_id
        counterparts = [None] * len(new)
        for members, line in zip(order, lines, strict=True):
            if len(members) == 1:
                if decisions[members[0]]["state"] != "unmatched":
                    counterparts[members[0]] = line.move_id.line_ids.filtered(
                        lambda aml, d=decisions[members[0]]: aml.account_id == d["account"]
                    )
            else:
                by_key = {aml.l10n_no_bank_key: aml for aml in line.move_id.line_ids if aml.l10n_no_bank_key}
                for i in members:
                    counterparts[i] = by_key[new[i][0].key]
        context.lines += len(lines)
        context.journals |= lines.journal_id
        self._l10n_no_bank_check_balanced(moves)
        context.created += len(new)
        self._l10n_no_bank_reconcile(counterparts, new, decisions)
        context.matched += sum(1 for d in decisions if d["state"] != "unmatched")
        # Written to the database: forget the chunk, so memory stays flat whatever the file's size
        # (the file is one savepoint, so nothing is committed before its end).
        self.env.invalidate_all(flush=True)

    def _l10n_no_bank_refresh_statistics(self, context):
        """ANALYZE the tables this import has doubled since PostgreSQL last counted them.

        A file is one transaction, so autovacuum never sees its rows: in a database that has reconciled
        little so far, PostgreSQL keeps planning as if ``account_partial_reconcile`` were empty, and Odoo's
        ``UPDATE account_partial_reconcile ... WHERE id = ANY(...)`` (account.full.reconcile.create) becomes
        a scan of the whole table per reconciled payment: 1.2 s of PostgreSQL per 1,000 payments at the
        start of a 100,000-payment file, 5.8 s by the 37,000th (benchmarks/bank_odoo.py --per-chunk).
        ANALYZE inside the transaction counts the transaction's own rows. It runs only when the import has
        added at least as many rows as the statistics know of, so a few times per large file and never in
        a database whose tables dwarf the file. A table locked by another ANALYZE (another import, or
        autovacuum) is left as it is rather than waited for. Returns the tables analyzed."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT s.relname, s.n_tup_ins, c.reltuples FROM pg_stat_xact_user_tables s "
                "JOIN pg_class c ON c.oid = s.relid WHERE s.relname IN %s",
                GROWING_TABLES,
            )
        )
        stale = [
            (table, inserted) for table, inserted, known in cr.fetchall()
            if inserted - context.analyzed.get(table, 0) >= max(known, ANALYZE_MIN_ROWS)
        ]  # fmt: skip
        analyzed = []
        if stale:
            cr.execute("SELECT current_setting('lock_timeout')")
            previous = cr.fetchone()[0]
        for table, inserted in stale:
            try:
                with cr.savepoint(flush=False):
                    cr.execute("SELECT set_config('lock_timeout', '200ms', true)")
                    cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
                    cr.execute("SELECT set_config('lock_timeout', %s, true)", (previous,))
            except psycopg2.errors.LockNotAvailable:
                _logger.info("Bank import %s: %s is being analyzed elsewhere; statistics left as they are",
                             context.record.id, table)
                continue
            context.analyzed[table] = inserted
            analyzed.append(table)
        return analyzed

    def _l10n_no_bank_split(self, new, decisions):
        """Which payments get a statement line of their own and which share one, as on the bank statement.

        Payments matched by KID that the bank booked as one entry (a Nets OCR assignment, a camt batch
        entry) share one statement line whose entry has one journal item per payment, each reconciled
        with its invoices: the bank account in Odoo then shows the bank's own entry and its amount, and
        the import costs a fraction of one entry per payment (benchmarks/bank_odoo.py). A payment to
        check keeps a line of its own, so it can be matched by hand; so does a payment alone in its entry
        and one on a journal in a foreign currency (its amounts need Odoo's conversion per line).
        Returns one list of indexes per statement line (one index: a line of its own), in file order.
        """
        lines = []
        by_entry = {}
        for index, ((payment, journal), decision) in enumerate(zip(new, decisions, strict=True)):
            foreign = journal.currency_id and journal.currency_id != journal.company_id.currency_id
            if decision["state"] == "unmatched" or not payment.entry or foreign:
                lines.append([index])
            elif (journal.id, payment.date, payment.entry) in by_entry:
                by_entry[journal.id, payment.date, payment.entry].append(index)
            else:
                by_entry[journal.id, payment.date, payment.entry] = [index]
                lines.append(by_entry[journal.id, payment.date, payment.entry])
        return lines

    def _l10n_no_bank_line_vals(self, payment, journal, decision, context):
        """A statement line for one payment (the counterpart on the receivable when it matched)."""
        vals = {
            "journal_id": journal.id,
            "statement_id": context.statement_for(journal).id,
            "date": payment.date,
            "amount": float(payment.amount),
            "payment_ref": _label(payment),
            "partner_name": payment.payer_name,
            "account_number": payment.payer_account,
            "transaction_type": payment.transaction_type,
            "transaction_details": payment.as_json(),
            "l10n_no_bank_key": payment.key,
            "l10n_no_bank_kid": payment.kid,
            "l10n_no_bank_import_id": self.id,
            "l10n_no_bank_state": decision["state"],
            "l10n_no_bank_reason": decision.get("reason", False),
            "partner_id": decision["partner"].id if decision.get("partner") else False,
            "l10n_no_bank_invoice_ids": [Command.set(decision["invoices"].ids)]
            if decision.get("invoices") and decision["state"] != "unmatched" else [],
        }
        if decision.get("account"):
            vals["counterpart_account_id"] = decision["account"].id
        return vals

    def _l10n_no_bank_group_vals(self, items, context, plain_analytic):
        """One statement line for the matched payments of one bank entry: the bank's amount on the
        liquidity account, one journal item per payment on its customer's receivable (or the account
        its decision names), carrying the payment's key so the payment is never imported twice."""
        payment, journal, _decision = items[0]
        currency = journal.company_id.currency_id
        total = sum((p.amount for p, _j, _d in items), Decimal(0))
        label = self._l10n_no_bank_group_label(payment, len(items))
        line_commands = [Command.create({
            "name": label, "account_id": journal.default_account_id.id, "currency_id": currency.id,
            "amount_currency": float(total), "balance": float(total),
        })]  # fmt: skip
        invoices = self.env["account.move"]
        for payment, _journal, decision in items:
            partner = decision.get("partner")
            item = {
                "name": " ".join(filter(None, (_label(payment), payment.payer_name))),
                "account_id": decision["account"].id,
                "partner_id": partner.id if partner else False,
                "currency_id": currency.id,
                "amount_currency": -float(payment.amount),
                "balance": -float(payment.amount),
                "l10n_no_bank_key": payment.key,
            }
            if plain_analytic:
                # No distribution model in the company: nothing to compute (Odoo searches per partner).
                item["analytic_distribution"] = False
            line_commands.append(Command.create(item))
            invoices |= decision.get("invoices") or self.env["account.move"]
        return {
            "journal_id": journal.id,
            "statement_id": context.statement_for(journal).id,
            "date": payment.date,
            "amount": float(total),
            "payment_ref": label,
            "transaction_type": payment.transaction_type,
            "l10n_no_bank_import_id": self.id,
            "l10n_no_bank_state": "grouped",
            "l10n_no_bank_invoice_ids": [Command.set(invoices.ids)],
            "line_ids": line_commands,
        }

    def _l10n_no_bank_group_label(self, payment, count):
        if self.file_format == "ocr":
            return self.env._("%(count)s KID payments, OCR assignment %(number)s", count=count, number=payment.entry)
        return self.env._("%(count)s payments, entry %(number)s of %(file)s", count=count, number=payment.entry,
                          file=self.name)

    def _l10n_no_bank_has_distribution_models(self, context, companies):
        """Whether an analytic distribution model could apply to journal items of ``companies`` (then
        Odoo computes each item's distribution as usual). Asked once per company and import."""
        Model = self.env["account.analytic.distribution.model"].sudo()
        for company in companies:
            if company.id not in context.distribution_models:
                context.distribution_models[company.id] = bool(
                    Model.search_count([("company_id", "in", [company.id, False])], limit=1))
        return any(context.distribution_models[company.id] for company in companies)

    def _l10n_no_bank_check_balanced(self, moves):
        """Refuse the chunk when an entry of it does not balance: one query for all its entries.

        Odoo checks this per entry on every write; the statement lines are created without that
        check (STATEMENT_LINE_CREATE), so the same rule is enforced here, once, before anything is
        reconciled (the import runs in one savepoint: nothing of the file is kept).
        """
        unbalanced = self.env["account.move"]._get_unbalanced_moves({"records": moves})
        if unbalanced:
            names = ", ".join(self.env["account.move"].browse([row[0] for row in unbalanced]).mapped("display_name"))
            raise UserError(self.env._("These bank statement entries are not balanced: %(entries)s", entries=names))
        return True

    # ------------------------------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------------------------------

    def _l10n_no_bank_decide(self, new):
        """For each (payment, journal): what to do, as a dict (state, reason, partner, invoices, account, …)."""
        Move = self.env["account.move"]
        kids = {p.kid for p, _j in new if p.kid}
        invoices_by_kid = {}
        if kids:
            companies = {j.company_id.id for _p, j in new}
            for invoice in Move.search(
                [
                    ("company_id", "in", list(companies)),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_reference", "in", list(kids)),
                ],
                order="invoice_date_due, invoice_date, id",
            ):
                invoices_by_kid.setdefault((invoice.company_id.id, invoice.payment_reference), Move)
                invoices_by_kid[invoice.company_id.id, invoice.payment_reference] |= invoice
        found = Move.union(*invoices_by_kid.values()) if invoices_by_kid else Move
        if found:
            # The journal items of all these invoices in two queries, not one per invoice when
            # _l10n_no_bank_decide_one looks for the open receivable (benchmarks/bank_odoo.py --queries).
            found.mapped("line_ids")
            self.env["account.move.line"].search_fetch(
                [("move_id", "in", found.ids)], ["account_id", "reconciled", "amount_residual"]
            )
        # Residuals consumed by earlier payments of this chunk (two payments with the same KID).
        consumed = {}
        decisions = []
        for payment, journal in new:
            decisions.append(self._l10n_no_bank_decide_one(payment, journal, invoices_by_kid, consumed))
        return decisions

    def _l10n_no_bank_decide_one(self, payment, journal, invoices_by_kid, consumed):
        if payment.is_charges:
            # The bank's charges on a camt batch (nofaktura: Payment.is_charges): a line of its own so the
            # statement adds up to the booked amount; an accountant books it to bank fees, nothing to match.
            return {"state": "unmatched", "reason": "bank_charges"}
        company = journal.company_id
        invoices = invoices_by_kid.get((company.id, payment.kid), self.env["account.move"]) if payment.kid else None
        # The customer-number search only when no invoice names the customer (one query fewer per matched line).
        if invoices:
            partner = invoices[:1].commercial_partner_id
        else:
            partner = self._l10n_no_bank_partner_from_kid(payment.kid, journal) if payment.kid else None
        if payment.amount <= 0 or payment.is_reversal or payment.is_return:
            return {"state": "unmatched", "reason": "outgoing", "partner": partner}
        if not payment.kid:
            # camt: a digit reference failing MOD10/MOD11 is kept as ``reference``, not ``kid``: a mistyped KID.
            if payment.reference and looks_like_kid(payment.reference):
                return {"state": "unmatched", "reason": "invalid_kid"}
            return {"state": "unmatched", "reason": "no_kid"}
        if invoices:
            currency = journal.currency_id or company.currency_id
            items = []
            lines_by_invoice = {}
            account = None
            for invoice in invoices:
                if invoice.currency_id != currency:
                    continue
                open_lines = invoice.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
                if account is None and open_lines:
                    account = open_lines[0].account_id
                open_lines = open_lines.filtered(lambda line, acc=account: line.account_id == acc)
                residual = Decimal(str(sum(open_lines.mapped("amount_residual")))) - consumed.get(invoice.id, 0)
                residual = residual.quantize(Decimal("0.01"))
                if residual > 0:
                    items.append(OpenItem(invoice.id, residual, invoice.invoice_date_due, invoice.invoice_date))
                    lines_by_invoice[invoice.id] = open_lines
            if items:
                tolerance = Decimal(str(float_round(journal.l10n_no_bank_tolerance or 0.0, 2))).quantize(Decimal("0.01"))
                allocation = allocate(payment.amount, items, tolerance)
                for ref, amount in allocation.settled:
                    consumed[ref] = consumed.get(ref, Decimal(0)) + amount
                settled = self.env["account.move"].browse([ref for ref, _a in allocation.settled])
                return {
                    "state": allocation.outcome,
                    "partner": partner,
                    "invoices": settled,
                    "account": account,
                    "lines": sum((lines_by_invoice[i] for i in settled.ids), self.env["account.move.line"]),
                    "write_off": allocation.write_off,
                }
            return {"state": "unmatched", "reason": "invoice_paid", "partner": partner, "invoices": invoices}
        if partner:
            return {"state": "unmatched", "reason": "customer_only", "partner": partner}
        if partner is False:
            return {"state": "unmatched", "reason": "invalid_kid"}
        return {"state": "unmatched", "reason": "unknown_kid"}

    def _l10n_no_bank_partner_from_kid(self, kid, journal):
        """The customer whose number is in the KID's customer part (per the journal's KID agreement).

        Returns a partner, ``None`` when the KID fits the agreement but names nobody (or the agreement
        has no customer part), and ``False`` when the KID does not fit the agreement at all.
        """
        layout = journal._l10n_no_kid_layout() if journal.l10n_no_kid_enabled else None
        if layout is None or not layout.customer_digits:
            return None
        try:
            parts = layout.parse(kid)
        except (KidValidationError, ValueError):
            return False
        number = int(parts.customer_number or 0)
        if not number:
            return None
        record = self.env["l10n_no.customer.number"].sudo().search(
            [("company_id", "=", journal.company_id.id), ("number", "=", number)], limit=1
        )
        return record.partner_id.sudo(False) if record else None

    def _l10n_no_bank_reconcile(self, counterparts, new, decisions):
        """Reconcile the chunk's matched payments with their invoices in one reconciliation plan.

        ``counterparts`` holds, per payment of ``new``, its journal item on the statement entry (None
        when it did not match).
        """
        plan = []
        write_offs = []
        for counterpart, (payment, journal), decision in zip(counterparts, new, decisions, strict=True):
            if decision["state"] == "unmatched":
                continue
            group = counterpart + decision["lines"]
            if decision.get("write_off"):
                write_offs.append((group, payment, journal, decision))
            else:
                plan.append(group)
        if write_offs:
            moves = self.env["account.move"].create(
                [self._l10n_no_bank_write_off_vals(payment, journal, decision)
                 for _group, payment, journal, decision in write_offs]
            )
            moves.action_post()
            for (group, _payment, _journal, decision), move in zip(write_offs, moves, strict=True):
                plan.append(group + move.line_ids.filtered(lambda aml, d=decision: aml.account_id == d["account"]))
        if plan:
            self._l10n_no_bank_prefetch(plan)
            self.env["account.move.line"]._reconcile_plan(plan)
        return True

    def _l10n_no_bank_prefetch(self, plan):
        """Load what Odoo's reconciliation reads of the plan's journal items, for all of them at once.

        Each group of the plan is its own recordset, so Odoo's prefetching reads them group by group:
        one query per payment for the items' fields (sorting by due date) and one for the taxes of the
        invoice lines (the tax line synchronisation after reconciling). benchmarks/bank_odoo.py
        ``--queries`` shows both; read here, they cost a query per thousand items.
        """
        items = self.env["account.move.line"].browse(sorted({aml_id for group in plan for aml_id in group.ids}))
        # fetch() loads exactly the fields named (a read of one field would load only that one for
        # recordsets this large), so name what a single record's read would load: every stored column.
        items.fetch([name for name, field in items._fields.items() if field.store and field.prefetch is True])
        items.move_id.line_ids.mapped("tax_ids")
        return True

    def _l10n_no_bank_write_off_vals(self, payment, journal, decision):
        """A small entry that writes off the difference within the agreement's tolerance."""
        company = journal.company_id
        amount = float(decision["write_off"])
        if amount > 0:  # underpaid: the loss is ours
            other = journal.loss_account_id or company.default_cash_difference_expense_account_id
        else:
            other = journal.profit_account_id or company.default_cash_difference_income_account_id
        if not other:
            raise UserError(
                self.env._(
                    "Journal %(journal)s has a KID payment tolerance but no profit/loss account to write "
                    "differences off to.",
                    journal=journal.display_name,
                )
            )
        general = self.env["account.journal"].search(
            [*self.env["account.journal"]._check_company_domain(company), ("type", "=", "general")], limit=1
        )
        label = self.env._("KID %(kid)s: payment difference within tolerance", kid=payment.kid)
        partner = decision["partner"]
        return {
            "move_type": "entry",
            "journal_id": general.id,
            "date": payment.date,
            "ref": label,
            "line_ids": [
                Command.create({"name": label, "account_id": decision["account"].id, "partner_id": partner.id,
                                "balance": -amount}),
                Command.create({"name": label, "account_id": other.id, "partner_id": partner.id, "balance": amount}),
            ],
        }


class _ImportContext:
    """Running state of one import: journals per account, statements, counters, duplicates."""

    def __init__(self, record, by_account, journal):
        self.record = record
        self.by_account = by_account
        self.journal = journal
        self.env = record.env
        self.statements = {}
        self.journals = record.env["account.journal"]
        self.created = 0
        self.lines = 0
        self.matched = 0
        self.distribution_models = {}
        self.analyzed = {}
        self.skipped = 0
        self.duplicates = []  # the first LISTED_DUPLICATES, to name them; duplicate_count counts them all
        self.duplicate_count = 0

    def journal_for(self, payment):
        account = normalize_account(payment.account)
        journal = self.by_account.get(account)
        if journal is None:
            if self.journal:
                raise DocumentError(
                    f"the file is for account {payment.account}, but journal {self.journal.display_name} holds "
                    f"account {self.journal.bank_account_id.acc_number or '(none)'}",
                    source=self.record.name,
                    line=payment.line,
                )
            raise DocumentError(
                f"no bank journal holds account {payment.account}: set it as the bank account of a bank journal",
                source=self.record.name,
                line=payment.line,
            )
        return journal

    def statement_for(self, journal):
        statement = self.statements.get(journal.id)
        if statement is None:
            statement = self.env["account.bank.statement"].create(
                {"name": self.record.name, "journal_id": journal.id}
            )
            self.statements[journal.id] = statement
        return statement

    def add_duplicate(self, payment, line):
        self.duplicate_count += 1
        if len(self.duplicates) < LISTED_DUPLICATES:
            self.duplicates.append((payment, line))

    def duplicate_text(self):
        lines = []
        for payment, line in self.duplicates[:LISTED_DUPLICATES]:
            lines.append(
                self.env._(
                    "- line %(line)s: %(amount)s %(currency)s, KID %(kid)s, %(date)s (already imported by %(origin)s)",
                    line=payment.line,
                    amount=f"{payment.amount:.2f}",
                    currency=payment.currency,
                    kid=payment.kid or "-",
                    date=payment.date,
                    origin=line.l10n_no_bank_import_id.name or line.date,
                )
            )
        if self.duplicate_count > LISTED_DUPLICATES:
            lines.append(self.env._("… and %(count)s more.", count=self.duplicate_count - LISTED_DUPLICATES))
        return "\n".join(lines)

    def message(self, filename, summary):
        text = self.env._(
            "%(file)s: %(count)s transactions, %(created)s new on %(lines)s statement lines, %(matched)s reconciled "
            "by KID, %(unmatched)s to check.",
            file=filename,
            count=summary.count,
            created=self.created,
            lines=self.lines,
            matched=self.matched,
            unmatched=self.created - self.matched,
        )
        if self.skipped:
            text += "\n" + self.env._("%(count)s entries are not booked yet and were left out.", count=self.skipped)
        if self.duplicates:
            text += "\n" + self.env._(
                "%(count)s transactions were already imported and were skipped:", count=self.duplicate_count
            ) + "\n" + self.duplicate_text()
        return text


def _group_by_journal(pairs):
    groups = {}
    for payment, journal in pairs:
        groups.setdefault(journal, []).append((payment, journal))
    return groups


def _label(payment):
    """The statement line's label: free text, else the KID, else the bank's reference."""
    if payment.text:
        return payment.text
    if payment.kid:
        return f"KID {payment.kid}"
    return payment.reference or payment.bank_reference or payment.transaction_type or "/"
