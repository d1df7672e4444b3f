from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class AgreementCommon(AccountTestInvoicingCommon):
    """A Norwegian company with a KID agreement on its bank account (MOD10, 5 + 9 + 1 digits), a
    billing clerk holding only Invoicing, and helpers to make monthly agreements."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("no")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.bank_account = cls.env["res.partner.bank"].create(
            {"acc_number": "86011117947", "partner_id": cls.company.partner_id.id}
        )
        cls.bank_journal.bank_account_id = cls.bank_account
        cls.bank_journal.write({
            "l10n_no_kid_enabled": True,
            "l10n_no_kid_algorithm": "mod10",
            "l10n_no_kid_length": 15,
            "l10n_no_kid_customer_digits": 5,
            "l10n_no_kid_invoice_digits": 9,
        })
        cls.clerk = mail_new_test_user(
            cls.env, login="agreement_clerk", name="Billing Clerk", email="clerk@example.no",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.internal = mail_new_test_user(
            cls.env, login="agreement_internal", name="Internal", groups="base.group_user",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
        )
        cls.rent = cls.env["product.product"].create({
            "name": "Husleie", "type": "service", "list_price": 1000.0, "taxes_id": [Command.clear()],
        })

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create({
            "name": name, "is_company": True, "email": f"{name.split()[0].lower()}@example.no",
            "country_id": cls.env.ref("base.no").id, **values,
        })

    @classmethod
    def _agreement(cls, partner, start, price=1000.0, **values):
        return cls.env["contract.contract"].create({
            "name": f"Leie {partner.name}",
            "partner_id": partner.id,
            "company_id": cls.company.id,
            "contract_type": "sale",
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "date_start": start,
            "contract_line_ids": [Command.create({
                "product_id": cls.rent.id,
                "name": "Husleie #START# - #END#",
                "quantity": 1.0,
                "price_unit": price,
                "date_start": start,
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
            })],
            **values,
        })

    def _run(self, day, user=None, contracts=None):
        """The invoicing run on ``day`` as ``user`` (the billing clerk): the button on the agreements
        when ``contracts`` are given, else the manual run of the company."""
        user = user or self.clerk
        runs = self.env["l10n_no.agreement.run"].with_user(user)
        with self._today(day):
            if contracts is not None:
                action = contracts.with_user(user).action_l10n_no_agreement_invoice_now()
            else:
                action = runs.action_run_now()
        return runs.search(action["domain"]) if "domain" in action else runs.browse(action["res_id"])

    @staticmethod
    def _today(day):
        return freeze_time(day if isinstance(day, date) else date.fromisoformat(day))

    @staticmethod
    def _invoices(contract):
        return contract.env["account.move"].search(
            [("l10n_no_agreement_contract_id", "=", contract.id)], order="l10n_no_agreement_period_start, id"
        )
