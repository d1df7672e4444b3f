from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ApprovalCommon


@tagged("post_install", "-at_install")
class TestApprovalSecurity(ApprovalCommon):
    """Bypass attempts as a user holding only their job's groups, as over XML-RPC."""

    def test_clerk_cannot_post_unapproved_bill(self):
        move = self.bill(1000)
        with self.assertRaisesRegex(UserError, "must be attested and approved"):
            move.with_user(self.clerk).action_post()
        with self.assertRaises(UserError):
            move.with_user(self.clerk)._post()
        self.assertEqual(move.state, "draft")

    def test_clerk_cannot_forge_reviews(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        review = self.reviews(move)[0].with_user(self.clerk)
        with self.assertRaises(AccessError):
            review.write({"status": "approved", "done_by": self.clerk.id})
        with self.assertRaises(AccessError):
            review.unlink()
        definition = self.matrix.level_ids[0]
        with self.assertRaises(AccessError):
            self.env["tier.review"].with_user(self.clerk).create({
                "model": "account.move", "res_id": move.id, "definition_id": definition.id, "status": "approved",
            })
        with self.assertRaises(AccessError):
            move.with_user(self.clerk).write({"l10n_no_do_not_pay_reason": False})
        with self.assertRaises(AccessError):
            move.with_user(self.clerk).write({"validation_status": "validated"})
        # a context key cannot open the door either
        with self.assertRaises(UserError):
            move.with_user(self.clerk).with_context(skip_validation_check=True).action_post()

    def test_clerk_cannot_validate_or_reach_the_configuration(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        with self.assertRaisesRegex(UserError, "Clerk registered the bill"):
            move.with_user(self.clerk).validate_tier()
        with self.assertRaises(AccessError):
            self.matrix.with_user(self.clerk).write({"active": False})
        with self.assertRaises(AccessError):
            self.env["l10n.no.approval.authority"].with_user(self.clerk).create(
                {"matrix_id": self.matrix.id, "user_id": self.clerk.id, "role": "anvis"}
            )
        with self.assertRaises(AccessError):
            self.matrix.level_ids[0].with_user(self.clerk).write({"active": False})

    def test_payment_register_refused_until_approved(self):
        move = self.bill(1000)
        move.with_user(self.override).action_post()  # posted under override, logged
        self.assertIn("approval override", "\n".join(move.sudo().message_ids.mapped("body")))
        wizard = self.env["account.payment.register"].with_user(self.clerk).with_context(
            active_model="account.move", active_ids=move.ids
        ).create({})
        with self.assertRaisesRegex(UserError, "must be attested and approved"):
            wizard.action_create_payments()
        wizard = self.env["account.payment.register"].with_user(self.override).with_context(
            active_model="account.move", active_ids=move.ids
        ).create({})
        wizard.action_create_payments()
        self.assertIn(move.payment_state, ("paid", "in_payment"))

    def test_approved_bill_can_be_paid(self):
        move = self.bill(1000)
        move.with_user(self.clerk).request_validation()
        move.with_user(self.att).validate_tier()
        move.with_user(self.boss).validate_tier()
        move.with_user(self.clerk).action_post()
        wizard = self.env["account.payment.register"].with_user(self.clerk).with_context(
            active_model="account.move", active_ids=move.ids
        ).create({})
        wizard.action_create_payments()
        self.assertIn(move.payment_state, ("paid", "in_payment"))

    def test_approver_sees_only_bills_routed_to_them(self):
        routed = self.bill(1000)
        routed.with_user(self.clerk).request_validation()
        hidden = self.bill(2000)
        visible = self.env["account.move"].with_user(self.att).search([("move_type", "=", "in_invoice")])
        self.assertIn(routed, visible)
        self.assertNotIn(hidden, visible)
        to_approve = self.env["account.move"].with_user(self.att).search([("can_review", "=", True)])
        self.assertEqual(to_approve, routed)
        self.assertFalse(self.env["account.move"].with_user(self.boss).search([("can_review", "=", True)]))
        with self.assertRaises(AccessError):
            routed.with_user(self.att).write({"ref": "x"})

    def test_substitutes_only_for_oneself_unless_administrator(self):
        with self.assertRaises(AccessError):
            self.env["l10n.no.approval.substitute"].with_user(self.att).create({
                "user_id": self.boss.id, "substitute_id": self.att.id,
                "date_from": "2026-07-01", "date_to": "2026-07-10",
            })

    def test_other_company_bills_are_not_routed_by_this_matrix(self):
        other = self.setup_other_company()["company"]
        bill = self.init_invoice("in_invoice", amounts=[100], company=other)
        self.assertFalse(bill.l10n_no_approval_required)
        bill.action_post()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(self.matrix.level_ids.company_id, self.company)
