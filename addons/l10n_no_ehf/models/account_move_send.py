from markupsafe import Markup

from odoo import api, models

METHOD = "l10n_no_ehf"


class AccountMoveSend(models.AbstractModel):
    """EHF through our own access point as a sending method of Send & Print.

    The XML is Odoo's BIS 3 export; before anything is queued it goes through the nofaktura
    validation (``_call_web_service_after_invoice_pdf_render``), and fatal findings stop the sending
    with a list of what to fix. Successful invoices are queued (``_hook_if_success``) and sent by the
    cron. When Odoo's own Peppol module sends for the company, this method is not offered.
    """

    _inherit = "account.move.send"

    @api.model
    def _get_default_invoice_edi_format(self, move, **kwargs):
        # EXTENDS account: EHF is Peppol BIS Billing 3.0
        if METHOD in (kwargs.get("sending_methods") or ()):
            return "ubl_bis3"
        return super()._get_default_invoice_edi_format(move, **kwargs)

    @api.model
    def _l10n_no_ehf_route_active(self, company):
        """True when EHF for ``company`` goes through its own access point (configured, and Odoo's
        Peppol service is not registered for it)."""
        return bool(company._l10n_no_ehf_access_point()) and not company._l10n_no_ehf_odoo_peppol_active()

    @api.model
    def _get_default_sending_methods(self, move):
        # EXTENDS account (and account_peppol, which adds its own Peppol whenever it could apply):
        # with our access point configured, a customer set to EHF/Peppol gets our route preselected,
        # never Odoo's Peppol (whose activation dialog would open and queue nothing at our access point).
        methods = set(super()._get_default_sending_methods(move))
        if self._l10n_no_ehf_route_active(move.company_id) and "peppol" in methods:
            methods.discard("peppol")
            methods.add(METHOD)
        return methods

    @api.model
    def _is_applicable_to_company(self, method, company):
        # EXTENDS account
        if method == METHOD:
            return self._l10n_no_ehf_route_active(company)
        if method == "peppol" and self._l10n_no_ehf_route_active(company):
            return False  # one Peppol route per company: ours is configured, Odoo's is hidden
        return super()._is_applicable_to_company(method, company)

    @api.model
    def _is_applicable_to_move(self, method, move, **move_data):
        # EXTENDS account
        if method == "peppol" and self._l10n_no_ehf_route_active(move.company_id):
            return False
        if method == METHOD:
            if "peppol" in (move_data.get("sending_methods") or ()):
                return False  # one document, one route
            return move._l10n_no_ehf_can_send()
        return super()._is_applicable_to_move(method, move, **move_data)

    def _get_alerts(self, moves, moves_data):
        # EXTENDS account
        alerts = super()._get_alerts(moves, moves_data)
        ehf_moves = moves.filtered(lambda m: METHOD in moves_data[m]["sending_methods"])
        if not ehf_moves:
            return alerts
        reasons = {move: move._l10n_no_ehf_cannot_send_reason() for move in ehf_moves}
        if blocked := ehf_moves.filtered(lambda m: reasons[m]):
            alerts["l10n_no_ehf_not_applicable"] = {
                "level": "warning",
                "message": self.env._("These invoices will not be sent as EHF: %(list)s",
                             list="; ".join(f"{m.name}: {reasons[m]}" for m in blocked)),
                "action_text": self.env._("View Invoice(s)"),
                "action": blocked._get_records_action(name=self.env._("Check Invoice(s)")),
            }
        if already := ehf_moves.filtered(lambda m: m.l10n_no_ehf_state in ("queued", "sent", "delivered")):
            alerts["l10n_no_ehf_already_sent"] = {
                "level": "info",
                "message": self.env._("Already on its way as EHF, not sent again: %(list)s", list=", ".join(already.mapped("name"))),
            }
        if failed_check := ehf_moves.filtered(lambda m: m.l10n_no_ehf_check_state == "fatal"):
            alerts["l10n_no_ehf_check_failed"] = {
                "level": "warning",
                "message": self.env._("The last EHF check found errors in %(list)s; they are checked again when sent.",
                             list=", ".join(failed_check.mapped("name"))),
                "action_text": self.env._("View Invoice(s)"),
                "action": failed_check._get_records_action(name=self.env._("Check Invoice(s)")),
            }
        return alerts

    @api.model
    def _hook_invoice_document_before_pdf_report_render(self, invoice, invoice_data):
        # EXTENDS account_edi_ubl_cii: when Odoo's own export refuses the invoice, show our check's
        # list instead (the same errors and more, each with the record and field to fix).
        res = super()._hook_invoice_document_before_pdf_report_render(invoice, invoice_data)
        error = invoice_data.get("error")
        if METHOD in invoice_data["sending_methods"] and error and "ubl_cii_xml_options" not in invoice_data:
            xml, export_errors = invoice._l10n_no_ehf_export_xml()
            if export_errors:
                _fatal, findings = invoice._l10n_no_ehf_run_check(xml, export_errors)
                invoice_data["error"] = self._l10n_no_ehf_error(invoice, findings)
        return res

    @api.model
    def _l10n_no_ehf_error(self, invoice, findings):
        return {
            "error_title": self.env._("The EHF check found errors; %(name)s was not sent. Fix:", name=invoice.name),
            "errors": [
                f"{f['rule']}: {invoice._l10n_no_ehf_finding_text(f)}" + (f" → {f['fix']}" if f.get("fix") else "")
                for f in findings if f["flag"] == "fatal"
            ],
        }

    @api.model
    def _call_web_service_after_invoice_pdf_render(self, invoices_data):
        # EXTENDS account: check the final XML (PDF embedded) before it may be queued
        res = super()._call_web_service_after_invoice_pdf_render(invoices_data)
        for invoice, invoice_data in invoices_data.items():
            if METHOD not in invoice_data["sending_methods"] or invoice_data.get("error"):
                continue
            if not self._is_applicable_to_move(METHOD, invoice, **invoice_data):
                continue
            if invoice.l10n_no_ehf_state in ("queued", "sent", "delivered"):
                continue  # never queued twice
            xml = (invoice_data.get("ubl_cii_xml_attachment_values") or {}).get("raw") or invoice.ubl_cii_xml_id.raw
            if not xml:
                invoice_data["error"] = {"error_title": self.env._("Odoo produced no EHF XML for %(name)s.", name=invoice.name)}
                continue
            fatal, findings = invoice._l10n_no_ehf_run_check(xml)
            if fatal:
                invoice_data["error"] = self._l10n_no_ehf_error(invoice, findings)
                continue
            invoice_data["l10n_no_ehf_xml"] = xml
            if warnings := [f for f in findings if f["flag"] != "fatal"]:
                invoice.message_post(body=Markup("%s<ul>%s</ul>") % (
                    self.env._("EHF check warnings:"),
                    Markup("").join(Markup("<li>%s: %s</li>") % (w["rule"], invoice._l10n_no_ehf_finding_text(w)) for w in warnings),
                ))
        return res

    @api.model
    def _hook_if_success(self, moves_data, from_cron=False):
        # EXTENDS account: queue the checked EHF; the cron sends it
        for move, move_data in moves_data.items():
            if xml := move_data.get("l10n_no_ehf_xml"):
                move._l10n_no_ehf_enqueue(xml)
        return super()._hook_if_success(moves_data, from_cron=from_cron)
