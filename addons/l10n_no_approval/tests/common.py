from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class ApprovalCommon(AccountTestInvoicingCommon):
    """A Norwegian company with the preset matrix (attest, anvis, a band above 100 000) and its people.

    Everybody acts through ``with_user`` holding only their job's groups, as over XML-RPC.
    """

    @classmethod
    @AccountTestInvoicingCommon.setup_country("no")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        approver = cls.env.ref("l10n_no_approval.group_l10n_no_approver")
        billing = cls.env.ref("account.group_account_invoice")

        def user(login, *groups):
            return cls.env["res.users"].create({
                "name": login.capitalize(), "login": login, "email": f"{login}@example.no",
                "company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)],
                "group_ids": [Command.set([g.id for g in groups])],
            })

        cls.clerk = user("clerk", billing)
        cls.att = user("att", approver)
        cls.att_b = user("attb", approver)
        cls.boss = user("boss", approver)
        cls.boss_b = user("bossb", approver)
        cls.cfo = user("cfo", approver)
        cls.override = user("override", cls.env.ref("l10n_no_approval.group_l10n_no_approval_override"))
        cls.matrix = cls.env["l10n.no.approval.matrix"].create({"name": "Preset", "company_id": cls.company.id})
        cls.matrix.action_add_amount_band()
        cls.matrix.write({"authority_ids": [
            Command.create({"user_id": cls.att.id, "role": "attest"}),
            Command.create({"user_id": cls.att_b.id, "role": "attest"}),
            Command.create({"user_id": cls.boss.id, "role": "anvis", "limit_amount": 200000}),
            Command.create({"user_id": cls.boss_b.id, "role": "anvis", "limit_amount": 20000}),
            Command.create({"user_id": cls.cfo.id, "role": "anvis", "level": 2}),
        ]})
        cls.vendor = cls.env["res.partner"].create({"name": "Leverandør AS", "is_company": True})
        cls.vendor_bank = cls.env["res.partner.bank"].create(
            {"acc_number": "86011117947", "partner_id": cls.vendor.id}
        )
        cls.other_bank = cls.env["res.partner.bank"].create(
            {"acc_number": "12345678903", "partner_id": cls.vendor.id}
        )

    def bill(self, amount=1000.0, partner=None, user=None, move_type="in_invoice"):
        partner = partner or self.vendor
        values = {
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": "2026-12-01",
            "invoice_line_ids": [Command.create({
                "name": "Kontorrekvisita", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
            })],
        }
        if partner == self.vendor:
            values["partner_bank_id"] = self.vendor_bank.id
        return self.env["account.move"].with_user(user or self.clerk).create(values)

    def reviews(self, move):
        return move.sudo().review_ids.sorted("sequence")
