from odoo.tests import HttpCase, tagged

from .common import CUSTOMER_ORGNR, BrregCommon


@tagged("post_install", "-at_install", "post_install_l10n")
class TestPartnerAutocompleteTour(BrregCommon, HttpCase):
    """The organisation-number widget in a real browser: suggestions from the (fake) register while typing
    a name, and the form filled by the server once one is chosen."""

    def test_partner_autocomplete(self):
        self.start_tour("/odoo/action-account.res_partner_action_customer/new",
                        "l10n_no_brreg_partner_autocomplete", login="brreg_sysadmin")
        partner = self.env["res.partner"].search([("l10n_no_bronnoysund_number", "=", CUSTOMER_ORGNR)])
        self.assertEqual(partner.name, "KUNDE AS")
        self.assertEqual(partner.vat, f"NO{CUSTOMER_ORGNR}MVA")
        self.assertEqual(partner.city, "OSLO")
