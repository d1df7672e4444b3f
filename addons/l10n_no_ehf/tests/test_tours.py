import base64

from odoo.tests import HttpCase, tagged

from .common import VENDOR_ORGNR, L10nNoEhfCommon
from .ehf_samples import ehf_invoice


@tagged("post_install", "-at_install", "post_install_l10n")
class TestEhfTours(L10nNoEhfCommon, HttpCase):
    """The EHF paths in a real browser (Chromium): check and send an invoice, receive one by upload."""

    def test_01_invoice_check_and_send(self):
        # a company with its document layout chosen (without one, Odoo's first Send opens the layout wizard
        # first; its preview is tested in l10n_no_kid's test_invoice_screens)
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        move = self._invoice()
        # with l10n_no_kid (the umbrella addon installs both) the tour first finds the KID labelled "KID"
        kid_installed = "l10n_no_kid_is_kid" in move._fields
        if kid_installed:
            self.assertTrue(move.l10n_no_kid_is_kid or not move.payment_reference, move.payment_reference)
        tour = "l10n_no_ehf_invoice_kid_tour" if kid_installed and move.l10n_no_kid_is_kid else "l10n_no_ehf_invoice_tour"
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{move.id}", tour, login=self.env.user.login
        )
        self.assertEqual(move.l10n_no_ehf_check_state, "ok")
        self.assertEqual(move.l10n_no_ehf_state, "queued")
        self.assertEqual(len(move.l10n_no_ehf_outgoing_ids), 1)

    def test_02_receive_by_upload(self):
        self.env["res.partner"].create({
            "name": "Leverandør AS", "is_company": True, "l10n_no_bronnoysund_number": VENDOR_ORGNR,
            "country_id": self.env.ref("base.no").id,
        })
        self.env["ir.attachment"].create({
            "name": "l10n_no_ehf_tour.xml", "datas": base64.b64encode(ehf_invoice("F-2001")),
        })
        self.start_tour(
            "/odoo", "l10n_no_ehf_upload_tour",
            login=self.env.user.login,
        )
        incoming = self.env["l10n_no_ehf.incoming"].search([("name", "=", "F-2001")])
        self.assertEqual((incoming.source, incoming.state), ("upload", "imported"))
        self.assertEqual(incoming.move_id.ref, "F-2001")
