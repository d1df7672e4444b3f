from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import L10nNoEhfCommon
from .ehf_samples import ehf_invoice


@tagged("post_install", "-at_install", "post_install_l10n")
class TestEhfSecurity(L10nNoEhfCommon):
    """Who may change transmissions, status fields and make the server call out (issues 10.1, 10.3,
    10.5, 10.8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.billing = new_test_user(cls.env, login="ehf_billing", groups="account.group_account_invoice", **common)
        cls.internal = new_test_user(cls.env, login="ehf_internal", groups="base.group_user", **common)
        cls.portal = new_test_user(cls.env, login="ehf_portal", groups="base.group_portal", **common)
        cls.admin = new_test_user(
            cls.env, login="ehf_admin", groups="base.group_system,account.group_account_manager", **common
        )

    def _failed_transmission(self):
        move = self._invoice()
        self._send_ehf(move)
        self.env["l10n_no_ehf.outgoing"].search([("move_id", "=", move.id)]).sudo().write(
            {"state": "failed", "error_code": "rejected"}
        )
        return move, move.l10n_no_ehf_outgoing_ids

    # --- 10.1 transmissions are written only by our code -------------------------------------------

    def test_billing_user_cannot_redirect_a_transmission(self):
        move, outgoing = self._failed_transmission()
        foreign = self.env["ir.attachment"].sudo().create({"name": "secret.xml", "raw": b"<secret/>"})
        as_billing = outgoing.with_user(self.billing)
        for values in ({"attachment_id": foreign.id}, {"receiver": "0192:999999999"},
                       {"access_point_id": False}, {"state": "queued"}):
            with self.assertRaises(AccessError, msg=values):
                as_billing.write(values)
        with self.assertRaises(AccessError):
            self.env["l10n_no_ehf.outgoing"].with_user(self.billing).create({
                "move_id": move.id, "idempotency_key": "forged", "attachment_id": foreign.id,
                "receiver": "0192:999999999",
            })
        # the button still works for that user
        self.assertTrue(move.with_user(self.billing).action_l10n_no_ehf_retry())
        self.assertEqual(outgoing.state, "queued")

    def test_retry_and_cron_refuse_an_attachment_that_is_not_the_transmissions(self):
        move, outgoing = self._failed_transmission()
        other = self._invoice()
        foreign = self.env["ir.attachment"].create({
            "name": "other.xml", "raw": b"<other/>", "res_model": "account.move", "res_id": other.id,
        })
        outgoing.sudo().attachment_id = foreign
        with self.assertRaises(UserError):
            move.action_l10n_no_ehf_retry()
        self.assertEqual(outgoing.state, "failed")
        # queued by other means: the cron checks again and sends nothing
        outgoing.sudo().write({"state": "queued", "next_try": "2000-01-01 00:00:00"})
        self._run_send_cron()
        self.assertEqual(outgoing.state, "failed")
        self.assertEqual(self.ap.sent, [])

    # --- 10.5 status fields change only through methods ------------------------------------------------

    def test_status_fields_refuse_direct_writes(self):
        move = self._invoice()
        self._send_ehf(move)
        outgoing = move.l10n_no_ehf_outgoing_ids
        for user in (self.billing, self.admin):
            with self.assertRaises(AccessError):
                move.with_user(user).write({"l10n_no_ehf_check_state": "ok"})
            with self.assertRaises(AccessError):
                move.with_user(user).write({"l10n_no_ehf_state": "delivered"})
            with self.assertRaises(AccessError):
                outgoing.with_user(user).write({"state": "delivered"})
        incoming = self.env["l10n_no_ehf.incoming"]._l10n_no_ehf_import(ehf_invoice("F-SEC"), company=self.company)
        with self.assertRaises(AccessError):
            incoming.with_user(self.billing).write({"valid": True, "state": "imported"})
        with self.assertRaises(AccessError):
            incoming.move_id.with_user(self.billing).write({"l10n_no_ehf_incoming_id": False})
        # the methods still set them
        result = move.with_user(self.billing).l10n_no_ehf_check()
        self.assertTrue(result[0]["valid"])
        self.assertIn(move.l10n_no_ehf_check_state, ("ok", "warning"))

    # --- 10.3 test connection --------------------------------------------------------------------------

    def test_only_administrators_of_the_company_test_the_connection(self):
        for user in (self.portal, self.internal, self.billing):
            with self.assertRaises(AccessError, msg=user.login):
                self.access_point.with_user(user).action_l10n_no_ehf_test_connection()
        self.assertIsInstance(self.access_point.with_user(self.admin).action_l10n_no_ehf_test_connection(), dict)
        other = self.setup_other_company()["company"]
        foreign = self.env["l10n_no_ehf.access.point"].sudo().create(
            {"name": "Other AP", "company_id": other.id, "transport_type": "memory"}
        )
        with self.assertRaises(AccessError):
            foreign.with_user(self.admin).action_l10n_no_ehf_test_connection()

    # --- 10.8 reachability check -----------------------------------------------------------------------

    def test_only_billing_users_check_peppol_reachability(self):
        for user in (self.portal, self.internal):
            with self.assertRaises(AccessError, msg=user.login):
                self.partner_no.with_user(user).action_l10n_no_ehf_check_peppol()
        self.assertEqual(self.lookup_mock.call_count, 0)
        self.assertIsInstance(self.partner_no.with_user(self.billing).action_l10n_no_ehf_check_peppol(), dict)
        self.assertEqual(self.lookup_mock.call_count, 1)
