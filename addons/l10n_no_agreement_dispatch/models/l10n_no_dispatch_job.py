"""The dispatch job's side of price regulation notices: a third kind of document in the queue.

The job links its notice (``l10n_no_agreement_notice_id``, through the queue's document hook), keys it
``ntc``, sends its e-mail through the agreement addon's own notice e-mail, prints it in-house when the
company has no print house (as a dunning letter), and tells the notice how it went.
"""

from odoo import api, fields, models
from odoo.addons.l10n_no_dispatch.models.l10n_no_dispatch_job import ACTIVE_STATES
from odoo.exceptions import AccessError, UserError

NOTICE = "l10n_no.agreement.notice"


class L10nNoDispatchJob(models.Model):
    _inherit = "l10n_no_dispatch.job"

    l10n_no_agreement_notice_id = fields.Many2one(
        NOTICE, string="Price regulation notice", index="btree_not_null", ondelete="cascade", readonly=True,
        check_company=True,
    )

    _one_active_per_notice = models.UniqueIndex(
        "(l10n_no_agreement_notice_id) WHERE state IN ('queued', 'sending', 'sent', 'delivered', 'printed')",
        "This notice is already on its way to the customer.",
    )

    def write(self, vals):
        # EXTENDS the core: the notice a job carries is written by the queue only (as its move and letter).
        if not self.env.su and "l10n_no_agreement_notice_id" in vals:
            raise AccessError(self.env._("Dispatch jobs are changed only by the dispatch actions (send, retry, cancel)."))
        return super().write(vals)

    @api.model
    def _l10n_no_dispatch_document_values(self, document):
        """EXTENDS the core hook: a notice is linked by its own field (no invoice, no letter)."""
        if document._name == NOTICE:
            return {"move_id": False, "letter_id": False, "l10n_no_agreement_notice_id": document.id}
        return super()._l10n_no_dispatch_document_values(document)

    @api.model
    def _l10n_no_dispatch_keys(self, documents, company=None):
        """EXTENDS the core: a notice's key, ``ntc`` + its id + the count of its earlier jobs."""
        if documents._name != NOTICE:
            return super()._l10n_no_dispatch_keys(documents, company)
        if not documents:
            return {}
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8]
        counts = {notice.id: count for notice, count in self.sudo().with_context(active_test=False)._read_group(
            [("l10n_no_agreement_notice_id", "in", documents.ids)], ["l10n_no_agreement_notice_id"], ["__count"])}
        return {
            notice.id: f"nfd-{db_uuid}-{(company or notice.company_id).id}-ntc{notice.id}-{counts.get(notice.id, 0) + 1}"
            for notice in documents
        }

    def _l10n_no_dispatch_document(self):
        self.ensure_one()
        return self.l10n_no_agreement_notice_id or super()._l10n_no_dispatch_document()

    def _l10n_no_dispatch_document_active(self):
        self.ensure_one()
        if not self.l10n_no_agreement_notice_id:
            return super()._l10n_no_dispatch_document_active()
        return bool(self.sudo().search_count([
            ("id", "!=", self.id), ("state", "in", ACTIVE_STATES),
            ("l10n_no_agreement_notice_id", "=", self.l10n_no_agreement_notice_id.id),
        ], limit=1))

    def _l10n_no_dispatch_send_email(self):
        """EXTENDS the core: a notice's e-mail is the agreement addon's (a message on the agreement to the
        customer with the letter attached), queued in this transaction like an invoice's."""
        notice = self.l10n_no_agreement_notice_id
        if not notice:
            return super()._l10n_no_dispatch_send_email()
        if not notice.partner_id.email:
            raise UserError(self.env._("%(partner)s has no e-mail address.", partner=notice.partner_id.display_name))
        message = notice._l10n_no_agreement_send_email()
        self._l10n_no_dispatch_mark("sent", str(message.id or ""))
        return True

    def _l10n_no_dispatch_send_print(self):
        """EXTENDS the core: without a print house a notice is printed in-house, as a dunning letter: its
        PDF is on the notice, and the person who confirmed the regulation gets an activity to post it."""
        notice = self.l10n_no_agreement_notice_id
        if notice and not self.company_id.l10n_no_dispatch_print_transport:
            _pdf, name = notice._l10n_no_agreement_pdf()
            self._l10n_no_dispatch_mark("printed", name, note=self.env._("to be printed and posted in-house"))
            notice.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Print and post this notice"),
                user_id=notice.create_uid.id or self.env.user.id,
            )
            return True
        return super()._l10n_no_dispatch_send_print()

    def _l10n_no_dispatch_mark(self, state, reference, note=""):
        """EXTENDS the core: a notice taken by its channel is sent."""
        result = super()._l10n_no_dispatch_mark(state, reference, note=note)
        if self.l10n_no_agreement_notice_id and state in ("sent", "delivered", "printed"):
            self.l10n_no_agreement_notice_id.sudo().state = "sent"
        return result

    def _l10n_no_dispatch_nothing_left(self, reason):
        """EXTENDS the core: a notice no channel reaches is "not sent" (and its chatter and activity say why)."""
        self.l10n_no_agreement_notice_id.sudo().state = "failed"
        return super()._l10n_no_dispatch_nothing_left(reason)
