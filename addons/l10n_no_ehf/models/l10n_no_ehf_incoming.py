import hashlib
import logging

from lxml import etree

from nofaktura import kid as nkid
from nofaktura.ehf.reader import read_root
from nofaktura.exceptions import DocumentError, NofakturaError
from nofaktura.messages import text as nf_text
from nofaktura.xml import load_ubl

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.validation import validate_ehf

_logger = logging.getLogger(__name__)

INCOMING_STATES = [
    ("imported", "Bill created"),
    ("refused", "Refused (unreadable or unsafe)"),
    ("error", "Import failed"),
]
RESPONSE_STATES = [
    ("none", "Not answered"),
    ("rejected", "Rejected"),
    ("accepted", "Accepted"),
]


class L10nNoEhfIncoming(models.Model):
    """One received EHF document: where it came from, what the checks said and which bill it became.

    The same document (same sender, number and type, or the same bytes) is imported once: a second
    arrival is acknowledged at the access point and answered with the first record.
    """

    _name = "l10n_no_ehf.incoming"
    _description = "Received EHF document"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Document number", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    access_point_id = fields.Many2one("l10n_no_ehf.access.point", readonly=True, check_company=True)
    source = fields.Selection(
        [("access_point", "Access point"), ("upload", "Upload"), ("mail", "E-mail")],
        required=True, readonly=True, default="upload",
    )
    transport_id = fields.Char(string="Id at the access point", readonly=True)
    filename = fields.Char(readonly=True)
    state = fields.Selection(INCOMING_STATES, required=True, readonly=True, default="imported")
    error_message = fields.Text(readonly=True)
    sha256 = fields.Char(readonly=True, index=True, copy=False)
    dedupe_key = fields.Char(
        readonly=True, copy=False,
        help="Sender, type and number of the document: the same document is imported once.",
    )
    document_kind = fields.Selection([("Invoice", "Invoice"), ("CreditNote", "Credit note")], readonly=True)
    sender_participant = fields.Char(string="Sender", readonly=True)
    sender_name = fields.Char(readonly=True)
    issue_date = fields.Date(readonly=True)
    move_id = fields.Many2one("account.move", string="Bill", readonly=True, index=True, check_company=True)
    attachment_id = fields.Many2one("ir.attachment", string="Original XML", readonly=True)
    valid = fields.Boolean(readonly=True)
    findings = fields.Json(readonly=True)
    kid = fields.Char(string="KID", readonly=True)
    kid_valid = fields.Boolean(string="KID valid", readonly=True)
    response_state = fields.Selection(RESPONSE_STATES, default="none", required=True, readonly=True)

    _dedupe_uniq = models.UniqueIndex(
        "(company_id, dedupe_key) WHERE dedupe_key IS NOT NULL AND state = 'imported'",
        "This EHF document was already imported.",
    )
    _sha_uniq = models.UniqueIndex(
        "(company_id, sha256) WHERE sha256 IS NOT NULL", "This file was already received."
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._l10n_no_ehf_check_direct_write()
        return super().create(vals_list)

    def write(self, vals):
        self._l10n_no_ehf_check_direct_write()
        return super().write(vals)

    def _l10n_no_ehf_check_direct_write(self):
        """What was received, its check result and its answer state are evidence: only this
        module's methods (which check the caller first and then write as superuser) change them."""
        if not self.env.su:
            raise AccessError(self.env._("Received EHF documents are changed only by the EHF import and answer actions."))

    # -------------------------------------------------------------------------
    # Import
    # -------------------------------------------------------------------------

    @api.model
    def _l10n_no_ehf_find_existing(self, company, sha256=None, dedupe_key=None):
        if sha256:
            found = self.search([("company_id", "=", company.id), ("sha256", "=", sha256)], limit=1)
            if found:
                return found
        if dedupe_key:
            return self.search(
                [("company_id", "=", company.id), ("dedupe_key", "=", dedupe_key), ("state", "=", "imported")],
                limit=1,
            )
        return self.browse()

    @api.model
    def _l10n_no_ehf_sender(self, document):
        """The sender as shown and used in the duplicate key: its Peppol endpoint, else its
        organisation number or name."""
        seller = document.seller
        sender = seller.endpoint
        if sender and sender.scheme:
            return f"{sender.scheme}:{sender.value}"
        return seller.org_number or seller.name or ""

    @api.model
    def _l10n_no_ehf_document_values(self, root, kind, document, sender_text, dedupe_key):
        """The fields read from a received document (the same for every way it arrives);
        ``root`` is the UBL element already parsed for ``document``, validated without a second parse."""
        valid, findings = validate_ehf(root)
        kid = document.kid
        return {
            "name": document.number,
            "dedupe_key": dedupe_key,
            "document_kind": kind,
            "sender_participant": sender_text,
            "sender_name": document.seller.name,
            "issue_date": document.issue_date,
            "valid": valid,
            "findings": findings,
            "kid": kid,
            "kid_valid": bool(kid) and nkid.is_valid(kid.replace(" ", "")),
        }

    @api.model
    def _l10n_no_ehf_import(self, content, *, company, filename=None, source="upload", access_point=None,
                            transport_id=None, move=None):
        """Import one received document; returns the incoming record (new, or the first one for a
        duplicate, with ``l10n_no_ehf_duplicate`` in its context).

        Unreadable or unsafe XML (DTD, entities, too large) is recorded as refused and creates no bill.
        Validation findings never stop the import: they are recorded on the bill.
        """
        filename = filename or "ehf.xml"
        sha256 = hashlib.sha256(content).hexdigest()
        existing = self._l10n_no_ehf_find_existing(company, sha256=sha256)
        if existing:
            return existing.with_context(l10n_no_ehf_duplicate=True)
        values = {
            "company_id": company.id,
            "access_point_id": access_point.id if access_point else False,
            "source": source,
            "transport_id": transport_id,
            "filename": filename,
            "sha256": sha256,
        }
        try:
            root, kind = load_ubl(content, filename)
            document = read_root(root, kind, source=filename)
        except DocumentError as exc:
            # Hostile or broken XML never reaches Odoo's own parser: keep the bytes for a person
            # to look at (as an attachment that is never parsed) and stop.
            record = self.sudo().create({**values, "state": "refused", "error_message": nf_text(exc, self.env.lang)})
            record.attachment_id = self._l10n_no_ehf_attach(record, filename, content, "application/octet-stream")
            return record.with_env(self.env)
        sender_text = self._l10n_no_ehf_sender(document)
        dedupe_key = f"{sender_text}|{kind}|{document.number}"
        existing = self._l10n_no_ehf_find_existing(company, dedupe_key=dedupe_key)
        if existing:
            return existing.with_context(l10n_no_ehf_duplicate=True)
        record = self.sudo().create({**values, **self._l10n_no_ehf_document_values(root, kind, document, sender_text, dedupe_key)})
        # Odoo's UBL import reads the inner UBL (an SBDH envelope is unwrapped by the safe loader).
        ubl = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        try:
            with self.env.cr.savepoint():
                bill = record.with_env(self.env)._l10n_no_ehf_create_bill(document, ubl, content, filename, move=move)
        except (UserError, NofakturaError, ValueError) as exc:
            _logger.warning("EHF %s could not become a bill: %s", filename, exc)
            record.write({"state": "error", "error_message": nf_text(exc, self.env.lang)})
            record.attachment_id = self._l10n_no_ehf_attach(record, filename, content, "application/xml")
            return record.with_env(self.env)
        record.move_id = bill
        return record.with_env(self.env)

    def action_l10n_no_ehf_retry_import(self):
        """Button "Retry import" on a document whose import failed: the kept bytes are imported
        again, all or nothing (on failure the record stays in error with the new reason)."""
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users can retry an EHF import."))
        self.check_access("read")
        for record in self:
            if record.state != "error" or record.move_id:
                raise UserError(self.env._("%(name)s has no failed import to retry.", name=record.display_name))
            content = record.attachment_id.raw
            if not content:
                raise UserError(self.env._("%(name)s has no kept file to import again.", name=record.display_name))
            root, kind = load_ubl(content, record.filename or "ehf.xml")
            document = read_root(root, kind, source=record.filename or "ehf.xml")
            ubl = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            try:
                with self.env.cr.savepoint():
                    bill = record._l10n_no_ehf_create_bill(document, ubl, content, record.filename or "ehf.xml")
                    record.sudo().write({"state": "imported", "error_message": False, "move_id": bill.id})
            except (UserError, NofakturaError, ValueError) as exc:
                record.sudo().error_message = nf_text(exc, self.env.lang)
        return True

    @api.model
    def _l10n_no_ehf_attach(self, record, filename, content, mimetype):
        return self.env["ir.attachment"].create({
            "name": filename,
            "raw": content,
            "mimetype": mimetype,
            "res_model": record._name,
            "res_id": record.id,
        })

    def _l10n_no_ehf_journal(self):
        self.ensure_one()
        journal = self.access_point_id.purchase_journal_id or self.company_id._l10n_no_ehf_access_point().purchase_journal_id
        if not journal:
            journal = self.env["account.journal"].search([
                *self.env["account.journal"]._check_company_domain(self.company_id),
                ("type", "=", "purchase"),
            ], limit=1)
        if not journal:
            raise UserError(self.env._("There is no purchase journal in %(company)s for received EHF.", company=self.company_id.name))
        return journal

    def _l10n_no_ehf_create_bill(self, document, ubl, original, filename, move=None):
        """A draft vendor bill through Odoo's own UBL import, then enriched."""
        self.ensure_one()
        move_type = "in_refund" if document.kind == "CreditNote" else "in_invoice"
        Move = self.env["account.move"].with_company(self.company_id).with_context(l10n_no_ehf_importing=True)
        if not move:
            move = Move.create({"journal_id": self._l10n_no_ehf_journal().id, "move_type": move_type})
        ubl_attachment = self.env["ir.attachment"].create({
            "name": filename if filename.lower().endswith(".xml") else f"{filename}.xml",
            "raw": ubl,
            "mimetype": "application/xml",
            "res_model": "account.move",
            "res_id": move.id,
        })
        files_data = Move._to_files_data(ubl_attachment)
        # Odoo's _extend_with_attachments commits the cursor before and after decoding (outside
        # tests), which would destroy the caller's savepoint and leave half an import behind.
        # Call the UBL decoder it would pick directly: everything stays in this one transaction.
        file_data = files_data[0]
        decoder_info = move._get_edi_decoder(file_data, new=True)
        if not decoder_info or not decoder_info.get("priority"):
            raise UserError(self.env._("Odoo cannot read %(file)s as an EHF invoice or credit note.", file=filename))
        reason = decoder_info["decoder"](move, file_data, True)
        if reason:
            raise UserError(self.env._("Odoo could not import %(file)s: %(reason)s", file=filename, reason=reason))
        if not move.invoice_line_ids:
            raise UserError(self.env._("Odoo's import of %(file)s created no invoice lines.", file=filename))
        move.invoice_line_ids.is_imported = True
        # The original bytes as received (with the SBDH envelope, if any) are archived with the bill.
        archive = self.env["ir.attachment"].create({
            "name": f"EHF-{document.number}-original.xml",
            "raw": original,
            "mimetype": "application/xml",
            "res_model": "account.move",
            "res_id": move.id,
            "description": self.env._("Original EHF document as received"),
        })
        self.sudo().attachment_id = archive
        move._l10n_no_ehf_enrich_from_document(self, document)
        return move

    @api.model
    def _l10n_no_ehf_record_only(self, move, content, filename):
        """Record an EHF that Odoo already turned into ``move`` (mail alias, Odoo's own upload) and
        enrich the bill, without importing it a second time. Non-EHF XML is ignored (returns empty)."""
        try:
            root, kind = load_ubl(content, filename)
            document = read_root(root, kind, source=filename)
        except DocumentError:
            return self.browse()
        sender_text = self._l10n_no_ehf_sender(document)
        sha256 = hashlib.sha256(content).hexdigest()
        dedupe_key = f"{sender_text}|{kind}|{document.number}"
        existing = self._l10n_no_ehf_find_existing(move.company_id, sha256=sha256, dedupe_key=dedupe_key)
        if existing:
            move.message_post(body=self.env._(
                "This EHF (%(number)s from %(sender)s) was already received as %(bill)s.",
                number=document.number, sender=sender_text, bill=existing.move_id.display_name or existing.display_name,
            ))
            return existing
        record = self.sudo().create({
            "company_id": move.company_id.id,
            "source": "mail",
            "filename": filename,
            "sha256": sha256,
            "move_id": move.id,
            **self._l10n_no_ehf_document_values(root, kind, document, sender_text, dedupe_key),
        })
        move._l10n_no_ehf_enrich_from_document(record.with_env(self.env), document)
        return record.with_env(self.env)

    # -------------------------------------------------------------------------
    # The cron: fetch from every access point, import, then acknowledge
    # -------------------------------------------------------------------------

    @api.model
    def _cron_l10n_no_ehf_receive(self):
        if "lang" not in self.env.context:  # a cron has no language: write notes in the company's
            return self.with_context(lang=self.env.company.partner_id.lang or self.env.user.lang)._cron_l10n_no_ehf_receive()
        access_points = self.env["l10n_no_ehf.access.point"].sudo().search([("receive", "=", True)])
        for access_point in access_points:
            self.with_company(access_point.company_id)._l10n_no_ehf_receive_from(access_point)

    @api.model
    def _l10n_no_ehf_receive_from(self, access_point):
        """Fetch, import and acknowledge up to ``batch_size`` documents.

        A document is acknowledged only after its import is committed (in the cron), so a crash
        loses nothing: the access point offers it again and the duplicate check answers the first
        import, after which it is acknowledged.
        """
        in_cron = bool(self.env.context.get("cron_id"))
        processed = []
        try:
            transport = access_point._l10n_no_ehf_transport()
        except (UserError, NofakturaError) as exc:
            _logger.warning("EHF access point %s unusable: %s", access_point.name, exc)
            return processed
        seen = set()
        with transport:
            while len(processed) < access_point.batch_size:
                try:
                    documents = [d for d in transport.fetch_incoming() if d.incoming_id not in seen]
                except NofakturaError as exc:
                    _logger.warning("EHF fetch from %s failed: %s", access_point.name, exc)
                    break
                if not documents:
                    break
                for incoming in documents[: access_point.batch_size - len(processed)]:
                    seen.add(incoming.incoming_id)
                    record = self._l10n_no_ehf_import(
                        incoming.content,
                        company=access_point.company_id,
                        filename=incoming.filename or incoming.incoming_id,
                        source="access_point",
                        access_point=access_point,
                        transport_id=incoming.incoming_id,
                    )
                    processed.append(record)
                    if in_cron:
                        self.env["ir.cron"]._commit_progress(1)
                    try:
                        transport.acknowledge(incoming.incoming_id)
                    except NofakturaError as exc:
                        _logger.warning("EHF %s imported but not acknowledged: %s", incoming.incoming_id, exc)
        return processed
