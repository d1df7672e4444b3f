from odoo import api, fields, models
from odoo.exceptions import AccessError


class L10nNoAgreementNotice(models.Model):
    """The written notice of a price regulation to one customer for one agreement: a letter (PDF, in the
    customer's language, with the company's details), made once and sent once.

    Alone, this addon sends it by Odoo's e-mail (a message on the agreement to the customer with the PDF
    attached). With the channel dispatch installed, the bridge ``l10n_no_agreement_dispatch`` hands it to the
    dispatch queue instead (Digipost, print or e-mail by the customer's channel). One notice per regulation
    and agreement (a unique index), so confirming twice never gives two notices."""

    _name = "l10n_no.agreement.notice"
    _description = "Price regulation notice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    regulation_id = fields.Many2one(
        "l10n_no.agreement.regulation", required=True, readonly=True, index=True,
        ondelete="cascade", check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    contract_id = fields.Many2one(
        "contract.contract", string="Agreement", required=True, readonly=True, index=True, ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True)
    notice_date = fields.Date(required=True, readonly=True)
    state = fields.Selection(
        [("draft", "To send"), ("queued", "Queued"), ("sent", "Sent"), ("failed", "Not sent")],
        default="draft", required=True, readonly=True, index=True,
    )  # fmt: skip
    attachment_id = fields.Many2one("ir.attachment", string="Letter", readonly=True, copy=False)
    mail_message_id = fields.Many2one("mail.message", string="E-mail", readonly=True, copy=False)
    line_ids = fields.Many2many(
        "l10n_no.agreement.regulation.line", compute="_compute_line_ids", string="New prices",
    )

    _regulation_contract_uniq = models.UniqueIndex(
        "(regulation_id, contract_id)", "This regulation has given its notice for this agreement already."
    )

    @api.depends("regulation_id.line_ids", "contract_id")
    def _compute_line_ids(self):
        for notice in self:
            notice.line_ids = notice.regulation_id.line_ids.filtered(
                lambda line, notice=notice: line.allowed and line.contract_id == notice.contract_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        """Only the regulation's confirmation creates notices (as superuser, after checking the caller)."""
        if not self.env.su:
            raise AccessError(self.env._("Notices are given by confirming a price regulation only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) - {"message_main_attachment_id"}:
            raise AccessError(self.env._("A notice is written by its regulation only."))
        return super().write(vals)

    # -------------------------------------------------------------------------
    # The letter
    # -------------------------------------------------------------------------

    def _l10n_no_agreement_pdf(self):
        """The notice letter (``(bytes, filename)``), made once and kept on the notice: a retry or a second
        channel sends the same letter."""
        self.ensure_one()
        attachment = self.attachment_id
        if not attachment or not attachment.raw:
            report = self.env.ref("l10n_no_agreement.action_report_regulation_notice")
            content, _format = self.env["ir.actions.report"].sudo()._render_qweb_pdf(report, self.ids)
            attachment = self.env["ir.attachment"].sudo().create({
                "name": f"{self.name.replace('/', '-')}.pdf",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            })
            self.sudo().attachment_id = attachment
        return attachment.raw, attachment.name

    # -------------------------------------------------------------------------
    # Sending
    # -------------------------------------------------------------------------

    def _l10n_no_agreement_send(self):
        """Send these notices (called as superuser by the confirmation, which checked the caller). Alone,
        this addon e-mails them; the dispatch bridge EXTENDS this to queue them by the customer's channel.
        A notice sent or queued already is not sent again. Returns True."""
        for notice in self.filtered(lambda n: n.state == "draft"):
            notice._l10n_no_agreement_send_email()
        return True

    def _l10n_no_agreement_send_email(self):
        """The notice by Odoo's e-mail: a message on the agreement to the customer (so it is kept in the
        agreement's chatter), in the customer's language, with the letter attached. Returns the message."""
        self.ensure_one()
        partner = self.partner_id
        env = self.with_context(lang=partner.lang or "en_US").env
        contract = self.contract_id
        values = {
            "lines": self.line_ids,
            "greeting": env._("Dear %(customer)s,", customer=partner.name),
            "intro": env._("The prices of your agreement %(agreement)s are regulated as follows:",
                           agreement=contract.name),
            "closing": env._("This notice is given on %(date)s.",
                             date=self.notice_date.strftime("%d.%m.%Y")),
        }  # fmt: skip
        body = env["ir.qweb"]._render("l10n_no_agreement.regulation_notice", values)
        pdf, filename = self._l10n_no_agreement_pdf()
        message = contract.sudo().message_post(
            body=body,
            subject=env._("Price regulation of %(agreement)s", agreement=contract.name),
            partner_ids=partner.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[(filename, pdf)],
        )
        self.sudo().write({"state": "sent", "mail_message_id": message.id})
        return message
