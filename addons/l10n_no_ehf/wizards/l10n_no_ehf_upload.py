import base64

from odoo import fields, models
from odoo.exceptions import UserError


class L10nNoEhfUpload(models.TransientModel):
    """Upload EHF files by hand (from a USB stick, a portal download, an e-mail saved to disk)."""

    _name = "l10n_no_ehf.upload.wizard"
    _description = "Upload received EHF"

    attachment_ids = fields.Many2many("ir.attachment", string="EHF files", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    def action_import(self):
        self.ensure_one()
        if not self.attachment_ids:
            raise UserError(self.env._("Choose at least one file."))
        Incoming = self.env["l10n_no_ehf.incoming"].with_company(self.company_id)
        records = Incoming.browse()
        for attachment in self.attachment_ids:
            content = attachment.raw or base64.b64decode(attachment.datas or b"")
            records |= Incoming._l10n_no_ehf_import(content, company=self.company_id, filename=attachment.name, source="upload")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Received EHF"),
            "res_model": "l10n_no_ehf.incoming",
            "view_mode": "list,form",
            "domain": [("id", "in", records.ids)],
        }
