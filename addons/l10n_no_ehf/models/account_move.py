import hashlib
import logging
from datetime import date

from markupsafe import Markup

from nofaktura import kid as nkid
from nofaktura.exceptions import DocumentError
from nofaktura.messages import lang_of
from nofaktura.messages import text as nf_text
from nofaktura.peppol.ids import ParticipantId
from nofaktura.peppol.invoice_response import (
    InvoiceResponse,
    Party,
    ResponseCode,
    StatusReason,
    build_invoice_response,
)

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.findings import hint_for
from ..tools.validation import validate_ehf

_logger = logging.getLogger(__name__)

EHF_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
CHECK_STATES = [("ok", "Passed"), ("warning", "Passed with warnings"), ("fatal", "Fatal errors")]


class AccountMove(models.Model):
    _inherit = "account.move"

    # --- sending ---------------------------------------------------------------------------------
    l10n_no_ehf_outgoing_ids = fields.One2many("l10n_no_ehf.outgoing", "move_id", string="EHF transmissions")
    l10n_no_ehf_state = fields.Selection(
        EHF_STATES, string="EHF status", compute="_compute_l10n_no_ehf_state", store=True, copy=False,
        help="Queued: waiting for the access point. Sent: the access point took it. Delivered: the "
        "customer's access point confirmed. Failed: see the reason; retry or send by e-mail.",
    )
    l10n_no_ehf_error = fields.Text(string="EHF error", compute="_compute_l10n_no_ehf_error")
    # --- the check ---------------------------------------------------------------------------------
    l10n_no_ehf_check_state = fields.Selection(CHECK_STATES, string="EHF check", copy=False, readonly=True)
    l10n_no_ehf_check_date = fields.Datetime(string="EHF checked at", copy=False, readonly=True)
    l10n_no_ehf_findings = fields.Json(string="EHF findings", copy=False, readonly=True)
    l10n_no_ehf_findings_html = fields.Html(
        string="EHF findings list", compute="_compute_l10n_no_ehf_findings_html", sanitize=True
    )
    # --- receiving ---------------------------------------------------------------------------------
    l10n_no_ehf_incoming_id = fields.Many2one("l10n_no_ehf.incoming", string="Received EHF", copy=False, readonly=True)
    l10n_no_ehf_response_state = fields.Selection(related="l10n_no_ehf_incoming_id.response_state")
    # --- received values a person must confirm (never applied automatically) -----------------------
    l10n_no_ehf_payee_to_confirm = fields.Char(
        string="Payee account to confirm", copy=False, readonly=True,
        help="A bank account in the received EHF that the vendor does not have on file. It is not "
        "used until an accounting manager confirms it.",
    )
    l10n_no_ehf_sender_to_confirm = fields.Char(
        string="Sender address to confirm", copy=False, readonly=True,
        help="The received EHF came from a Peppol address other than the vendor's.",
    )

    #: Status fields set only by this module's methods (which check the caller, then write as
    #: superuser); a direct write (XML-RPC, import) must not say "checked" or "delivered".
    _L10N_NO_EHF_PROTECTED = frozenset({
        "l10n_no_ehf_state", "l10n_no_ehf_check_state", "l10n_no_ehf_check_date", "l10n_no_ehf_findings",
        "l10n_no_ehf_incoming_id", "l10n_no_ehf_payee_to_confirm", "l10n_no_ehf_sender_to_confirm",
    })

    def _l10n_no_ehf_check_protected(self, vals_list):
        if self.env.su:
            return
        touched = self._L10N_NO_EHF_PROTECTED.intersection(set().union(*vals_list))
        if touched:
            raise AccessError(self.env._(
                "The EHF status fields (%(fields)s) are set only by the EHF check, sending and import.",
                fields=", ".join(sorted(touched)),
            ))

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS account
        self._l10n_no_ehf_check_protected(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS account
        self._l10n_no_ehf_check_protected([vals])
        return super().write(vals)

    @api.depends("l10n_no_ehf_outgoing_ids.state", "l10n_no_ehf_outgoing_ids.kind")
    def _compute_l10n_no_ehf_state(self):
        for move in self:
            outgoing = move.l10n_no_ehf_outgoing_ids.filtered(lambda o: o.kind == "invoice").sorted("id")[-1:]
            move.l10n_no_ehf_state = outgoing.state or False

    @api.depends("l10n_no_ehf_outgoing_ids.state", "l10n_no_ehf_outgoing_ids.error_message")
    def _compute_l10n_no_ehf_error(self):
        for move in self:
            outgoing = move.l10n_no_ehf_outgoing_ids.filtered(lambda o: o.kind == "invoice").sorted("id")[-1:]
            move.l10n_no_ehf_error = outgoing.error_message if outgoing.state in ("failed", "queued") else False

    @api.depends("l10n_no_ehf_findings")
    @api.depends_context("lang")
    def _compute_l10n_no_ehf_findings_html(self):
        """The findings as a person reads them: the problem in words, the record and field to fix as a link,
        and the rule id and XML location folded away under "Technical details" (for support, not for them)."""
        for move in self:
            items = move._l10n_no_ehf_describe(move.l10n_no_ehf_findings or [])
            move.l10n_no_ehf_findings_html = (
                Markup('<ul class="list-unstyled mb-0">%s</ul>') % Markup("").join(map(move._l10n_no_ehf_finding_html, items))
                if items else False
            )

    def _l10n_no_ehf_finding_text(self, finding):
        """The finding's message in the user's language, without the rule id the rule engine puts in front
        ("[BR-CO-10]-Sum of ..." reads "Sum of ...")."""
        nb = lang_of(self.env.lang) == "nb"
        text = (finding.get("message_nb") if nb else "") or finding.get("message") or ""
        rule = finding.get("rule") or ""
        for prefix in (f"[{rule}]-", f"[{rule}] -", f"[{rule}]", f"{rule}:"):
            if rule and text.startswith(prefix):
                return text[len(prefix):].strip()
        return text.strip()

    def _l10n_no_ehf_finding_html(self, finding):
        fatal = finding.get("flag") == "fatal"
        badge = Markup('<span class="badge %s me-1">%s</span>') % (
            "text-bg-danger" if fatal else "text-bg-warning",
            self.env._("Error") if fatal else self.env._("Warning"),
        )
        fix = Markup("")
        if finding.get("fix"):
            target = finding["fix"]
            if finding.get("model") and finding.get("res_id"):
                target = Markup('<a href="/odoo/%s/%s">%s</a>') % (finding["model"], int(finding["res_id"]), target)
            fix = Markup('<div class="ms-4">%s %s</div>') % (self.env._("To fix:"), target)
        technical = Markup("<br/>").join(
            part for part in (
                self.env._("Rule: %(rule)s", rule=finding["rule"]) if finding.get("rule") else "",
                self.env._("Location in the XML: %(location)s", location=finding["location"])
                if finding.get("location") else "",
            ) if part
        )
        details = Markup(
            '<details class="ms-4 text-muted small"><summary>%s</summary>%s</details>'
        ) % (self.env._("Technical details"), technical) if technical else Markup("")
        return Markup('<li class="mb-2">%s%s%s%s</li>') % (badge, self._l10n_no_ehf_finding_text(finding), fix, details)

    # -------------------------------------------------------------------------
    # The check: Odoo's BIS 3 XML through the nofaktura validation
    # -------------------------------------------------------------------------

    def _l10n_no_ehf_export_xml(self):
        """Odoo's Peppol BIS 3 (EHF) XML of this invoice and Odoo's own export errors."""
        self.ensure_one()
        builder = self.env["account.edi.xml.ubl_bis3"]
        xml, errors = builder._export_invoice(self)
        return xml, list(errors or [])

    def _l10n_no_ehf_describe(self, findings):
        """Add to each finding the record and field a person should fix (``fix``, ``model``, ``res_id``,
        ``field``)."""
        self.ensure_one()
        record_labels = {
            "company": self.env._("company"),
            "customer": self.env._("customer"),
            "move": self.env._("invoice"),
        }
        if self.is_purchase_document(include_receipts=True):
            # a received document: its parties are the vendor and us, and only the vendor can correct its XML
            return [dict(finding) for finding in findings]
        described = []
        lines = self.invoice_line_ids.filtered(lambda l: l.display_type == "product").sorted("sequence")
        for finding in findings:
            item = dict(finding)
            kind, field, line_index = hint_for(item.get("location"), item.get("message"))
            record = None
            if kind == "company":
                record = self.company_id.partner_id
            elif kind == "customer":
                record = self.commercial_partner_id
            elif kind == "move":
                record = self
            elif kind == "line" and line_index and line_index <= len(lines):
                record = lines[line_index - 1]
            if record is not None:
                field_label = record._fields[field].get_description(self.env)["string"] if field in record._fields else ""
                item.update(model=record._name, res_id=record.id, field=field or False)
                if kind == "line":
                    item["fix"] = self.env._("invoice line %(index)s (%(name)s)", index=line_index, name=record.name or "")
                else:
                    item["fix"] = self.env._(
                        "%(what)s %(name)s%(field)s",
                        what=record_labels[kind],
                        name=record.display_name,
                        field=self.env._(", field “%(label)s”", label=field_label) if field_label else "",
                    )
            described.append(item)
        return described

    def _l10n_no_ehf_run_check(self, xml, export_errors=()):
        """Validate ``xml`` for this invoice, store the outcome, return ``(fatal, findings)``."""
        self.ensure_one()
        findings = [
            {"rule": "ODOO", "flag": "fatal", "location": "", "message": str(error), "message_nb": ""}
            for error in export_errors
        ]
        try:
            _valid, rule_findings = validate_ehf(xml)
        except DocumentError as exc:
            rule_findings = [{"rule": "XML", "flag": "fatal", "location": exc.path or "", "message": exc.text("en"),
                              "message_nb": exc.text("nb")}]
        findings.extend(rule_findings)
        fatal = [f for f in findings if f["flag"] == "fatal"]
        warnings = [f for f in findings if f["flag"] != "fatal"]
        self.sudo().write({
            "l10n_no_ehf_findings": findings,
            "l10n_no_ehf_check_state": "fatal" if fatal else ("warning" if warnings else "ok"),
            "l10n_no_ehf_check_date": fields.Datetime.now(),
        })
        return bool(fatal), self._l10n_no_ehf_describe(findings)

    def l10n_no_ehf_check(self):
        """Check these invoices as EHF without sending them. Usable over XML-RPC.

        :return: one dict per invoice: ``move_id``, ``name``, ``valid`` and ``findings`` (each with
            ``rule``, ``flag``, ``location``, ``message``, ``message_nb`` and, where known, the record
            and field to fix: ``model``, ``res_id``, ``field``, ``fix``).
        """
        # The check stores its result on the invoice: the caller must be allowed to change it.
        self.check_access("write")
        results = []
        for move in self:
            if not move.is_sale_document():
                raise UserError(self.env._("Only customer invoices and credit notes are sent as EHF (%(name)s).", name=move.display_name))
            xml, errors = move._l10n_no_ehf_export_xml()
            fatal, findings = move._l10n_no_ehf_run_check(xml, errors)
            results.append({"move_id": move.id, "name": move.name, "valid": not fatal, "findings": findings})
        return results

    def action_l10n_no_ehf_check(self):
        """Button "Check EHF"."""
        results = self.l10n_no_ehf_check()
        fatal = sum(1 for r in results for f in r["findings"] if f["flag"] == "fatal")
        warnings = sum(1 for r in results for f in r["findings"] if f["flag"] != "fatal")
        if fatal:
            kind, message = "danger", self.env._("EHF check: %(fatal)s error(s) and %(warnings)s warning(s); see the EHF tab.", fatal=fatal, warnings=warnings)
        elif warnings:
            kind, message = "warning", self.env._("EHF check passed with %(warnings)s warning(s); see the EHF tab.", warnings=warnings)
        else:
            kind, message = "success", self.env._("EHF check passed.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "message": message, "sticky": bool(fatal),
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    # -------------------------------------------------------------------------
    # Sending
    # -------------------------------------------------------------------------

    def _l10n_no_ehf_cannot_send_reason(self):
        """Why this invoice cannot go by our EHF route, or None."""
        self.ensure_one()
        company = self.company_id
        if not self.is_sale_document():
            return self.env._("Only customer invoices and credit notes are sent as EHF.")
        if company._l10n_no_ehf_odoo_peppol_active():
            return self.env._("Odoo's own Peppol service sends for %(company)s; EHF through our access point steps aside.", company=company.name)
        if self._l10n_no_ehf_odoo_peppol_handles():
            return self.env._("This invoice is already handled by Odoo's Peppol service.")
        if not company._l10n_no_ehf_access_point():
            return self.env._("No EHF access point is configured for %(company)s.", company=company.name)
        if not self.commercial_partner_id._l10n_no_ehf_participant():
            return self.env._("%(partner)s has no Peppol address or organisation number.", partner=self.commercial_partner_id.display_name)
        if not self.commercial_partner_id._l10n_no_ehf_can_receive(credit_note=self.move_type == "out_refund"):
            return self.env._("%(partner)s cannot receive EHF (Peppol lookup).", partner=self.commercial_partner_id.display_name)
        return None

    def _l10n_no_ehf_odoo_peppol_handles(self):
        """True when Odoo's Peppol module (if installed) queued or sent this invoice."""
        self.ensure_one()
        return "peppol_move_state" in self._fields and self.peppol_move_state in ("to_send", "processing", "done")

    def _l10n_no_ehf_can_send(self):
        return self._l10n_no_ehf_cannot_send_reason() is None

    def _l10n_no_ehf_enqueue(self, xml):
        """Queue this invoice's EHF for the access point (once: an active transmission is reused)."""
        self.ensure_one()
        return self.env["l10n_no_ehf.outgoing"]._l10n_no_ehf_enqueue(self, xml)

    def action_l10n_no_ehf_retry(self):
        """Button: try a failed transmission again (same idempotency key: never sent twice)."""
        for move in self:
            failed = move.l10n_no_ehf_outgoing_ids.filtered(lambda o: o.state == "failed" and o.kind == "invoice")
            if not failed:
                raise UserError(self.env._("%(name)s has no failed EHF transmission to retry.", name=move.display_name))
            failed.sorted("id")[-1]._l10n_no_ehf_requeue()
        self.env["l10n_no_ehf.outgoing"]._l10n_no_ehf_trigger()
        return True

    def action_l10n_no_ehf_send_by_email(self):
        """Button: give up EHF for a failed invoice and send it by e-mail instead."""
        for move in self:
            failed = move.l10n_no_ehf_outgoing_ids.filtered(lambda o: o.state == "failed" and o.kind == "invoice")
            if not failed:
                raise UserError(self.env._("%(name)s has no failed EHF transmission.", name=move.display_name))
            if not move.partner_id.email:
                raise UserError(self.env._("%(partner)s has no e-mail address.", partner=move.partner_id.display_name))
            move.check_access("write")
            failed.sudo().write({"state": "cancelled"})
            move.message_post(body=self.env._("EHF given up; the invoice is sent by e-mail instead."))
            self.env["account.move.send"]._generate_and_send_invoices(move, sending_methods=["email"])
        return True

    # -------------------------------------------------------------------------
    # Receiving
    # -------------------------------------------------------------------------

    def _l10n_no_ehf_enrich_from_document(self, incoming, document):
        """After Odoo's UBL import: vendor by org number, KID, payee account, findings, link."""
        self.ensure_one()
        fatal = [f for f in incoming.findings or [] if f["flag"] == "fatal"]
        # The link and the check result come from our own validation of the received file.
        self.sudo().write({
            "l10n_no_ehf_incoming_id": incoming.id,
            "l10n_no_ehf_findings": incoming.findings or [],
            "l10n_no_ehf_check_state": "fatal" if fatal else ("warning" if incoming.findings else "ok"),
            "l10n_no_ehf_check_date": fields.Datetime.now(),
        })
        values = {}
        vendor = self._l10n_no_ehf_find_or_create_vendor(document.seller)
        if vendor and self.partner_id.commercial_partner_id != vendor:
            values["partner_id"] = vendor.id
        if not self.ref and document.number:
            values["ref"] = document.number
        kid = (document.kid or "").replace(" ", "")
        if kid and nkid.looks_like_kid(kid):
            values["payment_reference"] = kid
        self.write(values)
        bank = self._l10n_no_ehf_payee_account(document)
        if bank and self.partner_bank_id != bank:
            self.partner_bank_id = bank
        if self.l10n_no_ehf_payee_to_confirm or self.l10n_no_ehf_sender_to_confirm:
            self.message_post(body=self._l10n_no_ehf_to_confirm_text())
        self._l10n_no_ehf_keep_attachments(document)
        self._l10n_no_ehf_post_import_note(incoming, kid)

    def _l10n_no_ehf_find_or_create_vendor(self, seller):
        """The vendor by Norwegian org number (0192), else by Peppol endpoint, else the one Odoo's
        import matched, else created from the document. A found vendor gets the identifiers it lacks."""
        Partner = self.env["res.partner"]
        company_domain = Partner._check_company_domain(self.company_id)
        orgnr = seller.org_number
        vendor = Partner
        if orgnr:
            vendor = Partner.search([
                *company_domain, "|", "|",
                ("l10n_no_bronnoysund_number", "=", orgnr),
                "&", ("peppol_eas", "=", "0192"), ("peppol_endpoint", "=", orgnr),
                ("vat", "in", [f"NO{orgnr}MVA", f"NO {orgnr} MVA"]),
            ], limit=1)
        if not vendor and seller.endpoint and seller.endpoint.scheme:
            vendor = Partner.search([
                *company_domain,
                ("peppol_eas", "=", seller.endpoint.scheme),
                ("peppol_endpoint", "=", seller.endpoint.value),
            ], limit=1)
        vendor = vendor.commercial_partner_id or self.partner_id.commercial_partner_id
        if vendor:
            missing = {}
            if orgnr and not vendor.l10n_no_bronnoysund_number:
                missing["l10n_no_bronnoysund_number"] = orgnr
            endpoint = seller.endpoint if seller.endpoint and seller.endpoint.scheme else None
            if endpoint and vendor.peppol_endpoint and (vendor.peppol_eas, vendor.peppol_endpoint) != (endpoint.scheme, endpoint.value):
                # Sent from another address than the vendor's: a person confirms before paying.
                self.sudo().l10n_no_ehf_sender_to_confirm = f"{endpoint.scheme}:{endpoint.value}"
            elif endpoint and not vendor.peppol_endpoint:
                if endpoint.scheme == "0192" and endpoint.value == (vendor.l10n_no_bronnoysund_number or orgnr):
                    missing.update(peppol_eas=endpoint.scheme, peppol_endpoint=endpoint.value)
                else:
                    self.sudo().l10n_no_ehf_sender_to_confirm = f"{endpoint.scheme}:{endpoint.value}"
            if missing:
                vendor.write(missing)
            return vendor
        if not seller.name:
            return Partner
        address = seller.address
        country = self.env["res.country"].search([("code", "=", (address.country or "").upper())], limit=1) if address and address.country else self.env["res.country"]
        values = {
            "name": seller.name,
            "is_company": True,
            "company_id": False,
            "street": address.street if address else False,
            "street2": address.additional_street if address else False,
            "zip": address.postal_zone if address else False,
            "city": address.city if address else False,
            "country_id": country.id or False,
        }
        if orgnr:
            values["l10n_no_bronnoysund_number"] = orgnr
        if seller.vat_id:
            values["vat"] = seller.vat_id
        if seller.endpoint and seller.endpoint.scheme:
            values.update(peppol_eas=seller.endpoint.scheme, peppol_endpoint=seller.endpoint.value)
        if seller.contact and seller.contact.email:
            values["email"] = seller.contact.email
        vendor = Partner.create(values)
        self.message_post(body=self.env._("Vendor %(name)s was created from the received EHF.", name=vendor.display_name))
        return vendor

    def _l10n_no_ehf_payee_account(self, document):
        """The vendor's bank account named in the payment means (BT-84), if the vendor already has
        it (active). A new or changed account is never added from a received document (anyone can
        send a bill claiming a known vendor's number): it is kept on the bill as "to confirm"."""
        self.ensure_one()
        account = next((m.account_id for m in document.payment_means if m.account_id), None)
        Bank = self.env["res.partner.bank"]
        if not account or not self.partner_id:
            return Bank
        sanitized = "".join(ch for ch in account if ch.isalnum()).upper()
        partner = self.partner_id.commercial_partner_id
        bank = Bank.search([("partner_id", "=", partner.id), ("sanitized_acc_number", "=", sanitized)], limit=1)
        # Our reading supersedes what Odoo's import decided for the partner it matched first.
        self.sudo().l10n_no_ehf_payee_to_confirm = False if bank else account
        return bank

    def _l10n_no_ehf_to_confirm_text(self, blocked=True):
        self.ensure_one()
        parts = []
        if self.l10n_no_ehf_payee_to_confirm:
            parts.append(self.env._(
                "The EHF names the payee account %(account)s, which %(vendor)s does not have on file.",
                account=self.l10n_no_ehf_payee_to_confirm, vendor=self.partner_id.display_name,
            ))
        if self.l10n_no_ehf_sender_to_confirm:
            parts.append(self.env._(
                "The EHF was sent from Peppol address %(sender)s, not the address on file for %(vendor)s.",
                sender=self.l10n_no_ehf_sender_to_confirm, vendor=self.partner_id.display_name,
            ))
        if blocked:
            parts.append(self.env._("Posting and payment are blocked until an accounting manager confirms."))
        return " ".join(parts)

    def _l10n_no_ehf_check_confirmed(self):
        blocked = self.filtered(lambda m: m.l10n_no_ehf_payee_to_confirm or m.l10n_no_ehf_sender_to_confirm)
        if blocked:
            raise UserError(self.env._(
                "%(names)s: the received payee account or sender must be confirmed by an accounting manager first.",
                names=", ".join(blocked.mapped("display_name")),
            ))

    def action_l10n_no_ehf_confirm_received(self):
        """Button "Confirm payee/sender": an accounting manager confirms the new payee account
        (added to the vendor and used on the bill) and/or the other sender address. Logged."""
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(self.env._("Only accounting managers can confirm a received payee account or sender."))
        self.check_access("write")
        for move in self:
            if not (move.l10n_no_ehf_payee_to_confirm or move.l10n_no_ehf_sender_to_confirm):
                continue
            text = move._l10n_no_ehf_to_confirm_text(blocked=False)
            values = {"l10n_no_ehf_payee_to_confirm": False, "l10n_no_ehf_sender_to_confirm": False}
            if account := move.l10n_no_ehf_payee_to_confirm:
                partner = move.partner_id.commercial_partner_id
                Bank = self.env["res.partner.bank"].with_context(active_test=False)
                sanitized = "".join(ch for ch in account if ch.isalnum()).upper()
                bank = Bank.search([("partner_id", "=", partner.id), ("sanitized_acc_number", "=", sanitized)], limit=1)
                if not bank:
                    bank = Bank.create({"acc_number": account, "partner_id": partner.id})
                elif not bank.active:
                    bank.active = True
                values["partner_bank_id"] = bank.id
            move.sudo().write(values)
            move.message_post(body=self.env._("Confirmed by %(user)s: %(what)s", user=self.env.user.name, what=text))
        return True

    def action_register_payment(self):
        # EXTENDS account: no payment to an unconfirmed received payee account
        self._l10n_no_ehf_check_confirmed()
        return super().action_register_payment()

    def _l10n_no_ehf_keep_attachments(self, document):
        """Every embedded attachment (BG-24) is kept on the bill, also those Odoo's import skipped."""
        self.ensure_one()
        existing = self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", self.id)])
        known = {(a.name, a.checksum) for a in existing}
        checksums = {a.checksum for a in existing}
        for attachment in document.attachments:
            if not attachment.content:
                continue
            name = attachment.filename or f"{attachment.id}"
            checksum = hashlib.sha1(attachment.content).hexdigest()  # noqa: S324 - Odoo's checksum is sha1
            if checksum in checksums or (name, checksum) in known:
                continue
            self.env["ir.attachment"].create({
                "name": name,
                "raw": attachment.content,
                "mimetype": attachment.mime_code or "application/octet-stream",
                "res_model": "account.move",
                "res_id": self.id,
                "description": attachment.description or False,
            })
            checksums.add(checksum)

    def _l10n_no_ehf_post_import_note(self, incoming, kid):
        self.ensure_one()
        fatal = [f for f in incoming.findings or [] if f["flag"] == "fatal"]
        lines = [self.env._("Received as EHF %(number)s from %(sender)s.", number=incoming.name, sender=incoming.sender_participant)]
        if fatal:
            lines.append(self.env._("The EHF check found %(count)s error(s); the bill was created anyway, see the EHF tab.", count=len(fatal)))
        if kid and not incoming.kid_valid:
            lines.append(self.env._("The KID %(kid)s is not valid: check it before paying.", kid=kid))
        self.message_post(body=Markup("<br/>").join(lines))

    # -------------------------------------------------------------------------
    # Invoice Response (BIS 63A)
    # -------------------------------------------------------------------------

    def _l10n_no_ehf_send_response(self, code, reason_code=None, reason=None, action_code=None):
        """Answer the seller of a received EHF with a Peppol Invoice Response (RE or AP)."""
        self.ensure_one()
        incoming = self.l10n_no_ehf_incoming_id
        if not incoming:
            raise UserError(self.env._("%(name)s was not received as EHF; there is nobody to answer.", name=self.display_name))
        if incoming.response_state != "none":
            raise UserError(self.env._("%(name)s was already answered (%(state)s).", name=self.display_name, state=incoming.response_state))
        try:
            receiver_id = ParticipantId.parse(incoming.sender_participant or "")
        except ValueError as exc:
            raise UserError(self.env._("The sender %(sender)s has no Peppol address to answer to.", sender=incoming.sender_participant)) from exc
        sender_id = self.company_id._l10n_no_ehf_participant()
        if sender_id is None:
            raise UserError(self.env._("Set the organisation number of %(company)s first.", company=self.company_id.name))
        statuses = ()
        if reason_code:
            statuses = (StatusReason(reason_code, reason or "", action_code or None),)
        response = InvoiceResponse(
            response_id=f"IR-{incoming.id}-{code}",
            issue_date=fields.Date.context_today(self),
            sender=Party(sender_id, self.company_id.name),
            receiver=Party(receiver_id, incoming.sender_name or self.partner_id.name or str(receiver_id)),
            code=ResponseCode(code),
            invoice_id=incoming.name,
            invoice_type_code="381" if incoming.document_kind == "CreditNote" else "380",
            invoice_issue_date=incoming.issue_date if isinstance(incoming.issue_date, date) else None,
            statuses=statuses,
        )
        try:
            xml = build_invoice_response(response)
        except ValueError as exc:
            raise UserError(nf_text(exc, self.env.lang)) from exc
        # The seller's access point judges our answer by the Peppol T111 rules: never queue one it
        # would reject, whatever the writer produced.
        valid, findings = validate_ehf(xml)
        if not valid:
            fatal = [f for f in findings if f["flag"] == "fatal"]
            raise UserError(self.env._(
                "The Invoice Response for %(name)s breaks the Peppol Invoice Response rules and was not sent: %(findings)s",
                name=self.display_name,
                findings="; ".join(f"[{f['rule']}] {self._l10n_no_ehf_finding_text(f)}" for f in fatal[:5]),
            ))
        outgoing = self.env["l10n_no_ehf.outgoing"]._l10n_no_ehf_enqueue(
            self, xml, kind="response", receiver=str(receiver_id)
        )
        incoming.sudo().response_state = "rejected" if code == ResponseCode.REJECTED.value else "accepted"
        label = dict(self.env["l10n_no_ehf.incoming"]._fields["response_state"]._description_selection(self.env))[incoming.response_state]
        self.message_post(body=self.env._("Invoice Response %(state)s queued for %(sender)s%(reason)s.",
                                 state=label, sender=receiver_id,
                                 reason=f": {reason}" if reason else ""))
        return outgoing

    def action_l10n_no_ehf_reject(self):
        self.ensure_one()
        self.check_access("write")
        self.env["l10n_no_ehf.response.wizard"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "res_model": "l10n_no_ehf.response.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    def _post(self, soft=True):
        # EXTENDS account
        self._l10n_no_ehf_check_confirmed()
        posted = super()._post(soft=soft)
        for move in posted.filtered(
            lambda m: m.is_purchase_document() and m.l10n_no_ehf_incoming_id
            and m.l10n_no_ehf_incoming_id.response_state == "none" and m.company_id.l10n_no_ehf_confirm_accepted
        ):
            move._l10n_no_ehf_send_response(ResponseCode.ACCEPTED.value)
        return posted

    # -------------------------------------------------------------------------
    # Mail alias: a second e-mail with the same EHF lands on the first bill
    # -------------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        # EXTENDS account
        custom_values = custom_values or {}
        if custom_values.get("move_type") in ("in_invoice", "in_refund"):
            company = self.env["res.company"].browse(custom_values.get("company_id")) or self.env.company
            known = self.env["l10n_no_ehf.incoming"]
            xml_count = 0
            for attachment in msg_dict.get("attachments") or []:
                content = attachment.content if hasattr(attachment, "content") else attachment[1]
                name = attachment.fname if hasattr(attachment, "fname") else attachment[0]
                if isinstance(content, str):
                    content = content.encode()
                if not (name or "").lower().endswith(".xml"):
                    continue
                xml_count += 1
                sha256 = hashlib.sha256(content).hexdigest()
                known |= known._l10n_no_ehf_find_existing(company, sha256=sha256)
            if xml_count and len(known) == xml_count and known.move_id:
                _logger.info("EHF e-mail with an already received document: added to %s", known.move_id[:1].display_name)
                return known.move_id[:1]
        return super().message_new(msg_dict, custom_values=custom_values)

    def _extend_with_attachments(self, files_data, new=False):
        # EXTENDS account
        res = super()._extend_with_attachments(files_data, new=new)
        if self.env.context.get("l10n_no_ehf_importing") or not self.env.context.get("from_alias"):
            return res
        # Bills created from the journal's mail alias: record the EHF like one from the access point.
        for move in self.filtered(lambda m: m.is_purchase_document() and not m.l10n_no_ehf_incoming_id):
            for file_data in files_data:
                raw = file_data.get("raw")
                if file_data.get("xml_tree") is None or not raw:
                    continue
                incoming = self.env["l10n_no_ehf.incoming"].with_context(l10n_no_ehf_importing=True)
                record = incoming._l10n_no_ehf_record_only(move, raw, file_data.get("name"))
                if record:
                    break
        return res
